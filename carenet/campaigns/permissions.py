"""Who sees and does what in the heat and cold campaigns, registered in the one policy.

* The **coordinator** keeps the register, the rules, the heat layers, the centres, and declares campaigns;
  they see every call list. An **auditor** reads campaigns and lists and records nothing.
* A **worker or volunteer** (caseworker, provider manager, campaign volunteer) sees only the call lists
  assigned to them — each person's name, address and phone, and the check-in form — and nothing of the
  person's case file. Another worker's list is a 404; a campaign's dashboard, for them, is a 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import CallList, Campaign, Centre, HeatLayer, RegisterEntry

CALLER_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER, Role.CAMPAIGN_VOLUNTEER)
NETWORK_READERS = (Role.COORDINATOR, Role.AUDITOR)


def _reads_network(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(*NETWORK_READERS)


def _manages(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.is_coordinator


# --- campaigns -------------------------------------------------------------------------------------------


def _campaigns_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _reads_network(actor):
        return qs
    if actor.user is None:
        return qs.none()
    mine = CallList.objects.for_tenant(actor.municipality_id).filter(campaign_id=OuterRef("pk"), assignee=actor.user)
    return qs.filter(Exists(mine))


policy.register_visibility(Campaign, _campaigns_visible)
policy.register_rule(Campaign, "view", lambda actor, campaign: True)
policy.register_rule(Campaign, "dashboard", lambda actor, campaign: _reads_network(actor))
policy.register_rule(Campaign, "change", lambda actor, campaign: _manages(actor))


# --- call lists ------------------------------------------------------------------------------------------


def _lists_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _reads_network(actor):
        return qs
    if actor.user is None:
        return qs.none()
    return qs.filter(assignee=actor.user)


def _can_record_on(actor: Actor, call_list: CallList) -> bool:
    if _manages(actor):
        return True
    return actor.user is not None and call_list.assignee_id == actor.user.pk and actor.has_role(*CALLER_ROLES)


policy.register_visibility(CallList, _lists_visible)
policy.register_rule(CallList, "view", lambda actor, call_list: True)
policy.register_rule(CallList, "record", _can_record_on)


# --- register, heat layers, centres: the coordinator's (the auditor reads) ----------------------------------


def _network_only(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _reads_network(actor) else qs.none()


for _model in (RegisterEntry, HeatLayer, Centre):
    policy.register_visibility(_model, _network_only)
    policy.register_rule(_model, "view", lambda actor, obj: _reads_network(actor))
    policy.register_rule(_model, "change", lambda actor, obj: _manages(actor))


# --- predicates for pages with no record (``@requires``) -------------------------------------------------


def can_open_campaigns(user: Any) -> bool:
    """Staff of a municipality who call (their lists) or read or run campaigns."""
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.has_role(*NETWORK_READERS) or actor.has_role(*CALLER_ROLES))


def can_read_campaigns(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.has_role(*NETWORK_READERS)


def can_manage_campaigns(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.is_coordinator


# --- visible sets and fetch-and-check --------------------------------------------------------------------


def can_record_on(user: Any, call_list: CallList) -> bool:
    return policy.can(user, "record", call_list)


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    return policy.visible(user, Campaign)


def call_lists_visible_to(user: Any) -> QuerySet[CallList]:
    return policy.visible(user, CallList)


def register_visible_to(user: Any) -> QuerySet[RegisterEntry]:
    return policy.visible(user, RegisterEntry)


def heat_layers_visible_to(user: Any) -> QuerySet[HeatLayer]:
    return policy.visible(user, HeatLayer)


def centres_visible_to(user: Any) -> QuerySet[Centre]:
    return policy.visible(user, Centre)


def campaign_for(user: Any, campaign_id: Any, *, action: str = "view") -> Campaign:
    """A campaign the user may see (404 otherwise); its dashboard ("dashboard") is the network readers' (403)."""
    return fetch(user, campaigns_visible_to(user), campaign_id, action=action)


def call_list_for(user: Any, list_id: Any, *, action: str = "view") -> CallList:
    """A call list assigned to the user (or any, for the coordinator and auditor): 404 otherwise."""
    return fetch(user, call_lists_visible_to(user).select_related("campaign"), list_id, action=action)


def register_entry_for(user: Any, entry_id: Any, *, action: str = "view") -> RegisterEntry:
    return fetch(user, register_visible_to(user).select_related("person"), entry_id, action=action)


def heat_layer_for(user: Any, layer_id: Any, *, action: str = "view") -> HeatLayer:
    return fetch(user, heat_layers_visible_to(user), layer_id, action=action)


def centre_for(user: Any, centre_id: Any, *, action: str = "view") -> Centre:
    return fetch(user, centres_visible_to(user), centre_id, action=action)


def can_retry_messages_job(user: Any, job: Any) -> bool:
    """A failed SMS and voice job is started again by a coordinator of its municipality."""
    actor = actor_of(user)
    return can_manage_campaigns(user) and actor.municipality_id == job.municipality_id
