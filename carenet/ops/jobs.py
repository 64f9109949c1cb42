"""Starting a failed background job again (issue 24), audited; the registry of job kinds, the reaping of
interrupted jobs and the failpoints live in ``carenet.core.jobs`` (below the audit log)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.jobs import JOB_KINDS
from carenet.core.models import BackgroundJob, JobStatus


def job_retry(*, actor: Any, job: BackgroundJob) -> BackgroundJob:
    """Start a failed job's work again, as a new job; the task is queued once the row is committed."""
    if job.status != JobStatus.FAILED:
        raise ValidationError({"job": _("Only a job that failed can be started again.")})
    kind = JOB_KINDS.get(job.kind)
    if kind is None or not kind.can_retry(actor, job):
        raise PermissionDenied
    with transaction.atomic():
        again = BackgroundJob.objects.create(
            municipality_id=job.municipality_id,
            kind=job.kind,
            title=job.title,
            created_by=actor,
            params=job.params,
        )
        audit_record(action="job.retry", actor=actor, obj=again, changes={"failed_job": str(job.pk)})
        transaction.on_commit(lambda: kind.enqueue(str(again.pk)))
    return again
