"""Course pages and the roll call: what each side sees, and the refusals with their one status code."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused
from carenet.training import services
from carenet.training.models import EnrolmentStatus

from .conftest import START, make_course

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def enrolled(course, caseworker_a, cases):
    return [services.enrolment_from_case(actor=caseworker_a, case=c, course=course) for c in cases[:2]]


def test_a_company_posts_a_course_that_appears_in_the_public_catalogue(csr, company, rules, baia_mare):
    response = _client(csr).post(
        reverse("training:course_create"),
        {
            "organisation": company.pk,
            "offered_by": "company",
            "title": "Lucrător comercial",
            "starts_on": "2026-04-01",
            "places": 8,
            "free_places": 2,
            "hours": 40,
            "language": "ro",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    catalogue = Client().get(reverse("training_public:catalogue", kwargs={"municipality_slug": baia_mare.slug}))
    assert "Lucrător comercial" in catalogue.content.decode()


def test_a_course_form_with_bad_input_names_the_field_and_saves_nothing(csr, company, rules):
    response = _client(csr).post(
        reverse("training:course_create"),
        {
            "organisation": company.pk,
            "offered_by": "company",
            "title": "X",
            "starts_on": "2026-04-01",
            "places": 5,
            "free_places": 9,
            "language": "ro",
        },
    )
    assert response.status_code == 400
    assert "free places are between 0" in response.content.decode()


def test_the_company_sees_names_and_attendance_never_the_case_or_the_category(course, csr, enrolled, cases):
    page = _client(csr).get(reverse("training:course", args=[course.pk])).content.decode()
    assert "Rus Maria" in page and "Pop Ioan" in page
    for case in cases[:2]:
        assert case.reference not in page
        assert str(case.pk) not in page
        assert case.request_summary not in page
    assert "Serviciul social" not in page  # the social worker's provider is not named


def test_the_roll_call_records_once_per_key_and_reports_a_dropout(course, csr, enrolled):
    session = course.sessions.first()
    url = reverse("training:roll_call_submit", args=[session.pk])
    client = _client(csr)
    key = str(uuid.uuid4())
    body = json.dumps({"key": key, "enrolment": str(enrolled[0].pk), "mark": "absent"})
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert client.post(url, body, content_type="application/json").status_code == 200
    second = course.sessions.all()[1]
    answer = client.post(
        reverse("training:roll_call_submit", args=[second.pk]),
        json.dumps({"key": str(uuid.uuid4()), "enrolment": str(enrolled[0].pk), "mark": "absent"}),
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["dropped_out"] is True
    enrolled[0].refresh_from_db()
    assert enrolled[0].status == EnrolmentStatus.DROPPED_OUT


def test_a_roll_call_mark_with_bad_input_is_refused_naming_the_field(course, csr, enrolled):
    url = reverse("training:roll_call_submit", args=[course.sessions.first().pk])
    answer = _client(csr).post(
        url,
        json.dumps({"key": str(uuid.uuid4()), "enrolment": str(enrolled[0].pk), "mark": "late"}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "mark" in answer.json()["errors"]
    assert _client(csr).post(url, "[", content_type="application/json").status_code == 400


def test_the_roll_call_page_works_for_the_trainer(course, csr, enrolled):
    page = _client(csr).get(reverse("training:roll_call", args=[course.sessions.first().pk]))
    assert page.status_code == 200 and "offline_queue.js" in page.content.decode()


# --- refusals, one status code each -----------------------------------------------------------------------


def test_another_company_sees_the_published_course_but_is_refused_its_roll_call_with_403(course, csr_b, enrolled):
    # A published course is visible to staff (the catalogue); the roll call of a course one does not run: 403.
    assert_refused(_client(csr_b), reverse("training:roll_call", args=[course.sessions.first().pk]), FORBIDDEN)


def test_a_draft_course_of_another_company_is_a_404(csr, csr_b, company, rules):
    draft = services.course_create(
        actor=csr,
        data=services.CourseInput(
            organisation=company, title="Ciornă", starts_on=START, places=5, offered_by="company"
        ),
    )
    assert_refused(_client(csr_b), reverse("training:course", args=[draft.pk]), NOT_FOUND)


def test_the_other_municipality_is_refused_with_404(course, other_tenant_user):
    client = _client(other_tenant_user)
    assert_refused(client, reverse("training:course", args=[course.pk]), NOT_FOUND)
    assert_refused(client, reverse("training:roll_call", args=[course.sessions.first().pk]), NOT_FOUND)


def test_a_social_worker_sees_the_published_course_but_may_not_run_it(course, caseworker_a):
    client = _client(caseworker_a)
    assert client.get(reverse("training:course", args=[course.pk])).status_code == 200
    assert_refused(client, reverse("training:course_close", args=[course.pk]), FORBIDDEN, method="post")


def test_a_lower_role_cannot_post_a_course(auditor):
    assert_refused(_client(auditor), reverse("training:course_create"), FORBIDDEN)


def test_an_anonymous_visitor_is_sent_to_login(course):
    client = Client()
    assert_refused(client, reverse("training:courses"), LOGIN_REDIRECT)
    assert_refused(client, reverse("training:course", args=[course.pk]), LOGIN_REDIRECT)
    assert_refused(client, reverse("training:roll_call", args=[course.sessions.first().pk]), LOGIN_REDIRECT)


def test_a_citizen_without_a_role_is_refused_the_list_with_403(citizen):
    assert_refused(_client(citizen), reverse("training:courses"), FORBIDDEN)


def test_closing_without_sessions_says_why(csr, company, rules):
    course = make_course(csr, company)
    response = _client(csr).post(reverse("training:course_close", args=[course.pk]), follow=True)
    assert "no sessions yet" in response.content.decode()
