"""Named, tested query definitions behind computed indicators.

An indicator with ``source="computed"`` names one entry of ``REGISTRY``; the function receives the
indicator and the period and returns its values (one per disaggregation cell; ``""`` is the total).
To add one: decorate a function with ``@computation("name", label)``, write its test, and point an
indicator at it. Definitions over service deliveries, cases and referrals return the total and one
value per cell of the indicator's disaggregation set (sex × age band × disability), see below.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, transaction
from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from carenet.cases.models import Case as CareCase
from carenet.cases.models import CaseStatus, ServiceDelivery
from carenet.core.models import Organisation, OrganisationKind
from carenet.directory.models import Service, ServiceStatus
from carenet.people.models import Person
from carenet.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from .models import Indicator, ReportingPeriod

ComputeFn = Callable[["Indicator", "ReportingPeriod"], dict[str, Decimal]]


@dataclass(frozen=True)
class Computation:
    name: str
    label: Any  # lazily translated
    fn: ComputeFn
    cells: bool = False  # counts persons' sex × age band × disability cells (see compute_all)
    scoped: bool = False  # can be limited to the directory services an indicator names (Indicator.services)


REGISTRY: dict[str, Computation] = {}


def computation(
    name: str, label: Any, *, cells: bool = False, scoped: bool = False
) -> Callable[[ComputeFn], ComputeFn]:
    def register(fn: ComputeFn) -> ComputeFn:
        if name in REGISTRY:
            raise ValueError(f"computation {name!r} registered twice")
        REGISTRY[name] = Computation(name=name, label=label, fn=fn, cells=cells, scoped=scoped)
        return fn

    return register


def compute(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return REGISTRY[indicator.computation].fn(indicator, period)


def service_scope(indicator: Indicator) -> tuple[str, ...]:
    """The directory services an indicator's count is limited to (sorted ids; empty = all services)."""
    preset = getattr(indicator, "service_scope", None)
    if preset is not None:
        return cast("tuple[str, ...]", preset)
    return tuple(sorted(str(pk) for pk in indicator.services.values_list("pk", flat=True)))


def _scopes(indicators: list[Indicator]) -> dict[int, tuple[str, ...]]:
    """``service_scope`` of many indicators in one query."""
    from .models import Indicator as IndicatorModel

    through = IndicatorModel.services.through
    found: dict[int, list[str]] = {}
    rows = through.objects.filter(indicator_id__in=[i.pk for i in indicators]).values_list("indicator_id", "service_id")
    for indicator_id, service_id in rows:
        found.setdefault(indicator_id, []).append(str(service_id))
    return {i.pk: tuple(sorted(found.get(i.pk, []))) for i in indicators}


def _age_bands(indicator: Indicator) -> tuple[str, ...] | None:
    bands = _dimension_options(indicator, "age")
    return tuple(bands) if bands is not None else None


def compute_all(indicators: list[Indicator], period: ReportingPeriod) -> dict[int, dict[str, Decimal]]:
    """The values of many computed indicators for one period (indicator id → values), in few queries.

    A plan has many indicators over the same definition with different disaggregation sets (sex;
    sex × age; sex × age × disability). For definitions with ``cells=True`` the finest cells (sex × age
    band × disability) are computed ONCE per definition and set of age bands, then summed up to each
    indicator's own set; this is exact because every person falls in exactly one cell. The three
    definitions over deliveries share one query per set of cells (see ``_delivery_cells``).
    """
    token = _shared_results.set({})
    try:
        return _compute_all(indicators, period)
    finally:
        _shared_results.reset(token)


def _compute_all(indicators: list[Indicator], period: ReportingPeriod) -> dict[int, dict[str, Decimal]]:
    from .models import DisaggregationSet, default_sex_age_disability

    out: dict[int, dict[str, Decimal]] = {}
    bands_of: dict[str, tuple[str, ...]] = {}
    for ind in indicators:
        bands = _age_bands(ind)
        if ind.computation in REGISTRY and bands is not None:
            bands_of.setdefault(ind.computation, bands)
    scopes = _scopes(indicators)
    finest: dict[tuple[str, tuple[str, ...] | None, tuple[str, ...]], dict[str, Decimal]] = {}
    for ind in indicators:
        comp = REGISTRY.get(ind.computation)
        if comp is None:
            continue
        ind.service_scope = scopes[ind.pk]  # type: ignore[attr-defined]
        if not comp.cells:
            out[ind.pk] = comp.fn(ind, period)
            continue
        # Any plan's bands will do for a definition none of whose indicators has an age dimension.
        bands = _age_bands(ind) or bands_of.get(ind.computation) or next(iter(bands_of.values()), None)
        key = (ind.computation, bands, scopes[ind.pk])
        if key not in finest:
            dims = default_sex_age_disability(list(bands or ()))
            proxy = SimpleNamespace(
                municipality_id=ind.municipality_id,
                disaggregation=DisaggregationSet(dimensions=dims if bands else [dims[0], dims[2]]),
                service_scope=scopes[ind.pk],
            )
            finest[key] = comp.fn(cast("Indicator", proxy), period)
        codes = ind.disaggregation.dimension_codes() if ind.disaggregation is not None else []
        out[ind.pk] = _roll_up(finest[key], codes)
    return out


