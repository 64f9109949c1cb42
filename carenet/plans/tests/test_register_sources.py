"""Indicators computed from the activities registers (issue 17): the shipped mapping of both plans, each
value equal to a count written independently in SQL, breakdowns adding up to their totals."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models

from carenet.activities import services as registers
from carenet.activities.services import ActivityInput
from carenet.plans.computations import REGISTRY, compute_all
from carenet.plans.models import IndicatorKind, IndicatorSource, ReportingPeriod
from carenet.plans.services import SOURCES_FILE, indicator_sources_apply, shipped_sources

BALTI_BANDS = [
    ("0-6", 0, 6),
    ("7-15", 7, 15),
    ("16-18", 16, 18),
    ("19-25", 19, 25),
    ("25-35", 25, 35),
    ("36-63", 36, 63),
    ("64+", 64, None),
]


def _db(value: Any) -> Any:
    return models.UUIDField().get_db_prep_value(value, connection)


@pytest.fixture
def balti_year(balti_plan: Any, balti_coordinator: Any, balti: Any) -> dict[str, Any]:
    """Bălți's 2025 in the registers: two information actions of 1.5.5 (one in 2026, not counted), a training
    of 1.2.1 with a partner, participants counted by sex × age band × disability."""
    from carenet.core.models import Organisation

    kinds = {
        code: registers.activity_kind_save(municipality=balti, code=code, name=code, category=category)
        for code, category in (("seminar", "training"), ("informare", "information"), ("campanie", "campaign"))
    }
    for order, (code, low, high) in enumerate(BALTI_BANDS):
        registers.age_band_save(municipality=balti, code=code, low=low, high=high, order=order)
    organiser = Organisation.objects.for_tenant(balti).get(code="primaria")
    partner = Organisation.objects.for_tenant(balti).exclude(pk=organiser.pk).filter(is_generic=False).first()
    actions = {a.code: a for a in balti_plan.actions.all()}

    def activity(
        kind: str, action: str, day: datetime.date, locality: str, modules: int = 0, partners: tuple = ()
    ) -> Any:
        return registers.activity_create(
            actor=balti_coordinator,
            municipality=balti,
            data=ActivityInput(
                kind=kinds[kind],
                title=f"{kind} {action} {day}",
                starts_on=day,
                organiser=organiser,
                plan_action=actions[action],
                locality=locality,
                modules=modules,
                partners=partners,
            ),
        )

    def count(a: Any, sex: str, band: str, disability: str, n: int) -> None:
        registers.participants_record(
            actor=balti_coordinator,
            activity=a,
            key=uuid.uuid4(),
            sex=sex,
            age_band=band,
            disability=disability,
            number=n,
        )

    one = activity("informare", "1.5.5", datetime.date(2025, 3, 1), "Bălți")
    two = activity("informare", "1.5.5", datetime.date(2025, 10, 1), "Elizaveta")
    later = activity("informare", "1.5.5", datetime.date(2026, 2, 1), "Bălți")
    training = activity("seminar", "1.2.1", datetime.date(2025, 5, 5), "Bălți", modules=3, partners=(partner,))
    for a, sex, band, dis, n in (
        (one, "F", "64+", "yes", 7),
        (one, "M", "64+", "no", 5),
        (one, "F", "36-63", "refused", 3),
        (two, "F", "64+", "no", 9),
        (two, "M", "", "not_asked", 2),
        (later, "F", "64+", "yes", 50),
        (training, "F", "25-35", "no", 11),
        (training, "M", "36-63", "no", 4),
    ):
        count(a, sex, band, dis, n)
    return {"period": ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")}


def _sql(query: str, *params: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, [_db(p) if isinstance(p, uuid.UUID) else p for p in params])
        return int(cursor.fetchone()[0] or 0)


def test_shipped_mapping_counts(balti_plan: Any, bm_plan: Any) -> None:
    """How many indicators the registers compute (docs/plans.md quotes these figures)."""
    balti_n = indicator_sources_apply(plan=balti_plan)
    bm_n = indicator_sources_apply(plan=bm_plan)
    balti_computed = balti_plan.indicators.filter(source=IndicatorSource.COMPUTED)
    bm_computed = bm_plan.indicators.filter(source=IndicatorSource.COMPUTED)
    assert (balti_n, balti_computed.count(), balti_plan.indicators.count()) == (115, 115, 160)
    assert balti_computed.count() >= 110  # issue 17: at least 110 of Bălți's 160
    assert (bm_n, bm_computed.count(), bm_plan.indicators.count()) == (7, 8, 20)
    assert set(bm_computed.values_list("code", flat=True)) == {
        "KPI1",
        "KPI5",
        "KPI7",
        "KPI8",
        "KPI10",
        "KPI11",
        "KPI12",
        "KPI17",
    }
    # Every definition computes only the kinds of indicator it declares (a share is never a count).
    for indicator in [*balti_computed, *bm_computed]:
        assert indicator.kind in REGISTRY[indicator.computation].kinds, indicator.code


def test_every_other_indicator_declares_its_entered_source(balti_plan: Any) -> None:
    """None is left undeclared: each indicator not computed names why it is entered, and the body reporting it
    is the responsible body of its action (the submission form asks it)."""
    data = json.loads(SOURCES_FILE.read_text(encoding="utf-8"))
    entered = data["_entered"][balti_plan.code]
    reasons = data["_entered_reasons"]
    indicator_sources_apply(plan=balti_plan)
    others = balti_plan.indicators.exclude(source=IndicatorSource.COMPUTED).select_related("action")
    assert sorted(i.code for i in others) == sorted(entered)
    assert set(entered.values()) <= set(reasons)
    for indicator in others:
        assert indicator.action is not None and indicator.action.responsible.exists(), indicator.code
    assert not set(entered) & set(shipped_sources(balti_plan.code))


def test_no_proxy_among_the_computed(balti_plan: Any) -> None:
    """A computed indicator counts what its own words say: a list is a list of the register's text, a share a
    share, a milestone yes/no; the kinds of the register match the indicator's kind."""
    mapping = shipped_sources(balti_plan.code)
    kinds = dict(balti_plan.indicators.values_list("code", "kind"))
    for code, (name, _filters) in mapping.items():
        assert kinds[code] in REGISTRY[name].kinds, code


