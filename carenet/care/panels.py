"""The care panel of the person page (``people.hooks.PERSON_PANELS``): the person's care requests the user
may see, and the way to ask for care for them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .permissions import can_coordinate_care, care_requests_visible_to


def person_care_panel(request: Any, person: Any) -> dict[str, Any] | None:
    if not can_coordinate_care(request.user):
        return None
    return {
        "title": _("Care at home"),
        "template": "care/_person_care.html",
        "care_requests": care_requests_visible_to(request.user).filter(person_id=person.pk).order_by("-created_at"),
    }
