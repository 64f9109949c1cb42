"""Named, tested query definitions behind computed indicators.

An indicator with ``source="computed"`` names one entry of ``REGISTRY``; the function receives the
indicator and the period and returns its values (one per disaggregation cell; ``""`` is the total).
To add one: decorate a function with ``@computation("name", label)``, write its test, and point an
indicator at it. Definitions over service deliveries, cases and referrals return the total and one
value per cell of the indicator's disaggregation set (sex × age band × disability), see below.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from carenet.cases.models import Case as CareCase
from carenet.cases.models import CaseStatus
from carenet.cases.selectors import AgeBand, Served, delivery_cells, grouping_settings, person_cells
from carenet.core.models import Organisation, OrganisationKind
from carenet.core.tenancy import scoped_to
from carenet.directory.models import Service, ServiceStatus
from carenet.people.models import Person
from carenet.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from .models import Indicator, ReportingPeriod

ComputeFn = Callable[["Indicator", "ReportingPeriod"], dict[str, Decimal]]
TextFn = Callable[["Indicator", "ReportingPeriod"], str]
# The kinds of indicator a definition computes unless it says otherwise: counts and frequencies.
NUMBER_KINDS = ("count", "frequency")


@dataclass(frozen=True)
class Computation:
    name: str
    label: Any  # lazily translated
    fn: ComputeFn
    cells: bool = False  # counts persons' sex × age band × disability cells (see compute_all)
    scoped: bool = False  # can be limited to the directory services an indicator names (Indicator.services)
    # The indicator kinds (IndicatorKind values) this definition computes: a percentage returns the share in
    # "" (0-100), a milestone 1 or 0, a list its number of items in "" and its text from ``text``.
    kinds: tuple[str, ...] = NUMBER_KINDS
    text: TextFn | None = None


REGISTRY: dict[str, Computation] = {}


def computation(
    name: str,
    label: Any,
    *,
    cells: bool = False,
    scoped: bool = False,
    kinds: tuple[str, ...] = NUMBER_KINDS,
    text: TextFn | None = None,
) -> Callable[[ComputeFn], ComputeFn]:
    def register(fn: ComputeFn) -> ComputeFn:
        if name in REGISTRY:
            raise ValueError(f"computation {name!r} registered twice")
        REGISTRY[name] = Computation(name=name, label=label, fn=fn, cells=cells, scoped=scoped, kinds=kinds, text=text)
        return fn

    return register


def compute_texts(indicators: list[Indicator], period: ReportingPeriod) -> dict[UUID, str]:
    """The text of the computed list indicators (topics addressed, media involved …) for one period."""
    from carenet.activities.selectors import shared_reads

    out: dict[UUID, str] = {}
    with shared_reads():
        for ind in indicators:
            comp = REGISTRY.get(ind.computation)
            if comp is not None and comp.text is not None:
                out[ind.pk] = comp.text(ind, period)
    return out


def compute(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return REGISTRY[indicator.computation].fn(indicator, period)


def service_scope(indicator: Indicator) -> tuple[str, ...]:
    """The directory services an indicator's count is limited to (sorted ids; empty = all services)."""
    preset = getattr(indicator, "service_scope", None)
    if preset is not None:
        return cast("tuple[str, ...]", preset)
    return tuple(sorted(str(pk) for pk in indicator.services.values_list("pk", flat=True)))


def _scopes(indicators: list[Indicator]) -> dict[UUID, tuple[str, ...]]:
    """``service_scope`` of many indicators in one query."""
    from .models import Indicator as IndicatorModel

    if not indicators:
        return {}
    through = IndicatorModel.services.through
    found: dict[UUID, list[str]] = {}
    rows = scoped_to(through.objects.filter(indicator_id__in=[i.pk for i in indicators]), indicators).values_list(
        "indicator_id", "service_id"
    )
    for indicator_id, service_id in rows:
        found.setdefault(indicator_id, []).append(str(service_id))
    return {i.pk: tuple(sorted(found.get(i.pk, []))) for i in indicators}


def _age_bands(indicator: Indicator) -> tuple[str, ...] | None:
    bands = _dimension_options(indicator, "age")
    return tuple(bands) if bands is not None else None


def compute_all(indicators: list[Indicator], period: ReportingPeriod) -> dict[UUID, dict[str, Decimal]]:
    """The values of many computed indicators for one period (indicator id → values), in few queries.

    A plan has many indicators over the same definition with different disaggregation sets (sex;
    sex × age; sex × age × disability). For definitions with ``cells=True`` the finest cells (sex × age
    band × disability) are computed ONCE per definition and set of age bands, then summed up to each
    indicator's own set; this is exact because every person falls in exactly one cell. The three
    definitions over deliveries share one query per set of cells (see ``_delivery_cells``).
    """
    from carenet.activities.selectors import shared_reads

    token = _shared_results.set({})
    try:
        with shared_reads():  # the activities register of the period is read once for every figure
            return _compute_all(indicators, period)
    finally:
        _shared_results.reset(token)


def _compute_all(indicators: list[Indicator], period: ReportingPeriod) -> dict[UUID, dict[str, Decimal]]:
    from .models import DisaggregationSet, default_sex_age_disability

    out: dict[UUID, dict[str, Decimal]] = {}
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


