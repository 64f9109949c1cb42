"""Every read of the activities registers, and the one selector behind each figure the plans count
(docs/architecture.md §5): the plans' computations, the KPIs and the pages call these, never re-count.

Figures take the municipality, a period and an :class:`ActivityFilter` (which activities count: their kinds
or kinds' categories, plan actions, organisers; which participants: sex, age range, disability). Only
activities **held** count. Participants are participations: a person at three events counts three times;
anonymous counts cannot be told apart, so no figure pretends to count distinct persons across activities.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from carenet.core.models import Organisation
from carenet.people.models import SensitiveProfile
from carenet.people.permissions import persons_visible_to
from carenet.people.selectors import person_search

from .models import (
    AccessibilityEvaluation,
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    AgeBand,
    Agreement,
    Attendance,
    DisabilityAnswer,
    MediaItem,
    ParticipantCount,
    Recommendation,
    RecommendationStatus,
    StaffMember,
    SubPlan,
    SubPlanIndicator,
    TrainingRecord,
)
from .permissions import (
    activities_visible_to,
    agreements_visible_to,
    recording_organisation_ids,
    register_visible_to,
    staff_visible_to,
)

UNKNOWN = "unknown"
# A band as the plans give it: (label, lowest age, highest age or None for "and over").
Band = tuple[str, int, int | None]


# --- the tenant's lists -----------------------------------------------------------------------------------


def _in_force(qs: QuerySet[Any], on: datetime.date | None) -> QuerySet[Any]:
    if on is None:
        return qs
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def kinds_in_force(*, municipality: Any, on: datetime.date | None = None) -> QuerySet[ActivityKind]:
    return _in_force(ActivityKind.objects.for_tenant(municipality), on)


def age_bands_in_force(*, municipality: Any, on: datetime.date | None = None) -> QuerySet[AgeBand]:
    return _in_force(AgeBand.objects.for_tenant(municipality), on)


# --- pages ------------------------------------------------------------------------------------------------


def _participants_subqueries(municipality_id: Any) -> dict[str, Any]:
    counted = (
        ParticipantCount.objects.for_tenant(municipality_id)
        .filter(activity_id=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(n=Sum("number"))
        .values("n")
    )
    named = (
        Attendance.objects.for_tenant(municipality_id)
        .filter(activity_id=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "anonymous_total": Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        "named_total": Coalesce(Subquery(named, output_field=IntegerField()), Value(0)),
    }


def activity_list(
    *,
    user: Any,
    municipality: Any,
    kind: Any = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    organisation: Any = None,
) -> QuerySet[Activity]:
    """The activities the user sees, newest first, each with its participants (anonymous + named)."""
    qs = activities_visible_to(user).select_related("kind", "organiser", "plan_action")
    if kind:
        qs = qs.filter(kind_id=kind)
    if organisation:
        qs = qs.filter(organiser_id=organisation)
    if date_from:
        qs = qs.filter(starts_on__gte=date_from)
    if date_to:
        qs = qs.filter(starts_on__lte=date_to)
    return qs.annotate(**_participants_subqueries(getattr(municipality, "pk", municipality))).order_by(
        "-starts_on", "title"
    )


@dataclass
class SheetSummary:
    anonymous: int
    named: int
    by_sex: dict[str, int]

    @property
    def total(self) -> int:
        return self.anonymous + self.named


def activity_sheet_summary(*, activity: Activity) -> SheetSummary:
    """What the sign-in sheet shows: how many recorded so far (anonymous, named) and by sex."""
    by_sex: dict[str, int] = defaultdict(int)
    anonymous = 0
    rows = (
        ParticipantCount.objects.for_tenant(activity.municipality_id)
        .filter(activity=activity)
        .values("sex")
        .annotate(n=Sum("number"))
        .order_by()
    )
    for row in rows:
        by_sex[row["sex"]] += row["n"] or 0
        anonymous += row["n"] or 0
    named_rows = (
        Attendance.objects.for_tenant(activity.municipality_id)
        .filter(activity=activity)
        .values("person__sex")
        .annotate(n=Count("pk"))
        .order_by()
    )
    named = 0
    for row in named_rows:
        by_sex[row["person__sex"] or "U"] += row["n"]
        named += row["n"]
    return SheetSummary(anonymous=anonymous, named=named, by_sex=dict(by_sex))


def activity_attendances(*, activity: Activity) -> QuerySet[Attendance]:
    return (
        Attendance.objects.for_tenant(activity.municipality_id)
        .filter(activity=activity)
        .select_related("person")
        .order_by("created_at")
    )


def staff_list(*, user: Any) -> QuerySet[StaffMember]:
    return staff_visible_to(user).select_related("organisation").order_by("organisation__name", "full_name")


def agreement_list(*, user: Any) -> QuerySet[Agreement]:
    return agreements_visible_to(user).select_related("organisation", "plan_action").order_by("-signed_on")


# --- figures (one selector each; the plans and the KPIs call these) --------------------------------------


@dataclass(frozen=True)
class ActivityFilter:
    """Which activities and participants a figure counts; empty = no restriction."""

    kinds: tuple[str, ...] = ()  # ActivityKind codes
    categories: tuple[str, ...] = ()  # KindCategory values
    action_ids: tuple[Any, ...] = ()  # plans.Action ids the activities implement
    organisation_ids: tuple[Any, ...] = ()  # organisers
    sex: str = ""  # participants: "F" / "M"
    age_min: int | None = None  # participants: age at the activity's date
    age_max: int | None = None
    disability: str = ""  # participants: "yes" / "no"
    extra: dict[str, Any] = field(default_factory=dict)


def activities_counted(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> QuerySet[Activity]:
    """The held activities of the period that ``filters`` selects (the records behind every figure)."""
    qs = Activity.objects.for_tenant(municipality).filter(
        status=ActivityStatus.HELD, starts_on__gte=date_from, starts_on__lte=date_to
    )
    if filters.kinds:
        qs = qs.filter(kind__code__in=filters.kinds)
    if filters.categories:
        qs = qs.filter(kind__category__in=filters.categories)
    if filters.action_ids:
        qs = qs.filter(plan_action_id__in=filters.action_ids)
    if filters.organisation_ids:
        qs = qs.filter(organiser_id__in=filters.organisation_ids)
    return qs


# --- one read of the period's register, shared by every figure of a report ---------------------------------
#
# A plan's report asks ~100 figures of the same period; each would scan the register again. Inside
# ``shared_reads()`` (the plans' ``compute_all`` opens it) the period's held activities, their anonymous counts
# (grouped by activity, sex, age band and disability) and their partners are read ONCE and every figure filters
# them in memory with the same rules as ``activities_counted``. Outside it, each figure reads its own period.

_shared: ContextVar[dict[Any, Any] | None] = ContextVar("activities_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


@dataclass(frozen=True)
class _Row:
    pk: Any
    action_id: Any
    kind: str
    category: str
    organiser_id: Any
    locality: str
    modules: int
    topic: str
    kind_name: str
    kind_order: int
    starts_on: datetime.date


class _Period:
    """The period's held activities, read once; their counts, partners and named participants are read on
    first use (a figure that counts activities only reads one table)."""

    def __init__(self, m: Any, date_from: datetime.date, date_to: datetime.date) -> None:
        self.m = m
        self.held = Activity.objects.for_tenant(m).filter(
            status=ActivityStatus.HELD, starts_on__gte=date_from, starts_on__lte=date_to
        )

    @cached_property
    def activities(self) -> list[_Row]:
        return [
            _Row(*values)
            for values in self.held.order_by("starts_on", "pk").values_list(
                "pk",
                "plan_action_id",
                "kind__code",
                "kind__category",
                "organiser_id",
                "locality",
                "modules",
                "topic",
                "kind__name",
                "kind__order",
                "starts_on",
            )
        ]

    @cached_property
    def counts(self) -> dict[Any, list[tuple[str, str, str, int]]]:
        """activity id → (sex, age band, disability, n)"""
        counts: dict[Any, list[tuple[str, str, str, int]]] = defaultdict(list)
        for activity_id, sex, band, disability, n in (
            ParticipantCount.objects.for_tenant(self.m)
            .filter(activity__in=self.held.values("pk"))
            .values("activity_id", "sex", "age_band", "disability")
            .annotate(n=Sum("number"))
            .order_by()
            .values_list("activity_id", "sex", "age_band", "disability", "n")
        ):
            counts[activity_id].append((sex, band, disability, n))
        return dict(counts)

    @cached_property
    def partners(self) -> dict[Any, list[Any]]:
        partners: dict[Any, list[Any]] = defaultdict(list)
        for activity_id, organisation_id in (
            ActivityPartner.objects.for_tenant(self.m)
            .filter(activity__in=self.held.values("pk"))
            .values_list("activity_id", "organisation_id")
        ):
            partners[activity_id].append(organisation_id)
        return dict(partners)

    @cached_property
    def named(self) -> dict[Any, list[tuple[Any, str, Any]]]:
        """activity id → (person id, sex, birth date)"""
        named: dict[Any, list[tuple[Any, str, Any]]] = defaultdict(list)
        for activity_id, person_id, sex, birth in (
            Attendance.objects.for_tenant(self.m)
            .filter(activity__in=self.held.values("pk"))
            .values_list("activity_id", "person_id", "person__sex", "person__birth_date")
        ):
            named[activity_id].append((person_id, sex, birth))
        return dict(named)

    @cached_property
    def disabled(self) -> set[Any]:
        """The named persons with a disability recorded."""
        persons = {p for listed in self.named.values() for p, _sex, _birth in listed}
        if not persons:
            return set()
        return set(
            SensitiveProfile.objects.for_tenant(self.m)
            .filter(person_id__in=persons)
            .exclude(disability_degree="")
            .values_list("person_id", flat=True)
        )

    @cached_property
    def bands(self) -> dict[str, tuple[int | None, int | None]]:
        """The tenant's sheet bands: code → (low, high)."""
        return {b.code: (b.low, b.high) for b in AgeBand.objects.for_tenant(self.m)}


