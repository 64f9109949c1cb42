"""Writing audit events. Call inside the same transaction as the change it records."""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
from collections.abc import Iterator
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from carenet.core.request_context import current_request_meta

from .actions import ANONYMOUS_ACTOR
from .keys import signing_key
from .models import GENESIS_HASH, AuditCheckpoint, AuditEvent, chain_of

logger = logging.getLogger("carenet.audit")


def _lock_chain(chain: Any) -> None:
    # Serialise appends to one chain. SQLite already serialises writers (IMMEDIATE mode). On Citus the
    # lock is taken on the coordinator, which every write of the application goes through.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit:{chain}"])


@contextlib.contextmanager
def chain_locked(municipality: Any) -> Iterator[None]:
    """A transaction holding the lock of the municipality's chain, as an append does (``audit_record``): for state
    kept beside the chain that must change one request at a time (the read-volume tally, ``people.services``)."""
    with transaction.atomic():
        _lock_chain(chain_of(getattr(municipality, "pk", municipality)))
        yield


_CHAIN_FIELD = AuditEvent._meta.get_field("chain")


@functools.cache
def _chain_head_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table, seq, digest, key = (quote(AuditEvent._meta.db_table), quote("seq"), quote("hash"), quote("chain"))
    return f"SELECT {seq}, {digest} FROM {table} WHERE {key} = %s ORDER BY {seq} DESC LIMIT 1"  # noqa: S608


def _chain_head(chain: Any) -> tuple[int, str] | None:
    """(seq, hash) of the chain's last event, None for an empty chain: one constant statement (built once per
    database vendor) on the connection that holds the caller's transaction. A queryset here was compiled anew on
    every append, half of what an append cost beyond its insert (bench/audit_chain.py)."""
    with connection.cursor() as cursor:
        cursor.execute(_chain_head_sql(connection.vendor), [_CHAIN_FIELD.get_db_prep_value(chain, connection)])
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else None


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ANONYMOUS_ACTOR
    return actor.get_username()


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    municipality: Any = None,
    object_type: str = "",
    object_id: Any = "",
    object_label: str = "",
    purpose: str = "",
    changes: dict[str, Any] | None = None,
    savepoint: bool = True,
) -> AuditEvent:
    """Append one event to its municipality's chain.

    ``obj`` fills the record type, id, label and municipality; they can also be given directly.
    ``changes`` must not contain special-category values: name the fields, not their contents.
    ``savepoint=False`` inside a transaction the caller holds (no SAVEPOINT/RELEASE round trips): a failure to
    write the event then fails the caller's whole transaction, which is what an audited read wants anyway.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)[:200]
        if municipality is None:
            municipality = getattr(obj, "municipality_id", None)
    municipality_id = getattr(municipality, "pk", municipality)
    if municipality_id is None and actor is not None and getattr(actor, "is_authenticated", False):
        municipality_id = actor.municipality_id
    meta = current_request_meta()
    chain = chain_of(municipality_id)
    with transaction.atomic(savepoint=savepoint):
        _lock_chain(chain)
        last = _chain_head(chain)
        event = AuditEvent(
            chain=chain,
            seq=last[0] + 1 if last else 1,
            created_at=timezone.now(),
            actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
            actor_label=_actor_label(actor),
            municipality_id=municipality_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            object_label=object_label[:200],
            purpose=purpose[:200],
            ip=_stored_ip(meta.ip),
            user_agent=meta.user_agent,
            changes=changes or {},
            prev_hash=last[1] if last else GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def _stored_ip(ip: str | None) -> str | None:
    # The form the database gives back (PostgreSQL's inet compresses IPv6), so that the hash still matches.
    return clean_ipv6_address(ip) if ip and ":" in ip else ip


def _chains() -> list[Any]:
    events = AuditEvent.objects.order_by().values_list("chain", flat=True).distinct()
    anchored = AuditCheckpoint.objects.order_by().values_list("chain", flat=True).distinct()
    return sorted(set(events) | set(anchored))


def audit_checkpoint_make(*, now: datetime.datetime | None = None) -> list[AuditCheckpoint]:
    """Sign the head of every chain not yet anchored today (UTC); return the checkpoints made.

    Run daily (``audit.tasks.make_audit_checkpoints`` is scheduled; ``manage.py audit_checkpoint`` by hand).
    Each checkpoint is also written to the ``carenet.audit`` log, a copy outside the database.
    """
    now = now or timezone.now()
    key_id, key = signing_key()
    made: list[AuditCheckpoint] = []
    for chain in _chains():
        with transaction.atomic():
            _lock_chain(chain)
            last = AuditCheckpoint.objects.filter(chain=chain).order_by("-number").first()
            if last is not None and last.made_at.astimezone(datetime.UTC).date() >= now.astimezone(datetime.UTC).date():
                continue
            head = _chain_head(chain)
            checkpoint = AuditCheckpoint(
                chain=chain,
                number=last.number + 1 if last else 1,
                made_at=now,
                seq=head[0] if head else 0,
                head_hash=head[1] if head else GENESIS_HASH,
                prev_signature=last.signature if last else GENESIS_HASH,
                key_id=key_id,
            )
            checkpoint.signature = checkpoint.sign(key)
            checkpoint.save(force_insert=True)
        logger.info(
            "audit checkpoint chain=%s number=%s seq=%s head=%s signature=%s",
            chain,
            checkpoint.number,
            checkpoint.seq,
            checkpoint.head_hash,
            checkpoint.signature,
        )
        made.append(checkpoint)
    return made


def audit_read(*, actor: Any, obj: models.Model, purpose: str = "") -> AuditEvent:
    """The one helper for logging that someone looked at a person's record (or any sensitive record)."""
    return audit_record(action=f"{obj._meta.model_name}.view", actor=actor, obj=obj, purpose=purpose)


def audit_export(
    *,
    actor: Any,
    municipality: Any,
    what: str,
    rows: int,
    purpose: str = "",
    subject_ids: list[str] | None = None,
) -> AuditEvent:
    """An export left CareNet (called by ``carenet.core.exports``, the one export path)."""
    changes: dict[str, Any] = {"rows": rows}
    if subject_ids is not None:
        changes["subject_ids"] = subject_ids
    return audit_record(
        action="export",
        actor=actor,
        municipality=municipality,
        object_type=what,
        purpose=purpose,
        changes=changes,
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names (not values) of the fields that differ; values of personal fields stay out of the log."""
    return sorted(k for k in after if before.get(k) != after.get(k))
