"""Issue 26, High 3 and Medium 4: a referral's receiver has no ground of its own (decision 0013).

Opening its own case for the referred person without accepting the referral, or recording one service
delivery, must not give it special-category data or the right to change the record, nor survive the
withdrawal of the consent the referral rests on.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from carenet.cases.models import Case
from carenet.people import services as people_services
from carenet.people.models import SensitiveProfile
from carenet.referrals import services
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

TODAY = datetime.date.today()
HEALTH = "Diabet de tip 2, tratament zilnic"


@pytest.fixture
def special(person_a):
    return SensitiveProfile.objects.create(municipality=person_a.municipality, person=person_a, health_notes=HEALTH)


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _cases_of_b(person, org_b):
    return Case.objects.for_tenant(person.municipality_id).filter(person=person, organisation=org_b)


def test_the_receiver_cannot_open_its_own_case_for_a_referred_person_through_the_page(
    client, caseworker_b, person_a, org_b, sent_referral, special
):
    client.force_login(caseworker_b)
    response = client.post(
        f"/cases/new/{person_a.pk}/",
        {"organisation": str(org_b.pk), "channel": "in_person", "opened_on": TODAY.isoformat()},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "legal_basis" in response.context["form"].errors
    assert not _cases_of_b(person_a, org_b).exists()
    page = client.get(f"/people/{person_a.pk}/?purpose=referral").content.decode()
    assert person_a.full_name in page and HEALTH not in page


def test_the_receiver_cannot_open_its_own_case_for_a_referred_person_through_the_api(
    caseworker_b, person_a, org_b, sent_referral, special
):
    api = _api(caseworker_b)
    response = api.post(
        "/api/v1/cases/", {"person": str(person_a.pk), "organisation": str(org_b.pk), "channel": "in_person"}
    )
    assert response.status_code == 400
    assert "legal_basis" in response.content.decode()
    assert not _cases_of_b(person_a, org_b).exists()
    detail = api.get(f"/api/v1/persons/{person_a.pk}/?purpose=referral").json()
    assert detail["last_name"] == person_a.last_name and "special_category" not in detail


def test_a_case_without_a_ground_gives_nothing(client, caseworker_b, person_a, org_b, sent_referral, special):
    """A case row left by the old hole (opened with no ground) is not a ground: nothing is unlocked, and once the
    consent is withdrawn the person is gone."""
    Case.objects.create(
        municipality=person_a.municipality,
        reference="OLD-1",
        organisation=org_b,
        person=person_a,
        channel="in_person",
        opened_on=TODAY,
    )
    client.force_login(caseworker_b)
    page = client.get(f"/people/{person_a.pk}/?purpose=referral").content.decode()
    assert person_a.full_name in page and HEALTH not in page
    assert client.get(f"/people/{person_a.pk}/edit/").status_code == 403
    assert client.get(f"/people/{person_a.pk}/special-category/").status_code == 403
    consent = sent_referral.consent
    people_services.consent_withdraw(actor=consent.recorded_by, consent=consent, withdrawn_on=TODAY)
    assert client.get(f"/people/{person_a.pk}/").status_code == 404


def test_the_case_opened_from_the_accepted_referral_follows_the_referral_and_stops_with_the_consent(
    client, caseworker_a, caseworker_b, person_a, org_b, sent_referral, special
):
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    case = services.referral_open_case(actor=caseworker_b, referral=sent_referral)
    client.force_login(caseworker_b)
    page = client.get(f"/people/{person_a.pk}/")
    assert page.status_code == 200 and person_a.full_name in page.content.decode()  # its caseload: no reason asked
    assert HEALTH not in page.content.decode()  # the referral did not share special-category data
    assert client.get(f"/people/{person_a.pk}/edit/").status_code == 403
    people_services.consent_withdraw(actor=caseworker_a, consent=sent_referral.consent, withdrawn_on=TODAY)
    assert client.get(f"/people/{person_a.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 200  # its own case stays, the person's record does not


def test_a_case_opened_from_a_referral_sharing_special_data_shows_it_and_completion_keeps_it(
    client, caseworker_a, caseworker_b, case_a, person_a, org_b, service_b, consent_for_b, special
):
    referral = services.referral_create(
        actor=caseworker_a,
        case=case_a,
        service=service_b,
        reason="Îngrijire",
        share_identity=True,
        share_contact=True,
        share_special=True,
        send=True,
    )
    services.referral_accept(actor=caseworker_b, referral=referral)
    services.referral_open_case(actor=caseworker_b, referral=referral)
    services.referral_complete(actor=caseworker_b, referral=referral, outcome="goals_met", feedback="ok")
    client.force_login(caseworker_b)
    assert HEALTH in client.get(f"/people/{person_a.pk}/").content.decode()


def test_the_receiver_opens_a_case_on_its_own_ground_a_legal_basis(
    client, caseworker_b, person_a, org_b, sent_referral, special
):
    client.force_login(caseworker_b)
    response = client.post(
        f"/cases/new/{person_a.pk}/",
        {
            "organisation": str(org_b.pk),
            "channel": "in_person",
            "opened_on": TODAY.isoformat(),
            "legal_basis": "Legea 272/2004, art. 51",
        },
    )
    assert response.status_code == 302
    case = _cases_of_b(person_a, org_b).get()
    assert case.legal_basis == "Legea 272/2004, art. 51"
    from carenet.audit.models import AuditEvent

    assert AuditEvent.objects.get(action="case.open", object_id=str(case.pk)).changes["ground"] == "legal"


def test_a_delivery_is_not_a_sharing_ground(client, caseworker_b, person_a, org_b, service_b, sent_referral, special):
    """Medium 4: POST /api/v1/deliveries/ for a referred person records the act, and unlocks nothing."""
    api = _api(caseworker_b)
    response = api.post(
        "/api/v1/deliveries/",
        {"person": str(person_a.pk), "service": str(service_b.pk), "delivered_on": TODAY.isoformat()},
        format="json",
    )
    assert response.status_code == 201
    detail = api.get(f"/api/v1/persons/{person_a.pk}/?purpose=referral").json()
    assert detail["last_name"] == person_a.last_name and "special_category" not in detail
    client.force_login(caseworker_b)
    page = client.get(f"/people/{person_a.pk}/?purpose=referral").content.decode()
    assert person_a.full_name in page and HEALTH not in page
    assert_refused(client, f"/people/{person_a.pk}/edit/", FORBIDDEN)
    consent = sent_referral.consent
    people_services.consent_withdraw(actor=consent.recorded_by, consent=consent, withdrawn_on=TODAY)
    assert_refused(api, f"/api/v1/persons/{person_a.pk}/", NOT_FOUND)


def test_opening_a_case_is_refused_with_one_status_code_each(
    client, caseworker_c, other_tenant_user, coordinator, person_a, sent_referral
):
    url = f"/cases/new/{person_a.pk}/"
    assert_refused(client, url, LOGIN_REDIRECT)
    client.force_login(caseworker_c)  # another provider: the person is not theirs to see
    assert_refused(client, url, NOT_FOUND)
    client.force_login(other_tenant_user)
    assert_refused(client, url, NOT_FOUND)
    client.force_login(coordinator)  # sees the person, but opens no case (no provider role)
    assert_refused(client, url, FORBIDDEN)


# --- Medium 5: each section of the person's page follows what the viewer's ground shares ----------------


@pytest.fixture
def passport_and_household(person_a, caseworker_a):
    from carenet.people.models import HouseholdMember
    from carenet.testing.factories import make_person

    people_services.identity_document_add(
        actor=caseworker_a, person=person_a, kind="passport", series_number="MD1234567"
    )
    wife = make_person(person_a.municipality, person_a.registered_by_organisation, first="Maria", last="Munteanu")
    people_services.household_add_member(
        actor=caseworker_a, person=person_a, role="head", household=None, household_name="Munteanu"
    )
    household = HouseholdMember.objects.for_tenant(person_a.municipality_id).get(person=person_a).household
    people_services.household_add_member(
        actor=caseworker_a, person=wife, role="spouse", household=household, household_name=""
    )
    return wife


def test_a_referral_sharing_identity_and_contact_shows_neither_documents_nor_household(
    client, caseworker_b, person_a, sent_referral, passport_and_household, english
):
    client.force_login(caseworker_b)
    page = client.get(f"/people/{person_a.pk}/?purpose=referral").content.decode()
    assert person_a.full_name in page and "0722000111" in page  # identity and contact were shared
    assert "MD1234567" not in page
    assert "Maria" not in page and 'id="household-heading"' not in page
    assert 'id="consents-heading"' not in page
    assert "an open referral to your provider" in page  # the ground is named


def test_household_members_the_viewer_cannot_open_are_not_named(
    client, caseworker_a, person_a, person_b, org_a, english
):
    from carenet.people.models import HouseholdMember

    people_services.household_add_member(
        actor=caseworker_a, person=person_a, role="head", household=None, household_name="Munteanu"
    )
    household = HouseholdMember.objects.for_tenant(person_a.municipality_id).get(person=person_a).household
    # Ana Pop, registered by provider B, lives in the same household (recorded by B's staff).
    HouseholdMember.objects.create(
        municipality=person_a.municipality, household=household, person=person_b, role="relative"
    )
    client.force_login(caseworker_a)
    assert client.get(f"/people/{person_b.pk}/").status_code == 404
    page = client.get(f"/people/{person_a.pk}/?purpose=cover").content.decode()
    assert "Ana Pop" not in page and str(person_b.pk) not in page
    assert "a member registered by another provider" in page


def test_recording_a_legal_basis_on_the_receivers_case_is_audited_as_a_ground(
    caseworker_b, person_a, sent_referral, special
):
    from carenet.audit.models import AuditEvent
    from carenet.cases import services as case_services

    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    case = services.referral_open_case(actor=caseworker_b, referral=sent_referral)
    assert AuditEvent.objects.get(action="case.open", object_id=str(case.pk)).changes["ground"] == "referral_case"
    case_services.case_update(
        actor=caseworker_b, case=case, expected_version=case.version, legal_basis="Legea 292/2011, art. 41"
    )
    update = AuditEvent.objects.filter(action="case.update", object_id=str(case.pk)).latest("seq")
    assert update.changes == {"fields": ["legal_basis"], "ground": "legal"}
