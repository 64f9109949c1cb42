"""Reads of the plans app, already scoped to the user's tenant (and, for forms, to their bodies)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import dq
from .models import (
    TOTAL,
    Action,
    Finding,
    GeneralObjective,
    Indicator,
    IndicatorValue,
    Plan,
    ReportingPeriod,
    Submission,
)
from .permissions import plans_visible_to, submissions_visible_to
from .services import expected_indicators_by_body


def plan_list(user: Any) -> QuerySet[Plan]:
    return plans_visible_to(user).order_by("-start_year", "title")


def plan_get(user: Any, plan_id: Any) -> Plan:
    return get_object_or_404(plans_visible_to(user), pk=plan_id)


def plan_structure(plan: Plan) -> QuerySet[GeneralObjective]:
    """Objectives → specific objectives → actions (with bodies) → indicators, in 6 queries."""
    m = plan.municipality_id
    actions = (
        Action.objects.for_tenant(m)
        .order_by("order")
        .prefetch_related("responsible", "partners", "cost_lines__funding_source", "indicators")
    )
    return (
        GeneralObjective.objects.for_tenant(m)
        .filter(plan=plan)
        .select_related("area")
        .prefetch_related("specific_objectives", Prefetch("actions", queryset=actions))
        .order_by("order")
    )


def period_get(user: Any, plan: Plan, code: str) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.for_tenant(plan.municipality_id).filter(plan=plan), code=code)


def submission_get(user: Any, submission_id: Any) -> Submission:
    """404 for another tenant's form; a same-tenant form of another body exists but is refused (403) by the view."""
    from carenet.core.policy import actor_of

    actor = actor_of(user)
    if actor.municipality_id is None and not actor.is_platform_admin:
        raise Http404
    qs = (
        Submission.objects.for_tenant(actor.municipality_id)
        if actor.municipality_id
        else Submission.objects.all_tenants()
    )
    return get_object_or_404(qs.select_related("period__plan", "organisation"), pk=submission_id)


def submissions_of_user(user: Any) -> QuerySet[Submission]:
    return submissions_visible_to(user).select_related("period__plan", "organisation").order_by("-period__start_date")


def findings_of(plan: Plan) -> QuerySet[Finding]:
    return Finding.objects.for_tenant(plan.municipality_id).filter(plan=plan).order_by("code")


@dataclass
class BodyCompleteness:
    submission: Submission
    expected: int
    reported: int

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 100


def completeness_by_body(period: ReportingPeriod) -> list[BodyCompleteness]:
    m = period.municipality_id
    reported: dict[str, set[int]] = defaultdict(set)
    for body, indicator_id in (
        IndicatorValue.objects.for_tenant(m).filter(period=period, combo=TOTAL).values_list("body_code", "indicator_id")
    ):
        reported[body].add(indicator_id)
    expected_by_body = expected_indicators_by_body(period.plan)
    rows = []
    for s in Submission.objects.for_tenant(m).filter(period=period).select_related("organisation", "period__plan"):
        expected = expected_by_body.get(s.organisation_id, set())
        rows.append(BodyCompleteness(s, len(expected), len(expected & reported[s.organisation.code])))
    return rows


def completeness_by_objective(period: ReportingPeriod) -> list[tuple[GeneralObjective, int, int]]:
    m = period.municipality_id
    done = set(
        IndicatorValue.objects.for_tenant(m).filter(period=period, combo=TOTAL).values_list("indicator_id", flat=True)
    )
    by_objective: dict[int, list[int]] = defaultdict(list)
    for ind_id, action_go, ind_go in (
        Indicator.objects.for_tenant(m)
        .filter(plan_id=period.plan_id)
        .values_list("pk", "action__general_objective_id", "general_objective_id")
    ):
        by_objective[action_go or ind_go or 0].append(ind_id)
    objectives = GeneralObjective.objects.for_tenant(m).filter(plan_id=period.plan_id).order_by("order")
    rows = [(o, len(by_objective[o.pk]), sum(1 for i in by_objective[o.pk] if i in done)) for o in objectives]
    return rows


@dataclass
class ValueFlag:
    indicator: Indicator
    body_code: str
    message: str


def period_quality_flags(period: ReportingPeriod) -> list[ValueFlag]:
    """Values far from the same body's value of the previous period (for the coordinator's review)."""
    m = period.municipality_id
    previous = (
        ReportingPeriod.objects.for_tenant(m)
        .filter(plan_id=period.plan_id, end_date__lt=period.start_date)
        .order_by("-end_date")
        .first()
    )
    if previous is None:
        return []
    before = {
        (i, b): v
        for i, b, v in IndicatorValue.objects.for_tenant(m)
        .filter(period=previous, combo=TOTAL, value__isnull=False, is_computed=False)
        .values_list("indicator_id", "body_code", "value")
    }
    now = list(
        IndicatorValue.objects.for_tenant(m)
        .filter(period=period, combo=TOTAL, value__isnull=False, is_computed=False)
        .values_list("indicator_id", "body_code", "value")
    )
    indicators = {i.pk: i for i in Indicator.objects.for_tenant(m).filter(plan_id=period.plan_id)}
    flags = []
    for indicator_id, body, value in now:
        for issue in dq.check_jump(before.get((indicator_id, body)), value):
            flags.append(ValueFlag(indicators[indicator_id], body, issue.message))
    return sorted(flags, key=lambda f: (f.indicator.order, f.body_code))


def plan_indicators(plan: Plan) -> list[Indicator]:
    """Every indicator of the plan in order, with what a list of them shows (2 queries); each carries
    ``computation_label``, the label of its computed definition ("" when entered)."""
    from .computations import REGISTRY

    indicators = list(
        Indicator.objects.for_tenant(plan.municipality_id)
        .filter(plan=plan)
        .select_related("action", "disaggregation")
        .prefetch_related("services")
        .order_by("order")
    )
    for ind in indicators:
        comp = REGISTRY.get(ind.computation)
        ind.computation_label = comp.label if comp else ""  # type: ignore[attr-defined]
    return indicators


def indicator_get(plan: Plan, indicator_id: Any) -> Indicator:
    return get_object_or_404(Indicator.objects.for_tenant(plan.municipality_id).filter(plan=plan), pk=indicator_id)


def countable_services(plan: Plan) -> QuerySet[Any]:
    """The municipality's directory services an indicator may be limited to."""
    from carenet.directory.models import Service

    return Service.objects.for_tenant(plan.municipality_id).select_related("organisation").order_by("name")
