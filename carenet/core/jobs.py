"""Background jobs that survive a crash (issue 24): which process runs a job, the jobs whose process died,
starting them again.

A task marks its job running with ``job_begin``, which records the process (``host:pid``). A worker killed
in the middle (out of memory, a restart, ``kill -9``) leaves the job "running" with nobody running it:
``jobs_reap_interrupted`` (scheduled, and safe to run at any time) marks such a job failed as *interrupted*
when its process is gone from this host, or when it has not moved for ``CARENET_JOB_STALL_MINUTES`` (a
process on another host); the files it had begun writing under ``jobs/<id>/`` are removed. A job's writes
to the database are committed together at its end, so nothing of an interrupted job is half-saved.

``carenet.ops.jobs.job_retry`` starts the same work again as a new job (the failed one stays, as history; the
retry is audited, which core cannot do). An app registers what starting its kind of job means, and who may
do it, with ``register_job_kind``.

``failpoint`` lets the crash tests stop a process at a named point of its work (``CARENET_FAILPOINTS``,
e.g. ``report.rendering=sleep:60``); it does nothing unless ``CARENET_FAILPOINTS_ENABLED`` (never in
production).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import BackgroundJob, JobFailure, JobStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    enqueue: Callable[[str], Any]  # queue the task for a job's id
    can_retry: Callable[[Any, BackgroundJob], bool]  # may this user start this job again


JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(
    kind: str, *, enqueue: Callable[[str], Any], can_retry: Callable[[Any, BackgroundJob], bool]
) -> None:
    JOB_KINDS[kind] = JobKind(enqueue=enqueue, can_retry=can_retry)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_begin(job: BackgroundJob, *, progress: int = 5) -> None:
    """The task has started the job, in this process."""
    job.status, job.started_at, job.progress, job.worker = JobStatus.RUNNING, timezone.now(), progress, this_process()
    job.save(update_fields=["status", "started_at", "progress", "worker", "updated_at"])


def _process_gone(worker: str) -> bool:
    """True when ``worker`` ran on this host and its process no longer exists."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def _remove_partial_files(job: BackgroundJob) -> None:
    folder = f"jobs/{job.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")


def jobs_reap_interrupted(*, now: datetime.datetime | None = None) -> int:
    """Mark failed, as interrupted, the running jobs nobody runs any more; returns how many."""
    now = now or timezone.now()
    stalled_before = now - datetime.timedelta(minutes=settings.CARENET_JOB_STALL_MINUTES)
    reaped = 0
    for job in BackgroundJob.objects.all_tenants().filter(status=JobStatus.RUNNING):
        if not (_process_gone(job.worker) or (job.updated_at is not None and job.updated_at < stalled_before)):
            continue
        with transaction.atomic():
            locked = BackgroundJob.objects.all_tenants().select_for_update().get(pk=job.pk)
            if locked.status != JobStatus.RUNNING or locked.updated_at != job.updated_at:
                continue  # it moved meanwhile: alive after all
            locked.status, locked.failure, locked.finished_at = JobStatus.FAILED, JobFailure.INTERRUPTED, now
            locked.save(update_fields=["status", "failure", "finished_at", "updated_at"])
        _remove_partial_files(job)
        log.warning("background job %s (%s) interrupted: its process %s is gone", job.pk, job.kind, job.worker)
        reaped += 1
    return reaped


def job_can_retry(user: Any, job: BackgroundJob) -> bool:
    kind = JOB_KINDS.get(job.kind)
    return job.status == JobStatus.FAILED and kind is not None and kind.can_retry(user, job)


def failpoint(name: str) -> None:
    """Stop here as ``CARENET_FAILPOINTS`` says (crash tests only)."""
    if not getattr(settings, "CARENET_FAILPOINTS_ENABLED", False):
        return
    for spec in os.environ.get("CARENET_FAILPOINTS", "").split(","):
        point, _eq, action = spec.partition("=")
        if point.strip() == name and action.startswith("sleep:"):
            time.sleep(float(action.removeprefix("sleep:")))
