"""Every write to a referral or a transfer: validated, one transaction, timeline + audit, side effects on commit.

Each transition is a compare-and-set on ``status`` (two people answering the same referral at once
cannot both win), writes one ``ReferralEvent`` (the referral's own timeline, seen by both sides),
one ``CaseEvent`` on the sender's case (and on the receiver's case if it opened one), one audit
event, and notifications (in-app rows now, e-mails after commit).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from carenet.accounts.models import Membership
from carenet.audit.services import audit_record
from carenet.cases import services as case_services
from carenet.cases.models import Case, CaseDocument, CaseEvent, Channel
from carenet.core.models import Organisation
from carenet.core.policy import policy
from carenet.directory.models import Service, ServiceStatus
from carenet.people.models import Consent, ConsentPurpose
from carenet.people.permissions import PROVIDER_ROLES

from .models import (
    AWAITING_ANSWER,
    OPEN_STATUSES,
    CaseTransfer,
    Notification,
    Referral,
    ReferralEvent,
    ReferralOutcome,
    ReferralStatus,
    SharingBasis,
    Urgency,
)
from .permissions import can_refer_from_case, is_supervisor_of

logger = logging.getLogger(__name__)

DEFAULT_RESPONSE_DAYS = 5


def response_days_for(service: Service) -> int:
    """The service's promised response time; the directory has none yet, so the network default."""
    days: Any = getattr(service, "response_time_days", None)
    return int(days or getattr(settings, "CARENET_REFERRAL_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))


# --- the ground for sharing ----------------------------------------------------------------------


def consent_covering(*, person_id: Any, municipality_id: Any, organisation_id: Any) -> Consent | None:
    """An active consent of the person to referral/sharing that names the receiving provider."""
    today = timezone.localdate()
    return (
        Consent.objects.for_tenant(municipality_id)
        .filter(
            person_id=person_id,
            purpose__in=(ConsentPurpose.REFERRAL, ConsentPurpose.SHARING),
            withdrawn_on__isnull=True,
            given_on__lte=today,
            scope__id=organisation_id,
        )
        .order_by("-given_on")
        .first()
    )


def _sharing_ground(*, user: Any, case: Case, organisation_id: Any, override_reason: str) -> dict[str, Any]:
    """Consent first, then the case's legal basis, then a supervisor's emergency override; else refused."""
    consent = consent_covering(
        person_id=case.person_id, municipality_id=case.municipality_id, organisation_id=organisation_id
    )
    if consent is not None:
        return {"basis": SharingBasis.CONSENT, "consent": consent, "legal_basis": "", "override": False}
    if case.legal_basis.strip():
        return {
            "basis": SharingBasis.LEGAL,
            "consent": None,
            "legal_basis": case.legal_basis.strip(),
            "override": False,
        }
    if not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "The person has no active consent to sharing with this provider and the case records no legal "
                    "basis. Record the consent (purpose: referral, naming the provider) or the legal basis first; "
                    "in an emergency a supervisor may override with a reason."
                )
            },
            code="no_consent",
        )
    if not is_supervisor_of(user, case.organisation_id):
        raise PermissionDenied(_("Only a supervisor of the sending provider may override the consent rule."))
    return {"basis": SharingBasis.EMERGENCY, "consent": None, "legal_basis": "", "override": True}


def _hold_consent(consent: Consent) -> None:
    """Lock the consent the sharing rests on, still active, until the transaction ends.

    A withdrawal being saved at the same moment either commits first (then this refuses) or waits
    for this referral to be sent (then its hook stops it): no referral is left sharing on a consent
    already withdrawn.
    """
    active = list(
        Consent.objects.for_tenant(consent.municipality_id)
        .select_for_update()
        .filter(pk=consent.pk, withdrawn_on__isnull=True)
        .values_list("pk", flat=True)
    )
    if not active:
        raise ValidationError(
            {"override_reason": _("The consent was withdrawn meanwhile: the referral cannot rely on it.")},
            code="no_consent",
        )


# --- timeline, audit, notifications --------------------------------------------------------------

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


