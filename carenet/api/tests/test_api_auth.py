"""Issue 26, High 2: the API takes a verified session (with CSRF) or a personal API token, never a password."""

import base64
import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from carenet.accounts import services as account_services
from carenet.accounts.models import ApiToken
from carenet.audit.models import AuditEvent
from carenet.people.models import Person
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, UNAUTHORIZED, assert_refused

PASSWORD = "correct-horse-battery"


def _basic(username):
    return "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _verified_client(user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.post("/account/login/", {"username": user.username, "password": PASSWORD})
    client.post("/account/2fa/verify/", {"token": _code(device)})
    client.handler.enforce_csrf_checks = True
    assert client.get("/account/tokens/").status_code == 200  # sets the CSRF cookie
    return client


@override_settings(CARENET_REQUIRE_2FA=True)
def test_http_basic_is_not_accepted(client, caseworker_a, case_a):
    TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)
    response = client.get("/api/v1/persons/", HTTP_AUTHORIZATION=_basic("cw_a"))
    assert response.status_code == UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")
    before = Person.objects.all_tenants().count()
    response = client.post(
        "/api/v1/persons/",
        {"first_name": "X", "last_name": "Y"},
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic("cw_a"),
    )
    assert response.status_code == UNAUTHORIZED
    assert Person.objects.all_tenants().count() == before


def test_an_anonymous_call_is_401_with_a_bearer_challenge(api, case_a):
    response = api.get("/api/v1/persons/")
    assert response.status_code == UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_password_only_session_of_a_user_with_a_device_is_not_an_api_session(client, caseworker_a, case_a):
    TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)
    client.post("/account/login/", {"username": "cw_a", "password": PASSWORD})
    assert client.get("/api/v1/persons/").status_code == UNAUTHORIZED


def test_a_verified_session_needs_csrf_to_write(caseworker_a, case_a):
    client = _verified_client(caseworker_a)
    assert client.get("/api/v1/persons/").status_code == 200
    response = client.post("/api/v1/persons/", {"first_name": "X"}, content_type="application/json")
    assert response.status_code == FORBIDDEN


def test_only_a_verified_user_creates_a_token(client, caseworker_a):
    client.post("/account/login/", {"username": "cw_a", "password": PASSWORD})
    assert_refused(client, "/account/tokens/new/", FORBIDDEN, method="post", data={"name": "x", "scopes": ["read"]})
    assert not ApiToken.objects.exists()


def test_anonymous_cannot_open_the_token_page(client, db):
    assert_refused(client, "/account/tokens/", LOGIN_REDIRECT)


def test_a_token_reads_within_its_scope_expires_and_is_revoked(caseworker_a, case_a, api):
    client = _verified_client(caseworker_a)
    response = client.post(
        "/account/tokens/new/",
        {
            "name": "reporting script",
            "scopes": ["read"],
            "days": "30",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=caseworker_a)
    raw = response.context["raw_token"]
    assert raw not in token.key_hash
    assert AuditEvent.objects.filter(action="api_token.create", actor=caseworker_a).count() == 1

    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert api.get("/api/v1/persons/", **bearer).status_code == 200
    # A read token does not write.
    assert api.post("/api/v1/cases/", {}, format="json", **bearer).status_code == FORBIDDEN
    # Expired: refused.
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get("/api/v1/persons/", **bearer).status_code == UNAUTHORIZED
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    account_services.api_token_revoke(actor=caseworker_a, token=token)
    assert api.get("/api/v1/persons/", **bearer).status_code == UNAUTHORIZED
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=caseworker_a).count() == 1


def test_another_users_token_cannot_be_revoked(client, caseworker_a, caseworker_b):
    token, _ = account_services.api_token_create(actor=caseworker_b, verified=True, name="b", scopes=["read"], days=7)
    client.force_login(caseworker_a)
    assert_refused(client, f"/account/tokens/{token.pk}/revoke/", NOT_FOUND, method="post")


def test_a_write_token_writes(caseworker_a, case_a, api):
    _, raw = account_services.api_token_create(
        actor=caseworker_a, verified=True, name="w", scopes=["read", "write"], days=7
    )
    response = api.post(
        "/api/v1/persons/?confirm_new=true",
        {"first_name": "Maria", "last_name": "Ionescu", "sex": "F"},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("days", [0, 400])
def test_a_token_lives_a_bounded_time(caseworker_a, days):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        account_services.api_token_create(actor=caseworker_a, verified=True, name="x", scopes=["read"], days=days)


def test_the_schema_declares_the_security_schemes(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["apiToken"] == {"type": "http", "scheme": "bearer"}
    assert "basicAuth" not in schemes
    assert "cookieAuth" in schemes
