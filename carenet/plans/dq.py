"""Data-quality rules. Pure functions over numbers: easy to test, reused by the form and the report.

Each rule returns a list of ``Issue``; ``error`` issues block saving, ``warning`` issues are shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import parse_combo

JUMP_RATIO = Decimal("0.5")  # ±50 % against the previous period is flagged
JUMP_MIN_ABS = Decimal("5")  # … unless the change is tiny in absolute terms


@dataclass(frozen=True)
class Issue:
    rule: str
    severity: str  # "error" | "warning"
    message: str


def check_disaggregation_sum(total: Decimal | None, cells: dict[str, Decimal | None]) -> list[Issue]:
    """Full cells (every dimension set) must add up to the total; so must each one-dimension margin."""
    issues: list[Issue] = []
    if total is None:
        if any(v is not None for v in cells.values()):
            issues.append(Issue("disaggregation_sum", "error", _("Enter the total when you enter a breakdown.")))
        return issues
    by_depth: dict[tuple[str, ...], Decimal] = defaultdict(Decimal)
    for combo, value in cells.items():
        if value is None:
            continue
        dims = tuple(sorted(parse_combo(combo)))
        by_depth[dims] += value
    for dims, subtotal in by_depth.items():
        if subtotal != total:
            issues.append(
                Issue(
                    "disaggregation_sum",
                    "error",
                    _("The breakdown by %(dims)s adds up to %(sum)s, not to the total %(total)s.")
                    % {"dims": " × ".join(dims), "sum": _fmt(subtotal), "total": _fmt(total)},
                )
            )
    return issues


def check_percentage(
    value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> list[Issue]:
    issues: list[Issue] = []
    if value is None and numerator is None and denominator is None:
        return issues
    if denominator is None or denominator <= 0:
        issues.append(Issue("percentage_denominator", "error", _("A percentage needs its denominator (greater than 0).")))
        return issues
    if numerator is None:
        issues.append(Issue("percentage_numerator", "error", _("A percentage needs its numerator.")))
        return issues
    if numerator < 0 or numerator > denominator:
        issues.append(Issue("percentage_range", "error", _("The numerator must be between 0 and the denominator.")))
        return issues
    computed = (numerator / denominator * 100).quantize(Decimal("0.01"))
    if value is not None and not (Decimal(0) <= value <= Decimal(100)):
        issues.append(Issue("percentage_range", "error", _("A percentage must be between 0 and 100.")))
    elif value is not None and abs(value - computed) > Decimal("0.5"):
        issues.append(
            Issue(
                "percentage_mismatch",
                "error",
                _("%(value)s %% does not match %(num)s / %(den)s = %(computed)s %%.")
                % {"value": _fmt(value), "num": _fmt(numerator), "den": _fmt(denominator), "computed": _fmt(computed)},
            )
        )
    return issues


def check_jump(previous: Decimal | None, current: Decimal | None) -> list[Issue]:
    if previous is None or current is None:
        return []
    change = abs(current - previous)
    if change < JUMP_MIN_ABS:
        return []
    base = abs(previous) if previous else Decimal(1)
    if change / base > JUMP_RATIO:
        return [
            Issue(
                "jump",
                "warning",
                _("%(current)s is far from the previous period (%(previous)s): please check or explain.")
                % {"current": _fmt(current), "previous": _fmt(previous)},
            )
        ]
    return []


def check_non_negative(value: Decimal | None) -> list[Issue]:
    if value is not None and value < 0:
        return [Issue("negative", "error", _("The value cannot be negative."))]
    return []


def check_population_tables(table: dict[str, Any], text: dict[str, Any]) -> list[Issue]:
    """Internal consistency of a population-by-age-and-sex table and the text that quotes it."""
    issues: list[Issue] = []
    rows = table.get("rows", [])
    for row in rows:
        if row["women"] + row["men"] != row["total"]:
            issues.append(
                Issue(
                    "demography_row",
                    "warning",
                    _("Age band %(band)s: %(women)s + %(men)s ≠ %(total)s.")
                    % {"band": row["age_band"], "women": row["women"], "men": row["men"], "total": row["total"]},
                )
            )
    table_total = sum(r["total"] for r in rows)
    if text.get("total") is not None and rows and table_total != text["total"]:
        issues.append(
            Issue(
                "demography_total",
                "warning",
                _("The table adds up to %(sum)s, the text says %(total)s.") % {"sum": table_total, "total": text["total"]},
            )
        )
    for group in text.get("groups", []):
        if group.get("girls_women") is None or group.get("boys_men") is None:
            continue
        parts = group["girls_women"] + group["boys_men"]
        if parts != group["total"]:
            issues.append(
                Issue(
                    "demography_group",
                    "warning",
                    _("%(label)s: the text says %(total)s, but %(women)s + %(men)s = %(sum)s.")
                    % {
                        "label": group["label"],
                        "total": group["total"],
                        "women": group["girls_women"],
                        "men": group["boys_men"],
                        "sum": parts,
                    },
                )
            )
    return issues


def _fmt(value: Decimal) -> str:
    normalized = value.normalize()
    return f"{normalized:f}"
