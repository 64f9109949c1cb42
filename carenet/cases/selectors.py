"""Reads of cases, always within what the user may see."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SqlCase  # cases.models has a Case too
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from carenet.accounts.models import Membership
from carenet.core.policy import actor_of
from carenet.directory.models import Service, ServiceStatus
from carenet.people.models import Person
from carenet.people.names import ascii_words, skeleton

from .models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    DutyKind,
    InterventionPlan,
    MonitoringDuty,
    PlanAction,
    PlanStatus,
    ServiceDelivery,
    Task,
)
from .permissions import cases_visible_to, deliveries_visible_to, duties_visible_to, supervised_organisations

# Messages for callers in higher layers (API) that name a case or a service by id.
CASE_NOT_FOUND = gettext_lazy("No case with this identifier that you may see.")
SERVICE_UNKNOWN = gettext_lazy("Choose a service of this provider.")


# The columns a case's row shows on a page (reference, status, opening date, the person's name): the home page's
# caseload and the approvals load only these, not the whole case and person rows. The municipality stays
# loaded: a related row reached from a case is read within its tenant (core.tenancy).
CASE_ROW_FIELDS = (
    "municipality_id",
    "reference",
    "status",
    "opened_on",
    "person_id",
    "organisation_id",
    "caseworker_id",
    "person__municipality_id",
    "person__first_name",
    "person__last_name",
)


@dataclass(frozen=True)
class CaseRow:
    """One line of a list of cases, as the cases page and the workspace show it (plain values, no model rows:
    at 100 lines, building a case, a person, a provider and a user per line cost more than the query)."""

    pk: Any
    reference: str
    status: str
    status_label: str  # what ``get_status_display`` shows
    opened_on: datetime.date
    person_id: Any
    person_name: str  # "last first", as the lists show it
    provider: str  # the organisation as ``str(organisation)`` shows it
    caseworker: str  # the caseworker's full name, else the username; "" when none


_CASE_ROW_VALUES = (
    "pk",
    "reference",
    "status",
    "opened_on",
    "person_id",
    "person__first_name",
    "person__last_name",
    "organisation__name",
    "organisation__short_name",
    "caseworker_id",
    "caseworker__username",
    "caseworker__first_name",
    "caseworker__last_name",
)


def _case_rows(qs: QuerySet[Case]) -> list[CaseRow]:
    labels = {value: str(label) for value, label in CaseStatus.choices}
    rows = []
    for (
        pk,
        ref,
        status,
        opened,
        person_id,
        first,
        last,
        org,
        org_short,
        cw_id,
        cw_user,
        cw_first,
        cw_last,
    ) in qs.values_list(*_CASE_ROW_VALUES):
        rows.append(
            CaseRow(
                pk=pk,
                reference=ref,
                status=status,
                status_label=labels.get(status, status),
                opened_on=opened,
                person_id=person_id,
                person_name=f"{last} {first}",
                provider=org_short or org,
                caseworker="" if cw_id is None else (f"{cw_first} {cw_last}".strip() or cw_user),
            )
        )
    return rows


def _case_search(*, user: Any, query: str, status: str, mine: bool) -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("person", "organisation", "caseworker")
    if mine:
        qs = qs.filter(caseworker_id=user.pk)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    query = (query or "").strip()[:100]
    if query:
        condition = Q(reference__icontains=query)
        words = ascii_words(query)
        if words:
            name = Q()
            for word in words:
                name &= Q(person__search_text__contains=word) | Q(person__search_text__contains=skeleton(word))
            condition |= name
        qs = qs.filter(condition)
    return qs.order_by("-opened_on")


def case_search(
    *, user: Any, query: str = "", status: str = "", mine: bool = False, limit: int = 100
) -> QuerySet[Case]:
    return _case_search(user=user, query=query, status=status, mine=mine)[:limit]


def case_list_rows(
    *, user: Any, query: str = "", status: str = "", mine: bool = False, limit: int = 100
) -> list[CaseRow]:
    """``case_search`` for the cases page: the same cases in the same order, as ``CaseRow`` lines."""
    return _case_rows(_case_search(user=user, query=query, status=status, mine=mine)[:limit])


def my_case_rows(*, user: Any, limit: int = 50) -> list[CaseRow]:
    """``my_cases`` as ``CaseRow`` lines (the workspace)."""
    return _case_rows(
        cases_visible_to(user).filter(caseworker_id=user.pk, status__in=OPEN_STATUSES).order_by("-opened_on")[:limit]
    )


def my_cases(*, user: Any, limit: int = 50) -> QuerySet[Case]:
    """The caseworker's open cases, most recent first (the workspace shows the first ``limit``), as rows of
    ``CASE_ROW_FIELDS`` (the workspace and the home page show the reference, the person and the status)."""
    return (
        cases_visible_to(user)
        .filter(caseworker_id=user.pk, status__in=OPEN_STATUSES)
        .select_related("person")
        .only(*CASE_ROW_FIELDS)
        .order_by("-opened_on")[:limit]
    )


# A task's or a duty's case as its lists show it: the reference and the person's name.
_ITS_CASE = (
    "case_id",
    "case__municipality_id",
    "case__reference",
    "case__person_id",
    "case__person__municipality_id",
    "case__person__first_name",
    "case__person__last_name",
)


def my_tasks(*, user: Any, limit: int = 50) -> QuerySet[Task]:
    return (
        Task.objects.for_tenant(user.municipality_id)
        .filter(assignee_id=user.pk, done_at__isnull=True)
        .select_related("case", "case__person")
        .only("municipality_id", "title", "due_on", "assignee_id", "done_at", *_ITS_CASE)
        .order_by("due_on")[:limit]
    )


_DUTY_ROW_FIELDS = ("municipality_id", "kind", "next_due_on", "responsible_id", "completed_on", *_ITS_CASE)


def my_duties(*, user: Any, within_days: int = 14, limit: int = 50) -> QuerySet[MonitoringDuty]:
    """Duties the user is responsible for whose next visit is due soon or overdue."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    return (
        MonitoringDuty.objects.for_tenant(user.municipality_id)
        .filter(responsible_id=user.pk, completed_on__isnull=True, next_due_on__lte=horizon)
        .select_related("case", "case__person")
        .only(*_DUTY_ROW_FIELDS)
        .order_by("next_due_on")[:limit]
    )


