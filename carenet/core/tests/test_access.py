"""Fetch-and-check: invisible records are 404, visible but not allowed are 403, anonymous goes to login."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from carenet.core.access import fetch, parse_uuid, requires
from carenet.core.models import Organisation
from carenet.core.roles import Role


def test_a_record_of_the_other_municipality_is_a_404(other_tenant_user, org_a):
    with pytest.raises(Http404):
        fetch(other_tenant_user, Organisation.objects.for_tenant(org_a.municipality), uuid.uuid4())


@pytest.mark.parametrize("bad", ["not-a-uuid", None, "1; DROP TABLE"])
def test_a_malformed_id_is_a_404_never_a_500(caseworker_a, bad):
    with pytest.raises(Http404):
        fetch(caseworker_a, Organisation.objects.for_tenant(caseworker_a.municipality_id), bad)
    with pytest.raises(Http404):
        parse_uuid(bad)


def test_a_visible_record_without_the_action_is_a_403(caseworker_a, org_a):
    qs = Organisation.objects.for_tenant(org_a.municipality)
    assert fetch(caseworker_a, qs, org_a.pk) == org_a
    with pytest.raises(PermissionDenied):
        fetch(caseworker_a, qs, org_a.pk, action="no-such-action-for-a-caseworker")


def _view(request):
    return HttpResponse("ok")


def test_requires_sends_an_anonymous_visitor_to_the_login_page(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/x/")
    request.user = AnonymousUser()
    response = requires(Role.COORDINATOR)(_view)(request)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_requires_refuses_a_lower_role_with_403(rf: RequestFactory, caseworker_a, coordinator):
    request = rf.get("/x/")
    request.user = caseworker_a
    with pytest.raises(PermissionDenied):
        requires(Role.COORDINATOR)(_view)(request)
    request.user = coordinator
    assert requires(Role.COORDINATOR)(_view)(request).status_code == 200


def test_requires_takes_a_predicate(rf: RequestFactory, caseworker_a):
    request = rf.get("/x/")
    request.user = caseworker_a
    assert requires(lambda user: user.username == "cw_a")(_view)(request).status_code == 200
    with pytest.raises(PermissionDenied):
        requires(lambda user: False)(_view)(request)
