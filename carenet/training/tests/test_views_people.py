"""The social side: enrolling from a case, alerts, the certificate PDF, the CV, placements; refusals."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused
from carenet.training import services
from carenet.training.models import EnrolmentStatus, Mark

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_a_social_worker_enrols_from_the_case_page(course, caseworker_a, cases):
    client = _client(caseworker_a)
    page = client.get(reverse("training:case", args=[cases[0].pk]))
    assert page.status_code == 200 and course.title in page.content.decode()
    client.post(reverse("training:case_enrol", args=[cases[0].pk]), {"course": course.pk})
    assert course.enrolments.get().status == EnrolmentStatus.ENROLLED


def test_enrolling_without_consent_says_why_and_enrols_nobody(course, caseworker_a, case_a):
    response = _client(caseworker_a).post(
        reverse("training:case_enrol", args=[case_a.pk]), {"course": course.pk}, follow=True
    )
    assert "has not agreed to share" in response.content.decode()
    assert not course.enrolments.exists()


def test_the_social_worker_is_alerted_and_downloads_a_certificate(course, csr, caseworker_a, cases):
    done, dropped = (services.enrolment_from_case(actor=caseworker_a, case=c, course=course) for c in cases[:2])
    for s in course.sessions.all():
        services.roll_call_mark(actor=csr, session=s, enrolment_id=done.pk, mark=Mark.PRESENT, key=uuid.uuid4())
        services.roll_call_mark(actor=csr, session=s, enrolment_id=dropped.pk, mark=Mark.ABSENT, key=uuid.uuid4())
    services.course_close(actor=csr, course=course)
    client = _client(caseworker_a)
    alerts = client.get(reverse("training:alerts")).content.decode()
    assert "Pop Ioan dropped out of" in alerts and "after 2 absences" in alerts
    pdf = client.get(reverse("training:certificate", args=[done.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert_refused(client, reverse("training:certificate", args=[dropped.pk]), NOT_FOUND)


def test_the_cv_prints_in_romanian_from_the_record(caseworker_a, case_a):
    client = _client(caseworker_a)
    client.post(reverse("training:cv_add", args=[case_a.pk]), {"kind": "education", "title": "Liceul tehnologic"})
    page = client.get(reverse("training:cv", args=[case_a.pk])).content.decode()
    assert "Liceul tehnologic" in page and "Educație" in page


def test_a_cv_item_with_a_bad_year_is_refused_naming_the_field(caseworker_a, case_a):
    response = _client(caseworker_a).post(
        reverse("training:cv_add", args=[case_a.pk]),
        {"kind": "education", "title": "X", "year_from": 1800},
        follow=True,
    )
    assert "between 1940 and next year" in response.content.decode()


def test_a_placement_and_its_follow_up(caseworker_a, case_a):
    client = _client(caseworker_a)
    hired = (datetime.date.today() - datetime.timedelta(days=120)).isoformat()
    client.post(
        reverse("training:placement_add", args=[case_a.pk]),
        {"employer": "SC Exemplu", "post": "Operator", "outcome": "hired", "hired_on": hired},
    )
    page = client.get(reverse("training:case", args=[case_a.pk])).content.decode()
    assert "SC Exemplu" in page and "Still employed at 3 months" in page


# --- refusals ---------------------------------------------------------------------------------------------


def test_the_company_never_opens_the_case_page(csr, cases):
    assert_refused(_client(csr), reverse("training:case", args=[cases[0].pk]), NOT_FOUND)


def test_another_provider_is_refused_the_case_page_with_404(caseworker_b, cases):
    assert_refused(_client(caseworker_b), reverse("training:case", args=[cases[0].pk]), NOT_FOUND)
    assert_refused(_client(caseworker_b), reverse("training:cv", args=[cases[0].pk]), NOT_FOUND)


def test_the_other_municipality_is_refused_with_404(other_tenant_user, cases):
    assert_refused(_client(other_tenant_user), reverse("training:case", args=[cases[0].pk]), NOT_FOUND)


def test_an_auditor_who_sees_no_case_file_is_refused_with_404(auditor, cases):
    assert_refused(_client(auditor), reverse("training:case", args=[cases[0].pk]), NOT_FOUND)


def test_a_social_worker_may_not_close_a_course_403(course, caseworker_a):
    assert_refused(_client(caseworker_a), reverse("training:course_close", args=[course.pk]), FORBIDDEN, method="post")


def test_an_anonymous_visitor_is_sent_to_login(cases):
    assert_refused(Client(), reverse("training:case", args=[cases[0].pk]), LOGIN_REDIRECT)
    assert_refused(Client(), reverse("training:alerts"), LOGIN_REDIRECT)


def test_someone_elses_alert_is_a_404(course, csr, caseworker_a, supervisor_a, cases):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    for s in list(course.sessions.all())[:2]:
        services.roll_call_mark(actor=csr, session=s, enrolment_id=e.pk, mark=Mark.ABSENT, key=uuid.uuid4())
    alert = e.alerts.get()
    assert_refused(_client(supervisor_a), reverse("training:alert_read", args=[alert.pk]), NOT_FOUND, method="post")
