"""Batch de-duplication runs in the background; the coordinator watches core.BackgroundJob progress."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from carenet.core.jobs import job_begin
from carenet.core.models import BackgroundJob, JobStatus


@task()
def deduplicate_registry(job_id: str) -> None:
    from .services import registry_deduplicate

    job = BackgroundJob.objects.all_tenants().get(pk=job_id)  # the job row names its tenant
    job_begin(job)

    def progress(value: int) -> None:
        job.progress = value
        job.save(update_fields=["progress"])

    try:
        job.result = registry_deduplicate(
            municipality_id=job.municipality_id, progress=progress, trained_by=job.created_by
        )
        job.status, job.progress = JobStatus.DONE, 100
    except Exception as exc:  # the page must say it failed, not spin forever
        job.status, job.message = JobStatus.FAILED, str(exc)[:500]
        raise
    finally:
        job.finished_at = timezone.now()
        job.save()
