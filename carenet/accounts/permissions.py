"""Rules for users, memberships and organisations, registered in the one policy (carenet.core.policy).

Roles are granted and revoked by the municipal coordinator, within their own municipality, and by the
platform administrator in any municipality (``accounts.services``); the rule lives here, the services
refuse with it (defence in depth) and the staff pages fetch with it (one status code per refusal).
"""

from typing import Any

from django.db.models import QuerySet

from carenet.core.access import fetch
from carenet.core.models import Organisation
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import ApiToken, Membership, User

# Roles a coordinator may grant: the platform administrator is a property of the account (superuser), not a
# membership of an organisation.
GRANTABLE_ROLES = tuple(role for role in Role if role != Role.PLATFORM_ADMIN)


def _org_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs  # the network's organisations are public within the tenant


def _can_change_org(actor: Actor, org: Organisation) -> bool:
    return (
        actor.is_platform_admin or actor.is_coordinator or actor.has_role(Role.PROVIDER_MANAGER, organisation_id=org.pk)
    )


def _manages_users(actor: Actor, _obj: Any = None) -> bool:
    """The coordinator manages the users and roles of their municipality; the platform administrator, of any.

    The policy has already refused a record of another municipality before this rule runs."""
    return actor.is_platform_admin or actor.is_coordinator


def _membership_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator or actor.has_role(Role.AUDITOR):
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(Role.PROVIDER_MANAGER)) | qs.filter(
        user_id=actor.user.pk
    )


policy.register_visibility(Organisation, _org_visible)
policy.register_rule(Organisation, "view", lambda actor, org: True)
policy.register_rule(Organisation, "change", _can_change_org)
policy.register_rule(Organisation, "grant", _manages_users)
policy.register_visibility(Membership, _membership_visible)
policy.register_rule(
    Membership,
    "change",
    lambda actor, m: actor.is_coordinator or actor.has_role(Role.PROVIDER_MANAGER, organisation_id=m.organisation_id),
)
policy.register_rule(Membership, "revoke", _manages_users)
policy.register_rule(User, "manage", _manages_users)


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


def can_manage_users(user: Any) -> bool:
    """The staff page of users and roles: the municipal coordinator (``@requires`` need)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and _manages_users(actor)


def can_create_user_in(user: Any, municipality: Any) -> bool:
    """A new account of ``municipality`` (None: a platform account) is created by that municipality's
    coordinator, or by the platform administrator."""
    actor = actor_of(user)
    if actor.is_platform_admin:
        return True
    municipality_id = getattr(municipality, "pk", municipality)
    return municipality_id is not None and municipality_id == actor.municipality_id and actor.is_coordinator


def can_grant_role(user: Any, organisation: Organisation) -> bool:
    """A role in ``organisation``: its municipality's coordinator, or the platform administrator."""
    return policy.can(user, "grant", organisation)


def can_revoke_membership(user: Any, membership: Membership) -> bool:
    return policy.can(user, "revoke", membership)


def can_manage_user(user: Any, account: User) -> bool:
    return policy.can(user, "manage", account)


# --- fetch-and-check (docs/architecture.md §3): 404 for what the user may not see, 403 for what they may not do


def organisation_for(user: Any, organisation_id: Any, *, action: str = "view") -> Organisation:
    return fetch(user, organisations_visible_to(user).select_related("parent"), organisation_id, action=action)


def user_for(user: Any, user_uuid: Any, *, action: str = "manage") -> User:
    """An account of the user's municipality, by its public ``uuid`` (404 otherwise), checked for ``action`` (403)."""
    return fetch(user, users_visible_to(user).select_related("municipality"), user_uuid, action=action, lookup="uuid")


def membership_for(user: Any, account: User, membership_id: Any, *, action: str = "revoke") -> Membership:
    """One of ``account``'s memberships (404 otherwise), checked for ``action`` (403)."""
    return fetch(
        user,
        memberships_visible_to(user).filter(user_id=account.pk).select_related("user", "organisation"),
        membership_id,
        action=action,
    )


# --- personal API tokens (decision 0012): a user sees and revokes only their own ----------------------------


def api_tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk)


def api_token_for(user: Any, token_id: Any) -> ApiToken:
    """One of the user's own tokens; another user's token is never confirmed to exist (404)."""
    return fetch(user, api_tokens_visible_to(user), token_id)
