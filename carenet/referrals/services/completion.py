"""The receiver's work on an accepted referral: started, completed with an outcome, or taken into its own case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.cases import services as case_services
from carenet.cases.models import Case, Channel
from carenet.people.permissions import can_view_person

from ..models import Referral, ReferralOutcome, ReferralStatus
from ..permissions import can_complete_referral, can_open_case_from_referral, can_start_referral
from .capacity import release_place
from .notifications import notify
from .timeline import log_step, set_status


def referral_start(*, actor: Any, referral: Referral) -> Referral:
    if not can_start_referral(actor, referral):
        raise PermissionDenied
    with transaction.atomic():
        set_status(
            referral, allowed=(ReferralStatus.ACCEPTED,), status=ReferralStatus.IN_PROGRESS, started_at=timezone.now()
        )
        log_step(referral, kind="start", actor=actor, organisation_id=referral.to_organisation_id)
        notify(referral, kind="start", to="sender", actor=actor, organisation=referral.to_organisation)
    return referral


def referral_complete(*, actor: Any, referral: Referral, outcome: str, feedback: str) -> Referral:
    """Close the loop: the outcome and the receiver's feedback go back to the sender."""
    if not can_complete_referral(actor, referral):
        raise PermissionDenied
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if not feedback.strip():
        raise ValidationError({"feedback": _("Write the feedback for the sending provider.")})
    now = timezone.now()
    with transaction.atomic():
        release_place(referral)
        set_status(
            referral,
            allowed=(ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS),
            status=ReferralStatus.COMPLETED,
            started_at=referral.started_at or now,
            closed_at=now,
            outcome=outcome,
            feedback=feedback.strip(),
            place_taken=referral.place_taken,
        )
        log_step(
            referral,
            kind="complete",
            actor=actor,
            organisation_id=referral.to_organisation_id,
            summary=referral.get_outcome_display(),
            changes={"outcome": outcome},
            code=f"outcome:{outcome}",
        )
        notify(referral, kind="complete", to="sender", actor=actor, organisation=referral.to_organisation)
    return referral


def referral_open_case(*, actor: Any, referral: Referral) -> Case:
    """The receiver opens its own case for the person: it stays after the referral closes."""
    if not can_open_case_from_referral(actor, referral):
        raise PermissionDenied
    if not can_view_person(actor, referral.person):
        raise ValidationError(
            _("Identity and contact were not shared with this referral: ask the sender to share them first."),
            code="not_shared",
        )
    with transaction.atomic():
        case = case_services.case_open(
            actor=actor,
            person=referral.person,
            organisation=referral.to_organisation_id,
            channel=Channel.INSTITUTION,
            request_summary=referral.reason,
            referred_by=str(referral.from_organisation)[:200],
            referral=referral,
        )
        locked = Referral.objects.for_tenant(referral.municipality_id).filter(
            pk=referral.pk, receiver_case__isnull=True
        )
        if not locked.update(receiver_case=case, updated_at=timezone.now()):
            raise ValidationError(_("A case was already opened from this referral."), code="stale")
        referral.receiver_case = case
        log_step(referral, kind="open_case", actor=actor, organisation_id=referral.to_organisation_id)
    return case
