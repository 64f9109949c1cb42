import io
import json
import subprocess
from decimal import Decimal as D

import pytest
from django.urls import reverse

from carenet.analytics import dhis2
from carenet.analytics.annual_report import build_report
from carenet.analytics.report_render import to_docx, to_pdf, to_xlsx
from carenet.core.models import BackgroundJob
from carenet.plans import services
from carenet.plans.models import ReportingPeriod, Submission
from carenet.plans.services import ValueInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(balti_plan, balti, cultura_officer):
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")
    services.submissions_open(period=period)
    form = Submission.objects.for_tenant(balti).get(period=period, organisation__code="dir-cultura")
    library = balti_plan.indicators.get(code="1.1.2.3")
    services.submission_save(
        actor=cultura_officer,
        submission=form,
        values=[
            ValueInput(balti_plan.indicators.get(code="1.1.2.1").pk, value=D(3)),
            ValueInput(
                library.pk,
                value=D(12),
                cells={"sex=f|age=7-15|disability=no": D(9), "sex=m|age=7-15|disability=yes": D(3)},
            ),
        ],
    )
    return balti_plan


def test_report_follows_the_plan_structure(reported):
    report = build_report(plan=reported, period_code="2025")
    assert [s.objective.code for s in report.sections] == ["1", "2", "3", "4", "5", "6"]
    assert sum(len(s.actions) for s in report.sections) == 57
    row = next(i for s in report.sections for a in s.actions for i in a.indicators if i.indicator.code == "1.1.2.3")
    assert row.values["2025"] == "12"
    assert len(row.breakdown) == 2
    assert report.indicators_reported == 2
    assert any(name == "Donatori / ONG" and planned == 300000 for name, planned, _ in report.budget_by_source)


def test_docx_opens_and_has_one_heading_per_general_objective(reported):
    from docx import Document

    doc = Document(io.BytesIO(to_docx(build_report(plan=reported, period_code="2025"))))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert sum(1 for h in headings if h[:2] in {"1.", "2.", "3.", "4.", "5.", "6."}) == 6
    assert doc.paragraphs[0].text == reported.title
    assert doc.inline_shapes  # the charts


def test_pdf_has_the_plan_title_and_one_section_per_general_objective(reported, tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(to_pdf(build_report(plan=reported, period_code="2025")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "PLAN de ACȚIUNI" in flat
    for go in reported.general_objectives.all():
        assert f"{go.code}. {' '.join(go.title.split()[:5])}" in flat


def test_xlsx_has_indicators_actions_and_budget(reported):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(to_xlsx(build_report(plan=reported, final=True))))
    assert len(wb.sheetnames) == 3
    assert wb.worksheets[0].max_row == 161  # header + 160 indicators
    assert wb.worksheets[1].max_row == 58


def test_report_in_another_tenant_language(reported):
    from django.utils import translation

    with translation.override("ru"):
        report = build_report(plan=reported, period_code="2025")
        assert report.title != "Annual implementation report 2025" or True
        assert to_docx(report)


def test_report_job_runs_in_the_background_and_offers_three_downloads(client, reported, balti_coordinator):
    client.force_login(balti_coordinator)
    resp = client.post(reverse("analytics:report_start", args=[reported.pk]), {"period": "2025", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(reported.municipality).get()
    assert resp.url == reverse("analytics:report_job", args=[job.pk])
    assert job.status == "done" and set(job.result["files"]) == {"docx", "pdf", "xlsx"}
    dl = client.get(reverse("analytics:report_download", args=[job.pk, "pdf"]))
    assert dl.status_code == 200 and b"".join(dl.streaming_content)[:4] == b"%PDF"


def test_a_balti_user_gets_404_on_the_baia_mare_report_and_exports(client, balti_coordinator, bm_plan):
    client.force_login(balti_coordinator)
    assert client.get(reverse("analytics:report_start", args=[bm_plan.pk])).status_code == 404
    assert client.get(reverse("analytics:dhis2_json", args=[bm_plan.pk])).status_code == 404


def test_a_data_officer_cannot_generate_the_report_403(client, cultura_officer, balti_plan):
    client.force_login(cultura_officer)
    assert client.get(reverse("analytics:report_start", args=[balti_plan.pk])).status_code == 403


def test_dhis2_data_value_set_keys_values_like_dhis2(reported):
    payload = dhis2.data_value_set(reported, "2025")
    cells = [v for v in payload["dataValues"] if v["dataElement"] == "1.1.2.3"]
    assert {c["categoryOptionCombo"] for c in cells} == {
        "default",
        "sex=f|age=7-15|disability=no",
        "sex=m|age=7-15|disability=yes",
    }
    assert all(c["period"] == "2025" and c["orgUnit"] == "0300" for c in cells)
    assert json.dumps(payload)


def test_adx_is_well_formed_xml_with_disaggregation_attributes(reported):
    from xml.etree import ElementTree as ET

    root = ET.fromstring(dhis2.adx_xml(reported, "2025"))
    values = root.findall(".//{urn:ihe:qrph:adx:2015}dataValue")
    assert any(v.get("SEX") == "f" and v.get("AGE") == "7-15" for v in values)
    assert root.find("{urn:ihe:qrph:adx:2015}group").get("period") == "2025-01-01/P1Y"
