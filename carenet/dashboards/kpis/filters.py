"""The filters every KPI and dashboard chart understands, and what they select.

Persons served, service acts and quantity are never counted here: ``served`` hands the filters to the one
computation of those figures, ``carenet.cases.selectors.delivery_cells``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from carenet.cases.selectors import PERSONS, DeliveryCells, delivery_cells, has_disability_q
from carenet.cases.selectors import age_band_q as _band_q
from carenet.core.models import Municipality
from carenet.geo.population import AGE_BANDS
from carenet.people.models import Person

DISABILITY_YES = "yes"
DISABILITY_NO = "no"


@dataclass(frozen=True)
class KpiFilters:
    municipality: Municipality
    start: dt.date
    end: dt.date
    area_id: Any = None
    sex: str = ""
    age_band: str = ""
    disability: str = ""
    # None = the whole network; a set = only these providers (a provider manager's own organisation).
    organisation_ids: frozenset[Any] | None = None

    def active_disaggregations(self) -> list[str]:
        names = []
        if self.area_id:
            names.append("area")
        if self.sex:
            names.append("sex")
        if self.age_band:
            names.append("age_band")
        if self.disability:
            names.append("disability")
        if self.organisation_ids is not None:
            names.append("organisation")
        return names

    @property
    def year(self) -> int:
        return self.end.year

    def previous(self) -> KpiFilters:
        """The period of the same length just before this one (for trends)."""
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return KpiFilters(
            municipality=self.municipality,
            start=end - length,
            end=end,
            area_id=self.area_id,
            sex=self.sex,
            age_band=self.age_band,
            disability=self.disability,
            organisation_ids=self.organisation_ids,
        )


def age_band_q(band: str, on: dt.date, prefix: str = "") -> Q:
    """Persons whose age on ``on`` falls in the band (by birth date; unknown birth dates never match)."""
    for code, low, high in AGE_BANDS:
        if code == band:
            return _band_q(low, high, on=on, prefix=prefix)
    return Q(pk__in=[])


def disability_q(value: str, prefix: str = "") -> Q:
    has = has_disability_q(prefix)
    if value == DISABILITY_YES:
        return has
    if value == DISABILITY_NO:
        return ~has
    return Q()


def person_q(f: KpiFilters, prefix: str = "") -> Q:
    q = Q()
    if f.sex:
        q &= Q(**{f"{prefix}sex": f.sex})
    if f.area_id:
        q &= Q(**{f"{prefix}area_id": f.area_id})
    if f.age_band:
        q &= age_band_q(f.age_band, f.end, prefix)
    if f.disability:
        q &= disability_q(f.disability, prefix)
    return q


def served(
    f: KpiFilters, *, by: tuple[str, ...] = (), persons: Q | None = None, measures: tuple[str, ...] = (PERSONS,)
) -> DeliveryCells:
    """Persons served (and, when asked, acts) under the filters (period, providers, persons), per cell of
    ``by``; ``persons`` narrows the persons further (a KPI's own condition). Ages are on the period's last
    day, in the population's age bands (``geo.population.AGE_BANDS``)."""
    condition = person_q(f)
    if persons is not None:
        condition &= persons
    return delivery_cells(
        municipality=f.municipality,
        date_from=f.start,
        date_to=f.end,
        organisation_ids=f.organisation_ids,
        persons=condition or None,
        by=by,
        age_bands=AGE_BANDS,
        measures=measures,
    )


def persons_registered(f: KpiFilters) -> QuerySet[Person]:
    qs = Person.objects.for_tenant(f.municipality).filter(merged_into__isnull=True)
    pq = person_q(f)
    return qs.filter(pq) if pq else qs
