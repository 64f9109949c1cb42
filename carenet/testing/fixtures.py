"""The shared fixtures (docs/architecture.md §8), registered through ``carenet.testing.plugin``.

Two municipalities; in Baia Mare a caseworker of provider A, one of provider B, their managers, a
supervisor, a coordinator and an auditor of the directorate; a coordinator of Bălți who must reach
nothing of Baia Mare; a citizen. A person, a case and services of the two providers; the real plans of
both municipalities and a report on them. An app's conftest only adds what is its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from carenet.core.models import Municipality, Organisation, OrganisationKind
from carenet.core.roles import Role
from carenet.testing import factories
from carenet.testing.factories import make_org, make_person, make_service, make_user, org
from carenet.testing.language import english_messages

# --- Municipalities and organisations -------------------------------------------------------------------


@pytest.fixture
def empty_cache() -> Any:
    """The shared cache empty before and after the test (rate limits, lockouts and tallies count in it)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def baia_mare(db: Any) -> Municipality:
    return factories.MunicipalityFactory.create(baia_mare=True)


@pytest.fixture
def balti(db: Any) -> Municipality:
    return factories.MunicipalityFactory.create(balti=True)


@pytest.fixture
def org_a(baia_mare: Municipality) -> Organisation:
    return make_org(baia_mare, "das-copil-familie", "Serviciul social «Copil, Familie»")


@pytest.fixture
def org_b(baia_mare: Municipality) -> Organisation:
    return make_org(baia_mare, "ong-tu-si-cu-mine", "Fundația Tu și Cu Mine", kind=OrganisationKind.NGO)


@pytest.fixture
def coordinator_org(baia_mare: Municipality) -> Organisation:
    return make_org(baia_mare, "das", "Direcția de Asistență Socială Baia Mare", is_provider=True)


@pytest.fixture
def balti_org(balti: Municipality) -> Organisation:
    return make_org(balti, "ccsm", "Centrul Comunitar de Sănătate Mintală")


# --- Users ----------------------------------------------------------------------------------------------


@pytest.fixture
def caseworker_a(org_a: Organisation, baia_mare: Municipality) -> Any:
    return make_user("cw_a", baia_mare, org_a, Role.CASEWORKER)


@pytest.fixture
def caseworker_b(org_b: Organisation, baia_mare: Municipality) -> Any:
    return make_user("cw_b", baia_mare, org_b, Role.CASEWORKER)


@pytest.fixture
def supervisor_a(org_a: Organisation, baia_mare: Municipality) -> Any:
    """A caseworker of provider A who supervises the others."""
    return make_user("sup_a", baia_mare, org_a, Role.CASEWORKER, supervisor=True)


@pytest.fixture
def manager_a(org_a: Organisation, baia_mare: Municipality) -> Any:
    return make_user("mgr_a", baia_mare, org_a, Role.PROVIDER_MANAGER, supervisor=True)


@pytest.fixture
def manager_b(org_b: Organisation, baia_mare: Municipality) -> Any:
    return make_user("mgr_b", baia_mare, org_b, Role.PROVIDER_MANAGER, supervisor=True)


@pytest.fixture
def coordinator(coordinator_org: Organisation, baia_mare: Municipality) -> Any:
    return make_user("coord", baia_mare, coordinator_org, Role.COORDINATOR)


@pytest.fixture
def auditor(coordinator_org: Organisation, baia_mare: Municipality) -> Any:
    return make_user("auditor", baia_mare, coordinator_org, Role.AUDITOR)


@pytest.fixture
def other_tenant_user(balti_org: Organisation, balti: Municipality) -> Any:
    """A coordinator of Bălți: powerful at home, must reach nothing of Baia Mare."""
    return make_user("balti_coord", balti, balti_org, Role.COORDINATOR)


@pytest.fixture
def citizen(db: Any) -> Any:
    return factories.UserFactory(username="citizen", email="c@test.local")


@pytest.fixture
def api() -> Any:
    """A DRF test client (``api.force_authenticate(user)``)."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """Ask for it to read English messages; a conftest makes it autouse with
    ``from carenet.testing.language import english``."""
    with english_messages(settings):
        yield


# --- Persons and a case ---------------------------------------------------------------------------------


@pytest.fixture
def person_a(baia_mare: Municipality, org_a: Organisation) -> Any:
    """A person of provider A (Baia Mare), with an address and no phone."""
    return make_person(baia_mare, org_a, sex="M", address="Str. Victoriei 10")


@pytest.fixture
def person_b(baia_mare: Municipality, org_b: Organisation) -> Any:
    return make_person(baia_mare, org_b, first="Ana", last="Pop", born=datetime.date(1990, 5, 1), sex="F")


@pytest.fixture
def balti_person(balti: Municipality, balti_org: Organisation) -> Any:
    return make_person(balti, balti_org, first="Ion", last="Ciobanu", born=datetime.date(1960, 1, 1))


@pytest.fixture
def case_a(caseworker_a: Any, person_a: Any, org_a: Organisation) -> Any:
    """person_a's case at provider A, opened by caseworker_a through the service 30 days ago."""
    from carenet.cases import services

    return services.case_open(
        actor=caseworker_a,
        person=person_a,
        organisation=org_a,
        channel="in_person",
        opened_on=datetime.date.today() - datetime.timedelta(days=30),
        request_summary="Ajutor la domiciliu",
    )


