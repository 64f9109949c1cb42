"""Writing audit events. Call inside the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from carenet.core.request_context import current_request_meta

from .models import GENESIS_HASH, AuditEvent


def _lock_chain(municipality_id: Any) -> None:
    # Serialise appends to one tenant's chain. SQLite already serialises writers (IMMEDIATE mode).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit:{municipality_id}"])


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous"
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
) -> AuditEvent:
    """Append one event to its municipality's chain.

    ``obj`` fills the record type, id, label and municipality; they can also be given directly.
    ``changes`` must not contain special-category values: name the fields, not their contents.
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
    with transaction.atomic():
        _lock_chain(municipality_id)
        last = (
            AuditEvent.objects.filter(municipality_id=municipality_id)
            .order_by("-id")
            .values_list("hash", flat=True)[:1]
        )
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
            actor_label=_actor_label(actor),
            municipality_id=municipality_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            object_label=object_label[:200],
            purpose=purpose[:200],
            ip=meta.ip,
            user_agent=meta.user_agent,
            changes=changes or {},
            prev_hash=last[0] if last else GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def audit_read(*, actor: Any, obj: models.Model, purpose: str = "") -> AuditEvent:
    """The one helper for logging that someone looked at a person's record (or any sensitive record)."""
    return audit_record(action=f"{obj._meta.model_name}.view", actor=actor, obj=obj, purpose=purpose)


def audit_export(*, actor: Any, municipality: Any, what: str, rows: int, purpose: str = "") -> AuditEvent:
    return audit_record(
        action="export",
        actor=actor,
        municipality=municipality,
        object_type=what,
        purpose=purpose,
        changes={"rows": rows},
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names (not values) of the fields that differ; values of personal fields stay out of the log."""
    return sorted(k for k in after if before.get(k) != after.get(k))
