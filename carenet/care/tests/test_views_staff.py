"""Staff pages of care matching: the proposals with their reasons; refusals with one status code each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_request(care_request, org_a):
    care_request.organisation = org_a
    care_request.save(update_fields=["organisation"])
    return care_request


def test_the_coordinator_sees_the_proposals_and_why(client, coordinator, care_request):
    client.force_login(coordinator)
    body = client.get(reverse("care:request", args=[care_request.pk])).content.decode()
    assert "Why proposed:" in body and "0.5 km away along the streets" in body
    assert "Carmen" not in body and "Elena" not in body


def test_the_social_worker_chooses_and_the_family_confirms_later(client, caseworker_a, staff_request, hand_made):
    client.force_login(caseworker_a)
    client.post(reverse("care:request_choose", args=[staff_request.pk, hand_made["near"].pk]))
    booking = staff_request.bookings.get()
    assert booking.family_confirmed_at is None and booking.status == "proposed"


def test_another_provider_cannot_see_the_request(client, caseworker_b, staff_request):
    client.force_login(caseworker_b)
    assert_refused(client, reverse("care:request", args=[staff_request.pk]), NOT_FOUND)


def test_the_other_municipality_cannot_see_the_request(client, other_tenant_user, staff_request):
    client.force_login(other_tenant_user)
    assert_refused(client, reverse("care:request", args=[staff_request.pk]), NOT_FOUND)


def test_a_lower_role_cannot_choose(client, auditor, staff_request, hand_made):
    client.force_login(auditor)
    url = reverse("care:request_choose", args=[staff_request.pk, hand_made["near"].pk])
    assert_refused(client, url, FORBIDDEN, method="post")


def test_a_citizen_cannot_open_the_staff_pages(client, citizen):
    client.force_login(citizen)
    assert_refused(client, reverse("care:staff_home"), FORBIDDEN)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, staff_request):
    assert_refused(client, reverse("care:request", args=[staff_request.pk]), LOGIN_REDIRECT)


def test_only_the_coordinator_reads_complaints(client, caseworker_a):
    client.force_login(caseworker_a)
    assert_refused(client, reverse("care:complaints"), FORBIDDEN)


def test_a_social_worker_asks_care_for_a_registry_person_with_consent(
    client, caseworker_a, person_a, org_a, baia_mare, hand_made, monkeypatch
):
    import datetime

    from carenet.care import selectors
    from carenet.care.models import CareRequest
    from carenet.people.models import Consent

    monkeypatch.setattr(selectors, "area_points", lambda municipality: {"a1": ("Centru", 47.6567, 23.5850)})
    client.force_login(caseworker_a)
    url = reverse("care:request_create", args=[person_a.pk])
    data = {
        "cared_for_name": "Ștefan Munteanu",
        "kind": "companionship",
        "weekdays": ["1"],
        "start_time": "10:00",
        "hours": "3",
        "area": "a1",
        "address": "Str. Test 1",
        "consent": "on",
        "organisation": str(org_a.pk),
    }
    refused = client.post(url, data)
    assert "This person has no consent on record." in refused.content.decode()
    Consent.objects.for_tenant(baia_mare).create(
        municipality=baia_mare,
        person=person_a,
        purpose="case_management",
        given_on=datetime.date(2025, 1, 1),
        recorded_by=caseworker_a,
        recorded_for=org_a,
    )
    assert client.post(url, data).status_code == 302
    assert CareRequest.objects.for_tenant(baia_mare).get(person=person_a).organisation == org_a


def test_another_provider_cannot_ask_care_for_a_person_it_does_not_see(client, caseworker_b, person_a):
    client.force_login(caseworker_b)
    assert_refused(client, reverse("care:request_create", args=[person_a.pk]), NOT_FOUND)
