"""Public open data of a plan: progress per objective and indicator totals, with small cells suppressed.

No personal data ever reaches these rows: only aggregated indicator values. Any count of fewer than
``SMALL_CELL`` (but more than zero) is replaced by "<5", totals and breakdown cells alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Sum
from django.http import Http404

from carenet.core.models import Municipality
from carenet.plans.models import Action, ActionStatus, Indicator, IndicatorKind, IndicatorValue, Plan, PlanStatus

SMALL_CELL = 5
SUPPRESSED = "<5"


def public_plans(municipality: Municipality) -> list[Plan]:
    return list(Plan.objects.for_tenant(municipality).exclude(status=PlanStatus.CLOSED).order_by("-start_year"))


def public_plan(municipality: Municipality, code: str) -> Plan:
    plan = Plan.objects.for_tenant(municipality).filter(code=code).first()
    if plan is None:
        raise Http404(code)
    return plan


def suppress(kind: str, value: Decimal | None) -> Any:
    if value is None:
        return None
    if kind in (IndicatorKind.COUNT, IndicatorKind.PER_BENEFICIARY) and 0 < value < SMALL_CELL:
        return SUPPRESSED
    normalized = value.normalize()
    return int(normalized) if normalized == normalized.to_integral_value() else float(normalized)


def objective_progress(plan: Plan) -> list[dict[str, Any]]:
    m = plan.municipality_id
    statuses: dict[UUID, Counter] = defaultdict(Counter)
    for go_id, status in Action.objects.for_tenant(m).filter(plan=plan).values_list("general_objective_id", "status"):
        statuses[go_id][status] += 1
    rows = []
    for go in plan.general_objectives.order_by("order"):
        total = sum(statuses[go.pk].values())
        done = statuses[go.pk][ActionStatus.DONE]
        rows.append(
            {
                "code": go.code,
                "title": go.title,
                "actions": total,
                "done": done,
                "in_progress": statuses[go.pk][ActionStatus.IN_PROGRESS],
                "percent_done": round(100 * done / total) if total else 0,
            }
        )
    return rows


def indicator_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per indicator × period × cell (totals and breakdowns), values summed over bodies."""
    m = plan.municipality_id
    kinds = dict(Indicator.objects.for_tenant(m).filter(plan=plan).values_list("pk", "kind"))
    codes = dict(Indicator.objects.for_tenant(m).filter(plan=plan).values_list("pk", "code"))
    rows = []
    for r in (
        IndicatorValue.objects.for_tenant(m)
        .filter(indicator__plan=plan, value__isnull=False)
        .values("indicator_id", "period__code", "combo")
        .annotate(total=Sum("value"))
        .order_by("period__code", "indicator__order", "combo")
    ):
        kind = kinds[r["indicator_id"]]
        if kind == IndicatorKind.PERCENTAGE:
            continue  # percentages of several bodies do not add up; the report shows them
        rows.append(
            {
                "indicator": codes[r["indicator_id"]],
                "period": r["period__code"],
                "breakdown": r["combo"] or "total",
                "value": suppress(kind, r["total"]),
            }
        )
    return rows