def test_mapping_refused_whole(balti_plan: Any) -> None:
    mapping = dict(shipped_sources(balti_plan.code))
    mapping["9.9.9.9"] = ("activities.count", {})
    mapping["1.1.1.2"] = ("activities.count", {})  # a percentage
    with pytest.raises(ValidationError) as exc:
        indicator_sources_apply(plan=balti_plan, mapping=mapping)
    assert len(exc.value.messages) == 2
    assert not balti_plan.indicators.filter(source=IndicatorSource.COMPUTED).exists()


def test_values_match_independent_sql(balti_plan: Any, balti_year: dict[str, Any], balti: Any) -> None:
    indicator_sources_apply(plan=balti_plan)
    period = balti_year["period"]
    computed = list(balti_plan.indicators.filter(source=IndicatorSource.COMPUTED).select_related("disaggregation"))
    values = compute_all(computed, period)
    by_code = {i.code: values[i.pk] for i in computed}
    start, end = period.start_date, period.end_date

    def activities_sql(action: str, category: str = "") -> int:
        return _sql(
            "SELECT COUNT(*) FROM activities_activity a JOIN plans_action p ON p.id = a.plan_action_id "
            "AND p.municipality_id = a.municipality_id JOIN activities_activitykind k ON k.id = a.kind_id "
            "AND k.municipality_id = a.municipality_id WHERE a.municipality_id = %s AND p.code = %s "
            "AND a.status = 'held' AND a.starts_on BETWEEN %s AND %s AND (%s = '' OR k.category = %s)",
            balti.pk,
            action,
            start,
            end,
            category,
            category,
        )

    def participants_sql(action: str) -> int:
        return _sql(
            "SELECT SUM(c.number) FROM activities_participantcount c JOIN activities_activity a ON a.id = c.activity_id "
            "AND a.municipality_id = c.municipality_id JOIN plans_action p ON p.id = a.plan_action_id "
            "AND p.municipality_id = a.municipality_id WHERE a.municipality_id = %s AND p.code = %s "
            "AND a.status = 'held' AND a.starts_on BETWEEN %s AND %s",
            balti.pk,
            action,
            start,
            end,
        )

    assert by_code["1.5.5.1"][""] == activities_sql("1.5.5") == 2
    assert by_code["1.5.5.3"][""] == participants_sql("1.5.5") == 26
    assert by_code["1.2.1.1"][""] == participants_sql("1.2.1") == 15
    assert by_code["1.2.1.2"][""] == D(3)
    assert by_code["1.2.1.3"][""] == D(1)
    assert by_code["1.5.5.2"][""] == D(2)  # Bălți and Elizaveta
    assert by_code["1.2.3.1"][""] == activities_sql("1.2.3", "training") == 0
    # Every computed count has a value for 2025 (zero where nothing was recorded); a share with nothing to
    # divide by has none (never a made-up 0 %).
    shares = {i.pk for i in computed if i.kind == IndicatorKind.PERCENTAGE}
    assert all("" in v for k, v in values.items() if k not in shares) and len(values) == 115


