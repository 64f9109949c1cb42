"""Merging two records of one person moves everything of the merged record to the survivor, atomically.

People cannot import cases or referrals: those layers plug their part of the merge in through
``carenet.people.hooks`` (decision 0009).
"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from carenet.audit.models import AuditEvent
from carenet.cases import services as case_services
from carenet.cases.models import Case, CaseEvent, ServiceDelivery
from carenet.directory.models import Service
from carenet.people import hooks
from carenet.people import services as people_services
from carenet.people.models import Consent, Person
from carenet.people.tests.conftest import make_person
from carenet.referrals import services
from carenet.referrals.models import ReferralEvent

TODAY = datetime.date.today()


@pytest.fixture
def duplicate(baia_mare, org_a):
    """The same man registered a second time, in Cyrillic, with his phone number."""
    return make_person(baia_mare, org_a, first="Штефан", last="Мунтяну", phone="0744000222")


@pytest.fixture
def duplicates_referral(caseworker_a, duplicate, service_b, org_a, org_b):
    """An open referral (and its case, and a delivery) recorded on the duplicate record."""
    case = case_services.case_open(
        actor=caseworker_a, person=duplicate, organisation=org_a, channel="in_person", request_summary="Hrană"
    )
    people_services.consent_record(
        actor=caseworker_a, person=duplicate, purpose="referral", given_on=TODAY, scope=[org_b], organisation=org_a
    )
    case_services.delivery_record(
        actor=caseworker_a,
        person=duplicate,
        service=Service.objects.create(municipality=duplicate.municipality, organisation=org_a, name="Consiliere"),
        delivered_on=TODAY,
        case=case,
    )
    return services.referral_create(
        actor=caseworker_a, case=case, service=service_b, reason="x", share_contact=True, send=True
    )


def _merge_page(client, user, survivor, duplicate):
    client.force_login(user)
    return client.post(f"/people/{survivor.pk}/merge/", {"duplicate": str(duplicate.pk), "reason": "același CNP"})


def test_merging_two_records_moves_the_referrals_of_the_merged_record_to_the_survivor(
    client, coordinator, caseworker_b, person_a, duplicate, duplicates_referral
):
    tenant = person_a.municipality_id
    case = duplicates_referral.case
    assert _merge_page(client, coordinator, person_a, duplicate).status_code == 302

    duplicates_referral.refresh_from_db()
    case.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == person_a
    assert duplicates_referral.person == person_a and case.person == person_a
    assert not ServiceDelivery.objects.for_tenant(tenant).filter(person=duplicate).exists()
    assert ServiceDelivery.objects.for_tenant(tenant).filter(person=person_a, case=case).count() == 1
    assert Consent.objects.for_tenant(tenant).get(pk=duplicates_referral.consent_id).person == person_a

    # Each moved record says so on its own timeline and in the audit; the merge counts them all.
    assert ReferralEvent.objects.for_tenant(tenant).filter(referral=duplicates_referral, kind="person_merge").exists()
    assert CaseEvent.objects.for_tenant(tenant).filter(case=case, kind="person_merge").exists()
    assert AuditEvent.objects.filter(action="referral.person_merge", object_id=str(duplicates_referral.pk)).exists()
    assert AuditEvent.objects.filter(action="case.person_merge", object_id=str(case.pk)).exists()
    moved = AuditEvent.objects.get(action="person.merge", object_id=str(person_a.pk)).changes["moved"]
    assert moved["referrals.referral"] == 1 and moved["cases.case"] == 1 and moved["cases.servicedelivery"] == 1

    # The receiver of the open referral now reaches the kept record, and the survivor's page lists the referral.
    client.force_login(caseworker_b)
    assert client.get(f"/people/{person_a.pk}/").status_code == 200
    assert client.get(f"/people/{duplicate.pk}/").status_code == 404
    client.force_login(coordinator)
    assert duplicates_referral.reference in client.get(f"/people/{person_a.pk}/").content.decode()


def test_a_withdrawal_after_the_merge_still_stops_the_moved_referral(
    coordinator, caseworker_a, person_a, duplicate, duplicates_referral
):
    people_services.person_merge(actor=coordinator, survivor=person_a, duplicate=duplicate, reason="același CNP")
    consent = Consent.objects.for_tenant(person_a.municipality_id).get(pk=duplicates_referral.consent_id)
    people_services.consent_withdraw(actor=caseworker_a, consent=consent, withdrawn_on=TODAY)
    duplicates_referral.refresh_from_db()
    assert duplicates_referral.status == "cancelled"


def test_a_caseworker_of_another_provider_and_the_other_municipality_cannot_merge(
    client, caseworker_b, other_tenant_user, person_a, duplicate, duplicates_referral
):
    # Neither sees the kept record (provider B reaches only the duplicate, through its referral): 404.
    assert _merge_page(client, caseworker_b, person_a, duplicate).status_code == 404
    assert _merge_page(client, other_tenant_user, person_a, duplicate).status_code == 404
    for user in (caseworker_b, other_tenant_user):
        with pytest.raises(PermissionDenied):
            people_services.person_merge(actor=user, survivor=person_a, duplicate=duplicate, reason="x")
    duplicate.refresh_from_db()
    duplicates_referral.refresh_from_db()
    assert duplicate.merged_into is None and duplicates_referral.person == duplicate
    assert not AuditEvent.objects.filter(action="person.merge").exists()


def _nothing_moved(person_a, duplicate, referral):
    tenant = person_a.municipality_id
    duplicate.refresh_from_db()
    referral.refresh_from_db()
    assert duplicate.merged_into is None
    assert referral.person == duplicate
    assert Case.objects.for_tenant(tenant).get(pk=referral.case_id).person == duplicate
    assert ServiceDelivery.objects.for_tenant(tenant).filter(person=duplicate).count() == 1
    assert Consent.objects.for_tenant(tenant).filter(person=duplicate).count() == 1
    assert not ReferralEvent.objects.for_tenant(tenant).filter(kind="person_merge").exists()
    assert not AuditEvent.objects.filter(action__in=("person.merge", "referral.person_merge")).exists()


def test_nothing_is_half_merged_if_a_handler_fails(coordinator, person_a, duplicate, duplicates_referral, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(hooks, "_merge_handlers", [*hooks._merge_handlers, broken])
    with pytest.raises(RuntimeError):
        people_services.person_merge(actor=coordinator, survivor=person_a, duplicate=duplicate, reason="x")
    _nothing_moved(person_a, duplicate, duplicates_referral)


def test_a_record_no_handler_moves_fails_the_merge_instead_of_leaving_it_behind(
    coordinator, person_a, duplicate, duplicates_referral, monkeypatch
):
    monkeypatch.setattr(
        hooks, "_merge_handlers", [h for h in hooks._merge_handlers if h is not services.person_merge_move]
    )
    with pytest.raises(ImproperlyConfigured, match=r"referrals\.referral\.person"):
        people_services.person_merge(actor=coordinator, survivor=person_a, duplicate=duplicate, reason="x")
    _nothing_moved(person_a, duplicate, duplicates_referral)


def test_special_category_data_of_the_duplicate_fills_the_survivors_gaps(
    coordinator, caseworker_a, person_a, duplicate
):
    people_services.sensitive_update(actor=caseworker_a, person=person_a, ethnicity="română")
    people_services.sensitive_update(
        actor=caseworker_a, person=duplicate, ethnicity="moldovenească", health_notes="Diabet de tip 2"
    )
    people_services.person_merge(actor=coordinator, survivor=person_a, duplicate=duplicate, reason="x")
    profile = Person.objects.for_tenant(person_a.municipality_id).get(pk=person_a.pk).sensitive
    assert profile.ethnicity == "română" and profile.health_notes == "Diabet de tip 2"


def test_a_record_merged_earlier_into_the_duplicate_now_points_at_the_survivor(
    coordinator, person_a, duplicate, baia_mare, org_a
):
    older = make_person(baia_mare, org_a, first="Stefan", last="Munteanu")
    people_services.person_merge(actor=coordinator, survivor=duplicate, duplicate=older, reason="x")
    people_services.person_merge(actor=coordinator, survivor=person_a, duplicate=duplicate, reason="x")
    older.refresh_from_db()
    assert older.merged_into == person_a
