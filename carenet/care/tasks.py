"""Scheduled work: the caregivers' training certificates checked again with the training platform (a revoked
one no longer counts in matching), and today's visits not started in time marked as needing cover (the
coordinators are told)."""

from django_tasks import task

from .services import caregivers_recheck_training, visits_mark_missed


@task()
def recheck_caregiver_training() -> int:
    return caregivers_recheck_training()


@task()
def mark_missed_visits() -> int:
    return visits_mark_missed()
