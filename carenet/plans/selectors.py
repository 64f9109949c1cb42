"""Reads of the plans app, already scoped to the user's tenant (and, for forms, to their bodies)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from carenet.accounts.models import Membership
from carenet.core.models import Organisation

from . import dq
from .models import (
    TOTAL,
    Action,
    CostLine,
    Finding,
    GeneralObjective,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    PeriodStatus,
    Plan,
    PlanVersion,
    ReportingPeriod,
    Submission,
)
from .permissions import REPORTING_ROLES, plans_visible_to, submissions_visible_to


def plan_list(*, user: Any) -> QuerySet[Plan]:
    return plans_visible_to(user).order_by("-start_year", "title")


def plan_periods(*, plan: Plan) -> QuerySet[ReportingPeriod]:
    """The plan's reporting periods in order (the plan already fetched with ``plans.permissions.plan_for``)."""
    return ReportingPeriod.objects.for_tenant(plan.municipality_id).filter(plan=plan).order_by("start_date")


def plan_kpis(*, plan: Plan) -> QuerySet[Indicator]:
    """The plan-level indicators (those of no action), in order."""
    return Indicator.objects.for_tenant(plan.municipality_id).filter(plan=plan, action__isnull=True).order_by("order")


def plan_versions(*, plan: Plan) -> QuerySet[PlanVersion]:
    """The council decisions that approved and amended the plan, in order."""
    return PlanVersion.objects.for_tenant(plan.municipality_id).filter(plan=plan).order_by("number")


def plan_structure(*, plan: Plan) -> QuerySet[GeneralObjective]:
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


def submissions_of_user(*, user: Any, limit: int = 50) -> QuerySet[Submission]:
    """The reporting forms the user may see (their own bodies'; all for the coordinator), newest period first."""
    return (
        submissions_visible_to(user)
        .select_related("period__plan", "organisation")
        .order_by("-period__start_date")[:limit]
    )


def findings_of(*, plan: Plan) -> QuerySet[Finding]:
    return Finding.objects.for_tenant(plan.municipality_id).filter(plan=plan).order_by("code")


@dataclass
class BodyCompleteness:
    submission: Submission
    expected: int
    reported: int

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 100


def completeness_by_body(*, user: Any, period: ReportingPeriod) -> list[BodyCompleteness]:
    """How much of its form each body has filled in, for the forms the user may see."""
    m = period.municipality_id
    visible = set(submissions_visible_to(user).filter(period=period).values_list("pk", flat=True))
    reported: dict[str, set[UUID]] = defaultdict(set)
    for body, indicator_id in (
        IndicatorValue.objects.for_tenant(m).filter(period=period, combo=TOTAL).values_list("body_code", "indicator_id")
    ):
        reported[body].add(indicator_id)
    expected_by_body = expected_indicators_by_body(plan=period.plan)
    rows = []
    for s in Submission.objects.for_tenant(m).filter(period=period).select_related("organisation", "period__plan"):
        if s.pk not in visible:
            continue
        expected = expected_by_body.get(s.organisation_id, set())
        rows.append(BodyCompleteness(s, len(expected), len(expected & reported[s.organisation.code])))
    return rows


def completeness_by_objective(*, period: ReportingPeriod) -> list[tuple[GeneralObjective, int, int]]:
    m = period.municipality_id
    done = set(
        IndicatorValue.objects.for_tenant(m).filter(period=period, combo=TOTAL).values_list("indicator_id", flat=True)
    )
    by_objective: dict[UUID | None, list[UUID]] = defaultdict(list)
    for ind_id, action_go, ind_go in (
        Indicator.objects.for_tenant(m)
        .filter(plan_id=period.plan_id)
        .values_list("pk", "action__general_objective_id", "general_objective_id")
    ):
        by_objective[action_go or ind_go].append(ind_id)
    objectives = GeneralObjective.objects.for_tenant(m).filter(plan_id=period.plan_id).order_by("order")
    rows = [(o, len(by_objective[o.pk]), sum(1 for i in by_objective[o.pk] if i in done)) for o in objectives]
    return rows


@dataclass
class ValueFlag:
    indicator: Indicator
    body_code: str
    message: str


def period_quality_flags(*, period: ReportingPeriod) -> list[ValueFlag]:
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


def plan_indicators(*, plan: Plan) -> list[Indicator]:
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
        ind.computation_label = comp.label if comp else ""
    return indicators


