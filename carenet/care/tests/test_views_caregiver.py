"""The caregiver's portal page: the address and needs appear only after both confirm; they edit their own
availability; another user never reaches their bookings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carenet.care import services
from carenet.care.models import Slot
from carenet.testing.factories import UserFactory
from carenet.testing.refusals import LOGIN_REDIRECT, NOT_FOUND, assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(care_request, hand_made, family_user):
    return services.booking_choose(actor=family_user, request=care_request, caregiver=hand_made["near"], by_family=True)


def test_the_address_shows_only_after_both_confirm(client, caregiver_user, booking, baia_mare):
    client.force_login(caregiver_user)
    page = reverse("care_public:caregiver", kwargs={"municipality_slug": baia_mare.slug})
    before = client.get(page).content.decode()
    assert "Strada Progresului" not in before and "Kovács" not in before and "plimbare" not in before
    client.post(
        reverse("care_public:caregiver_confirm", kwargs={"municipality_slug": baia_mare.slug, "booking_id": booking.pk})
    )
    after = client.get(page).content.decode()
    assert "Strada Progresului 10" in after and "Kovács Ilona" in after


def test_the_caregiver_edits_their_availability(client, caregiver_user, hand_made, baia_mare):
    client.force_login(caregiver_user)
    client.post(
        reverse("care_public:availability", kwargs={"municipality_slug": baia_mare.slug}),
        {"start_1": "09:00", "end_1": "13:00", "start_3": "14:00", "end_3": "18:00"},
    )
    assert sorted(
        Slot.objects.for_tenant(baia_mare).filter(caregiver=hand_made["near"]).values_list("weekday", flat=True)
    ) == [1, 3]


def test_a_bad_slot_is_refused_and_the_old_ones_kept(client, caregiver_user, hand_made, baia_mare):
    client.force_login(caregiver_user)
    response = client.post(
        reverse("care_public:availability", kwargs={"municipality_slug": baia_mare.slug}),
        {"start_1": "13:00", "end_1": "09:00"},
        follow=True,
    )
    assert "the end is before the start" in response.content.decode()
    assert Slot.objects.for_tenant(baia_mare).filter(caregiver=hand_made["near"]).count() == 1


def test_another_user_never_reaches_the_booking(client, booking, baia_mare):
    client.force_login(UserFactory(username="someone"))
    url = reverse(
        "care_public:caregiver_confirm", kwargs={"municipality_slug": baia_mare.slug, "booking_id": booking.pk}
    )
    assert_refused(client, url, NOT_FOUND, method="post")


def test_an_anonymous_visitor_is_sent_to_sign_in(client, baia_mare, bm_rule):
    assert_refused(
        client, reverse("care_public:caregiver", kwargs={"municipality_slug": baia_mare.slug}), LOGIN_REDIRECT
    )
