"""The one export path: formula-safe cells, BOM, streaming, XLSX, and an audit event for every export."""

import io

import pytest
from django.http import Http404
from openpyxl import load_workbook

from carenet.audit.models import AuditEvent
from carenet.core.exports import export_table, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_a_spreadsheet_would_run_is_written_as_text(text):
    assert safe_cell(text) == "'" + text


def test_numbers_and_ordinary_text_are_written_unchanged():
    assert safe_cell(-5) == -5
    assert safe_cell("Ion Popescu") == "Ion Popescu"
    assert safe_cell(None) == ""


def _body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_export_starts_with_a_bom_escapes_formulas_and_is_audited(caseworker_a, baia_mare):
    response = export_table(
        actor=caseworker_a,
        municipality=baia_mare,
        what="people.person",
        header=["Nume"],
        rows=[["=cmd|' /C calc'!A0"], ["Ana"]],
        fmt="csv",
        filename="persons",
        subject_ids=["p1", "p2"],
    )
    body = _body(response)
    assert body.startswith("\ufeffNume")
    assert "'=cmd" in body
    assert response["Content-Disposition"] == 'attachment; filename="persons.csv"'
    event = AuditEvent.objects.get(action="export")
    assert event.object_type == "people.person.csv"
    assert event.changes == {"rows": 2, "subject_ids": ["p1", "p2"]}


def test_xlsx_export_escapes_formulas(caseworker_a, baia_mare):
    response = export_table(
        actor=caseworker_a,
        municipality=baia_mare,
        what="cases.case",
        header=["Nume", "Număr"],
        rows=[["=1+1", 3]],
        fmt="xlsx",
        filename="cases",
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["B2"].value == 3


def test_an_unknown_format_is_a_404(caseworker_a, baia_mare):
    with pytest.raises(Http404):
        export_table(actor=caseworker_a, municipality=baia_mare, what="x", header=[], rows=[], fmt="pdf", filename="x")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_streamed_iterator_needs_its_count_for_the_audit(caseworker_a, baia_mare):
    rows = (["row", i] for i in range(3))
    response = export_table(
        actor=caseworker_a,
        municipality=baia_mare,
        what="x",
        header=["a", "b"],
        rows=rows,
        fmt="csv",
        filename="x",
        count=3,
    )
    assert _body(response).count("row") == 3
    assert AuditEvent.objects.get(action="export").changes["rows"] == 3
