"""Scheduled work: the caregivers' training certificates checked again with the training platform (a revoked
one no longer counts in matching)."""

from django_tasks import task

from .services import caregivers_recheck_training


@task()
def recheck_caregiver_training() -> int:
    return caregivers_recheck_training()