def event_label(kind: str) -> str:
    label = EVENT_LABELS.get(kind)
    return str(label) if label is not None else kind


def _log(
    referral: Referral,
    *,
    kind: str,
    user: Any,
    organisation_id: Any,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    ReferralEvent.objects.create(
        municipality_id=referral.municipality_id,
        referral=referral,
        kind=kind,
        summary=summary[:300],
        actor=user if getattr(user, "is_authenticated", False) else None,
        organisation_id=organisation_id,
    )
    case_summary = f"{referral.reference} · {referral.to_service.name}"[:300]
    for case_id in {referral.case_id, referral.receiver_case_id} - {None}:
        CaseEvent.objects.create(
            municipality_id=referral.municipality_id,
            case_id=case_id,
            kind=f"referral_{kind}",
            summary=case_summary,
            actor=user if getattr(user, "is_authenticated", False) else None,
        )
    audit_record(
        action=f"referral.{kind}",
        actor=user if getattr(user, "is_authenticated", False) else None,
        obj=referral,
        changes={"status": referral.status, **(changes or {})},
    )


def _receiver_users(referral: Referral) -> list[Any]:
    rows = (
        Membership.objects.for_tenant(referral.municipality_id)
        .filter(organisation_id=referral.to_organisation_id, role__in=PROVIDER_ROLES, is_active=True)
        .select_related("user")
    )
    return [m.user for m in rows if m.user.is_active]


def _sender_users(referral: Referral) -> list[Any]:
    users = [referral.created_by, referral.case.caseworker]
    return [u for u in users if u is not None and u.is_active]


def _notify(referral: Referral, *, kind: str, to: str, actor: Any, organisation: Organisation) -> None:
    """In-app rows now (same transaction); e-mails after commit, each in the recipient's language."""
    recipients = _receiver_users(referral) if to == "receiver" else _sender_users(referral)
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
            url=url,
        )
        if user.email:
            mails.append((message[:200], body, user.email))
    if mails:
        transaction.on_commit(lambda: _send_mails(mails))


def _send_mails(mails: list[tuple[str, str, str]]) -> None:
    for subject, body, address in mails:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server outage must not undo or break the referral
            logger.exception("referral notification e-mail failed")


def _set_status(referral: Referral, *, allowed: tuple[str, ...], **fields: Any) -> None:
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


def _require(user: Any, action: str, referral: Referral) -> None:
    policy.require(user, action, referral)


# --- capacity --------------------------------------------------------------------------------------


def _take_place(referral: Referral) -> bool:
    """One place of the service, in the acceptance's transaction; never below zero."""
    services = Service.objects.for_tenant(referral.municipality_id)
    service = services.select_for_update().get(pk=referral.to_service_id)
    if service.places_available is None:
        return False  # capacity not tracked for this service
    taken = services.filter(pk=service.pk, places_available__gt=0).update(
        places_available=F("places_available") - 1, capacity_updated_at=timezone.now()
    )
    if not taken:
        raise ValidationError(
            _(
                "“%(service)s” has no place available. Decline the referral suggesting an alternative, "
                "or update the places available in the directory first."
            )
            % {"service": service.name},
            code="full",
        )
    return True


def _release_place(referral: Referral) -> None:
    if not referral.place_taken:
        return
    Service.objects.for_tenant(referral.municipality_id).filter(pk=referral.to_service_id).filter(
        Q(places_total__isnull=True) | Q(places_available__lt=F("places_total"))
    ).update(places_available=F("places_available") + 1, capacity_updated_at=timezone.now())
    referral.place_taken = False


# --- the workflow ------------------------------------------------------------------------------------


def referral_create(
    *,
    user: Any,
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
) -> Referral:
    """A draft referral from ``case`` to ``service``; with ``send=True`` it is sent at once."""
    if not can_refer_from_case(user, case):
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
        response_days=response_days_for(service),
        created_by=user,
    )
    with transaction.atomic():
        referral.save()
        if documents:
            referral.shared_documents.set(documents)
        _log(
            referral,
            kind="create",
            user=user,
            organisation_id=case.organisation_id,
            changes={"shared": referral_shared_keys(referral), "documents": len(documents)},
        )
        if send:
            referral_send(user=user, referral=referral, override_reason=override_reason)
    return referral


