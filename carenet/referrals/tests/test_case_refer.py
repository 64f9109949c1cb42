"""Referring from inside the case, with the consent captured in the same step; urgency that means something
(a shorter deadline per tenant, listed first); the referral letter; the timeline in the reader's language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from carenet.cases.models import CaseEvent
from carenet.people.models import Consent
from carenet.referrals import services
from carenet.referrals.models import Notification, Referral, ResponseTime
from carenet.referrals.selectors import referrals_received
from carenet.testing.language import english
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused

__all__ = ["english"]  # autouse


def _form(service, **extra):
    data = {
        "service": str(service.pk),
        "reason": "Are nevoie de un loc în centrul de zi.",
        "urgency": "routine",
        "share_identity": "on",
        "send": "1",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_the_case_page_offers_to_refer_and_lists_the_case_referrals(client, caseworker_a, case_a, sent_referral):
    client.force_login(caseworker_a)
    html = client.get(reverse("cases:detail", args=[case_a.pk])).content.decode()
    assert reverse("referrals:new", args=[case_a.pk]) in html
    assert "Refer to another service" in html
    assert sent_referral.reference in html


@pytest.mark.django_db
def test_the_consent_is_captured_in_the_referral_flow_when_none_is_on_file(
    client, caseworker_a, case_a, service_b, org_b
):
    client.force_login(caseworker_a)
    url = reverse("referrals:new", args=[case_a.pk])
    assert "Consent given today or on (date)" in client.get(url).content.decode()
    response = client.post(url, _form(service_b, consent_given_on=datetime.date.today().isoformat()))
    assert response.status_code == 302
    referral = Referral.objects.for_tenant(case_a.municipality_id).get(case=case_a)
    assert referral.status == "sent"
    assert referral.consent is not None
    assert list(referral.consent.scope.values_list("pk", flat=True)) == [org_b.pk]


@pytest.mark.django_db
def test_a_refused_referral_leaves_no_consent_behind(client, caseworker_a, case_a, service_b):
    client.force_login(caseworker_a)
    url = reverse("referrals:new", args=[case_a.pk])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, _form(service_b, consent_given_on=future))
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not Consent.objects.for_tenant(case_a.municipality_id).filter(person=case_a.person).exists()
    assert not Referral.objects.for_tenant(case_a.municipality_id).filter(case=case_a).exists()


@pytest.mark.django_db
def test_without_consent_the_form_keeps_what_was_typed_and_says_why(client, caseworker_a, case_a, service_b):
    client.force_login(caseworker_a)
    response = client.post(reverse("referrals:new", args=[case_a.pk]), _form(service_b))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no active consent to sharing with this provider" in html
    assert "Are nevoie de un loc în centrul de zi." in html


@pytest.mark.django_db
def test_an_urgent_referral_gets_the_tenants_shorter_deadline_and_is_listed_first(
    caseworker_a, caseworker_b, case_a, service_b, consent_for_b, baia_mare
):
    rows = ResponseTime.objects.for_tenant(baia_mare)
    start = datetime.date.today() - datetime.timedelta(days=10)
    rows.create(municipality=baia_mare, urgency="routine", days=10, valid_from=start)
    rows.create(municipality=baia_mare, urgency="urgent", days=2, valid_from=start)
    routine = services.referral_create(
        actor=caseworker_a, case=case_a, service=service_b, reason="De rutină.", urgency="routine", send=True
    )
    urgent = services.referral_create(
        actor=caseworker_a, case=case_a, service=service_b, reason="Urgent.", urgency="urgent", send=True
    )
    assert routine.response_days == 10
    assert urgent.response_days == 2
    assert (urgent.respond_by - urgent.sent_at).days == 2
    received = list(referrals_received(user=caseworker_b))
    assert received.index(urgent) < received.index(routine)


@pytest.mark.django_db
def test_a_response_time_outside_its_dates_does_not_apply(caseworker_a, case_a, service_b, consent_for_b, baia_mare):
    expired = datetime.date.today() - datetime.timedelta(days=1)
    ResponseTime.objects.for_tenant(baia_mare).create(
        municipality=baia_mare,
        urgency="urgent",
        days=1,
        valid_from=expired - datetime.timedelta(days=30),
        valid_to=expired,
    )
    referral = services.referral_create(
        actor=caseworker_a, case=case_a, service=service_b, reason="Urgent.", urgency="urgent", send=True
    )
    assert referral.response_days == services.DEFAULT_RESPONSE_DAYS


@pytest.mark.django_db
def test_the_coordinator_sets_a_response_time_from_a_date(client, coordinator, baia_mare):
    client.force_login(coordinator)
    url = reverse("referrals:response_times")
    response = client.post(url, {"urgency": "emergency", "days": "1", "valid_from": datetime.date.today().isoformat()})
    assert response.status_code == 302
    assert ResponseTime.objects.for_tenant(baia_mare).get(urgency="emergency").days == 1
    bad = client.post(url, {"urgency": "urgent", "days": "0", "valid_from": datetime.date.today().isoformat()})
    assert bad.status_code == 200
    assert "Answer within (days)" in bad.content.decode()


@pytest.mark.django_db
def test_a_caseworker_may_not_set_response_times(client, caseworker_a):
    client.force_login(caseworker_a)
    assert_refused(client, reverse("referrals:response_times"), FORBIDDEN)


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in_for_response_times(client):
    assert_login_required(client, reverse("referrals:response_times"))


def _pdf_text(content):
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


@pytest.mark.django_db
def test_the_sender_prints_the_referral_letter(client, caseworker_a, sent_referral):
    client.force_login(caseworker_a)
    response = client.get(reverse("referrals:letter", args=[sent_referral.pk, "pdf"]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert sent_referral.reference in text
    assert sent_referral.person.full_name in text
    docx = client.get(reverse("referrals:letter", args=[sent_referral.pk, "docx"]))
    assert docx.status_code == 200


@pytest.mark.django_db
def test_the_receiver_sees_the_referral_but_not_the_senders_letter(client, caseworker_b, sent_referral):
    client.force_login(caseworker_b)
    assert_refused(client, reverse("referrals:letter", args=[sent_referral.pk, "pdf"]), FORBIDDEN)


@pytest.mark.django_db
def test_a_third_provider_and_the_other_municipality_do_not_reach_the_letter(
    client, caseworker_c, other_tenant_user, sent_referral
):
    url = reverse("referrals:letter", args=[sent_referral.pk, "pdf"])
    client.force_login(caseworker_c)
    assert_refused(client, url, NOT_FOUND)
    client.force_login(other_tenant_user)
    assert_refused(client, url, NOT_FOUND)
    client.logout()
    assert_login_required(client, url)


@pytest.mark.django_db
def test_the_case_timeline_names_referral_steps_in_the_readers_language(client, caseworker_a, case_a, sent_referral):
    kinds = set(CaseEvent.objects.for_tenant(case_a.municipality_id).filter(case=case_a).values_list("kind", flat=True))
    assert "referral_send" in kinds
    client.force_login(caseworker_a)
    html = client.get(reverse("cases:detail", args=[case_a.pk])).content.decode()
    assert "Referral sent" in html
    assert "referral_send" not in html
    with translation.override("ro"):
        event = CaseEvent.objects.for_tenant(case_a.municipality_id).filter(case=case_a, kind="referral_send").first()
        assert event.label != "Referral sent"


@pytest.mark.django_db
def test_a_notification_is_shown_in_the_readers_language_of_the_day(caseworker_b, sent_referral):
    note = Notification.objects.for_tenant(sent_referral.municipality_id).filter(recipient=caseworker_b).first()
    with translation.override("en"):
        english_text = note.text
    with translation.override("ru"):
        russian_text = note.text
    assert sent_referral.reference in english_text and sent_referral.reference in russian_text
    assert english_text != russian_text
