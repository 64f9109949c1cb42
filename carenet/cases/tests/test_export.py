"""The cases export goes through the one export path: a person's name a spreadsheet would run is written as
text, in CSV and in XLSX, and the export is an audit event naming the persons whose cases left."""

import csv
import io

import pytest
from openpyxl import load_workbook

from carenet.audit.models import AuditEvent
from carenet.cases import services
from carenet.people.tests.conftest import make_person

NAMES = ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0"]


@pytest.fixture
def formula_cases(baia_mare, org_a, caseworker_a):
    persons = [make_person(baia_mare, org_a, first=name, last="Pop") for name in NAMES]
    return [services.case_open(actor=caseworker_a, person=p, organisation=org_a, channel="phone") for p in persons]


def test_the_csv_export_writes_formula_names_as_text(client, caseworker_a, formula_cases):
    client.force_login(caseworker_a)
    response = client.get("/cases/all/export.csv?status=all")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="cases.csv"'
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {"'" + name + " Pop" for name in NAMES}
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_xlsx_export_writes_formula_names_as_text(client, caseworker_a, formula_cases):
    client.force_login(caseworker_a)
    response = client.get("/cases/all/export.xlsx?status=all")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="cases.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {cell.value for cell in names} == {"'" + name + " Pop" for name in NAMES}
    assert all(cell.data_type == "s" for cell in names)  # text, never a formula
    assert {case.reference for case in formula_cases} == {row[0].value for row in sheet.iter_rows(min_row=2)}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_is_audited_with_the_persons_exported(client, caseworker_a, formula_cases, fmt):
    client.force_login(caseworker_a)
    client.get(f"/cases/all/export.{fmt}?status=all")
    event = AuditEvent.objects.get(action="export", actor=caseworker_a)
    assert event.object_type == f"cases.case.{fmt}"
    assert sorted(event.changes["subject_ids"]) == sorted(str(c.person_id) for c in formula_cases)
