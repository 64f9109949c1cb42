"""The persons export goes through the one export path: a name a spreadsheet would run is written as text,
in CSV and in XLSX, and the export is an audit event naming the persons whose data left."""

import csv
import io

import pytest
from openpyxl import load_workbook

from carenet.audit.models import AuditEvent
from carenet.people.tests.conftest import make_person

NAMES = ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0"]


@pytest.fixture
def formula_persons(baia_mare, org_a):
    return [make_person(baia_mare, org_a, first=name, last=name) for name in NAMES]


def test_the_csv_export_writes_formula_names_as_text(client, caseworker_a, formula_persons):
    client.force_login(caseworker_a)
    response = client.get("/people/export.csv")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="persons.csv"'
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    written = {cell for row in rows[1:] for cell in row[1:3]}
    assert written == {"'" + name for name in NAMES}
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_xlsx_export_writes_formula_names_as_text(client, caseworker_a, formula_persons):
    client.force_login(caseworker_a)
    response = client.get("/people/export.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="persons.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row[1:3]]
    assert {cell.value for cell in cells} == {"'" + name for name in NAMES}
    assert all(cell.data_type == "s" for cell in cells)  # text, never a formula


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_is_audited_with_the_persons_exported(client, caseworker_a, formula_persons, fmt):
    client.force_login(caseworker_a)
    client.get(f"/people/export.{fmt}")
    event = AuditEvent.objects.get(action="export", actor=caseworker_a)
    assert event.object_type == f"people.person.{fmt}"
    assert sorted(event.changes["subject_ids"]) == sorted(str(p.pk) for p in formula_persons)
    assert event.changes["rows"] == len(formula_persons)


def test_the_export_needs_sign_in(client, formula_persons):
    response = client.get("/people/export.xlsx")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/people/export.csv", "/cases/all/export.csv?status=all"])
def test_every_formula_prefix_is_written_as_text_in_both_exports(client, caseworker_a, baia_mare, org_a, url):
    """Issue 26, Medium 6 (fixed centrally in core.exports, kept here): =, +, -, @, tab and carriage return."""
    from carenet.cases import services as case_services

    payloads = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
    for payload in payloads:
        person = make_person(baia_mare, org_a, first=payload, last=payload)
        case_services.case_open(actor=caseworker_a, person=person, organisation=org_a, channel="phone")
    client.force_login(caseworker_a)
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    for payload in payloads:
        assert not any(cell.startswith(payload) for cell in cells), payload
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