def countable_services(*, plan: Plan) -> QuerySet[Any]:
    """The municipality's directory services an indicator may be limited to."""
    from carenet.directory.models import Service

    return Service.objects.for_tenant(plan.municipality_id).select_related("organisation").order_by("name")


# --- who reports what ------------------------------------------------------------------------------


def actions_of_body(*, plan: Plan, organisation: Organisation) -> QuerySet[Action]:
    """The plan's actions the body is responsible for or a partner of."""
    return (
        Action.objects.for_tenant(plan.municipality_id)
        .filter(plan=plan)
        .filter(Q(responsible=organisation) | Q(partners=organisation))
        .distinct()
        .order_by("order")
    )


def indicators_of_body(*, plan: Plan, organisation: Organisation) -> QuerySet[Indicator]:
    """The body's actions' entered indicators; plan-level KPIs go to the bodies responsible for the plan."""
    qs = Indicator.objects.for_tenant(plan.municipality_id).filter(plan=plan, source=IndicatorSource.ENTERED)
    action_ids = list(actions_of_body(plan=plan, organisation=organisation).values_list("pk", flat=True))
    own = Q(action_id__in=action_ids)
    if _leads_plan(plan, organisation):
        own |= Q(action__isnull=True)
    return qs.filter(own).select_related("disaggregation", "action").order_by("order")


def _leads_plan(plan: Plan, organisation: Organisation) -> bool:
    total = plan.actions.count()
    return total > 0 and plan.actions.filter(responsible=organisation).count() == total


def expected_indicators_by_body(*, plan: Plan) -> dict[Any, set[UUID]]:
    """organisation id → ids of the entered indicators it reports (same rule as ``indicators_of_body``),
    for every body at once, in four queries."""
    through_r = Action.responsible.through
    through_p = Action.partners.through
    actions_of: dict[Any, set[UUID]] = {}
    responsible_count: dict[Any, int] = {}
    for action_id, org_id in (
        through_r.objects.for_tenant(plan.municipality_id)
        .filter(action__plan=plan)
        .values_list("action_id", "organisation_id")
    ):
        actions_of.setdefault(org_id, set()).add(action_id)
        responsible_count[org_id] = responsible_count.get(org_id, 0) + 1
    for action_id, org_id in (
        through_p.objects.for_tenant(plan.municipality_id)
        .filter(action__plan=plan)
        .values_list("action_id", "organisation_id")
    ):
        actions_of.setdefault(org_id, set()).add(action_id)
    total_actions = Action.objects.for_tenant(plan.municipality_id).filter(plan=plan).count()
    by_action: dict[UUID | None, set[UUID]] = {}
    for ind_id, action_id in (
        Indicator.objects.for_tenant(plan.municipality_id)
        .filter(plan=plan, source=IndicatorSource.ENTERED)
        .values_list("pk", "action_id")
    ):
        by_action.setdefault(action_id, set()).add(ind_id)
    result: dict[Any, set[UUID]] = {}
    for org_id, action_ids in actions_of.items():
        ids = set().union(*(by_action.get(a, set()) for a in action_ids))
        if total_actions and responsible_count.get(org_id) == total_actions:
            ids |= by_action.get(None, set())
        result[org_id] = ids
    return result


def reporting_bodies(*, plan: Plan) -> QuerySet[Organisation]:
    """The bodies that report on the plan (each gets a form per period); collective bodies report nothing."""
    return (
        Organisation.objects.for_tenant(plan.municipality_id)
        .filter(is_generic=False)
        .filter(Q(plan_actions_responsible__plan=plan) | Q(plan_actions_partner__plan=plan))
        .distinct()
        .order_by("name")
    )


def previous_totals(*, submission: Submission, indicator_ids: list[UUID]) -> dict[UUID, Any]:
    """The body's totals of the previous period for these indicators (to flag large jumps)."""
    previous = (
        ReportingPeriod.objects.for_tenant(submission.municipality_id)
        .filter(plan_id=submission.period.plan_id, end_date__lt=submission.period.start_date)
        .order_by("-end_date")
        .first()
    )
    if previous is None:
        return {}
    rows = (
        IndicatorValue.objects.for_tenant(submission.municipality_id)
        .filter(period=previous, indicator_id__in=indicator_ids, combo=TOTAL, body_code=submission.organisation.code)
        .values_list("indicator_id", "value")
    )
    return {i: v for i, v in rows if v is not None}


