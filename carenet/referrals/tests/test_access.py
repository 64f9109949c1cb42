"""Who reaches a referral: the two providers (the receiver only while open), not a third one, not Bălți."""

import pytest
from django.urls import reverse

from carenet.referrals import services
from carenet.referrals.models import Referral


def test_a_balti_user_gets_404_for_a_baia_mare_referral(client, other_tenant_user, sent_referral):
    client.force_login(other_tenant_user)
    assert client.get(f"/referrals/{sent_referral.pk}/").status_code == 404
    assert client.post(f"/referrals/{sent_referral.pk}/accept/").status_code == 404
    for box in ("received", "sent", "overdue"):
        assert sent_referral.reference not in client.get(f"/referrals/?list={box}").content.decode()


def test_a_third_provider_cannot_see_the_referral_nor_the_person(client, caseworker_c, sent_referral, person_a):
    client.force_login(caseworker_c)
    assert client.get(f"/referrals/{sent_referral.pk}/").status_code == 404
    assert client.post(f"/referrals/{sent_referral.pk}/accept/").status_code == 404
    assert client.get(f"/people/{person_a.pk}/").status_code == 404
    for box in ("received", "sent", "overdue"):
        assert sent_referral.reference not in client.get(f"/referrals/?list={box}").content.decode()


def test_the_receiver_cannot_do_the_senders_steps_and_vice_versa(client, caseworker_a, caseworker_b, sent_referral):
    client.force_login(caseworker_b)
    assert client.post(f"/referrals/{sent_referral.pk}/cancel/", {"cancel-reason": "x"}).status_code == 403
    client.force_login(caseworker_a)
    assert client.post(f"/referrals/{sent_referral.pk}/accept/").status_code == 403
    sent_referral.refresh_from_db()
    assert sent_referral.status == "sent"


def test_the_receiver_sees_only_what_was_shared(
    client, caseworker_b, caseworker_a, case_a, service_b, consent_for_b, person_a
):
    from carenet.people import services as people_services

    people_services.sensitive_update(actor=caseworker_a, person=person_a, health_notes="Diabet de tip 2")
    referral = services.referral_create(
        actor=caseworker_a,
        case=case_a,
        service=service_b,
        reason="x",
        share_identity=True,
        share_contact=False,
        send=True,
    )
    client.force_login(caseworker_b)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert person_a.full_name in page
    assert "0722000111" not in page and "Victoriei" not in page
    assert "Diabet" not in page
    # Without identity and contact shared, the person's registry page stays closed.
    assert client.get(f"/people/{person_a.pk}/").status_code == 404


def test_special_category_data_reaches_the_receiver_only_if_shared(
    client, caseworker_a, caseworker_b, case_a, service_b, consent_for_b, person_a
):
    from carenet.people import services as people_services

    people_services.sensitive_update(actor=caseworker_a, person=person_a, health_notes="Diabet de tip 2")
    referral = services.referral_create(
        actor=caseworker_a, case=case_a, service=service_b, reason="x", share_contact=True, send=True
    )
    client.force_login(caseworker_b)
    page = client.get(f"/people/{person_a.pk}/?purpose=referral").content.decode()
    assert person_a.full_name in page and "Diabet" not in page
    services.referral_cancel(actor=caseworker_a, referral=referral, reason="Greșit.")
    shared = services.referral_create(
        actor=caseworker_a,
        case=case_a,
        service=service_b,
        reason="x",
        share_contact=True,
        share_special=True,
        send=True,
    )
    assert "Diabet" in client.get(f"/referrals/{shared.pk}/").content.decode()
    assert "Diabet" in client.get(f"/people/{person_a.pk}/?purpose=referral").content.decode()


def test_a_coordinator_sees_the_outline_but_not_the_shared_dossier(client, coordinator, sent_referral, person_a):
    client.force_login(coordinator)
    page = client.get(f"/referrals/{sent_referral.pk}/").content.decode()
    assert sent_referral.reference in page
    assert "0722000111" not in page


def test_a_citizen_reaches_nothing(client, citizen, sent_referral):
    client.force_login(citizen)
    assert client.get(f"/referrals/{sent_referral.pk}/").status_code == 404
    assert client.get("/referrals/").status_code == 403


def test_the_received_list_shows_the_referral_to_the_receiver_only(
    client, caseworker_b, caseworker_a, sent_referral, django_assert_max_num_queries
):
    client.force_login(caseworker_b)
    with django_assert_max_num_queries(20):
        page = client.get("/referrals/?list=received").content.decode()
    assert sent_referral.reference in page
    client.force_login(caseworker_a)
    assert sent_referral.reference not in client.get("/referrals/?list=received").content.decode()
    assert sent_referral.reference in client.get("/referrals/?list=sent").content.decode()


