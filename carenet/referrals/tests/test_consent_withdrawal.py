"""A consent withdrawn after a referral was sent stops that referral's sharing at once (GDPR art. 7(3)).

Decision 0009: the referral that relied on the consent is cancelled (a closed state: the receiver
keeps the outline, loses the shared dossier and the person's page); legal-basis and emergency
referrals do not rest on a consent and keep sharing.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from carenet.audit.models import AuditEvent
from carenet.cases import services as case_services
from carenet.cases.models import CaseDocument, CaseEvent
from carenet.directory.models import Service
from carenet.people import services as people_services
from carenet.people.models import Consent
from carenet.referrals import services
from carenet.referrals.models import Notification, ReferralEvent, ReferralStatus
from carenet.referrals.services import people_hooks, sharing

TODAY = datetime.date.today()


def _withdraw_through_the_page(client, user, consent):
    client.force_login(user)
    return client.post(
        f"/people/{consent.person_id}/consents/{consent.pk}/withdraw/", {"withdrawn_on": TODAY.isoformat()}
    )


def test_after_the_person_withdraws_consent_the_receiving_caseworker_can_no_longer_open_the_shared_referral(
    client, caseworker_a, caseworker_b, case_a, service_b, consent_for_b, person_a, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    doc = CaseDocument.objects.create(
        municipality=case_a.municipality,
        case=case_a,
        kind="inquiry",
        title="Ancheta socială semnată",
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
    )
    referral = services.referral_create(
        actor=caseworker_a,
        case=case_a,
        service=service_b,
        reason="Loc în centrul de zi",
        share_identity=True,
        share_contact=True,
        documents=[doc],
        send=True,
    )
    client.force_login(caseworker_b)
    assert "0722000111" in client.get(f"/referrals/{referral.pk}/").content.decode()
    assert client.get(f"/people/{person_a.pk}/").status_code == 200

    assert _withdraw_through_the_page(client, caseworker_a, consent_for_b).status_code == 302

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    assert TODAY.isoformat() in referral.cancel_reason  # why, in the words of the withdrawing user's language
    client.force_login(caseworker_b)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'id="shared-closed"' in page
    assert "0722000111" not in page and person_a.full_name not in page
    # The same refusals as after a completed referral.
    assert client.get(f"/people/{person_a.pk}/").status_code == 404
    assert client.get(f"/referrals/{referral.pk}/documents/{doc.pk}/").status_code == 403
    api = APIClient()
    api.force_authenticate(caseworker_b)
    assert api.get(f"/api/v1/referrals/{referral.pk}/").json()["shared_data"] is None
    # The receiver can no longer act on it.
    assert client.post(f"/referrals/{referral.pk}/accept/").status_code == 403


def test_both_providers_see_why_on_their_timelines_are_notified_and_the_step_is_audited(
    client, django_capture_on_commit_callbacks, coordinator, caseworker_a, caseworker_b, sent_referral, case_a
):
    consent = sent_referral.consent
    with django_capture_on_commit_callbacks(execute=True):
        people_services.consent_withdraw(actor=coordinator, consent=consent, withdrawn_on=TODAY)
    tenant = sent_referral.municipality_id

    assert ReferralEvent.objects.for_tenant(tenant).filter(referral=sent_referral, kind="consent_withdrawn").exists()
    assert CaseEvent.objects.for_tenant(tenant).filter(case=case_a, kind="referral_consent_withdrawn").exists()
    for user in (caseworker_a, caseworker_b):
        client.force_login(user)
        page = client.get(f"/referrals/{sent_referral.pk}/").content.decode()
        assert "Persoana și-a retras consimțământul: partajarea a încetat, trimiterea a fost anulată" in page
        note = Notification.objects.for_tenant(tenant).get(recipient=user, kind="consent_withdrawn")
        assert sent_referral.reference in note.message and note.referral_id == sent_referral.pk
        assert sent_referral.reference in client.get("/referrals/notifications/").content.decode()
    assert {caseworker_a.email, caseworker_b.email} <= {address for m in mail.outbox for address in m.to}

    audit = AuditEvent.objects.get(action="referral.consent_withdrawn", object_id=str(sent_referral.pk))
    assert audit.changes["consent"] == str(consent.pk) and audit.changes["sharing_stopped"] is True
    assert AuditEvent.objects.filter(action="consent.withdraw", object_id=str(sent_referral.person_id)).exists()


def test_the_caseworker_who_records_the_withdrawal_is_not_notified_but_the_receiver_is(
    caseworker_a, caseworker_b, sent_referral
):
    people_services.consent_withdraw(actor=caseworker_a, consent=sent_referral.consent, withdrawn_on=TODAY)
    notes = Notification.objects.for_tenant(sent_referral.municipality_id).filter(kind="consent_withdrawn")
    assert list(notes.values_list("recipient_id", flat=True)) == [caseworker_b.pk]


def test_an_accepted_referral_gives_its_place_back_when_the_consent_is_withdrawn(
    caseworker_a, caseworker_b, sent_referral, service_b
):
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    services.referral_start(actor=caseworker_b, referral=sent_referral)
    service_b.refresh_from_db()
    assert service_b.places_available == 1
    people_services.consent_withdraw(actor=caseworker_a, consent=sent_referral.consent, withdrawn_on=TODAY)
    service_b.refresh_from_db()
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.CANCELLED and not sent_referral.place_taken
    assert service_b.places_available == 2


def test_a_referral_based_on_legal_obligation_keeps_sharing_after_a_consent_withdrawal(
    client, caseworker_a, caseworker_b, case_a, service_b, person_a, org_a, org_b
):
    case_services.case_update(
        actor=caseworker_a, case=case_a, expected_version=case_a.version, legal_basis="Legea 272/2004, art. 96"
    )
    referral = services.referral_create(
        actor=caseworker_a, case=case_a, service=service_b, reason="x", share_contact=True, send=True
    )
    consent = people_services.consent_record(
        actor=caseworker_a, person=person_a, purpose="referral", given_on=TODAY, scope=[org_b], organisation=org_a
    )
    people_services.consent_withdraw(actor=caseworker_a, consent=consent, withdrawn_on=TODAY)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.basis == "legal" and referral.legal_basis == "Legea 272/2004, art. 96"
    client.force_login(caseworker_b)
    assert "0722000111" in client.get(f"/referrals/{referral.pk}/").content.decode()
    assert client.get(f"/people/{person_a.pk}/").status_code == 200


def test_an_emergency_referral_keeps_sharing_and_its_flag_after_a_consent_withdrawal(
    client, supervisor_a, caseworker_a, caseworker_b, case_a, service_b, person_a, org_a, org_b
):
    referral = services.referral_create(
        actor=supervisor_a,
        case=case_a,
        service=service_b,
        reason="x",
        share_contact=True,
        send=True,
        override_reason="Pericol iminent",
    )
    consent = people_services.consent_record(
        actor=caseworker_a, person=person_a, purpose="sharing", given_on=TODAY, scope=[org_b], organisation=org_a
    )
    people_services.consent_withdraw(actor=caseworker_a, consent=consent, withdrawn_on=TODAY)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.basis == "emergency" and referral.emergency_override is True
    client.force_login(caseworker_b)
    assert "0722000111" in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_only_the_referrals_that_relied_on_the_withdrawn_consent_stop(
    caseworker_a, case_a, sent_referral, person_a, org_a, org_c, baia_mare
):
    service_c = Service.objects.create(municipality=baia_mare, organisation=org_c, name="Cantina socială")
    people_services.consent_record(
        actor=caseworker_a, person=person_a, purpose="referral", given_on=TODAY, scope=[org_c], organisation=org_a
    )
    to_c = services.referral_create(actor=caseworker_a, case=case_a, service=service_c, reason="x", send=True)
    assert to_c.basis == "consent" and to_c.consent_id != sent_referral.consent_id

    people_services.consent_withdraw(actor=caseworker_a, consent=sent_referral.consent, withdrawn_on=TODAY)

    sent_referral.refresh_from_db()
    to_c.refresh_from_db()
    assert sent_referral.status == ReferralStatus.CANCELLED
    assert to_c.status == ReferralStatus.SENT


def test_a_closed_referral_is_left_as_it_was(caseworker_a, caseworker_b, sent_referral):
    services.referral_decline(actor=caseworker_b, referral=sent_referral, reason="Nu avem loc")
    people_services.consent_withdraw(actor=caseworker_a, consent=sent_referral.consent, withdrawn_on=TODAY)
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.DECLINED
    assert not ReferralEvent.objects.for_tenant(sent_referral.municipality_id).filter(kind="consent_withdrawn")


def test_a_referral_cannot_be_sent_on_a_consent_withdrawn_meanwhile(
    caseworker_a, case_a, service_b, consent_for_b, monkeypatch
):
    """The sending read the consent as active just before the withdrawal was saved."""
    draft = services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x")
    people_services.consent_withdraw(actor=caseworker_a, consent=consent_for_b, withdrawn_on=TODAY)
    monkeypatch.setattr(sharing, "consent_covering", lambda **kwargs: consent_for_b)
    with pytest.raises(ValidationError):
        services.referral_send(actor=caseworker_a, referral=draft)
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.DRAFT and draft.consent_id is None


def test_the_receiving_provider_another_provider_and_the_other_municipality_cannot_withdraw(
    client, caseworker_b, caseworker_c, other_tenant_user, sent_referral
):
    consent = sent_referral.consent
    client.force_login(caseworker_b)  # sees the person through the open referral, may not change the record
    assert _withdraw_through_the_page(client, caseworker_b, consent).status_code == 403
    assert _withdraw_through_the_page(client, caseworker_c, consent).status_code == 404
    assert _withdraw_through_the_page(client, other_tenant_user, consent).status_code == 404
    for user in (caseworker_b, caseworker_c, other_tenant_user):
        with pytest.raises(PermissionDenied):
            people_services.consent_withdraw(actor=user, consent=consent, withdrawn_on=TODAY)
    consent.refresh_from_db()
    sent_referral.refresh_from_db()
    assert consent.withdrawn_on is None
    assert sent_referral.status == ReferralStatus.SENT


def test_a_failure_while_stopping_the_referrals_keeps_the_consent_active(caseworker_a, sent_referral, monkeypatch):
    """One transaction: the withdrawal is not recorded without its consequences."""

    def broken(*args, **kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(people_hooks, "notify", broken)
    with pytest.raises(RuntimeError):
        people_services.consent_withdraw(actor=caseworker_a, consent=sent_referral.consent, withdrawn_on=TODAY)
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.SENT
    assert Consent.objects.for_tenant(sent_referral.municipality_id).get(pk=sent_referral.consent_id).is_active


def test_the_notification_is_written_in_the_receivers_language(caseworker_a, caseworker_b, sent_referral):
    caseworker_b.preferred_language = "ro"
    caseworker_b.save()
    people_services.consent_withdraw(actor=caseworker_a, consent=sent_referral.consent, withdrawn_on=TODAY)
    note = Notification.objects.for_tenant(sent_referral.municipality_id).get(
        recipient=caseworker_b, kind="consent_withdrawn"
    )
    assert "consimțământ" in note.message


def test_the_withdrawal_form_names_the_open_referrals_that_will_stop_before_saving(
    client, caseworker_a, sent_referral, person_a, org_a
):
    client.force_login(caseworker_a)
    page = client.get(f"/people/{person_a.pk}/consents/{sent_referral.consent_id}/withdraw/").content.decode()
    assert 'id="form-consequences"' in page and sent_referral.reference in page
    other = people_services.consent_record(
        actor=caseworker_a, person=person_a, purpose="contact", given_on=TODAY, organisation=org_a
    )
    page = client.get(f"/people/{person_a.pk}/consents/{other.pk}/withdraw/").content.decode()
    assert 'id="form-consequences"' not in page
