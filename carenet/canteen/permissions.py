"""Who sees and does what in the canteen, registered in the one policy.

* The **office** (the organisation handling applications, DAS) sees its applications, the household's
  incomes, the eligibility and the decisions; its caseworkers record applications, its provider managers
  (and the coordinator) decide, generate and send the monthly lists and issue or revoke cards.
* The **canteen unit** (the organisation that serves) sees the lists sent to it, the cards of its unit and
  what it serves — names, card numbers, meals, periods, home delivery, the contribution — never the
  application, the incomes or the inquiry (a 404: it is not told they exist).
* The coordinator sees and does everything of the municipality; the auditor reads.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import (
    AidAllocation,
    AidSeason,
    Application,
    CanteenUnit,
    Decision,
    DeliveryRound,
    ListStatus,
    MealCard,
    NominalList,
    RoundStop,
)

RECORDING_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER, Role.DATA_OFFICER)
DECIDING_ROLES = (Role.PROVIDER_MANAGER,)
STAFF_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER, Role.DATA_OFFICER)


def _network(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(Role.COORDINATOR, Role.AUDITOR)


def _runs(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.is_coordinator


# --- applications and decisions: the office ---------------------------------------------------------------


def _applications_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _network(actor):
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(*STAFF_ROLES))


def _can_view_application(actor: Actor, application: Application) -> bool:
    return _network(actor) or application.organisation_id in actor.organisation_ids(*STAFF_ROLES)


def _can_change_application(actor: Actor, application: Application) -> bool:
    return _runs(actor) or actor.has_role(*RECORDING_ROLES, organisation_id=application.organisation_id)


def _can_decide_application(actor: Actor, application: Application) -> bool:
    return _runs(actor) or actor.has_role(*DECIDING_ROLES, organisation_id=application.organisation_id)


policy.register_visibility(Application, _applications_visible)
policy.register_rule(Application, "view", _can_view_application)
policy.register_rule(Application, "change", _can_change_application)
policy.register_rule(Application, "decide", _can_decide_application)


def _decisions_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _network(actor):
        return qs
    return qs.filter(application__organisation_id__in=actor.organisation_ids(*STAFF_ROLES))


policy.register_visibility(Decision, _decisions_visible)
policy.register_rule(
    Decision, "view", lambda a, d: _network(a) or d.application.organisation_id in a.organisation_ids(*STAFF_ROLES)
)
# A periodic re-verification of the file: the office's staff who record applications (ending the decision
# on it is a decision: "decide").
policy.register_rule(
    Decision,
    "reverify",
    lambda a, d: _runs(a) or a.has_role(*RECORDING_ROLES, organisation_id=d.application.organisation_id),
)
policy.register_rule(
    Decision,
    "decide",
    lambda a, d: _runs(a) or a.has_role(*DECIDING_ROLES, organisation_id=d.application.organisation_id),
)


# --- units, lists, cards: the office and the unit ---------------------------------------------------------


def _units_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _network(actor):
        return qs
    orgs = actor.organisation_ids(*STAFF_ROLES)
    return qs.filter(Q(organisation_id__in=orgs) | Q(office_id__in=orgs))


def _sees_unit(actor: Actor, unit: CanteenUnit) -> bool:
    orgs = actor.organisation_ids(*STAFF_ROLES)
    return _network(actor) or unit.organisation_id in orgs or unit.office_id in orgs


def _manages_unit(actor: Actor, unit: CanteenUnit) -> bool:
    """Generates and sends the unit's lists, issues and revokes its cards: the office's manager, the coordinator."""
    return _runs(actor) or (
        unit.office_id is not None and actor.has_role(*DECIDING_ROLES, organisation_id=unit.office_id)
    )


def _serves_unit(actor: Actor, unit: CanteenUnit) -> bool:
    """Records meals at the unit's counter: its own staff, the office's staff, the coordinator."""
    orgs = actor.organisation_ids(*STAFF_ROLES)
    return _runs(actor) or unit.organisation_id in orgs or unit.office_id in orgs


policy.register_visibility(CanteenUnit, _units_visible)
policy.register_rule(CanteenUnit, "view", _sees_unit)
policy.register_rule(CanteenUnit, "manage", _manages_unit)
policy.register_rule(CanteenUnit, "serve", _serves_unit)


def _plans_rounds(actor: Actor, unit: CanteenUnit) -> bool:
    """Sets up the unit's home-delivery rounds (who, in which order, which driver): the unit's manager, the
    office's manager, the coordinator."""
    if _runs(actor):
        return True
    orgs = [unit.organisation_id] + ([unit.office_id] if unit.office_id else [])
    return any(actor.has_role(*DECIDING_ROLES, organisation_id=org) for org in orgs)


