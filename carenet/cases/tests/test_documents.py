"""Printable official documents of a case (cases.documents, core.documents): the social inquiry, the plan and
the contract as PDF and DOCX, from the municipality's editable text, audited; refused to whoever may not
read the case file."""

import datetime
import io

import pytest
from django.urls import reverse

from carenet.audit.models import AuditEvent
from carenet.cases import services
from carenet.core.models import DocumentTemplate
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused

FINDINGS = "Locuința este rece; se propune ajutor pentru încălzire și vizite lunare."


@pytest.fixture
def inquiry_case(case_a, caseworker_a):
    services.inquiry_record(
        actor=caseworker_a,
        case=case_a,
        expected_version=case_a.version,
        visited_on=datetime.date.today() - datetime.timedelta(days=3),
        household_size=2,
        housing="rented",
        risks=["poverty", "isolation"],
        conclusions=FINDINGS,
    )
    case_a.refresh_from_db()
    return case_a


def _url(case, kind="inquiry", fmt="pdf", lang="ro"):
    return reverse("cases:print", args=[case.pk, kind, fmt]) + f"?lang={lang}"


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.django_db
def test_a_caseworker_prints_the_social_inquiry_as_pdf_with_the_name_and_the_findings(
    client, caseworker_a, inquiry_case
):
    client.force_login(caseworker_a)
    response = client.get(_url(inquiry_case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response.content).split())
    assert inquiry_case.person.full_name in text
    assert "se propune ajutor pentru încălzire" in text
    assert "Anchetă socială" in text or "Social inquiry" in text
    assert "Legea asistenței sociale nr. 292/2011" in text  # Romanian law for Baia Mare


@pytest.mark.django_db
def test_a_caseworker_prints_the_social_inquiry_as_docx_with_the_name_and_the_findings(
    client, caseworker_a, inquiry_case
):
    client.force_login(caseworker_a)
    response = client.get(_url(inquiry_case, fmt="docx"))
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert inquiry_case.person.full_name in text
    assert FINDINGS in text
    assert "Poverty" in text or "Sărăcie" in text  # risks as labels, never codes
    assert "poverty" not in text


@pytest.mark.django_db
def test_printing_is_an_audited_export_naming_the_person(client, caseworker_a, inquiry_case):
    client.force_login(caseworker_a)
    client.get(_url(inquiry_case))
    event = AuditEvent.objects.for_tenant(inquiry_case.municipality_id).filter(action="export").latest("id")
    assert event.object_type == "cases.inquiry.pdf"
    assert event.changes["subject_ids"] == [str(inquiry_case.person_id)]


@pytest.mark.django_db
def test_a_document_whose_record_is_missing_says_what_to_record_first(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    response = client.get(_url(case_a, kind="plan"), follow=True)
    assert "Start the intervention plan first." in response.content.decode()


@pytest.mark.django_db
def test_the_municipalitys_own_text_is_used_from_its_date(client, coordinator, caseworker_a, inquiry_case):
    client.force_login(coordinator)
    edit = reverse("cases:document_template", args=["cases.inquiry", "ro"])
    assert client.get(edit).status_code == 200
    body = "<h1>ANCHETA SOCIALA — PRIMARIA</h1><p>{{ person.name }}: {{ inquiry.conclusions }}</p>"
    response = client.post(edit, {"body": body, "valid_from": datetime.date.today().isoformat()})
    assert response.status_code == 302
    client.force_login(caseworker_a)
    text = " ".join(_pdf_text(client.get(_url(inquiry_case)).content).split())
    assert "ANCHETA SOCIALA — PRIMARIA" in text
    assert inquiry_case.person.full_name in text


@pytest.mark.django_db
def test_a_template_reaching_other_templates_is_refused_naming_the_tag(client, coordinator, baia_mare):
    client.force_login(coordinator)
    edit = reverse("cases:document_template", args=["cases.inquiry", "ro"])
    response = client.post(edit, {"body": '{% include "base.html" %}', "valid_from": datetime.date.today().isoformat()})
    assert response.status_code == 200
    assert "The tag “include” is not allowed in a document template." in response.content.decode()
    assert not DocumentTemplate.objects.for_tenant(baia_mare).exists()


@pytest.mark.django_db
def test_another_provider_cannot_print_the_case(client, caseworker_b, inquiry_case):
    client.force_login(caseworker_b)
    assert_refused(client, _url(inquiry_case), NOT_FOUND)


@pytest.mark.django_db
def test_the_other_municipality_cannot_print_the_case(client, other_tenant_user, inquiry_case):
    client.force_login(other_tenant_user)
    assert_refused(client, _url(inquiry_case), NOT_FOUND)


@pytest.mark.django_db
def test_the_coordinator_sees_the_case_but_not_its_file_to_print(client, coordinator, inquiry_case):
    client.force_login(coordinator)
    assert_refused(client, _url(inquiry_case), FORBIDDEN)


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client, inquiry_case):
    assert_login_required(client, _url(inquiry_case))


@pytest.mark.django_db
def test_a_caseworker_may_not_edit_the_municipalitys_texts(client, caseworker_a, baia_mare):
    client.force_login(caseworker_a)
    assert_refused(client, reverse("cases:document_templates"), FORBIDDEN)
    assert_login_required(client.__class__(), reverse("cases:document_templates"))
