"""Reads of the dashboards: each chart is a list of labelled counts built with a handful of grouped queries.

Persons are counted once per chart cell (distinct persons with ≥1 delivery in the period). The persons'
breakdowns (sex, age band, disability, area) all come from ONE grouped query; the trend and the providers
from one each, so a dashboard costs the same number of queries whatever the size of the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, CharField, Count, DateField, F, Func, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
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
    computed_at: Any = None

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


# As long as the period of `manage.py run_scheduled`, which warms the default views (dashboard_tasks).
CACHE_SECONDS_DEFAULT = 900


def cache_seconds() -> int:
    return int(getattr(settings, "CARENET_DASHBOARD_CACHE_SECONDS", CACHE_SECONDS_DEFAULT))


# No invalidation on each write: deliveries are recorded all day long, and a cache emptied by every new row
# would never be hit. Figures are at most CACHE_SECONDS old and the page says when they were computed.


def _count_distinct_pairs(qs: Any, key: str) -> list[tuple[Any, int, int]]:
    """(key, persons, deliveries) rows: persons = distinct person_id per key, deliveries = rows per key.

    SELECT key, COUNT(*), SUM(n) FROM (SELECT key, person_id, COUNT(*) n … GROUP BY key, person_id) GROUP BY key.
    Same persons as COUNT(DISTINCT person_id) … GROUP BY key, but PostgreSQL answers it with hash aggregates
    instead of one sort per group (about twice as fast on the delivery log), and the deliveries come from the
    same scan. ``qs`` is an already tenant-scoped queryset (built by ``deliveries``), so the raw wrapper adds
    no access path.
    """
    inner = qs.order_by().values(key, "person_id").annotate(n=Count("*"))
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.{key}, COUNT(*), SUM(s.n) FROM ({sql}) s GROUP BY s.{key} ORDER BY s.{key}",  # noqa: S608
            params,
        )
        return [(k, persons, int(n)) for k, persons, n in cursor.fetchall()]


# PostgreSQL: the pair aggregations hash about 650,000 (key, person) rows a year at 2,000,000 deliveries. With
# the default work_mem (4 MB) they spill to temporary files, and their estimated cost crosses jit_above_cost,
# so each query first spends tens of milliseconds compiling itself. Both are set for the dashboard's own
# transaction only (set_config(..., true) = SET LOCAL). "" turns the tuning off (the benchmark's baseline).
WORK_MEM_DEFAULT = "64MB"
_WORK_MEM_FORMAT = re.compile(r"^[0-9]{1,6}(kB|MB|GB)$")


@contextmanager
def _planner_settings() -> Iterator[None]:
    work_mem = str(getattr(settings, "CARENET_DASHBOARD_WORK_MEM", WORK_MEM_DEFAULT))
    if connection.vendor != "postgresql" or not _WORK_MEM_FORMAT.match(work_mem):
        yield
        return

    def apply() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)", [work_mem])

    if connection.in_atomic_block:
        # Already in a transaction (ATOMIC_REQUESTS, tests): no savepoint, the settings end with that transaction.
        apply()
        yield
        return
    with transaction.atomic():
        apply()
        yield


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):  # SQLite's date truncation comes back as text in a raw query
        return dt.date.fromisoformat(value[:10])
    return value


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


def _raw(f: KpiFilters, by_provider: bool) -> dict[str, Any]:
    """The expensive part (scans of the delivery log), as plain data that can be cached."""
    with _planner_settings():
        trend = _count_distinct_pairs(deliveries(f).annotate(month=_month_of_delivery()), "month")
        raw: dict[str, Any] = {
            "groups": _person_groups(f),
            "trend": [(_as_date(month), persons) for month, persons, _n in trend],
            "deliveries": sum(n for _month, _persons, n in trend),
            "per_org": [],
            "computed_at": timezone.now(),
        }
        if by_provider:
            # Raw rows carry the backend's UUID form (text without dashes on SQLite): normalise it.
            pairs = _count_distinct_pairs(deliveries(f), "organisation_id")
            per_org = [(uuid.UUID(str(org)), persons) for org, persons, _n in pairs]
            raw["per_org"] = sorted(per_org, key=lambda row: -row[1])
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
    return "carenet:dash:" + hashlib.sha256(repr(parts).encode()).hexdigest()


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
    groups = raw["groups"]
    persons = sum(g["n"] for g in groups)

    by_sex = _sum_by(groups, "sex")
    sex_labels = {"F": _("Women"), "M": _("Men"), "U": _("Sex not recorded")}
    sex_rows = [Row(s.value, sex_labels.get(s.value, str(s.label)), by_sex.get(s.value, 0)) for s in Sex]

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
