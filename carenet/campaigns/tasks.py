"""Scheduled work: the escalation ladder's clock (persons tried once and never reached go to a home visit)."""

from django_tasks import task

from .services import campaigns_escalate_overdue


@task()
def escalate_unreached_persons() -> int:
    return campaigns_escalate_overdue()
