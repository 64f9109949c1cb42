"""Who sees the system page: the platform administrator and every municipality's coordinator (the facts are
the installation's, not a municipality's: no personal data)."""

from __future__ import annotations

from typing import Any

from carenet.core.policy import actor_of


def can_see_system(user: Any) -> bool:
    actor = actor_of(user)
    return actor.is_platform_admin or (actor.municipality_id is not None and actor.is_coordinator)