def supervisor_overdue_duties(*, user: Any, limit: int = 100) -> QuerySet[MonitoringDuty]:
    orgs = supervised_organisations(user)
    return (
        MonitoringDuty.objects.for_tenant(user.municipality_id)
        .filter(case__organisation_id__in=orgs, completed_on__isnull=True, next_due_on__lt=timezone.localdate())
        .select_related("case", "case__person", "responsible")
        .only(*_DUTY_ROW_FIELDS, "responsible__username", "responsible__first_name", "responsible__last_name")
        .order_by("next_due_on")[:limit]
    )


def approvals_waiting(*, user: Any) -> dict[str, Any]:
    orgs = supervised_organisations(user)
    if not orgs:
        return {"plans": [], "closures": []}
    tenant = user.municipality_id
    return {
        "plans": InterventionPlan.objects.for_tenant(tenant)
        .filter(case__organisation_id__in=orgs, status=PlanStatus.SUBMITTED)
        .select_related("case", "case__person")
        .only("municipality_id", "status", *_ITS_CASE)[:50],
        "closures": Case.objects.for_tenant(tenant)
        .filter(organisation_id__in=orgs, status=CaseStatus.CLOSING)
        .select_related("person")
        .only(*CASE_ROW_FIELDS)[:50],
    }


def case_file(*, case: Case, detail: bool, events: int = 50) -> dict[str, Any]:
    """What the case page shows: the timeline, and — with ``detail`` (the case's own provider) — the case file.

    ``case`` was fetched with ``cases.permissions.case_for``; its rows are reached through it (same tenant).
    """
    shown: dict[str, Any] = {"events": case.events.select_related("actor")[:events]}
    if detail:
        shown.update(
            # Lists, not querysets: the page also asks whether the case has any (what it can print).
            inquiries=list(case.inquiries.all()),
            plans=list(
                case.plans.prefetch_related(
                    Prefetch("actions", queryset=PlanAction.objects.select_related("service", "staff"))
                ).select_related("approved_by", "returned_by")
            ),
            assessments=case.assessments.prefetch_related("ratings"),
            notes=case.notes.select_related("author")[:30],
            documents=case.documents.all(),
            tasks=case.tasks.select_related("assignee"),
            duties=case.duties.select_related("responsible").prefetch_related("visits"),
            deliveries=case.deliveries.select_related("service").order_by("-delivered_on")[:30],
        )
    return shown


