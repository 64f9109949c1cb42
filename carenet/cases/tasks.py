"""Scheduled work: flag overdue monitoring duties (run daily by the worker's scheduler / cron)."""

from django_tasks import task

from .services import duties_mark_overdue


@task()
def flag_overdue_duties() -> int:
    return duties_mark_overdue()
