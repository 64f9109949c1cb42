"""The "cases" panel on a person's page (people shows it without importing cases)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from .permissions import organisations_for_new_case
from .selectors import person_cases


def person_cases_panel(request: Any, person: Any) -> dict[str, Any]:
    return {
        "title": _("Cases"),
        "template": "cases/_person_cases.html",
        "cases": person_cases(user=request.user, person_id=person.pk),
        "can_open": bool(organisations_for_new_case(request.user)) and person.merged_into_id is None,
    }


# Sections of the case page that higher layers add without cases importing them (referrals: the case's
# referrals and the "Refer" button). A panel is ``panel(request, case) -> dict | None`` with "template".
CASE_PANELS: list[Callable[..., Any]] = []


def register_case_panel(panel: Callable[..., Any]) -> None:
    if panel not in CASE_PANELS:
        CASE_PANELS.append(panel)


def case_panels(request: Any, case: Any) -> list[dict[str, Any]]:
    return [result for panel in CASE_PANELS if (result := panel(request, case)) is not None]
