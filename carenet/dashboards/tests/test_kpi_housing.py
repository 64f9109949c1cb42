"""KPI 10 of the Baia Mare strategy is counted from the housing register: dwellings handed over new or
modernised in the period over the stock registered at its end, with the applications still waiting beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carenet.dashboards.kpis import KpiFilters, Source, evaluate, get_kpi
from carenet.housing.models import Building, Dwelling

YEAR = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def dwellings(municipality, *dates: tuple[dt.date | None, dt.date | None]) -> None:
    building = Building.objects.for_tenant(municipality).create(municipality=municipality, name="Bloc Test")
    for n, (new_on, modernised_on) in enumerate(dates):
        Dwelling.objects.for_tenant(municipality).create(
            municipality=municipality,
            building=building,
            number=str(n + 1),
            rooms=2,
            area=Decimal("40"),
            new_on=new_on,
            modernised_on=modernised_on,
        )


@pytest.mark.django_db
def test_kpi_10_counts_new_and_modernised_dwellings_over_the_stock(baia_mare, english):
    dwellings(
        baia_mare,
        (None, dt.date(2025, 3, 1)),  # modernised in the year
        (dt.date(2025, 6, 1), None),  # handed over new in the year
        (None, dt.date(2024, 3, 1)),  # modernised the year before
        (None, None),
        (dt.date(2026, 2, 1), None),  # not yet in the stock at the end of 2025
    )
    kpi = get_kpi("bm10")
    result = evaluate(kpi, KpiFilters(municipality=baia_mare, start=YEAR[0], end=YEAR[1]))
    assert kpi.source == Source.COMPUTED
    assert (result.numerator, result.denominator, result.value) == (2, 4, Decimal("50.00"))
    assert result.note == "0 applications were still waiting for a dwelling at the end of the period."


@pytest.mark.django_db
def test_kpi_10_without_dwellings_is_missing_with_the_reason_not_zero(balti, english):
    result = evaluate(get_kpi("bm10"), KpiFilters(municipality=balti, start=YEAR[0], end=YEAR[1]))
    assert result.value is None and result.note == "The housing register holds no dwellings yet."


@pytest.mark.django_db
def test_kpi_10_of_one_municipality_never_counts_the_others_dwellings(baia_mare, balti):
    dwellings(balti, (None, dt.date(2025, 3, 1)))
    result = evaluate(get_kpi("bm10"), KpiFilters(municipality=baia_mare, start=YEAR[0], end=YEAR[1]))
    assert result.value is None
