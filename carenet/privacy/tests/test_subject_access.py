"""The subject-access export: a PDF the person can read and a JSON listing every table that holds them."""

import io
import json

import pypdf

from carenet.audit.models import AuditEvent
from carenet.audit.services import audit_read
from carenet.core.subject_data import registered
from carenet.people import services as people_services

URL = "/privacy/persons/{}/access.{}"


def test_the_pdf_opens_and_names_the_person_in_the_readers_language(client, coordinator, person_a, case_a):
    client.force_login(coordinator)
    response = client.get(URL.format(person_a.pk, "pdf"), {"language": "ro"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert person_a.full_name in text
    assert "Datele dumneavoastră" in text  # Romanian, as asked
    assert case_a.reference in text
    event = AuditEvent.objects.get(action="privacy.subject_access")
    assert event.object_id == str(person_a.pk) and event.changes["format"] == "pdf" and event.actor == coordinator


def test_the_pdf_in_russian(client, coordinator, person_a):
    client.force_login(coordinator)
    response = client.get(URL.format(person_a.pk, "pdf"), {"language": "ru"})
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert person_a.full_name in text and "Ваши данные" in text


def test_the_json_lists_every_registered_table_with_the_persons_rows(
    client, coordinator, caseworker_a, person_a, case_a
):
    people_services.consent_record  # noqa: B018  (the consent service exists; rows come from any path)
    audit_read(actor=caseworker_a, obj=person_a, purpose="visit")
    client.force_login(coordinator)
    response = client.get(URL.format(person_a.pk, "json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    listed = {t["model"] for t in data["tables"]}
    assert listed == {t.model for t in registered()}
    by_model = {t["model"]: t for t in data["tables"]}
    assert by_model["people.person"]["rows"][0]["first_name"] == person_a.first_name
    assert [r["reference"] for r in by_model["cases.case"]["rows"]] == [case_a.reference]
    readers = by_model["audit.auditevent"]["rows"]
    assert any(r["actor_label"] == "cw_a" and r["purpose"] == "visit" for r in readers)
    assert all("hash" not in r and "ip" not in r for r in readers)
    assert "name_key" not in by_model["people.person"]["rows"][0]
    assert by_model["cases.case"]["table"] == "cases_case"


def test_the_export_holds_nothing_of_another_person(client, coordinator, person_a, person_b, case_a):
    client.force_login(coordinator)
    data = json.loads(client.get(URL.format(person_b.pk, "json")).content)
    by_model = {t["model"]: t for t in data["tables"]}
    assert by_model["cases.case"]["count"] == 0
    assert by_model["people.person"]["rows"][0]["id"] == str(person_b.pk)


def test_a_list_or_export_that_named_the_person_is_in_the_readers(client, coordinator, manager_a, person_a, person_b):
    from carenet.audit.services import audit_export

    audit_export(
        actor=manager_a,
        municipality=person_a.municipality_id,
        what="people.person",
        rows=1,
        subject_ids=[str(person_a.pk)],
    )
    client.force_login(coordinator)
    readers = {t["model"]: t for t in json.loads(client.get(URL.format(person_a.pk, "json")).content)["tables"]}[
        "audit.auditevent"
    ]
    assert any(r["action"]["code"] == "export" and r["actor_label"] == "mgr_a" for r in readers["rows"])
    other = {t["model"]: t for t in json.loads(client.get(URL.format(person_b.pk, "json")).content)["tables"]}[
        "audit.auditevent"
    ]
    assert not any(r["action"]["code"] == "export" for r in other["rows"])
