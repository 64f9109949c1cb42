"""What the canteen tests add to the shared fixtures: the seeded rules of both municipalities, a canteen unit
run by its own organisation (a cook at the counter) with provider A as its office (DAS), and an application
of person_a with a social inquiry on case_a."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from carenet.canteen import services
from carenet.canteen.models import CanteenUnit
from carenet.core.roles import Role
from carenet.testing.factories import make_org, make_user
from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)

ALL_DOCUMENTS = list(services.DOCUMENTS)


@pytest.fixture
def bm_rules(baia_mare: Any) -> Any:
    """Baia Mare's seeded rules, with a threshold and a food allowance set for the tests (the seeds state neither)."""
    ruleset = services.rules_seed(municipality=baia_mare)
    ruleset.threshold = Decimal("600.00")
    ruleset.meal_allowance = Decimal("15.00")
    ruleset.save()
    return ruleset


@pytest.fixture
def balti_rules(balti: Any) -> Any:
    return services.rules_seed(municipality=balti)


@pytest.fixture
def canteen_org(baia_mare: Any) -> Any:
    return make_org(baia_mare, "cantina-sociala", "Serviciul Cantina Socială (Cantina de Ajutor Social)")


@pytest.fixture
def cook(canteen_org: Any, baia_mare: Any) -> Any:
    """A caseworker of the canteen unit's organisation: serves at the counter, sees the names on its list."""
    return make_user("cook", baia_mare, canteen_org, Role.CASEWORKER)


@pytest.fixture
def unit(baia_mare: Any, canteen_org: Any, org_a: Any, bm_rules: Any) -> CanteenUnit:
    return services.unit_save(
        municipality=baia_mare,
        code="cantina-ajutor-social",
        name="Cantina de Ajutor Social",
        organisation=canteen_org,
        office=org_a,
        home_delivery=True,
    )


@pytest.fixture
def balti_unit(balti: Any, balti_org: Any, balti_rules: Any) -> CanteenUnit:
    return services.unit_save(municipality=balti, code="im-cantina", name="Cantina ÎM", organisation=balti_org)


@pytest.fixture
def inquiry_a(case_a: Any, caseworker_a: Any) -> Any:
    from carenet.cases import services as cases_services

    return cases_services.inquiry_record(
        actor=caseworker_a,
        case=case_a,
        expected_version=case_a.version,
        visited_on=timezone.localdate(),
        household_size=2,
        housing="rented",
        conclusions="Propunem masa la cantină.",
    )


def make_application(actor: Any, person: Any, org: Any, unit: Any, case: Any = None, **fields: Any) -> Any:
    fields.setdefault("documents", ALL_DOCUMENTS)
    fields.setdefault("requested_category", "c")
    return services.application_create(
        actor=actor,
        person=person,
        organisation=org,
        unit=unit,
        case=case,
        received_on=timezone.localdate(),
        **fields,
    )


@pytest.fixture
def application_a(caseworker_a: Any, person_a: Any, org_a: Any, unit: Any, case_a: Any, inquiry_a: Any) -> Any:
    """person_a, a pensioner with 900 a month alone (above the 600 threshold: a contribution is due)."""
    return make_application(
        caseworker_a, person_a, org_a, unit, case_a, is_pensioner=True, household_income=Decimal("900")
    )


@pytest.fixture
def approved_a(manager_a: Any, application_a: Any, unit: Any) -> Any:
    today = timezone.localdate()
    return services.decision_approve(
        actor=manager_a,
        application=application_a,
        valid_from=today.replace(day=1),
        valid_to=today.replace(day=1) + datetime.timedelta(days=120),
        unit=unit,
    )


@pytest.fixture
def phone() -> Any:
    """A 390 px phone in Romanian (Debian's Chromium through Playwright), collecting the page's JS errors."""
    from playwright.sync_api import sync_playwright

    from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(
            locale="ro-RO", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
        )
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        yield context, page
        browser.close()


def home_delivery_decision(
    municipality: Any,
    org: Any,
    unit: Any,
    first: str,
    last: str,
    *,
    home_delivery: bool = True,
    dinner: bool = True,
    **person: Any,
) -> Any:
    """A decision in force today, written directly (tests of the rounds, not of the eligibility)."""
    from carenet.canteen.models import Application, Decision, Outcome
    from carenet.testing.factories import make_person

    today = timezone.localdate()
    someone = make_person(municipality, org, first=first, last=last, **person)
    application = Application.objects.create(
        municipality=municipality,
        number=f"CAS-R-{last}-{first}",
        person=someone,
        organisation=org,
        unit=unit,
        received_on=today,
        requested_category="c",
        is_pensioner=True,
        home_delivery=home_delivery,
        dinner=dinner,
    )
    return Decision.objects.create(
        municipality=municipality,
        application=application,
        person=someone,
        number=f"D-R-{last}-{first}",
        outcome=Outcome.APPROVED,
        category="c",
        unit=unit,
        valid_from=today - datetime.timedelta(days=5),
        valid_to=today + datetime.timedelta(days=60),
        decided_on=today,
        home_delivery=home_delivery,
        dinner=dinner,
    )
