"""Scheduled: referrals not answered within the response time turn "expired", and both sides are told."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import AWAITING_ANSWER, Referral, ReferralStatus
from .notifications import notify
from .timeline import log_step, set_status


def referrals_expire_overdue(*, now: datetime.datetime | None = None) -> int:
    """Scheduled: referrals not answered within the response time turn "expired" (all tenants)."""
    now = now or timezone.now()
    due = list(
        Referral.objects.all_tenants()
        .filter(status__in=AWAITING_ANSWER, respond_by__lt=now)
        .select_related("to_service", "to_organisation", "case", "case__caseworker", "created_by")
        .order_by("respond_by")[:1000]
    )
    expired = 0
    for referral in due:
        with transaction.atomic():
            try:
                set_status(referral, allowed=AWAITING_ANSWER, status=ReferralStatus.EXPIRED, closed_at=now)
            except ValidationError:
                continue  # answered meanwhile
            log_step(
                referral,
                kind="expire",
                actor=None,
                organisation_id=None,
                changes={"response_days": referral.response_days},
            )
            notify(referral, kind="expire", to="sender", actor=None, organisation=referral.to_organisation)
            notify(referral, kind="expire", to="receiver", actor=None, organisation=referral.to_organisation)
        expired += 1
    return expired
