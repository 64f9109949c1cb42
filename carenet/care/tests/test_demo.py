"""The demo's care matching holds a visit missed (or called off) that a substitute covers, and another still
needing cover, all synthetic."""

from __future__ import annotations

from typing import Any

from carenet.care import demo
from carenet.care.models import Cover


def test_the_demo_has_a_covered_visit_and_one_needing_cover(baia_mare: Any) -> None:
    demo.load()
    covers = list(Cover.objects.for_tenant(baia_mare).select_related("booking__request", "substitute"))
    assert sorted(c.status for c in covers) == ["confirmed", "needed"]
    covered = next(c for c in covers if c.status == "confirmed")
    assert covered.substitute.is_synthetic and covered.booking.request.is_synthetic
    assert covered.substitute_id != covered.booking.caregiver_id
