"""Reads of the registry, always within what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from carenet.audit.actions import purpose_label

from .hooks import caseload_sources
from .linkage.model import (
    RIVAL_FLOOR,
    Model,
    Prepared,
    Scored,
    Scorer,
    db_keys,
    default_model,
    prepare,
    prepare_person,
    share_rivals,
)
from .linkage.names import is_cyrillic
from .linkage.settings import DEFAULT_POSSIBLE, DEFAULT_PROBABLE
from .models import (
    Consent,
    Household,
    HouseholdMember,
    IdentityDocument,
    LinkageModel,
    LinkageSettings,
    NotSamePerson,
    Person,
    SensitiveProfile,
)
from .names import ascii_words, name_key, skeleton
from .permissions import can_view_sensitive_data, households_visible_to, persons_listed_for, persons_visible_to

SEARCH_LIMIT = 50
# Messages for callers in higher layers (API) that name a person by id.
PERSON_NOT_FOUND = gettext_lazy("No person with this identifier that you may see.")
AREA_UNKNOWN = gettext_lazy("Choose an area of your municipality.")
OVERRIDE_REASON_REQUIRED = gettext_lazy("Say why this is not the person already registered.")


def person_search(*, user: Any, query: str = "", limit: int = SEARCH_LIMIT) -> QuerySet[Person]:
    """Search by national identifier, by name in any spelling, or by date of birth (YYYY-MM-DD)."""
    query = (query or "").strip()[:100]
    if not query:
        # Without a search, newest first (an index scan that stops at the page).
        return persons_listed_for(user).order_by("-updated_at")[:limit]
    qs = persons_visible_to(user)
    if query.isdigit() and len(query) >= 6:
        return qs.filter(national_id__startswith=query)[:limit]
    try:
        born = datetime.date.fromisoformat(query)
    except ValueError:
        born = None
    if born is not None:
        return qs.filter(birth_date=born)[:limit]
    words = ascii_words(query)
    if len(words) >= 2:
        # A full name in any spelling or order: the indexed name key answers without scanning.
        exact = qs.filter(name_key=name_key(query))
        if exact.exists():
            return exact[:limit]
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word) | Q(search_text__contains=skeleton(word))
    return qs.filter(condition)[:limit]


PROBABLE = "probable"
POSSIBLE = "possible"


@dataclass(frozen=True)
class Match:
    """A registered person who may be the one at intake: probability, band and the reasons, in words."""

    person: Person
    score: float  # the match probability, 0-1
    reasons: tuple[str, ...]  # what agrees
    band: str = POSSIBLE
    differences: tuple[str, ...] = ()  # what disagrees

    @property
    def probable(self) -> bool:
        return self.band == PROBABLE

    @property
    def summary(self) -> str:
        return describe_band(self.band)


def describe_band(band: str) -> str:
    from django.utils.translation import gettext as _

    return _("Very likely the same person") if band == PROBABLE else _("Possibly the same person")


def linkage_thresholds(*, municipality_id: Any, on: datetime.date | None = None) -> tuple[float, float]:
    """(possible, probable) match-probability thresholds of the municipality on a date (defaults without a row)."""
    on = on or datetime.date.today()
    row = (
        LinkageSettings.objects.for_tenant(municipality_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        return DEFAULT_POSSIBLE, DEFAULT_PROBABLE
    return row.possible_threshold, row.probable_threshold


_SCORERS: dict[Any, tuple[Any, Scorer]] = {}


def linkage_scorer(*, municipality_id: Any) -> Scorer:
    """The municipality's own trained matcher (the newest), or the shipped default; parsed once per process."""
    row = LinkageModel.objects.for_tenant(municipality_id).order_by("-trained_at").values_list("pk", flat=True).first()
    cached = _SCORERS.get(municipality_id)
    if cached is not None and cached[0] == row:
        return cached[1]
    if row is None:
        model = default_model()
    else:
        params = LinkageModel.objects.for_tenant(municipality_id).values_list("parameters", flat=True).get(pk=row)
        # A model trained before the levels changed is set aside until the next batch retrains it.
        model = Model.from_json(params) if Model.fits(params) else default_model()
    scorer = Scorer(model)
    _SCORERS[municipality_id] = (row, scorer)
    return scorer


