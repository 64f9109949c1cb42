"""The plans' indicators over the housing register and the residences (issue 19): KPI 10 reads the same figure in
the plan and on the dashboards' KPI page; Bălți's "social dwellings created" counts the dwellings handed over new;
persons sheltered and nights agree with an independent SQL count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection

from carenet.dashboards.kpis.filters import KpiFilters
from carenet.dashboards.kpis.housing import housing_new_or_modernised
from carenet.housing.models import Bed, Building, Dwelling, Residence, ResidenceKind, Stay
from carenet.plans.computations import compute_all
from carenet.plans.models import ReportingPeriod
from carenet.plans.services import indicator_sources_apply
from carenet.testing.factories import make_person, org

pytestmark = pytest.mark.django_db

Y = 2025


def _dwelling(municipality: Any, number: str, *, new_on: Any = None, modernised_on: Any = None) -> Dwelling:
    building, _ = Building.objects.for_tenant(municipality).get_or_create(
        municipality=municipality, name="Bloc sintetic"
    )
    return Dwelling.objects.for_tenant(municipality).create(
        municipality=municipality,
        building=building,
        number=number,
        rooms=2,
        area=D("40"),
        new_on=new_on,
        modernised_on=modernised_on,
    )


def _period(plan: Any) -> ReportingPeriod:
    return ReportingPeriod.objects.for_tenant(plan.municipality_id).get(plan=plan, code=str(Y))


def _value(plan: Any, code: str) -> dict[str, D]:
    indicator_sources_apply(plan=plan)
    indicator = plan.indicators.get(code=code)
    return compute_all([indicator], _period(plan))[indicator.pk]


def test_kpi_10_reads_one_figure_in_the_plan_and_on_the_dashboards(bm_plan: Any, baia_mare: Any) -> None:
    _dwelling(baia_mare, "1")  # old stock, untouched
    _dwelling(baia_mare, "2", modernised_on=dt.date(Y, 1, 1))  # the period's first day counts
    _dwelling(baia_mare, "3", new_on=dt.date(Y, 12, 31))  # and its last
    _dwelling(baia_mare, "4", modernised_on=dt.date(Y - 1, 12, 31))  # the year before does not
    period = _period(bm_plan)
    dashboard = housing_new_or_modernised(
        KpiFilters(municipality=baia_mare, start=period.start_date, end=period.end_date)
    )
    assert _value(bm_plan, "KPI10") == {"": D("50.00")} and dashboard.value == D("50.00")


def test_kpi_10_is_not_a_zero_when_the_register_holds_no_dwelling(bm_plan: Any) -> None:
    assert _value(bm_plan, "KPI10") == {}


def test_balti_counts_the_social_dwellings_handed_over_new(balti_plan: Any, balti: Any) -> None:
    _dwelling(balti, "1", new_on=dt.date(Y, 3, 1))
    _dwelling(balti, "2", new_on=dt.date(Y, 12, 31))
    _dwelling(balti, "3", modernised_on=dt.date(Y, 5, 1))  # modernised is not created
    _dwelling(balti, "4", new_on=dt.date(Y + 1, 1, 1))
    assert _value(balti_plan, "4.1.3.2") == {"": D(2)}


def test_persons_sheltered_and_nights_agree_with_sql(balti_plan: Any, balti: Any) -> None:
    """Bălți 5.1.5.1 once the shelter records its stays: persons who spent a night in the year, by sex and age."""
    from carenet.plans.computations import REGISTRY

    residence = Residence.objects.for_tenant(balti).create(
        municipality=balti,
        organisation=org(balti, "primaria"),
        name="Spațiu sintetic",
        kind=ResidenceKind.NIGHT_SHELTER,
    )
    beds = [
        Bed.objects.for_tenant(balti).create(municipality=balti, residence=residence, code=f"P{i}") for i in range(3)
    ]
    primaria = org(balti, "primaria")
    a, b, c, d = (make_person(balti, primaria, first=f"P{i}", born=dt.date(1950 + 10 * i, 1, 1)) for i in range(4))
    stays = [
        (a, beds[0], dt.date(Y - 1, 12, 20), dt.date(Y, 1, 5)),  # 4 nights in the year
        (b, beds[1], dt.date(Y, 6, 1), dt.date(Y, 6, 11)),  # 10
        (b, beds[1], dt.date(Y, 11, 1), dt.date(Y, 11, 2)),  # 1, the same person
        (c, beds[2], dt.date(Y, 12, 31), None),  # 1, still there
        (d, beds[0], dt.date(Y - 1, 1, 1), dt.date(Y - 1, 2, 1)),  # the year before
    ]
    for person, bed_, check_in, check_out in stays:
        Stay.objects.for_tenant(balti).create(
            municipality=balti, residence=residence, bed=bed_, person=person, check_in=check_in, check_out=check_out
        )
    indicator = balti_plan.indicators.get(code="5.1.5.1")
    indicator.source, indicator.computation = "computed", "housing.persons_sheltered"
    indicator.save()
    period = _period(balti_plan)
    values = compute_all([indicator], period)[indicator.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(DISTINCT person_id) FROM housing_stay WHERE municipality_id = %s AND check_in <= %s "
            "AND (check_out IS NULL OR check_out > %s)",
            [balti.pk.hex if connection.vendor == "sqlite" else balti.pk, period.end_date, period.start_date],
        )
        (expected,) = cursor.fetchone()
    assert values[""] == D(expected) == D(3)
    assert sum(v for k, v in values.items() if k) == values[""]  # the cells add up
    nights = REGISTRY["housing.nights"].fn(indicator, period)
    assert nights == {"": D(4 + 10 + 1 + 1)}
