"""Background work of the directory: freshness reminders to providers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from carenet.core.models import Municipality
from carenet.core.roles import Role

from .models import ReminderLog
from .selectors import stale_services


def _manager_emails(municipality: Municipality, organisation_ids: set[Any]) -> dict[Any, list[str]]:
    from django.apps import apps

    membership = apps.get_model("accounts", "Membership")
    emails: dict[Any, list[str]] = {}
    rows = membership._default_manager.filter(
        municipality=municipality, organisation_id__in=organisation_ids, role=Role.PROVIDER_MANAGER, is_active=True
    ).values_list("organisation_id", "user__email")
    for org_id, email in rows:
        if email:
            emails.setdefault(org_id, []).append(email)
    return emails


def send_freshness_reminders_for(municipality: Municipality) -> int:
    """E-mail the managers of each organisation whose services are overdue; once per due date."""
    stale = stale_services(municipality=municipality)
    if not stale:
        return 0
    emails = _manager_emails(
        municipality, {s.organisation_id for s in stale} | {s.organisation.parent_id for s in stale}
    )
    messages = []
    for service in stale:
        recipients = sorted(
            set(emails.get(service.organisation_id, []) + emails.get(service.organisation.parent_id, []))
        )
        due_on = service.verification_due.date() if service.last_verified_at else service.created_at.date()
        try:
            with transaction.atomic():
                ReminderLog.plain.create(
                    municipality=municipality, service=service, due_on=due_on, recipients=len(recipients)
                )
        except IntegrityError:
            continue  # already reminded for this due date
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("CareNet: please check the directory record “%(name)s”") % {"name": service.name}
            body = _(
                "The record of the service “%(name)s” (%(organisation)s) has not been verified for longer than "
                "its update frequency of %(days)s days. Please open it in CareNet, correct what has changed and "
                "confirm it is up to date."
            ) % {"name": service.name, "organisation": service.organisation.name, "days": service.update_frequency_days}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)


@task()
def send_freshness_reminders(municipality_id: str | None = None) -> int:
    """Nightly: remind providers of overdue directory records (all tenants, or one)."""
    municipalities = Municipality.objects.all()
    if municipality_id:
        municipalities = municipalities.filter(pk=municipality_id)
    return sum(send_freshness_reminders_for(m) for m in municipalities)
