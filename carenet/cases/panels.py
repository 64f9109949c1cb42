"""The "cases" panel on a person's page (people shows it without importing cases)."""

from __future__ import annotations

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
