"""The receiver's answer: the referral is seen (received), then accepted (taking a place) or declined."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.directory.models import Service

from ..models import AWAITING_ANSWER, Referral, ReferralStatus
from ..permissions import can_answer_referral
from .capacity import take_place
from .notifications import notify
from .timeline import log_step, set_status


def referral_mark_received(*, actor: Any, referral: Referral) -> Referral:
    """The receiver opened the referral: the sender learns it arrived. Idempotent."""
    if referral.status != ReferralStatus.SENT or not can_answer_referral(actor, referral):
        return referral
    with transaction.atomic():
        try:
            set_status(
                referral, allowed=(ReferralStatus.SENT,), status=ReferralStatus.RECEIVED, received_at=timezone.now()
            )
        except ValidationError:
            return referral  # someone else marked it meanwhile
        log_step(referral, kind="receive", actor=actor, organisation_id=referral.to_organisation_id)
    return referral


def referral_accept(*, actor: Any, referral: Referral, note: str = "") -> Referral:
    if not can_answer_referral(actor, referral):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        place_taken = take_place(referral)
        set_status(
            referral,
            allowed=AWAITING_ANSWER,
            status=ReferralStatus.ACCEPTED,
            received_at=referral.received_at or now,
            responded_at=now,
            accepted_at=now,
            handled_by=actor,
            place_taken=place_taken,
        )
        log_step(
            referral,
            kind="accept",
            actor=actor,
            organisation_id=referral.to_organisation_id,
            summary=note.strip(),
            changes={"place_taken": place_taken},
        )
        notify(referral, kind="accept", to="sender", actor=actor, organisation=referral.to_organisation)
    return referral


def referral_decline(
    *,
    actor: Any,
    referral: Referral,
    reason: str,
    suggested_service: Service | None = None,
    suggested_alternative: str = "",
) -> Referral:
    if not can_answer_referral(actor, referral):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    if suggested_service is not None and suggested_service.municipality_id != referral.municipality_id:
        raise ValidationError({"suggested_service": _("Choose a service of the network.")})
    now = timezone.now()
    with transaction.atomic():
        set_status(
            referral,
            allowed=AWAITING_ANSWER,
            status=ReferralStatus.DECLINED,
            received_at=referral.received_at or now,
            responded_at=now,
            closed_at=now,
            handled_by=actor,
            decline_reason=reason.strip(),
            suggested_service=suggested_service,
            suggested_alternative=suggested_alternative.strip()[:300],
        )
        log_step(
            referral,
            kind="decline",
            actor=actor,
            organisation_id=referral.to_organisation_id,
            summary=str(suggested_service or suggested_alternative or ""),
            changes={"suggested": bool(suggested_service or suggested_alternative.strip())},
        )
        notify(referral, kind="decline", to="sender", actor=actor, organisation=referral.to_organisation)
    return referral
