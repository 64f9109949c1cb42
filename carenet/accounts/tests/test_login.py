import pytest
from django.contrib.auth.hashers import get_hasher
from django.core import mail
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from carenet.accounts.models import User


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(db):
    user = User.objects.create_user(username="x", password="correct-horse-battery")
    assert user.password.startswith("argon2")
    assert get_hasher("argon2").verify("correct-horse-battery", user.password)


def test_a_demo_user_signs_in_and_lands_on_their_work(client, caseworker_a):
    response = client.post("/account/login/", {"username": "cw_a", "password": "correct-horse-battery"}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/dashboard/"
    assert "Serviciul social «Copil, Familie»" in response.content.decode()


def test_five_failed_logins_lock_the_account(client, caseworker_a):
    for _ in range(5):
        client.post("/account/login/", {"username": "cw_a", "password": "wrong-password-123"})
    response = client.post("/account/login/", {"username": "cw_a", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower() or "blocat" in response.content.decode().lower()


def test_wrong_password_gives_a_translated_message(client, caseworker_a):
    response = client.post(
        "/account/login/", {"username": "cw_a", "password": "nope-nope-nope"}, HTTP_ACCEPT_LANGUAGE="ro"
    )
    assert response.status_code == 200
    assert "utilizator" in response.content.decode().lower()


def test_password_reset_sends_a_link(client, caseworker_a):
    response = client.post("/account/password/reset/", {"email": caseworker_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/account/password/reset/" in mail.outbox[0].body


def _totp_now(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@override_settings(CARENET_REQUIRE_2FA=True)
def test_with_2fa_required_a_caseworker_must_enrol_before_anything_else(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/account/2fa/setup/"
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(user=caseworker_a)
    client.post("/account/2fa/setup/", {"token": _totp_now(device)})
    assert client.get("/dashboard/").status_code == 200


def test_a_user_with_a_device_is_asked_for_the_code_after_the_password(client, caseworker_a):
    device = TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)
    client.post("/account/login/", {"username": "cw_a", "password": "correct-horse-battery"})
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/verify/")
    client.post("/account/2fa/verify/", {"token": _totp_now(device), "next": "/dashboard/"})
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("token", ["", "abc", "12"])
def test_bad_codes_are_refused_with_a_message(client, caseworker_a, token):
    client.force_login(caseworker_a)
    response = client.post("/account/2fa/setup/", {"token": token})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()


def test_a_wrong_code_is_refused_with_a_message(client, caseworker_a):
    client.force_login(caseworker_a)
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(user=caseworker_a)
    wrong = "000000" if _totp_now(device) != "000000" else "111111"
    response = client.post("/account/2fa/setup/", {"token": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This code is not right" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
