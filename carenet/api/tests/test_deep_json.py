"""Issue 26, Low 13: JSON nested 5,000 levels deep is a 400 with a message, not a server error."""

import pytest


@pytest.mark.parametrize("url", ["/api/v1/persons/", "/api/v1/cases/", "/api/v1/deliveries/", "/api/v1/referrals/"])
def test_deeply_nested_json_is_a_400(api, caseworker_a, url):
    api.force_authenticate(caseworker_a)
    body = "[" * 5000 + "]" * 5000
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_reasonable_nesting_still_parses(api, caseworker_a):
    api.force_authenticate(caseworker_a)
    body = '{"first_name": "Ana", "x": ' + "[" * 50 + "]" * 50 + "}"
    response = api.post("/api/v1/persons/", body, content_type="application/json")
    assert response.status_code == 400  # a field error from the serializer, not a parse failure
    assert "nested" not in response.content.decode()
