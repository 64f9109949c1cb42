"""Rules for users, memberships and organisations, registered in the one policy (carenet.core.policy)."""

from typing import Any

from django.db.models import QuerySet

from carenet.core.models import Organisation
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import Membership, User


def _org_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs  # the network's organisations are public within the tenant


def _can_change_org(actor: Actor, org: Organisation) -> bool:
    return (
        actor.is_platform_admin or actor.is_coordinator or actor.has_role(Role.PROVIDER_MANAGER, organisation_id=org.pk)
    )


def _membership_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator or actor.has_role(Role.AUDITOR):
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(Role.PROVIDER_MANAGER)) | qs.filter(
        user_id=actor.user.pk
    )


policy.register_visibility(Organisation, _org_visible)
policy.register_rule(Organisation, "view", lambda actor, org: True)
policy.register_rule(Organisation, "change", _can_change_org)
policy.register_visibility(Membership, _membership_visible)
policy.register_rule(
    Membership,
    "change",
    lambda actor, m: actor.is_coordinator or actor.has_role(Role.PROVIDER_MANAGER, organisation_id=m.organisation_id),
)


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    return policy.visible(user, Organisation)


def memberships_visible_to(user: Any) -> QuerySet[Membership]:
    return policy.visible(user, Membership)


def users_visible_to(user: Any) -> QuerySet[User]:
    actor = actor_of(user)
    if actor.is_platform_admin and actor.municipality_id is None:
        return User.objects.all()
    if actor.municipality_id is None:
        return User.objects.none()
    return User.objects.filter(municipality_id=actor.municipality_id)


def can_change_organisation(user: Any, org: Organisation) -> bool:
    return policy.can(user, "change", org)
