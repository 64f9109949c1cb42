"""Every write to users and roles: checked, audited in the same transaction, in one municipality.

Roles are granted only here — from the coordinator's staff page, from the platform administration (whose
save calls these services) and from the demo loader. ``actor`` is the acting user; ``actor=None`` is the
platform itself (the demo loader, a management command run by an operator), which no rule refuses but the
same-municipality rule still binds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record, changed_fields
from carenet.core.models import Municipality, Organisation
from carenet.core.roles import Role
from carenet.core.validators import refuse_bidi_controls

from .models import ApiScope, ApiToken, Membership, User
from .permissions import (
    GRANTABLE_ROLES,
    can_create_user_in,
    can_grant_role,
    can_manage_user,
    can_revoke_membership,
)
from .tokens import new_token, token_hash

# Fields of an account that ``user_update`` may change; the second line only the platform administrator.
USER_FIELDS = ("username", "first_name", "last_name", "email", "preferred_language", "is_active", "is_demo")
PLATFORM_USER_FIELDS = ("municipality", "is_staff", "is_superuser", "last_login", "date_joined")


def _is_platform(actor: Any) -> bool:
    return actor is None or bool(getattr(actor, "is_superuser", False))


def user_create(
    *,
    actor: Any,
    username: str,
    email: str,
    municipality: Municipality | None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "",
    is_demo: bool = False,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """A new account. Without a password it has none usable: its owner sets one through "Forgot your password"."""
    if actor is not None and not can_create_user_in(actor, municipality):
        raise PermissionDenied
    if (is_staff or is_superuser) and not _is_platform(actor):
        raise PermissionDenied
    username = (username or "").strip()
    refuse_bidi_controls({"username": username, "first_name": first_name or "", "last_name": last_name or ""})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        email=(email or "").strip(),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        municipality=municipality,
        preferred_language=preferred_language,
        is_demo=is_demo,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        audit_record(
            action="user.create",
            actor=actor,
            obj=user,
            municipality=municipality,
            changes={"username": user.username, "platform_admin": is_superuser},
        )
    return user


def user_update(*, actor: Any, user: User, **fields: Any) -> User:
    """Change an account (the platform administration's user form). The audit names the fields, not values.

    An account's municipality changes only while it holds no active role: its memberships are of one
    municipality, the account's own.
    """
    unknown = set(fields) - set(USER_FIELDS) - set(PLATFORM_USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    if actor is not None and not can_manage_user(actor, user):
        raise PermissionDenied
    if set(fields) & set(PLATFORM_USER_FIELDS) and not _is_platform(actor):
        raise PermissionDenied
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        before = {k: getattr(stored, k) for k in fields}
        for key, value in fields.items():
            setattr(user, key, value)
        after = {k: getattr(user, k) for k in fields}
        if "municipality" in fields:
            validate_account_municipality(user=stored, municipality=fields["municipality"])
        user.full_clean(exclude=["password"])
        changes = changed_fields(before, after)
        user.save()
        if changes:
            audit_record(action="user.update", actor=actor, obj=user, changes={"fields": changes})
    return user


def validate_account_municipality(*, user: User, municipality: Municipality | None) -> None:
    """An account moves to another municipality only while it holds no active role (its roles are of one
    municipality, its own); the admin's user form shows this as a field error."""
    new_id = getattr(municipality, "pk", municipality)
    if user.pk is None or new_id == user.municipality_id or user.municipality_id is None:
        return
    if Membership.objects.for_tenant(user.municipality_id).filter(user=user, is_active=True).exists():
        raise ValidationError(
            {"municipality": _("Revoke this user's roles before moving the account to another municipality.")}
        )


def validate_membership(*, actor: Any, user: User, organisation: Organisation, role: Role | str) -> None:
    """The rules of a grant, for forms that show them as field errors before saving (the admin's forms).

    ``ValidationError`` naming the field for a grant that cannot exist (another municipality, an unknown role);
    ``PermissionDenied`` for an actor who may not grant in the organisation's municipality.
    """
    if role not in GRANTABLE_ROLES:
        raise ValidationError({"role": _("Choose a role of an organisation.")})
    if user.municipality_id is None or user.municipality_id != organisation.municipality_id:
        raise ValidationError({"organisation": _("The organisation belongs to another municipality than the user.")})
    if actor is not None and not can_grant_role(actor, organisation):
        raise PermissionDenied


def membership_grant(
    *,
    actor: Any,
    user: User,
    organisation: Organisation,
    role: Role | str,
    is_supervisor: bool = False,
) -> Membership:
    """Give ``user`` ``role`` in ``organisation`` (or give it back, or change its supervisor flag), audited.

    User, organisation and actor are of one municipality (the platform administrator: any, but user and
    organisation still of one).
    """
    validate_membership(actor=actor, user=user, organisation=organisation, role=role)
    tenant = organisation.municipality_id
    with transaction.atomic():
        membership, created = (
            Membership.objects.for_tenant(tenant)
            .select_for_update()
            .get_or_create(
                user=user,
                organisation=organisation,
                role=role,
                defaults={"municipality_id": tenant, "is_supervisor": is_supervisor},
            )
        )
        changes: dict[str, Any] = {}
        if not created:
            if not membership.is_active:
                membership.is_active = True
                changes["is_active"] = True
            if membership.is_supervisor != is_supervisor:
                membership.is_supervisor = is_supervisor
                changes["is_supervisor"] = is_supervisor
            if not changes:
                return membership
            membership.save(update_fields=sorted(changes))
        audit_record(
            action="membership.grant",
            actor=actor,
            obj=membership,
            changes={
                "user": user.username,
                "organisation": str(organisation.pk),
                "role": str(role),
                "is_supervisor": membership.is_supervisor,
                **({"again": sorted(changes)} if changes else {}),
            },
        )
    _forget_actor(user)
    return membership


def membership_revoke(*, actor: Any, membership: Membership) -> Membership:
    """Take a role back. The membership stays, inactive, so the history of who held it remains."""
    if actor is not None and not can_revoke_membership(actor, membership):
        raise PermissionDenied
    with transaction.atomic():
        updated = (
            Membership.objects.for_tenant(membership.municipality_id)
            .filter(pk=membership.pk, is_active=True)
            .update(is_active=False)
        )
        membership.is_active = False
        if updated:
            audit_record(
                action="membership.revoke",
                actor=actor,
                obj=membership,
                changes={
                    "user": membership.user.username,
                    "organisation": str(membership.organisation_id),
                    "role": str(membership.role),
                },
            )
    _forget_actor(membership.user)
    return membership


def _forget_actor(user: User) -> None:
    # The policy caches a user's grants on the instance; the next question must see the new roles.
    user.__dict__.pop("_carenet_actor", None)


# --- personal API tokens (decision 0012) --------------------------------------------------------------------


def _token_days_max() -> int:
    return int(getattr(settings, "CARENET_API_TOKEN_MAX_DAYS", 90))


def api_token_create(*, actor: Any, verified: bool, name: str, scopes: list[str], days: int) -> tuple[ApiToken, str]:
    """A new token of ``actor``'s own, returned with its key (shown once, never stored).

    Only a session that passed the second factor (``verified``) creates one: a token must never be a way
    around it (issue 26, High 2).
    """
    if not verified:
        raise PermissionDenied
    errors: dict[str, Any] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the token a name that says where it is used.")
    if not scopes or set(scopes) - set(ApiScope.values):
        errors["scopes"] = _("Choose what the token may do.")
    if not 1 <= days <= _token_days_max():
        errors["days"] = _("A token lives between 1 and %(days)s days.") % {"days": _token_days_max()}
    if errors:
        raise ValidationError(errors)
    raw = new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name[:100],
            prefix=raw[:10],
            key_hash=token_hash(raw),
            scopes=sorted(set(scopes)),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            action="api_token.create",
            actor=actor,
            obj=token,
            changes={"scopes": token.scopes, "expires_at": token.expires_at.isoformat()},
        )
    return token, raw


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens (the platform administrator: anyone's). Audited once."""
    if token.user_id != getattr(actor, "pk", None) and not _is_platform(actor):
        raise PermissionDenied
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if updated:
            audit_record(action="api_token.revoke", actor=actor, obj=token, municipality=token.user.municipality_id)
    token.refresh_from_db()
    return token


def api_token_used(*, token: ApiToken) -> None:
    """Note a use; the first use of a day is an audit event (every request's reads are audited on their own)."""
    now = timezone.now()
    first_today = token.last_used_at is None or token.last_used_at.date() != now.date()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    if first_today:
        audit_record(action="api_token.use", actor=token.user, obj=token, municipality=token.user.municipality_id)
