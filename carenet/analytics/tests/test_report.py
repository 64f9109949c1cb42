import io
import json
import subprocess
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

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


def test_pdf_has_the_plan_title_and_one_section_per_general_objective(reported, tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(to_pdf(build_report(plan=reported, period_code="2025")))
    text = subprocess.run(  # noqa: S603  (fixed argv, our own temp file)
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
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


def test_report_job_runs_in_the_background_and_offers_three_downloads(client, reported, balti_coordinator):
    client.force_login(balti_coordinator)
    form = client.get(reverse("analytics:report_start", args=[reported.pk]))
    assert form.status_code == 200 and "Русский" in form.content.decode()  # Bălți's second official language
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

    root = ET.fromstring(dhis2.adx_xml(reported, "2025"))  # noqa: S314  (our own output)
    values = root.findall(".//{urn:ihe:qrph:adx:2015}dataValue")
    assert any(v.get("SEX") == "f" and v.get("AGE") == "7-15" for v in values)
    assert root.find("{urn:ihe:qrph:adx:2015}group").get("period") == "2025-01-01/P1Y"


def test_a_baia_mare_coordinator_gets_404_on_a_balti_report_job_and_its_files(
    client, reported, balti_coordinator, bm_coordinator
):
    client.force_login(balti_coordinator)
    client.post(reverse("analytics:report_start", args=[reported.pk]), {"period": "2025", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(reported.municipality).get()
    client.force_login(bm_coordinator)
    assert client.get(reverse("analytics:report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("analytics:report_download", args=[job.pk, "docx"])).status_code == 404
    assert client.get(reverse("analytics:dhis2_adx", args=[reported.pk])).status_code == 404


def test_a_data_officer_of_the_same_tenant_cannot_download_the_report_403(
    client, reported, balti_coordinator, cultura_officer
):
    client.force_login(balti_coordinator)
    client.post(reverse("analytics:report_start", args=[reported.pk]), {"period": "2025", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(reported.municipality).get()
    client.force_login(cultura_officer)
    assert client.get(reverse("analytics:report_download", args=[job.pk, "pdf"])).status_code == 403


def test_report_start_refuses_an_unknown_period_with_a_message(client, reported, balti_coordinator):
    client.force_login(balti_coordinator)
    resp = client.post(reverse("analytics:report_start", args=[reported.pk]), {"period": "1999"})
    assert resp.status_code == 400 and 'href="#period"' in resp.content.decode()
    assert not BackgroundJob.objects.for_tenant(reported.municipality).exists()


def test_targets_per_period_show_in_the_report(balti_plan, balti_coordinator):
    indicator = balti_plan.indicators.get(code="1.1.1.1")
    services.indicator_target_set(actor=balti_coordinator, indicator=indicator, year=2025, value=D(3))
    report = build_report(plan=balti_plan, period_code="2025")
    row = next(i for s in report.sections for a in s.actions for i in a.indicators if i.indicator.code == "1.1.1.1")
    assert row.target == "2025: >= 3"
