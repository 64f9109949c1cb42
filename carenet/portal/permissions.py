"""Who may see and handle what in the portal's staff pages; registered in the one policy.

Views reach records only through the fetch-and-check helpers at the end of this module
(``help_request_for(user, request_id, action="handle")`` …): a record the user may not see is a 404, one
they see but may not act on is a 403 (docs/architecture.md §3). Pages with no record use
``@requires(*PORTAL_STAFF_ROLES)`` and friends from ``carenet.core.access``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import (
    Consultation,
    ConsultationComment,
    ConsultationSession,
    HelpRequest,
    Idea,
    NewsItem,
    RoutingRule,
    ServiceFeedback,
    Survey,
)

HANDLING_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER)
# Who opens the staff pages of the portal: requests for help and feedback.
PORTAL_STAFF_ROLES = (Role.COORDINATOR, *HANDLING_ROLES)
# Who publishes announcements: the coordinator for the municipality, a provider manager for their provider.
NEWS_ROLES = (Role.COORDINATOR, Role.PROVIDER_MANAGER)


def _handled_organisations(actor: Actor) -> frozenset[Any] | None:
    """The providers whose requests for help and feedback the actor handles; None: the whole municipality."""
    if actor.is_platform_admin or actor.is_coordinator:
        return None
    return actor.organisation_ids(*HANDLING_ROLES)


def handled_organisation_ids(user: Any) -> frozenset[Any] | None:
    """The scope of the user's portal figures (response time, satisfaction): the same as what they see."""
    return _handled_organisations(actor_of(user))


# Requests for help: the organisation they are routed to, and the coordinator (who routes them).
def _help_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    organisation_ids = _handled_organisations(actor)
    return qs if organisation_ids is None else qs.filter(routed_organisation_id__in=organisation_ids)


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
    organisation_ids = _handled_organisations(actor)
    return qs if organisation_ids is None else qs.filter(organisation_id__in=organisation_ids)


policy.register_visibility(ServiceFeedback, _feedback_visible)
policy.register_rule(
    ServiceFeedback,
    "reply",
    lambda actor, obj: actor.is_coordinator or actor.has_role(*HANDLING_ROLES, organisation_id=obj.organisation_id),
)


# Surveys, consultations, sessions and the routing table: the municipal coordinator.
def _coordinator_only(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if (actor.is_platform_admin or actor.is_coordinator) else qs.none()


for _model in (Survey, Consultation, ConsultationSession, RoutingRule):
    policy.register_visibility(_model, _coordinator_only)
    policy.register_rule(_model, "change", lambda actor, obj: actor.is_coordinator)


def help_requests_visible_to(user: Any) -> QuerySet[HelpRequest]:
    return policy.visible(user, HelpRequest)


def can_handle_help_request(user: Any, obj: HelpRequest) -> bool:
    return policy.can(user, "handle", obj)


def can_reroute_help_request(user: Any, obj: HelpRequest) -> bool:
    return policy.can(user, "reroute", obj)


def routing_rules_visible_to(user: Any) -> QuerySet[RoutingRule]:
    return policy.visible(user, RoutingRule)


def news_visible_to(user: Any) -> QuerySet[NewsItem]:
    return policy.visible(user, NewsItem)


def can_change_news(user: Any, obj: NewsItem) -> bool:
    return policy.can(user, "change", obj)


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


# ---------------------------------------------------------------------------------------------------
# Fetch-and-check: the record, or the one refusal (404 not visible, 403 visible but not allowed).


def help_request_for(user: Any, request_id: Any, *, action: str = "view") -> HelpRequest:
    """``action``: "view", "handle" (first contact, status) or "reroute" (the coordinator)."""
    source = (
        help_requests_visible_to(user)
        .select_related("routed_organisation", "area", "directed_service", "first_contact_by")
        .prefetch_related("status_changes")
    )
    return fetch(user, source, request_id, action=action)


def routing_rule_for(user: Any, rule_id: Any, *, action: str = "change") -> RoutingRule:
    return fetch(user, routing_rules_visible_to(user), rule_id, action=action)


def news_item_for(user: Any, item_id: Any, *, action: str = "change") -> NewsItem:
    return fetch(user, news_visible_to(user), item_id, action=action)


def feedback_for(user: Any, feedback_id: Any, *, action: str = "view") -> ServiceFeedback:
    """``action``: "view" or "reply"."""
    return fetch(user, feedback_visible_to(user).select_related("service", "organisation"), feedback_id, action=action)


def survey_for(user: Any, survey_id: Any, *, action: str = "view") -> Survey:
    """``action``: "view" (results, export) or "change" (questions, status, personal links)."""
    return fetch(user, surveys_visible_to(user).prefetch_related("questions"), survey_id, action=action)


def consultation_for(user: Any, consultation_id: Any, *, action: str = "view") -> Consultation:
    """``action``: "view" or "change" (documents, answer, closing, sessions, moderation)."""
    source = consultations_visible_to(user).prefetch_related("documents", "comments", "ideas", "sessions")
    return fetch(user, source, consultation_id, action=action)


def contribution_for(user: Any, consultation_id: Any, contribution_id: Any, *, kind: str) -> ConsultationComment | Idea:
    """A comment or an idea of a consultation the user may moderate (``kind``: "comment" or "idea")."""
    consultation = fetch(user, consultations_visible_to(user), consultation_id, action="change")
    if kind == "comment":
        return fetch(user, consultation.comments.all(), contribution_id)
    return fetch(user, consultation.ideas.all(), contribution_id)
