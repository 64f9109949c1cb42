"""What every step of a referral writes: the compare-and-set on its status, its timeline line, the case
events of both sides and the audit event, all in the step's transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.audit.services import audit_record
from carenet.cases.models import CaseEvent

from ..models import Referral, ReferralEvent

EVENT_LABELS = {
    "create": gettext_lazy("Referral drafted"),
    "send": gettext_lazy("Referral sent"),
    "emergency_override": gettext_lazy("Consent rule overridden in an emergency"),
    "receive": gettext_lazy("Referral received"),
    "accept": gettext_lazy("Referral accepted"),
    "decline": gettext_lazy("Referral declined"),
    "start": gettext_lazy("Work on the referral started"),
    "complete": gettext_lazy("Referral completed"),
    "cancel": gettext_lazy("Referral cancelled"),
    "expire": gettext_lazy("Referral expired without an answer"),
    "open_case": gettext_lazy("The receiving provider opened its own case"),
    "consent_withdrawn": gettext_lazy("The person withdrew the consent: sharing stopped, referral cancelled"),
    "person_merge": gettext_lazy("Two records of the person were merged: the referral follows the kept record"),
}


def event_label(kind: str) -> str:
    label = EVENT_LABELS.get(kind)
    return str(label) if label is not None else kind


def log_step(
    referral: Referral,
    *,
    kind: str,
    actor: Any,
    organisation_id: Any,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    code: str = "",
) -> None:
    """The step on the referral's timeline, on the case of each side, and in the audit log (``code``: a coded
    summary rendered in the reader's language, "outcome:goals_met")."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    ReferralEvent.objects.create(
        municipality_id=referral.municipality_id,
        referral=referral,
        kind=kind,
        summary=summary[:300],
        summary_code=code[:120],
        actor=user,
        organisation_id=organisation_id,
    )
    case_summary = f"{referral.reference} · {referral.to_service.name}"[:300]
    for case_id in {referral.case_id, referral.receiver_case_id} - {None}:
        CaseEvent.objects.create(
            municipality_id=referral.municipality_id,
            case_id=case_id,
            kind=f"referral_{kind}",
            summary=case_summary,
            actor=user,
        )
    audit_record(
        action=f"referral.{kind}",
        actor=user,
        obj=referral,
        changes={"status": referral.status, **(changes or {})},
    )


def set_status(referral: Referral, *, allowed: tuple[str, ...], **fields: Any) -> None:
    """Compare-and-set: the referral must still be in one of ``allowed``; else nothing changes."""
    now = timezone.now()
    updated = (
        Referral.objects.for_tenant(referral.municipality_id)
        .filter(pk=referral.pk, status__in=allowed)
        .update(version=F("version") + 1, updated_at=now, **fields)
    )
    if not updated:
        raise ValidationError(
            _("The referral changed meanwhile (it is now “%(status)s”): reload the page.")
            % {"status": referral.get_status_display()},
            code="stale",
        )
    for key, value in fields.items():
        setattr(referral, key, value)
    referral.version += 1
