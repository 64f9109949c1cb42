"""The sender's steps: draft a referral, send it on a ground for sharing, cancel it while it is open."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.cases.models import Case, CaseDocument
from carenet.directory.models import Service, ServiceStatus

from ..models import OPEN_STATUSES, Referral, ReferralStatus, ResponseTime, SharingBasis, Urgency
from ..permissions import can_cancel_referral, can_refer_from_case, can_send_referral
from .capacity import release_place
from .notifications import notify
from .sharing import hold_consent, sharing_ground
from .timeline import log_step, set_status

DEFAULT_RESPONSE_DAYS = 5


def response_days_for(service: Service, *, urgency: str = Urgency.ROUTINE, on: datetime.date | None = None) -> int:
    """The response deadline: the municipality's value for this urgency in force on ``on`` (referrals.
    ResponseTime), else the service's promised time, else the network default."""
    day = on or timezone.localdate()
    rule = (
        ResponseTime.objects.for_tenant(service.municipality_id)
        .filter(urgency=urgency, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if rule is not None:
        return rule.days
    days: Any = getattr(service, "response_time_days", None)
    return int(days or getattr(settings, "CARENET_REFERRAL_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))


def referral_shared_keys(referral: Referral) -> list[str]:
    return [
        name for name in ("identity", "contact", "inquiry", "plan", "special") if getattr(referral, f"share_{name}")
    ]


def referral_create(
    *,
    actor: Any,
    case: Case,
    service: Service,
    reason: str,
    urgency: str = Urgency.ROUTINE,
    share_identity: bool = True,
    share_contact: bool = False,
    share_inquiry: bool = False,
    share_plan: bool = False,
    share_special: bool = False,
    documents: list[CaseDocument] | None = None,
    send: bool = False,
    override_reason: str = "",
    consent_given_on: datetime.date | None = None,
    consent_scan: Any = None,
) -> Referral:
    """A draft referral from ``case`` to ``service``; with ``send=True`` it is sent at once.

    ``consent_given_on`` captures the person's consent in the same step when none on file covers the
    receiving provider (a referral consent naming it, with the signed form's scan if given): the consent,
    the referral and its sending are one transaction, so a refusal leaves none of them."""
    if not can_refer_from_case(actor, case):
        raise PermissionDenied
    if service.municipality_id != case.municipality_id:
        raise ValidationError({"service": _("Choose a service of the network.")})
    if service.status in (ServiceStatus.DEFUNCT, ServiceStatus.INACTIVE):
        raise ValidationError({"service": _("This service is not active: choose another one.")})
    if service.organisation_id == case.organisation_id:
        raise ValidationError(
            {"service": _("A referral goes to another provider: choose a service of another organisation.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person is referred.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose the urgency.")})
    documents = list(documents or [])
    if any(d.case_id != case.pk for d in documents):
        raise ValidationError({"documents": _("Only documents of this case can be shared.")})
    referral = Referral(
        municipality_id=case.municipality_id,
        reference=f"R{timezone.localdate().year}-{uuid.uuid4().hex[:8].upper()}",
        case=case,
        person_id=case.person_id,
        from_organisation_id=case.organisation_id,
        to_service=service,
        to_organisation_id=service.organisation_id,
        reason=reason.strip(),
        urgency=urgency,
        share_identity=share_identity,
        share_contact=share_contact,
        share_inquiry=share_inquiry,
        share_plan=share_plan,
        share_special=share_special,
        response_days=response_days_for(service, urgency=urgency),
        created_by=actor,
    )
    with transaction.atomic():
        if consent_given_on is not None and not case.legal_basis.strip():
            _capture_consent(actor=actor, case=case, service=service, given_on=consent_given_on, scan=consent_scan)
        referral.save()
        if documents:
            referral.shared_documents.set(documents)
        log_step(
            referral,
            kind="create",
            actor=actor,
            organisation_id=case.organisation_id,
            changes={"shared": referral_shared_keys(referral), "documents": len(documents)},
        )
        if send:
            referral_send(actor=actor, referral=referral, override_reason=override_reason)
    return referral


def _capture_consent(*, actor: Any, case: Case, service: Service, given_on: datetime.date, scan: Any) -> None:
    from carenet.people.models import ConsentPurpose
    from carenet.people.services import consent_record

    from .sharing import consent_covering

    if consent_covering(
        person_id=case.person_id, municipality_id=case.municipality_id, organisation_id=service.organisation_id
    ):
        return  # one already covers the receiving provider
    try:
        consent_record(
            actor=actor,
            person=case.person,
            purpose=ConsentPurpose.REFERRAL,
            given_on=given_on,
            scope=[service.organisation_id],
            scan=scan,
            organisation=case.organisation_id,
        )
    except ValidationError as exc:
        # the form's fields are consent_given_on / consent_scan
        names = {"given_on": "consent_given_on", "scan": "consent_scan", "scope": "service"}
        if hasattr(exc, "error_dict"):
            raise ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()}) from exc
        raise


def referral_send(*, actor: Any, referral: Referral, override_reason: str = "") -> Referral:
    if not can_send_referral(actor, referral):
        raise PermissionDenied
    ground = sharing_ground(
        actor=actor, case=referral.case, organisation_id=referral.to_organisation_id, override_reason=override_reason
    )
    now = timezone.now()
    days = referral.response_days or response_days_for(referral.to_service, urgency=referral.urgency)
    with transaction.atomic():
        if ground["consent"] is not None:
            hold_consent(ground["consent"])
        set_status(
            referral,
            allowed=(ReferralStatus.DRAFT,),
            status=ReferralStatus.SENT,
            sent_at=now,
            respond_by=now + datetime.timedelta(days=days),
            response_days=days,
            basis=ground["basis"],
            consent=ground["consent"],
            legal_basis=ground["legal_basis"],
            emergency_override=ground["override"],
            override_reason=override_reason.strip() if ground["override"] else "",
            override_by=actor if ground["override"] else None,
        )
        if ground["override"]:
            # Flagged separately so auditors find every override; the reason stays on the referral.
            log_step(
                referral,
                kind="emergency_override",
                actor=actor,
                organisation_id=referral.from_organisation_id,
                changes={"emergency_override": True, "basis": SharingBasis.EMERGENCY},
            )
        log_step(
            referral,
            kind="send",
            actor=actor,
            organisation_id=referral.from_organisation_id,
            summary=referral.get_basis_display(),
            changes={"basis": ground["basis"], "shared": referral_shared_keys(referral)},
            code=f"basis:{ground['basis']}",
        )
        notify(referral, kind="send", to="receiver", actor=actor, organisation=referral.from_organisation)
    return referral


def referral_cancel(*, actor: Any, referral: Referral, reason: str) -> Referral:
    if not can_cancel_referral(actor, referral):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    was_sent = referral.status != ReferralStatus.DRAFT
    with transaction.atomic():
        release_place(referral)
        set_status(
            referral,
            allowed=(ReferralStatus.DRAFT, *OPEN_STATUSES),
            status=ReferralStatus.CANCELLED,
            closed_at=timezone.now(),
            cancel_reason=reason.strip(),
            place_taken=referral.place_taken,
        )
        log_step(referral, kind="cancel", actor=actor, organisation_id=referral.from_organisation_id)
        if was_sent:
            notify(referral, kind="cancel", to="receiver", actor=actor, organisation=referral.from_organisation)
    return referral
