"""Issue 26, Low 12: passphrases welcome, breached passwords refused (an offline list in the repository),
a self-service password change page."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from carenet.accounts.models import User
from carenet.audit.models import AuditEvent
from carenet.testing.refusals import LOGIN_REDIRECT, assert_refused

OLD = "correct-horse-battery"


@pytest.mark.parametrize("password", ["alphaomega", "apokalipsis", "azsxdcfvgb", "password123", "qwertyuiop"])
def test_a_breached_password_is_refused(password, db):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "passphrase", ["ceapa rosie pe masa de lemn", "Vin la Bălți în noiembrie cu trenul", "tramvaiul-verde-14-zboara"]
)
def test_a_passphrase_is_accepted(passphrase, db):
    validate_password(passphrase, User(username="cw_a", first_name="Ana", last_name="Pop"))


def test_a_very_long_password_is_refused(db):
    with pytest.raises(ValidationError):
        validate_password("a b c d e f g h " * 20)


def test_a_user_changes_their_own_password(client, caseworker_a):
    client.post("/account/login/", {"username": "cw_a", "password": OLD})
    assert client.get("/account/password/").status_code == 200
    refused = client.post(
        "/account/password/", {"old_password": OLD, "new_password1": "alphaomega", "new_password2": "alphaomega"}
    )
    assert refused.status_code == 400
    new = "ceapa rosie pe masa de lemn"
    wrong_old = client.post(
        "/account/password/", {"old_password": "not-it-at-all", "new_password1": new, "new_password2": new}
    )
    assert wrong_old.status_code == 400
    response = client.post("/account/password/", {"old_password": OLD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    caseworker_a.refresh_from_db()
    assert caseworker_a.check_password(new)
    assert client.get("/dashboard/").status_code == 200  # this session stays signed in
    assert AuditEvent.objects.filter(action="auth.password_change", actor=caseworker_a).count() == 1


def test_anonymous_is_sent_to_sign_in(client, db):
    assert_refused(client, "/account/password/", LOGIN_REDIRECT)
