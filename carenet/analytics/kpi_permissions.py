"""Who may see which dashboard, and whose figures (checked here, never in the views)."""

from __future__ import annotations

from typing import Any

from carenet.core.policy import actor_of
from carenet.core.roles import Role

NETWORK_ROLES = (Role.COORDINATOR, Role.DATA_OFFICER, Role.AUDITOR)


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
