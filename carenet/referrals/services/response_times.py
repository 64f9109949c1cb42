"""The municipality's response deadlines per urgency (referrals.ResponseTime): set by the coordinator, each
from a date on; a new value closes the one it replaces the day before."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.policy import actor_of

from ..models import ResponseTime, Urgency

MAX_DAYS = 90


def response_time_set(*, actor: Any, urgency: str, days: int, valid_from: datetime.date) -> ResponseTime:
    who = actor_of(actor)
    if not who.is_coordinator or who.municipality_id is None:
        raise PermissionDenied
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose the urgency.")})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("Give a number of days between 1 and %(max)s.") % {"max": MAX_DAYS}})
    rows = ResponseTime.objects.for_tenant(who.municipality_id)
    with transaction.atomic():
        # The value in force before valid_from ends the day before; a value from the same day is replaced.
        rows.filter(urgency=urgency, valid_from=valid_from).delete()
        rows.filter(urgency=urgency, valid_from__lt=valid_from, valid_to__isnull=True).update(
            valid_to=valid_from - datetime.timedelta(days=1)
        )
        later = rows.filter(urgency=urgency, valid_from__gt=valid_from).order_by("valid_from").first()
        rule = rows.create(
            municipality_id=who.municipality_id,
            urgency=urgency,
            days=days,
            valid_from=valid_from,
            valid_to=later.valid_from - datetime.timedelta(days=1) if later else None,
        )
        audit_record(
            action="referral.response_time_set",
            actor=actor,
            obj=rule,
            changes={"urgency": urgency, "days": days, "valid_from": valid_from.isoformat()},
        )
    return rule
