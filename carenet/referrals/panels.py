"""The "referrals" panel on a person's page (people shows it without importing referrals)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .permissions import can_refer_from_case
from .selectors import case_referrals, person_cases_to_refer, person_referrals


def person_referrals_panel(request: Any, person: Any) -> dict[str, Any] | None:
    return {
        "title": _("Referrals"),
        "template": "referrals/_person_referrals.html",
        "referrals": person_referrals(user=request.user, person_id=person.pk),
        "own_open_cases": person_cases_to_refer(user=request.user, person_id=person.pk),
    }


def case_referrals_panel(request: Any, case: Any) -> dict[str, Any] | None:
    """The referrals section of the case page, with the "Refer" button (cases shows it without importing
    referrals: cases.panels.CASE_PANELS)."""
    return {
        "title": _("Referrals"),
        "template": "referrals/_case_referrals.html",
        "case": case,
        "referrals": case_referrals(user=request.user, case=case),
        "can_refer": case.is_open and can_refer_from_case(request.user, case),
    }
