"""Who may see and change persons, registered in the one policy (carenet.core.policy).

A caseworker (or provider manager) sees the persons their organisation registered, plus every
person reached through a *visibility extension*. Higher layers register extensions without
``people`` importing them:

* ``cases`` adds the persons of its organisations' cases;
* ``referrals`` adds the persons referred to the organisation while the referral is open.

An extension is ``fn(actor, organisation_ids) -> Q`` on Person, preferably an ``Exists(...)`` correlated
on ``OuterRef("pk")`` so that opening one person costs one index probe per extension at any scale;
the union (OR) of all of them is what the organisation may see. Example (referrals)::

    @register_person_visibility
    def persons_referred_to(actor, organisation_ids):
        return Q(Exists(Referral.objects.filter(person_id=OuterRef("pk"), receiver_id__in=organisation_ids,
                                                status__in=OPEN))) Coordinators see the whole
network of their municipality. Special-category data is shown only to caseworkers and provider
managers who see the person through their own organisation (not to coordinators or auditors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import Consent, Household, Person, SensitiveProfile

# Roles that work on a provider's own records.
PROVIDER_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER)

PersonVisibilityExtension = Callable[[Actor, frozenset[Any]], Q]
_person_extensions: list[PersonVisibilityExtension] = []


def register_person_visibility(extension: PersonVisibilityExtension) -> PersonVisibilityExtension:
    """Let a higher layer widen what an organisation sees (cases of the organisation, open referrals…).

    Usable as a decorator; idempotent (re-importing a module does not register twice).
    """
    if extension not in _person_extensions:
        _person_extensions.append(extension)
    return extension


def _provider_person_filter(actor: Actor) -> Q:
    org_ids = actor.organisation_ids(*PROVIDER_ROLES)
    if not org_ids:
        return Q(pk__in=[])
    condition = Q(registered_by_organisation_id__in=org_ids)
    for extension in _person_extensions:
        condition |= extension(actor, org_ids)
    return condition


def _persons_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    qs = qs.filter(merged_into__isnull=True)
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(_provider_person_filter(actor))


def _person_in_own_scope(actor: Actor, person: Person) -> bool:
    if not actor.organisation_ids(*PROVIDER_ROLES):
        return False
    if person.registered_by_organisation_id in actor.organisation_ids(*PROVIDER_ROLES):
        return True
    return (
        Person.objects.for_tenant(person.municipality_id).filter(_provider_person_filter(actor), pk=person.pk).exists()
    )


def _can_view_person(actor: Actor, person: Person) -> bool:
    if person.merged_into_id is not None and not actor.is_coordinator:
        return False
    return actor.is_platform_admin or actor.is_coordinator or _person_in_own_scope(actor, person)


def _can_change_person(actor: Actor, person: Person) -> bool:
    if person.merged_into_id is not None:
        return False
    return actor.is_platform_admin or actor.is_coordinator or _person_in_own_scope(actor, person)


def _can_view_sensitive(actor: Actor, person: Person) -> bool:
    """Special-category data: only the person's own providers' caseworkers and managers."""
    if actor.is_platform_admin:
        return True
    return _person_in_own_scope(actor, person)


def _can_register(actor: Actor, _obj: Any) -> bool:
    return actor.is_platform_admin or actor.is_coordinator or bool(actor.organisation_ids(*PROVIDER_ROLES))


def _can_merge(actor: Actor, person: Person) -> bool:
    return actor.is_platform_admin or actor.is_coordinator


policy.register_visibility(Person, _persons_visible)
policy.register_rule(Person, "view", _can_view_person)
policy.register_rule(Person, "change", _can_change_person)
policy.register_rule(Person, "view_sensitive", _can_view_sensitive)
policy.register_rule(Person, "merge", _can_merge)
policy.register_rule(Person, "add", _can_register)

# Dependent records follow their person.
policy.register_visibility(
    SensitiveProfile, lambda actor, qs: qs.filter(person__in=_persons_visible(actor, Person.objects.all_tenants()))
)
policy.register_rule(SensitiveProfile, "view", lambda actor, sp: _can_view_sensitive(actor, sp.person))
policy.register_visibility(
    Consent, lambda actor, qs: qs.filter(person__in=_persons_visible(actor, Person.objects.all_tenants()))
)
policy.register_rule(Consent, "view", lambda actor, c: _can_view_person(actor, c.person))
policy.register_rule(Consent, "change", lambda actor, c: _can_change_person(actor, c.person))
policy.register_visibility(
    Household,
    lambda actor, qs: qs.filter(members__person__in=_persons_visible(actor, Person.objects.all_tenants())).distinct(),
)


def persons_visible_to(user: Any) -> QuerySet[Person]:
    return policy.visible(user, Person)


def can_view_person(user: Any, person: Person) -> bool:
    return policy.can(user, "view", person)


def can_change_person(user: Any, person: Person) -> bool:
    return policy.can(user, "change", person)


def can_view_sensitive_data(user: Any, person: Person) -> bool:
    return policy.can(user, "view_sensitive", person)


def can_merge_person(user: Any, person: Person) -> bool:
    return policy.can(user, "merge", person)


def can_register_person(user: Any) -> bool:
    actor = actor_of(user)
    return actor is not None and _can_register(actor, None) and actor.municipality_id is not None
