"""Who sees and acts on housing and residential places, registered in the one policy (decision 0020).

* **Housing** (stock, applications, grids, lists, offers, contracts, monitoring): the staff of the
  municipality's *housing office* (the organisation named by the housing rule in force) record and read it —
  they are the housing officers; the coordinator reads it, edits the points grid and approves the yearly list;
  the auditor reads. Nobody else sees an application (another provider: 404). A housing officer sees the
  applicant's file, never a case file: cases keep their own rules.
* **Residential places**: the staff of the organisation that runs a residence see its beds, stays and waiting
  list and record check-ins and check-outs; the coordinator and the auditor read every residence (the
  coordinator also declares cold nights). Another centre's residents are a 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from carenet.core.access import fetch
from carenet.core.models import Organisation
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import (
    Appeal,
    Application,
    Building,
    Contract,
    Dwelling,
    HousingRule,
    Offer,
    PointsGrid,
    RankedList,
    Residence,
    Stay,
)

RECORDING_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER, Role.DATA_OFFICER)
NETWORK_READERS = (Role.COORDINATOR, Role.AUDITOR)


def office_ids(municipality_id: Any, on: datetime.date | None = None) -> frozenset[Any]:
    """The housing offices of the municipality on ``on`` (today): the organisations of the rules in force."""
    if municipality_id is None:
        return frozenset()
    on = on or datetime.date.today()
    rows = (
        HousingRule.objects.for_tenant(municipality_id)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("office_id", flat=True)
    )
    return frozenset(rows)


def _is_officer(actor: Actor) -> bool:
    offices = office_ids(actor.municipality_id)
    return any(g.role in RECORDING_ROLES and g.organisation_id in offices for g in actor.grants)


def _reads_housing(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(*NETWORK_READERS) or _is_officer(actor)


def _records_housing(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.is_coordinator or _is_officer(actor)


def _housing_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _reads_housing(actor) else qs.none()


for _model in (Application, Appeal, Building, Dwelling, PointsGrid, RankedList, Offer, Contract):
    policy.register_visibility(_model, _housing_visible)
    policy.register_rule(_model, "view", lambda actor, obj: _reads_housing(actor))
    policy.register_rule(_model, "change", lambda actor, obj: _records_housing(actor))
# The council's grid and the yearly list: the coordinator edits and approves; an officer drafts the list.
policy.register_rule(PointsGrid, "change", lambda actor, obj: actor.is_platform_admin or actor.is_coordinator)
policy.register_rule(RankedList, "approve", lambda actor, obj: actor.is_platform_admin or actor.is_coordinator)


def _residences_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.has_role(*NETWORK_READERS):
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids())


def _can_view_residence(actor: Actor, residence: Residence) -> bool:
    return (
        actor.is_platform_admin
        or actor.has_role(*NETWORK_READERS)
        or residence.organisation_id in actor.organisation_ids()
    )


def _can_change_residence(actor: Actor, residence: Residence) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(*RECORDING_ROLES, organisation_id=residence.organisation_id)
    )


policy.register_visibility(Residence, _residences_visible)
policy.register_rule(Residence, "view", _can_view_residence)
policy.register_rule(Residence, "change", _can_change_residence)


def _stays_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.has_role(*NETWORK_READERS):
        return qs
    return qs.filter(residence__organisation_id__in=actor.organisation_ids())


policy.register_visibility(Stay, _stays_visible)
policy.register_rule(Stay, "view", lambda actor, stay: _can_view_residence(actor, stay.residence))
policy.register_rule(Stay, "change", lambda actor, stay: _can_change_residence(actor, stay.residence))


# --- predicates for pages with no record (``@requires``) and for services ----------------------------------


def can_open_housing(user: Any) -> bool:
    """The housing home: housing readers, or the staff of a residence."""
    actor = actor_of(user)
    if actor.municipality_id is None:
        return False
    if actor.is_platform_admin or actor.has_role(*NETWORK_READERS):
        return True
    if not actor.grants:
        return False
    # Every page's navigation asks this: one query, whether one of the user's organisations is the housing
    # office in force or runs a residence.
    today = datetime.date.today()
    m = actor.municipality_id
    offices = (
        HousingRule.objects.for_tenant(m)
        .filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    )
    return (
        Organisation.objects.for_tenant(m)
        .filter(pk__in=actor.organisation_ids())
        .filter(
            (Q(pk__in=actor.organisation_ids(*RECORDING_ROLES)) & Q(pk__in=offices.values("office_id")))
            | Q(pk__in=Residence.objects.for_tenant(m).values("organisation_id"))
        )
        .exists()
    )


def can_see_outreach(user: Any) -> bool:
    """The cold-night outreach list: any staff member of a municipality (each sees the cases they may see)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and bool(actor.grants)