def _orgs(indicator: Indicator):
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
# (sex × age band at the end of the period × disability) is computed in SQL by the expressions of
# ``cases.selectors.person_cells``, then grouped. Persons whose sex or birth date is not recorded land in
# cells with the option ``unknown``, so the cells always add up to the total.

UNKNOWN = "unknown"
_SEX_CODES = {"F": "f", "M": "m"}
CELL_DIMENSIONS = ("sex", "age", "disability")  # the person dimensions a disaggregation set may name


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


def _cell_order(indicator: Indicator) -> list[str]:
    """The person dimensions of the indicator's disaggregation set, in the set's order."""
    codes = indicator.disaggregation.dimension_codes() if indicator.disaggregation is not None else []
    return [c for c in codes if c in CELL_DIMENSIONS]


def _age_bands_of(indicator: Indicator) -> list[AgeBand]:
    """The indicator's age bands as (label, low, high), in order (the first matching band wins)."""
    bands = []
    for label in _dimension_options(indicator, "age") or []:
        parsed = parse_age_band(label)
        if parsed is not None:
            bands.append((label, *parsed))
    return bands


def _code(dimension: str, value: Any) -> str:
    """A person's value in one dimension (``cases.selectors.person_cells``) as the option code of the plans."""
    if dimension == "sex":
        return _SEX_CODES.get(value, UNKNOWN)
    if dimension == "disability":
        return "yes" if value else "no"
    return value or UNKNOWN  # age: the band's label, or none


def _combo(order: list[str], values: Any) -> str:
    return "|".join(f"{c}={_code(c, v)}" for c, v in zip(order, values, strict=True))


def _cells(
    qs: QuerySet[Any], indicator: Indicator, period: ReportingPeriod, prefix: str, **aggregate: Any
) -> dict[str, Decimal]:
    """Group ``qs`` by the indicator's cells; returns the total (``""``) and one value per non-empty cell.

    ``aggregate`` holds exactly one aggregate expression; ``prefix`` is the path from the queryset's model
    to the person (``""`` for Person itself, ``"person__"`` for rows that point at a person).
    """
    ((name, expr),) = aggregate.items()
    order = _cell_order(indicator)
    if not order:
        value = qs.aggregate(**{name: expr})[name]
        return {"": Decimal(value or 0)}
    exprs = person_cells(order, on=period.end_date, age_bands=_age_bands_of(indicator), prefix=prefix)
    grouped = (
        qs.annotate(**{f"cell_{c}": exprs[c] for c in order})
        .values(*[f"cell_{c}" for c in order])
        .annotate(**{name: expr})
        .order_by()
    )
    with grouping_settings(using=qs.db):
        rows = list(grouped)
    result: dict[str, Decimal] = {}
    total = Decimal(0)
    for row in rows:
        value = Decimal(row[name] or 0)
        combo = _combo(order, [row[f"cell_{c}"] for c in order])
        result[combo] = result.get(combo, Decimal(0)) + value
        total += value
    result[""] = total
    return result


# The three definitions over deliveries (persons served, acts, quantity) are ONE call of the one computation
# of these figures, ``cases.selectors.delivery_cells`` (one pass over the period's deliveries). Within
# ``compute_all`` its result is kept, so the report pays for it once per set of cells.
_shared_results: ContextVar[dict[Any, Any] | None] = ContextVar("carenet_plans_shared_results", default=None)


def _delivery_cells(indicator: Indicator, period: ReportingPeriod) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Per cell (and ``""`` for the total): (unique persons served, service acts, quantity delivered)."""
    order = _cell_order(indicator)
    bands = _age_bands_of(indicator)
    scope = service_scope(indicator)
    key = (
        "deliveries",
        indicator.municipality_id,
        period.start_date,
        period.end_date,
        tuple(order),
        tuple(bands),
        scope,
    )
    shared = _shared_results.get()
    if shared is not None and key in shared:
        return cast("dict[str, tuple[Decimal, Decimal, Decimal]]", shared[key])

    counted = delivery_cells(
        municipality=indicator.municipality_id,
        date_from=period.start_date,
        date_to=period.end_date,
        service_ids=scope or None,
        by=order,
        age_bands=bands,
    )
    cells: dict[str, Served] = {}
    total = Served()
    for values, served in counted.cells.items():
        total += served
        if order:
            combo = _combo(order, values)
            cells[combo] = cells.get(combo, Served()) + served
    # All three measures were asked for (the default), so acts and quantity are numbers.
    result = {combo: (Decimal(s.persons), Decimal(s.acts or 0), s.quantity or Decimal(0)) for combo, s in cells.items()}
    result[""] = (Decimal(total.persons), Decimal(total.acts or 0), total.quantity or Decimal(0))
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


# Definitions over the activities, staff and agreements registers (issue 17), the social canteen's (issue 18),
# the housing register and residences (issue 19), the heat-wave and cold-night campaigns (issue 20) and the
# training platform (issue 22), registered on import.
from . import (  # noqa: E402, F401
    computations_campaigns,
    computations_canteen,
    computations_housing,
    computations_registers,
    computations_training,
)
