"""Computed indicators over the housing register and the residential places (issue 19).

* ``housing.renewed_share``: Baia Mare's KPI 10, the share of the social housing stock handed over new or
  modernised in the period — the dashboards' KPI page computes it from the same two selectors, so the plan
  and the dashboard read one figure.
* ``housing.dwellings_new``: social dwellings handed over new (Bălți 4.1.3 "Număr locuinţe sociale create").
* ``housing.persons_sheltered``: persons who spent a night in a residence (night shelter, residential and
  transit centres), by sex × age band × disability (Bălți 5.1.5 "Număr de beneficiari asistați după gen și
  vârstă", once the shelter records its stays in CareNet).
* ``housing.nights``: nights of accommodation (the strategy's 16,544 nights at the night shelter).

The period's last day is included: the housing selectors take an exclusive end.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from carenet.housing import selectors as housing
from carenet.people.models import Person

from .computations import _cells, computation
from .computations_registers import PERCENTAGE, _share

if TYPE_CHECKING:
    from .models import Indicator, ReportingPeriod


def _end(period: ReportingPeriod) -> dt.date:
    return period.end_date + dt.timedelta(days=1)


@computation(
    "housing.renewed_share",
    _("Social housing handed over new or modernised in the period, as a share of the stock (%)"),
    kinds=PERCENTAGE,
)
def housing_renewed_share(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    m = indicator.municipality_id
    renewed = housing.stock_new_or_modernised(municipality=m, start=period.start_date, end=_end(period))
    return _share(renewed, housing.stock_size(municipality=m, on=period.end_date))


@computation("housing.dwellings_new", _("Social dwellings handed over new in the period"))
def housing_dwellings_new(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = housing.dwellings_handed_over_new(
        municipality=indicator.municipality_id, start=period.start_date, end=_end(period)
    )
    return {"": Decimal(n)}


@computation(
    "housing.persons_sheltered", _("Persons accommodated in a residence (shelter, centre) in the period"), cells=True
)
def housing_persons_sheltered(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    ids = housing.sheltered_person_ids(
        municipality=indicator.municipality_id, start=period.start_date, end=_end(period)
    )
    persons = Person.objects.for_tenant(indicator.municipality_id).filter(pk__in=ids)
    return _cells(persons, indicator, period, "", n=Count("pk"))


@computation("housing.nights", _("Nights of accommodation in the residences in the period"))
def housing_nights(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = housing.nights(municipality=indicator.municipality_id, start=period.start_date, end=_end(period))
    return {"": Decimal(n)}
