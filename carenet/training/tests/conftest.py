"""What the training tests add to the shared fixtures: a company with its CSR coordinator, the municipality's
training rules, a company course (Baia Mare) with three sessions, cases with consent to share with the company,
and a course of Bălți."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carenet.cases import services as cases_services
from carenet.core.models import OrganisationKind
from carenet.core.roles import Role
from carenet.people.services import consent_record
from carenet.testing.factories import make_org, make_person, make_user
from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)
from carenet.training import services
from carenet.training.services import CourseInput

START = datetime.date(2026, 3, 2)


@pytest.fixture
def company(baia_mare: Any) -> Any:
    return make_org(baia_mare, "firma-csr", "SC Exemplu Formare SRL", kind=OrganisationKind.PRIVATE, is_provider=False)


@pytest.fixture
def company_b(baia_mare: Any) -> Any:
    return make_org(baia_mare, "alta-firma", "SC Alta Firmă SRL", kind=OrganisationKind.PRIVATE, is_provider=False)


@pytest.fixture
def csr(company: Any, baia_mare: Any) -> Any:
    return make_user("csr", baia_mare, company, Role.CSR_COORDINATOR)


@pytest.fixture
def csr_b(company_b: Any, baia_mare: Any) -> Any:
    return make_user("csr_b", baia_mare, company_b, Role.CSR_COORDINATOR)


@pytest.fixture
def rules(baia_mare: Any, coordinator: Any) -> Any:
    return services.training_rules_set(
        actor=coordinator,
        municipality=baia_mare,
        min_attendance_percent=75,
        dropout_after_absences=2,
        valid_from=datetime.date(2025, 1, 1),
    )


def make_course(actor: Any, organisation: Any, *, places: int = 10, free_places: int = 0, **extra: Any) -> Any:
    data = CourseInput(
        organisation=organisation,
        title=extra.pop("title", "Operator calculator"),
        starts_on=START,
        places=places,
        offered_by=extra.pop("offered_by", "company"),
        free_places=free_places,
        hours=24,
        **extra,
    )
    return services.course_create(actor=actor, data=data, publish=True)


@pytest.fixture
def course(csr: Any, company: Any, rules: Any) -> Any:
    course = make_course(csr, company)
    for day in range(3):
        services.session_add(actor=csr, course=course, held_on=START + datetime.timedelta(days=day))
    return course


def case_with_consent(caseworker: Any, org: Any, company: Any, first: str, last: str) -> Any:
    person = make_person(org.municipality, org, first=first, last=last)
    case = cases_services.case_open(
        actor=caseworker,
        person=person,
        organisation=org,
        channel="in_person",
        opened_on=datetime.date.today() - datetime.timedelta(days=10),
        request_summary="Integrare profesională",
    )
    consent_record(actor=caseworker, person=person, purpose="sharing", given_on=datetime.date.today(), scope=[company])
    return case


@pytest.fixture
def cases(caseworker_a: Any, org_a: Any, company: Any) -> list[Any]:
    return [
        case_with_consent(caseworker_a, org_a, company, first, last)
        for first, last in (("Maria", "Rus"), ("Ioan", "Pop"), ("Elena", "Sabo"))
    ]
