"""Who may see and handle what in the portal's staff pages; registered in the one policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import Consultation, ConsultationSession, HelpRequest, NewsItem, ServiceFeedback, Survey

HANDLING_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER)


# Requests for help: the organisation they are routed to, and the coordinator (who routes them).
def _help_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(routed_organisation_id__in=actor.organisation_ids(*HANDLING_ROLES))


def _can_handle_help(actor: Actor, obj: HelpRequest) -> bool:
    if actor.is_coordinator:
        return True
    return obj.routed_organisation_id is not None and any(
        actor.has_role(role, organisation_id=obj.routed_organisation_id) for role in HANDLING_ROLES
    )


policy.register_visibility(HelpRequest, _help_visible)
policy.register_rule(HelpRequest, "view", _can_handle_help)
policy.register_rule(HelpRequest, "handle", _can_handle_help)
policy.register_rule(HelpRequest, "reroute", lambda actor, obj: actor.is_coordinator)


# News: the coordinator for the municipality and any provider; a provider manager for their own.
def _news_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(Role.PROVIDER_MANAGER))


policy.register_visibility(NewsItem, _news_visible)
policy.register_rule(
    NewsItem,
    "change",
    lambda actor, obj: (
        actor.is_coordinator
        or (
            obj.organisation_id is not None
            and actor.has_role(Role.PROVIDER_MANAGER, organisation_id=obj.organisation_id)
        )
    ),
)


# Feedback: the staff of the service's organisation, and the coordinator.
def _feedback_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(*HANDLING_ROLES))


policy.register_visibility(ServiceFeedback, _feedback_visible)
policy.register_rule(
    ServiceFeedback,
    "reply",
    lambda actor, obj: actor.is_coordinator or actor.has_role(*HANDLING_ROLES, organisation_id=obj.organisation_id),
)


# Surveys, consultations and sessions: the municipal coordinator.
def _coordinator_only(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if (actor.is_platform_admin or actor.is_coordinator) else qs.none()


for _model in (Survey, Consultation, ConsultationSession):
    policy.register_visibility(_model, _coordinator_only)
    policy.register_rule(_model, "change", lambda actor, obj: actor.is_coordinator)


def help_requests_visible_to(user: Any) -> QuerySet[HelpRequest]:
    return policy.visible(user, HelpRequest)


def can_handle_help_request(user: Any, obj: HelpRequest) -> bool:
    return policy.can(user, "handle", obj)


def can_reroute_help_request(user: Any, obj: HelpRequest) -> bool:
    return policy.can(user, "reroute", obj)


def news_visible_to(user: Any) -> QuerySet[NewsItem]:
    return policy.visible(user, NewsItem)


def can_change_news(user: Any, obj: NewsItem) -> bool:
    return policy.can(user, "change", obj)


def can_publish_news(user: Any) -> bool:
    actor = actor_of(user)
    return actor.is_coordinator or actor.has_role(Role.PROVIDER_MANAGER)


def news_organisation_ids(user: Any) -> frozenset[Any] | None:
    """Organisations the user may publish for; None means any (and the municipality itself)."""
    actor = actor_of(user)
    if actor.is_coordinator:
        return None
    return actor.organisation_ids(Role.PROVIDER_MANAGER)


def feedback_visible_to(user: Any) -> QuerySet[ServiceFeedback]:
    return policy.visible(user, ServiceFeedback)


def can_reply_feedback(user: Any, obj: ServiceFeedback) -> bool:
    return policy.can(user, "reply", obj)


def can_invite_feedback(user: Any, service: Any) -> bool:
    actor = actor_of(user)
    if service.municipality_id != actor.municipality_id:
        return False
    return actor.is_coordinator or actor.has_role(*HANDLING_ROLES, organisation_id=service.organisation_id)


def is_portal_staff(user: Any) -> bool:
    actor = actor_of(user)
    return actor.is_coordinator or actor.has_role(*HANDLING_ROLES)


def is_coordinator(user: Any) -> bool:
    return actor_of(user).is_coordinator


def surveys_visible_to(user: Any) -> QuerySet[Survey]:
    return policy.visible(user, Survey)


def consultations_visible_to(user: Any) -> QuerySet[Consultation]:
    return policy.visible(user, Consultation)


def sessions_visible_to(user: Any) -> QuerySet[ConsultationSession]:
    return policy.visible(user, ConsultationSession)