# --- Directory services ---------------------------------------------------------------------------------


@pytest.fixture
def service_a(baia_mare: Municipality, org_a: Organisation) -> Any:
    """Provider A's day centre for children, with a located site (indexed for search)."""
    service = make_service(
        baia_mare, org_a, "Centru de zi pentru copii", description="Activități pentru copii și părinți."
    )
    location = factories.LocationFactory(organisation=org_a, name="Sediul A", latitude=47.65, longitude=23.57)
    factories.ServiceAtLocationFactory(service=service, location=location)
    return service


@pytest.fixture
def service_b(baia_mare: Municipality, org_b: Organisation) -> Any:
    """Provider B's home care (indexed for search)."""
    return make_service(baia_mare, org_b, "Îngrijiri la domiciliu", description="Îngrijire pentru bătrâni acasă.")


@pytest.fixture
def balti_service(balti: Municipality, balti_org: Organisation) -> Any:
    return make_service(balti, balti_org, "Centrul comunitar de sănătate mintală")


# --- The real plans of both municipalities (plans, reports, dashboards and portal tests) -----------------


@pytest.fixture
def plans_loaded(balti: Municipality, baia_mare: Municipality) -> dict[str, Any]:
    from carenet.core import demo as core_demo
    from carenet.plans import demo as plans_demo
    from carenet.plans.models import Plan

    core_demo.load()
    plans_demo.load()
    return {
        "balti": Plan.objects.for_tenant(balti).get(),
        "baia-mare": Plan.objects.for_tenant(baia_mare).get(),
    }


@pytest.fixture
def balti_plan(plans_loaded: dict[str, Any]) -> Any:
    return plans_loaded["balti"]


@pytest.fixture
def bm_plan(plans_loaded: dict[str, Any]) -> Any:
    return plans_loaded["baia-mare"]


@pytest.fixture
def balti_coordinator(balti_plan: Any, balti: Municipality) -> Any:
    return make_user("b_coord", balti, org(balti, "primaria"), Role.COORDINATOR)


@pytest.fixture
def cultura_officer(balti_plan: Any, balti: Municipality) -> Any:
    """Data officer of Direcţia cultură: co-responsible for a handful of actions."""
    return make_user("b_cultura", balti, org(balti, "dir-cultura"), Role.DATA_OFFICER)


@pytest.fixture
def sanatate_officer(balti_plan: Any, balti: Municipality) -> Any:
    return make_user("b_sanatate", balti, org(balti, "dir-sanatate"), Role.DATA_OFFICER)


@pytest.fixture
def bm_coordinator(bm_plan: Any, baia_mare: Municipality) -> Any:
    return make_user("bm_coord", baia_mare, org(baia_mare, "das"), Role.COORDINATOR)


@pytest.fixture
def cultura_form(balti_plan: Any, balti: Municipality) -> Any:
    """The 2025 form of Bălți's culture directorate, with submissions open."""
    from carenet.plans import services
    from carenet.plans.models import ReportingPeriod, Submission

    period = ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")
    services.submissions_open(period=period)
    return Submission.objects.for_tenant(balti).get(period=period, organisation__code="dir-cultura")


@pytest.fixture
def reported(balti_plan: Any, cultura_form: Any, cultura_officer: Any) -> Any:
    """Bălți's plan with the culture directorate's 2025 values saved: 1.1.2.1 = 3, and 1.1.2.3 = 12
    broken down (9 girls 7-15 without a disability, 3 boys 7-15 with one)."""
    from carenet.plans import services
    from carenet.plans.services import ValueInput

    library = balti_plan.indicators.get(code="1.1.2.3")
    services.submission_save(
        actor=cultura_officer,
        submission=cultura_form,
        values=[
            ValueInput(balti_plan.indicators.get(code="1.1.2.1").pk, value=Decimal(3)),
            ValueInput(
                library.pk,
                value=Decimal(12),
                cells={"sex=f|age=7-15|disability=no": Decimal(9), "sex=m|age=7-15|disability=yes": Decimal(3)},
            ),
        ],
    )
    return balti_plan


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (browser tests: ``pytest.mark.browser``)."""
    from playwright.sync_api import sync_playwright

    from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()
