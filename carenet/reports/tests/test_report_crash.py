"""Nothing half-done after a crash (issue 24): the process rendering an annual report is killed in the middle;
the job is then found interrupted, its partial files are removed, and its owner starts it again from the job
page, which finishes it.

The process is a real one (``kill -9``), on the test database: that test runs on PostgreSQL only (SQLite's test
database lives in the test process's memory, where no other process can reach it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from carenet.accounts.models import Membership
from carenet.core.jobs import jobs_reap_interrupted
from carenet.core.models import BackgroundJob, JobFailure, JobStatus
from carenet.core.roles import Role
from carenet.ops.backup import url_of
from carenet.reports.permissions import REPORT_JOB_KIND
from carenet.testing.factories import make_user, org

pytestmark = pytest.mark.django_db(transaction=True)
needs_a_shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="another process needs the test database"
)

_RUN_TASK = """\
import sys
import django
django.setup()
from carenet.reports.tasks import generate_plan_report
generate_plan_report.call(sys.argv[1])
"""


def _report_job(plan: Any, user: Any) -> BackgroundJob:
    return BackgroundJob.objects.create(
        municipality_id=plan.municipality_id,
        kind=REPORT_JOB_KIND,
        title="Raport de implementare",
        created_by=user,
        params={"plan_id": str(plan.pk), "period": "2025", "final": False, "language": "ro"},
    )


def _files(job: BackgroundJob) -> list[str]:
    try:
        return default_storage.listdir(f"jobs/{job.pk}")[1]
    except FileNotFoundError:
        return []


def _kill_while_rendering(job: BackgroundJob) -> int:
    """Run the report's task in a process of its own, held after its first file; kill it there."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url_of(connection.settings_dict),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CARENET_FAILPOINTS": "report.rendering=sleep:600",
    }
    command = [sys.executable, "-c", _RUN_TASK, str(job.pk)]
    process = subprocess.Popen(command, env=env, cwd=Path(settings.BASE_DIR))  # noqa: S603  (fixed arguments)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.progress >= 53:  # the first of three files is written: the process sleeps at the failpoint
                break
            assert process.poll() is None, "the task's process ended before the failpoint"
            time.sleep(0.5)
        else:
            pytest.fail("the report never reached its first file")
    finally:
        process.kill()
        process.wait(timeout=30)
    return process.pid


@needs_a_shared_database
def test_a_report_killed_mid_way_is_marked_interrupted_and_finishes_when_started_again(
    bm_plan: Any, bm_coordinator: Any, client: Any
) -> None:
    job = _report_job(bm_plan, bm_coordinator)
    pid = _kill_while_rendering(job)

    # What the crash left: a job "running" in a dead process, one file of three, no result recorded.
    job.refresh_from_db()
    assert (job.status, job.worker.rpartition(":")[2], job.result) == (JobStatus.RUNNING, str(pid), {})
    assert not job.result_file and len(_files(job)) == 1

    assert jobs_reap_interrupted() == 1
    job.refresh_from_db()
    assert (job.status, job.failure) == (JobStatus.FAILED, JobFailure.INTERRUPTED)
    assert _files(job) == []  # the partial file is gone
    assert jobs_reap_interrupted() == 0  # once

    client.force_login(bm_coordinator)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert reverse("ops:job_retry", args=[job.pk]) in page  # the "Start it again" form

    response = client.post(reverse("ops:job_retry", args=[job.pk]))
    again = BackgroundJob.objects.for_tenant(bm_plan.municipality_id).exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[again.pk])
    again.refresh_from_db()  # the tests' task backend runs it at once
    assert (again.status, again.progress, again.params) == (JobStatus.DONE, 100, job.params)
    assert sorted(again.result["files"]) == ["docx", "pdf", "xlsx"]
    with default_storage.open(again.result["files"]["pdf"], "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED  # the failed job stays, as history


def test_a_living_job_is_never_reaped(bm_plan: Any, bm_coordinator: Any) -> None:
    job = _report_job(bm_plan, bm_coordinator)
    from carenet.core.jobs import job_begin

    job_begin(job)  # this very process: alive
    assert jobs_reap_interrupted() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_only_the_jobs_owner_who_may_still_report_starts_it_again(
    bm_plan: Any, bm_coordinator: Any, balti_coordinator: Any, client: Any
) -> None:
    job = _report_job(bm_plan, bm_coordinator)
    BackgroundJob.objects.for_tenant(bm_plan.municipality_id).filter(pk=job.pk).update(
        status=JobStatus.FAILED, failure=JobFailure.INTERRUPTED
    )
    url = reverse("ops:job_retry", args=[job.pk])

    assert client.post(url).status_code == 302  # anonymous: to the sign-in page
    assert "/login/" in client.post(url)["Location"]
    client.force_login(balti_coordinator)
    assert client.post(url).status_code == 404  # the other municipality
    client.force_login(make_user("bm_cw", bm_plan.municipality, org(bm_plan.municipality, "das"), Role.CASEWORKER))
    assert client.post(url).status_code == 404  # another user's job is never confirmed
    Membership.objects.for_tenant(bm_plan.municipality_id).filter(user=bm_coordinator).update(role=Role.CASEWORKER)
    client.force_login(bm_coordinator)
    assert client.post(url).status_code == 403  # no longer allowed to report the plan
    assert client.get(url).status_code == 405
    assert BackgroundJob.objects.for_tenant(bm_plan.municipality_id).count() == 1
