"""The reasons of a proposal are stored as codes + params and rendered in the reader's language here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .forms import LANGUAGE_CHOICES, WEEKDAYS


def reason_text(code: str, params: dict[str, Any]) -> str:
    days = dict(WEEKDAYS)
    languages = dict(LANGUAGE_CHOICES)
    if code == "distance":
        return _("%(km)s km away along the streets") % {"km": params.get("km")}
    if code == "available":
        names = ", ".join(str(days.get(int(d), d)) for d in params.get("days", []))
        return _("free for the whole visit on %(days)s") % {"days": names}
    if code == "language":
        return _("speaks %(language)s") % {
            "language": languages.get(params.get("language", ""), params.get("language"))
        }
    if code == "trained":
        return _("completed the caregiver training")
    if code == "qualified":
        return _("has a stated qualification")
    return _("other reason")


def reasons_text(reasons: Any) -> list[str]:
    return [reason_text(code, params or {}) for code, params in reasons or []]
