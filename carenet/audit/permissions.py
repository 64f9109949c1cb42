from typing import Any

from django.db.models import QuerySet

from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import AuditEvent


def can_browse_audit(user: Any) -> bool:
    actor = actor_of(user)
    return actor.is_platform_admin or actor.has_role(Role.AUDITOR)


def _audit_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.has_role(Role.AUDITOR):
        return qs
    return qs.none()


policy.register_visibility(AuditEvent, _audit_visible)
policy.register_rule(AuditEvent, "view", lambda actor, event: actor.is_platform_admin or actor.has_role(Role.AUDITOR))


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    return policy.visible(user, AuditEvent)
