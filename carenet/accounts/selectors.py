from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from carenet.core.models import Organisation

from .models import ApiToken, Membership, User
from .permissions import api_tokens_visible_to, memberships_visible_to, organisations_visible_to, users_visible_to
from .tokens import TOKEN_PREFIX, token_hash


def organisation_list(*, user: Any, query: str = "") -> QuerySet[Organisation]:
    qs = organisations_visible_to(user).filter(is_active=True)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query))
    return qs.annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True))).order_by("name")


def organisation_members(*, user: Any, organisation: Organisation) -> QuerySet[Membership]:
    return (
        memberships_visible_to(user)
        .filter(organisation=organisation, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def own_memberships(*, user: Any) -> QuerySet[Membership]:
    """The signed-in user's own memberships (the account page)."""
    return memberships_visible_to(user).filter(user_id=user.pk).select_related("organisation")


def user_list(*, user: Any, query: str = "") -> QuerySet[User]:
    """The accounts of the user's municipality, each with its active roles (``active_memberships``)."""
    qs = users_visible_to(user)
    query = (query or "").strip()[:100]
    if query:
        qs = qs.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    roles = (
        memberships_visible_to(user)
        .filter(is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    return qs.prefetch_related(Prefetch("memberships", queryset=roles, to_attr="active_memberships")).order_by(
        "last_name", "first_name", "username"
    )


def user_roles(*, user: Any, account: User) -> QuerySet[Membership]:
    """``account``'s active roles, as the reading user may see them."""
    return (
        memberships_visible_to(user)
        .filter(user_id=account.pk, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def grantable_organisations(*, user: Any) -> QuerySet[Organisation]:
    """The organisations of the user's municipality a role may be granted in."""
    return organisations_visible_to(user).filter(is_active=True).order_by("name")


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (the tokens page)."""
    return api_tokens_visible_to(user).order_by("-created_at")


def api_token_by_key(*, raw: str) -> ApiToken | None:
    """The live token of this key (not revoked, not expired) with its user, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
