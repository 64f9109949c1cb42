"""Who may see which dashboard, and whose figures (decided here, never in the views).

* The **network** dashboard (every provider of the municipality): coordinators, data officers, auditors.
* The **provider** dashboard: a provider manager, for their own organisations only.
* Figures from outside CareNet are entered by coordinators and data officers.

Every dashboard page is a role page with no record to fetch: a user without the role gets 403 (a user of
another municipality sees their own municipality's figures, never these), an anonymous visitor the login
page (``carenet.core.access.requires``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from carenet.core.policy import actor_of
from carenet.core.roles import Role

NETWORK_ROLES = (Role.COORDINATOR, Role.DATA_OFFICER, Role.AUDITOR)
NETWORK = "network"
PROVIDER = "provider"
SCOPES = (NETWORK, PROVIDER)


def can_view_network_dashboard(user: Any) -> bool:
    """The whole network's figures: the municipality's coordinators, data officers and auditors."""
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.has_role(*NETWORK_ROLES)


def provider_dashboard_organisations(user: Any) -> frozenset[Any]:
    """The organisations whose figures a provider manager may see: their own, nothing else."""
    actor = actor_of(user)
    if actor.municipality_id is None:
        return frozenset()
    return actor.organisation_ids(Role.PROVIDER_MANAGER)


def can_enter_outside_values(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.has_role(Role.COORDINATOR, Role.DATA_OFFICER)


def sees_a_dashboard(user: Any) -> bool:
    return can_view_network_dashboard(user) or bool(provider_dashboard_organisations(user))


def dashboard_organisations_for(user: Any, scope: str) -> frozenset[Any] | None:
    """Whose figures the user sees on the ``scope`` dashboard: None = the whole network, a set = a provider
    manager's own organisations. 403 when the user may not see that dashboard, 404 for an unknown scope."""
    if scope not in SCOPES:
        raise Http404
    if scope == NETWORK:
        if not can_view_network_dashboard(user):
            raise PermissionDenied
        return None
    organisations = provider_dashboard_organisations(user)
    if not organisations:
        raise PermissionDenied
    return organisations


def default_scope_for(user: Any) -> str:
    """The dashboard a user lands on: the network's for those who see it, else their providers' (403 if none)."""
    if can_view_network_dashboard(user):
        return NETWORK
    if provider_dashboard_organisations(user):
        return PROVIDER
    raise PermissionDenied
