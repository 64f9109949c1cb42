from typing import Any

from django.db.models import QuerySet

from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import Area


def _areas_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs  # outlines of neighbourhoods and zones are not personal data


policy.register_visibility(Area, _areas_visible)
policy.register_rule(Area, "view", lambda actor, area: True)
policy.register_rule(Area, "change", lambda actor, area: actor.is_coordinator or actor.has_role(Role.DATA_OFFICER))


def can_import_areas(user: Any) -> bool:
    actor = actor_of(user)
    return actor.is_platform_admin or actor.is_coordinator or actor.has_role(Role.DATA_OFFICER)


def areas_visible_to(user: Any) -> QuerySet[Area]:
    return policy.visible(user, Area)
