"""Another provider, the other municipality, a lower role and an anonymous visitor are refused, one code each."""

import datetime

import pytest

from carenet.privacy import services
from carenet.privacy.models import RequestKind
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused


@pytest.fixture
def subject_request(schedule, coordinator, person_a):
    return services.subject_request_register(
        actor=coordinator, person=person_a, kind=RequestKind.ERASURE, received_on=datetime.date.today()
    )


def person_urls(person):
    return [
        f"/privacy/persons/{person.pk}/",
        f"/privacy/persons/{person.pk}/access.pdf",
        f"/privacy/persons/{person.pk}/access.json",
        f"/privacy/persons/{person.pk}/requests/new/",
        f"/privacy/persons/{person.pk}/holds/new/",
    ]


def test_the_coordinator_reaches_every_page(client, coordinator, person_a, subject_request):
    client.force_login(coordinator)
    for url in [
        *person_urls(person_a),
        f"/privacy/requests/{subject_request.pk}/",
        "/privacy/",
        "/privacy/schedule/",
        "/privacy/runs/",
    ]:
        assert client.get(url).status_code == 200, url


def test_another_provider_gets_404_on_the_person(client, caseworker_b, person_a, subject_request):
    client.force_login(caseworker_b)
    for url in person_urls(person_a):
        assert_refused(client, url, NOT_FOUND)
    assert_refused(client, f"/privacy/requests/{subject_request.pk}/", NOT_FOUND)
    assert_refused(client, f"/privacy/requests/{subject_request.pk}/decide/", NOT_FOUND, method="post", data={})


def test_the_other_municipality_gets_404(client, other_tenant_user, person_a, subject_request):
    client.force_login(other_tenant_user)
    for url in [*person_urls(person_a), f"/privacy/requests/{subject_request.pk}/"]:
        assert_refused(client, url, NOT_FOUND)
    assert_refused(
        client,
        f"/privacy/requests/{subject_request.pk}/decide/",
        NOT_FOUND,
        method="post",
        data={"decision": "grant", "reason": "x"},
    )


def test_a_lower_role_who_sees_the_person_gets_403(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    for url in [*person_urls(person_a), "/privacy/", "/privacy/schedule/", "/privacy/runs/", "/privacy/schedule/rule/"]:
        assert_refused(client, url, FORBIDDEN)
    assert_refused(client, "/privacy/runs/now/", FORBIDDEN, method="post", data={})


def test_an_auditor_and_a_manager_get_403_on_the_staff_pages(client, auditor, manager_a, person_a):
    for user in (auditor, manager_a):
        client.force_login(user)
        assert_refused(client, "/privacy/", FORBIDDEN)
    assert_refused(client, f"/privacy/persons/{person_a.pk}/access.json", FORBIDDEN)  # the manager sees person_a


def test_an_anonymous_visitor_goes_to_the_login_page(client, person_a, subject_request):
    for url in [*person_urls(person_a), f"/privacy/requests/{subject_request.pk}/", "/privacy/", "/privacy/schedule/"]:
        assert_refused(client, url, LOGIN_REDIRECT)
    assert_refused(client, f"/privacy/requests/{subject_request.pk}/decide/", LOGIN_REDIRECT, method="post", data={})


def test_the_other_municipality_cannot_decide_through_the_service(other_tenant_user, subject_request):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.subject_request_decide(actor=other_tenant_user, request=subject_request, grant=True, reason="x")
