"""Background work of the plans app."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .selectors import periods_needing_reminder, reminder_emails
from .services import period_remind


@task()
def send_period_reminders(today: str = "") -> int:
    """Daily: remind the bodies whose form is not yet submitted, before the period's deadline."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    for period in periods_needing_reminder(today=day):
        pending = period_remind(period=period)
        org_ids = [s.organisation_id for s in pending]
        emails = reminder_emails(period=period, organisation_ids=org_ids)
        if emails:
            subject = _("Reminder: the report for %(period)s is due on %(deadline)s") % {
                "period": period.code,
                "deadline": period.deadline.isoformat(),
            }
            body = _("Please fill in and submit your organisation's form for the plan “%(plan)s”.") % {
                "plan": period.plan.title
            }

            def _mail(subject: str = subject, body: str = body, emails: list[str] = emails) -> None:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)

            transaction.on_commit(_mail)
            sent += len(emails)
    return sent