def can_read_housing(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and _reads_housing(actor)


def can_record_housing(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and _records_housing(actor)


def can_edit_grid(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.is_coordinator


def can_approve_list(user: Any) -> bool:
    return can_edit_grid(user)


def can_declare_cold_night(user: Any) -> bool:
    return can_edit_grid(user)


def can_read_residences(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and (
        actor.has_role(*NETWORK_READERS) or residences_visible_to(user).exists()
    )


# --- visible sets and fetch-and-check ------------------------------------------------------------------------


def applications_visible_to(user: Any) -> QuerySet[Application]:
    return policy.visible(user, Application)


def dwellings_visible_to(user: Any) -> QuerySet[Dwelling]:
    return policy.visible(user, Dwelling)


def grids_visible_to(user: Any) -> QuerySet[PointsGrid]:
    return policy.visible(user, PointsGrid)


def lists_visible_to(user: Any) -> QuerySet[RankedList]:
    return policy.visible(user, RankedList)


def offers_visible_to(user: Any) -> QuerySet[Offer]:
    return policy.visible(user, Offer)


def contracts_visible_to(user: Any) -> QuerySet[Contract]:
    return policy.visible(user, Contract)


def residences_visible_to(user: Any) -> QuerySet[Residence]:
    return policy.visible(user, Residence)


def stays_visible_to(user: Any) -> QuerySet[Stay]:
    return policy.visible(user, Stay)


def application_for(user: Any, application_id: Any, *, action: str = "view") -> Application:
    return fetch(user, applications_visible_to(user).select_related("grid"), application_id, action=action)


def dwelling_for(user: Any, dwelling_id: Any, *, action: str = "view") -> Dwelling:
    return fetch(user, dwellings_visible_to(user).select_related("building"), dwelling_id, action=action)


def grid_for(user: Any, grid_id: Any, *, action: str = "view") -> PointsGrid:
    return fetch(user, grids_visible_to(user), grid_id, action=action)


def ranked_list_for(user: Any, list_id: Any, *, action: str = "view") -> RankedList:
    return fetch(user, lists_visible_to(user).select_related("grid"), list_id, action=action)


def offer_for(user: Any, offer_id: Any, *, action: str = "view") -> Offer:
    return fetch(user, offers_visible_to(user).select_related("dwelling", "application"), offer_id, action=action)


def contract_for(user: Any, contract_id: Any, *, action: str = "view") -> Contract:
    return fetch(user, contracts_visible_to(user).select_related("dwelling"), contract_id, action=action)


def appeal_for(user: Any, appeal_id: Any, *, action: str = "view") -> Appeal:
    return fetch(user, policy.visible(user, Appeal).select_related("application"), appeal_id, action=action)


def residence_for(user: Any, residence_id: Any, *, action: str = "view") -> Residence:
    return fetch(user, residences_visible_to(user), residence_id, action=action)


def stay_for(user: Any, stay_id: Any, *, action: str = "view") -> Stay:
    return fetch(user, stays_visible_to(user).select_related("residence", "bed"), stay_id, action=action)
