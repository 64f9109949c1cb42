"""The closed loop between a Baia Mare DAS centre (provider A) and an NGO (provider B)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from carenet.audit.models import AuditEvent
from carenet.cases.models import CaseEvent
from carenet.directory.models import Service
from carenet.referrals import services
from carenet.referrals.models import Notification, Referral, ReferralEvent, ReferralStatus


def _audit_actions(referral):
    return list(
        AuditEvent.objects.filter(object_type="referrals.referral", object_id=str(referral.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_whole_loop_between_a_das_centre_and_an_ngo(
    client, django_capture_on_commit_callbacks, caseworker_a, caseworker_b, case_a, service_b, consent_for_b, person_a
):
    # The DAS centre sends, sharing identity, contact and the inquiry, under the person's consent.
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_create(
            actor=caseworker_a,
            case=case_a,
            service=service_b,
            reason="Are nevoie de un loc în centrul de zi.",
            urgency="urgent",
            share_identity=True,
            share_contact=True,
            send=True,
        )
    assert referral.status == ReferralStatus.SENT
    assert referral.basis == "consent" and referral.consent_id == consent_for_b.pk
    assert referral.respond_by is not None
    assert Notification.objects.for_tenant(referral.municipality_id).filter(recipient=caseworker_b).count() == 1
    assert [m.to for m in mail.outbox] == [[caseworker_b.email]]

    # The NGO sees the shared data and the person while the referral is open; opening it marks it received.
    client.force_login(caseworker_b)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert person_a.full_name in page and "0722000111" in page
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    assert client.get(f"/people/{person_a.pk}/").status_code == 200

    # Accept (one place taken), start, complete with an outcome.
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_accept(actor=caseworker_b, referral=referral)
    service_b.refresh_from_db()
    assert service_b.places_available == 1
    services.referral_start(actor=caseworker_b, referral=referral)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_complete(
            actor=caseworker_b, referral=referral, outcome="goals_met", feedback="A frecventat centrul 3 luni."
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.closed_at is not None

    # The sender sees the outcome (referral page, case timeline, notification, e-mail).
    client.force_login(caseworker_a)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "A frecventat centrul 3 luni." in page
    kinds = set(CaseEvent.objects.for_tenant(case_a.municipality_id).filter(case=case_a).values_list("kind", flat=True))
    assert {"referral_send", "referral_receive", "referral_accept", "referral_start", "referral_complete"} <= kinds
    assert (
        Notification.objects.for_tenant(case_a.municipality_id).filter(recipient=caseworker_a, kind="complete").exists()
    )
    assert any(caseworker_a.email in m.to for m in mail.outbox)

    # The receiver loses access to the shared data and to the person after completion.
    client.force_login(caseworker_b)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "0722000111" not in page and person_a.full_name not in page
    assert 'id="shared-closed"' in page
    assert client.get(f"/people/{person_a.pk}/").status_code == 404

    # Every step audited, on the referral's own timeline too.
    actions = _audit_actions(referral)
    for action in ("create", "send", "receive", "accept", "start", "complete"):
        assert f"referral.{action}" in actions
    assert "referral.view" in actions  # the receiver's reading of the shared dossier
    assert ReferralEvent.objects.for_tenant(referral.municipality_id).filter(referral=referral).count() == 6


def test_the_receivers_own_case_stays_after_the_referral_closes(client, caseworker_b, sent_referral, person_a):
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    case = services.referral_open_case(actor=caseworker_b, referral=sent_referral)
    services.referral_complete(actor=caseworker_b, referral=sent_referral, outcome="partly_met", feedback="Ok.")
    client.force_login(caseworker_b)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/people/{person_a.pk}/").status_code == 200


def test_a_referral_without_consent_or_legal_basis_is_refused(caseworker_a, case_a, service_b):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x", send=True)
    assert "override_reason" in exc.value.message_dict
    assert not Referral.objects.for_tenant(case_a.municipality_id).exists()  # nothing half-saved


def test_a_consent_for_another_provider_does_not_allow_sharing(caseworker_a, case_a, service_b, person_a, org_a):
    from carenet.people import services as people_services

    people_services.consent_record(
        actor=caseworker_a, person=person_a, purpose="referral", given_on=datetime.date.today(), scope=[org_a]
    )
    with pytest.raises(ValidationError):
        services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x", send=True)


def test_a_withdrawn_consent_no_longer_allows_sharing(caseworker_a, case_a, service_b, consent_for_b):
    from carenet.people import services as people_services

    people_services.consent_withdraw(actor=caseworker_a, consent=consent_for_b, withdrawn_on=datetime.date.today())
    with pytest.raises(ValidationError):
        services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x", send=True)


def test_the_legal_basis_recorded_on_the_case_allows_sharing(caseworker_a, case_a, service_b):
    from carenet.cases import services as case_services

    case_services.case_update(
        actor=caseworker_a, case=case_a, expected_version=case_a.version, legal_basis="Legea 272/2004, art. 96"
    )
    referral = services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x", send=True)
    assert referral.basis == "legal" and referral.legal_basis == "Legea 272/2004, art. 96"


def test_the_emergency_override_is_refused_to_a_caseworker(caseworker_a, case_a, service_b):
    with pytest.raises(PermissionDenied):
        services.referral_create(
            actor=caseworker_a, case=case_a, service=service_b, reason="x", send=True, override_reason="Pericol iminent"
        )
    assert not Referral.objects.for_tenant(case_a.municipality_id).exists()


def test_a_supervisor_may_override_in_an_emergency_and_it_is_audited_and_flagged(supervisor_a, case_a, service_b):
    referral = services.referral_create(
        actor=supervisor_a, case=case_a, service=service_b, reason="x", send=True, override_reason="Pericol iminent"
    )
    assert referral.status == ReferralStatus.SENT
    assert referral.emergency_override and referral.basis == "emergency" and referral.override_by == supervisor_a
    override = AuditEvent.objects.get(action="referral.emergency_override", object_id=str(referral.pk))
    assert override.actor == supervisor_a and override.changes["emergency_override"] is True


def test_acceptance_decrements_the_places_and_never_below_zero(
    caseworker_a, caseworker_b, case_a, service_b, consent_for_b
):
    Service.objects.for_tenant(service_b.municipality_id).filter(pk=service_b.pk).update(places_available=1)
    first = services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="a", send=True)
    second = services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="b", send=True)
    services.referral_accept(actor=caseworker_b, referral=first)
    with translation.override("ro"), pytest.raises(ValidationError) as exc:
        services.referral_accept(actor=caseworker_b, referral=second)
    assert "nu are niciun loc liber" in " ".join(exc.value.messages)
    service_b.refresh_from_db()
    assert service_b.places_available == 0
    second.refresh_from_db()
    assert second.status == ReferralStatus.SENT  # nothing changed


def test_a_cancelled_accepted_referral_frees_its_place(caseworker_a, caseworker_b, sent_referral, service_b):
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    services.referral_cancel(actor=caseworker_a, referral=sent_referral, reason="Persoana s-a mutat.")
    service_b.refresh_from_db()
    assert service_b.places_available == 2


def test_declining_needs_a_reason_and_may_suggest_an_alternative(caseworker_b, sent_referral, baia_mare, org_c):
    with pytest.raises(ValidationError):
        services.referral_decline(actor=caseworker_b, referral=sent_referral, reason=" ")
    other = Service.objects.create(municipality=baia_mare, organisation=org_c, name="Adăpost de noapte")
    services.referral_decline(
        actor=caseworker_b, referral=sent_referral, reason="Nu avem locuri.", suggested_service=other
    )
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.DECLINED and sent_referral.suggested_service == other
    assert sent_referral.responded_at is not None


def test_completing_needs_an_outcome_and_feedback(caseworker_b, sent_referral):
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    with pytest.raises(ValidationError):
        services.referral_complete(actor=caseworker_b, referral=sent_referral, outcome="", feedback="x")
    with pytest.raises(ValidationError):
        services.referral_complete(actor=caseworker_b, referral=sent_referral, outcome="goals_met", feedback="")


def test_the_sender_cannot_accept_its_own_referral(caseworker_a, sent_referral):
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=caseworker_a, referral=sent_referral)


def test_a_referral_cannot_be_answered_twice(caseworker_b, manager_b, sent_referral):
    stale = Referral.objects.for_tenant(sent_referral.municipality_id).get(pk=sent_referral.pk)
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    with pytest.raises(ValidationError):
        services.referral_decline(actor=manager_b, referral=stale, reason="Nu.")


def test_a_referral_to_the_senders_own_service_is_refused(caseworker_a, case_a, baia_mare, org_a):
    own = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina socială")
    with pytest.raises(ValidationError) as exc:
        services.referral_create(actor=caseworker_a, case=case_a, service=own, reason="x")
    assert "service" in exc.value.message_dict


def test_a_draft_is_sent_later_and_invisible_to_the_receiver_until_then(
    client, caseworker_a, caseworker_b, case_a, service_b, consent_for_b
):
    draft = services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x")
    client.force_login(caseworker_b)
    assert client.get(f"/referrals/{draft.pk}/").status_code == 404
    client.force_login(caseworker_a)
    response = client.post(f"/referrals/{draft.pk}/send/", {"override_reason": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.SENT
    client.force_login(caseworker_b)
    assert client.get(f"/referrals/{draft.pk}/").status_code == 200
