"""The demo's synthetic year: flagged synthetic, idempotent, and every computed indicator of both plans has
a value for 2025 from it."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, models

from carenet.activities import demo
from carenet.activities.models import Activity, ParticipantCount, StaffMember
from carenet.plans import demo as plans_demo
from carenet.plans.computations import compute_all
from carenet.plans.models import ReportingPeriod


def test_demo_year(plans_loaded: dict[str, Any], balti: Any, baia_mare: Any) -> None:
    demo.load()
    demo.load()  # idempotent
    plans_demo.load_sources()
    for municipality in (balti, baia_mare):
        activities = Activity.objects.for_tenant(municipality)
        assert activities.count() > 50
        assert not activities.filter(is_synthetic=False).exists()
        assert {a.starts_on.year for a in activities} == {2025}
        assert ParticipantCount.objects.for_tenant(municipality).exists()
        assert not StaffMember.objects.for_tenant(municipality).filter(is_synthetic=False).exists()
    plan = plans_loaded["balti"]
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=plan, code="2025")
    computed = list(
        plan.indicators.filter(source="computed", computation__startswith="activities.").select_related(
            "disaggregation"
        )
    )
    values = compute_all(computed, period)
    empty = sorted(i.code for i in computed if not values[i.pk][""])
    assert len(computed) == 100 and empty == []
    bm = plans_loaded["baia-mare"]
    bm_period = ReportingPeriod.objects.for_tenant(baia_mare).get(plan=bm, code="2025")
    kpis = list(bm.indicators.filter(code__in=["KPI5", "KPI7", "KPI11", "KPI12"]))
    bm_values = compute_all(kpis, bm_period)
    assert all(bm_values[k.pk][""] > 0 for k in kpis), {k.code: bm_values[k.pk] for k in kpis}


def _sql(query: str, *params: Any) -> Any:
    prepared = [models.UUIDField().get_db_prep_value(p, connection) if isinstance(p, uuid.UUID) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(query, prepared)
        return cursor.fetchone()[0] or 0


def test_balti_annual_report_2025_shows_every_computed_indicator(plans_loaded: dict[str, Any], balti: Any) -> None:
    """The demo's year fills every register the mapping reads: the 2025 report shows a value for each of the
    computed indicators, and several equal a count written here in SQL, independently of the selectors."""
    from carenet.reports.annual_report import build_report

    demo.load()
    plans_demo.load_sources()
    plan = plans_loaded["balti"]
    report = build_report(plan=plan, period_code="2025")
    rows = [row for section in report.sections for row in _rows(section)]
    computed = [r for r in rows if r.indicator.source == "computed"]
    assert len(computed) >= 110
    assert [r.indicator.code for r in computed if r.values["2025"] == "—"] == []
    shown = {r.indicator.code: r.values["2025"] for r in computed}
    # Every disaggregated figure's breakdown adds up to its total.
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=plan, code="2025")
    cells_of = [
        r.indicator
        for r in computed
        if r.indicator.computation == "activities.participants" and r.indicator.disaggregation_id
    ]
    for ind_id, values in compute_all(cells_of, period).items():
        cells = [v for k, v in values.items() if k]
        assert cells and sum(cells) == values[""], ind_id
    m = balti.pk
    y0, y1 = "2025-01-01", "2025-12-31"

    def action_join(table: str, alias: str) -> str:
        return (
            f"FROM {table} {alias} JOIN plans_action p ON p.id = {alias}.plan_action_id "
            f"AND p.municipality_id = {alias}.municipality_id WHERE {alias}.municipality_id = %s AND p.code = %s"
        )

    panels = _sql(
        "SELECT COUNT(*) " + action_join("activities_mediaitem", "x") + " AND x.kind = 'panel' "
        "AND x.published_on BETWEEN %s AND %s",
        m,
        "1.4.2",
        y0,
        y1,
    )
    assert panels > 0 and shown["1.4.2.3"] == str(panels)
    assert shown["1.4.2.1"] == "yes"
    library_plans = _sql(
        "SELECT COUNT(*) " + action_join("activities_subplan", "x") + " AND x.kind = 'library' AND x.year = 2025",
        m,
        "1.1.2",
    )
    assert library_plans > 0 and shown["1.1.2.1"] == str(library_plans)
    subplan_indicators = (
        "SELECT COUNT(*) FROM activities_subplanindicator i JOIN activities_subplan x ON x.id = i.sub_plan_id "
        "AND x.municipality_id = i.municipality_id JOIN plans_action p ON p.id = x.plan_action_id "
        "AND p.municipality_id = x.municipality_id WHERE i.municipality_id = %s AND p.code = '1.1.1' "
        "AND x.year = 2025 AND i.achieved IS NOT NULL AND (%s OR i.achieved = %s)"
    )
    assessed = _sql(subplan_indicators, m, True, True)
    achieved = _sql(subplan_indicators, m, False, True)
    assert assessed > 0 and shown["1.1.1.2"] == f"{round(100 * achieved / assessed, 2):g} %"
    implemented = _sql(
        "SELECT COUNT(*) " + action_join("activities_recommendation", "x") + " AND x.status = 'implemented' "
        "AND x.implemented_on BETWEEN %s AND %s",
        m,
        "6.1.9",
        y0,
        y1,
    )
    assert implemented > 0 and shown["6.1.9.2"] == str(implemented)
    web_entities = _sql(
        "SELECT COUNT(DISTINCT organisation_id) FROM activities_accessibilityevaluation WHERE municipality_id = %s "
        "AND target = 'web' AND adapted_on BETWEEN %s AND %s",
        m,
        y0,
        y1,
    )
    assert web_entities > 0 and shown["6.1.5.1"] == str(web_entities)
    participants = _sql(
        "SELECT SUM(c.number) FROM activities_participantcount c JOIN activities_activity a ON a.id = c.activity_id "
        "AND a.municipality_id = c.municipality_id JOIN plans_action p ON p.id = a.plan_action_id "
        "AND p.municipality_id = a.municipality_id WHERE a.municipality_id = %s AND p.code = '1.5.5' "
        "AND a.status = 'held' AND a.starts_on BETWEEN %s AND %s",
        m,
        y0,
        y1,
    )
    assert participants > 0 and shown["1.5.5.3"] == str(participants)
    outlets = _sql(
        "SELECT COUNT(DISTINCT x.outlet) " + action_join("activities_mediaitem", "x") + " AND x.outlet <> '' "
        "AND x.published_on BETWEEN %s AND %s",
        m,
        "1.4.1",
        y0,
        y1,
    )
    assert outlets > 0 and len(shown["1.4.1.5"].split("; ")) == outlets


def _rows(node: Any) -> list[Any]:
    if hasattr(node, "indicator") and hasattr(node, "values"):
        return [node]
    found: list[Any] = []
    for name in ("actions", "rows", "indicators", "objectives", "specific", "sections"):
        for child in getattr(node, name, None) or []:
            found.extend(_rows(child))
    return found
