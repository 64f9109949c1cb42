"""Issue 26, High 1: a second factor cannot be bypassed by enrolling a new device."""

from django.core import mail
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from carenet.audit.models import AuditEvent


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _password_only(client):
    response = client.post("/account/login/", {"username": "cw_a", "password": "correct-horse-battery"})
    assert response.status_code == 302


@override_settings(CARENET_REQUIRE_2FA=True)
def test_a_password_only_session_cannot_enrol_a_new_device(client, caseworker_a, person_a):
    TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)
    _password_only(client)
    response = client.get("/account/2fa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/verify/")
    # An attacker with the password makes a fresh secret and confirms it: still not verified.
    fresh = TOTPDevice.objects.create(user=caseworker_a, name="attacker", confirmed=False)
    client.post("/account/2fa/setup/", {"token": _code(fresh)})
    fresh.refresh_from_db()
    assert fresh.confirmed is False
    assert client.get("/people/")["Location"].startswith("/account/2fa/verify/")


def test_a_verified_user_replaces_their_device_audited_and_told_by_mail(
    client, caseworker_a, django_capture_on_commit_callbacks
):
    old = TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)
    _password_only(client)
    client.post("/account/2fa/verify/", {"token": _code(old), "next": "/account/"})
    assert client.get("/account/2fa/setup/").status_code == 200
    new = TOTPDevice.objects.get(user=caseworker_a, confirmed=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/2fa/setup/", {"token": _code(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=caseworker_a, confirmed=True)) == [new]
    assert AuditEvent.objects.filter(action="auth.2fa_replaced", actor=caseworker_a).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [caseworker_a.email]


def test_first_enrolment_is_told_by_mail(client, caseworker_a, django_capture_on_commit_callbacks):
    client.force_login(caseworker_a)
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(user=caseworker_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/2fa/setup/", {"token": _code(device)})
    assert AuditEvent.objects.filter(action="auth.2fa_enrolled", actor=caseworker_a).count() == 1
    assert len(mail.outbox) == 1


def test_the_setup_page_shows_the_key_in_base32_as_authenticator_apps_expect(client, caseworker_a):
    import base64

    client.force_login(caseworker_a)
    html = client.get("/account/2fa/setup/").content.decode()
    device = TOTPDevice.objects.get(user=caseworker_a, confirmed=False)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = html.split('<span class="mono">', 1)[1].split("</span>", 1)[0]
    assert shown.replace(" ", "") == key
    assert "<svg" in html  # and the QR code
