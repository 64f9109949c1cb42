"""The volunteer's check-in and check-out from a phone (JSON, queued offline): 201 recorded, 200 a resend,
409 refused by a rule, 400 unreadable input naming the field, 404 another volunteer's application; the time
is the phone's, within bounds."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carenet.testing.factories import UserFactory
from carenet.testing.refusals import LOGIN_REDIRECT, NOT_FOUND, assert_refused
from carenet.volunteering import services
from carenet.volunteering.models import Attendance

pytestmark = pytest.mark.django_db


def _url(municipality):
    return reverse("volunteering_public:turn", kwargs={"municipality_slug": municipality.slug})


def _post(client, municipality, **payload):
    payload.setdefault("key", str(uuid.uuid4()))
    return client.post(_url(municipality), json.dumps(payload, default=str), content_type="application/json")


@pytest.fixture
def phone(volunteer_user):
    client = Client()
    client.force_login(volunteer_user)
    return client


def test_a_check_in_then_a_check_out_queued_before_it_reached_the_server(phone, application, baia_mare):
    start = timezone.now() - datetime.timedelta(hours=3)
    in_key = str(uuid.uuid4())
    first = _post(phone, baia_mare, key=in_key, action="in", application=application.pk, at=start.isoformat())
    assert first.status_code == 201, first.content
    resend = _post(phone, baia_mare, key=in_key, action="in", application=application.pk, at=start.isoformat())
    assert (resend.status_code, resend.json()["status"]) == (200, "duplicate")
    out_key = str(uuid.uuid4())
    end = timezone.now() - datetime.timedelta(minutes=1)
    out = _post(
        phone, baia_mare, key=out_key, action="out", application=application.pk, at=end.isoformat(), in_key=in_key
    )
    assert out.status_code == 201
    again = _post(
        phone, baia_mare, key=out_key, action="out", application=application.pk, at=end.isoformat(), in_key=in_key
    )
    assert again.status_code == 200
    turn = Attendance.objects.for_tenant(baia_mare).get()
    assert turn.checked_in_at == start.replace(microsecond=turn.checked_in_at.microsecond)
    assert float(turn.hours) == pytest.approx(2.98, abs=0.02)


def test_a_second_open_check_in_is_refused_with_the_reason(phone, application, baia_mare):
    assert _post(phone, baia_mare, action="in", application=application.pk).status_code == 201
    second = _post(phone, baia_mare, action="in", application=application.pk)
    assert second.status_code == 409
    assert "already checked in" in second.json()["errors"]["application"][0]
    assert Attendance.objects.for_tenant(baia_mare).count() == 1


def test_a_check_out_with_nothing_open_is_refused(phone, application, baia_mare):
    response = _post(phone, baia_mare, action="out", application=application.pk)
    assert response.status_code == 409


def test_bad_input_is_400_naming_the_field(phone, application, baia_mare):
    url = _url(baia_mare)
    assert phone.post(url, "[", content_type="application/json").status_code == 400
    assert "key" in _post(phone, baia_mare, key="x", action="in", application=application.pk).json()["errors"]
    assert "action" in _post(phone, baia_mare, action="sideways", application=application.pk).json()["errors"]
    assert "at" in _post(phone, baia_mare, action="in", application=application.pk, at="yesterday").json()["errors"]
    future = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    assert "at" in _post(phone, baia_mare, action="in", application=application.pk, at=future).json()["errors"]
    old = (timezone.now() - datetime.timedelta(days=10)).isoformat()
    assert "at" in _post(phone, baia_mare, action="in", application=application.pk, at=old).json()["errors"]
    naive = timezone.now().replace(tzinfo=None).isoformat()
    assert "at" in _post(phone, baia_mare, action="in", application=application.pk, at=naive).json()["errors"]
    assert not Attendance.objects.for_tenant(baia_mare).exists()


def test_another_volunteers_application_is_not_found(application, baia_mare, bm_rules):
    other = UserFactory(username="other.volunteer")
    services.volunteer_sign_up(
        municipality=baia_mare,
        user=other,
        data=services.SignUp(first_name="Ion", last_name="Rus", birth_date=datetime.date(1991, 1, 1)),
    )
    client = Client()
    client.force_login(other)
    response = _post(client, baia_mare, action="in", application=application.pk)
    assert response.status_code == NOT_FOUND
    assert not Attendance.objects.for_tenant(baia_mare).exists()


def test_refusals_of_the_turn_endpoint(client, application, baia_mare, other_tenant_user, caseworker_b):
    assert_refused(client, _url(baia_mare), LOGIN_REDIRECT, method="post", data={})
    for user in (other_tenant_user, caseworker_b):  # not volunteers of Baia Mare
        c = Client()
        c.force_login(user)
        assert _post(c, baia_mare, action="in", application=application.pk).status_code == NOT_FOUND
    assert not Attendance.objects.for_tenant(baia_mare).exists()
