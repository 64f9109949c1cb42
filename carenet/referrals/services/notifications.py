"""Who is told about a step, in their own language: in-app rows now (same transaction), e-mails after commit."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.accounts.models import Membership
from carenet.core.models import Organisation
from carenet.people.permissions import PROVIDER_ROLES

from ..models import Notification, Referral

logger = logging.getLogger(__name__)

NOTIFICATION_MESSAGES = {
    "send": gettext_lazy("New referral %(reference)s from %(organisation)s (%(urgency)s)."),
    "accept": gettext_lazy("Referral %(reference)s was accepted by %(organisation)s."),
    "decline": gettext_lazy("Referral %(reference)s was declined by %(organisation)s."),
    "start": gettext_lazy("%(organisation)s started work on referral %(reference)s."),
    "complete": gettext_lazy("Referral %(reference)s was completed by %(organisation)s: see the outcome."),
    "cancel": gettext_lazy("Referral %(reference)s was cancelled by %(organisation)s."),
    "expire": gettext_lazy("Referral %(reference)s expired: no answer within the response time."),
    "consent_withdrawn": gettext_lazy(
        "Referral %(reference)s: the person withdrew the consent it relied on. Sharing has stopped and the "
        "referral is cancelled."
    ),
}


def provider_staff(*, municipality_id: Any, organisation_id: Any) -> list[Any]:
    """The active caseworkers and managers of a provider: who hears of what arrives there."""
    rows = (
        Membership.objects.for_tenant(municipality_id)
        .filter(organisation_id=organisation_id, role__in=PROVIDER_ROLES, is_active=True)
        .select_related("user")
    )
    return [m.user for m in rows if m.user.is_active]


def _sender_users(referral: Referral) -> list[Any]:
    users = [referral.created_by, referral.case.caseworker]
    return [u for u in users if u is not None and u.is_active]


def notify(referral: Referral, *, kind: str, to: str, actor: Any, organisation: Organisation) -> None:
    """In-app rows now (same transaction); e-mails after commit, each in the recipient's language."""
    if to == "receiver":
        recipients = provider_staff(
            municipality_id=referral.municipality_id, organisation_id=referral.to_organisation_id
        )
    else:
        recipients = _sender_users(referral)
    seen: set[Any] = set()
    url = reverse("referrals:detail", args=[referral.pk])
    mails: list[tuple[str, str, str]] = []
    for user in recipients:
        if user.pk in seen or (actor is not None and user.pk == getattr(actor, "pk", None)):
            continue
        seen.add(user.pk)
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            message = str(NOTIFICATION_MESSAGES[kind]) % {
                "reference": referral.reference,
                "organisation": str(organisation),
                "urgency": referral.get_urgency_display(),
            }
            body = "\n\n".join([message, _("Open it in CareNet: %(url)s") % {"url": url}])
        Notification.objects.create(
            municipality_id=referral.municipality_id,
            recipient=user,
            referral=referral,
            kind=kind,
            message=message[:300],
            params={"reference": referral.reference, "organisation": str(organisation), "urgency": referral.urgency},
            url=url,
        )
        if user.email:
            mails.append((message[:200], body, user.email))
    send_mails_on_commit(mails)


def send_mails_on_commit(mails: list[tuple[str, str, str]]) -> None:
    """``(subject, body, address)`` e-mails, sent once the transaction commits (never undoing it)."""
    if mails:
        transaction.on_commit(lambda: _send_mails(mails))


def _send_mails(mails: list[tuple[str, str, str]]) -> None:
    for subject, body, address in mails:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server outage must not undo or break the referral
            logger.exception("referral notification e-mail failed")


def notifications_mark_read(*, actor: Any, notification_ids: list[Any] | None = None) -> int:
    """The actor's own unread notifications (all, or those of ``notification_ids``) marked as read."""
    qs = Notification.objects.for_tenant(actor.municipality_id).filter(recipient_id=actor.pk, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    updated = qs.update(read_at=timezone.now())
    # The badge the user was loaded with (carenet.accounts.backends) is recounted if shown again in this request.
    with contextlib.suppress(AttributeError):
        delattr(actor, "unread_notifications_count")
    return updated
