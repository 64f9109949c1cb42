"""The annual implementation report (and the final evaluation) of an action plan.

``build_report`` aggregates everything in a handful of queries into plain data; the renderers
(DOCX, PDF, XLSX) only lay it out, in the language active when they run.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from carenet.plans.computations import compute_all, compute_texts
from carenet.plans.models import (
    TOTAL,
    Action,
    ActionProgress,
    ActionStatus,
    CostExecution,
    CostLine,
    GeneralObjective,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    IndicatorValue,
    PeriodStatus,
    Plan,
    ReportingPeriod,
    SubmissionStatus,
    parse_combo,
)

NO_REPORT = "no_report"  # an action no body's approved progress covers in the report's periods


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: dict[str, Any]  # period code → display value
    target: str
    breakdown: list[tuple[str, Decimal]] = field(default_factory=list)  # (cell label, value) for the last period
    table: dict[str, Any] | None = None  # the same cells as a grid: {"columns": [...], "rows": [(label, [...])]}


@dataclass
class ActionRow:
    action: Action
    responsible: str
    indicators: list[IndicatorRow]
    budget: list[tuple[str, str, Decimal | None, Decimal | None]]  # (source, as written, planned, executed)
    reported: bool = True  # a body's progress on it was approved in one of the report's periods

    @property
    def status_label(self) -> str:
        """The action's status, or that nobody reported on it: never "not started" for want of a report."""
        return str(self.action.get_status_display()) if self.reported else _("No report received")


@dataclass
class ObjectiveSection:
    objective: GeneralObjective
    specific: list[str]
    actions: list[ActionRow]
    kpis: list[IndicatorRow]

    @property
    def done(self) -> int:
        return sum(1 for a in self.actions if a.action.status == ActionStatus.DONE)


@dataclass
class Report:
    plan: Plan
    periods: list[ReportingPeriod]
    final: bool
    sections: list[ObjectiveSection]
    kpis: list[IndicatorRow]
    status_counts: dict[str, int]
    indicators_total: int
    indicators_reported: int
    budget_by_source: list[tuple[str, Decimal | None, Decimal | None]]  # None: nothing quantified / reported

    @property
    def title(self) -> str:
        if self.final:
            return _("Final evaluation of the plan")
        return _("Annual implementation report %(period)s") % {"period": self.periods[-1].code}


def _fmt(value: Decimal | None) -> str:
    """A figure as the reader writes numbers: 150.000,5 in Romanian, 150 000,5 in Russian, 150,000.5 in English."""
    if value is None:
        return "—"
    normalized = value.quantize(Decimal("0.01")).normalize()
    if normalized == normalized.to_integral():
        normalized = normalized.quantize(Decimal(1))  # 1.5E+5 → 150000
    return number_format(normalized, use_l10n=True, force_grouping=True)


def _display(indicator: Indicator, agg: dict[str, Any] | None, texts: list[str]) -> str:
    if agg is None and not texts:
        return "—"
    kind = indicator.kind
    if kind == IndicatorKind.LIST:
        return "; ".join(t for t in texts if t) or "—"
    if agg is None:
        return "; ".join(texts)
    if kind == IndicatorKind.MILESTONE:
        return _("yes") if agg["max"] == 1 else _("no")
    if kind == IndicatorKind.PERCENTAGE and agg["den"]:
        return f"{_fmt(agg['num'] / agg['den'] * 100)} %"
    if kind == IndicatorKind.PER_BENEFICIARY and agg["den"]:
        return _fmt(agg["num"] / agg["den"])
    return _fmt(agg["sum"])


def _combo_label(indicator: Indicator, combo: str) -> str:
    dset = indicator.disaggregation
    return dset.combo_label(combo) if dset is not None else combo


def _breakdown_table(indicator: Indicator, cells: list[tuple[str, Decimal]]) -> dict[str, Any] | None:
    dset = indicator.disaggregation
    if dset is None or not cells:
        return None
    values = dict(cells)
    row_dim, columns, grid_rows = dset.grid()
    rows = []
    for combos in grid_rows:
        shown = [values.get(c) for c in combos]
        if any(v is not None for v in shown):
            label = dset.option_label(row_dim or "", parse_combo(combos[0]).get(row_dim or "", ""))
            rows.append((label, [_fmt(v) for v in shown]))
    if not rows:
        return None
    return {"columns": [dset.combo_label(c) or _("Value") for c in columns], "rows": rows}


