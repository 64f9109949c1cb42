"""Who may see and change persons, registered in the one policy (carenet.core.policy).

Every rule reads the *legal grounds* the user holds for the person (``carenet.people.grounds``, decision
0013): the provider registered them, holds their consent to case management, a case on a legal basis, a
transferred case, an open referral, or its case opened from an accepted referral (the last two share only
what the referral shares and never allow changing the record). Coordinators see the whole network of their
municipality, without special-category data. A service delivery, or a case opened without a ground, is not
a ground.

Lists use the same rule as a filter: registered by one of the user's organisations, an active consent
naming it, OR any *visibility extension* higher layers register without ``people`` importing them
(``register_person_visibility``; cases: cases on a legal basis; referrals: referrals sharing identity and
contact, transferred cases). An extension is ``fn(actor, organisation_ids) -> Q`` on Person, an
``Exists(...)`` correlated on ``OuterRef("pk")`` so that opening one person costs one index probe per
extension at any scale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .grounds import (
    CONTACT,
    IDENTITY,
    SPECIAL,
    Ground,
    actor_grounds,
    persons_with_consent_to,
    sections_of,
)
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
    condition = Q(registered_by_organisation_id__in=org_ids) | persons_with_consent_to(actor, org_ids)
    for extension in _person_extensions:
        condition |= extension(actor, org_ids)
    return condition


def _persons_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    qs = qs.filter(merged_into__isnull=True)
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(_provider_person_filter(actor))


def person_grounds_of(actor: Actor, person: Person) -> list[Ground]:
    """The grounds the actor holds for ``person`` (decision 0013; ``carenet.people.grounds``)."""
    return actor_grounds(actor, person, PROVIDER_ROLES)


def _shares(actor: Actor, person: Person, section: str) -> bool:
    return any(section in g.sections for g in person_grounds_of(actor, person))


def _can_view_person(actor: Actor, person: Person) -> bool:
    if person.merged_into_id is not None and not actor.is_coordinator:
        return False
    if actor.is_platform_admin or actor.is_coordinator:
        return True
    sections = sections_of(person_grounds_of(actor, person))
    return IDENTITY in sections and CONTACT in sections


def _can_change_person(actor: Actor, person: Person) -> bool:
    """Changing the record (and its consents) needs a ground of the provider's own, never a sharing."""
    if person.merged_into_id is not None:
        return False
    return any(g.can_change for g in person_grounds_of(actor, person))


def _can_view_sensitive(actor: Actor, person: Person) -> bool:
    """Special-category data: a ground that shares it (the person's own providers, or a referral sharing it)."""
    return _shares(actor, person, SPECIAL)


def _can_change_sensitive(actor: Actor, person: Person) -> bool:
    """Special-category data is edited by those who may both see it and change the person."""
    return _can_view_sensitive(actor, person) and _can_change_person(actor, person)


def _can_register(actor: Actor, _obj: Any) -> bool:
    return actor.is_platform_admin or actor.is_coordinator or bool(actor.organisation_ids(*PROVIDER_ROLES))


def _can_merge(actor: Actor, person: Person) -> bool:
    return actor.is_platform_admin or actor.is_coordinator


policy.register_visibility(Person, _persons_visible)
policy.register_rule(Person, "view", _can_view_person)
policy.register_rule(Person, "change", _can_change_person)
policy.register_rule(Person, "view_sensitive", _can_view_sensitive)
policy.register_rule(Person, "change_sensitive", _can_change_sensitive)
policy.register_rule(Person, "merge", _can_merge)
policy.register_rule(Person, "add", _can_register)

# Dependent records follow their person.


def _persons_of(actor: Any) -> QuerySet[Person]:
    """The persons a dependent record's subquery reads: the actor's municipality's (on Citus a subquery that
    names the distribution value runs on one shard; without it the join is refused), every tenant's for a
    platform administrator."""
    municipality_id = getattr(actor, "municipality_id", None)
    if municipality_id is None:
        return Person.objects.all_tenants()
    return Person.objects.for_tenant(municipality_id)


