import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent
from .permissions import audit_events_visible_to


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def audit_event_list(*, user: Any, filters: AuditFilters) -> QuerySet[AuditEvent]:
    qs = audit_events_visible_to(user)
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    return qs.select_related("actor").order_by("-id")


def audit_trail_of(*, user: Any, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Every event about one record, oldest first (shown on record pages to those who may see the log)."""
    return audit_events_visible_to(user).filter(object_type=object_type, object_id=object_id).order_by("id")
