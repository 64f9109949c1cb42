"""The staff pages of SMS and voice (views.campaign_messages, campaign_messages_send, messaging_settings): counts
per channel and each person of the lists the user may see; refusals with their one status code each."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carenet.campaigns import selectors, services
from carenet.campaigns.models import OutboundMessage
from carenet.core.models import BackgroundJob
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def sent(campaign: Any) -> list[OutboundMessage]:
    services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    return list(OutboundMessage.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign))


def test_the_coordinator_sees_counts_per_channel_and_every_person(
    campaign: Any, messaging_on: Any, coordinator: Any
) -> None:
    message = sent(campaign)[0]
    services.sms_reply_receive(from_number=message.to_number, body="2", sid="SMr")
    response = client_for(coordinator).get(reverse("campaigns:messages", args=[campaign.pk]))
    assert response.status_code == 200
    figures = {f.channel: f for f in response.context["figures"]}
    assert (figures["sms"].sent, figures["sms"].replied, figures["sms"].help) == (5, 1, 1)
    assert len(response.context["rows"]) == 6
    assert reverse("campaigns:messages_send", args=[campaign.pk]) in response.content.decode()


def test_a_volunteer_sees_only_their_own_list(campaign: Any, messaging_on: Any, volunteer: Any) -> None:
    sent(campaign)
    response = client_for(volunteer).get(reverse("campaigns:messages", args=[campaign.pk]))
    assert response.status_code == 200
    own = {c.pk for lst in selectors.my_lists(user=volunteer) for c in lst.contacts.all()}
    rows = response.context["rows"]
    assert rows and {r.contact_id for r in rows} == own
    assert sum(f.total for f in response.context["figures"]) == len(own)
    assert "messages/send/" not in response.content.decode()


def test_the_page_says_when_there_is_no_gateway(campaign: Any, coordinator: Any, settings: Any) -> None:
    settings.CARENET_MESSAGING_BACKEND = ""
    response = client_for(coordinator).get(reverse("campaigns:messages", args=[campaign.pk]))
    assert "No SMS and voice gateway is configured" in response.content.decode()


def test_the_coordinator_starts_the_sending(
    campaign: Any, messaging_on: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(reverse("campaigns:messages_send", args=[campaign.pk]))
    assert response.status_code == 302
    job = BackgroundJob.objects.for_tenant(campaign.municipality_id).get(kind="campaigns.messages")
    assert job.result["sent"] == 6 and job.created_by == coordinator


def test_sending_refused_with_a_message_when_not_in_use(campaign: Any, coordinator: Any) -> None:
    response = client_for(coordinator).post(reverse("campaigns:messages_send", args=[campaign.pk]), follow=True)
    assert "not in use" in response.content.decode()
    assert not BackgroundJob.objects.for_tenant(campaign.municipality_id).exists()


def test_the_coordinator_saves_the_rules(baia_mare: Any, ladder: Any, coordinator: Any) -> None:
    url = reverse("campaigns:messaging")
    assert client_for(coordinator).get(url).status_code == 200
    response = client_for(coordinator).post(
        url,
        {
            "sms_enabled": "on",
            "voice_attempts": "3",
            "quiet_from": "22:00",
            "quiet_to": "08:00",
            "valid_from": "2026-06-01",
        },
    )
    assert response.status_code == 302
    conf = selectors.settings_in_force(municipality=baia_mare, on=datetime.date(2026, 7, 1))
    assert (conf.sms_enabled, conf.voice_enabled, conf.voice_attempts) == (True, False, 3)
    assert conf.quiet_from == datetime.time(22, 0)


def test_bad_rules_are_refused_naming_the_field(baia_mare: Any, ladder: Any, coordinator: Any) -> None:
    response = client_for(coordinator).post(
        reverse("campaigns:messaging"), {"voice_attempts": "3", "quiet_from": "22:00", "valid_from": "2026-06-01"}
    )
    assert response.status_code == 400
    assert "quiet_to" in response.context["form"].errors


def test_the_other_municipality_gets_404(campaign: Any, other_tenant_user: Any) -> None:
    client = client_for(other_tenant_user)
    assert_refused(client, reverse("campaigns:messages", args=[campaign.pk]), NOT_FOUND)
    assert_refused(client, reverse("campaigns:messages_send", args=[campaign.pk]), NOT_FOUND, method="post")


def test_another_provider_without_a_list_gets_404(campaign: Any, caseworker_b: Any) -> None:
    assert_refused(client_for(caseworker_b), reverse("campaigns:messages", args=[campaign.pk]), NOT_FOUND)


def test_a_lower_role_gets_403(campaign: Any, messaging_on: Any, caseworker_a: Any, auditor: Any) -> None:
    for user in (caseworker_a, auditor):
        client = client_for(user)
        assert_refused(client, reverse("campaigns:messages_send", args=[campaign.pk]), FORBIDDEN, method="post")
        assert_refused(client, reverse("campaigns:messaging"), FORBIDDEN)
    assert not BackgroundJob.objects.for_tenant(campaign.municipality_id).exists()


def test_anonymous_is_sent_to_sign_in(campaign: Any) -> None:
    client = Client()
    assert_refused(client, reverse("campaigns:messages", args=[campaign.pk]), LOGIN_REDIRECT)
    assert_refused(client, reverse("campaigns:messages_send", args=[campaign.pk]), LOGIN_REDIRECT, method="post")
    assert_refused(client, reverse("campaigns:messaging"), LOGIN_REDIRECT)


# --- how a person is reached (views.register_reach) --------------------------------------------------------


def entry_of(campaign: Any, person: Any) -> Any:
    from carenet.campaigns.models import RegisterEntry

    return RegisterEntry.objects.for_tenant(campaign.municipality_id).get(person=person)


def test_the_coordinator_sets_a_persons_language_and_voice(
    campaign: Any, messaging_on: Any, coordinator: Any, register_of_six: list[Any]
) -> None:
    from carenet.core import messaging

    entry = entry_of(campaign, register_of_six[0])
    url = reverse("campaigns:register_reach", args=[entry.pk])
    assert client_for(coordinator).post(url, {"language": "ru", "needs_voice": "on"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.language, entry.needs_voice) == ("ru", True)
    sent(campaign)
    call = next(m for m in messaging.outbox if m.to == "+40700000000")
    assert call.channel == "voice" and 'language="ru-RU"' in call.body
    response = client_for(coordinator).post(url, {"language": "xx"}, follow=True)
    assert "Choose a language" in response.content.decode()
    entry.refresh_from_db()
    assert entry.language == "ru"


def test_setting_how_a_person_is_reached_is_refused_to_others(
    campaign: Any, register_of_six: list[Any], caseworker_a: Any, other_tenant_user: Any, auditor: Any
) -> None:
    url = reverse("campaigns:register_reach", args=[entry_of(campaign, register_of_six[0]).pk])
    assert_refused(
        client_for(auditor), url, FORBIDDEN, method="post", data={"language": "ru"}
    )  # reads, changes nothing
    assert_refused(client_for(other_tenant_user), url, NOT_FOUND, method="post", data={"language": "ru"})
    assert_refused(client_for(caseworker_a), url, NOT_FOUND, method="post", data={"language": "ru"})
    assert_refused(Client(), url, LOGIN_REDIRECT, method="post", data={"language": "ru"})
    assert entry_of(campaign, register_of_six[0]).language == ""
