"""What the housing tests add to the shared fixtures: Baia Mare's housing office and its officer, the rule in
force, a council grid with three criteria, applicants registered by the office, a dwelling, and two
residences (provider A's night shelter, provider B's residential centre)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from carenet.core.roles import Role
from carenet.housing import services
from carenet.housing.models import Bed, Building, Dwelling, HousingRule, Residence, ResidenceKind
from carenet.testing.factories import make_org, make_person, make_user
from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)

TODAY = datetime.date.today()
THIS_MONTH = TODAY.replace(day=1)
CRITERIA = [
    ("conditions", "Current housing conditions", [("Homeless or evicted", 10), ("Overcrowded", 5), ("Adequate", 0)]),
    ("household", "Household size", [("Five or more", 6), ("Three or four", 4), ("One or two", 2)]),
    ("disability", "Disability in the household", [("Yes", 5), ("No", 0)]),
]


@pytest.fixture
def housing_office(baia_mare: Any) -> Any:
    return make_org(baia_mare, "das-locuinte", "Serviciul Fond Locativ")


@pytest.fixture
def housing_rule(baia_mare: Any, housing_office: Any) -> HousingRule:
    return HousingRule.objects.for_tenant(baia_mare).create(
        municipality=baia_mare,
        office=housing_office,
        valid_from=TODAY.replace(year=TODAY.year - 1),
        renewal_notice_days=60,
        arrears_alert=Decimal("500"),
        cold_night_below=Decimal("-5"),
    )


@pytest.fixture
def officer(housing_office: Any, baia_mare: Any, housing_rule: Any) -> Any:
    return make_user("officer", baia_mare, housing_office, Role.CASEWORKER)


@pytest.fixture
def grid(baia_mare: Any, coordinator: Any) -> Any:
    return services.grid_create(
        actor=coordinator,
        municipality=baia_mare,
        year=TODAY.year,
        title="Criterii locuințe sociale",
        decision="HCL test",
        valid_from=TODAY.replace(month=1, day=1),
        tie_break="earliest_filed",
        refusal_consequence="back_of_list",
        refusals_allowed=0,
        criteria=CRITERIA,
    )


def option(grid: Any, code: str, points: int) -> Any:
    criterion = grid.criteria.get(code=code)
    return criterion, criterion.options.get(points=points)


def answers(grid: Any, **points: int) -> dict[str, str]:
    out = {}
    for code, value in points.items():
        criterion, opt = option(grid, code, value)
        out[str(criterion.pk)] = str(opt.pk)
    return out


@pytest.fixture
def applicant_factory(baia_mare: Any, housing_office: Any, officer: Any, grid: Any) -> Any:
    counter = {"n": 0}

    def make(
        *, filed_on: datetime.date, rooms: int = 1, accessible: bool = False, size: int = 1, income: str = "0"
    ) -> Any:
        counter["n"] += 1
        person = make_person(baia_mare, housing_office, first=f"Solicitant{counter['n']}", last="Testescu")
        return services.application_file(
            actor=officer,
            grid=grid,
            data=services.ApplicationInput(
                applicant=person,
                filed_on=filed_on,
                rooms_needed=rooms,
                needs_accessible=accessible,
                household_size=size,
                monthly_income=Decimal(income),
            ),
        )

    return make


@pytest.fixture
def dwelling(baia_mare: Any) -> Dwelling:
    building = Building.objects.for_tenant(baia_mare).create(municipality=baia_mare, name="Bloc Test")
    return Dwelling.objects.for_tenant(baia_mare).create(
        municipality=baia_mare, building=building, number="1", rooms=2, area=Decimal("45.5"), rent=Decimal("120")
    )


@pytest.fixture
def shelter(baia_mare: Any, org_a: Any) -> Residence:
    residence = Residence.objects.for_tenant(baia_mare).create(
        municipality=baia_mare, organisation=org_a, name="Azil de noapte", kind=ResidenceKind.NIGHT_SHELTER
    )
    Bed.objects.for_tenant(baia_mare).bulk_create(
        [Bed(municipality=baia_mare, residence=residence, code=f"P{i}") for i in range(1, 4)]
        + [Bed(municipality=baia_mare, residence=residence, code="X1", cold_night_only=True)]
    )
    return residence


@pytest.fixture
def centre_b(baia_mare: Any, org_b: Any) -> Residence:
    residence = Residence.objects.for_tenant(baia_mare).create(
        municipality=baia_mare, organisation=org_b, name="Centru rezidențial B", kind=ResidenceKind.RESIDENTIAL_CENTRE
    )
    Bed.objects.for_tenant(baia_mare).create(municipality=baia_mare, residence=residence, code="B1")
    return residence


def bed(residence: Any, code: str) -> Bed:
    return Bed.objects.for_tenant(residence.municipality_id).get(residence=residence, code=code)


def months_ago(n: int) -> datetime.date:
    month = THIS_MONTH
    for _ in range(n):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def end_of(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


@pytest.fixture
def signed(applicant_factory: Any, officer: Any, coordinator: Any, grid: Any, dwelling: Any) -> Any:
    """Make an accepted offer of the dwelling and sign a contract on it from the given dates."""

    def sign(*, starts_on: datetime.date, ends_on: datetime.date, rent: str = "120") -> Any:
        application = applicant_factory(filed_on=TODAY - datetime.timedelta(days=400))
        services.application_score(
            actor=officer, application=application, answers=answers(grid, conditions=10, household=2, disability=0)
        )
        ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
        services.ranked_list_approve(actor=coordinator, ranked_list=ranked_list)
        offer = services.offer_make(actor=officer, dwelling=dwelling)
        services.offer_accept(actor=officer, offer=offer)
        return services.contract_sign(
            actor=officer, offer=offer, starts_on=starts_on, ends_on=ends_on, rent=Decimal(rent)
        )

    return sign