def referral_shared_keys(referral: Referral) -> list[str]:
    return [
        name for name in ("identity", "contact", "inquiry", "plan", "special") if getattr(referral, f"share_{name}")
    ]


def referral_send(*, user: Any, referral: Referral, override_reason: str = "") -> Referral:
    _require(user, "send", referral)
    ground = _sharing_ground(
        user=user, case=referral.case, organisation_id=referral.to_organisation_id, override_reason=override_reason
    )
    now = timezone.now()
    days = referral.response_days or response_days_for(referral.to_service)
    with transaction.atomic():
        if ground["consent"] is not None:
            _hold_consent(ground["consent"])
        _set_status(
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
            override_by=user if ground["override"] else None,
        )
        if ground["override"]:
            # Flagged separately so auditors find every override; the reason stays on the referral.
            _log(
                referral,
                kind="emergency_override",
                user=user,
                organisation_id=referral.from_organisation_id,
                changes={"emergency_override": True, "basis": SharingBasis.EMERGENCY},
            )
        _log(
            referral,
            kind="send",
            user=user,
            organisation_id=referral.from_organisation_id,
            summary=referral.get_basis_display(),
            changes={"basis": ground["basis"], "shared": referral_shared_keys(referral)},
        )
        _notify(referral, kind="send", to="receiver", actor=user, organisation=referral.from_organisation)
    return referral


def referral_mark_received(*, user: Any, referral: Referral) -> Referral:
    """The receiver opened the referral: the sender learns it arrived. Idempotent."""
    if referral.status != ReferralStatus.SENT or not policy.can(user, "answer", referral):
        return referral
    with transaction.atomic():
        try:
            _set_status(
                referral, allowed=(ReferralStatus.SENT,), status=ReferralStatus.RECEIVED, received_at=timezone.now()
            )
        except ValidationError:
            return referral  # someone else marked it meanwhile
        _log(referral, kind="receive", user=user, organisation_id=referral.to_organisation_id)
    return referral


def referral_accept(*, user: Any, referral: Referral, note: str = "") -> Referral:
    _require(user, "answer", referral)
    now = timezone.now()
    with transaction.atomic():
        place_taken = _take_place(referral)
        _set_status(
            referral,
            allowed=AWAITING_ANSWER,
            status=ReferralStatus.ACCEPTED,
            received_at=referral.received_at or now,
            responded_at=now,
            accepted_at=now,
            handled_by=user,
            place_taken=place_taken,
        )
        _log(
            referral,
            kind="accept",
            user=user,
            organisation_id=referral.to_organisation_id,
            summary=note.strip(),
            changes={"place_taken": place_taken},
        )
        _notify(referral, kind="accept", to="sender", actor=user, organisation=referral.to_organisation)
    return referral