@dataclass
class SubmissionFormData:
    """What a body's reporting form shows: its indicators, actions and cost lines, and what it saved."""

    indicators: list[Indicator]
    actions: list[Action]
    cost_lines: list[CostLine]
    saved: dict[tuple[int, str], IndicatorValue]
    progress: dict[UUID, Any]
    executed: dict[UUID, Any]


def submission_form_data(*, submission: Submission) -> SubmissionFormData:
    """The form of ``submission`` (fetched with ``plans.permissions.submission_for``) and its saved answers."""
    plan = submission.period.plan
    actions = list(actions_of_body(plan=plan, organisation=submission.organisation))
    cost_lines = list(
        CostLine.objects.for_tenant(submission.municipality_id)
        .filter(action__in=actions)
        .select_related("funding_source", "action")
        .order_by("action__order", "funding_source__order")
    )
    return SubmissionFormData(
        indicators=list(indicators_of_body(plan=plan, organisation=submission.organisation)),
        actions=actions,
        cost_lines=cost_lines,
        saved={(v.indicator_id, v.combo): v for v in submission.values.all()},
        progress={p.action_id: p for p in submission.action_progress.all()},
        executed={c.cost_line_id: c.executed_amount for c in submission.costs.all()},
    )


@dataclass(frozen=True)
class ComputedBeside:
    """A computed indicator of a body's action, shown read-only beside what the body enters."""

    indicator: Indicator
    shown: str


def computed_beside_form(*, submission: Submission, actions: list[Action]) -> dict[Any, list[ComputedBeside]]:
    """action id → the action's computed indicators with their value for the submission's period (read-only
    on the body's form: the body does not type them in)."""
    from .computations import compute_all, compute_texts
    from .models import IndicatorKind

    period = submission.period
    indicators = list(
        Indicator.objects.for_tenant(submission.municipality_id)
        .filter(plan_id=period.plan_id, source=IndicatorSource.COMPUTED, action__in=actions)
        .select_related("disaggregation")
        .order_by("order")
    )
    if not indicators:
        return {}
    values = compute_all(indicators, period)
    texts = compute_texts(indicators, period)
    out: dict[Any, list[ComputedBeside]] = {}
    for ind in indicators:
        total = values.get(ind.pk, {}).get("")
        if ind.kind == IndicatorKind.LIST:
            shown = texts.get(ind.pk) or "—"
        elif total is None:
            shown = "—"
        elif ind.kind == IndicatorKind.MILESTONE:
            shown = str(_("yes") if total else _("no"))
        elif ind.kind == IndicatorKind.PERCENTAGE:
            shown = f"{total.normalize():f} %"
        else:
            shown = f"{total.normalize():f}"
        out.setdefault(ind.action_id, []).append(ComputedBeside(ind, shown))
    return out


# --- reminders -------------------------------------------------------------------------------------

REMINDER_DAYS = 14


def periods_needing_reminder(*, today: datetime.date) -> QuerySet[ReportingPeriod]:
    return (
        ReportingPeriod.objects.all_tenants()  # platform task: runs over every tenant, one row at a time
        .filter(status=PeriodStatus.OPEN, reminder_sent_at__isnull=True, end_date__lt=today)
        .filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=REMINDER_DAYS))
    )


