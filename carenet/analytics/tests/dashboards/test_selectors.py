"""The dashboard's computation: the same figures whatever the path, and its PostgreSQL tuning stays local."""

import pytest
from django.db import connection

from carenet.analytics import dashboard_selectors
from carenet.analytics.dashboard_selectors import _planner_settings, _raw
from carenet.analytics.kpis.filters import deliveries, persons_served


def test_the_delivery_count_and_the_trend_come_from_one_scan_with_the_same_figures(filters, django_assert_num_queries):
    filters = filters()
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 3):  # + set_config on PostgreSQL
        raw = _raw(filters, True)
    assert raw["deliveries"] == deliveries(filters).count() == 7
    assert sum(g["n"] for g in raw["groups"]) == persons_served(filters).count() == 4
    months = {}
    for d in deliveries(filters):
        months.setdefault(d.delivered_on.replace(day=1), set()).add(d.person_id)
    assert raw["trend"] == sorted((month, len(people)) for month, people in months.items())


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
