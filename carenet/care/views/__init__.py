"""Pages of care matching: staff (coordinators, social workers), families and caregivers on the portal."""
