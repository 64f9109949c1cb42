"""The gateway's callbacks (views.hook_sms, hook_voice, hook_status): public and CSRF-exempt, refused with 403
unless the X-Twilio-Signature matches; a reply is a check-in once per provider id; anything unknown is answered
200 with an empty TwiML and records nothing (no information leak)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carenet.campaigns import services
from carenet.campaigns.models import CheckIn, Contact, ContactStatus, MessageStatus, OutboundMessage, RegisterEntry
from carenet.core.messaging import signature_of, twiml_empty

pytestmark = pytest.mark.django_db

TOKEN = "test-messaging-token"  # config/settings/test.py
BASE = "https://carenet.test"


def post(url: str, params: dict[str, str], *, sign: bool = True, token: str = TOKEN) -> Any:
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature_of(BASE + url, params, token)} if sign else {}
    return Client(enforce_csrf_checks=True).post(url, params, **headers)


def sent(campaign: Any) -> list[OutboundMessage]:
    services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    return list(OutboundMessage.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign))


def checkins(campaign: Any) -> list[CheckIn]:
    return list(CheckIn.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign))


# --- the signature ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sms", "voice", "status"])
def test_a_callback_without_the_signature_or_with_a_wrong_one_is_refused(
    name: str, campaign: Any, messaging_on: Any
) -> None:
    message = sent(campaign)[0]
    url = reverse("campaigns:hook_sms") if name == "sms" else reverse(f"campaigns:hook_{name}", args=[message.pk])
    params = {"From": message.to_number, "Body": "1", "MessageSid": "SMx", "CallSid": "CAx", "Digits": "1"}
    assert post(url, params, sign=False).status_code == 403
    assert post(url, params, token="another-token").status_code == 403
    forged = {"HTTP_X_TWILIO_SIGNATURE": signature_of(BASE + url, {**params, "Body": "2"}, TOKEN)}
    assert Client().post(url, params, **forged).status_code == 403
    assert checkins(campaign) == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_get_is_not_allowed(campaign: Any) -> None:
    assert Client().get(reverse("campaigns:hook_sms")).status_code == 405


# --- SMS replies -----------------------------------------------------------------------------------------


def test_an_sms_reply_1_is_a_check_in_and_a_resent_webhook_makes_no_second(campaign: Any, messaging_on: Any) -> None:
    message = sent(campaign)[0]
    params = {"From": message.to_number, "Body": " 1 ", "MessageSid": "SMreply1"}
    first = post(reverse("campaigns:hook_sms"), params)
    again = post(reverse("campaigns:hook_sms"), params)
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"].startswith("text/xml") and first.content.decode() == twiml_empty()
    assert [(c.mode, c.outcome, c.recorded_by_id) for c in checkins(campaign)] == [("sms", "fine", None)]
    contact = Contact.objects.for_tenant(campaign.municipality_id).get(pk=message.contact_id)
    assert contact.status == ContactStatus.REACHED


def test_an_sms_reply_2_escalates_to_a_home_visit(campaign: Any, messaging_on: Any, coordinator: Any) -> None:
    message = sent(campaign)[0]
    post(reverse("campaigns:hook_sms"), {"From": message.to_number, "Body": "2", "MessageSid": "SMreply2"})
    contact = Contact.objects.for_tenant(campaign.municipality_id).get(pk=message.contact_id)
    assert (contact.status, contact.last_outcome) == (ContactStatus.ESCALATED, "help")
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "P0 Pop" in page or contact.person.full_name in page  # on the coordinator's "home visits needed"


@pytest.mark.parametrize(
    "params",
    [
        {"From": "+40799999999", "Body": "1", "MessageSid": "SMu"},  # a number CareNet never wrote to
        {"From": "+40700000000", "Body": "hello", "MessageSid": "SMb"},  # not 1 or 2
        {"From": "+40700000000", "Body": "1"},  # no id
        {},
    ],
)
def test_unknown_numbers_and_bad_bodies_answer_empty_and_record_nothing(
    params: dict[str, str], campaign: Any, messaging_on: Any
) -> None:
    sent(campaign)
    response = post(reverse("campaigns:hook_sms"), params)
    assert response.status_code == 200 and response.content.decode() == twiml_empty()
    assert checkins(campaign) == []


def test_a_reply_to_a_closed_campaign_records_nothing(campaign: Any, messaging_on: Any, coordinator: Any) -> None:
    message = sent(campaign)[0]
    services.campaign_close(actor=coordinator, campaign=campaign)
    response = post(reverse("campaigns:hook_sms"), {"From": message.to_number, "Body": "1", "MessageSid": "SMz"})
    assert response.status_code == 200 and response.content.decode() == twiml_empty()
    assert checkins(campaign) == []


def test_a_person_taken_off_the_register_is_not_messaged_and_their_reply_is_nothing(
    campaign: Any, messaging_on: Any, register_of_six: list[Any]
) -> None:
    RegisterEntry.objects.for_tenant(campaign.municipality_id).filter(person=register_of_six[0]).update(
        removed_on="2026-07-02"
    )
    sent(campaign)
    post(reverse("campaigns:hook_sms"), {"From": "+40700000000", "Body": "1", "MessageSid": "SMq"})
    assert checkins(campaign) == []


# --- voice -------------------------------------------------------------------------------------------------


def voice_message(campaign: Any, language: str = "") -> OutboundMessage:
    RegisterEntry.objects.for_tenant(campaign.municipality_id).update(needs_voice=True, language=language)
    return sent(campaign)[0]


def test_a_key_pressed_is_a_check_in_thanked_in_the_persons_language(campaign: Any, messaging_on: Any) -> None:
    message = voice_message(campaign, language="ru")
    url = reverse("campaigns:hook_voice", args=[message.pk])
    params = {"CallSid": message.provider_id, "Digits": "1"}
    response = post(url, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<Say language="ru-RU">Спасибо.' in body and "112" in body
    post(url, params)  # resent
    assert [(c.mode, c.outcome) for c in checkins(campaign)] == [("voice", "fine")]


def test_key_2_escalates_and_says_a_worker_will_come(campaign: Any, messaging_on: Any) -> None:
    message = voice_message(campaign)
    response = post(reverse("campaigns:hook_voice", args=[message.pk]), {"CallSid": message.provider_id, "Digits": "2"})
    assert "asistent social" in response.content.decode()
    contact = Contact.objects.for_tenant(campaign.municipality_id).get(pk=message.contact_id)
    assert contact.status == ContactStatus.ESCALATED


@pytest.mark.parametrize("digits", ["", "7", "12"])
def test_another_key_or_another_call_records_nothing(digits: str, campaign: Any, messaging_on: Any) -> None:
    message = voice_message(campaign)
    url = reverse("campaigns:hook_voice", args=[message.pk])
    assert post(url, {"CallSid": message.provider_id, "Digits": digits}).content.decode() == twiml_empty()
    assert post(url, {"CallSid": "CAnotthisone", "Digits": "1"}).content.decode() == twiml_empty()
    unknown = reverse("campaigns:hook_voice", args=[uuid.uuid4()])
    assert post(unknown, {"CallSid": "CA1", "Digits": "1"}).content.decode() == twiml_empty()
    assert checkins(campaign) == []


# --- status callbacks ------------------------------------------------------------------------------------


def test_delivery_status_callbacks_update_the_row(campaign: Any, messaging_on: Any) -> None:
    message = sent(campaign)[0]
    url = reverse("campaigns:hook_status", args=[message.pk])
    assert post(url, {"MessageSid": message.provider_id, "MessageStatus": "delivered"}).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_a_failed_sms_leaves_the_contact_for_a_phone_call(campaign: Any, messaging_on: Any) -> None:
    message = sent(campaign)[0]
    url = reverse("campaigns:hook_status", args=[message.pk])
    post(url, {"MessageSid": message.provider_id, "MessageStatus": "failed", "ErrorCode": "30006"})
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    contact = Contact.objects.for_tenant(campaign.municipality_id).get(pk=message.contact_id)
    assert contact.status == ContactStatus.PENDING


def test_a_status_callback_for_an_unknown_message_answers_empty(campaign: Any) -> None:
    response = post(reverse("campaigns:hook_status", args=[uuid.uuid4()]), {"MessageStatus": "delivered"})
    assert response.status_code == 200 and response.content.decode() == twiml_empty()
