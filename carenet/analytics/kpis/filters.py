"""The filters every KPI and dashboard chart understands, and the base querysets they shape."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from carenet.cases.models import ServiceDelivery
from carenet.core.models import Municipality
from carenet.geo.population import AGE_BANDS
from carenet.people.models import Person

DISABILITY_YES = "yes"
DISABILITY_NO = "no"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


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
            q = Q(**{f"{prefix}birth_date__lte": _years_before(on, low)})
            if high is not None:
                q &= Q(**{f"{prefix}birth_date__gt": _years_before(on, high + 1)})
            return q
    return Q(pk__in=[])


def disability_q(value: str, prefix: str = "") -> Q:
    has = ~Q(**{f"{prefix}sensitive__disability_degree": ""}) & Q(**{f"{prefix}sensitive__isnull": False})
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


def deliveries(f: KpiFilters) -> QuerySet[ServiceDelivery]:
    """Service deliveries of the period, the providers and the persons the filters select."""
    qs = ServiceDelivery.objects.for_tenant(f.municipality).filter(delivered_on__range=(f.start, f.end))
    if f.organisation_ids is not None:
        qs = qs.filter(organisation_id__in=f.organisation_ids)
    pq = person_q(f, "person__")
    return qs.filter(pq) if pq else qs


def persons_served(f: KpiFilters) -> QuerySet[Person]:
    """Distinct persons with at least one delivery in the period (semi-join: one index probe per person)."""
    inner = ServiceDelivery.objects.for_tenant(f.municipality).filter(
        person_id=OuterRef("pk"), delivered_on__range=(f.start, f.end)
    )
    if f.organisation_ids is not None:
        inner = inner.filter(organisation_id__in=f.organisation_ids)
    qs = Person.objects.for_tenant(f.municipality).filter(Exists(inner))
    pq = person_q(f)
    return qs.filter(pq) if pq else qs


def persons_registered(f: KpiFilters) -> QuerySet[Person]:
    qs = Person.objects.for_tenant(f.municipality).filter(merged_into__isnull=True)
    pq = person_q(f)
    return qs.filter(pq) if pq else qs
