"""The public pages: catalogue, applying, the certificate check, a company's published page."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from carenet.training import services
from carenet.training.models import EnrolmentStatus, Mark

pytestmark = pytest.mark.django_db


def _url(name, municipality, **kw):
    return reverse(f"training_public:{name}", kwargs={"municipality_slug": municipality.slug, **kw})


def test_the_catalogue_lists_published_courses_of_its_municipality_only(course, baia_mare, balti):
    assert course.title in Client().get(_url("catalogue", baia_mare)).content.decode()
    assert course.title not in Client().get(_url("catalogue", balti)).content.decode()
    assert Client().get(_url("course", balti, course_id=course.pk)).status_code == 404


def test_a_person_applies_on_the_portal(course, baia_mare):
    response = Client().post(
        _url("course", baia_mare, course_id=course.pk), {"name": "Dan Ilieș", "contact": "0700000000", "consent": "on"}
    )
    assert response.status_code == 200
    assert course.enrolments.get().status == EnrolmentStatus.ENROLLED


def test_an_application_without_consent_is_refused_naming_the_field(course, baia_mare):
    response = Client().post(_url("course", baia_mare, course_id=course.pk), {"name": "Dan", "contact": "07"})
    assert response.status_code == 400 and "Agree that the trainer" in response.content.decode()
    assert not course.enrolments.exists()


def test_a_certificate_is_verified_on_the_portal_and_a_wrong_code_is_not(course, csr, caseworker_a, cases, baia_mare):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    for s in course.sessions.all():
        services.roll_call_mark(actor=csr, session=s, enrolment_id=e.pk, mark=Mark.PRESENT, key=uuid.uuid4())
    services.course_close(actor=csr, course=course)
    e.refresh_from_db()
    page = Client().get(_url("certificate_check", baia_mare), {"code": e.certificate.code}).content.decode()
    assert "Valid certificate" in page and "M. Rus" in page and "Maria" not in page
    wrong = Client().get(_url("certificate_check", baia_mare), {"code": "ABCD-EFGH-JKLM"}).content.decode()
    assert "No certificate has this code" in wrong


def test_a_company_page_is_public_only_once_published(course, csr, company, baia_mare):
    url = _url("company", baia_mare, organisation_id=company.pk)
    assert Client().get(url).status_code == 404
    services.company_publish_set(actor=csr, organisation=company, publish=True)
    assert Client().get(url).status_code == 200
