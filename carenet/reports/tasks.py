"""Report generation runs in the background; the user watches core.BackgroundJob progress."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django_tasks import task

from carenet.core.jobs import failpoint, job_begin
from carenet.core.models import BackgroundJob, JobStatus
from carenet.plans.models import Plan

from .annual_report import build_report
from .report_render import to_docx, to_pdf, to_xlsx

FORMATS = {"docx": to_docx, "pdf": to_pdf, "xlsx": to_xlsx}


@task()
def generate_plan_report(job_id: str) -> None:
    job = BackgroundJob.objects.all_tenants().get(pk=job_id)  # the job row names its tenant
    job_begin(job)
    try:
        with translation.override(job.params.get("language") or "ro"):
            plan = Plan.objects.for_tenant(job.municipality_id).get(pk=job.params["plan_id"])
            report = build_report(plan=plan, period_code=job.params.get("period"), final=job.params.get("final", False))
            job.progress = 30
            job.save(update_fields=["progress"])
            files = {}
            for n, (ext, render) in enumerate(FORMATS.items(), start=1):
                name = default_storage.save(f"jobs/{job.pk}/report.{ext}", ContentFile(render(report)))
                files[ext] = name
                job.progress = 30 + 23 * n
                job.save(update_fields=["progress"])
                failpoint("report.rendering")
        job.result = {"files": files}
        job.result_file.name = files["docx"]
        job.status, job.progress = JobStatus.DONE, 100
    except Exception as exc:  # the job page must say it failed, not spin forever
        job.status, job.message = JobStatus.FAILED, str(exc)[:500]
        raise
    finally:
        job.finished_at = timezone.now()
        job.save()
