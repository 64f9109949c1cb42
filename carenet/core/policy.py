"""The one permission policy: "may this user do X to this record?" and "which records may they see?".

Modelled on Wagtail's permission policies. Every app's ``permissions.py`` registers, for its models,
a rule per action and a visibility query; views and services only ever ask this policy. Two
rules hold for every model before any app rule runs:

* a user never reaches a record of another municipality (tenant isolation);
* an anonymous or inactive user reaches nothing here (public pages use public selectors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from .roles import PERSONAL_DATA_ROLES, Role


@dataclass(frozen=True)
class Grant:
    organisation_id: Any
    role: str
    is_supervisor: bool


@dataclass(frozen=True)
class Actor:
    """What the policy needs to know about a user, loaded once per request."""

    user: Any
    municipality_id: Any
    is_platform_admin: bool
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def has_role(self, *roles: str, organisation_id: Any = None) -> bool:
        return any(
            g.role in roles and (organisation_id is None or g.organisation_id == organisation_id) for g in self.grants
        )

    def organisation_ids(self, *roles: str) -> frozenset[Any]:
        return frozenset(g.organisation_id for g in self.grants if not roles or g.role in roles)

    def supervises(self, organisation_id: Any) -> bool:
        return any(g.is_supervisor and g.organisation_id == organisation_id for g in self.grants) or self.has_role(
            Role.PROVIDER_MANAGER, organisation_id=organisation_id
        )

    @property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    @property
    def sees_personal_data(self) -> bool:
        return self.is_platform_admin or bool(self.roles & PERSONAL_DATA_ROLES)


ANONYMOUS = Actor(user=None, municipality_id=None, is_platform_admin=False)


def actor_of(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_carenet_actor", None)
    if cached is not None:
        return cached
    grants = tuple(
        Grant(organisation_id=org_id, role=role, is_supervisor=sup)
        # Memberships are the user's own rows: reached through the user, so already tenant-bound.
        for org_id, role, sup in user.memberships.filter(
            is_active=True, municipality_id=user.municipality_id
        ).values_list("organisation_id", "role", "is_supervisor")
    )
    actor = Actor(
        user=user,
        municipality_id=user.municipality_id,
        is_platform_admin=bool(user.is_superuser),
        grants=grants,
    )
    user._carenet_actor = actor
    return actor


Rule = Callable[[Actor, Any], bool]
Visibility = Callable[[Actor, models.QuerySet], models.QuerySet]


class PermissionPolicy:
    def __init__(self) -> None:
        self._rules: dict[tuple[str, str], Rule] = {}
        self._visibility: dict[str, Visibility] = {}

    @staticmethod
    def _label(model: type[models.Model] | models.Model) -> str:
        return model._meta.label_lower

    def register_rule(self, model: type[models.Model], action: str, rule: Rule) -> None:
        self._rules[(self._label(model), action)] = rule

    def register_visibility(self, model: type[models.Model], visibility: Visibility) -> None:
        self._visibility[self._label(model)] = visibility

    def actions_for(self, model: type[models.Model]) -> Iterable[str]:
        label = self._label(model)
        return [a for (m, a) in self._rules if m == label]

    def can(self, user: Any, action: str, obj: models.Model) -> bool:
        actor = actor_of(user)
        if actor is ANONYMOUS:
            return False
        tenant_id = getattr(obj, "municipality_id", None)
        if not actor.is_platform_admin and tenant_id is not None and tenant_id != actor.municipality_id:
            return False
        rule = self._rules.get((self._label(obj), action))
        if rule is None:
            return actor.is_platform_admin
        return bool(rule(actor, obj))

    def require(self, user: Any, action: str, obj: models.Model) -> None:
        if not self.can(user, action, obj):
            raise PermissionDenied

    def visible(self, user: Any, model: type[models.Model]) -> models.QuerySet:
        """Rows of ``model`` the user may see, always within their own municipality."""
        actor = actor_of(user)
        manager = model.objects  # type: ignore[attr-defined]
        if actor is ANONYMOUS:
            return manager.none()
        if actor.is_platform_admin and actor.municipality_id is None:
            qs = manager.all_tenants() if hasattr(manager, "all_tenants") else manager.all()
        elif hasattr(manager, "for_tenant"):
            qs = manager.for_tenant(actor.municipality_id)
        else:
            qs = manager.all()
        visibility = self._visibility.get(self._label(model))
        if visibility is None:
            return qs if actor.is_platform_admin else qs.none()
        return visibility(actor, qs)


policy = PermissionPolicy()
