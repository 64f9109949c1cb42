"""The pages: choosing a service shows its places; bad input is refused naming the field; nothing half-saved."""

from django.utils import translation

from carenet.referrals.models import Referral, ReferralStatus


def test_the_form_shows_places_available_and_only_other_providers_services(
    client, caseworker_a, case_a, service_b, baia_mare, org_a
):
    from carenet.directory.models import Service

    Service.objects.create(municipality=baia_mare, organisation=org_a, name="Serviciul propriu")
    client.force_login(caseworker_a)
    with translation.override("ro"):
        page = client.get(f"/referrals/new/{case_a.pk}/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "2 locuri libere" in page
    assert "Serviciul propriu" not in page
    assert 'name="override_reason"' not in page  # caseworkers do not get the emergency override


def test_a_supervisor_gets_the_emergency_override_field(client, supervisor_a, case_a, service_b):
    client.force_login(supervisor_a)
    assert 'name="override_reason"' in client.get(f"/referrals/new/{case_a.pk}/").content.decode()


def test_bad_input_names_the_fields_and_saves_nothing(client, caseworker_a, case_a, service_b):
    client.force_login(caseworker_a)
    response = client.post(
        f"/referrals/new/{case_a.pk}/", {"service": "", "reason": "", "urgency": "routine", "send": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_service"' in html and 'href="#id_reason"' in html
    assert not Referral.objects.for_tenant(case_a.municipality_id).exists()


def test_sending_without_consent_shows_the_reason_on_the_form(client, caseworker_a, case_a, service_b):
    client.force_login(caseworker_a)
    response = client.post(
        f"/referrals/new/{case_a.pk}/",
        {"service": service_b.pk, "reason": "x", "urgency": "routine", "share_identity": "on", "send": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "consimțământ" in response.content.decode() or "consent" in response.content.decode()
    assert not Referral.objects.for_tenant(case_a.municipality_id).exists()


def test_the_whole_loop_through_the_pages(client, caseworker_a, caseworker_b, case_a, service_b, consent_for_b):
    client.force_login(caseworker_a)
    response = client.post(
        f"/referrals/new/{case_a.pk}/",
        {
            "service": service_b.pk,
            "reason": "Loc la centru",
            "urgency": "urgent",
            "share_identity": "on",
            "share_contact": "on",
            "send": "1",
        },
    )
    referral = Referral.objects.for_tenant(case_a.municipality_id).get()
    assert response.status_code == 302 and referral.status == ReferralStatus.SENT
    client.force_login(caseworker_b)
    base = f"/referrals/{referral.pk}/"
    assert client.post(base + "accept/", {"accept-note": ""}).status_code == 302
    assert client.post(base + "open-case/").status_code == 302
    assert client.post(base + "start/").status_code == 302
    client.post(base + "complete/", {"complete-outcome": "", "complete-feedback": ""})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS  # refused: outcome and feedback are required
    client.post(base + "complete/", {"complete-outcome": "goals_met", "complete-feedback": "Bine."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.receiver_case_id is not None
    client.force_login(caseworker_a)
    assert "Bine." in client.get(base).content.decode()
    assert client.get("/referrals/figures/").status_code == 200


def test_a_declined_referral_shows_the_suggestion_to_the_sender(
    client, caseworker_a, caseworker_b, sent_referral, baia_mare, org_c
):
    from carenet.directory.models import Service

    other = Service.objects.create(municipality=baia_mare, organisation=org_c, name="Adăpost de noapte Baia Mare")
    client.force_login(caseworker_b)
    client.post(
        f"/referrals/{sent_referral.pk}/decline/",
        {
            "decline-reason": "Nu avem locuri.",
            "decline-suggested_service": other.pk,
            "decline-suggested_alternative": "",
        },
    )
    client.force_login(caseworker_a)
    page = client.get(f"/referrals/{sent_referral.pk}/").content.decode()
    assert "Nu avem locuri." in page and "Adăpost de noapte Baia Mare" in page
