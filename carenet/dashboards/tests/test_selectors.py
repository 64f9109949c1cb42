"""The dashboard's computation: the same figures whatever the path, and its PostgreSQL tuning stays local."""

import pytest
from django.db import connection

from carenet.cases.models import ServiceDelivery
from carenet.dashboards import selectors as dashboard_selectors
from carenet.dashboards.kpis import evaluate, get_kpi
from carenet.dashboards.selectors import _planner_settings, _raw


def _deliveries_of_2025(baia_mare):
    return list(ServiceDelivery.objects.for_tenant(baia_mare).filter(delivered_on__year=2025))


def test_the_delivery_count_and_the_trend_come_from_one_scan_with_the_same_figures(
    filters, baia_mare, django_assert_num_queries
):
    filters = filters()
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 3):  # + set_config on PostgreSQL
        raw = _raw(filters, True)
    rows = _deliveries_of_2025(baia_mare)
    assert raw["deliveries"] == len(rows) == 7
    assert raw["groups"].total.persons == len({d.person_id for d in rows}) == 4
    months = {}
    for d in rows:
        months.setdefault(d.delivered_on.replace(day=1), set()).add(d.person_id)
    assert raw["trend"] == sorted((month, len(people)) for month, people in months.items())
    providers = {}
    for d in rows:
        providers.setdefault(d.organisation_id, set()).add(d.person_id)
    assert sorted(raw["per_org"]) == sorted((org, len(people)) for org, people in providers.items())


def test_the_dashboard_kpi_1_and_the_plans_indicator_are_one_figure(filters, request, baia_mare):
    """Persons served is computed once (cases.selectors.delivery_cells): every place shows the same number."""
    from carenet.dashboards.kpis import BAIA_MARE_STRATEGY
    from carenet.plans.computations import compute
    from carenet.plans.models import Plan, ReportingPeriod

    # The network's bare strategy gives way to the imported plan, with its periods and indicators.
    Plan.objects.for_tenant(baia_mare).filter(code=BAIA_MARE_STRATEGY).delete()
    bm_plan = request.getfixturevalue("bm_plan")

    f = filters()
    board = dashboard_selectors.build_dashboard(f, by_provider=True)
    period = ReportingPeriod.objects.for_tenant(baia_mare).get(plan=bm_plan, code="2025")
    kpi1 = bm_plan.indicators.select_related("disaggregation").get(code="KPI1")
    assert board.persons == evaluate(get_kpi("bm01"), f).value == compute(kpi1, period)[""] == 4
    for key in ("sex", "age", "disability", "area"):  # each person in exactly one row of each chart
        assert sum(r.value for r in board.chart(key).rows) == 4, key


def test_a_malformed_work_mem_setting_is_ignored_not_sent(filters, settings, django_assert_num_queries):
    settings.CARENET_DASHBOARD_WORK_MEM = "64MB'; DROP TABLE x; --"
    with django_assert_num_queries(0), _planner_settings():
        pass
    assert _raw(filters(), True)["deliveries"] == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner settings")
@pytest.mark.django_db(transaction=True)
def test_the_postgresql_tuning_ends_with_the_dashboard_transaction():
    def show(name):
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]

    before = show("work_mem")
    with _planner_settings():
        assert show("work_mem") == dashboard_selectors.WORK_MEM_DEFAULT
        assert show("jit") == "off"
    assert show("work_mem") == before
