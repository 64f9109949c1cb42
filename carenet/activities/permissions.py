"""Who sees and records activities, staff and agreements, registered in the one policy.

* **Activities** are seen by the staff of their organiser and partner organisations, and by the
  coordinators and auditors of the municipality (the plan is measured from them). They are recorded and
  changed by a caseworker, provider manager or data officer of the organiser, or by a coordinator; an
  auditor reads only.
* **Staff** are personal data: seen by the provider managers of their own organisation and by the
  coordinator; a caseworker sees no staff register (403), another organisation's staff member is a 404.
* **Agreements** are the network's public business: seen by every staff member of the municipality,
  recorded by a provider manager for their organisation or by a coordinator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import (
    AccessibilityEvaluation,
    Activity,
    ActivityPartner,
    Agreement,
    MediaItem,
    Recommendation,
    StaffMember,
    SubPlan,
)

# Roles that record the activities of their own organisation.
RECORDING_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER, Role.DATA_OFFICER)
# Roles that read the whole municipality's activities.
NETWORK_READERS = (Role.COORDINATOR, Role.AUDITOR)


def _reads_network(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(*NETWORK_READERS)


def _activities_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _reads_network(actor):
        return qs
    org_ids = actor.organisation_ids()
    if not org_ids:
        return qs.none()
    partner = ActivityPartner.objects.for_tenant(actor.municipality_id).filter(
        activity_id=OuterRef("pk"), organisation_id__in=org_ids
    )
    return qs.filter(Q(organiser_id__in=org_ids) | Exists(partner))


def _can_view_activity(actor: Actor, activity: Activity) -> bool:
    if _reads_network(actor) or activity.organiser_id in actor.organisation_ids():
        return True
    return (
        ActivityPartner.objects.for_tenant(activity.municipality_id)
        .filter(activity_id=activity.pk, organisation_id__in=actor.organisation_ids())
        .exists()
    )


def _can_change_activity(actor: Actor, activity: Activity) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(*RECORDING_ROLES, organisation_id=activity.organiser_id)
    )


policy.register_visibility(Activity, _activities_visible)
policy.register_rule(Activity, "view", _can_view_activity)
policy.register_rule(Activity, "change", _can_change_activity)


def _staff_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(Role.PROVIDER_MANAGER))


def _can_manage_staff_member(actor: Actor, member: StaffMember) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(Role.PROVIDER_MANAGER, organisation_id=member.organisation_id)
    )


policy.register_visibility(StaffMember, _staff_visible)
policy.register_rule(StaffMember, "view", _can_manage_staff_member)
policy.register_rule(StaffMember, "change", _can_manage_staff_member)


def _agreements_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if actor.is_platform_admin or actor.grants else qs.none()


def _can_change_agreement(actor: Actor, agreement: Agreement) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(Role.PROVIDER_MANAGER, organisation_id=agreement.organisation_id)
    )


policy.register_visibility(Agreement, _agreements_visible)
policy.register_rule(Agreement, "view", lambda actor, agreement: actor.is_platform_admin or bool(actor.grants))
policy.register_rule(Agreement, "change", _can_change_agreement)


# Media items, recommendations, accessibility evaluations and sub-plans are the network's public business like
# the agreements: seen by every staff member of the municipality, recorded by a provider manager or data officer
# of the organisation, or by a coordinator (decision 0025).
NETWORK_REGISTERS = (MediaItem, Recommendation, AccessibilityEvaluation, SubPlan)
REGISTER_RECORDERS = (Role.PROVIDER_MANAGER, Role.DATA_OFFICER)


def _can_change_network_record(actor: Actor, record: Any) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(*REGISTER_RECORDERS, organisation_id=record.organisation_id)
    )


for _model in NETWORK_REGISTERS:
    policy.register_visibility(_model, _agreements_visible)
    policy.register_rule(_model, "view", lambda actor, record: actor.is_platform_admin or bool(actor.grants))
    policy.register_rule(_model, "change", _can_change_network_record)


# --- predicates for pages with no record (``@requires``) and for services ---------------------------------


def can_list_activities(user: Any) -> bool:
    """Any staff member of a municipality (they see their own organisations' activities, or all of them)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and bool(actor.grants)


def can_record_activities(user: Any) -> bool:
    """A coordinator, or a recording role in some organisation (the auditor reads only)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_coordinator or actor.has_role(*RECORDING_ROLES))


def can_record_for_organisation(user: Any, organisation_id: Any) -> bool:
    actor = actor_of(user)
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(*RECORDING_ROLES, organisation_id=organisation_id)
    )


def recording_organisation_ids(user: Any) -> frozenset[Any] | None:
    """The organisations the user records activities for; ``None`` = any of the municipality (coordinator)."""
    actor = actor_of(user)
    if actor.is_platform_admin or actor.is_coordinator:
        return None
    return actor.organisation_ids(*RECORDING_ROLES)


def can_manage_staff(user: Any) -> bool:
    """The staff register: provider managers (their organisation's) and coordinators (all)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_coordinator or actor.has_role(Role.PROVIDER_MANAGER))


def can_manage_staff_of(user: Any, organisation_id: Any) -> bool:
    actor = actor_of(user)
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(Role.PROVIDER_MANAGER, organisation_id=organisation_id)
    )


def can_record_agreements(user: Any) -> bool:
    return can_manage_staff(user)


def can_read_registers(user: Any) -> bool:
    """The network registers (agreements, media, recommendations, evaluations, sub-plans): any staff member."""
    actor = actor_of(user)
    return actor.municipality_id is not None and bool(actor.grants)


def can_record_registers(user: Any) -> bool:
    """A coordinator, or a provider manager or data officer of some organisation (a caseworker reads only)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_coordinator or actor.has_role(*REGISTER_RECORDERS))


def can_record_register_for(user: Any, organisation_id: Any) -> bool:
    actor = actor_of(user)
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(*REGISTER_RECORDERS, organisation_id=organisation_id)
    )


def register_recording_organisation_ids(user: Any) -> frozenset[Any] | None:
    actor = actor_of(user)
    if actor.is_platform_admin or actor.is_coordinator:
        return None
    return actor.organisation_ids(*REGISTER_RECORDERS)


# --- visible sets and fetch-and-check (docs/architecture.md §3) ------------------------------------------


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    return policy.visible(user, Activity)


def staff_visible_to(user: Any) -> QuerySet[StaffMember]:
    return policy.visible(user, StaffMember)


def agreements_visible_to(user: Any) -> QuerySet[Agreement]:
    return policy.visible(user, Agreement)


def register_visible_to(user: Any, model: Any) -> QuerySet[Any]:
    """One of the network registers (``NETWORK_REGISTERS``) as the user sees it."""
    if model not in NETWORK_REGISTERS:
        raise ValueError(model)
    return policy.visible(user, model)


def register_record_for(user: Any, model: Any, record_id: Any, *, action: str = "view") -> Any:
    return fetch(user, register_visible_to(user, model).select_related("organisation"), record_id, action=action)


def activity_for(user: Any, activity_id: Any, *, action: str = "view") -> Activity:
    """An activity the user may see (404 otherwise), checked for ``action`` ("change": 403)."""
    return fetch(
        user, activities_visible_to(user).select_related("kind", "organiser", "plan_action"), activity_id, action=action
    )


def staff_member_for(user: Any, member_id: Any, *, action: str = "view") -> StaffMember:
    return fetch(user, staff_visible_to(user).select_related("organisation"), member_id, action=action)


def agreement_for(user: Any, agreement_id: Any, *, action: str = "view") -> Agreement:
    return fetch(user, agreements_visible_to(user).select_related("organisation"), agreement_id, action=action)


def can_follow_up(user: Any, record: Any) -> bool:
    """Whether ``register_record_to_change`` would hand this (visible) record to the user: a list links only
    to the records the user may follow up."""
    actor = actor_of(user)
    if not _reads_network(actor) and record.organisation_id not in actor.organisation_ids():
        return False
    return policy.can(user, "change", record)


def register_record_to_change(user: Any, model: Any, record_id: Any) -> Any:
    """A network-register record the user follows up (a recommendation's status, a sub-plan's indicators).

    The record of another organisation is a 404 here (only the organisation's own staff and the network's
    readers reach it), a lower role of the organisation (a caseworker) or an auditor a 403."""
    actor = actor_of(user)
    qs = register_visible_to(user, model).select_related("organisation")
    if not _reads_network(actor):
        qs = qs.filter(organisation_id__in=actor.organisation_ids())
    return fetch(user, qs, record_id, action="change")
