from typing import Any

from django.db.models import QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import Area


def _areas_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs  # outlines of neighbourhoods and zones are not personal data


policy.register_visibility(Area, _areas_visible)
policy.register_rule(Area, "view", lambda actor, area: True)
policy.register_rule(Area, "change", lambda actor, area: actor.is_coordinator or actor.has_role(Role.DATA_OFFICER))


def can_import_areas(user: Any, municipality: Any = None) -> bool:
    """Coordinators and data officers import their municipality's areas (``municipality``: into that one)."""
    actor = actor_of(user)
    if actor.is_platform_admin:
        return True
    if municipality is not None and getattr(municipality, "pk", municipality) != actor.municipality_id:
        return False
    return actor.is_coordinator or actor.has_role(Role.DATA_OFFICER)


def areas_visible_to(user: Any) -> QuerySet[Area]:
    return policy.visible(user, Area)


def area_for(user: Any, area_id: Any, *, action: str = "view") -> Area:
    """An area of the user's municipality (404 otherwise), checked for ``action`` (403)."""
    return fetch(user, areas_visible_to(user), area_id, action=action)
