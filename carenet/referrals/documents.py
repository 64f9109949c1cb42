"""The referral letter (scrisoare de referire) as a printable official document (core.documents): what the
sending provider signs and hands to the person or sends to the receiving service. Only the parts of the
dossier the referral shares appear in it."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from carenet.cases.documents import case_values
from carenet.core.documents import register_document_kind

from .models import Referral

LETTER = "referrals.letter"
LABEL = gettext_lazy("Referral letter")


def register() -> None:
    register_document_kind(
        LETTER,
        label=LABEL,
        template_name="referrals/documents/letter.html",
        fields=("municipality", "provider", "case", "person", "today", "legal_reference", "caseworker", "referral"),
    )


def letter_values(referral: Referral) -> dict[str, Any]:
    values = case_values(referral.case)
    if not referral.share_identity:
        values["person"] = {"name": values["person"]["name"]}
    if not referral.share_contact:
        values["person"].pop("address", None)
        values["person"].pop("phone", None)
    values["referral"] = {
        "reference": referral.reference,
        "to_service": referral.to_service.name,
        "to_provider": referral.to_organisation.name,
        "reason": referral.reason,
        "urgency": str(referral.get_urgency_display()),
        "sent_on": date_format(referral.sent_at, "SHORT_DATE_FORMAT") if referral.sent_at else "",
        "respond_by": date_format(referral.respond_by, "SHORT_DATE_FORMAT") if referral.respond_by else "",
        "basis": str(referral.get_basis_display()) if referral.basis else "",
    }
    return values
