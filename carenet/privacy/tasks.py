"""Background work of the privacy app."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from carenet.core.models import Municipality


@task()
def apply_retention_schedules() -> int:
    """Daily: run each municipality's retention schedule once a day (``run_scheduled`` enqueues it every
    15 minutes; a municipality already run today by the schedule is skipped). Returns the runs made."""
    from .models import RetentionRun
    from .services import retention_run

    today = timezone.localdate()
    runs = 0
    for municipality in Municipality.objects.all():
        if RetentionRun.objects.for_tenant(municipality).filter(run_on=today, started_by__isnull=True).exists():
            continue
        retention_run(municipality=municipality, today=today)
        runs += 1
    return runs