_AGREE = {
    ("given", "exact"): gettext_lazy("same given name"),
    ("given", "equivalent"): gettext_lazy("given name is a form of the same name"),
    ("given", "close"): gettext_lazy("given name almost the same"),
    ("given", "similar"): gettext_lazy("similar given name"),
    ("family", "exact"): gettext_lazy("same family name"),
    ("family", "close"): gettext_lazy("family name almost the same"),
    ("family", "similar"): gettext_lazy("similar family name"),
    ("birth", "exact"): gettext_lazy("same date of birth"),
    ("birth", "day and month swapped"): gettext_lazy("date of birth with day and month swapped"),
    ("birth", "one digit"): gettext_lazy("date of birth one digit apart"),
    ("identifier", "exact"): gettext_lazy("same national identifier"),
    ("identifier", "one digit"): gettext_lazy("national identifier one digit apart"),
    ("sex", "same"): gettext_lazy("same sex"),
    ("address", "exact"): gettext_lazy("same address"),
    ("address", "same street"): gettext_lazy("same street"),
}
_DISAGREE = {
    "given": gettext_lazy("different given name"),
    "family": gettext_lazy("different family name (maiden or married name?)"),
    "birth": gettext_lazy("different date of birth"),
    "identifier": gettext_lazy("different national identifier"),
    "sex": gettext_lazy("different sex"),
    "address": gettext_lazy("different address"),
}
_FAR = gettext_lazy("born many years apart")
_RIVALS = gettext_lazy("another registered person, certainly not this one, matches as well")


def describe_pair(scored: Scored, a: Prepared, b: Prepared) -> tuple[list[str], list[str]]:
    """The reasons in the reader's language: what agrees (with how the name was written), what does not."""
    from django.utils.translation import gettext as _

    agree = [str(_AGREE[item]) for item in scored.agreeing() if item in _AGREE]
    differ = []
    for name, level in scored.disagreeing():
        differ.append(str(_FAR) if (name, level) == ("birth", "far apart") else str(_DISAGREE[name]))
    if scored.swapped:
        agree.append(_("given and family names swapped"))
    if is_cyrillic(" ".join(a.given + a.family)) != is_cyrillic(" ".join(b.given + b.family)):
        agree.append(_("name written in the other alphabet"))
    if scored.rivals:
        differ.append(str(_RIVALS))
    return agree, differ


def person_duplicates(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    birth_date: datetime.date | None = None,
    national_id: str = "",
    identifier_kind: str = "",
    other_spellings: str = "",
    sex: str = "",
    address: str = "",
    exclude_id: Any = None,
    limit: int = 10,
) -> list[Match]:
    """Registered persons the user may see who may be this person, most probable first.

    Candidates come from the blocking rules (people.linkage), each one indexed equality: identifier, birth
    date (the one a valid CNP encodes if none is given), the name in either order and reading, the family
    name with the birth year. The visibility rule then applies to those few ids (ids of persons the user may
    not see never leave this function), and the municipality's matcher scores each. Below the "possible"
    threshold nothing is returned.
    """
    tenant_id = getattr(user, "municipality_id", None)
    if tenant_id is None:
        return []
    query = prepare(
        None,
        first_name=first_name,
        last_name=last_name,
        other_spellings=other_spellings,
        sex=sex,
        birth_date=birth_date,
        national_id=national_id,
        identifier_kind=identifier_kind,
        address=address,
    )
    names, names_alt, family_year, given_year, initial, initial_alt = db_keys(query)
    lookups: list[Q] = []
    if query.nid:
        lookups.append(Q(national_id=query.nid))
    if query.birth is not None:
        lookups.append(Q(birth_date=query.birth))
    for pair, key_fields in (
        ([names, names_alt], ("link_names", "link_names_alt")),
        ([initial, initial_alt], ("link_word_initial", "link_word_initial_alt")),
    ):
        keys = [k for k in pair if k]
        if keys:
            lookups += [Q(**{f"{field}__in": keys}) for field in key_fields]
    if family_year:
        lookups.append(Q(link_family_year=family_year))
    if given_year:
        lookups.append(Q(link_given_year=given_year))
    # One small indexed query per rule (an OR of them made SQLite scan the tenant), then visibility.
    candidate_ids: set[Any] = set()
    for lookup in lookups:
        candidate_ids.update(
            Person.objects.for_tenant(tenant_id)
            .filter(lookup, merged_into__isnull=True)
            .order_by()
            .values_list("pk", flat=True)[:200]
        )
    candidate_ids.discard(exclude_id)
    if not candidate_ids:
        return []
    possible, probable = linkage_thresholds(municipality_id=tenant_id)
    scorer = linkage_scorer(municipality_id=tenant_id)
    loaded_fields = (
        "id",
        "municipality_id",
        "first_name",
        "last_name",
        "other_spellings",
        "sex",
        "birth_date",
        "national_id",
        "identifier_kind",
        "address",
    )
    scored_people = []
    for person in persons_visible_to(user).filter(pk__in=candidate_ids).order_by().only(*loaded_fields)[:600]:
        record = prepare_person(person)
        scored = scorer.score(query, record)
        if scored.probability >= min(possible, RIVAL_FLOOR):
            scored_people.append((person, record, scored))
    # The new record cannot be two persons: candidates certainly different from one another share it.
    records = {person.pk: record for person, record, _scored in scored_people}

    by_pk = {person.pk: person for person, _record, _scored in scored_people}
    shared = share_rivals(
        [(None, person.pk, scored) for person, _r, scored in scored_people],
        lambda y, z: scorer.distinct(records[y], records[z]),
    )
    matches: list[Match] = []
    for _query, pk, scored in shared:
        # A record that is certainly one of several registered persons but cannot tell which (no birth date,
        # no identifier, a name a father and his son share at one address) shows all of them as possible.
        if scored.probability < possible and not (scored.rivals and scored.probability_alone >= probable):
            continue
        person = by_pk[pk]
        agree, differ = describe_pair(scored, query, records[pk])
        band = PROBABLE if scored.probability >= probable else POSSIBLE
        matches.append(
            Match(
                person=person,
                score=round(scored.probability, 3),
                reasons=tuple(agree),
                band=band,
                differences=tuple(differ),
            )
        )
    matches.sort(key=lambda m: -m.score)
    return matches[:limit]