def test_list_pages_do_not_grow_queries_with_referrals(
    client, caseworker_a, case_a, service_b, consent_for_b, django_assert_max_num_queries
):
    for i in range(15):
        services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason=f"r{i}", send=True)
    client.force_login(caseworker_a)
    for box in ("sent", "received", "overdue"):
        with django_assert_max_num_queries(20):
            assert client.get(f"/referrals/?list={box}").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/referrals/figures/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/referrals/notifications/").status_code == 200


def test_a_shared_document_is_served_only_while_open(
    client, caseworker_a, caseworker_b, case_a, service_b, consent_for_b, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from carenet.cases.models import CaseDocument

    settings.MEDIA_ROOT = tmp_path
    doc = CaseDocument.objects.create(
        municipality=case_a.municipality,
        case=case_a,
        kind="inquiry",
        title="Ancheta socială semnată",
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
    )
    referral = services.referral_create(
        actor=caseworker_a, case=case_a, service=service_b, reason="x", documents=[doc], send=True
    )
    client.force_login(caseworker_b)
    assert client.get(f"/referrals/{referral.pk}/documents/{doc.pk}/").status_code == 200
    assert client.get(f"/cases/{case_a.pk}/documents/{doc.pk}/").status_code == 404
    services.referral_cancel(actor=caseworker_a, referral=referral, reason="x")
    assert client.get(f"/referrals/{referral.pk}/documents/{doc.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("method", "path"), [("get", ""), ("post", "accept/"), ("get", "documents/00000000-0000-0000-0000-000000000000/")]
)
def test_an_unknown_referral_id_is_404(client, caseworker_b, method, path, db):
    client.force_login(caseworker_b)
    assert getattr(client, method)(f"/referrals/00000000-0000-0000-0000-000000000000/{path}").status_code == 404
    assert not Referral.objects.all_tenants().exists()


def test_the_receiver_reads_but_cannot_change_the_persons_record(client, caseworker_b, sent_referral, person_a):
    from django.core.exceptions import PermissionDenied

    from carenet.people import services as people_services

    client.force_login(caseworker_b)
    assert client.get(f"/people/{person_a.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        people_services.person_update(actor=caseworker_b, person=person_a, phone="0700")
    # Its own case opened from the referral follows the referral (decision 0013): it still shares, never owns.
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    services.referral_open_case(actor=caseworker_b, referral=sent_referral)
    person_a.refresh_from_db()
    with pytest.raises(PermissionDenied):
        people_services.person_update(actor=caseworker_b, person=person_a, phone="0700")
    assert client.get(f"/people/{person_a.pk}/edit/").status_code == 403


# --- each refusal, with its one status code (docs/architecture.md §3) ---------------------------------


@pytest.mark.parametrize("step", ["accept/", "decline/", "start/", "complete/", "cancel/", "open-case/", "send/"])
def test_a_step_is_404_for_another_provider_and_the_other_municipality(
    client, caseworker_c, other_tenant_user, sent_referral, step
):
    for user in (caseworker_c, other_tenant_user):
        client.force_login(user)
        assert client.post(f"/referrals/{sent_referral.pk}/{step}").status_code == 404
    sent_referral.refresh_from_db()
    assert sent_referral.status == "sent"


def test_a_coordinator_sees_the_referral_but_gets_403_for_its_steps_and_its_dossier(client, coordinator, sent_referral):
    """The lower role for a referral: the coordinator sees its outline, but neither answers nor reads what was shared."""
    client.force_login(coordinator)
    assert client.get(f"/referrals/{sent_referral.pk}/").status_code == 200
    assert client.post(f"/referrals/{sent_referral.pk}/accept/").status_code == 403
    assert client.post(f"/referrals/{sent_referral.pk}/cancel/", {"cancel-reason": "x"}).status_code == 403
    sent_referral.refresh_from_db()
    assert sent_referral.status == "sent"


def test_the_case_of_another_provider_cannot_be_referred_nor_transferred(
    client, caseworker_b, caseworker_c, other_tenant_user, case_a, sent_referral
):
    """Provider B sees the case's person through the referral, never the case: 404, as for a third provider."""
    for user in (caseworker_b, caseworker_c, other_tenant_user):
        client.force_login(user)
        assert client.get(f"/referrals/new/{case_a.pk}/").status_code == 404
        assert client.get(f"/referrals/transfer/{case_a.pk}/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, sent_referral, case_a):
    for url in (
        "/referrals/",
        "/referrals/figures/",
        "/referrals/new/",
        f"/referrals/new/{case_a.pk}/",
        f"/referrals/transfer/{case_a.pk}/",
        f"/referrals/{sent_referral.pk}/",
        "/referrals/notifications/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    assert client.post(f"/referrals/{sent_referral.pk}/accept/").status_code == 302
    sent_referral.refresh_from_db()
    assert sent_referral.status == "sent"
