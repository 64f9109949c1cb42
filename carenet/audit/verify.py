from dataclasses import dataclass
from typing import Any

from .models import GENESIS_HASH, AuditEvent


@dataclass
class BrokenLink:
    municipality_id: Any
    event_id: int
    reason: str


def verify_chains() -> tuple[int, list[BrokenLink]]:
    """Recompute every chain; return the number of events checked and the first broken link of each chain."""
    checked = 0
    broken: list[BrokenLink] = []
    chains = AuditEvent.objects.order_by().values_list("municipality_id", flat=True).distinct()
    for municipality_id in list(chains):
        prev = GENESIS_HASH
        for event in AuditEvent.objects.filter(municipality_id=municipality_id).order_by("id").iterator(2000):
            checked += 1
            if event.prev_hash != prev:
                broken.append(BrokenLink(municipality_id, event.id, "previous hash does not match"))
                break
            if event.compute_hash() != event.hash:
                broken.append(BrokenLink(municipality_id, event.id, "content does not match its hash"))
                break
            prev = event.hash
    return checked, broken
