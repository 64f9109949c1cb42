"""Issue 26, Low 11: the sign-in lockout is per user (new addresses get no fresh tries), its delay grows,
and the user unlocks through e-mail."""

import datetime
import re

import pytest
from django.core import mail
from django.test import RequestFactory

from carenet.accounts.lockout import cool_off, note_lockout

WRONG = "wrong-password-123"
RIGHT = "correct-horse-battery"


pytestmark = pytest.mark.usefixtures("empty_cache")


def _fail_from_five_addresses(client):
    for i in range(5):
        client.post("/account/login/", {"username": "cw_a", "password": WRONG}, REMOTE_ADDR=f"198.51.100.{i}")


def test_new_addresses_get_no_fresh_tries(client, caseworker_a):
    _fail_from_five_addresses(client)
    response = client.post("/account/login/", {"username": "cw_a", "password": RIGHT}, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429


def test_rotating_x_real_ip_gets_no_fresh_tries(client, caseworker_a):
    for i in range(5):
        client.post("/account/login/", {"username": "cw_a", "password": WRONG}, HTTP_X_REAL_IP=f"203.0.113.{i}")
    assert client.post("/account/login/", {"username": "cw_a", "password": RIGHT}).status_code == 429


def test_the_delay_grows_with_each_lockout(db):
    request = RequestFactory().post("/account/login/", {"username": "cw_a"})
    assert cool_off(request) == datetime.timedelta(minutes=15)
    note_lockout("cw_a")
    assert cool_off(request) == datetime.timedelta(minutes=15)
    note_lockout("cw_a")
    assert cool_off(request) == datetime.timedelta(minutes=30)
    note_lockout("cw_a")
    assert cool_off(request) == datetime.timedelta(minutes=60)
    for _ in range(20):
        note_lockout("cw_a")
    assert cool_off(request) == datetime.timedelta(hours=24)
    other = RequestFactory().post("/account/login/", {"username": "cw_b"})
    assert cool_off(other) == datetime.timedelta(minutes=15)


def test_a_locked_user_unlocks_through_e_mail(client, caseworker_a):
    _fail_from_five_addresses(client)
    page = client.post("/account/login/", {"username": "cw_a", "password": RIGHT})
    assert page.status_code == 429 and "/account/unlock/" in page.content.decode()
    response = client.post("/account/unlock/", {"username": "cw_a"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [caseworker_a.email]
    link = re.search(r"https?://[^/]+(/account/unlock/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 302
    assert client.post("/account/login/", {"username": "cw_a", "password": RIGHT}).status_code == 302
    # The link works once.
    assert client.get(link).status_code == 400


def test_asking_for_an_unknown_account_answers_the_same_and_sends_nothing(client, db):
    response = client.post("/account/unlock/", {"username": "nobody"})
    assert response.status_code == 200
    assert mail.outbox == []


def test_a_forged_unlock_link_is_refused(client, caseworker_a):
    assert client.get("/account/unlock/forged-token/").status_code == 400
