"""Shared test users (ARCHITECTURE.md): a caseworker of provider A, one of provider B, a coordinator,
a provider manager, an auditor, a citizen, and users of the other municipality who must be refused."""

import pytest

from carenet.core.models import Municipality, Organisation, OrganisationKind
from carenet.core.roles import Role


@pytest.fixture
def baia_mare(db):
    return Municipality.objects.create(
        slug="baia-mare",
        name="Municipiul Baia Mare",
        country="RO",
        official_languages=["ro", "hu"],
        currency="RON",
        time_zone="Europe/Bucharest",
        statistical_code="106318",
        population=108759,
    )


@pytest.fixture
def balti(db):
    return Municipality.objects.create(
        slug="balti",
        name="Municipiul Bălți",
        country="MD",
        official_languages=["ro", "ru"],
        currency="MDL",
        time_zone="Europe/Chisinau",
        statistical_code="0300",
        population=136563,
    )


def make_org(municipality, code, name, kind=OrganisationKind.PUBLIC, **extra):
    return Organisation.objects.create(municipality=municipality, code=code, name=name, kind=kind, **extra)


def make_user(username, municipality, org=None, role=None, supervisor=False, **extra):
    from carenet.accounts.models import Membership, User

    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        email=f"{username}@test.local",
        municipality=municipality,
        **extra,
    )
    if org is not None:
        Membership.objects.create(
            municipality=municipality, user=user, organisation=org, role=role, is_supervisor=supervisor
        )
    return user


@pytest.fixture
def org_a(baia_mare):
    return make_org(baia_mare, "das-copil-familie", "Serviciul social «Copil, Familie»")


@pytest.fixture
def org_b(baia_mare):
    return make_org(baia_mare, "ong-tu-si-cu-mine", "Fundația Tu și Cu Mine", kind=OrganisationKind.NGO)


@pytest.fixture
def coordinator_org(baia_mare):
    return make_org(baia_mare, "das", "Direcția de Asistență Socială Baia Mare", is_provider=True)


@pytest.fixture
def balti_org(balti):
    return make_org(balti, "ccsm", "Centrul Comunitar de Sănătate Mintală")


@pytest.fixture
def caseworker_a(org_a, baia_mare):
    return make_user("cw_a", baia_mare, org_a, Role.CASEWORKER)


@pytest.fixture
def caseworker_b(org_b, baia_mare):
    return make_user("cw_b", baia_mare, org_b, Role.CASEWORKER)


@pytest.fixture
def manager_a(org_a, baia_mare):
    return make_user("mgr_a", baia_mare, org_a, Role.PROVIDER_MANAGER, supervisor=True)


@pytest.fixture
def manager_b(org_b, baia_mare):
    return make_user("mgr_b", baia_mare, org_b, Role.PROVIDER_MANAGER, supervisor=True)


@pytest.fixture
def coordinator(coordinator_org, baia_mare):
    return make_user("coord", baia_mare, coordinator_org, Role.COORDINATOR)


@pytest.fixture
def auditor(coordinator_org, baia_mare):
    return make_user("auditor", baia_mare, coordinator_org, Role.AUDITOR)


@pytest.fixture
def other_tenant_user(balti_org, balti):
    """A coordinator of Bălți: powerful at home, must reach nothing of Baia Mare."""
    return make_user("balti_coord", balti, balti_org, Role.COORDINATOR)


@pytest.fixture
def citizen(db):
    from carenet.accounts.models import User

    return User.objects.create_user(username="citizen", password="correct-horse-battery", email="c@test.local")


# --- The real plans of both municipalities (plans, analytics and portal tests) -------------------------


@pytest.fixture
def plans_loaded(balti, baia_mare):
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
