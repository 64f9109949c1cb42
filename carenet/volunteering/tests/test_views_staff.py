"""Staff pages of volunteering: the organiser confirms volunteers and hours; refusals with one status code
each (another provider 404, the other municipality 404, a lower role 403, an anonymous visitor 302)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused
from carenet.volunteering import selectors, services

pytestmark = pytest.mark.django_db


def _turn(application, hours=2):
    start = timezone.now() - datetime.timedelta(hours=hours + 1)
    t = services.attendance_check_in(actor=None, application=application, at=start)
    return services.attendance_check_out(actor=None, attendance=t, at=start + datetime.timedelta(hours=hours))


def test_the_organiser_confirms_a_volunteer_and_their_hours(client, caseworker_a, volunteer, opportunity):
    application = services.application_submit(volunteer=volunteer, opportunity=opportunity)
    client.force_login(caseworker_a)
    page = client.get(reverse("volunteering:opportunity", args=[opportunity.pk]))
    assert page.status_code == 200 and "Ana Pop" in page.content.decode()
    client.post(reverse("volunteering:application_confirm", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "confirmed"
    attendance = _turn(application)
    response = client.post(reverse("volunteering:attendance_confirm", args=[attendance.pk]), {"hours": "2"})
    assert response.status_code == 302
    assert selectors.confirmed_hours(volunteer=volunteer) == 2


def test_the_contract_and_the_certificate_are_pdfs(client, caseworker_a, coordinator, application):
    client.force_login(caseworker_a)
    contract = client.get(reverse("volunteering:contract", args=[application.pk]))
    assert contract.status_code == 200 and contract["Content-Type"] == "application/pdf"
    assert contract.content.startswith(b"%PDF")
    client.force_login(coordinator)
    today = timezone.localdate()
    certificate = client.post(
        reverse("volunteering:volunteer_certificate", args=[application.volunteer_id]),
        {"period_from": today.replace(month=1, day=1).isoformat(), "period_to": today.isoformat()},
    )
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")


def test_bad_hours_are_refused_with_a_message_naming_the_field(client, caseworker_a, application):
    attendance = _turn(application)
    client.force_login(caseworker_a)
    response = client.post(
        reverse("volunteering:attendance_confirm", args=[attendance.pk]), {"hours": "abc"}, follow=True
    )
    assert "Hours:" in response.content.decode()
    assert selectors.confirmed_hours(volunteer=application.volunteer) == 0


def test_another_provider_cannot_see_the_opportunity(client, caseworker_b, opportunity):
    client.force_login(caseworker_b)
    assert_refused(client, reverse("volunteering:opportunity", args=[opportunity.pk]), NOT_FOUND)


def test_the_other_municipality_cannot_see_the_opportunity(client, other_tenant_user, opportunity):
    client.force_login(other_tenant_user)
    assert_refused(client, reverse("volunteering:opportunity", args=[opportunity.pk]), NOT_FOUND)


def test_a_lower_role_cannot_confirm_hours(client, auditor, application):
    attendance = _turn(application)
    client.force_login(auditor)
    assert_refused(
        client,
        reverse("volunteering:attendance_confirm", args=[attendance.pk]),
        FORBIDDEN,
        method="post",
        data={"hours": "2"},
    )


def test_a_citizen_cannot_open_the_staff_pages(client, citizen, opportunity):
    client.force_login(citizen)
    assert_refused(client, reverse("volunteering:staff_home"), FORBIDDEN)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, opportunity):
    assert_refused(client, reverse("volunteering:opportunity", args=[opportunity.pk]), LOGIN_REDIRECT)


def test_only_the_coordinator_approves_volunteers(client, caseworker_a, coordinator, application):
    client.force_login(caseworker_a)
    assert_refused(
        client, reverse("volunteering:volunteer_approve", args=[application.volunteer_id]), FORBIDDEN, method="post"
    )
    client.force_login(coordinator)
    assert client.post(reverse("volunteering:volunteer_approve", args=[application.volunteer_id])).status_code == 302
