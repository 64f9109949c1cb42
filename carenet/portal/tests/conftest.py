"""Fixtures of the portal's tests: a clean rate-limit cache, no time trap, areas, services, routing."""

import pytest
from django.core.cache import cache

from carenet.core import demo as core_demo
from carenet.core.roles import Role
from carenet.directory.models import Service
from carenet.geo.models import Area, AreaKind
from carenet.plans import demo as plans_demo
from carenet.plans.models import Plan
from carenet.portal.models import RoutingRule
from conftest import make_user


@pytest.fixture
def plans_loaded(balti, baia_mare):
    core_demo.load()
    plans_demo.load()
    return {
        "balti": Plan.objects.for_tenant(balti).get(),
        "baia-mare": Plan.objects.for_tenant(baia_mare).get(),
    }


@pytest.fixture
def balti_plan(plans_loaded):
    return plans_loaded["balti"]


@pytest.fixture
def bm_plan(plans_loaded):
    return plans_loaded["baia-mare"]


def org(municipality, code):
    from carenet.core.models import Organisation

    return Organisation.objects.for_tenant(municipality).get(code=code)


@pytest.fixture
def balti_coordinator(balti_plan, balti):
    return make_user("b_coord", balti, org(balti, "primaria"), Role.COORDINATOR)


@pytest.fixture
def cultura_officer(balti_plan, balti):
    """Data officer of Direcţia cultură: co-responsible for a handful of actions."""
    return make_user("b_cultura", balti, org(balti, "dir-cultura"), Role.DATA_OFFICER)


@pytest.fixture
def sanatate_officer(balti_plan, balti):
    return make_user("b_sanatate", balti, org(balti, "dir-sanatate"), Role.DATA_OFFICER)


@pytest.fixture
def bm_coordinator(bm_plan, baia_mare):
    return make_user("bm_coord", baia_mare, org(baia_mare, "das"), Role.COORDINATOR)


@pytest.fixture(autouse=True)
def _portal_defaults(settings):
    settings.CARENET_PORTAL_MIN_FORM_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ferneziu(baia_mare):
    return Area.objects.create(municipality=baia_mare, name="Ferneziu", kind=AreaKind.MARGINALISED)


@pytest.fixture
def balti_area(balti):
    return Area.objects.create(municipality=balti, name="Pământeni", kind=AreaKind.NEIGHBOURHOOD)


@pytest.fixture
def service_a(org_a, baia_mare):
    return Service.objects.create(municipality=baia_mare, organisation=org_a, name="Centrul de zi pentru copii")


@pytest.fixture
def service_b(org_b, baia_mare):
    return Service.objects.create(municipality=baia_mare, organisation=org_b, name="Îngrijire la domiciliu")


@pytest.fixture
def routing(baia_mare, org_a, org_b, coordinator_org):
    """Baia Mare: children → provider A, older people → provider B, everything else → DAS."""
    RoutingRule.objects.create(municipality=baia_mare, need="", organisation=coordinator_org)
    RoutingRule.objects.create(municipality=baia_mare, need="child", organisation=org_a)
    RoutingRule.objects.create(municipality=baia_mare, need="older", organisation=org_b)


def help_data(**overrides):
    from carenet.portal.antispam import HumanCheckedForm

    data = {
        "form_started": HumanCheckedForm().initial["form_started"],
        "website": "",
        "help_for": "relative",
        "need": "child",
        "area_text": "Strada Victoriei 10",
        "description": "Copilul vecinei nu merge la școală.",
        "contact_name": "Maria",
        "contact_method": "phone",
        "contact_phone": "0740 123 456",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