def referral_decline(
    *,
    user: Any,
    referral: Referral,
    reason: str,
    suggested_service: Service | None = None,
    suggested_alternative: str = "",
) -> Referral:
    _require(user, "answer", referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    if suggested_service is not None and suggested_service.municipality_id != referral.municipality_id:
        raise ValidationError({"suggested_service": _("Choose a service of the network.")})
    now = timezone.now()
    with transaction.atomic():
        _set_status(
            referral,
            allowed=AWAITING_ANSWER,
            status=ReferralStatus.DECLINED,
            received_at=referral.received_at or now,
            responded_at=now,
            closed_at=now,
            handled_by=user,
            decline_reason=reason.strip(),
            suggested_service=suggested_service,
            suggested_alternative=suggested_alternative.strip()[:300],
        )
        _log(
            referral,
            kind="decline",
            user=user,
            organisation_id=referral.to_organisation_id,
            summary=str(suggested_service or suggested_alternative or ""),
            changes={"suggested": bool(suggested_service or suggested_alternative.strip())},
        )
        _notify(referral, kind="decline", to="sender", actor=user, organisation=referral.to_organisation)
    return referral


def referral_start(*, user: Any, referral: Referral) -> Referral:
    _require(user, "start", referral)
    with transaction.atomic():
        _set_status(
            referral, allowed=(ReferralStatus.ACCEPTED,), status=ReferralStatus.IN_PROGRESS, started_at=timezone.now()
        )
        _log(referral, kind="start", user=user, organisation_id=referral.to_organisation_id)
        _notify(referral, kind="start", to="sender", actor=user, organisation=referral.to_organisation)
    return referral


def referral_complete(*, user: Any, referral: Referral, outcome: str, feedback: str) -> Referral:
    """Close the loop: the outcome and the receiver's feedback go back to the sender."""
    _require(user, "complete", referral)
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if not feedback.strip():
        raise ValidationError({"feedback": _("Write the feedback for the sending provider.")})
    now = timezone.now()
    with transaction.atomic():
        _release_place(referral)
        _set_status(
            referral,
            allowed=(ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS),
            status=ReferralStatus.COMPLETED,
            started_at=referral.started_at or now,
            closed_at=now,
            outcome=outcome,
            feedback=feedback.strip(),
            place_taken=referral.place_taken,
        )
        _log(
            referral,
            kind="complete",
            user=user,
            organisation_id=referral.to_organisation_id,
            summary=referral.get_outcome_display(),
            changes={"outcome": outcome},
        )
        _notify(referral, kind="complete", to="sender", actor=user, organisation=referral.to_organisation)
    return referral


def referral_cancel(*, user: Any, referral: Referral, reason: str) -> Referral:
    _require(user, "cancel", referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    was_sent = referral.status != ReferralStatus.DRAFT
    with transaction.atomic():
        _release_place(referral)
        _set_status(
            referral,
            allowed=(ReferralStatus.DRAFT, *OPEN_STATUSES),
            status=ReferralStatus.CANCELLED,
            closed_at=timezone.now(),
            cancel_reason=reason.strip(),
            place_taken=referral.place_taken,
        )
        _log(referral, kind="cancel", user=user, organisation_id=referral.from_organisation_id)
        if was_sent:
            _notify(referral, kind="cancel", to="receiver", actor=user, organisation=referral.from_organisation)
    return referral


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
                _set_status(referral, allowed=AWAITING_ANSWER, status=ReferralStatus.EXPIRED, closed_at=now)
            except ValidationError:
                continue  # answered meanwhile
            _log(
                referral,
                kind="expire",
                user=None,
                organisation_id=None,
                changes={"response_days": referral.response_days},
            )
            _notify(referral, kind="expire", to="sender", actor=None, organisation=referral.to_organisation)
            _notify(referral, kind="expire", to="receiver", actor=None, organisation=referral.to_organisation)
        expired += 1
    return expired


def referral_open_case(*, user: Any, referral: Referral) -> Case:
    """The receiver opens its own case for the person: it stays after the referral closes."""
    _require(user, "open_case", referral)
    if not policy.can(user, "view", referral.person):
        raise ValidationError(
            _("Identity and contact were not shared with this referral: ask the sender to share them first."),
            code="not_shared",
        )
    with transaction.atomic():
        case = case_services.case_open(
            user=user,
            person=referral.person,
            organisation=referral.to_organisation_id,
            channel=Channel.INSTITUTION,
            request_summary=referral.reason,
            referred_by=str(referral.from_organisation)[:200],
        )
        locked = Referral.objects.for_tenant(referral.municipality_id).filter(
            pk=referral.pk, receiver_case__isnull=True
        )
        if not locked.update(receiver_case=case, updated_at=timezone.now()):
            raise ValidationError(_("A case was already opened from this referral."), code="stale")
        referral.receiver_case = case
        _log(referral, kind="open_case", user=user, organisation_id=referral.to_organisation_id)
    return case


# --- reactions to the registry (carenet.people.hooks) -------------------------------------------------


def stop_sharing_on_consent_withdrawal(*, user: Any, consent: Consent) -> int:
    """People's consent-withdrawal hook: the open referrals that relied on ``consent`` stop sharing at once.

    GDPR art. 7(3), Law 133/2011 (MD): the sharing had no other ground, so each such referral is
    cancelled (decision 0009): the receiver loses the shared dossier and the person's page like after
    any closing, the place is given back, both timelines say why, both providers are notified and
    the step is audited. Referrals sent on the case's legal basis or an emergency override do not
    rest on a consent and are left alone. Runs inside ``consent_withdraw``'s transaction.
    """
    referrals = list(
        Referral.objects.for_tenant(consent.municipality_id)
        .filter(consent_id=consent.pk, basis=SharingBasis.CONSENT, status__in=OPEN_STATUSES)
        .select_related("to_service", "to_organisation", "from_organisation", "case", "case__caseworker", "created_by")
        .order_by("sent_at")
    )
    withdrawn_on = consent.withdrawn_on or timezone.localdate()
    stopped = 0
    for referral in referrals:
        place_taken = referral.place_taken
        try:
            _set_status(
                referral,
                allowed=OPEN_STATUSES,
                status=ReferralStatus.CANCELLED,
                closed_at=timezone.now(),
                cancel_reason=_("The person withdrew the consent this referral relied on (withdrawn on %(date)s).")
                % {"date": withdrawn_on.isoformat()},
                place_taken=False,
            )
        except ValidationError:
            continue  # closed meanwhile: nothing is shared any more
        referral.place_taken = place_taken
        _release_place(referral)
        _log(
            referral,
            kind="consent_withdrawn",
            user=user,
            organisation_id=None,
            changes={"consent": str(consent.pk), "withdrawn_on": withdrawn_on.isoformat(), "sharing_stopped": True},
        )
        _notify(referral, kind="consent_withdrawn", to="receiver", actor=user, organisation=referral.from_organisation)
        _notify(referral, kind="consent_withdrawn", to="sender", actor=user, organisation=referral.from_organisation)
        stopped += 1
    return stopped


def describe_consent_use(*, consent: Consent) -> list[str]:
    """People's consent-use hook: the open referrals that rely on ``consent``, said before it is withdrawn."""
    references = list(
        Referral.objects.for_tenant(consent.municipality_id)
        .filter(consent_id=consent.pk, basis=SharingBasis.CONSENT, status__in=OPEN_STATUSES)
        .order_by("sent_at")
        .values_list("reference", flat=True)
    )
    if not references:
        return []
    return [
        ngettext(
            "%(count)s open referral relies on this consent (%(references)s): withdrawing it cancels the referral "
            "at once, the receiving provider no longer sees what was shared, and both providers are told.",
            "%(count)s open referrals rely on this consent (%(references)s): withdrawing it cancels them at once, "
            "the receiving providers no longer see what was shared, and all providers involved are told.",
            len(references),
        )
        % {"count": len(references), "references": ", ".join(references)}
    ]


def person_merge_move(*, user: Any, survivor: Any, duplicate: Any) -> dict[str, int]:
    """People's merge hook: the duplicate's referrals follow the survivor, each with a timeline line and an audit event.

    Runs inside ``person_merge``'s transaction (with cases' hook, which moves the referrals' cases).
    """
    tenant = survivor.municipality_id
    referrals = list(Referral.objects.for_tenant(tenant).filter(person=duplicate).order_by("created_at"))
    moved = (
        Referral.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor, updated_at=timezone.now())
    )
    for referral in referrals:
        ReferralEvent.objects.create(
            municipality_id=tenant, referral=referral, kind="person_merge", actor=user, organisation=None
        )
        audit_record(
            action="referral.person_merge",
            actor=user,
            obj=referral,
            changes={"person": [str(duplicate.pk), str(survivor.pk)]},
        )
    return {"referrals.referral": moved}


# --- transfer of a case --------------------------------------------------------------------------------


def _dispatcher_of(municipality_id: Any, organisation_id: Any) -> Any:
    """Who takes a transferred case until it is assigned: the new provider's manager, else a caseworker."""
    memberships = (
        Membership.objects.for_tenant(municipality_id)
        .filter(organisation_id=organisation_id, role__in=PROVIDER_ROLES, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("role", "created_at")
    )
    ranked = sorted(memberships, key=lambda m: (m.role != "provider_manager", not m.is_supervisor))
    return ranked[0].user if ranked else None


def case_transfer(
    *, user: Any, case: Case, to_organisation: Organisation, reason: str, override_reason: str = ""
) -> CaseTransfer:
    """Hand the case over to another provider (ownership change), under the same consent rules."""
    if not can_refer_from_case(user, case):
        raise PermissionDenied
    if to_organisation.municipality_id != case.municipality_id or not to_organisation.is_active:
        raise ValidationError({"to_organisation": _("Choose an active provider of the network.")})
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("The case already belongs to this provider.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is transferred.")})
    ground = _sharing_ground(user=user, case=case, organisation_id=to_organisation.pk, override_reason=override_reason)
    from_org_id = case.organisation_id
    new_caseworker = _dispatcher_of(case.municipality_id, to_organisation.pk)
    with transaction.atomic():
        updated = (
            Case.objects.for_tenant(case.municipality_id)
            .filter(pk=case.pk, version=case.version, organisation_id=from_org_id)
            .update(
                organisation_id=to_organisation.pk,
                caseworker=new_caseworker,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
        )
        if not updated:
            raise ValidationError(_("Someone else changed this case after you opened it: reload the page."))
        transfer = CaseTransfer.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            from_organisation_id=from_org_id,
            to_organisation=to_organisation,
            reason=reason.strip(),
            basis=ground["basis"],
            consent=ground["consent"],
            legal_basis=ground["legal_basis"],
            override_reason=override_reason.strip() if ground["override"] else "",
            transferred_by=user,
        )
        CaseEvent.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            kind="transfer",
            summary=f"{Organisation.plain.get(pk=from_org_id)} → {to_organisation}"[:300],
            actor=user,
        )
        audit_record(
            action="case.transfer",
            actor=user,
            obj=case,
            changes={
                "organisation": [str(from_org_id), str(to_organisation.pk)],
                "basis": ground["basis"],
                "emergency_override": ground["override"],
            },
        )
        if ground["override"]:
            audit_record(
                action="case.transfer.emergency_override", actor=user, obj=case, changes={"emergency_override": True}
            )
        case.organisation_id = to_organisation.pk
        case.caseworker = new_caseworker
        case.version += 1
        _notify_transfer(case, transfer=transfer, actor=user)
    return transfer


