"""KPIs computed from CareNet's own records (deliveries, persons, cases, directory, areas).

Each definition cites its number in the Baia Mare strategy (seed key ``kpi``) and says exactly what it counts.
"""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, Min, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.cases.models import Case, CaseStatus, HousingKind, ServiceDelivery, SocialInquiry
from carenet.directory.models import LocationType, Service, ServiceAtLocation, ServiceStatus
from carenet.geo.geometry import haversine_km
from carenet.geo.models import Area, AreaKind

from .filters import DISABILITY_YES, KpiFilters, disability_q, served
from .registry import BAIA_MARE_STRATEGY, Kpi, KpiResult, Source, Unit, register

PERSON_FILTERS = ("area", "sex", "age_band", "disability", "organisation")
COVERAGE_KM = 2.0  # KPI 20: a zone is covered when a service point is within this distance of its centre


def q2(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def share(numerator: int, denominator: int) -> KpiResult:
    if not denominator:
        return KpiResult(None, numerator, denominator, note=_("No records to divide by."))
    return KpiResult(q2(100 * numerator / denominator), numerator, denominator)


def beneficiaries_served(f: KpiFilters) -> KpiResult:
    n = served(f).total.persons
    return KpiResult(Decimal(n), n)


register(
    Kpi(
        code="bm01",
        plan=BAIA_MARE_STRATEGY,
        number=1,
        name=gettext_lazy("Beneficiaries accessing social services"),
        description=gettext_lazy("Distinct persons with at least one recorded service delivery in the period."),
        unit=Unit.COUNT,
        source=Source.COMPUTED,
        compute=beneficiaries_served,
        filters=PERSON_FILTERS,
    )
)


def services_online(f: KpiFilters) -> KpiResult:
    active = Service.objects.for_tenant(f.municipality).filter(status=ServiceStatus.ACTIVE)
    if f.organisation_ids is not None:
        active = active.filter(organisation_id__in=f.organisation_ids)
    virtual = ServiceAtLocation.objects.for_tenant(f.municipality).filter(
        service_id=OuterRef("pk"), location__location_type=LocationType.VIRTUAL
    )
    online = active.filter(Exists(virtual) | ~Q(url="")).count()
    return share(online, active.count())


register(
    Kpi(
        code="bm04",
        plan=BAIA_MARE_STRATEGY,
        number=4,
        name=gettext_lazy("Share of social services available online"),
        description=gettext_lazy(
            "Active services of the directory that can be reached online (an online or phone location, or a web "
            "page to apply), as a percentage of all active services."
        ),
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=services_online,
        filters=("organisation",),
    )
)


def disability_reach(f: KpiFilters) -> KpiResult:
    from .filters import persons_registered

    reached = served(f, persons=disability_q(DISABILITY_YES)).total.persons
    registered = persons_registered(f).filter(disability_q(DISABILITY_YES)).count()
    return share(reached, registered)


register(
    Kpi(
        code="bm13",
        plan=BAIA_MARE_STRATEGY,
        number=13,
        name=gettext_lazy("People with disabilities reached by support services"),
        description=gettext_lazy(
            "Persons with a recorded disability who received at least one service in the period, as a percentage "
            "of all persons with a recorded disability in the registry."
        ),
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=disability_reach,
        filters=("area", "sex", "age_band", "organisation"),
    )
)


def homeless_served(f: KpiFilters) -> KpiResult:
    homeless = SocialInquiry.objects.for_tenant(f.municipality).filter(
        case__person_id=OuterRef("pk"), housing=HousingKind.HOMELESS, visited_on__lte=f.end
    )
    n = served(f, persons=Q(Exists(homeless))).total.persons
    return KpiResult(Decimal(n), n)


register(
    Kpi(
        code="bm14",
        plan=BAIA_MARE_STRATEGY,
        number=14,
        name=gettext_lazy("Homeless persons in social reintegration"),
        description=gettext_lazy(
            "Persons whose social inquiry found them homeless and who received at least one service in the period."
        ),
        unit=Unit.COUNT,
        source=Source.COMPUTED,
        compute=homeless_served,
        filters=PERSON_FILTERS,
        higher_is_better=True,
    )
)


def time_to_allocation(f: KpiFilters) -> KpiResult:
    cases = Case.objects.for_tenant(f.municipality).filter(
        decided_on__range=(f.start, f.end),
        status__in=[CaseStatus.ADMITTED, CaseStatus.ACTIVE, CaseStatus.CLOSING, CaseStatus.CLOSED],
    )
    if f.organisation_ids is not None:
        cases = cases.filter(organisation_id__in=f.organisation_ids)
    from .filters import person_q

    pq = person_q(f, "person__")
    if pq:
        cases = cases.filter(pq)
    first = (
        ServiceDelivery.objects.for_tenant(f.municipality)
        .filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(first=Min("delivered_on"))
        .values("first")
    )
    from django.db.models import Subquery

    rows = cases.annotate(first=Subquery(first)).filter(first__isnull=False).values_list("decided_on", "first")
    days = [max((first - decided).days, 0) for decided, first in rows]
    if not days:
        return KpiResult(None, 0, None, note=_("No admitted case with a delivery in the period."))
    return KpiResult(q2(statistics.median(days)), len(days))


register(
    Kpi(
        code="bm18",
        plan=BAIA_MARE_STRATEGY,
        number=18,
        name=gettext_lazy("Time from decision to service"),
        description=gettext_lazy(
            "Median number of days between the admission decision of a case decided in the period and the first "
            "service delivered on that case."
        ),
        unit=Unit.DAYS,
        source=Source.COMPUTED,
        compute=time_to_allocation,
        filters=PERSON_FILTERS,
        higher_is_better=False,
    )
)


def service_points(f: KpiFilters) -> list[tuple[float, float]]:
    qs = (
        ServiceAtLocation.objects.for_tenant(f.municipality)
        .filter(
            service__status=ServiceStatus.ACTIVE,
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        )
        .exclude(location__location_type=LocationType.VIRTUAL)
    )
    return list(qs.values_list("location__latitude", "location__longitude").distinct())


def area_centres(f: KpiFilters, kinds: tuple[str, ...]) -> dict[object, tuple[float, float]]:
    from shapely.geometry import shape

    centres = {}
    for area_id, geometry in (
        Area.objects.for_tenant(f.municipality)
        .filter(kind__in=kinds, geometry__isnull=False)
        .values_list("id", "geometry")
    ):
        point = shape(geometry).representative_point()
        centres[area_id] = (point.y, point.x)
    return centres


DISADVANTAGED = (AreaKind.MARGINALISED, AreaKind.LOCALITY)


def disadvantaged_coverage(f: KpiFilters) -> KpiResult:
    centres = area_centres(f, DISADVANTAGED)
    if not centres:
        return KpiResult(None, note=_("No outline of a marginalised zone or component locality is drawn yet."))
    points = service_points(f)
    covered_areas = {
        area_id
        for area_id, (lat, lon) in centres.items()
        if any(haversine_km(lat, lon, s_lat, s_lon) <= COVERAGE_KM for s_lat, s_lon in points)
    }
    by_area = served(f, by=("area",), persons=Q(area_id__in=list(centres))).sum_by("area")
    counts = {area_id: s.persons for area_id, s in by_area.items()}
    total = sum(counts.values())
    covered = sum(n for area_id, n in counts.items() if area_id in covered_areas)
    return share(covered, total)


register(
    Kpi(
        code="bm20",
        plan=BAIA_MARE_STRATEGY,
        number=20,
        name=gettext_lazy("Coverage of disadvantaged and peripheral zones"),
        description=gettext_lazy(
            "Of the beneficiaries served in the period who live in a marginalised zone or a component locality, "
            "the percentage whose zone has a service point within 2 km of its centre."
        ),
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=disadvantaged_coverage,
        filters=("sex", "age_band", "disability", "organisation"),
    )
)
