"""Scheduled work: a volunteer whose background check lapsed (or who was suspended) stops taking the heat-wave
campaigns' call lists."""

from django_tasks import task

from .services import volunteers_withdraw_lapsed


@task()
def withdraw_lapsed_callers() -> int:
    return volunteers_withdraw_lapsed()
