"""The audit log's share of a subject-access export: who read or changed the person's record (alone, or in
a list or an export that named them), when and why.

The staff's own network details (address, browser) and the chain's hashes are not the person's data.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from carenet.core.subject_data import SubjectTable, register

from .actions import action_label, object_type_label


def _events_about(person: Any) -> Any:
    from .models import AuditEvent

    return (
        AuditEvent.objects.for_tenant(person.municipality_id)
        .filter(
            Q(object_type="people.person", object_id=str(person.pk))
            # Lists and exports name the persons they showed (``subject_ids``), one event per request.
            | Q(changes__subject_ids__icontains=str(person.pk))
        )
        .order_by("created_at", "seq")
    )


@dataclass(frozen=True)
class _AuditTable(SubjectTable):
    """The action and record type as the person reads them, with the code kept (as for a choice field)."""

    def serialise(self, obj: Any) -> dict[str, Any]:
        data = super().serialise(obj)
        if "action" in data:
            data["action"] = {"code": obj.action, "label": action_label(obj.action)}
        if data.get("object_type"):
            data["object_type"] = {"code": obj.object_type, "label": object_type_label(obj.object_type)}
        return data


register(
    _AuditTable(
        "audit.auditevent",
        rows=_events_about,
        exclude=frozenset({"ip", "user_agent", "prev_hash", "hash", "chain", "seq", "actor"}),
        order=90,
    )
)
