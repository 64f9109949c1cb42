"""The ground on which a referral or a transfer shares a person's data: consent, legal basis, or an emergency."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.cases.models import Case
from carenet.people.models import Consent, ConsentPurpose

from ..models import SharingBasis
from ..permissions import is_supervisor_of


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


def sharing_ground(*, actor: Any, case: Case, organisation_id: Any, override_reason: str) -> dict[str, Any]:
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
    if not is_supervisor_of(actor, case.organisation_id):
        raise PermissionDenied(_("Only a supervisor of the sending provider may override the consent rule."))
    return {"basis": SharingBasis.EMERGENCY, "consent": None, "legal_basis": "", "override": True}


def hold_consent(consent: Consent) -> None:
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
