"""Social trends: yearly series in the seeds' own categories, from entered figures or CareNet's records.

Bălți's plan reads its year-over-year changes in the text (victims of domestic violence 178 → 50, children
leaving school 12 → 10, offences by minors 15 → 33, refugees 3 → 1,007); the demo enters those with their
source line. Where CareNet records the same thing (risks found by social inquiries) the computed series is
shown next to the entered one, never mixed with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from carenet.cases.models import Risk, SocialInquiry
from carenet.core.models import Municipality

from .models import OutsideValue


def _inquiries_with_risk(risk: str) -> Callable[[Municipality], dict[int, int]]:
    def compute(municipality: Municipality) -> dict[int, int]:
        # JSON "contains" is not portable to SQLite: read the (year, person, risks) triples and count here.
        persons: dict[int, set[Any]] = {}
        rows = SocialInquiry.objects.for_tenant(municipality).values_list("visited_on", "case__person_id", "risks")
        for visited_on, person_id, risks in rows:
            if risk in (risks or []):
                persons.setdefault(visited_on.year, set()).add(person_id)
        return {year: len(ids) for year, ids in persons.items()}

    return compute


@dataclass(frozen=True)
class TrendCategory:
    key: str  # OutsideValue.key
    label: Any
    seed_key: str  # the key in the Bălți seed's context_statistics.other_figures
    unit: Any
    computed: Callable[[Municipality], dict[int, int]] | None = None
    computed_label: Any = ""


CATEGORIES = [
    TrendCategory(
        "trend.domestic_violence_victims",
        gettext_lazy("Victims of domestic violence"),
        "domestic_violence_victims",
        gettext_lazy("persons"),
        _inquiries_with_risk(Risk.VIOLENCE),
        gettext_lazy("persons whose social inquiry found domestic violence"),
    ),
    TrendCategory(
        "trend.school_dropout_children",
        gettext_lazy("Children leaving school"),
        "school_dropout_children",
        gettext_lazy("children"),
        _inquiries_with_risk(Risk.SCHOOL_DROPOUT),
        gettext_lazy("persons whose social inquiry found school dropout"),
    ),
    TrendCategory(
        "trend.offences_by_minors",
        gettext_lazy("Offences committed by minors"),
        "offences_committed_by_children",
        gettext_lazy("offences"),
    ),
    TrendCategory("trend.refugees", gettext_lazy("Refugees"), "refugees", gettext_lazy("persons")),
]
CATEGORY_KEYS = {c.key for c in CATEGORIES}


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: Decimal | None
    change: Decimal | None  # percent against the previous year with a value
    previous_year: int | None
    source: str = ""


@dataclass(frozen=True)
class TrendSeries:
    category: TrendCategory
    entered: list[TrendPoint]
    computed: list[TrendPoint]


def _with_changes(values: dict[int, Decimal], sources: dict[int, str] | None = None) -> list[TrendPoint]:
    points, prev = [], None
    for year in sorted(values):
        value = values[year]
        change = None
        if prev is not None and values[prev]:
            change = (100 * (value - values[prev]) / values[prev]).quantize(Decimal("0.1"))
        points.append(TrendPoint(year, value, change, prev, (sources or {}).get(year, "")))
        prev = year
    return points


def social_trends(municipality: Municipality) -> list[TrendSeries]:
    """Every category's entered and computed series, one query for all entered values."""
    entered: dict[str, dict[int, Decimal]] = {}
    sources: dict[str, dict[int, str]] = {}
    for row in OutsideValue.objects.for_tenant(municipality).filter(key__in=CATEGORY_KEYS):
        entered.setdefault(row.key, {})[row.year] = row.value
        sources.setdefault(row.key, {})[row.year] = row.source
    series = []
    for c in CATEGORIES:
        computed = c.computed(municipality) if c.computed else {}
        series.append(
            TrendSeries(
                c,
                _with_changes(entered.get(c.key, {}), sources.get(c.key)),
                _with_changes({y: Decimal(n) for y, n in computed.items()}),
            )
        )
    return series
