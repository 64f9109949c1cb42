"""The family's portal pages: request, proposals, pick; another family never reaches the request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carenet.care.models import CareRequest
from carenet.testing.factories import UserFactory
from carenet.testing.refusals import LOGIN_REDIRECT, NOT_FOUND, assert_refused

pytestmark = pytest.mark.django_db


def test_a_family_asks_for_care_and_picks_a_proposed_caregiver(client, family_user, baia_mare, hand_made, monkeypatch):
    from carenet.care import selectors

    monkeypatch.setattr(selectors, "area_points", lambda municipality: {"a1": ("Centru", 47.6567, 23.5850)})
    client.force_login(family_user)
    slug = baia_mare.slug
    response = client.post(
        reverse("care_public:request_new", kwargs={"municipality_slug": slug}),
        {
            "cared_for_name": "Kovács Ilona",
            "kind": "companionship",
            "weekdays": ["1"],
            "start_time": "10:00",
            "hours": "3",
            "area": "a1",
            "address": "Strada Progresului 10",
            "language": "ro",
            "consent": "on",
        },
    )
    request = CareRequest.objects.for_tenant(baia_mare).get(family_user=family_user)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose Ana" in page and "Choose Bianca" in page and "Carmen" not in page
    client.post(
        reverse(
            "care_public:pick",
            kwargs={"municipality_slug": slug, "request_id": request.pk, "caregiver_id": hand_made["near"].pk},
        )
    )
    booking = request.bookings.get()
    assert booking.family_confirmed_at is not None and booking.status == "proposed"


def test_bad_input_names_the_field_and_saves_nothing(client, family_user, baia_mare, bm_rule):
    client.force_login(family_user)
    response = client.post(
        reverse("care_public:request_new", kwargs={"municipality_slug": baia_mare.slug}), {"cared_for_name": "X"}
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not CareRequest.objects.for_tenant(baia_mare).exists()


def test_another_family_never_reaches_the_request(client, care_request, baia_mare):
    client.force_login(UserFactory(username="other.family"))
    url = reverse("care_public:request", kwargs={"municipality_slug": baia_mare.slug, "request_id": care_request.pk})
    assert_refused(client, url, NOT_FOUND)


def test_the_other_municipality_slug_does_not_reach_it(client, care_request, family_user, balti):
    client.force_login(family_user)
    url = reverse("care_public:request", kwargs={"municipality_slug": balti.slug, "request_id": care_request.pk})
    assert_refused(client, url, NOT_FOUND)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, care_request, baia_mare):
    url = reverse("care_public:request", kwargs={"municipality_slug": baia_mare.slug, "request_id": care_request.pk})
    assert_refused(client, url, LOGIN_REDIRECT)
