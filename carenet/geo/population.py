"""Population denominators: loading the seeds' demographic tables and checking them against their own text.

Bălți's plan gives a table by age band and sex (context_statistics.population_table) and, in its prose,
group totals (population_text.groups). Both are stored as written; the table rows are the denominators and
every disagreement between the two (or inside a row) is reported, never silently corrected.
Baia Mare's strategy gives no population by age and sex: its municipality keeps only the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.models import Municipality

from .models import PopulationBand, PopulationRowKind

# The age bands CareNet disaggregates by. They are the groups of Bălți's text (children, young people,
# adults, elderly), so the table rows sum into them exactly (the "25-35" row starts a band at 19).
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-18", 0, 18),
    ("19-35", 19, 35),
    ("36-63", 36, 63),
    ("64+", 64, None),
]


def band_of_age(age: int) -> str:
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return AGE_BANDS[-1][0]


def age_band_overlaps(bands: list[tuple[str, int, int | None]]) -> list[tuple[str, str]]:
    """Pairs of bands (label, low, high) that hold a common age: each age must fall in one band only."""
    pairs = []
    for i, (label_a, low_a, high_a) in enumerate(bands):
        for label_b, low_b, high_b in bands[i + 1 :]:
            if (high_a is None or low_b <= high_a) and (high_b is None or low_a <= high_b):
                pairs.append((label_a, label_b))
    return pairs


def without_overlaps(bands: list[tuple[int, int | None]]) -> list[tuple[int, int | None]]:
    """Consecutive bands as a document writes them ("19-25", "25-35") made disjoint: a band that reaches
    into the next one ends the year before it starts ("19-24")."""
    fixed = list(bands)
    for i in range(len(fixed) - 1):
        low, high = fixed[i]
        next_low = fixed[i + 1][0]
        if high is None or high >= next_low:
            fixed[i] = (low, next_low - 1)
    return fixed


def parse_age_label(label: str) -> tuple[int, int | None]:
    """'0-6 (7) ani' → (0, 6); '64 si...ani' → (64, None); 'copii cu vârsta 0-18 ani' → (0, 18)."""
    numbers = [int(n) for n in re.findall(r"\d+", label)]
    if not numbers:
        raise ValueError(label)
    pair = re.search(r"(\d+)\s*-\s*(\d+)", label)
    if pair:
        return int(pair.group(1)), int(pair.group(2))
    return numbers[0], None


@transaction.atomic
def population_load_balti_seed(*, municipality: Municipality, actor: Any = None) -> int:
    """Load Bălți's population table and text groups (idempotent: rows are replaced for that year)."""
    from carenet.core.seeds import load_seed

    stats = load_seed("balti_action_plan")["context_statistics"]
    year = int(stats["year"])
    PopulationBand.objects.for_tenant(municipality).filter(year=year).delete()
    rows = []
    table = stats["population_table"]["rows"]
    written = [parse_age_label(row["age_band"]) for row in table]
    for row, (low, high), as_written in zip(table, without_overlaps(written), written, strict=True):
        note = f"Plan Bălți 2025-2027, tabel populație, linia {row['source_line']}"
        if (low, high) != as_written:
            note += (
                f" (documentul scrie „{row['age_band'].strip()}”; vârsta {as_written[1]} e numărată în rândul următor)"
            )
        rows.append(
            PopulationBand(
                municipality=municipality,
                year=year,
                kind=PopulationRowKind.TABLE,
                label=row["age_band"],
                age_from=low,
                age_to=high,
                women=row["women"],
                men=row["men"],
                total=row["total"],
                source_note=note,
            )
        )
    text = stats["population_text"]
    for group in text["groups"]:
        low, high = parse_age_label(group["label"])
        rows.append(
            PopulationBand(
                municipality=municipality,
                year=year,
                kind=PopulationRowKind.TEXT,
                label=group["label"][:60],
                age_from=low,
                age_to=high,
                women=group.get("girls_women"),
                men=group.get("boys_men"),
                total=group["total"],
                source_note=f"Plan Bălți 2025-2027, text, linia {text['source_line']}",
            )
        )
    PopulationBand.objects.bulk_create(rows)
    audit_record(
        action="population.load",
        actor=actor,
        municipality=municipality,
        object_type="geo.populationband",
        changes={"year": year, "rows": len(rows)},
    )
    return len(rows)


@dataclass(frozen=True)
class BandTotal:
    band: str
    women: int
    men: int
    total: int


@dataclass(frozen=True)
class PopulationFlag:
    label: str
    message: str


def population_years(municipality: Municipality) -> list[int]:
    return sorted(set(PopulationBand.objects.for_tenant(municipality).values_list("year", flat=True)))


def denominators(municipality: Municipality, year: int | None = None) -> tuple[int | None, dict[str, BandTotal]]:
    """The table rows of the latest year (≤ ``year``) summed into AGE_BANDS: (year used, {band: totals})."""
    qs = PopulationBand.objects.for_tenant(municipality).filter(kind=PopulationRowKind.TABLE)
    if year is not None:
        qs = qs.filter(year__lte=year)
    rows = list(qs.order_by("-year", "age_from"))
    if not rows:
        return None, {}
    used = rows[0].year
    sums: dict[str, list[int]] = {code: [0, 0, 0] for code, _low, _high in AGE_BANDS}
    for row in rows:
        if row.year != used:
            continue
        s = sums[band_of_age(row.age_from)]
        s[0] += row.women or 0
        s[1] += row.men or 0
        s[2] += row.total
    return used, {code: BandTotal(code, *vals) for code, vals in sums.items()}


def population_flags(municipality: Municipality, year: int) -> list[PopulationFlag]:
    """Every place where the source disagrees with itself (row sums, and text groups against the table)."""
    rows = list(PopulationBand.objects.for_tenant(municipality).filter(year=year).order_by("kind", "age_from"))
    table = [r for r in rows if r.kind == PopulationRowKind.TABLE]
    flags: list[PopulationFlag] = []
    for r in table:
        if r.women is not None and r.men is not None and r.women + r.men != r.total:
            flags.append(
                PopulationFlag(
                    r.label,
                    _("Women + men = %(sum)s, but the total is %(total)s.")
                    % {"sum": r.women + r.men, "total": r.total},
                )
            )
    for t in (r for r in rows if r.kind == PopulationRowKind.TEXT):
        inside = [
            r
            for r in table
            if r.age_from >= t.age_from and (t.age_to is None or (r.age_to is not None and r.age_to <= t.age_to))
        ]
        if not inside:
            continue
        table_total = sum(r.total for r in inside)
        if table_total != t.total:
            flags.append(
                PopulationFlag(
                    t.label,
                    _("The text says %(text)s; the table rows sum to %(table)s (difference %(diff)s).")
                    % {"text": t.total, "table": table_total, "diff": t.total - table_total},
                )
            )
        if t.women is not None and t.men is not None and t.women + t.men != t.total:
            flags.append(
                PopulationFlag(
                    t.label,
                    _("Women + men = %(sum)s, but the total is %(total)s.")
                    % {"sum": t.women + t.men, "total": t.total},
                )
            )
    return flags


def rate_per_1000(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(1000 * count / population, 2)
