import pytest

from carenet.core import demo as core_demo
from carenet.core.roles import Role
from carenet.plans import demo as plans_demo
from carenet.plans.models import Plan
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
