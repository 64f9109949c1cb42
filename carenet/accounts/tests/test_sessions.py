"""Issue 26, Medium 8: idle sessions end, sessions end at browser close, a user sees and ends their others."""

import time

from django.test import Client, override_settings

from carenet.accounts.models import UserSession
from carenet.audit.models import AuditEvent
from carenet.testing.refusals import LOGIN_REDIRECT, NOT_FOUND, assert_refused

PASSWORD = "correct-horse-battery"


def _signed_in(username="cw_a"):
    client = Client(HTTP_USER_AGENT="Firefox test")
    response = client.post("/account/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _idle_for(client, minutes):
    session = client.session
    session["carenet_last_seen"] = time.time() - minutes * 60
    session.save()


def test_the_session_cookie_ends_with_the_browser(caseworker_a):
    client = _signed_in()
    cookie = client.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]


def test_thirty_idle_minutes_end_the_session(caseworker_a):
    client = _signed_in()
    _idle_for(client, 29)
    assert client.get("/dashboard/").status_code == 200
    _idle_for(client, 31)
    response = client.get("/dashboard/")
    assert response.status_code == LOGIN_REDIRECT and response["Location"].startswith("/account/login/")
    assert client.get("/dashboard/").status_code == LOGIN_REDIRECT


@override_settings(CARENET_SESSION_IDLE_MINUTES=5)
def test_the_idle_time_is_configurable(caseworker_a):
    client = _signed_in()
    _idle_for(client, 6)
    assert client.get("/dashboard/").status_code == LOGIN_REDIRECT


def test_a_user_sees_and_ends_their_other_sessions(caseworker_a):
    laptop, phone = _signed_in(), _signed_in()
    page = laptop.get("/account/sessions/")
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 2
    other = UserSession.objects.exclude(session_key=laptop.session.session_key).get(user=caseworker_a)
    response = laptop.post(f"/account/sessions/{other.pk}/end/")
    assert response.status_code == 302
    assert phone.get("/dashboard/").status_code == LOGIN_REDIRECT
    assert laptop.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_end", actor=caseworker_a).count() == 1


def test_another_users_session_cannot_be_ended(caseworker_a, caseworker_b):
    _signed_in("cw_b")
    theirs = UserSession.objects.get(user=caseworker_b)
    client = _signed_in()
    assert_refused(client, f"/account/sessions/{theirs.pk}/end/", NOT_FOUND, method="post")


def test_anonymous_is_sent_to_sign_in(client, db):
    assert_refused(client, "/account/sessions/", LOGIN_REDIRECT)