policy.register_visibility(
    SensitiveProfile, lambda actor, qs: qs.filter(person__in=_persons_visible(actor, _persons_of(actor)))
)
policy.register_rule(SensitiveProfile, "view", lambda actor, sp: _can_view_sensitive(actor, sp.person))
policy.register_visibility(Consent, lambda actor, qs: qs.filter(person__in=_persons_visible(actor, _persons_of(actor))))
policy.register_rule(Consent, "view", lambda actor, c: _can_view_person(actor, c.person))
policy.register_rule(Consent, "change", lambda actor, c: _can_change_person(actor, c.person))
policy.register_visibility(
    Household,
    lambda actor, qs: qs.filter(members__person__in=_persons_visible(actor, _persons_of(actor))).distinct(),
)


def persons_visible_to(user: Any) -> QuerySet[Person]:
    return policy.visible(user, Person)


def persons_listed_for(user: Any) -> QuerySet[Person]:
    """The persons a list shows before any search: the whole network for a coordinator; for a provider, the
    persons its own organisations registered (the others it sees — through cases, referrals — are found by
    searching)."""
    qs = persons_visible_to(user)
    actor = actor_of(user)
    if actor.is_coordinator or actor.is_platform_admin:
        return qs
    return qs.filter(registered_by_organisation_id__in=actor.organisation_ids(*PROVIDER_ROLES))


def can_view_person(user: Any, person: Person) -> bool:
    return policy.can(user, "view", person)


def can_change_person(user: Any, person: Person) -> bool:
    return policy.can(user, "change", person)


def can_view_sensitive_data(user: Any, person: Person) -> bool:
    return policy.can(user, "view_sensitive", person)


def person_grounds(user: Any, person: Person) -> list[Ground]:
    """The grounds ``user`` holds for ``person`` (empty for a user of another municipality)."""
    actor = actor_of(user)
    if actor.is_platform_admin:
        return person_grounds_of(actor, person)
    if actor.municipality_id is None or actor.municipality_id != person.municipality_id:
        return []
    return person_grounds_of(actor, person)


def person_sections(user: Any, person: Person) -> frozenset[str]:
    """The sections of ``person``'s record ``user``'s grounds share (``carenet.people.grounds.SECTIONS``)."""
    return sections_of(person_grounds(user, person))


def can_merge_person(user: Any, person: Person) -> bool:
    return policy.can(user, "merge", person)


def can_register_person(user: Any) -> bool:
    actor = actor_of(user)
    return actor is not None and _can_register(actor, None) and actor.municipality_id is not None


def can_deduplicate(user: Any) -> bool:
    """Batch de-duplication and its review queue, the duplicate thresholds: the municipality's coordinators."""
    actor = actor_of(user)
    return actor is not None and actor.is_coordinator and actor.municipality_id is not None


def can_act_for_organisation(user: Any, organisation_id: Any) -> bool:
    """A registration or a consent is recorded for one of the user's own organisations (any, for a coordinator)."""
    actor = actor_of(user)
    return actor.is_coordinator or actor.is_platform_admin or organisation_id in actor.organisation_ids()


def households_visible_to(user: Any) -> QuerySet[Household]:
    return policy.visible(user, Household)


# --- fetch-and-check (docs/architecture.md §3): 404 for a person the user may not see, 403 for an action


def person_for(user: Any, person_id: Any, *, action: str = "view") -> Person:
    """A person the user may see (404 otherwise: "does not exist" and "not yours" are one answer), checked for
    ``action`` ("change", "change_sensitive", "merge"…: 403)."""
    return fetch(
        user, persons_visible_to(user).select_related("area", "registered_by_organisation"), person_id, action=action
    )


def consent_for(user: Any, person: Person, consent_id: Any, *, action: str = "view") -> Consent:
    """One of ``person``'s consents (the person already fetched with ``person_for``), or 404."""
    return fetch(
        user, Consent.objects.for_tenant(person.municipality_id).filter(person=person), consent_id, action=action
    )