def reminder_emails(*, period: ReportingPeriod, organisation_ids: list[Any]) -> list[str]:
    """The addresses of the reporting staff (data officers, managers) of these bodies, sorted, once each."""
    return sorted(
        set(
            Membership.objects.for_tenant(period.municipality_id)
            .filter(organisation_id__in=organisation_ids, role__in=REPORTING_ROLES, is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def indicator_records(*, indicator: Indicator, period: ReportingPeriod) -> QuerySet[Any] | None:
    """The activities behind a value computed from the activities register (None for other definitions)."""
    from carenet.activities.selectors import activities_behind

    from .computations_registers import activity_filter

    if not indicator.computation.startswith("activities."):
        return None
    return activities_behind(
        municipality=indicator.municipality_id,
        date_from=period.start_date,
        date_to=period.end_date,
        filters=activity_filter(indicator),
    )


# The definitions whose records a coordinator can open from the indicator (the registers' records; the staff
# register is personal data and is not listed behind a figure).
DRILLABLE = frozenset(
    {"activities." + n for n in ("count", "participants", "partners", "modules", "localities", "held", "topics")}
    | {"activities.kinds", "activities.audience", "activities.completion"}
    | {"media.count", "media.published", "media.outlets", "media.topics"}
    | {"recommendations.formulated", "recommendations.implemented"}
    | {"accessibility.evaluated", "accessibility.adapted"}
    | {"subplans.count", "subplans.approved", "subplans.achievement"}
)


@dataclass(frozen=True)
class RecordRow:
    """A record of a register behind a computed value (media item, recommendation, evaluation, sub-plan)."""

    on: Any
    title: str
    what: str
    organisation: str


def indicator_register_records(*, indicator: Indicator, period: ReportingPeriod) -> list[RecordRow] | None:
    """The media items, recommendations, accessibility evaluations or sub-plans behind a computed value (the
    same query as the definition; None for other definitions)."""
    from carenet.activities import selectors as registers

    from . import computations_registers as defs

    name = indicator.computation
    org = lambda r: r.organisation.short_name or r.organisation.name  # noqa: E731
    if name.startswith("media."):
        media = registers.media_counted(**defs._media(indicator, period)).select_related("organisation")
        return [
            RecordRow(r.published_on, r.title, r.get_kind_display(), org(r)) for r in media.order_by("published_on")
        ]
    if name.startswith("recommendations."):
        recs = registers.recommendations_counted(
            **defs._period(indicator, period),
            implemented=name.endswith("implemented"),
            action_ids=defs._actions_or_none(indicator),
        ).select_related("organisation")
        return [
            RecordRow(r.implemented_on or r.formulated_on, r.text, r.get_status_display(), org(r))
            for r in recs.order_by("formulated_on")
        ]
    if name.startswith("accessibility."):
        filters = indicator.computation_filters or {}
        evaluations = registers.evaluations_counted(
            **defs._period(indicator, period),
            targets=tuple(filters.get("targets") or ()),
            adapted=name.endswith("adapted"),
        ).select_related("organisation")
        return [
            RecordRow(r.adapted_on or r.evaluated_on, r.name, r.get_result_display(), org(r))
            for r in evaluations.order_by("evaluated_on")
        ]
    if name.startswith("subplans."):
        plans = registers.sub_plans_counted(**defs._sub_plans(indicator, period)).select_related("organisation")
        return [RecordRow(r.approved_on, r.title, r.get_kind_display(), org(r)) for r in plans.order_by("title")]
    return None


@dataclass(frozen=True)
class IndicatorYear:
    """One indicator of a plan in one year: the approved total (computed values count as approved), the
    number of values still waiting for approval, the baseline and the target of that year."""

    indicator: Indicator
    value: Any
    pending: int
    target: Any


def plan_of_municipality(*, municipality: Any) -> Plan | None:
    """The municipality's current plan (the latest by start year), or None."""
    return Plan.objects.for_tenant(municipality).order_by("-start_year", "code").first()


def plan_indicator_year(*, plan: Plan, year: int) -> list[IndicatorYear]:
    """Every indicator of the plan with its approved total for the reporting periods ending in ``year``."""
    from django.db.models import Avg, Count, Max, Sum

    from .models import IndicatorKind, IndicatorTarget, SubmissionStatus

    m = plan.municipality_id
    periods = ReportingPeriod.objects.for_tenant(m).filter(plan=plan, end_date__year=year)
    values = IndicatorValue.objects.for_tenant(m).filter(period__in=periods, combo=TOTAL, value__isnull=False)
    approved_q = Q(submission__isnull=True) | Q(
        submission__status__in=[SubmissionStatus.APPROVED, SubmissionStatus.LOCKED]
    )
    # Several bodies report one indicator: counts add up, a percentage is their mean, a milestone is met
    # when one body met it.
    per_indicator = (
        values.filter(approved_q)
        .values("indicator_id", "indicator__kind")
        .annotate(s=Sum("value"), a=Avg("value"), m=Max("value"))
    )
    approved = {
        row["indicator_id"]: row["a"]
        if row["indicator__kind"] == IndicatorKind.PERCENTAGE
        else row["m"]
        if row["indicator__kind"] == IndicatorKind.MILESTONE
        else row["s"]
        for row in per_indicator
    }
    pending = dict(
        values.exclude(approved_q).values("indicator_id").annotate(n=Count("id")).values_list("indicator_id", "n")
    )
    targets = {t.indicator_id: t for t in IndicatorTarget.objects.for_tenant(m).filter(indicator__plan=plan, year=year)}
    indicators = Indicator.objects.for_tenant(m).filter(plan=plan).select_related("action").order_by("order")
    return [IndicatorYear(ind, approved.get(ind.pk), pending.get(ind.pk, 0), targets.get(ind.pk)) for ind in indicators]
