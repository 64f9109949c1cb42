"""Reads of the registry, always within what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Consent, HouseholdMember, Person
from .names import ascii_words, name_key, name_similarity, skeleton
from .permissions import can_view_sensitive_data, persons_visible_to

SEARCH_LIMIT = 50


def person_get(*, user: Any, person_id: Any) -> Person:
    """A person the user may see, or 404 (same answer for "does not exist" and "not yours")."""
    try:
        return persons_visible_to(user).select_related("area", "registered_by_organisation").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def person_search(*, user: Any, query: str = "", limit: int = SEARCH_LIMIT) -> QuerySet[Person]:
    """Search by national identifier, by name in any spelling, or by date of birth (YYYY-MM-DD)."""
    qs = persons_visible_to(user)
    query = (query or "").strip()[:100]
    if not query:
        return qs.order_by("-updated_at")[:limit]
    if query.isdigit() and len(query) >= 6:
        return qs.filter(national_id__startswith=query)[:limit]
    try:
        born = datetime.date.fromisoformat(query)
    except ValueError:
        born = None
    if born is not None:
        return qs.filter(birth_date=born)[:limit]
    condition = Q()
    for word in ascii_words(query):
        condition &= Q(search_text__contains=word) | Q(search_text__contains=skeleton(word))
    return qs.filter(condition)[:limit]


@dataclass(frozen=True)
class Match:
    person: Person
    score: float
    reasons: tuple[str, ...]


def person_duplicates(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    birth_date: datetime.date | None = None,
    national_id: str = "",
    exclude_id: Any = None,
    limit: int = 10,
) -> list[Match]:
    """Likely matches among the persons the user may see.

    Candidates come from three indexed lookups (identifier; name key; date of birth), then are scored:
    the same identifier is certain, the same name key (any spelling, any order) with the same date
    of birth is near-certain, a similar name key with the same date of birth is likely.
    """
    from django.utils.translation import gettext as _

    visible = persons_visible_to(user)
    key = name_key(first_name, last_name)
    condition = Q(name_key=key) if key else Q(pk__in=[])
    if national_id:
        condition |= Q(national_id=national_id)
    if birth_date is not None:
        condition |= Q(birth_date=birth_date)
    candidates = visible.filter(condition)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    matches: list[Match] = []
    for person in candidates.only(
        "id", "first_name", "last_name", "birth_date", "national_id", "name_key", "municipality_id", "address"
    )[:500]:
        reasons: list[str] = []
        score = 0.0
        if national_id and person.national_id == national_id:
            reasons.append(_("same national identifier"))
            score = 1.0
        similarity = name_similarity(key, person.name_key)
        same_birth = birth_date is not None and person.birth_date == birth_date
        if person.name_key == key:
            reasons.append(_("same name (spelling and order ignored)"))
            score = max(score, 0.9 if same_birth else 0.5)
        elif similarity >= 0.75 and same_birth:
            reasons.append(_("similar name"))
            score = max(score, 0.6 + 0.3 * similarity)
        if same_birth and reasons:
            reasons.append(_("same date of birth"))
        if score >= 0.5:
            matches.append(Match(person=person, score=round(score, 2), reasons=tuple(reasons)))
    matches.sort(key=lambda m: -m.score)
    return matches[:limit]


def person_consents(*, person: Person) -> QuerySet[Consent]:
    return (
        Consent.objects.for_tenant(person.municipality_id)
        .filter(person=person)
        .select_related("recorded_by", "recorded_for")
        .prefetch_related("scope")
    )


def person_household(*, person: Person) -> list[HouseholdMember]:
    """The person's household members (the households are the person's own, so visible with the person)."""
    household_ids = (
        HouseholdMember.objects.for_tenant(person.municipality_id).filter(person=person).values("household_id")
    )
    return list(
        HouseholdMember.objects.for_tenant(person.municipality_id)
        .filter(household_id__in=household_ids)
        .select_related("person", "household")
        .order_by("household__name", "role")
    )


def person_sensitive(*, user: Any, person: Person) -> Any:
    """The special-category row if the user's role needs it; None otherwise (not even loaded)."""
    if not can_view_sensitive_data(user, person):
        return None
    from .models import SensitiveProfile

    return SensitiveProfile.objects.for_tenant(person.municipality_id).filter(person=person).first()
