"""Transfer of a case: ownership moves to another provider, under the same rules for sharing as a referral."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carenet.accounts.models import Membership
from carenet.audit.services import audit_record
from carenet.cases.models import Case, CaseEvent
from carenet.core.models import Organisation
from carenet.people.permissions import PROVIDER_ROLES

from ..models import CaseTransfer, Notification
from ..permissions import can_refer_from_case
from .notifications import provider_staff, send_mails_on_commit
from .sharing import sharing_ground


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
    *, actor: Any, case: Case, to_organisation: Organisation, reason: str, override_reason: str = ""
) -> CaseTransfer:
    """Hand the case over to another provider (ownership change), under the same consent rules."""
    if not can_refer_from_case(actor, case):
        raise PermissionDenied
    if to_organisation.municipality_id != case.municipality_id or not to_organisation.is_active:
        raise ValidationError({"to_organisation": _("Choose an active provider of the network.")})
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("The case already belongs to this provider.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is transferred.")})
    ground = sharing_ground(actor=actor, case=case, organisation_id=to_organisation.pk, override_reason=override_reason)
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
            transferred_by=actor,
        )
        CaseEvent.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            kind="transfer",
            summary=f"{Organisation.plain.get(pk=from_org_id)} → {to_organisation}"[:300],
            actor=actor,
        )
        audit_record(
            action="case.transfer",
            actor=actor,
            obj=case,
            changes={
                "organisation": [str(from_org_id), str(to_organisation.pk)],
                "basis": ground["basis"],
                "emergency_override": ground["override"],
            },
        )
        if ground["override"]:
            audit_record(
                action="case.transfer.emergency_override", actor=actor, obj=case, changes={"emergency_override": True}
            )
        case.organisation_id = to_organisation.pk
        case.caseworker = new_caseworker
        case.version += 1
        _notify_transfer(case, transfer=transfer, actor=actor)
    return transfer


def _notify_transfer(case: Case, *, transfer: CaseTransfer, actor: Any) -> None:
    """The new provider's caseworkers and managers learn that a case arrived (in-app and e-mail)."""
    staff = provider_staff(municipality_id=case.municipality_id, organisation_id=transfer.to_organisation_id)
    url = reverse("cases:detail", args=[case.pk])
    sender = Organisation.plain.get(pk=transfer.from_organisation_id)
    mails: list[tuple[str, str, str]] = []
    for user in {u for u in staff if u.pk != getattr(actor, "pk", None)}:
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
    send_mails_on_commit(mails)