@dataclass(frozen=True)
class ReviewPair:
    person: Person
    other: Person
    probability: float
    band: str
    reasons: tuple[str, ...]
    differences: tuple[str, ...]

    @property
    def summary(self) -> str:
        return describe_band(self.band)


def deduplicate_latest_job(*, user: Any) -> Any:
    """The municipality's latest batch de-duplication job (None before the first)."""
    from carenet.core.models import BackgroundJob

    from .services import DEDUPLICATE_JOB_KIND

    return BackgroundJob.objects.for_tenant(user.municipality_id).filter(kind=DEDUPLICATE_JOB_KIND).first()


def _describe_levels(
    levels: list[int], swapped: bool, a: Person, b: Person, rivals: int = 0
) -> tuple[list[str], list[str]]:
    from django.utils.translation import gettext as _

    from .linkage.model import COMPARISONS, NAMES

    agree, differ = [], []
    for name, level in zip(NAMES, levels, strict=False):
        if level < 0:
            continue
        item = (name, COMPARISONS[name][level])
        if item in _AGREE:
            agree.append(str(_AGREE[item]))
        else:
            differ.append(str(_FAR) if item == ("birth", "far apart") else str(_DISAGREE[name]))
    if swapped:
        agree.append(_("given and family names swapped"))
    if is_cyrillic(a.full_name) != is_cyrillic(b.full_name):
        agree.append(_("name written in the other alphabet"))
    if rivals:
        differ.append(str(_RIVALS))
    return agree, differ


def deduplicate_review(*, user: Any, job: Any, limit: int = 100) -> list[list[ReviewPair]]:
    """The job's clusters as a coordinator reviews them, most probable first: pairs whose records are still
    there (not merged since) and not decided "not the same person"; reasons rendered in the reader's language."""
    if job is None or not (job.result or {}).get("clusters"):
        return []
    _possible, probable = linkage_thresholds(municipality_id=job.municipality_id)
    clusters = job.result["clusters"][: limit * 2]
    ids = {pk for cluster in clusters for pk in cluster["persons"]}
    persons = {str(p.pk): p for p in persons_visible_to(user).filter(pk__in=ids, merged_into__isnull=True)}
    decided = {
        frozenset((str(a), str(b)))
        for a, b in NotSamePerson.objects.for_tenant(job.municipality_id)
        .filter(Q(person_id__in=ids) | Q(other_id__in=ids))
        .values_list("person_id", "other_id")
    }
    out = []
    for cluster in clusters:
        pairs = []
        for a, b, probability, levels, swapped, *rest in cluster["pairs"]:
            if a not in persons or b not in persons or frozenset((a, b)) in decided:
                continue
            rivals = rest[0] if rest else 0  # jobs run before rivals were counted store five fields
            agree, differ = _describe_levels(levels, swapped, persons[a], persons[b], rivals)
            band = PROBABLE if probability >= probable else POSSIBLE
            pairs.append(ReviewPair(persons[a], persons[b], probability, band, tuple(agree), tuple(differ)))
        if pairs:
            out.append(pairs)
        if len(out) >= limit:
            break
    return out


