"""The pages: refusals with their one status code each (docs/architecture.md §3), the volunteer's isolation
(their list only: name, address, phone and the check-in form — nothing of the case file), the idempotent
check-in endpoint, and the public alert banner in every language."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carenet.campaigns import services
from carenet.campaigns.models import CheckIn, Contact
from carenet.testing.factories import CaseFactory
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def list_of(campaign, user):
    return (
        Contact.objects.for_tenant(campaign.municipality_id)
        .filter(campaign=campaign, call_list__assignee=user)
        .first()
        .call_list
    )


def post_checkin(client, call_list, **payload):
    return client.post(
        reverse("campaigns:checkin", args=[call_list.pk]), data=json.dumps(payload), content_type="application/json"
    )


# --- refusals --------------------------------------------------------------------------------------------


STAFF_PAGES = ["campaigns:register", "campaigns:rules", "campaigns:heat", "campaigns:centres"]


@pytest.mark.parametrize("name", [*STAFF_PAGES, "campaigns:create", "campaigns:register_add"])
def test_staff_pages_refuse_an_anonymous_visitor_with_the_login_page(client, name, baia_mare):
    assert_refused(client, reverse(name), LOGIN_REDIRECT)


@pytest.mark.parametrize("name", [*STAFF_PAGES, "campaigns:create", "campaigns:register_add"])
def test_staff_pages_refuse_a_caseworker_and_a_volunteer(name, caseworker_a, volunteer):
    for user in (caseworker_a, volunteer):
        assert_refused(client_for(user), reverse(name), FORBIDDEN)


@pytest.mark.parametrize("name", ["campaigns:create", "campaigns:register_add"])
def test_the_auditor_reads_but_does_not_declare(name, auditor):
    assert_refused(client_for(auditor), reverse(name), FORBIDDEN)
    assert client_for(auditor).get(reverse("campaigns:register")).status_code == 200


def test_a_citizen_gets_no_campaign_page(citizen):
    assert_refused(client_for(citizen), reverse("campaigns:home"), FORBIDDEN)


def test_the_campaign_page_refusals(client, campaign, caseworker_a, volunteer, other_tenant_user, coordinator, auditor):
    url = reverse("campaigns:detail", args=[campaign.pk])
    assert_refused(client, url, LOGIN_REDIRECT)
    assert_refused(client_for(other_tenant_user), url, NOT_FOUND)  # the other municipality
    assert_refused(client_for(caseworker_a), url, FORBIDDEN)  # a caller of the campaign: the lower role
    assert_refused(client_for(volunteer), url, FORBIDDEN)
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(auditor).get(url).status_code == 200
    assert_refused(client_for(auditor), reverse("campaigns:close", args=[campaign.pk]), FORBIDDEN, method="post")


def test_a_campaign_without_a_list_of_the_caseworker_is_not_found(campaign, caseworker_b):
    assert_refused(client_for(caseworker_b), reverse("campaigns:detail", args=[campaign.pk]), NOT_FOUND)


def test_the_call_list_refusals(client, campaign, caseworker_a, caseworker_b, volunteer, other_tenant_user, auditor):
    theirs = list_of(campaign, volunteer)
    url = reverse("campaigns:list", args=[theirs.pk])
    assert_refused(client, url, LOGIN_REDIRECT)
    assert_refused(client_for(other_tenant_user), url, NOT_FOUND)
    assert_refused(client_for(caseworker_a), url, NOT_FOUND)  # another worker's list
    assert_refused(client_for(caseworker_b), url, NOT_FOUND)  # another provider
    assert client_for(volunteer).get(url).status_code == 200
    assert client_for(auditor).get(url).status_code == 200
    submit = reverse("campaigns:checkin", args=[theirs.pk])
    assert_refused(client, submit, LOGIN_REDIRECT, method="post", data={})
    assert_refused(client_for(caseworker_a), submit, NOT_FOUND, method="post", data={})
    assert_refused(client_for(other_tenant_user), submit, NOT_FOUND, method="post", data={})
    assert_refused(client_for(auditor), submit, FORBIDDEN, method="post", data={})  # reads, records nothing
    assert not CheckIn.objects.for_tenant(campaign.municipality_id).exists()


# --- the volunteer sees only their list, and nothing of the case file -----------------------------------


def test_a_volunteer_sees_only_name_address_phone_and_the_form(campaign, volunteer, register_of_six, caseworker_a):
    mine = list_of(campaign, volunteer)
    contacts = list(
        Contact.objects.for_tenant(campaign.municipality_id).filter(call_list=mine).select_related("person")
    )
    person = contacts[0].person
    person.national_id, person.identifier_kind, person.email = "1460101123456", "cnp", "secret@example.org"
    person.save()
    case = CaseFactory(
        municipality=person.municipality,
        organisation=person.registered_by_organisation,
        person=person,
        caseworker=caseworker_a,
        request_summary="SECRET CASE SUMMARY",
    )
    page = client_for(volunteer).get(reverse("campaigns:list", args=[mine.pk]))
    html = page.content.decode()
    for c in contacts:
        assert c.person.first_name in html and c.person.address in html and c.person.phone in html
    others = Contact.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign).exclude(call_list=mine)
    for c in others.select_related("person"):
        assert c.person.address not in html
    for secret in ("1460101123456", "secret@example.org", "SECRET CASE SUMMARY", case.reference, "1946"):
        assert secret not in html
    assert 'name="mode"' in html and 'name="outcome"' in html
    # and nothing of the registry or the case file, by any other door
    volunteer_client = client_for(volunteer)
    assert_refused(volunteer_client, reverse("people:detail", args=[person.pk]), NOT_FOUND)
    assert_refused(volunteer_client, reverse("cases:detail", args=[case.pk]), NOT_FOUND)
    assert_refused(volunteer_client, reverse("campaigns:register"), FORBIDDEN)


def test_the_home_page_shows_a_volunteer_only_their_lists(campaign, volunteer):
    html = client_for(volunteer).get(reverse("campaigns:home")).content.decode()
    contacts = Contact.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign)
    mine = set(contacts.filter(call_list__assignee=volunteer).values_list("call_list_id", flat=True))
    others = set(contacts.exclude(call_list__assignee=volunteer).values_list("call_list_id", flat=True))
    assert mine and others
    for list_id in mine:
        assert reverse("campaigns:list", args=[list_id]) in html
    for list_id in others:
        assert reverse("campaigns:list", args=[list_id]) not in html


# --- the check-in endpoint -------------------------------------------------------------------------------


def test_the_check_in_endpoint_answers_201_then_200_for_a_resend(campaign, volunteer):
    mine = list_of(campaign, volunteer)
    contact = Contact.objects.for_tenant(campaign.municipality_id).filter(call_list=mine).first()
    c = client_for(volunteer)
    key = str(uuid.uuid4())
    first = post_checkin(c, mine, key=key, contact=str(contact.pk), mode="phone", outcome="emergency")
    again = post_checkin(c, mine, key=key, contact=str(contact.pk), mode="phone", outcome="emergency")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "duplicate"
    assert CheckIn.objects.for_tenant(campaign.municipality_id).count() == 1


def test_the_check_in_endpoint_refuses_bad_input_with_400_naming_the_field(campaign, volunteer):
    mine = list_of(campaign, volunteer)
    contact = Contact.objects.for_tenant(campaign.municipality_id).filter(call_list=mine).first()
    c = client_for(volunteer)
    bad = c.post(reverse("campaigns:checkin", args=[mine.pk]), data="[1,", content_type="application/json")
    assert bad.status_code == 400
    refused = post_checkin(c, mine, key=str(uuid.uuid4()), contact=str(contact.pk), mode="phone")
    assert refused.status_code == 400 and "outcome" in refused.json()["errors"]
    elsewhere = (
        Contact.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign).exclude(call_list=mine).first()
    )
    refused = post_checkin(c, mine, key=str(uuid.uuid4()), contact=str(elsewhere.pk), mode="not_reached")
    assert refused.status_code == 400 and "contact" in refused.json()["errors"]


# --- pages render ----------------------------------------------------------------------------------------


def test_the_coordinators_pages_render(campaign, coordinator, heat_layer):
    c = client_for(coordinator)
    for url in [reverse(n) for n in ["campaigns:home", *STAFF_PAGES, "campaigns:create", "campaigns:register_add"]] + [
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:live", args=[campaign.pk]),
    ]:
        assert c.get(url).status_code == 200, url


def test_the_coordinator_declares_a_campaign_through_the_form(coordinator, register_of_six, volunteer, baia_mare):
    c = client_for(coordinator)
    now = timezone.localtime()
    response = c.post(
        reverse("campaigns:create"),
        {
            "kind": "cold",
            "alert_code": "yellow",
            "title": "Cold night",
            "workers": [str(volunteer.pk)],
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    bad = c.post(reverse("campaigns:create"), {"kind": "cold", "alert_code": "purple", "title": ""})
    assert bad.status_code == 400


def test_a_bad_heat_file_is_refused_on_the_page(coordinator, baia_mare):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(coordinator)
    response = c.post(reverse("campaigns:heat"), {"name": "L", "file": SimpleUploadedFile("x.geojson", b"{nope")})
    assert response.status_code == 400
    assert "The file is not GeoJSON" in response.content.decode()


@pytest.mark.parametrize("language", ["ro", "ru", "hu", "uk", "en"])
def test_the_public_banner_shows_the_alert_and_112_in_every_language(client, campaign, coordinator, language, settings):
    services.centre_save(
        actor=coordinator, municipality=campaign.municipality_id, kind="cooling", name="Sala Polivalentă"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/{campaign.municipality.slug}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'href="tel:112"' in html and "portal-alert" in html
    assert "Sala Polivalentă" in html


def test_no_banner_without_an_alert_in_force(client, baia_mare):
    html = client.get(f"/{baia_mare.slug}/").content.decode()
    assert "portal-alert" not in html
