"""The report pages: start a report, follow its job, download its files and the DHIS2 exports.

Each refusal asserts its one status code (docs/architecture.md §3): anonymous → 302 to the login page, a
user of another municipality → 404, a lower role of the same municipality → 403.
"""

import pytest
from django.urls import reverse

from carenet.core.models import BackgroundJob

pytestmark = pytest.mark.django_db


def test_report_job_runs_in_the_background_and_offers_three_downloads(
    client, reported, balti_coordinator, django_capture_on_commit_callbacks
):
    client.force_login(balti_coordinator)
    form = client.get(reverse("reports:report_start", args=[reported.pk]))
    assert form.status_code == 200 and "Русский" in form.content.decode()  # Bălți's second official language
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the job row is committed
        resp = client.post(reverse("reports:report_start", args=[reported.pk]), {"period": "2025", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(reported.municipality).get()
    assert resp.url == reverse("reports:report_job", args=[job.pk])
    assert job.status == "done" and set(job.result["files"]) == {"docx", "pdf", "xlsx"}
    dl = client.get(reverse("reports:report_download", args=[job.pk, "pdf"]))
    assert dl.status_code == 200 and b"".join(dl.streaming_content)[:4] == b"%PDF"


def test_a_balti_user_gets_404_on_the_baia_mare_report_and_exports(client, balti_coordinator, bm_plan):
    client.force_login(balti_coordinator)
    assert client.get(reverse("reports:report_start", args=[bm_plan.pk])).status_code == 404
    assert client.get(reverse("reports:dhis2_json", args=[bm_plan.pk])).status_code == 404


def test_a_data_officer_cannot_generate_the_report_403(client, cultura_officer, balti_plan):
    client.force_login(cultura_officer)
    assert client.get(reverse("reports:report_start", args=[balti_plan.pk])).status_code == 403


def test_report_start_refuses_an_unknown_period_with_a_message(client, reported, balti_coordinator):
    client.force_login(balti_coordinator)
    resp = client.post(reverse("reports:report_start", args=[reported.pk]), {"period": "1999"})
    assert resp.status_code == 400 and 'href="#period"' in resp.content.decode()
    assert not BackgroundJob.objects.for_tenant(reported.municipality).exists()


def test_a_baia_mare_coordinator_gets_404_on_a_balti_report_job_and_its_files(
    client, reported, balti_coordinator, bm_coordinator
):
    client.force_login(balti_coordinator)
    client.post(reverse("reports:report_start", args=[reported.pk]), {"period": "2025", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(reported.municipality).get()
    client.force_login(bm_coordinator)
    assert client.get(reverse("reports:report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:report_download", args=[job.pk, "docx"])).status_code == 404
    assert client.get(reverse("reports:dhis2_adx", args=[reported.pk])).status_code == 404


def test_a_data_officer_of_the_same_tenant_cannot_download_the_report_403(
    client, reported, balti_coordinator, cultura_officer
):
    client.force_login(balti_coordinator)
    client.post(reverse("reports:report_start", args=[reported.pk]), {"period": "2025", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(reported.municipality).get()
    client.force_login(cultura_officer)
    assert client.get(reverse("reports:report_download", args=[job.pk, "pdf"])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page_302(client, reported, balti_coordinator):
    client.force_login(balti_coordinator)
    client.post(reverse("reports:report_start", args=[reported.pk]), {"period": "2025", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(reported.municipality).get()
    client.logout()
    for page in (
        reverse("reports:report_start", args=[reported.pk]),
        reverse("reports:report_job", args=[job.pk]),
        reverse("reports:report_download", args=[job.pk, "pdf"]),
        reverse("reports:dhis2_json", args=[reported.pk]),
        reverse("reports:dhis2_adx", args=[reported.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), page


def test_a_data_officer_cannot_start_a_report_by_posting_403(client, reported, cultura_officer):
    client.force_login(cultura_officer)
    response = client.post(reverse("reports:report_start", args=[reported.pk]), {"period": "2025"})
    assert response.status_code == 403
    assert not BackgroundJob.objects.for_tenant(reported.municipality).exists()