def person_consents(*, person: Person) -> QuerySet[Consent]:
    return (
        Consent.objects.for_tenant(person.municipality_id)
        .filter(person=person)
        .select_related("recorded_by", "recorded_for")
        .prefetch_related("scope")
    )


@dataclass(frozen=True)
class HouseholdLine:
    """One member of the person's household as the viewer may see it: a member the viewer cannot open is
    shown without a name ("a member registered by another provider")."""

    member: HouseholdMember
    can_open: bool
    is_self: bool


def person_household(*, user: Any, person: Person) -> list[HouseholdLine]:
    """The person's household members; the others' names only when the viewer may open them."""
    household_ids = (
        HouseholdMember.objects.for_tenant(person.municipality_id).filter(person=person).values("household_id")
    )
    members = list(
        HouseholdMember.objects.for_tenant(person.municipality_id)
        .filter(household_id__in=household_ids)
        .select_related("person", "household")
        .order_by("household__name", "role")
    )
    others = {m.person_id for m in members if m.person_id != person.pk}
    openable = set(persons_visible_to(user).filter(pk__in=others).values_list("pk", flat=True)) if others else set()
    return [
        HouseholdLine(
            member=m, can_open=m.person_id in openable or m.person_id == person.pk, is_self=m.person_id == person.pk
        )
        for m in members
    ]


def person_sensitive(*, user: Any, person: Person) -> SensitiveProfile | None:
    """The special-category row if the user's role needs it; None otherwise (not even loaded)."""
    if not can_view_sensitive_data(user, person):
        return None
    return SensitiveProfile.objects.for_tenant(person.municipality_id).filter(person=person).first()


def person_documents(*, person: Person) -> list[IdentityDocument]:
    """The person's identity documents (the person already fetched with ``people.permissions.person_for``)."""
    return list(IdentityDocument.objects.for_tenant(person.municipality_id).filter(person=person))


def household_candidates(*, user: Any, person: Person) -> QuerySet[Household]:
    """Households the person may join: visible ones of the same family name or at the same address."""
    condition = Q(name__iexact=person.last_name)
    if person.address:
        condition |= Q(address__iexact=person.address)
    return households_visible_to(user).filter(condition).order_by("name")


# --- purpose of access (issue 26): a caseworker opening a person outside their caseload says why ---------


def person_outside_caseload(*, user: Any, person: Person) -> bool:
    """A caseworker (not a manager, coordinator or administrator) opening a person none of their open cases is
    about: the page asks why first (``people.hooks.register_caseload`` says what the caseload is)."""
    from carenet.core.policy import actor_of
    from carenet.core.roles import Role

    actor = actor_of(user)
    if actor.is_platform_admin or actor.is_coordinator or actor.has_role(Role.PROVIDER_MANAGER):
        return False
    if not actor.has_role(Role.CASEWORKER):
        return False
    # One EXISTS per source for this one person, not the caseload read whole: a national caseworker's open cases
    # run to thousands (issue 23's national-registry preset: 4,400, 104 ms read whole).
    return not any(source(user=user).filter(person_id=person.pk).exists() for source in caseload_sources())


@dataclass(frozen=True)
class AccessOpening:
    at: datetime.datetime
    user: str
    person_id: str
    person: str
    purpose: str


def outside_caseload_openings(
    *, user: Any, date_from: datetime.date | None = None, date_to: datetime.date | None = None, limit: int = 500
) -> list[AccessOpening]:
    """The auditor's report: who opened a person outside their caseload, when, and the reason they gave."""
    from carenet.audit.permissions import audit_events_visible_to

    events = audit_events_visible_to(user).filter(action="person.view", changes__outside_caseload=True)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return [
        AccessOpening(
            at=e.created_at,
            user=e.actor_label,
            person_id=e.object_id,
            person=e.object_label,
            purpose=purpose_label(e.purpose),
        )
        for e in events.order_by("-created_at")[:limit]
    ]
