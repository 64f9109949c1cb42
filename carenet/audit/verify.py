"""``audit_verify``: recompute every chain and check it against its signed checkpoints (decision 0015)."""

import datetime
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from .keys import verifying_keys
from .models import GENESIS_HASH, PLATFORM_CHAIN, AuditCheckpoint, AuditEvent


@dataclass
class BrokenLink:
    municipality_id: Any
    event_id: Any
    reason: str


def _checkpoint_problems(checkpoints: list[AuditCheckpoint], keys: dict[str, bytes]) -> str:
    """The first problem of a chain's checkpoints themselves (numbering, links, signatures), or ''."""
    prev_signature = GENESIS_HASH
    prev_seq = 0
    for number, checkpoint in enumerate(checkpoints, 1):
        if checkpoint.number != number:
            return f"checkpoint {number} is missing"
        key = keys.get(checkpoint.key_id)
        if key is None:
            return f"checkpoint {number}: signed with a key this server does not hold"
        if not hmac.compare_digest(checkpoint.sign(key), checkpoint.signature):
            return f"checkpoint {number}: the signature does not match (forged or edited)"
        if checkpoint.prev_signature != prev_signature or checkpoint.seq < prev_seq:
            return f"checkpoint {number} does not follow checkpoint {number - 1}"
        prev_signature, prev_seq = checkpoint.signature, checkpoint.seq
    return ""


def _verify_chain(chain: Any, keys: dict[str, bytes], now: datetime.datetime) -> tuple[int, BrokenLink | None]:
    municipality_id = None if chain == PLATFORM_CHAIN else chain
    checkpoints = list(AuditCheckpoint.objects.filter(chain=chain).order_by("number"))
    problem = _checkpoint_problems(checkpoints, keys)
    if problem:
        return 0, BrokenLink(municipality_id, None, problem)
    anchored = {c.seq: c for c in checkpoints}
    checked = 0
    prev = GENESIS_HASH
    last: AuditEvent | None = None
    version = 1
    for position, event in enumerate(AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(2000), 1):
        checked += 1
        if event.seq != position:
            return checked, BrokenLink(municipality_id, event.id, f"event {position} of the chain is missing")
        if event.prev_hash != prev:
            return checked, BrokenLink(municipality_id, event.id, "previous hash does not match")
        if event.hash_version < version:  # a version-1 event (fewer fields hashed) after version-2 ones
            return checked, BrokenLink(municipality_id, event.id, "content does not match its hash")
        version = event.hash_version
        if event.compute_hash() != event.hash:
            return checked, BrokenLink(municipality_id, event.id, "content does not match its hash")
        checkpoint = anchored.get(event.seq)
        if checkpoint is not None and checkpoint.head_hash != event.hash:
            reason = f"event {event.seq} differs from checkpoint {checkpoint.number}: the chain was rewritten"
            return checked, BrokenLink(municipality_id, event.id, reason)
        prev = event.hash
        last = event
    head = last.seq if last else 0
    if checkpoints and checkpoints[-1].seq > head:
        reason = f"events {head + 1} to {checkpoints[-1].seq} are missing: checkpoint {checkpoints[-1].number} anchored {checkpoints[-1].seq} events"
        return checked, BrokenLink(municipality_id, None, reason)
    max_age = datetime.timedelta(hours=settings.CARENET_AUDIT_CHECKPOINT_MAX_AGE_HOURS)
    since = (
        checkpoints[-1].made_at
        if checkpoints
        else (AuditEvent.objects.filter(chain=chain, seq=1).values_list("created_at", flat=True).first())
    )
    if since is not None and now - since > max_age:
        reason = f"not anchored by a checkpoint since {since:%Y-%m-%d %H:%M} UTC (run audit_checkpoint daily)"
        return checked, BrokenLink(municipality_id, None, reason)
    return checked, None


def verify_chains(*, now: datetime.datetime | None = None) -> tuple[int, list[BrokenLink]]:
    """Recompute every chain; return the number of events checked and the first broken link of each chain.

    A chain is read in the order of its positions (``seq`` 1, 2, …): an event edited, deleted or inserted
    behind the application's back breaks the hashes or leaves a gap in the positions. Its checkpoints,
    signed with a key the database does not hold, catch what recomputing hashes cannot: the last events
    deleted (the chain ends before the last checkpoint), a chain rewritten with every later hash recomputed
    (an anchored event's hash differs), and a checkpoint deleted (a gap in their numbers, or the last one
    older than ``CARENET_AUDIT_CHECKPOINT_MAX_AGE_HOURS``).
    """
    now = now or timezone.now()
    keys = verifying_keys()
    checked = 0
    broken: list[BrokenLink] = []
    events = AuditEvent.objects.order_by().values_list("chain", flat=True).distinct()
    anchored = AuditCheckpoint.objects.order_by().values_list("chain", flat=True).distinct()
    for chain in sorted(set(events) | set(anchored)):
        count, link = _verify_chain(chain, keys, now)
        checked += count
        if link is not None:
            broken.append(link)
    return checked, broken
