"""Computed indicators over the social canteen's register (issue 18): persons served a meal (by the
indicator's sex × age band × disability cells; Bălți 5.1.2 "persoane în etate ce au beneficiat de servicii
de alimentare, după gen și vârstă") and meals served. Each is one call of ``carenet.canteen.selectors``."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count

from carenet.canteen import selectors as canteen
from carenet.people.models import Person

from .computations import _cells, computation

if TYPE_CHECKING:
    from .models import Indicator, ReportingPeriod


@computation("canteen.persons_served", canteen.PERSONS_SERVED_LABEL, cells=True)
def canteen_persons_served(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    ids = canteen.served_person_ids(
        municipality=indicator.municipality_id, first=period.start_date, last=period.end_date
    )
    persons = Person.objects.for_tenant(indicator.municipality_id).filter(pk__in=ids)
    return _cells(persons, indicator, period, "", n=Count("pk"))


@computation("canteen.meals", canteen.MEALS_LABEL)
def canteen_meals(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = canteen.meals_total(municipality=indicator.municipality_id, first=period.start_date, last=period.end_date)
    return {"": Decimal(n)}