def test_breakdown_adds_up(balti_plan: Any, balti_year: dict[str, Any]) -> None:
    indicator_sources_apply(plan=balti_plan)
    indicator = balti_plan.indicators.select_related("disaggregation").get(code="1.5.5.3")
    assert indicator.disaggregation.dimension_codes() == ["sex", "age", "disability"]
    values = compute_all([indicator], balti_year["period"])[indicator.pk]
    cells = {k: v for k, v in values.items() if k}
    assert sum(cells.values()) == values[""] == D(26)
    assert cells["sex=f|age=64+|disability=yes"] == D(7)
    assert cells["sex=f|age=64+|disability=no"] == D(9)
    assert cells["sex=f|age=36-63|disability=unknown"] == D(3)
    assert cells["sex=m|age=unknown|disability=unknown"] == D(2)
    sex_age = balti_plan.indicators.select_related("disaggregation").get(code="1.2.1.1")
    assert compute_all([sex_age], balti_year["period"])[sex_age.pk] == {
        "": D(15),
        "sex=f|age=25-35": D(11),
        "sex=m|age=36-63": D(4),
    }


def test_a_locked_periods_small_cells_are_suppressed_on_public_pages(
    balti_plan: Any, balti_year: dict[str, Any]
) -> None:
    """Locking stores the computed values; the public open data shows every count under 5 as "<5", totals and
    cells alike, and the stored breakdown still adds up to its total."""
    from carenet.plans.services import computed_values_refresh
    from carenet.reports import open_data

    indicator_sources_apply(plan=balti_plan)
    computed_values_refresh(period=balti_year["period"])
    rows = [r for r in open_data.indicator_rows(balti_plan) if r["indicator"] == "1.5.5.3" and r["period"] == "2025"]
    shown = {r["breakdown"]: r["value"] for r in rows}
    assert shown["total"] == D(26)
    assert shown["sex=m|age=unknown|disability=unknown"] == open_data.SUPPRESSED  # 2 persons
    assert shown["sex=f|age=36-63|disability=unknown"] == open_data.SUPPRESSED  # 3 persons
    assert shown["sex=f|age=64+|disability=yes"] == D(7)
    exact = [v for k, v in shown.items() if k != "total" and v != open_data.SUPPRESSED]
    assert sum(exact) + 2 + 3 == shown["total"]  # the two suppressed cells hold 2 and 3 persons