def _notify_transfer(case: Case, *, transfer: CaseTransfer, actor: Any) -> None:
    """The new provider's caseworkers and managers learn that a case arrived (in-app and e-mail)."""
    members = (
        Membership.objects.for_tenant(case.municipality_id)
        .filter(organisation_id=transfer.to_organisation_id, role__in=PROVIDER_ROLES, is_active=True)
        .select_related("user")
    )
    url = reverse("cases:detail", args=[case.pk])
    sender = Organisation.plain.get(pk=transfer.from_organisation_id)
    mails: list[tuple[str, str, str]] = []
    for user in {m.user for m in members if m.user.is_active and m.user.pk != getattr(actor, "pk", None)}:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            message = _("Case %(reference)s was transferred to your provider by %(organisation)s.") % {
                "reference": case.reference,
                "organisation": str(sender),
            }
        Notification.objects.create(
            municipality_id=case.municipality_id, recipient=user, kind="transfer", message=message[:300], url=url
        )
        if user.email:
            mails.append((message[:200], f"{message}\n\n{url}", user.email))
    if mails:
        transaction.on_commit(lambda: _send_mails(mails))


# --- notifications -------------------------------------------------------------------------------------


def notifications_mark_read(*, user: Any, notification_ids: list[Any] | None = None) -> int:
    qs = Notification.objects.for_tenant(user.municipality_id).filter(recipient_id=user.pk, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    updated = qs.update(read_at=timezone.now())
    # The badge the user was loaded with (carenet.accounts.backends) is recounted if shown again in this request.
    with contextlib.suppress(AttributeError):
        delattr(user, "unread_notifications_count")
    return updated
