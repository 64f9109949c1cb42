"""The portal: a citizen signs up, applies, checks in and out, sees confirmed hours and points, redeems a
reward; another citizen cannot act on their records; bad input is refused naming the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carenet.testing.factories import UserFactory
from carenet.testing.refusals import LOGIN_REDIRECT, NOT_FOUND, assert_refused
from carenet.volunteering.models import Volunteer

pytestmark = pytest.mark.django_db


def test_a_citizen_signs_up(client, citizen, baia_mare, bm_rules):
    client.force_login(citizen)
    url = reverse("volunteering_public:sign_up", kwargs={"municipality_slug": baia_mare.slug})
    response = client.post(
        url,
        {
            "first_name": "Ioana",
            "last_name": "Rus",
            "birth_date": "1990-02-03",
            "skills": ["elderly"],
            "weekdays": ["1"],
        },
    )
    assert response.status_code == 302
    assert Volunteer.objects.for_tenant(baia_mare).get(user=citizen).status == "pending"


def test_bad_sign_up_input_names_the_field_and_saves_nothing(client, citizen, baia_mare, bm_rules):
    client.force_login(citizen)
    url = reverse("volunteering_public:sign_up", kwargs={"municipality_slug": baia_mare.slug})
    response = client.post(url, {"first_name": "Ioana", "last_name": "Rus", "birth_date": "2020-01-01"})
    assert response.status_code == 200 and "Volunteers must be at least 15 years old." in response.content.decode()
    assert not Volunteer.objects.for_tenant(baia_mare).exists()


def test_the_volunteer_checks_in_and_out(client, application, baia_mare):
    client.force_login(application.volunteer.user)
    slug = baia_mare.slug
    client.post(
        reverse("volunteering_public:check_in", kwargs={"municipality_slug": slug, "application_id": application.pk})
    )
    attendance = application.attendances.get()
    client.post(
        reverse("volunteering_public:check_out", kwargs={"municipality_slug": slug, "attendance_id": attendance.pk})
    )
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None and attendance.status == "recorded"
    page = client.get(reverse("volunteering_public:home", kwargs={"municipality_slug": slug})).content.decode()
    assert "Waiting for the organiser" in page


def test_another_citizen_cannot_check_in_for_the_volunteer(client, application, baia_mare):
    client.force_login(UserFactory(username="intruder"))
    url = reverse(
        "volunteering_public:check_in", kwargs={"municipality_slug": baia_mare.slug, "application_id": application.pk}
    )
    assert_refused(client, url, NOT_FOUND, method="post")


def test_the_other_municipality_does_not_reach_the_opportunity(client, volunteer, opportunity, balti):
    client.force_login(volunteer.user)
    url = reverse(
        "volunteering_public:apply", kwargs={"municipality_slug": balti.slug, "opportunity_id": opportunity.pk}
    )
    assert_refused(client, url, NOT_FOUND, method="post")


def test_an_anonymous_visitor_signs_in_before_signing_up(client, baia_mare, bm_rules):
    assert_refused(
        client, reverse("volunteering_public:sign_up", kwargs={"municipality_slug": baia_mare.slug}), LOGIN_REDIRECT
    )


def test_the_catalogue_and_the_certificate_check_are_public(client, reward, baia_mare):
    assert (
        "Bilet la teatru"
        in client.get(
            reverse("volunteering_public:rewards", kwargs={"municipality_slug": baia_mare.slug})
        ).content.decode()
    )
    page = client.get(
        reverse("volunteering_public:verify", kwargs={"municipality_slug": baia_mare.slug}), {"code": "NOPE"}
    )
    assert "No certificate has this code." in page.content.decode()
