"""Reads of the dashboards: each chart is a list of labelled counts built with a handful of grouped queries.

Persons are counted once per chart cell (distinct persons with ≥1 delivery in the period), by the one
computation of persons served (``cases.selectors.delivery_cells``, through ``kpis.filters.served``). The
persons' breakdowns (sex, age band, disability, area) all come from ONE grouped query; the trend and the
providers from one each, so a dashboard costs the same number of queries whatever the size of the network.
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.cases.selectors import ACTS, PERSONS, WORK_MEM, DeliveryCells, grouping_settings
from carenet.core.models import Organisation
from carenet.geo.geometry import MIN_CELL
from carenet.geo.models import Area
from carenet.geo.population import AGE_BANDS, denominators, population_flags, population_years, rate_per_1000
from carenet.people.models import Sex

from . import gis
from .kpis import Kpi, KpiResult, Source, all_kpis, evaluate, kpis_for_plans
from .kpis.filters import KpiFilters, served
from .models import OutsideValue
from .trends import CATEGORIES

UNKNOWN = "?"
PERSONS_SERVED = gettext_lazy("Persons served")


@dataclass
class Row:
    key: str
    label: str
    value: int | None  # None = suppressed (a cell under MIN_CELL persons on a public page)
    rate: float | None = None  # per 1,000 residents of the group, when a denominator exists


@dataclass
class Chart:
    key: str
    title: Any
    kind: str  # "line" or "bar"
    rows: list[Row]
    value_label: Any = PERSONS_SERVED
    rate_label: Any = ""
    note: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(r.value or 0 for r in self.rows)

    @property
    def has_rates(self) -> bool:
        return any(r.rate is not None for r in self.rows)


@dataclass
class Dashboard:
    filters: KpiFilters
    persons: int | None  # None = suppressed on a public page
    deliveries: int | None
    charts: list[Chart]
    computed_at: Any = None

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


# The persons' dimensions of the dashboard: one grouped count behind the sex, age, disability and area charts.
PERSON_BREAKDOWN = ("sex", "age", "disability", "area")


# As long as the period of `manage.py run_scheduled`, which warms the default views (dashboard_tasks).
CACHE_SECONDS_DEFAULT = 900


def cache_seconds() -> int:
    return int(getattr(settings, "CARENET_DASHBOARD_CACHE_SECONDS", CACHE_SECONDS_DEFAULT))


# No invalidation on each write: deliveries are recorded all day long, and a cache emptied by every new row
# would never be hit. Figures are at most CACHE_SECONDS old and the page says when they were computed.


# PostgreSQL: the dashboard's groupings hash about 650,000 (key, person) rows a year at 2,000,000 deliveries.
# With the default work_mem (4 MB) they spill to temporary files, and their estimated cost crosses
# jit_above_cost, so each query first spends tens of milliseconds compiling itself. Both are set for the
# dashboard's own transaction only (``cases.selectors.grouping_settings``; the counts inside leave them
# alone). "" turns the tuning off (the benchmark's baseline).
WORK_MEM_DEFAULT = WORK_MEM


def _planner_settings() -> AbstractContextManager[None]:
    work_mem = str(getattr(settings, "CARENET_DASHBOARD_WORK_MEM", WORK_MEM_DEFAULT))
    return grouping_settings(work_mem=work_mem, jit=False)


def _raw(f: KpiFilters, by_provider: bool) -> dict[str, Any]:
    """The expensive part (the counts over the delivery log), as plain data that can be cached.

    Three calls of the one computation of persons served (``kpis.filters.served``): by the persons'
    dimensions, by month (whose acts are the period's deliveries) and, for staff, by provider.
    """
    with _planner_settings():
        trend = served(f, by=("month",), measures=(PERSONS, ACTS))
        raw: dict[str, Any] = {
            "groups": served(f, by=PERSON_BREAKDOWN),
            "trend": sorted((month, s.persons) for (month,), s in trend.cells.items()),
            "deliveries": sum(s.acts or 0 for s in trend.cells.values()),  # acts were asked for
            "per_org": [],
            "computed_at": timezone.now(),
        }
        if by_provider:
            per_org = served(f, by=("organisation",)).cells
            raw["per_org"] = sorted(
                ((org_id, s.persons) for (org_id,), s in per_org.items()), key=lambda row: (-row[1], str(row[0]))
            )
    return raw


def _cache_key(f: KpiFilters, by_provider: bool) -> str:
    parts = (
        f.municipality.pk,
        f.start,
        f.end,
        f.area_id,
        f.sex,
        f.age_band,
        f.disability,
        sorted(map(str, f.organisation_ids)) if f.organisation_ids is not None else None,
        by_provider,
    )
    # "dash2": the figures are DeliveryCells since the one computation of persons served (issue 13).
    return "carenet:dash2:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def refresh_dashboard_cache(f: KpiFilters, *, by_provider: bool = True) -> None:
    """Recompute and store one view's figures (the scheduled warm-up of the default views)."""
    seconds = cache_seconds()
    if seconds > 0:
        cache.set(_cache_key(f, by_provider), _raw(f, by_provider), seconds)


def _cached_raw(f: KpiFilters, by_provider: bool) -> dict[str, Any]:
    seconds = cache_seconds()
    if seconds <= 0:
        return _raw(f, by_provider)
    key = _cache_key(f, by_provider)
    raw = cache.get(key)
    if raw is None:
        raw = _raw(f, by_provider)
        cache.set(key, raw, seconds)
    return raw


def build_dashboard(f: KpiFilters, *, by_provider: bool = True) -> Dashboard:
    raw = _cached_raw(f, by_provider)
    groups: DeliveryCells = raw["groups"]
    persons = groups.total.persons

    by_sex = {k: s.persons for k, s in groups.sum_by("sex").items()}
    sex_labels = {"F": _("Women"), "M": _("Men"), "U": _("Sex not recorded")}
    sex_rows = [Row(s.value, sex_labels.get(s.value, str(s.label)), by_sex.get(s.value, 0)) for s in Sex]

    year, bands = denominators(f.municipality, f.year)
    by_band = {(k or UNKNOWN): s.persons for k, s in groups.sum_by("age").items()}
    band_rows = []
    for code, _low, _high in AGE_BANDS:
        pop = bands.get(code)
        population = None
        if pop is not None:
            population = {"F": pop.women, "M": pop.men}.get(f.sex, pop.total) if f.sex else pop.total
        band_rows.append(Row(code, code, by_band.get(code, 0), rate_per_1000(by_band.get(code, 0), population)))
    band_rows.append(Row(UNKNOWN, _("Age not recorded"), by_band.get(UNKNOWN, 0)))

    by_dis = {("yes" if k else "no"): s.persons for k, s in groups.sum_by("disability").items()}
    dis_rows = [
        Row("yes", _("With a recorded disability"), by_dis.get("yes", 0)),
        Row("no", _("No disability recorded"), by_dis.get("no", 0)),
    ]

    by_area = {k: s.persons for k, s in groups.sum_by("area").items()}
    names = dict(Area.objects.for_tenant(f.municipality).values_list("id", "name"))
    area_rows = sorted(
        (Row(str(a), names.get(a, "?"), n) for a, n in by_area.items() if a is not None), key=lambda r: r.label
    )
    area_rows.append(Row(UNKNOWN, _("Area not recorded"), by_area.get(None, 0)))

    trend_rows = [Row(month.strftime("%Y-%m"), date_format(month, "YEAR_MONTH_FORMAT"), n) for month, n in raw["trend"]]

    charts = [
        Chart("trend", gettext_lazy("Persons served per month"), "line", trend_rows),
        Chart("sex", gettext_lazy("Persons served by sex"), "bar", sex_rows),
        Chart(
            "age",
            gettext_lazy("Persons served by age band"),
            "bar",
            band_rows,
            rate_label=gettext_lazy("Per 1,000 residents of the group"),
            note=(_("Rates use the population of %(year)s.") % {"year": year})
            if year
            else _("No population by age is loaded: no rates."),
        ),
        Chart("disability", gettext_lazy("Persons served by disability"), "bar", dis_rows),
        Chart("area", gettext_lazy("Persons served by area of residence"), "bar", area_rows),
    ]
    if by_provider:
        org_names = dict(Organisation.objects.for_tenant(f.municipality).values_list("id", "name"))
        charts.append(
            Chart(
                "provider",
                gettext_lazy("Persons served by provider"),
                "bar",
                [Row(str(org_id), org_names.get(org_id, "?"), n) for org_id, n in raw["per_org"]],
                note=_("A person served by two providers is counted by each."),
            )
        )
    return Dashboard(
        filters=f, persons=persons, deliveries=raw["deliveries"], charts=charts, computed_at=raw["computed_at"]
    )


def suppress_rows(rows: list[Row]) -> list[Row]:
    """Public tables: cells of 1-4 persons are hidden, and when only one is hidden the next smallest is hidden
    too, so the hidden cell cannot be found by subtracting the others from the total."""
    out = [replace(r, value=None, rate=None) if r.value is not None and 0 < r.value < MIN_CELL else r for r in rows]
    hidden = [r for r in out if r.value is None]
    if len(hidden) == 1:
        shown = [r for r in out if r.value is not None]
        if shown:
            smallest = min(shown, key=lambda r: r.value or 0)
            out = [replace(r, value=None, rate=None) if r is smallest else r for r in out]
    return out


def public_dashboard(f: KpiFilters) -> Dashboard:
    """Aggregates only, every cell under MIN_CELL suppressed (primary and secondary), no providers' persons."""
    full = build_dashboard(f, by_provider=False)
    charts = [replace(c, rows=suppress_rows(c.rows)) for c in full.charts]
    persons = full.persons if (full.persons or 0) >= MIN_CELL else None
    acts = full.deliveries if (full.deliveries or 0) >= MIN_CELL else None
    return Dashboard(filters=f, persons=persons, deliveries=acts, charts=charts, computed_at=full.computed_at)


def dashboard_chart(f: KpiFilters, key: str) -> Chart:
    """One chart of the staff dashboard (404 for an unknown chart)."""
    chart = build_dashboard(f, by_provider=True).chart(key)
    if chart is None:
        raise Http404
    return chart


def chart_table(chart: Chart) -> tuple[list[str], list[list[Any]]]:
    """A chart as a table (header, rows): the download of a chart, and the same figures as its table."""
    header = [_("Group"), str(chart.value_label)]
    if chart.has_rates:
        header.append(str(chart.rate_label))
    rows = []
    for r in chart.rows:
        row: list[Any] = [r.label, r.value if r.value is not None else _("fewer than 5")]
        if chart.has_rates:
            row.append(r.rate)
        rows.append(row)
    return header, rows


# --- KPIs -----------------------------------------------------------------------------------------------


def municipality_kpis(f: KpiFilters) -> list[Kpi]:
    """The KPIs of this municipality: those of every municipality and those of the plans it holds
    (Baia Mare's 20 strategy KPIs only where the Baia Mare strategy is loaded)."""
    from carenet.plans.models import Plan

    codes = set(Plan.objects.for_tenant(f.municipality).values_list("code", flat=True))
    return kpis_for_plans(codes)


def kpi_rows(f: KpiFilters, *, group: str = "") -> list[tuple[Kpi, KpiResult, KpiResult]]:
    """The KPIs of the municipality in ``group`` ("": the plans' KPIs; "campaigns": the heat-wave and cold-night
    campaigns') with the value for the period and for the period of the same length before it."""
    previous = f.previous()
    return [(k, evaluate(k, f), evaluate(k, previous)) for k in municipality_kpis(f) if k.group == group]


def kpi_plan_indicators(f: KpiFilters) -> tuple[Any, list[Any]]:
    """The municipality's plan and, when no KPI of the registry belongs to it, its own indicators with the
    approved values of the year (``plans.selectors.plan_indicator_year``): Bălți's page shows Bălți's plan."""
    from carenet.plans.selectors import plan_indicator_year, plan_of_municipality

    plan = plan_of_municipality(municipality=f.municipality)
    if plan is None or any(k.plan == plan.code for k in all_kpis()):
        return plan, []
    return plan, plan_indicator_year(plan=plan, year=f.year)


def kpi_table(f: KpiFilters) -> tuple[list[str], list[list[Any]]]:
    header = [_("Code"), _("KPI"), _("Value"), _("Unit"), _("Numerator"), _("Denominator"), _("Note"), _("Source")]
    rows = []
    _plan, indicators = kpi_plan_indicators(f)
    for row in indicators:
        rows.append([row.indicator.code, row.indicator.text, row.value, row.indicator.unit, None, None, "", ""])
    for k in municipality_kpis(f):
        r = evaluate(k, f)
        rows.append([k.code, str(k.name), r.value, k.unit, r.numerator, r.denominator, r.note, r.source])
    return header, rows


# --- figures from outside CareNet ----------------------------------------------------------------------


def outside_keys() -> list[tuple[str, Any]]:
    """(key, label) of every figure entered by hand: the outside KPIs, then the social-trend categories."""
    keys: list[tuple[str, Any]] = [(k.code, k.name) for k in all_kpis() if k.source == Source.OUTSIDE]
    keys += [(c.key, c.label) for c in CATEGORIES]
    return keys


def outside_value_label(key: str) -> Any:
    """The label of an outside figure (404 for a key that is none)."""
    labels = dict(outside_keys())
    if key not in labels:
        raise Http404
    return labels[key]


def outside_values(*, user: Any, key: str) -> QuerySet[OutsideValue]:
    """The values entered for ``key`` in the user's municipality, the latest year first."""
    return (
        OutsideValue.objects.for_tenant(user.municipality_id)
        .filter(key=key)
        .select_related("entered_by")
        .order_by("-year")
    )


# --- population and maps -------------------------------------------------------------------------------


def population_figures(f: KpiFilters) -> dict[str, Any]:
    """The population page: residents by age band and sex, the source's inconsistencies, persons served by age."""
    year, bands = denominators(f.municipality, f.year)
    return {
        "years": population_years(f.municipality),
        "year": year,
        "bands": bands.values(),
        "flags": population_flags(f.municipality, year) if year else [],
        "age": build_dashboard(f, by_provider=False).chart("age"),
    }


MAPS = ("services", "beneficiaries", "coverage", "critical")


@dataclass
class MapData:
    layers: dict[str, Any]  # GeoJSON layers by name
    context: dict[str, Any]  # what the map's table shows


def map_data(f: KpiFilters, kind: str, *, term: Any = None, beyond_km: float = 2.0) -> MapData:
    """The layers and the table of one map (404 for an unknown map)."""
    if kind == "services":
        points = gis.service_points(f)
        return MapData({"services": gis.services_geojson(points)}, {"points": points})
    if kind == "beneficiaries":
        rows = gis.beneficiaries_by_area(f)
        cells = gis.beneficiary_cells(f)
        return MapData(
            {"areas": gis.areas_geojson(rows), "cells": gis.cells_geojson(cells)}, {"area_rows": rows, "cells": cells}
        )
    if kind == "coverage":
        terms = gis.service_terms(f)
        if term and term not in {str(t) for t, _n in terms}:
            term = None
        result, points = gis.coverage_of(f, term_id=term, beyond_km=beyond_km)
        return MapData(
            {"cells": gis.coverage_geojson(result), "services": gis.services_geojson(points)},
            {"result": result, "terms": terms, "term": term or "", "km": result.beyond_km, "points": points},
        )
    if kind == "critical":
        zones, islands, cells = gis.critical_zones_of(f)
        return MapData({"islands": islands, "cells": gis.cells_geojson(cells)}, {"zones": zones})
    raise Http404
