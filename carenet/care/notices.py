"""Who is told when a visit needs cover, in their own language: e-mails sent once the transaction commits.

The mails name no person cared for and no address (a mail may be read by anyone at the recipient's end):
only the date and time of the visit, the substitute's first name for the family, and where to open it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.accounts.models import Membership
from carenet.core.roles import Role

from .models import Cover

logger = logging.getLogger(__name__)

MESSAGES = {
    "missed": gettext_lazy("A care visit on %(date)s at %(time)s was not started: it needs a substitute."),
    "absent_staff": gettext_lazy(
        "A caregiver cannot come to the visit on %(date)s at %(time)s: it needs a substitute."
    ),
    "declined": gettext_lazy("The substitute for the visit on %(date)s at %(time)s cannot come: choose another."),
    "absent": gettext_lazy(
        "Your caregiver cannot come on %(date)s at %(time)s. A substitute is being found; you can also choose one."
    ),
    "chosen": gettext_lazy("%(name)s is asked to come instead on %(date)s at %(time)s."),
    "covered": gettext_lazy("%(name)s will come instead on %(date)s at %(time)s."),
    "asked": gettext_lazy(
        "You are asked to cover a care visit on %(date)s at %(time)s. Answer on your caregiver page."
    ),
}


def _mail(cover: Cover, *, user: Any, kind: str, url: str) -> tuple[str, str, str] | None:
    if user is None or not user.is_active or not user.email:
        return None
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        message = str(MESSAGES[kind]) % {
            "date": formats.date_format(cover.date, "SHORT_DATE_FORMAT"),
            "time": cover.booking.request.start_time.strftime("%H:%M"),
            "name": cover.substitute.first_name if cover.substitute else "",
        }
        body = "\n\n".join([message, _("Open it in CareNet: %(url)s") % {"url": url}])
    return message[:200], body, user.email


def notice_coordinators(*, cover: Cover, kind: str) -> None:
    """The municipality's care coordinators hear of a visit needing cover."""
    users = {
        m.user
        for m in Membership.objects.for_tenant(cover.municipality_id)
        .filter(role=Role.COORDINATOR, is_active=True)
        .select_related("user")
    }
    url = reverse("care:cover", args=[cover.pk])
    staff_kind = "absent_staff" if kind == "absent" else kind
    _send_on_commit(
        [m for u in sorted(users, key=lambda u: u.pk) if (m := _mail(cover, user=u, kind=staff_kind, url=url))]
    )


def notice_family(*, cover: Cover, kind: str) -> None:
    """The family that asked on the portal hears of its visit's cover (a social worker's case: the worker
    sees it on the coverage list)."""
    request = cover.booking.request
    if request.family_user_id is None:
        return
    slug = cover.municipality.slug
    url = reverse("care_public:family_cover", kwargs={"municipality_slug": slug, "cover_id": cover.pk})
    mail = _mail(cover, user=request.family_user, kind=kind, url=url)
    _send_on_commit([mail] if mail else [])


def notice_user(*, cover: Cover, user: Any, kind: str) -> None:
    url = reverse("care_public:caregiver", kwargs={"municipality_slug": cover.municipality.slug})
    mail = _mail(cover, user=user, kind=kind, url=url)
    _send_on_commit([mail] if mail else [])


def _send_on_commit(mails: list[tuple[str, str, str]]) -> None:
    if mails:
        transaction.on_commit(lambda: _send(mails))


def _send(mails: list[tuple[str, str, str]]) -> None:
    for subject, body, address in mails:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server outage must not undo the cover
            logger.exception("care cover e-mail failed")
