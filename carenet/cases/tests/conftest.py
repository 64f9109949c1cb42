import datetime

import pytest

from carenet.cases import services
from carenet.directory.models import Service
from carenet.people.tests.conftest import make_person


@pytest.fixture
def person_a(baia_mare, org_a):
    return make_person(baia_mare, org_a, sex="M")


@pytest.fixture
def service_a(baia_mare, org_a):
    return Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina socială")


@pytest.fixture
def case_a(caseworker_a, person_a, org_a):
    return services.case_open(
        user=caseworker_a,
        person=person_a,
        organisation=org_a,
        channel="in_person",
        opened_on=datetime.date.today() - datetime.timedelta(days=30),
        request_summary="Ajutor la domiciliu",
    )


@pytest.fixture
def supervisor_a(org_a, baia_mare):
    from carenet.core.roles import Role
    from conftest import make_user

    return make_user("sup_a", baia_mare, org_a, Role.CASEWORKER, supervisor=True)