policy.register_rule(CanteenUnit, "plan_rounds", _plans_rounds)


def _rounds_visible(actor: Actor, qs: QuerySet, prefix: str = "") -> QuerySet:
    if _network(actor):
        return qs
    orgs = actor.organisation_ids(*STAFF_ROLES)
    return qs.filter(Q(**{f"{prefix}unit__organisation_id__in": orgs}) | Q(**{f"{prefix}unit__office_id__in": orgs}))


# A round is the unit's: seen by who sees the unit, driven by who serves it (a substitute driver too),
# planned by who plans the unit's rounds.
policy.register_visibility(DeliveryRound, _rounds_visible)
policy.register_rule(DeliveryRound, "view", lambda a, r: _sees_unit(a, r.unit))
policy.register_rule(DeliveryRound, "deliver", lambda a, r: _serves_unit(a, r.unit))
policy.register_rule(DeliveryRound, "plan", lambda a, r: _plans_rounds(a, r.unit))
policy.register_visibility(RoundStop, lambda a, qs: _rounds_visible(a, qs, prefix="delivery_round__"))
policy.register_rule(RoundStop, "plan", lambda a, stop: _plans_rounds(a, stop.delivery_round.unit))


def _lists_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _network(actor):
        return qs
    orgs = actor.organisation_ids(*STAFF_ROLES)
    sent = Q(status__in=(ListStatus.SENT, ListStatus.SUPERSEDED))
    return qs.filter(Q(unit__office_id__in=orgs) | (Q(unit__organisation_id__in=orgs) & sent))


def _can_view_list(actor: Actor, nominal_list: NominalList) -> bool:
    unit = nominal_list.unit
    orgs = actor.organisation_ids(*STAFF_ROLES)
    if _network(actor) or unit.office_id in orgs:
        return True
    return unit.organisation_id in orgs and nominal_list.status != ListStatus.DRAFT


policy.register_visibility(NominalList, _lists_visible)
policy.register_rule(NominalList, "view", _can_view_list)
policy.register_rule(NominalList, "manage", lambda a, nl: _manages_unit(a, nl.unit))


def _cards_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _network(actor):
        return qs
    orgs = actor.organisation_ids(*STAFF_ROLES)
    return qs.filter(Q(unit__organisation_id__in=orgs) | Q(unit__office_id__in=orgs))


policy.register_visibility(MealCard, _cards_visible)
policy.register_rule(MealCard, "view", lambda a, card: _sees_unit(a, card.unit))
policy.register_rule(MealCard, "manage", lambda a, card: _manages_unit(a, card.unit))


# --- aid in kind: the coordinator's (the auditor reads) --------------------------------------------------


def _aid_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _network(actor) else qs.none()


policy.register_visibility(AidSeason, _aid_visible)
policy.register_rule(AidSeason, "view", lambda a, season: _network(a))
policy.register_rule(AidSeason, "manage", lambda a, season: _runs(a))
policy.register_visibility(AidAllocation, _aid_visible)
policy.register_rule(AidAllocation, "view", lambda a, allocation: _network(a))
policy.register_rule(AidAllocation, "manage", lambda a, allocation: _runs(a))


