"""Reaching the register by SMS and automated voice call (decision 0021): the pure rules, the tenant's dated
rules, who is messaged and how (never a person without a ground or a phone), the language, quiet hours, the
idempotent batch, the delivery callbacks and the next call, the job started at declaration."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carenet.campaigns import rules, selectors, services
from carenet.campaigns.models import (
    Channel,
    CheckIn,
    Contact,
    ContactStatus,
    LegalGround,
    MessageStatus,
    OutboundMessage,
    RegisterEntry,
)
from carenet.core import messaging
from carenet.core.models import BackgroundJob, JobStatus
from carenet.people.models import Consent, ConsentPurpose, Person

pytestmark = pytest.mark.django_db


# --- the pure rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "country", "e164", "mobile"),
    [
        ("0740 123 456", "RO", "+40740123456", True),
        ("+40 262 211 001", "MD", "+40262211001", False),
        ("0262-211-001", "RO", "+40262211001", False),
        ("069123456", "MD", "+37369123456", True),
        ("078 123 456", "MD", "+37378123456", True),
        ("0231 22 333", "MD", "+37323122333", False),
        ("0040740123456", "MD", "+40740123456", True),
        ("112", "RO", "", False),
        ("", "RO", "", False),
        ("+33 6 12 34 56 78", "RO", "", False),
    ],
)
def test_a_number_is_put_in_international_form_and_known_as_mobile_or_not(
    raw: str, country: str, e164: str, mobile: bool
) -> None:
    assert rules.phone_e164(raw, country) == e164
    assert rules.is_mobile(e164) is mobile


def test_quiet_hours_across_midnight_and_within_a_day() -> None:
    t = datetime.time
    assert rules.in_quiet_hours(t(23, 0), t(22, 0), t(8, 0))
    assert rules.in_quiet_hours(t(7, 59), t(22, 0), t(8, 0))
    assert not rules.in_quiet_hours(t(8, 0), t(22, 0), t(8, 0))
    assert rules.in_quiet_hours(t(13, 30), t(13, 0), t(15, 0))
    assert not rules.in_quiet_hours(t(12, 0), t(13, 0), t(15, 0))
    assert not rules.in_quiet_hours(t(3, 0), None, None)


def test_the_reply_and_the_language() -> None:
    assert [rules.reply_digit(b) for b in ("1", " 2 ", "2.", "12", "da", "")] == ["1", "2", "2", "", "", ""]
    available = ["ro", "ru", "hu", "uk", "en"]
    assert rules.message_language("uk", ["ro", "ru"], available) == "uk"
    assert rules.message_language("", ["ru", "ro"], available) == "ru"
    assert rules.message_language("xx", [], available) == "ro"


# --- the tenant's rules ----------------------------------------------------------------------------------


def test_messaging_rules_are_dated_rows_that_keep_the_ladder(baia_mare: Any, ladder: Any) -> None:
    row = services.messaging_settings_save(
        actor=None,
        municipality=baia_mare,
        valid_from=datetime.date(2026, 6, 1),
        sms_enabled=True,
        voice_enabled=False,
        voice_attempts=3,
        quiet_from=datetime.time(22, 0),
        quiet_to=datetime.time(8, 0),
        check_actor=False,
    )
    ladder.refresh_from_db()
    assert ladder.valid_to == datetime.date(2026, 5, 31) and not ladder.sms_enabled
    assert (row.max_tries, row.within_hours, row.list_size) == (3, 4, 3)
    assert selectors.settings_in_force(municipality=baia_mare, on=datetime.date(2026, 5, 1)).sms_enabled is False
    assert selectors.settings_in_force(municipality=baia_mare, on=datetime.date(2026, 7, 1)).voice_attempts == 3


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"voice_attempts": 0}, "voice_attempts"),
        ({"voice_attempts": 9}, "voice_attempts"),
        ({"quiet_from": datetime.time(22, 0)}, "quiet_to"),
    ],
)
def test_bad_messaging_rules_are_refused_naming_the_field(
    baia_mare: Any, ladder: Any, values: dict[str, Any], field: str
) -> None:
    kwargs = {"sms_enabled": True, "voice_enabled": True, "voice_attempts": 2, **values}
    with pytest.raises(ValidationError) as exc:
        services.messaging_settings_save(
            actor=None, municipality=baia_mare, valid_from=datetime.date(2026, 6, 1), check_actor=False, **kwargs
        )
    assert field in exc.value.message_dict


def test_a_lower_role_may_not_change_the_rules(baia_mare: Any, ladder: Any, caseworker_a: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.messaging_settings_save(
            actor=caseworker_a,
            municipality=baia_mare,
            valid_from=datetime.date(2026, 6, 1),
            sms_enabled=True,
            voice_enabled=True,
            voice_attempts=2,
        )


# --- who is messaged, and how ----------------------------------------------------------------------------


def messages_of(campaign: Any) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign))


def person_of(campaign: Any, i: int) -> Person:
    return Person.objects.for_tenant(campaign.municipality_id).get(first_name=f"P{i}")


def test_mobiles_get_an_sms_fixed_lines_and_persons_needing_voice_a_call(
    campaign: Any, messaging_on: Any, register_of_six: list[Any]
) -> None:
    register_of_six[1].phone = "0262 211 001"  # a fixed line in Baia Mare
    register_of_six[1].save()
    RegisterEntry.objects.for_tenant(campaign.municipality_id).filter(person=register_of_six[2]).update(
        needs_voice=True
    )
    outreach = services.messages_prepare(campaign=campaign)
    assert (outreach.sms, outreach.voice, outreach.skipped) == (4, 2, 0)
    channels = {m.contact.person_id: m.channel for m in messages_of(campaign)}
    assert channels[register_of_six[1].pk] == channels[register_of_six[2].pk] == Channel.VOICE
    assert channels[register_of_six[0].pk] == Channel.SMS
    report = services.messages_send_queued(campaign=campaign)
    assert (report.sent, report.failed, report.held) == (6, 0, False)
    sms = [m for m in messaging.outbox if m.channel == "sms"]
    calls = [m for m in messaging.outbox if m.channel == "voice"]
    assert len(sms) == 4 and len(calls) == 2
    assert "112" in sms[0].body and "Răspundeți 1" in sms[0].body  # Baia Mare's first language: Romanian
    assert '<Gather numDigits="1"' in calls[0].body and 'language="ro-RO"' in calls[0].body
    assert "/campaigns/hooks/voice/" in calls[0].body
    assert sms[0].status_callback.startswith("https://carenet.test/campaigns/hooks/status/")
    assert all(m.status == MessageStatus.SENT and m.provider_id for m in messages_of(campaign))


def test_the_sms_names_the_open_centres(campaign: Any, messaging_on: Any, coordinator: Any) -> None:
    services.centre_save(
        actor=coordinator,
        municipality=campaign.municipality,
        kind="cooling",
        name="Sala Polivalentă",
        address="Str. X 1",
    )
    services.centre_save(actor=coordinator, municipality=campaign.municipality, kind="warming", name="Adăpost")
    services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    body = messaging.outbox[0].body
    assert "Sala Polivalentă, Str. X 1" in body and "Adăpost" not in body


def test_the_message_is_in_the_persons_language(campaign: Any, messaging_on: Any, register_of_six: list[Any]) -> None:
    RegisterEntry.objects.for_tenant(campaign.municipality_id).filter(person=register_of_six[0]).update(language="hu")
    RegisterEntry.objects.for_tenant(campaign.municipality_id).filter(person=register_of_six[1]).update(
        language="uk", needs_voice=True
    )
    services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    by_number = {m.to: m for m in messaging.outbox}
    assert "Válaszoljon 1" in by_number["+40700000000"].body
    assert 'language="uk-UA"' in by_number["+40700000001"].body
    assert "Натисніть 1" in by_number["+40700000001"].body
    assert "Răspundeți 1" in by_number["+40700000002"].body


def test_a_person_without_a_ground_or_a_phone_is_never_messaged(
    campaign: Any, messaging_on: Any, register_of_six: list[Any], baia_mare: Any, coordinator: Any, org_a: Any
) -> None:
    tenant = campaign.municipality_id
    RegisterEntry.objects.for_tenant(tenant).filter(person=register_of_six[0]).update(
        removed_on=datetime.date(2026, 7, 2)
    )
    register_of_six[1].phone = ""
    register_of_six[1].save()
    register_of_six[2].phone = "112"
    register_of_six[2].save()
    Consent.objects.create(
        municipality=baia_mare,
        person=register_of_six[3],
        purpose=ConsentPurpose.CONTACT,
        given_on=datetime.date(2025, 1, 1),
        withdrawn_on=datetime.date(2026, 1, 1),
        recorded_by=coordinator,
        recorded_for=org_a,
    )
    outreach = services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    messaged = {m.contact.person_id for m in messages_of(campaign)}
    assert messaged == {register_of_six[4].pk, register_of_six[5].pk}
    assert outreach.skipped == 1  # the number that is no phone number
    assert {m.to for m in messaging.outbox} == {"+40700000004", "+40700000005"}


def test_a_person_already_reached_is_not_messaged(campaign: Any, messaging_on: Any) -> None:
    contacts = Contact.objects.for_tenant(campaign.municipality_id)
    contacts.filter(person__first_name="P0").update(status=ContactStatus.REACHED)
    services.messages_prepare(campaign=campaign)
    assert len(messages_of(campaign)) == 5
    contacts.filter(person__first_name="P1").update(status=ContactStatus.REACHED)  # a caller reached them meanwhile
    assert services.messages_send_queued(campaign=campaign).sent == 4
    assert "+40700000001" not in {m.to for m in messaging.outbox}


def test_nothing_is_messaged_when_the_tenant_does_not_use_it_or_there_is_no_gateway(
    campaign: Any, settings: Any
) -> None:
    assert services.messages_prepare(campaign=campaign).sms == 0  # the defaults: off
    settings.CARENET_MESSAGING_BACKEND = ""
    assert services.messaging_in_use(municipality=campaign.municipality_id) == (False, False)
    with pytest.raises(ValidationError):
        services.messages_send_start(actor=None, campaign=campaign, check_actor=False)


def test_the_batch_is_made_once_and_sent_once(campaign: Any, messaging_on: Any) -> None:
    services.messages_prepare(campaign=campaign)
    again = services.messages_prepare(campaign=campaign)
    assert (again.sms, again.voice) == (0, 0)
    services.messages_send_queued(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    assert len(messaging.outbox) == len(messages_of(campaign)) == 6


def test_the_batch_is_audited_with_the_processor(campaign: Any, messaging_on: Any) -> None:
    from carenet.audit.models import AuditEvent

    services.messages_prepare(campaign=campaign)
    event = AuditEvent.objects.for_tenant(campaign.municipality_id).get(
        action="campaign.messages.send", changes__processor="locmem"
    )
    assert len(event.changes["persons"]) == 6


def test_quiet_hours_hold_the_messages_until_they_end(campaign: Any, messaging_on: Any) -> None:
    messaging_on.quiet_from, messaging_on.quiet_to = datetime.time(22, 0), datetime.time(8, 0)
    messaging_on.save()
    night = timezone.make_aware(datetime.datetime(2026, 7, 2, 23, 30))
    morning = timezone.make_aware(datetime.datetime(2026, 7, 3, 8, 30))
    services.messages_prepare(campaign=campaign)
    assert services.messages_send_queued(campaign=campaign, now=night).held
    assert messaging.outbox == []
    assert services.messages_send_waiting(now=morning) == 6


def test_a_send_error_is_recorded_on_the_message(campaign: Any, messaging_on: Any, settings: Any) -> None:
    settings.CARENET_MESSAGING_BACKEND = "twilio"
    settings.CARENET_MESSAGING_BASE_URL = "http://127.0.0.1:9"
    settings.CARENET_MESSAGING_ACCOUNT_SID = "AC1"
    services.messages_prepare(campaign=campaign)
    report = services.messages_send_queued(campaign=campaign)
    assert report.failed == 6
    assert all(m.status == MessageStatus.FAILED and m.error for m in messages_of(campaign))
    assert not Contact.objects.for_tenant(campaign.municipality_id).exclude(status=ContactStatus.PENDING).exists()


# --- callbacks ---------------------------------------------------------------------------------------------


def sent(campaign: Any) -> list[OutboundMessage]:
    services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    return messages_of(campaign)


def test_a_delivery_callback_moves_the_status_forward_only(campaign: Any, messaging_on: Any) -> None:
    message = sent(campaign)[0]
    sid = message.provider_id
    assert services.message_status_update(
        message_id=message.pk, params={"MessageSid": sid, "MessageStatus": "delivered"}
    )
    services.message_status_update(message_id=message.pk, params={"MessageSid": sid, "MessageStatus": "sent"})
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at
    assert not services.message_status_update(
        message_id=message.pk, params={"MessageSid": "SMother", "MessageStatus": "failed"}
    )


def test_a_failed_sms_leaves_the_person_for_a_phone_call(campaign: Any, messaging_on: Any) -> None:
    message = sent(campaign)[0]
    services.message_status_update(
        message_id=message.pk,
        params={"MessageSid": message.provider_id, "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "30003" in message.error
    contact = Contact.objects.for_tenant(campaign.municipality_id).get(pk=message.contact_id)
    assert contact.status == ContactStatus.PENDING and contact.tries == 0
    assert not OutboundMessage.objects.for_tenant(campaign.municipality_id).filter(attempt=2).exists()


def test_an_unanswered_call_is_tried_again_up_to_the_tenants_attempts(
    campaign: Any, messaging_on: Any, register_of_six: list[Any]
) -> None:
    RegisterEntry.objects.for_tenant(campaign.municipality_id).update(needs_voice=True)
    first = sent(campaign)[0]
    params = {"CallSid": first.provider_id, "CallStatus": "no-answer"}
    services.message_status_update(message_id=first.pk, params=params)
    services.message_status_update(message_id=first.pk, params=params)  # resent: one next call
    second = OutboundMessage.objects.for_tenant(campaign.municipality_id).get(contact=first.contact, attempt=2)
    assert second.status == MessageStatus.QUEUED
    services.messages_send_queued(campaign=campaign)
    second.refresh_from_db()
    services.message_status_update(message_id=second.pk, params={"CallSid": second.provider_id, "CallStatus": "busy"})
    assert not OutboundMessage.objects.for_tenant(campaign.municipality_id).filter(attempt=3).exists()  # 2 at most


# --- replies -----------------------------------------------------------------------------------------------


def test_a_reply_is_a_check_in_once_per_provider_id(campaign: Any, messaging_on: Any) -> None:
    message = sent(campaign)[0]
    first = services.sms_reply_receive(from_number=message.to_number, body="1", sid="SMreply1")
    again = services.sms_reply_receive(from_number=message.to_number, body="1", sid="SMreply1")
    assert first is not None and first.created and again is not None and not again.created
    checkins = CheckIn.objects.for_tenant(campaign.municipality_id).filter(contact_id=message.contact_id)
    assert [(c.mode, c.outcome) for c in checkins] == [("sms", "fine")]
    contact = Contact.objects.for_tenant(campaign.municipality_id).get(pk=message.contact_id)
    assert contact.status == ContactStatus.REACHED
    message.refresh_from_db()
    assert (message.status, message.reply) == (MessageStatus.ANSWERED, "1")


def test_needs_help_sends_the_person_to_a_home_visit(campaign: Any, messaging_on: Any) -> None:
    message = sent(campaign)[0]
    services.sms_reply_receive(from_number=message.to_number, body="2", sid="SMreply2")
    contact = Contact.objects.for_tenant(campaign.municipality_id).get(pk=message.contact_id)
    assert contact.status == ContactStatus.ESCALATED and contact.last_outcome == "help"
    assert contact in selectors.escalated_contacts(campaign=campaign)
    assert selectors.share_needing_help(campaign=campaign).numerator == 1


def test_unknown_numbers_bad_bodies_and_closed_campaigns_record_nothing(
    campaign: Any, messaging_on: Any, coordinator: Any
) -> None:
    message = sent(campaign)[0]
    assert services.sms_reply_receive(from_number="+40799999999", body="1", sid="SMa") is None
    assert services.sms_reply_receive(from_number=message.to_number, body="yes", sid="SMb") is None
    services.campaign_close(actor=coordinator, campaign=campaign)
    assert services.sms_reply_receive(from_number=message.to_number, body="1", sid="SMc") is None
    assert not CheckIn.objects.for_tenant(campaign.municipality_id).exists()


def test_declaring_a_campaign_starts_the_sending_job(
    baia_mare: Any,
    register_of_six: list[Any],
    messaging_on: Any,
    caseworker_a: Any,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_declare(
            actor=coordinator,
            municipality=baia_mare,
            kind="heat",
            alert_code="red",
            title="Caniculă",
            starts_at=now - datetime.timedelta(hours=1),
            ends_at=now + datetime.timedelta(days=1),
            worker_ids=[caseworker_a.pk],
        )
    job = BackgroundJob.objects.for_tenant(baia_mare).get(kind=services.MESSAGES_JOB_KIND)
    assert job.params == {"campaign_id": str(campaign.pk)} and job.status == JobStatus.DONE
    assert job.result["sent"] == 6 and len(messaging.outbox) == 6
    assert LegalGround.PUBLIC_TASK  # the register's ground (rules rest on the law)
