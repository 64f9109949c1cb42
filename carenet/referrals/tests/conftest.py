import datetime

import pytest

from carenet.cases import services as case_services
from carenet.core.models import OrganisationKind
from carenet.core.roles import Role
from carenet.directory.models import Service
from carenet.people import services as people_services
from carenet.people.tests.conftest import make_person
from conftest import make_org, make_user


@pytest.fixture
def person_a(baia_mare, org_a):
    return make_person(baia_mare, org_a, sex="M", address="Str. Victoriei 10", phone="0722000111")


@pytest.fixture
def case_a(caseworker_a, person_a, org_a):
    """A case of the DAS centre (provider A) for which the person will be referred."""
    return case_services.case_open(
        user=caseworker_a,
        person=person_a,
        organisation=org_a,
        channel="in_person",
        opened_on=datetime.date.today() - datetime.timedelta(days=10),
        request_summary="Sprijin pentru locuință",
    )


@pytest.fixture
def service_b(baia_mare, org_b):
    """A service of the NGO (provider B) with two places left."""
    return Service.objects.create(
        municipality=baia_mare,
        organisation=org_b,
        name="Centru de zi pentru adulți",
        places_total=10,
        places_available=2,
    )


@pytest.fixture
def consent_for_b(caseworker_a, person_a, org_b, org_a):
    return people_services.consent_record(
        user=caseworker_a,
        person=person_a,
        purpose="referral",
        given_on=datetime.date.today() - datetime.timedelta(days=1),
        scope=[org_b],
        organisation=org_a,
    )


@pytest.fixture
def supervisor_a(org_a, baia_mare):
    return make_user("sup_a", baia_mare, org_a, Role.CASEWORKER, supervisor=True)


@pytest.fixture
def org_c(baia_mare):
    return make_org(baia_mare, "ong-third", "Asociația a Treia", kind=OrganisationKind.NGO)


@pytest.fixture
def caseworker_c(org_c, baia_mare):
    return make_user("cw_c", baia_mare, org_c, Role.CASEWORKER)


@pytest.fixture
def sent_referral(caseworker_a, case_a, service_b, consent_for_b):
    from carenet.referrals import services

    return services.referral_create(
        user=caseworker_a,
        case=case_a,
        service=service_b,
        reason="Are nevoie de un loc în centrul de zi.",
        urgency="urgent",
        share_identity=True,
        share_contact=True,
        share_inquiry=True,
        send=True,
    )
