"""Scheduled work: reminders before a housing contract ends (CARENET_SCHEDULED_TASKS)."""

from django_tasks import task

from .services import contracts_remind_renewals


@task()
def send_contract_renewal_reminders() -> int:
    return contracts_remind_renewals()
