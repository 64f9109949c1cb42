"""Anonymous HSDS readers are answered before the middleware stack from the exact response the full
stack gave (carenet/api/hsds_edge.py): same bytes and headers, never stale, never another municipality's,
never for a reader with a cookie, and errors are never stored."""

from unittest import mock

import pytest
from django.db.models import F
from django.test import Client

from carenet.directory.models import DataVersion, Service

pytestmark = pytest.mark.django_db

URL = "/api/hsds/baia-mare/services"


def _no_view():
    """Fails the test if the request reaches the HSDS view (i.e. was not answered at the edge)."""
    return mock.patch("carenet.api.hsds.cached_answer", side_effect=AssertionError("reached the view"))


def test_the_second_anonymous_request_is_answered_at_the_edge_with_the_same_bytes_and_headers(service_a):
    reader = Client()
    first = reader.get(URL, {"search": "copii"})
    assert first.status_code == 200
    with _no_view():
        second = reader.get(URL, {"search": "copii"})
    assert second.status_code == 200 and second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Content-Type"] == first["Content-Type"]
    assert second.get("Content-Security-Policy") == first.get("Content-Security-Policy")


def test_an_edit_is_seen_by_the_next_anonymous_reader(baia_mare, service_a):
    reader = Client()
    assert reader.get(URL).json()["contents"][0]["name"] == "Centru de zi pentru copii"
    Service.plain.filter(pk=service_a.pk).update(name="Centrul nou")
    DataVersion.objects.filter(scope=DataVersion.scope_of(baia_mare)).update(version=F("version") + 1)
    assert reader.get(URL).json()["contents"][0]["name"] == "Centrul nou"


def test_a_reader_with_a_cookie_or_a_conditional_request_takes_the_normal_path(service_a, manager_a):
    Client().get(URL)  # stored at the edge
    staff = Client()
    staff.force_login(manager_a)
    with _no_view(), pytest.raises(AssertionError, match="reached the view"):
        staff.get(URL)
    with _no_view(), pytest.raises(AssertionError, match="reached the view"):
        Client().get(URL, HTTP_IF_NONE_MATCH='"x"')


def test_each_municipality_and_language_gets_its_own_answer(service_a, balti_service):
    reader = Client()
    for _ in range(2):
        assert reader.get(URL).json()["contents"][0]["name"] == "Centru de zi pentru copii"
        balti = reader.get("/api/hsds/balti/services").json()["contents"][0]["name"]
        assert balti == "Centru de zi pentru copii din Bălți"
    ro = reader.get(URL, HTTP_ACCEPT_LANGUAGE="ro")
    with _no_view(), pytest.raises(AssertionError, match="reached the view"):
        reader.get(URL, HTTP_ACCEPT_LANGUAGE="hu")  # a language not seen yet is computed by the view
    assert ro.status_code == 200


def test_a_refused_request_is_never_stored(service_a):
    reader = Client()
    for _ in range(2):
        response = reader.get(URL, {"per_page": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": "per_page", "message": "Must be a whole number."}]