def draft_plan(*, case: Case) -> InterventionPlan | None:
    """The case's plan still being written (actions are added to it), if any."""
    return case.plans.filter(status=PlanStatus.DRAFT).first()


def services_of_case_provider(*, case: Case) -> QuerySet[Service]:
    """The directory services of the case's provider (a delivery is recorded against one of them)."""
    return Service.objects.for_tenant(case.municipality_id).filter(organisation_id=case.organisation_id)


def services_of_network(*, case: Case) -> QuerySet[Service]:
    """The active services of the case's municipality: a plan's goal may be met by any of them."""
    return (
        Service.objects.for_tenant(case.municipality_id)
        .filter(status=ServiceStatus.ACTIVE)
        .select_related("organisation")
        .order_by("name")
    )


def staff_of_case_provider(*, case: Case) -> QuerySet:
    """The active members of the case's provider (a plan's action is carried out by one of them)."""
    members = Membership.objects.for_tenant(case.municipality_id).filter(
        organisation_id=case.organisation_id, is_active=True, user__is_active=True
    )
    return (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


def caseload_person_ids(*, user: Any) -> QuerySet:
    """The persons of the user's caseload: the open cases they are the caseworker of (people's caseload hook:
    read-volume alerts and the purpose of access, issue 26)."""
    tenant = getattr(user, "municipality_id", None)
    if tenant is None:
        return Case.objects.none().values_list("person_id", flat=True)
    return (
        Case.objects.for_tenant(tenant)
        .filter(caseworker_id=user.pk, status__in=OPEN_STATUSES)
        .values_list("person_id", flat=True)
        .distinct()
    )


def person_cases(*, user: Any, person_id: Any) -> QuerySet[Case]:
    return cases_visible_to(user).filter(person_id=person_id).select_related("organisation").order_by("-opened_on")


# --- Persons served, service acts and quantity: the one computation (docs/architecture.md §5) ------------
#
# Every place that shows how many persons were served, how many service acts or what quantity was delivered
# (a plan's computed indicators, the KPIs, the dashboards, the maps, the API) calls ``delivery_cells``; none
# counts deliveries itself. One pass: the period's deliveries are first reduced to one row per person (and
# per month or provider when asked: acts, quantity), read from the covering index ``delivery_person_date``,
# and only then joined to the persons and grouped into cells. A person falls in exactly one cell of the
# person dimensions, so those cells add up to the total; across months or providers a person served in two
# counts in each.

PERSON_DIMENSIONS = ("sex", "age", "disability", "area")
DELIVERY_DIMENSIONS = ("month", "organisation")
AgeBand = tuple[str, int, int | None]  # (label, lowest age, highest age or None for "and over")
_QUANTITY_PLACES = Decimal("0.01")  # ServiceDelivery.quantity has two decimal places


PERSONS, ACTS, QUANTITY = "persons", "acts", "quantity"
MEASURES = (PERSONS, ACTS, QUANTITY)


def _plus(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


@dataclass(frozen=True)
class Served:
    """Unique persons, service acts (deliveries) and quantity delivered: three numbers never added together.

    ``acts`` and ``quantity`` are None when they were not asked for (``delivery_cells(measures=...)``).
    """

    persons: int = 0
    acts: int | None = 0
    quantity: Decimal | None = Decimal(0)

    def __add__(self, other: Served) -> Served:
        return Served(self.persons + other.persons, _plus(self.acts, other.acts), _plus(self.quantity, other.quantity))


@dataclass(frozen=True)
class DeliveryCells:
    """What was served, per cell: ``cells[(one value per dimension of by, in that order)]``.

    Values: sex as recorded ("F", "M", "U"), the age band's label (None: no band, or no birth date),
    disability True/False, the area's id (None: not recorded), the month's first day, the provider's id.
    """

    by: tuple[str, ...]
    cells: dict[tuple[Any, ...], Served]

    def sum_by(self, dimension: str) -> dict[Any, Served]:
        """The cells summed up to one dimension (persons add up only over the person dimensions)."""
        i = self.by.index(dimension)
        out: dict[Any, Served] = {}
        for key, served in self.cells.items():
            out[key[i]] = out.get(key[i], Served()) + served
        return out

    @property
    def total(self) -> Served:
        if any(d in DELIVERY_DIMENSIONS for d in self.by):
            raise ValueError("persons do not add up across months or providers: count them without those")
        return sum(self.cells.values(), Served())


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band_q(low: int, high: int | None, *, on: datetime.date, prefix: str = "") -> Q:
    """Persons aged ``low``–``high`` (``high`` None: and over) on ``on``, by birth date; no birth date never matches.

    age at ``on`` ≥ low  ⇔  born on or before ``on`` − low years;  age ≤ high  ⇔  born after ``on`` − (high + 1) years.
    """
    q = Q(**{f"{prefix}birth_date__lte": years_before(on, low)})
    if high is not None:
        q &= Q(**{f"{prefix}birth_date__gt": years_before(on, high + 1)})
    return q


def has_disability_q(prefix: str = "") -> Q:
    """Persons with a recorded degree of disability (sensitive profile)."""
    return Q(**{f"{prefix}sensitive__disability_degree__gt": ""})


def person_cells(
    dimensions: Sequence[str], *, on: datetime.date, age_bands: Sequence[AgeBand] = (), prefix: str = ""
) -> dict[str, Any]:
    """SQL expressions giving a person's value in each of ``dimensions`` (``prefix``: the path to the person).

    Age bands are matched in order, the first match wins (bands must not overlap: ``geo.population.age_band_overlaps``).
    """
    exprs: dict[str, Any] = {}
    for dimension in dimensions:
        if dimension == "sex":
            exprs[dimension] = F(f"{prefix}sex")
        elif dimension == "area":
            exprs[dimension] = F(f"{prefix}area_id")
        elif dimension == "disability":
            exprs[dimension] = SqlCase(
                When(has_disability_q(prefix), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        elif dimension == "age":
            whens = [
                When(age_band_q(low, high, on=on, prefix=prefix), then=Value(label)) for label, low, high in age_bands
            ]
            exprs[dimension] = SqlCase(*whens, default=Value(None), output_field=CharField())
        else:
            raise ValueError(f"not a person dimension: {dimension!r}")
    return exprs


def _month_of_delivery() -> Any:
    """The first day of the delivery's month. On PostgreSQL, DATE_TRUNC of a date picks the timestamptz variant
    (a time-zone conversion per row); through a plain timestamp the same month comes ~15% cheaper."""
    if connection.vendor == "postgresql":
        return Func(
            F("delivered_on"),
            template="DATE_TRUNC('month', %(expressions)s::timestamp)::date",
            output_field=DateField(),
        )
    return TruncMonth("delivered_on")


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):  # SQLite's date truncation comes back as text in a raw query
        return datetime.date.fromisoformat(value[:10])
    return value


def _as_uuid(value: Any) -> uuid.UUID | None:
    # Raw rows carry the backend's UUID form (text without dashes on SQLite).
    return None if value is None else uuid.UUID(str(value))


# How each dimension's value comes back from the raw query, as Python.
_READ: dict[str, Callable[[Any], Any]] = {
    "sex": lambda v: v,
    "age": lambda v: v,
    "disability": bool,
    "area": _as_uuid,
    "month": _as_date,
    "organisation": _as_uuid,
}

# PostgreSQL: the grouping of a year of deliveries (about 650,000 (key, person) rows at 2,000,000 deliveries)
# spills to temporary files with the default work_mem (4 MB), and the planner, which cannot estimate how few
# groups the CASE expressions make, sorts on disk instead of hashing in memory: 2.4 s → 1.4 s for a plan's
# cells. The setting is for the current transaction only (set_config(..., true) = SET LOCAL).
WORK_MEM = "64MB"
_WORK_MEM_FORMAT = re.compile(r"^[0-9]{1,6}(kB|MB|GB)$")
_grouping_tuned: ContextVar[bool] = ContextVar("carenet_grouping_tuned", default=False)


@contextmanager
def grouping_settings(*, work_mem: str = WORK_MEM, jit: bool = True, using: str = "default") -> Iterator[None]:
    """Let the aggregates run inside hash their groups in memory (PostgreSQL; nothing elsewhere).

    A caller that tunes a whole transaction (the dashboard) wraps it once; the counts run inside then leave
    its settings alone. ``work_mem=""`` leaves the server's settings as they are (a benchmark's baseline); a
    malformed value is ignored, never sent.
    """
    db = connections[using]
    if db.vendor != "postgresql" or _grouping_tuned.get():
        yield
        return
    token = _grouping_tuned.set(True)
    try:
        if not _WORK_MEM_FORMAT.match(work_mem):
            yield
            return

        def apply() -> None:
            with db.cursor() as cursor:
                if jit:
                    cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
                else:
                    cursor.execute(
                        "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)", [work_mem]
                    )

        if db.in_atomic_block:  # already in a transaction (ATOMIC_REQUESTS, tests): the settings end with it
            apply()
            yield
            return
        with transaction.atomic(using=using):
            apply()
            yield
    finally:
        _grouping_tuned.reset(token)


def delivery_cells(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    user: Any = None,
    municipality: Any = None,
    service_ids: Collection[Any] | None = None,
    organisation_ids: Collection[Any] | None = None,
    persons: Q | None = None,
    by: Sequence[str] = (),
    age_bands: Sequence[AgeBand] = (),
    measures: Collection[str] = MEASURES,
) -> DeliveryCells:
    """Persons served, service acts and quantity delivered from ``date_from`` to ``date_to``, per cell of ``by``.

    The deliveries are those ``user`` may see, or (``municipality=``) every delivery of the municipality, for
    callers above that have decided the scope themselves: a plan's computed indicators, the dashboards after
    their permission check (``organisation_ids``: only these providers). ``service_ids`` limits the services,
    ``persons`` is a condition on ``people.Person`` (sex, area, age, disability, …). ``by`` names the
    dimensions, any of PERSON_DIMENSIONS and DELIVERY_DIMENSIONS; "age" takes its bands from ``age_bands``
    (ages on ``date_to``). ``measures``: what to count, of persons, acts and quantity (the others are None).

    Two plans, one answer. Persons alone by the persons' dimensions: the persons with at least one such
    delivery (a semi-join, one index probe per person: fast when ``persons`` selects few), grouped. Acts,
    quantity, months or providers: the deliveries reduced to one row per person (and month or provider),
    then joined to the persons and grouped (one pass over the period's deliveries, from the covering index).
    """
    if (user is None) == (municipality is None):
        raise TypeError("delivery_cells needs user= or municipality=, not both")
    unknown = [d for d in by if d not in PERSON_DIMENSIONS + DELIVERY_DIMENSIONS] + [
        m for m in measures if m not in MEASURES
    ]
    if unknown:
        raise ValueError(f"unknown dimensions or measures: {unknown}")
    if user is not None:
        deliveries = deliveries_visible_to(user)
        tenant = actor_of(user).municipality_id
    else:
        deliveries = ServiceDelivery.objects.for_tenant(municipality)
        tenant = municipality
    deliveries = deliveries.filter(delivered_on__gte=date_from, delivered_on__lte=date_to)
    if service_ids is not None:
        deliveries = deliveries.filter(service_id__in=list(service_ids))
    if organisation_ids is not None:
        deliveries = deliveries.filter(organisation_id__in=list(organisation_ids))
    # The platform administrator outside any municipality sees every tenant's deliveries (policy.visible).
    people = Person.objects.for_tenant(tenant) if tenant is not None else Person.objects.all_tenants()
    on_delivery = [d for d in by if d in DELIVERY_DIMENSIONS]
    on_person = [d for d in by if d in PERSON_DIMENSIONS]
    cells = person_cells(on_person, on=date_to, age_bands=age_bands)
    if set(measures) <= {PERSONS} and not on_delivery:
        served = people.filter(persons) if persons is not None else people
        served = served.filter(Exists(deliveries.filter(person_id=OuterRef("pk"))))
        if not on_person:
            n = served.count()
            return DeliveryCells(by=(), cells={(): Served(n, None, None)} if n else {})
        rows = served.order_by().values(**{f"c_{d}": cells[d] for d in on_person}).annotate(n=Count("id"))
        result: dict[tuple[Any, ...], Served] = {}
        for row in rows:
            key = tuple(_READ[d](row[f"c_{d}"]) for d in by)
            result[key] = result.get(key, Served(0, None, None)) + Served(row["n"], None, None)
        return DeliveryCells(by=tuple(by), cells=result)

    if persons is not None:
        deliveries = deliveries.filter(person_id__in=people.filter(persons).values("id"))
    delivery_exprs = {"month": _month_of_delivery, "organisation": lambda: F("organisation_id")}
    sums = {"acts": Count("*")} | ({"qty": Sum("quantity")} if QUANTITY in measures else {})
    per_person = (
        deliveries.order_by()
        .annotate(**{f"d_{d}": delivery_exprs[d]() for d in on_delivery})
        .values(*[f"d_{d}" for d in on_delivery], "person_id")
        .annotate(**sums)
    )
    sql, params = per_person.query.sql_with_params()
    columns = [f"d.d_{d}" for d in on_delivery]
    source = f"FROM ({sql}) d"
    if on_person:
        grouped = people.order_by().values("id", **{f"c_{d}": cells[d] for d in on_person})
        p_sql, p_params = grouped.query.sql_with_params()
        source += f" INNER JOIN ({p_sql}) c ON c.id = d.person_id"
        params = (*params, *p_params)
        columns += [f"c.c_{d}" for d in on_person]
    # Only ORM-compiled SQL (values passed as parameters) and the fixed dimension names are interpolated.
    select = ", ".join([*columns, "COUNT(*)", "SUM(d.acts)", "SUM(d.qty)" if QUANTITY in measures else "NULL"])
    query = f"SELECT {select} {source}" + (f" GROUP BY {', '.join(columns)}" if columns else "")
    order = [*on_delivery, *on_person]
    db = per_person.db
    with grouping_settings(using=db), connections[db].cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    counted: dict[tuple[Any, ...], Served] = {}
    for row in rows:
        persons_n, acts, qty = row[len(order) :]
        if not persons_n:
            continue  # no group: an aggregate over no row at all
        values = dict(zip(order, row[: len(order)], strict=True))
        key = tuple(_READ[d](values[d]) for d in by)
        served_here = Served(
            int(persons_n),
            int(acts or 0) if ACTS in measures else None,
            # SQLite sums decimals as floats: round back to the field's two places.
            Decimal(str(qty or 0)).quantize(_QUANTITY_PLACES) if QUANTITY in measures else None,
        )
        counted[key] = counted[key] + served_here if key in counted else served_here
    return DeliveryCells(by=tuple(by), cells=counted)


# The API's breakdown of what a user may see (GET /api/v1/deliveries/counts/).
AGE_BANDS: tuple[AgeBand, ...] = (("0–17", 0, 17), ("18–34", 18, 34), ("35–64", 35, 64), ("65+", 65, None))


def delivery_counts(
    *, user: Any, date_from: datetime.date, date_to: datetime.date, service_id: Any = None
) -> list[dict[str, Any]]:
    """Unique persons and acts, by sex × age band (at the end of the period) × disability.

    Unique persons and acts are different numbers and are never added together: a person served
    20 times is one person and 20 acts.
    """
    counted = delivery_cells(
        user=user,
        date_from=date_from,
        date_to=date_to,
        service_ids=[service_id] if service_id else None,
        by=("sex", "age", "disability"),
        age_bands=AGE_BANDS,
        measures=(PERSONS, ACTS),
    )
    rows = [
        {"sex": sex, "age_band": band or "?", "disability": disability, "persons": s.persons, "acts": s.acts}
        for (sex, band, disability), s in counted.cells.items()
    ]
    return sorted(rows, key=lambda r: (r["sex"], r["age_band"], r["disability"]))


def deliveries_list(*, user: Any, limit: int = 100) -> QuerySet[ServiceDelivery]:
    """The deliveries the user may see, newest first, as rows of ids (the API list shows ids only).

    No joins: with person, service and organisation joined, SQLite joined every delivery of a provider
    before sorting (0.9–2.3 s for a manager of two providers at 48,665 deliveries); alone, the rows
    come in order from (municipality, organisation, delivered_on) and the scan stops at the page.
    """
    return deliveries_visible_to(user).order_by("-delivered_on")[:limit]


def parents_abroad_register(*, user: Any) -> QuerySet[MonitoringDuty]:
    """Children whose parents work abroad, with the carer the parents declared (the law: ``cases.legal``).
    Only children: a person 18 or older on the day is not in the register."""
    today = timezone.localdate()
    try:
        adult_born_by = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        adult_born_by = today.replace(year=today.year - 18, day=28)
    return (
        duties_visible_to(user)
        .filter(kind=DutyKind.PARENTS_ABROAD)
        .filter(Q(case__person__birth_date__isnull=True) | Q(case__person__birth_date__gt=adult_born_by))
        .select_related("case", "case__person", "case__organisation", "responsible")
        .order_by("case__person__last_name", "case__person__first_name")[:1000]
    )
