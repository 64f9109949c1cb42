"""Who sees and acts on volunteering, registered in the one policy.

* **Opportunities, applications, attendances** are seen by the staff of the offering organisation and by the
  municipality's coordinators and auditors; they are changed (confirm applications and hours) by the
  organisation's caseworkers, provider managers and data officers, or by a coordinator (an auditor reads).
* **Volunteers** are personal data: the coordinator sees them all (approves sign-ups, records background
  checks); an organiser sees the volunteers who applied to its own opportunities.
* **Rewards** are offered by partner organisations: a partner's staff member sees its rewards and their
  codes (never who redeemed them); the coordinator sees the catalogue.
* Citizens reach only their own volunteer record, through the portal (``selectors.volunteer_of``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import Application, Attendance, Opportunity, Reward, Volunteer

ORGANISER_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER, Role.DATA_OFFICER)
NETWORK_READERS = (Role.COORDINATOR, Role.AUDITOR)
PARTNER_ROLES = (Role.PROVIDER_MANAGER, Role.CASEWORKER, Role.DATA_OFFICER)


def _reads_network(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(*NETWORK_READERS)


def _changes(actor: Actor, organisation_id: Any) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(*ORGANISER_ROLES, organisation_id=organisation_id)
    )


# Opportunities
policy.register_visibility(
    Opportunity,
    lambda actor, qs: qs if _reads_network(actor) else qs.filter(organisation_id__in=actor.organisation_ids()),
)
policy.register_rule(
    Opportunity, "view", lambda actor, o: _reads_network(actor) or o.organisation_id in actor.organisation_ids()
)
policy.register_rule(Opportunity, "change", lambda actor, o: _changes(actor, o.organisation_id))

# Applications (through their opportunity)
policy.register_visibility(
    Application,
    lambda actor, qs: (
        qs if _reads_network(actor) else qs.filter(opportunity__organisation_id__in=actor.organisation_ids())
    ),
)
policy.register_rule(Application, "change", lambda actor, a: _changes(actor, a.opportunity.organisation_id))

# Attendances (through their application)
policy.register_visibility(
    Attendance,
    lambda actor, qs: (
        qs
        if _reads_network(actor)
        else qs.filter(application__opportunity__organisation_id__in=actor.organisation_ids())
    ),
)
policy.register_rule(Attendance, "change", lambda actor, a: _changes(actor, a.application.opportunity.organisation_id))


# Volunteers
def _volunteers_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _reads_network(actor):
        return qs
    org_ids = actor.organisation_ids(*ORGANISER_ROLES)
    if not org_ids:
        return qs.none()
    applied = Application.objects.for_tenant(actor.municipality_id).filter(
        volunteer_id=OuterRef("pk"), opportunity__organisation_id__in=org_ids
    )
    return qs.filter(Exists(applied))


policy.register_visibility(Volunteer, _volunteers_visible)
policy.register_rule(Volunteer, "change", lambda actor, v: actor.is_platform_admin or actor.is_coordinator)

# Rewards
policy.register_visibility(
    Reward,
    lambda actor, qs: (
        qs
        if actor.is_platform_admin or actor.is_coordinator
        else qs.filter(partner_id__in=actor.organisation_ids(*PARTNER_ROLES))
    ),
)
policy.register_rule(
    Reward,
    "change",
    lambda actor, r: (
        actor.is_platform_admin or actor.is_coordinator or actor.has_role(*PARTNER_ROLES, organisation_id=r.partner_id)
    ),
)


# --- predicates for pages with no record (``@requires``) and for services ---------------------------------


def can_use_volunteering(user: Any) -> bool:
    """Staff of a municipality: the coordinator, or a staff member who may organise or partner."""
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.has_role(*NETWORK_READERS) or actor.has_role(*ORGANISER_ROLES))


def can_coordinate_volunteering(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.is_coordinator


def can_organise(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_coordinator or actor.has_role(*ORGANISER_ROLES))


def can_organise_for(user: Any, organisation_id: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and _changes(actor, organisation_id)


def can_partner_for(user: Any, organisation_id: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and (
        actor.is_coordinator or actor.has_role(*PARTNER_ROLES, organisation_id=organisation_id)
    )


def partner_organisation_ids(user: Any) -> frozenset[Any]:
    """The organisations whose reward codes the user checks (their own; a coordinator checks none of them)."""
    return actor_of(user).organisation_ids(*PARTNER_ROLES)


def organising_organisation_ids(user: Any) -> frozenset[Any] | None:
    actor = actor_of(user)
    if actor.is_platform_admin or actor.is_coordinator:
        return None
    return actor.organisation_ids(*ORGANISER_ROLES)


# --- visible sets and fetch-and-check ----------------------------------------------------------------------


def opportunities_visible_to(user: Any) -> QuerySet[Opportunity]:
    return policy.visible(user, Opportunity)


def applications_visible_to(user: Any) -> QuerySet[Application]:
    return policy.visible(user, Application)


def attendances_visible_to(user: Any) -> QuerySet[Attendance]:
    return policy.visible(user, Attendance)


def volunteers_visible_to(user: Any) -> QuerySet[Volunteer]:
    return policy.visible(user, Volunteer)


def opportunity_for(user: Any, opportunity_id: Any, *, action: str = "view") -> Opportunity:
    return fetch(user, opportunities_visible_to(user).select_related("organisation"), opportunity_id, action=action)


def application_for(user: Any, application_id: Any, *, action: str = "view") -> Application:
    qs = applications_visible_to(user).select_related("opportunity", "volunteer")
    return fetch(user, qs, application_id, action=action)


def attendance_for(user: Any, attendance_id: Any, *, action: str = "view") -> Attendance:
    qs = attendances_visible_to(user).select_related("application__opportunity", "application__volunteer")
    return fetch(user, qs, attendance_id, action=action)


def volunteer_for(user: Any, volunteer_id: Any, *, action: str = "view") -> Volunteer:
    return fetch(user, volunteers_visible_to(user), volunteer_id, action=action)
