"""The "referrals" panel on a person's page (people shows it without importing referrals)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from carenet.cases.models import OPEN_STATUSES as CASE_OPEN_STATUSES
from carenet.cases.permissions import cases_visible_to

from .permissions import provider_organisations, referrals_visible_to


def person_referrals_panel(request: Any, person: Any) -> dict[str, Any] | None:
    referrals = (
        referrals_visible_to(request.user)
        .filter(person_id=person.pk)
        .select_related("from_organisation", "to_organisation", "to_service")
        .order_by("-created_at")[:50]
    )
    orgs = provider_organisations(request.user)
    own_open_cases = (
        cases_visible_to(request.user)
        .filter(person_id=person.pk, organisation_id__in=orgs, status__in=CASE_OPEN_STATUSES)
        .order_by("-opened_on")[:10]
        if orgs
        else []
    )
    return {
        "title": _("Referrals"),
        "template": "referrals/_person_referrals.html",
        "referrals": referrals,
        "own_open_cases": own_open_cases,
    }
