"""The partner's page: codes and rewards only, never who redeemed them; a code works once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, assert_refused
from carenet.volunteering import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def redemption(application, caseworker_a, reward):
    start = timezone.now() - datetime.timedelta(hours=4)
    t = services.attendance_check_in(actor=None, application=application, at=start)
    t = services.attendance_check_out(actor=None, attendance=t, at=start + datetime.timedelta(hours=3))
    services.attendance_confirm(actor=caseworker_a, attendance=t)
    return services.reward_redeem(volunteer=application.volunteer, reward=reward)


def test_the_partner_sees_the_code_never_the_volunteer(client, partner_user, redemption):
    client.force_login(partner_user)
    body = client.get(reverse("volunteering:partner")).content.decode()
    assert redemption.code in body
    assert "Ana" not in body and "Pop" not in body


def test_a_code_works_once_at_the_counter(client, partner_user, redemption):
    client.force_login(partner_user)
    first = client.post(reverse("volunteering:partner_check"), {"code": redemption.code}, follow=True).content.decode()
    assert "is valid" in first
    second = client.post(reverse("volunteering:partner_check"), {"code": redemption.code}, follow=True).content.decode()
    assert "This code was already used." in second


def test_another_organisation_cannot_use_the_code(client, caseworker_a, redemption):
    client.force_login(caseworker_a)
    body = client.post(reverse("volunteering:partner_check"), {"code": redemption.code}, follow=True).content.decode()
    assert "This code is not one of your rewards." in body
    redemption.refresh_from_db()
    assert redemption.used_at is None


def test_the_other_municipality_and_a_citizen_are_refused(client, other_tenant_user, citizen, redemption):
    client.force_login(citizen)
    assert_refused(client, reverse("volunteering:partner"), FORBIDDEN)
    client.force_login(other_tenant_user)
    body = client.get(reverse("volunteering:partner")).content.decode()
    assert redemption.code not in body


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert_refused(client, reverse("volunteering:partner"), LOGIN_REDIRECT)
