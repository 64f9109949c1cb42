import datetime

import pytest

from carenet.core.models import OrganisationKind
from carenet.core.roles import Role
from carenet.people import services as people_services
from carenet.testing.factories import ServiceFactory, make_org, make_user


@pytest.fixture
def person_a(person_a):
    """The shared person_a, with the phone number a referral shares with the receiver."""
    person_a.phone = "0722000111"
    person_a.save(update_fields=["phone"])
    return person_a


@pytest.fixture
def service_b(org_b):
    """A service of the NGO (provider B) with two places left (the shared person_a and case_a are referred)."""
    return ServiceFactory(organisation=org_b, name="Centru de zi pentru adulți", places_total=10, places_available=2)


@pytest.fixture
def consent_for_b(caseworker_a, person_a, org_b, org_a):
    return people_services.consent_record(
        actor=caseworker_a,
        person=person_a,
        purpose="referral",
        given_on=datetime.date.today() - datetime.timedelta(days=1),
        scope=[org_b],
        organisation=org_a,
    )


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
        actor=caseworker_a,
        case=case_a,
        service=service_b,
        reason="Are nevoie de un loc în centrul de zi.",
        urgency="urgent",
        share_identity=True,
        share_contact=True,
        share_inquiry=True,
        send=True,
    )
