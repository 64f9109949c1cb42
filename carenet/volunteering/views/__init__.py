"""Pages of volunteering: the staff pages (organisers, coordinator), the partner's code check, the portal."""