def _read_period(municipality: Any, date_from: datetime.date, date_to: datetime.date) -> _Period:
    m = getattr(municipality, "pk", municipality)
    cache = _shared.get()
    key = (m, date_from, date_to)
    if cache is not None and key in cache:
        return cache[key]
    period = _Period(m, date_from, date_to)
    if cache is not None:
        cache[key] = period
    return period


def _selected(period: _Period, filters: ActivityFilter) -> list[_Row]:
    """The rows ``activities_counted`` would select (same rules, in memory)."""
    kinds, categories = set(filters.kinds), set(filters.categories)
    actions, organisers = set(filters.action_ids), set(filters.organisation_ids)
    return [
        r
        for r in period.activities
        if (not kinds or r.kind in kinds)
        and (not categories or r.category in categories)
        and (not actions or r.action_id in actions)
        and (not organisers or r.organiser_id in organisers)
    ]


def activity_count(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> int:
    """Number of held activities (trainings, campaigns, meetings …) in the period."""
    return len(_selected(_read_period(municipality, date_from, date_to), filters))


def activity_partner_count(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> int:
    """Distinct partner organisations of the counted activities ("număr de parteneri implicați")."""
    period = _read_period(municipality, date_from, date_to)
    return len({org for r in _selected(period, filters) for org in period.partners.get(r.pk, ())})


def activity_module_count(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> int:
    """Training modules delivered: the sum of the counted activities' modules."""
    return sum(r.modules for r in _selected(_read_period(municipality, date_from, date_to), filters))


def activity_locality_count(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> int:
    """Distinct localities where the counted activities took place (blank locality not counted)."""
    return len({r.locality for r in _selected(_read_period(municipality, date_from, date_to), filters) if r.locality})


def _band_of(age: int | None, bands: Sequence[Band]) -> str:
    if age is None:
        return UNKNOWN
    for label, low, high in bands:
        if age >= low and (high is None or age <= high):
            return label
    return UNKNOWN


def _band_of_range(low: int, high: int | None, bands: Sequence[Band]) -> str:
    """The first of ``bands`` that contains the whole range [low, high]; unknown if none does."""
    for label, b_low, b_high in bands:
        if low >= b_low and (b_high is None or (high is not None and high <= b_high)):
            return label
    return UNKNOWN


def _age_on(birth: datetime.date | None, on: datetime.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _range_passes(low: int | None, high: int | None, filters: ActivityFilter) -> bool:
    """An anonymous count's band passes an age filter only when the whole band lies within it."""
    if filters.age_min is None and filters.age_max is None:
        return True
    if low is None:
        return False
    if filters.age_min is not None and low < filters.age_min:
        return False
    return filters.age_max is None or (high is not None and high <= filters.age_max)


def _age_passes(age: int | None, filters: ActivityFilter) -> bool:
    if filters.age_min is None and filters.age_max is None:
        return True
    if age is None:
        return False
    return (filters.age_min is None or age >= filters.age_min) and (filters.age_max is None or age <= filters.age_max)


Cell = tuple[str, ...]


def participant_cells(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    filters: ActivityFilter,
    by: Iterable[str] = (),
    age_bands: Sequence[Band] = (),
) -> dict[Cell, int]:
    """Participants of the counted activities by the cells ``by`` (any of "sex", "age", "disability", in that
    order), anonymous counts and named attendances together; ``()`` is the only key when ``by`` is empty.

    Values are the plans' option codes: sex ``f``/``m``, the age band's label (placed in ``age_bands``: an
    anonymous count's band must fit wholly in one), disability ``yes``/``no``; anything not recorded,
    not asked or refused is ``unknown`` — the cells always add up to the total.
    """
    order = list(by)
    result: dict[Cell, int] = defaultdict(int)
    period = _read_period(municipality, date_from, date_to)
    own_bands = period.bands

    def key(sex: str, band: str, disability: str) -> Cell:
        values = {"sex": sex, "age": band, "disability": disability}
        return tuple(values[c] for c in order)

    sex_code = {"F": "f", "M": "m"}
    disability_code: dict[str, str] = {DisabilityAnswer.YES.value: "yes", DisabilityAnswer.NO.value: "no"}
    grouped: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in _selected(period, filters):
        for sex, age_band, disability, n in period.counts.get(r.pk, ()):
            if (filters.sex and sex != filters.sex) or (filters.disability and disability != filters.disability):
                continue
            grouped[(sex, age_band, disability)] += n
    for (sex, age_band, disability), n in grouped.items():
        low, high = own_bands.get(age_band, (None, None))
        if not _range_passes(low, high, filters):
            continue
        band = _band_of_range(low, high, age_bands) if low is not None and "age" in order else UNKNOWN
        result[key(sex_code.get(sex, UNKNOWN), band, disability_code.get(disability, UNKNOWN))] += n

    rows = [
        (person_id, sex, birth, r.starts_on)
        for r in _selected(period, filters)
        for person_id, sex, birth in period.named.get(r.pk, ())
        if not filters.sex or sex == filters.sex
    ]
    disabled = period.disabled
    for person_id, sex, birth, on in rows:
        age = _age_on(birth, on)
        if not _age_passes(age, filters):
            continue
        has = "yes" if person_id in disabled else "no"
        if filters.disability and has != filters.disability:
            continue
        result[key(sex_code.get(sex, UNKNOWN), _band_of(age, age_bands), has)] += 1
    return dict(result)


def participant_total(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> int:
    cells = participant_cells(municipality=municipality, date_from=date_from, date_to=date_to, filters=filters)
    return sum(cells.values())


def staff_trained_cells(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    professions: tuple[str, ...] = (),
    by: Iterable[str] = (),
    age_bands: Sequence[Band] = (),
) -> dict[Cell, int]:
    """Distinct staff members with a training completed in the period, by sex and age band (age at the
    period's end from the year of birth)."""
    order = list(by)
    qs = StaffMember.objects.for_tenant(municipality).filter(
        pk__in=TrainingRecord.objects.for_tenant(municipality)
        .filter(completed_on__gte=date_from, completed_on__lte=date_to)
        .values("staff_id")
    )
    if professions:
        qs = qs.filter(profession__in=professions)
    result: dict[Cell, int] = defaultdict(int)
    sex_code = {"F": "f", "M": "m"}
    for sex, birth_year in qs.values_list("sex", "birth_year"):
        age = date_to.year - birth_year if birth_year else None
        values = {"sex": sex_code.get(sex, UNKNOWN), "age": _band_of(age, age_bands), "disability": UNKNOWN}
        result[tuple(values[c] for c in order)] += 1
    return dict(result)


def staff_headcount(*, municipality: Any, on: datetime.date, professions: tuple[str, ...] = ()) -> int:
    """Staff employed on ``on`` (the denominator of "% of specialists trained")."""
    qs = (
        StaffMember.objects.for_tenant(municipality)
        .filter(employed_from__lte=on)
        .filter(Q(employed_to__isnull=True) | Q(employed_to__gte=on))
    )
    if professions:
        qs = qs.filter(profession__in=professions)
    return qs.count()


def staff_left(*, municipality: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """Staff whose employment ended in the period (the numerator of staff turnover)."""
    return (
        StaffMember.objects.for_tenant(municipality)
        .filter(employed_to__gte=date_from, employed_to__lte=date_to)
        .count()
    )


def agreements_signed(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    action_ids: tuple[Any, ...] = (),
    kinds: tuple[str, ...] = (),
) -> int:
    """Agreements (partnerships, protocols, contracts) signed in the period."""
    qs = Agreement.objects.for_tenant(municipality).filter(signed_on__gte=date_from, signed_on__lte=date_to)
    if action_ids:
        qs = qs.filter(plan_action_id__in=action_ids)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.count()


def recording_organisations(*, user: Any, municipality: Any) -> QuerySet[Organisation]:
    """The organisations the user records activities for (a coordinator: any of the municipality)."""
    qs = Organisation.objects.for_tenant(municipality).filter(is_generic=False).order_by("name")
    ids = recording_organisation_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


def persons_nameable(*, user: Any, query: str, limit: int = 10) -> list[Any]:
    """Registered persons the user may name on a sign-in sheet (the people app's search and visibility)."""
    if len(query.strip()) < 2:
        return []
    return list(person_search(user=user, query=query, limit=limit))


def named_visible(*, user: Any, person_ids: Iterable[Any]) -> set[Any]:
    """Which of these persons the reader may see by name (the others are shown as "a registered person")."""
    return set(persons_visible_to(user).filter(pk__in=list(person_ids)).values_list("pk", flat=True))


def activities_behind(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> QuerySet[Activity]:
    """The records behind a figure (the drill-down from a plan's indicator), each with its participants."""
    return (
        activities_counted(municipality=municipality, date_from=date_from, date_to=date_to, filters=filters)
        .select_related("kind", "organiser", "plan_action")
        .annotate(**_participants_subqueries(getattr(municipality, "pk", municipality)))
        .order_by("starts_on", "title")
    )


# --- the network registers (decision 0025): pages ---------------------------------------------------------


def staff_of_organisation(*, user: Any, organisation_id: Any = None) -> QuerySet[StaffMember]:
    """The staff register as the user sees it (their organisation's; the coordinator: any), with trainings."""
    qs = staff_list(user=user).annotate(trainings_n=Count("trainings"))
    return qs.filter(organisation_id=organisation_id) if organisation_id else qs


def register_list(*, user: Any, model: Any) -> QuerySet[Any]:
    """Media items, recommendations, accessibility evaluations or sub-plans as the user sees them."""
    qs = register_visible_to(user, model).select_related("organisation", "plan_action")
    if model is SubPlan:
        qs = qs.annotate(
            indicators_n=Count("indicators"),
            achieved_n=Count("indicators", filter=Q(indicators__achieved=True)),
        )
    return qs.order_by(*model._meta.ordering, "pk")


# --- the network registers: figures (one selector each) ---------------------------------------------------


def _dated(qs: QuerySet[Any], column: str, date_from: datetime.date, date_to: datetime.date) -> QuerySet[Any]:
    return qs.filter(**{f"{column}__gte": date_from, f"{column}__lte": date_to})


def activity_topics(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> list[str]:
    """The distinct topics of the counted activities ("tematici abordate"), in the order first held."""
    rows = _selected(_read_period(municipality, date_from, date_to), filters)
    return list(dict.fromkeys(r.topic.strip() for r in rows if r.topic.strip()))


def activity_kind_names(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> list[str]:
    """The kinds of the counted activities ("tipuri de activități realizate"), as the tenant names them."""
    rows = sorted(
        _selected(_read_period(municipality, date_from, date_to), filters), key=lambda r: (r.kind_order, r.kind_name)
    )
    return list(dict.fromkeys(r.kind_name for r in rows))


def staff_trained_share(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, professions: tuple[str, ...] = ()
) -> tuple[int, int]:
    """(specialists employed at the period's end trained in the period, specialists employed at its end)."""
    employed = StaffMember.objects.for_tenant(municipality).filter(employed_from__lte=date_to)
    employed = employed.filter(Q(employed_to__isnull=True) | Q(employed_to__gte=date_to))
    if professions:
        employed = employed.filter(profession__in=professions)
    trained = employed.filter(
        pk__in=_dated(TrainingRecord.objects.for_tenant(municipality), "completed_on", date_from, date_to).values(
            "staff_id"
        )
    )
    return trained.count(), employed.count()


def staff_turnover(*, municipality: Any, date_from: datetime.date, date_to: datetime.date) -> tuple[int, int]:
    """(staff who left in the period, staff employed at its start): turnover = left / employed at the start."""
    at_start = staff_headcount(municipality=municipality, on=date_from)
    return staff_left(municipality=municipality, date_from=date_from, date_to=date_to), at_start


def media_counted(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    kinds: tuple[str, ...] = (),
    action_ids: tuple[Any, ...] = (),
) -> QuerySet[MediaItem]:
    qs = _dated(MediaItem.objects.for_tenant(municipality), "published_on", date_from, date_to)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if action_ids:
        qs = qs.filter(plan_action_id__in=action_ids)
    return qs


def media_count(**kw: Any) -> int:
    """Media items published (articles, broadcasts, success stories, panel placements/updates)."""
    return media_counted(**kw).count()


def media_outlets(**kw: Any) -> list[str]:
    """The media outlets involved ("mass-media implicată")."""
    rows = media_counted(**kw).exclude(outlet="").order_by("outlet").values_list("outlet", flat=True)
    return list(dict.fromkeys(rows))


def media_topics(**kw: Any) -> list[str]:
    rows = media_counted(**kw).exclude(topic="").order_by("published_on", "pk").values_list("topic", flat=True)
    return list(dict.fromkeys(rows))


def recommendations_counted(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    implemented: bool = False,
    action_ids: tuple[Any, ...] = (),
) -> QuerySet[Recommendation]:
    """Recommendations formulated in the period, or (``implemented``) implemented in the period."""
    qs = Recommendation.objects.for_tenant(municipality)
    if implemented:
        qs = _dated(qs.filter(status=RecommendationStatus.IMPLEMENTED), "implemented_on", date_from, date_to)
    else:
        qs = _dated(qs, "formulated_on", date_from, date_to)
    if action_ids:
        qs = qs.filter(plan_action_id__in=action_ids)
    return qs


def recommendation_count(**kw: Any) -> int:
    return recommendations_counted(**kw).count()


def evaluations_counted(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    targets: tuple[str, ...] = (),
    adapted: bool = False,
) -> QuerySet[AccessibilityEvaluation]:
    """Accessibility evaluations made in the period, or (``adapted``) adaptations completed in it."""
    qs = AccessibilityEvaluation.objects.for_tenant(municipality)
    qs = _dated(qs, "adapted_on" if adapted else "evaluated_on", date_from, date_to)
    if targets:
        qs = qs.filter(target__in=targets)
    return qs


def accessibility_count(*, by_organisation: bool = False, **kw: Any) -> int:
    """Evaluations (or adaptations); ``by_organisation``: distinct organisations ("entități municipale")."""
    qs = evaluations_counted(**kw)
    return qs.values("organisation_id").distinct().count() if by_organisation else qs.count()


def sub_plans_counted(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    kinds: tuple[str, ...] = (),
    action_ids: tuple[Any, ...] = (),
    approved: bool = False,
) -> QuerySet[SubPlan]:
    """The sub-plans of the period's years (annual plans of services, libraries …)."""
    qs = SubPlan.objects.for_tenant(municipality).filter(year__gte=date_from.year, year__lte=date_to.year)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if action_ids:
        qs = qs.filter(plan_action_id__in=action_ids)
    if approved:
        qs = qs.filter(approved_on__isnull=False)
    return qs


def sub_plan_count(*, by_organisation: bool = False, **kw: Any) -> int:
    qs = sub_plans_counted(**kw)
    return qs.values("organisation_id").distinct().count() if by_organisation else qs.count()


def sub_plan_achievement(**kw: Any) -> tuple[int, int]:
    """(indicators achieved, indicators assessed) of the sub-plans: "% of the plans' indicators achieved"."""
    rows = (
        SubPlanIndicator.objects.for_tenant(kw["municipality"])
        .filter(sub_plan__in=sub_plans_counted(**kw).values("pk"), achieved__isnull=False)
        .aggregate(achieved=Count("pk", filter=Q(achieved=True)), assessed=Count("pk"))
    )
    return int(rows["achieved"]), int(rows["assessed"])


def programme_completion(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, filters: ActivityFilter
) -> tuple[int, int]:
    """(completed, enrolled) over the counted programmes that record their enrolment."""
    rows = (
        activities_counted(municipality=municipality, date_from=date_from, date_to=date_to, filters=filters)
        .filter(enrolled__isnull=False)
        .aggregate(completed=Coalesce(Sum("completed"), Value(0)), enrolled=Coalesce(Sum("enrolled"), Value(0)))
    )
    return int(rows["completed"]), int(rows["enrolled"])


def sub_plan_indicators(*, sub_plan: Any) -> Any:
    """The indicators of a sub-plan (already fetched and checked by ``register_record_to_change``), in order."""
    return sub_plan.indicators.order_by("order", "pk")