def _computed_now(
    indicators: list[Indicator],
    periods: list[ReportingPeriod],
    totals: dict[tuple[UUID, str], dict[str, Any]],
    cells: dict[UUID, list[tuple[str, Decimal]]],
    texts: dict[tuple[UUID, str], list[str]] | None = None,
) -> None:
    """Computed indicators of OPEN periods, computed now from CareNet's data (cases, deliveries, referrals).

    A locked period keeps the values stored when it was locked (``computed_values_refresh``), so a
    published report does not change afterwards; an open period shows today's figures.
    """
    computed = [i for i in indicators if i.source == IndicatorSource.COMPUTED]
    if not computed:
        return
    last = periods[-1]
    for period in periods:
        if period.status == PeriodStatus.LOCKED:
            continue
        percentages = {i.pk for i in computed if i.kind == IndicatorKind.PERCENTAGE}
        for ind_id, text in compute_texts(computed, period).items():  # lists computed from the registers
            if texts is not None:
                texts[(ind_id, period.code)] = [text]
        for ind_id, values in compute_all(computed, period).items():
            if ind_id in percentages and TOTAL not in values:
                continue  # a share with nothing to divide by has no value (never a made-up 0 %)
            total = values.get(TOTAL, Decimal(0))
            den = Decimal(100) if ind_id in percentages else None  # a computed share is returned as 0-100
            totals[(ind_id, period.code)] = {
                "sum": total,
                "num": total if den else None,
                "den": den,
                "max": total,
                "n": 1,
            }
            if period.pk == last.pk:
                cells[ind_id] = sorted((combo, v) for combo, v in values.items() if combo != TOTAL)


