"""The annual report (built, then laid out as DOCX, PDF and XLSX) and the DHIS2 exports of a plan."""

import io
import json
from decimal import Decimal as D

import pytest
from django.utils import translation

from carenet.plans import services
from carenet.reports import dhis2
from carenet.reports.annual_report import build_report
from carenet.reports.report_render import to_docx, to_pdf, to_xlsx

pytestmark = pytest.mark.django_db


@translation.override("ro")
def test_report_follows_the_plan_structure(reported):
    report = build_report(plan=reported, period_code="2025")
    assert [s.objective.code for s in report.sections] == ["1", "2", "3", "4", "5", "6"]
    assert sum(len(s.actions) for s in report.sections) == 57
    row = next(i for s in report.sections for a in s.actions for i in a.indicators if i.indicator.code == "1.1.2.3")
    assert row.values["2025"] == "12"
    assert len(row.breakdown) == 2
    assert row.table["columns"] == [
        "femei · cu dizabilități",
        "femei · fără dizabilități",
        "bărbați · cu dizabilități",
        "bărbați · fără dizabilități",
    ]
    assert row.table["rows"] == [("7-15", ["—", "9", "3", "—"])]
    assert report.indicators_reported == 2
    assert any(name == "Donatori / ONG" and planned == 300000 for name, planned, _ in report.budget_by_source)


@translation.override("ro")
def test_docx_opens_and_has_one_heading_per_general_objective(reported):
    from docx import Document

    doc = Document(io.BytesIO(to_docx(build_report(plan=reported, period_code="2025"))))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert sum(1 for h in headings if h[:2] in {"1.", "2.", "3.", "4.", "5.", "6."}) == 6
    assert doc.paragraphs[0].text == reported.title
    assert doc.inline_shapes  # the charts
    grids = [t for t in doc.tables if t.rows[0].cells[1].text == "femei · cu dizabilități"]
    assert [c.text for c in grids[0].rows[1].cells] == ["7-15", "—", "9", "3", "—"]


def test_pdf_has_the_plan_title_and_one_section_per_general_objective(reported):
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(to_pdf(build_report(plan=reported, period_code="2025"))))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    assert "PLAN de ACȚIUNI" in flat
    for go in reported.general_objectives.all():
        assert f"{go.code}. {' '.join(go.title.split()[:5])}" in flat


def test_xlsx_has_indicators_actions_and_budget(reported):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(to_xlsx(build_report(plan=reported, final=True))))
    assert len(wb.sheetnames) == 4
    assert wb.worksheets[0].max_row == 161  # header + 160 indicators
    assert wb.worksheets[1].max_row == 58


def test_report_in_another_tenant_language(reported):
    from django.utils import translation

    with translation.override("ru"):
        report = build_report(plan=reported, period_code="2025")
        assert report.title == "Годовой отчёт о выполнении 2025"
        assert to_docx(report)


def test_dhis2_data_value_set_keys_values_like_dhis2(reported):
    payload = dhis2.data_value_set(reported, "2025")
    cells = [v for v in payload["dataValues"] if v["dataElement"] == "1.1.2.3"]
    assert {c["categoryOptionCombo"] for c in cells} == {  # one combination per element: DHIS2 derives the total
        "sex=f|age=7-15|disability=no",
        "sex=m|age=7-15|disability=yes",
    }
    assert all(c["period"] == "2025" and c["orgUnit"] == "0300" for c in cells)
    assert json.dumps(payload)


def test_adx_is_well_formed_xml_with_disaggregation_attributes(reported):
    from xml.etree import ElementTree as ET

    root = ET.fromstring(dhis2.adx_xml(reported, "2025"))  # noqa: S314  (our own output)
    values = root.findall(".//{urn:ihe:qrph:adx:2015}dataValue")
    assert any(v.get("SEX") == "f" and v.get("AGE") == "7-15" for v in values)
    assert root.find("{urn:ihe:qrph:adx:2015}group").get("period") == "2025-01-01/P1Y"


def test_targets_per_period_show_in_the_report(balti_plan, balti_coordinator):
    indicator = balti_plan.indicators.get(code="1.1.1.1")
    services.indicator_target_set(actor=balti_coordinator, indicator=indicator, year=2025, value=D(3))
    report = build_report(plan=balti_plan, period_code="2025")
    row = next(i for s in report.sections for a in s.actions for i in a.indicators if i.indicator.code == "1.1.1.1")
    assert row.target == "2025: >= 3"


def test_an_action_nobody_reported_on_reads_no_report_received_not_not_started(
    balti_plan, cultura_form, cultura_officer, balti_coordinator, english
):
    from carenet.plans.models import ActionStatus
    from carenet.plans.selectors import actions_of_body

    own = list(actions_of_body(plan=balti_plan, organisation=cultura_form.organisation).order_by("code")[:2])
    services.submission_save(
        actor=cultura_officer,
        submission=cultura_form,
        values=[],
        progress=[
            services.ProgressInput(own[0].pk, status=ActionStatus.NOT_STARTED, note="Amânată."),
            services.ProgressInput(own[1].pk, status=ActionStatus.DONE),
        ],
    )
    services.submission_submit(actor=cultura_officer, submission=cultura_form)
    services.submission_approve(actor=balti_coordinator, submission=cultura_form)
    report = build_report(plan=balti_plan, period_code="2025")
    rows = {a.action.pk: a for s in report.sections for a in s.actions}
    assert rows[own[0].pk].status_label == "Not started"  # reported as not started
    assert rows[own[1].pk].status_label == "Done"
    silent = [a for a in rows.values() if a.action.pk not in {own[0].pk, own[1].pk}]
    assert silent and all(a.status_label == "No report received" for a in silent)
    assert report.status_counts["No report received"] == len(silent)
    assert report.status_counts["Not started"] == 1


def test_funding_sources_read_in_the_readers_language_with_the_plans_own_name(reported):
    with translation.override("ru"):
        sources = [
            name for name, _planned, _executed in build_report(plan=reported, period_code="2025").budget_by_source
        ]
    assert "Доноры / НПО" in sources  # the plan's "Donatori / ONG" is just the kind: translated alone
    assert any(s.startswith("Местный бюджет (Bugetul public local") for s in sources)
    with translation.override("ro"):
        sources = [
            name for name, _planned, _executed in build_report(plan=reported, period_code="2025").budget_by_source
        ]
    assert "Bugetul public local" in sources  # as the plan writes it


@pytest.mark.parametrize(("language", "figure"), [("ro", "300.000"), ("en", "300,000"), ("ru", "300\xa0000")])
def test_budget_figures_are_written_as_the_reader_writes_numbers(reported, language, figure):
    from docx import Document

    with translation.override(language):
        doc = Document(io.BytesIO(to_docx(build_report(plan=reported, period_code="2025"))))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert figure in cells