def can_read_aid(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.has_role(Role.COORDINATOR, Role.AUDITOR)


def can_manage_aid(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.is_coordinator


def season_for(user: Any, season_id: Any, *, action: str = "view") -> AidSeason:
    return fetch(user, policy.visible(user, AidSeason), season_id, action=action)


def allocation_for(user: Any, allocation_id: Any, *, action: str = "view") -> AidAllocation:
    return fetch(
        user, policy.visible(user, AidAllocation).select_related("season", "person"), allocation_id, action=action
    )


# --- predicates for pages with no record ------------------------------------------------------------------


def can_open_canteen(user: Any) -> bool:
    """Any staff member of a municipality (each sees the part that is theirs)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and bool(actor.grants)


def can_record_applications(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_coordinator or actor.has_role(*RECORDING_ROLES))


def recording_organisation_ids(user: Any) -> frozenset[Any] | None:
    """The organisations the user records applications for; None = any (coordinator)."""
    actor = actor_of(user)
    if _runs(actor):
        return None
    return actor.organisation_ids(*RECORDING_ROLES)


def can_change_rules(user: Any) -> bool:
    """A new version of the canteen's rules (a change of the law or of a council decision): the coordinator."""
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.is_coordinator


def can_read_reports(user: Any) -> bool:
    """The statement and reports: the coordinator, the auditor and the staff of an office or a unit."""
    return can_open_canteen(user)


# --- visible sets and fetch-and-check ---------------------------------------------------------------------


def applications_visible_to(user: Any) -> QuerySet[Application]:
    return policy.visible(user, Application)


def decisions_visible_to(user: Any) -> QuerySet[Decision]:
    return policy.visible(user, Decision)


def units_visible_to(user: Any) -> QuerySet[CanteenUnit]:
    return policy.visible(user, CanteenUnit)


def lists_visible_to(user: Any) -> QuerySet[NominalList]:
    return policy.visible(user, NominalList)


def cards_visible_to(user: Any) -> QuerySet[MealCard]:
    return policy.visible(user, MealCard)


def application_for(user: Any, application_id: Any, *, action: str = "view") -> Application:
    return fetch(
        user,
        applications_visible_to(user).select_related("person", "organisation", "unit", "case"),
        application_id,
        action=action,
    )


def decision_for(user: Any, decision_id: Any, *, action: str = "view") -> Decision:
    return fetch(
        user,
        decisions_visible_to(user).select_related("application", "application__organisation", "person", "unit"),
        decision_id,
        action=action,
    )


def decision_for_payment(user: Any, decision_id: Any) -> Decision:
    """An approved decision whose contribution the user may take at its unit: the unit's staff (who serve the
    meals and see the contribution on the list, never the incomes), the office's staff, the coordinator. 404
    for a decision of a unit the user does not see; 403 for one they see but may not take payments of."""
    municipality = actor_of(user).municipality_id
    if municipality is None:  # the platform administrator takes no payments
        raise Http404
    decision = fetch(
        user,
        Decision.objects.for_tenant(municipality)
        .filter(outcome="approved", unit__in=units_visible_to(user))
        .select_related("person", "unit"),
        decision_id,
    )
    if decision.unit is None or not policy.can(user, "serve", decision.unit):
        raise PermissionDenied
    return decision


def unit_for(user: Any, unit_id: Any, *, action: str = "view") -> CanteenUnit:
    return fetch(user, units_visible_to(user).select_related("organisation", "office"), unit_id, action=action)


def list_for(user: Any, list_id: Any, *, action: str = "view") -> NominalList:
    return fetch(user, lists_visible_to(user).select_related("unit"), list_id, action=action)


def card_for(user: Any, card_id: Any, *, action: str = "view") -> MealCard:
    return fetch(user, cards_visible_to(user).select_related("unit", "person", "decision"), card_id, action=action)


def round_for(user: Any, round_id: Any, *, action: str = "view") -> DeliveryRound:
    return fetch(
        user,
        policy.visible(user, DeliveryRound).select_related("unit", "unit__organisation", "driver"),
        round_id,
        action=action,
    )


def stop_for(user: Any, stop_id: Any, *, action: str = "plan") -> RoundStop:
    return fetch(
        user,
        policy.visible(user, RoundStop).select_related("delivery_round", "delivery_round__unit"),
        stop_id,
        action=action,
    )