def build_report(*, plan: Plan, period_code: str | None = None, final: bool = False) -> Report:
    m = plan.municipality_id
    all_periods = list(ReportingPeriod.objects.for_tenant(m).filter(plan=plan).order_by("start_date"))
    periods = all_periods if final else ([p for p in all_periods if p.code == period_code] or all_periods[:1])
    period_ids = [p.pk for p in periods]
    code_of = {p.pk: p.code for p in periods}
    last = periods[-1].pk

    # A period belongs to one plan, so the period filter alone selects the plan's values (no join).
    values = IndicatorValue.objects.for_tenant(m).filter(period_id__in=period_ids)
    totals: dict[tuple[UUID, str], dict[str, Any]] = {}
    for row in (
        values.filter(combo=TOTAL)
        .values("indicator_id", "period_id")
        .annotate(sum=Sum("value"), num=Sum("numerator"), den=Sum("denominator"), max=Max("value"), n=Count("id"))
    ):
        totals[(row["indicator_id"], code_of[row["period_id"]])] = row
    texts: dict[tuple[UUID, str], list[str]] = defaultdict(list)
    for ind_id, period_id, text in values.filter(combo=TOTAL, text__gt="").values_list(
        "indicator_id", "period_id", "text"
    ):
        texts[(ind_id, code_of[period_id])].append(text)
    cells: dict[UUID, list[tuple[str, Decimal]]] = defaultdict(list)
    for row in (
        values.filter(period_id=last)
        .exclude(combo=TOTAL)
        .values("indicator_id", "combo")
        .annotate(v=Sum("value"))
        .order_by()
    ):
        cells[row["indicator_id"]].append((row["combo"], row["v"]))
    for listed in cells.values():
        listed.sort()

    executed: dict[UUID, Decimal] = defaultdict(Decimal)
    for line_id, amount in (
        CostExecution.objects.for_tenant(m)
        .filter(period_id__in=period_ids, cost_line__action__plan=plan)
        .values("cost_line_id")
        .annotate(s=Sum("executed_amount"))
        .values_list("cost_line_id", "s")
    ):
        executed[line_id] = amount or Decimal(0)

    indicators = list(
        Indicator.objects.for_tenant(m)
        .filter(plan=plan)
        .select_related("disaggregation")
        .prefetch_related("targets")
        .order_by("order")
    )
    _computed_now(indicators, periods, totals, cells, texts)
    by_action: dict[UUID | None, list[IndicatorRow]] = defaultdict(list)
    reported = 0
    for ind in indicators:
        shown = {p.code: _display(ind, totals.get((ind.pk, p.code)), texts.get((ind.pk, p.code), [])) for p in periods}
        if any(v != "—" for v in shown.values()):
            reported += 1
        targets = [t for t in ind.targets.all() if t.year in {p.year for p in periods}]
        target = "; ".join(
            f"{t.year}: {t.operator} {_fmt(t.value)}" if t.value is not None else t.text for t in targets
        )
        breakdown = [(_combo_label(ind, c), v) for c, v in cells.get(ind.pk, [])]
        table = _breakdown_table(ind, cells.get(ind.pk, []))
        by_action[ind.action_id].append(IndicatorRow(ind, shown, target, breakdown, table))

    cost_lines = list(
        CostLine.objects.for_tenant(m)
        .filter(action__plan=plan)
        .select_related("funding_source")
        .order_by("funding_source__order")
    )
    lines_by_action: dict[UUID, list[CostLine]] = defaultdict(list)
    for line in cost_lines:
        lines_by_action[line.action_id].append(line)
    by_source: dict[str, list[Decimal | None]] = {}
    for line in cost_lines:
        agg = by_source.setdefault(line.funding_source.label, [None, None])
        if line.planned_amount is not None:
            agg[0] = (agg[0] or Decimal(0)) + line.planned_amount
        if line.pk in executed:
            agg[1] = (agg[1] or Decimal(0)) + executed[line.pk]

    actions = list(Action.objects.for_tenant(m).filter(plan=plan).prefetch_related("responsible").order_by("order"))
    reported_ids = set(
        ActionProgress.objects.for_tenant(m)
        .filter(
            action__plan=plan,
            submission__period__in=periods,
            submission__status__in=(SubmissionStatus.APPROVED, SubmissionStatus.LOCKED),
        )
        .values_list("action_id", flat=True)
    )
    actions_by_objective: dict[UUID, list[ActionRow]] = defaultdict(list)
    for action in actions:
        actions_by_objective[action.general_objective_id].append(
            ActionRow(
                action=action,
                responsible=", ".join(str(o) for o in action.responsible.all()) or action.responsible_text,
                indicators=by_action.get(action.pk, []),
                reported=action.pk in reported_ids,
                budget=[
                    (line.funding_source.label, line.as_written, line.planned_amount, executed.get(line.pk))
                    for line in lines_by_action.get(action.pk, [])
                ],
            )
        )
    sections = []
    for objective in (
        GeneralObjective.objects.for_tenant(m)
        .filter(plan=plan)
        .prefetch_related("specific_objectives")
        .order_by("order")
    ):
        sections.append(
            ObjectiveSection(
                objective=objective,
                specific=[f"{s.code}. {s.target_text}" for s in objective.specific_objectives.all()],
                actions=actions_by_objective.get(objective.pk, []),
                kpis=[r for r in by_action.get(None, []) if r.indicator.general_objective_id == objective.pk],
            )
        )
    status_counts = Counter(a.status if a.pk in reported_ids else NO_REPORT for a in actions)
    return Report(
        plan=plan,
        periods=periods,
        final=final,
        sections=sections,
        kpis=[r for r in by_action.get(None, []) if r.indicator.general_objective_id is None],
        status_counts={
            **{str(label): status_counts.get(value, 0) for value, label in ActionStatus.choices},
            _("No report received"): status_counts.get(NO_REPORT, 0),
        },
        indicators_total=len(indicators),
        indicators_reported=reported,
        budget_by_source=[(name, v[0], v[1]) for name, v in by_source.items()],
    )


# --- charts ----------------------------------------------------------------------------------------


def chart_png(labels: list[str], values: list[float], title: str) -> bytes:
    """A horizontal bar chart as PNG (matplotlib, headless)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 0.45 * max(len(labels), 3) + 0.8), dpi=110)
    ax.barh(labels[::-1], values[::-1], color="#1d5c8f")
    ax.set_xlim(0, max([*values, 1.0]) * 1.1)
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def status_chart(report: Report) -> bytes:
    return chart_png(
        list(report.status_counts), [float(v) for v in report.status_counts.values()], _("Actions by status")
    )


def objective_chart(report: Report) -> bytes:
    labels = [s.objective.code for s in report.sections]
    values = [
        100.0
        * sum(1 for a in s.actions for i in a.indicators if any(v != "—" for v in i.values.values()))
        / max(1, sum(len(a.indicators) for a in s.actions) + len(s.kpis))
        for s in report.sections
    ]
    return chart_png(labels, values, _("Indicators reported per objective (%)"))
