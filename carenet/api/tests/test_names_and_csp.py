"""Issue 26, Low 14: the CSP sets base-uri 'self'; names refuse bidirectional control characters."""

import pytest
from django.core.exceptions import ValidationError

from carenet.accounts import services as account_services
from carenet.people.models import Person


def test_the_csp_restricts_base_uri(client, db):
    assert "base-uri 'self'" in client.get("/account/login/")["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["Ana\u202e", "\u2067Pop", "Io\u200fn"])
def test_a_person_name_with_a_bidi_control_is_refused(api, caseworker_a, name):
    api.force_authenticate(caseworker_a)
    response = api.post(
        "/api/v1/persons/?confirm_new=true", {"first_name": name, "last_name": "Pop", "sex": "F"}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["first_name"]
    assert not Person.objects.all_tenants().filter(last_name="Pop").exists()


def test_a_user_name_with_a_bidi_control_is_refused(coordinator, baia_mare):
    with pytest.raises(ValidationError) as refused:
        account_services.user_create(
            actor=coordinator, username="evil", email="e@test.local", municipality=baia_mare, last_name="nimdA\u202e"
        )
    assert list(refused.value.message_dict) == ["last_name"]


def test_an_ordinary_name_with_diacritics_is_kept(api, caseworker_a):
    api.force_authenticate(caseworker_a)
    response = api.post(
        "/api/v1/persons/?confirm_new=true",
        {"first_name": "Ștefan-Ödön", "last_name": "Bălțeanu", "sex": "M"},
        format="json",
    )
    assert response.status_code == 201
