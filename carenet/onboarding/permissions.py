"""Who onboards a municipality: the platform administrator alone (the tenant has no coordinator yet)."""

from typing import Any

from carenet.core.policy import actor_of


def may_onboard(user: Any) -> bool:
    """``@requires`` predicate of the onboarding page."""
    return actor_of(user).is_platform_admin
