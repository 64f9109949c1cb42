"""A small hand-made network in Baia Mare for the KPI and dashboard tests (numbers worked out by hand).

Period: 2025. Persons (sex, born, area, disability):
  P1 F 1950 Craica  severe   – 3 deliveries (org_a, S1), case decided 1 Feb, first delivery 11 Feb (10 days)
  P2 M 1955 Craica  –        – 1 delivery (org_b, S2)
  P3 F 1990 Ferneziu mild    – 2 deliveries (org_a, S3), case decided 1 Mar, first delivery 5 Mar (4 days), homeless
  P4 M 2010 Centru  –        – 1 delivery (org_b, S2)
  P5 F 1980 –       medium   – no delivery
  P6 M 1940 Craica  –        – one delivery on 31 Dec 2024 only
Craica has a service point at its centre; Ferneziu's nearest is ~9 km away.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from carenet.cases.models import Case, CaseStatus, ServiceDelivery, SocialInquiry
from carenet.core.models import Organisation
from carenet.dashboards.kpis import KpiFilters
from carenet.directory.models import Location, LocationType, Service, ServiceAtLocation, ServiceStatus
from carenet.geo.models import Area, AreaKind, PopulationBand
from carenet.people.models import Person, SensitiveProfile

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def square(lat, lon, half=0.005):
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


CRAICA = (47.670, 23.570)
FERNEZIU = (47.680, 23.690)


@pytest.fixture
def network(baia_mare, org_a, org_b, coordinator_org):
    m = baia_mare
    # The municipality holds its strategy: its KPI page lists the strategy's 20 KPIs (issue 16).
    from carenet.dashboards.kpis import BAIA_MARE_STRATEGY
    from carenet.plans.models import Plan

    # (A test that also asks for the imported plan, ``bm_plan``, asks for it first: then this is that plan.)
    if not Plan.objects.for_tenant(m).filter(code=BAIA_MARE_STRATEGY).exists():
        Plan.objects.create(
            municipality=m,
            code=BAIA_MARE_STRATEGY,
            title="Strategia Baia Mare",
            start_year=2025,
            end_year=2030,
            currency="RON",
        )
    Organisation.objects.for_tenant(m).filter(pk=org_b.pk).update(
        created_at=timezone.make_aware(dt.datetime(2025, 6, 1))
    )
    areas = {
        "craica": Area.objects.create(
            municipality=m, name="Craica", kind=AreaKind.MARGINALISED, geometry=square(*CRAICA)
        ),
        "ferneziu": Area.objects.create(
            municipality=m, name="Ferneziu", kind=AreaKind.MARGINALISED, geometry=square(*FERNEZIU)
        ),
        "centru": Area.objects.create(
            municipality=m, name="Centru", kind=AreaKind.NEIGHBOURHOOD, geometry=square(47.657, 23.585)
        ),
    }
    s1 = Service.objects.create(municipality=m, organisation=org_a, name="Cantina socială")
    s2 = Service.objects.create(municipality=m, organisation=org_b, name="Consiliere telefonică")
    s3 = Service.objects.create(
        municipality=m, organisation=org_a, name="Îngrijire la domiciliu", url="https://example.org/apply"
    )
    Service.objects.create(municipality=m, organisation=org_b, name="Închis", status=ServiceStatus.DEFUNCT)
    here = Location.objects.create(
        municipality=m, organisation=org_a, name="Centrul Craica", latitude=CRAICA[0], longitude=CRAICA[1]
    )
    phone = Location.objects.create(
        municipality=m, organisation=org_b, name="Telefon", location_type=LocationType.VIRTUAL
    )
    ServiceAtLocation.objects.create(municipality=m, service=s1, location=here)
    ServiceAtLocation.objects.create(municipality=m, service=s2, location=phone)

    def person(name, sex, born, area, disability=""):
        p = Person.objects.create(
            municipality=m,
            first_name=name,
            last_name="Test",
            sex=sex,
            birth_date=dt.date(born, 6, 1),
            area=areas.get(area),
            registered_by_organisation=org_a,
        )
        if disability:
            SensitiveProfile.objects.create(municipality=m, person=p, disability_degree=disability)
        return p

    p1 = person("P1", "F", 1950, "craica", "severe")
    p2 = person("P2", "M", 1955, "craica")
    p3 = person("P3", "F", 1990, "ferneziu", "mild")
    p4 = person("P4", "M", 2010, "centru")
    p5 = person("P5", "F", 1980, None, "medium")
    p6 = person("P6", "M", 1940, "craica")
    case1 = Case.objects.create(
        municipality=m,
        reference="BM-1",
        organisation=org_a,
        person=p1,
        channel="in_person",
        opened_on=dt.date(2025, 1, 20),
        decided_on=dt.date(2025, 2, 1),
        status=CaseStatus.ACTIVE,
    )
    case3 = Case.objects.create(
        municipality=m,
        reference="BM-3",
        organisation=org_a,
        person=p3,
        channel="in_person",
        opened_on=dt.date(2025, 2, 20),
        decided_on=dt.date(2025, 3, 1),
        status=CaseStatus.ADMITTED,
    )
    SocialInquiry.objects.create(
        municipality=m,
        case=case3,
        visited_on=dt.date(2025, 2, 25),
        housing="homeless",
        conclusions="—",
        risks=["housing", "violence"],
    )

    def deliver(p, service, org, day, case=None):
        ServiceDelivery.objects.create(
            municipality=m,
            person=p,
            service=service,
            organisation=org,
            delivered_on=day,
            case=case,
            quantity=Decimal(1),
        )

    deliver(p1, s1, org_a, dt.date(2025, 2, 11), case1)
    deliver(p1, s1, org_a, dt.date(2025, 3, 11), case1)
    deliver(p1, s1, org_a, dt.date(2025, 4, 11), case1)
    deliver(p2, s2, org_b, dt.date(2025, 5, 2))
    deliver(p3, s3, org_a, dt.date(2025, 3, 5), case3)
    deliver(p3, s3, org_a, dt.date(2025, 4, 5), case3)
    deliver(p4, s2, org_b, dt.date(2025, 7, 1))
    deliver(p6, s1, org_a, dt.date(2024, 12, 31))
    PopulationBand.objects.create(municipality=m, year=2024, label="64+", age_from=64, women=600, men=400, total=1000)
    return {"areas": areas, "persons": [p1, p2, p3, p4, p5, p6], "services": [s1, s2, s3]}


@pytest.fixture
def filters(baia_mare, network):
    def make(**kw):
        return KpiFilters(municipality=baia_mare, start=kw.pop("start", START), end=kw.pop("end", END), **kw)

    return make