def _roll_up(values: dict[str, Decimal], codes: list[str]) -> dict[str, Decimal]:
    """Sum finer cells up to the dimensions ``codes`` (in that order); the total is kept."""
    result = {"": values.get("", Decimal(0))}
    if not codes:
        return result
    for combo, value in values.items():
        if not combo:
            continue
        parts = dict(part.split("=", 1) for part in combo.split("|"))
        key = "|".join(f"{c}={parts.get(c, UNKNOWN)}" for c in codes)
        result[key] = result.get(key, Decimal(0)) + value
    return result


def _orgs(indicator: Indicator):  # type: ignore[no-untyped-def]
    return Organisation.objects.for_tenant(indicator.municipality_id)


@computation("network.providers_active", _("Active service providers in the network"))
def providers_active(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    qs = _orgs(indicator).filter(
        is_provider=True, is_active=True, is_generic=False, created_at__date__lte=period.end_date
    )
    return {"": Decimal(qs.count())}


@computation("network.ngo_partners", _("NGO partners in the network"))
def ngo_partners(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    qs = _orgs(indicator).filter(
        kind=OrganisationKind.NGO, is_active=True, is_generic=False, created_at__date__lte=period.end_date
    )
    return {"": Decimal(qs.count())}


@computation("directory.services_listed", _("Services listed in the directory"))
def services_listed(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    qs = Service.objects.for_tenant(indicator.municipality_id).filter(
        status=ServiceStatus.ACTIVE, created_at__date__lte=period.end_date
    )
    return {"": Decimal(qs.count())}


# --- CareNet's own data: service deliveries, cases, referrals ------------------------------------------
#
# Every definition below counts per disaggregation cell in ONE aggregate query: the cell of a person
# (sex × age band at the end of the period × disability) is computed in SQL with CASE expressions over
# ``people.Person`` and ``people.SensitiveProfile``, then grouped. Persons whose sex or birth date is not
# recorded land in cells with the option ``unknown``, so the cells always add up to the total.

UNKNOWN = "unknown"
_SEX_CODES = {"F": "f", "M": "m"}


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def parse_age_band(code: str) -> tuple[int, int | None] | None:
    """``"7-15"`` → (7, 15), ``"64+"`` → (64, None), anything else → None."""
    text = code.strip().replace("–", "-")
    try:
        if text.endswith("+"):
            return int(text[:-1]), None
        low, high = text.split("-", 1)
        return int(low), int(high)
    except ValueError:
        return None


def _dimension_options(indicator: Indicator, code: str) -> list[str] | None:
    dset = indicator.disaggregation
    if dset is None:
        return None
    for d in dset.dimensions:
        if d["code"] == code:
            return [o["code"] for o in d["options"]]
    return None


def _cell_expressions(indicator: Indicator, period: ReportingPeriod, prefix: str) -> dict[str, Any]:
    """SQL expressions giving each row's option per dimension of the indicator's disaggregation set."""
    exprs: dict[str, Any] = {}
    if _dimension_options(indicator, "sex") is not None:
        exprs["sex"] = Case(
            *[When(**{f"{prefix}sex": raw}, then=Value(code)) for raw, code in _SEX_CODES.items()],
            default=Value(UNKNOWN),
            output_field=CharField(),
        )
    bands = _dimension_options(indicator, "age")
    if bands is not None:
        whens = []
        end = period.end_date
        # Bands are matched in order, first match wins (Bălți's bands overlap at 25: "19-25", "25-35").
        for band in bands:
            parsed = parse_age_band(band)
            if parsed is None:
                continue
            low, high = parsed
            # age at ``end`` ≥ low  ⇔  born on or before end − low years;
            # age ≤ high            ⇔  born after end − (high + 1) years.
            cond = Q(**{f"{prefix}birth_date__lte": _years_before(end, low)})
            if high is not None:
                cond &= Q(**{f"{prefix}birth_date__gt": _years_before(end, high + 1)})
            whens.append(When(cond, then=Value(band)))
        exprs["age"] = Case(*whens, default=Value(UNKNOWN), output_field=CharField())
    if _dimension_options(indicator, "disability") is not None:
        exprs["disability"] = Case(
            When(**{f"{prefix}sensitive__disability_degree__gt": ""}, then=Value("yes")),
            default=Value("no"),
            output_field=CharField(),
        )
    return exprs


def _group_in_memory(connection: Any) -> None:
    """Inside a transaction: let PostgreSQL hash the groups of the next aggregate in memory. It cannot estimate
    how few groups the CASE expressions make (a few dozen cells) and, with the default 4 MB, sorts a million
    rows on disk instead: 2.4 s → 1.4 s at 2,000,000 deliveries. SET LOCAL ends with the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


def _cells(
    qs: QuerySet[Any], indicator: Indicator, period: ReportingPeriod, prefix: str, **aggregate: Any
) -> dict[str, Decimal]:
    """Group ``qs`` by the indicator's cells; returns the total (``""``) and one value per non-empty cell.

    ``aggregate`` holds exactly one aggregate expression; ``prefix`` is the path from the queryset's model
    to the person (``""`` for Person itself, ``"person__"`` for rows that point at a person).
    """
    ((name, expr),) = aggregate.items()
    exprs = _cell_expressions(indicator, period, prefix)
    if not exprs:
        value = qs.aggregate(**{name: expr})[name]
        return {"": Decimal(value or 0)}
    order = [c for c in (indicator.disaggregation.dimension_codes() if indicator.disaggregation else []) if c in exprs]
    result: dict[str, Decimal] = {}
    total = Decimal(0)
    grouped = (
        qs.annotate(**{f"cell_{k}": v for k, v in exprs.items()})
        .values(*[f"cell_{c}" for c in order])
        .annotate(**{name: expr})
        .order_by()
    )
    with transaction.atomic(using=qs.db):
        _group_in_memory(connections[qs.db])
        rows = list(grouped)
    for row in rows:
        value = Decimal(row[name] or 0)
        combo = "|".join(f"{c}={row[f'cell_{c}']}" for c in order)
        result[combo] = result.get(combo, Decimal(0)) + value
        total += value
    result[""] = total
    return result


def _deliveries(indicator: Indicator, period: ReportingPeriod) -> QuerySet[ServiceDelivery]:
    qs = ServiceDelivery.objects.for_tenant(indicator.municipality_id).filter(
        delivered_on__gte=period.start_date, delivered_on__lte=period.end_date
    )
    scope = service_scope(indicator)
    return qs.filter(service_id__in=scope) if scope else qs


# The three definitions over deliveries (persons served, acts, quantity) share ONE query: the period's
# deliveries are first reduced to one row per person (acts, quantity) — read from the covering index
# ``delivery_person_date`` without touching the table — and only then joined to the persons and grouped
# into cells. Grouping a million deliveries joined to their persons, once per definition, took 15 s on
# SQLite at 2,000,000 deliveries; this is one pass. Within ``compute_all`` the result is kept, so the
# report pays for it once per set of cells.
_shared_results: ContextVar[dict[Any, Any] | None] = ContextVar("carenet_plans_shared_results", default=None)
_QUANTITY_PLACES = Decimal("0.01")  # ServiceDelivery.quantity has two decimal places


def _delivery_cells(indicator: Indicator, period: ReportingPeriod) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Per cell (and ``""`` for the total): (unique persons served, service acts, quantity delivered)."""
    exprs = _cell_expressions(indicator, period, "")
    order = [c for c in (indicator.disaggregation.dimension_codes() if indicator.disaggregation else []) if c in exprs]
    bands = tuple(_dimension_options(indicator, "age") or ())
    scope = service_scope(indicator)
    key = ("deliveries", indicator.municipality_id, period.start_date, period.end_date, tuple(order), bands, scope)
    shared = _shared_results.get()
    if shared is not None and key in shared:
        return cast("dict[str, tuple[Decimal, Decimal, Decimal]]", shared[key])

    per_person = (
        _deliveries(indicator, period).order_by().values("person_id").annotate(acts=Count("*"), qty=Sum("quantity"))
    )
    persons = (
        Person.objects.for_tenant(indicator.municipality_id)
        .order_by()
        .annotate(**{f"cell_{c}": exprs[c] for c in order})
        .values("id", *[f"cell_{c}" for c in order])
    )
    db = per_person.db
    connection = connections[db]
    pp_sql, pp_params = per_person.query.sql_with_params()
    p_sql, p_params = persons.query.sql_with_params()
    # Only ORM-compiled SQL (values passed as parameters) and the fixed dimension codes are interpolated.
    cells = ", ".join(f"c.cell_{c}" for c in order)
    select = f"SELECT {cells + ', ' if cells else ''}COUNT(*), SUM(d.acts), SUM(d.qty)"
    joined = f"FROM ({pp_sql}) d INNER JOIN ({p_sql}) c ON c.id = d.person_id"
    sql = f"{select} {joined}" + (f" GROUP BY {cells}" if cells else "")
    with transaction.atomic(using=db), connection.cursor() as cursor:
        _group_in_memory(connection)
        cursor.execute(sql, (*pp_params, *p_params))
        rows = cursor.fetchall()
    result: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    total = (Decimal(0), Decimal(0), Decimal(0))
    for row in rows:
        combo = "|".join(f"{c}={v}" for c, v in zip(order, row[: len(order)], strict=True))
        persons_n, acts, qty = row[len(order) :]
        # SQLite sums decimals as floats: round back to the field's two places.
        values = (Decimal(persons_n or 0), Decimal(acts or 0), Decimal(str(qty or 0)).quantize(_QUANTITY_PLACES))
        result[combo] = values
        total = (total[0] + values[0], total[1] + values[1], total[2] + values[2])
    result[""] = total
    if shared is not None:
        shared[key] = result
    return result


def _delivery_measure(indicator: Indicator, period: ReportingPeriod, column: int) -> dict[str, Decimal]:
    cells = _delivery_cells(indicator, period)
    return {combo: values[column] for combo, values in cells.items()}


@computation(
    "cases.persons_served",
    _("Unique persons served (at least one service delivery in the period)"),
    cells=True,
    scoped=True,
)
def persons_served(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    """Distinct persons with ≥ 1 service delivery dated in the period; each person counts once."""
    return _delivery_measure(indicator, period, 0)


@computation("cases.service_acts", _("Service acts delivered (number of deliveries)"), cells=True, scoped=True)
def service_acts(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    """Number of service deliveries dated in the period (a person served 20 times counts 20)."""
    return _delivery_measure(indicator, period, 1)


@computation(
    "cases.service_quantity", _("Quantity of services delivered (meals, hours, sessions …)"), cells=True, scoped=True
)
def service_quantity(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    """Sum of the quantity of the deliveries dated in the period (units mixed: use per service type)."""
    return _delivery_measure(indicator, period, 2)


@computation("cases.persons_active_case", _("Persons with a case open during the period"), cells=True)
def persons_active_case(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    """Distinct persons with a case opened on or before the period's end and not closed before its
    start (refused requests excluded)."""
    cases = (
        CareCase.objects.for_tenant(indicator.municipality_id)
        .filter(opened_on__lte=period.end_date)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start_date))
        .exclude(status=CaseStatus.REFUSED)
        .values("person_id")
    )
    persons = Person.objects.for_tenant(indicator.municipality_id).filter(pk__in=cases)
    return _cells(persons, indicator, period, "", n=Count("pk"))


def _referrals(indicator: Indicator) -> QuerySet[Referral]:
    """Referrals of the tenant; for an indicator naming services, those sent TO one of them."""
    qs = Referral.objects.for_tenant(indicator.municipality_id)
    scope = service_scope(indicator)
    return qs.filter(to_service_id__in=scope) if scope else qs


@computation("referrals.sent", _("Referrals sent to another provider"), cells=True, scoped=True)
def referrals_sent(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    """Referrals sent in the period (drafts never sent do not count)."""
    qs = _referrals(indicator).filter(sent_at__date__gte=period.start_date, sent_at__date__lte=period.end_date)
    return _cells(qs, indicator, period, "person__", n=Count("pk"))


@computation(
    "referrals.completed",
    _("Referrals completed (service delivered by the receiving provider)"),
    cells=True,
    scoped=True,
)
def referrals_completed(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    """Referrals closed as completed in the period."""
    qs = _referrals(indicator).filter(
        status=ReferralStatus.COMPLETED,
        closed_at__date__gte=period.start_date,
        closed_at__date__lte=period.end_date,
    )
    return _cells(qs, indicator, period, "person__", n=Count("pk"))


@computation("referrals.persons_referred", _("Persons referred to another provider"), cells=True, scoped=True)
def persons_referred(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    """Distinct persons with at least one referral sent in the period."""
    sent = (
        _referrals(indicator)
        .filter(sent_at__date__gte=period.start_date, sent_at__date__lte=period.end_date)
        .values("person_id")
    )
    persons = Person.objects.for_tenant(indicator.municipality_id).filter(pk__in=sent)
    return _cells(persons, indicator, period, "", n=Count("pk"))
