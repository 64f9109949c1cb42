"""Scheduled work: referrals not answered within the service's response time turn "expired"."""

from django_tasks import task

from .services import referrals_expire_overdue


@task()
def expire_unanswered_referrals() -> int:
    return referrals_expire_overdue()
