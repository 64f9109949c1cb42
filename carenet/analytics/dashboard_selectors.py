"""Reads of the dashboards: each chart is a list of labelled counts built with a handful of grouped queries.

Persons are counted once per chart cell (distinct persons with ≥1 delivery in the period). The persons'
breakdowns (sex, age band, disability, area) all come from ONE grouped query; the trend and the providers
from one each, so a dashboard costs the same number of queries whatever the size of the network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.core.models import Organisation
from carenet.geo.geometry import MIN_CELL
from carenet.geo.models import Area
from carenet.geo.population import AGE_BANDS, denominators, rate_per_1000
from carenet.people.models import Sex

from .kpis.filters import DISABILITY_YES, KpiFilters, _years_before, deliveries, disability_q, persons_served

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

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def _age_band_case(on: dt.date) -> Case:
    whens = []
    for code, low, high in AGE_BANDS:
        q = Q(birth_date__lte=_years_before(on, low))
        if high is not None:
            q &= Q(birth_date__gt=_years_before(on, high + 1))
        whens.append(When(q, then=Value(code)))
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


def _person_groups(f: KpiFilters) -> list[dict[str, Any]]:
    """The one grouped query behind the sex, age, disability and area charts."""
    return list(
        persons_served(f)
        .annotate(
            band=_age_band_case(f.end),
            disabled=Case(
                When(disability_q(DISABILITY_YES), then=Value("yes")), default=Value("no"), output_field=CharField()
            ),
        )
        .order_by()
        .values("sex", "band", "disabled", "area_id")
        .annotate(n=Count("id"))
    )


def _sum_by(groups: list[dict[str, Any]], key: str) -> dict[Any, int]:
    out: dict[Any, int] = defaultdict(int)
    for g in groups:
        out[g[key]] += g["n"]
    return out


def build_dashboard(f: KpiFilters, *, by_provider: bool = True) -> Dashboard:
    groups = _person_groups(f)
    persons = sum(g["n"] for g in groups)

    by_sex = _sum_by(groups, "sex")
    sex_rows = [Row(s.value, str(s.label), by_sex.get(s.value, 0)) for s in Sex]

    year, bands = denominators(f.municipality, f.year)
    by_band = _sum_by(groups, "band")
    band_rows = []
    for code, _low, _high in AGE_BANDS:
        pop = bands.get(code)
        population = None
        if pop is not None:
            population = {"F": pop.women, "M": pop.men}.get(f.sex, pop.total) if f.sex else pop.total
        band_rows.append(Row(code, code, by_band.get(code, 0), rate_per_1000(by_band.get(code, 0), population)))
    band_rows.append(Row(UNKNOWN, _("Age not recorded"), by_band.get(UNKNOWN, 0)))

    by_dis = _sum_by(groups, "disabled")
    dis_rows = [
        Row("yes", _("With a recorded disability"), by_dis.get("yes", 0)),
        Row("no", _("No disability recorded"), by_dis.get("no", 0)),
    ]

    by_area = _sum_by(groups, "area_id")
    names = dict(Area.objects.for_tenant(f.municipality).values_list("id", "name"))
    area_rows = sorted(
        (Row(str(a), names.get(a, "?"), n) for a, n in by_area.items() if a is not None), key=lambda r: r.label
    )
    area_rows.append(Row(UNKNOWN, _("Area not recorded"), by_area.get(None, 0)))

    trend = (
        deliveries(f)
        .annotate(month=TruncMonth("delivered_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("month")
    )
    trend_rows = [
        Row(r["month"].strftime("%Y-%m"), date_format(r["month"], "YEAR_MONTH_FORMAT"), r["n"]) for r in trend
    ]

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
    n_deliveries = deliveries(f).count()
    if by_provider:
        per_org = (
            deliveries(f)
            .order_by()
            .values("organisation_id")
            .annotate(n=Count("person_id", distinct=True))
            .order_by("-n")
        )
        org_names = dict(Organisation.objects.for_tenant(f.municipality).values_list("id", "name"))
        charts.append(
            Chart(
                "provider",
                gettext_lazy("Persons served by provider"),
                "bar",
                [Row(str(r["organisation_id"]), org_names.get(r["organisation_id"], "?"), r["n"]) for r in per_org],
                note=_("A person served by two providers is counted by each."),
            )
        )
    return Dashboard(filters=f, persons=persons, deliveries=n_deliveries, charts=charts)


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
    return Dashboard(filters=f, persons=persons, deliveries=acts, charts=charts)
