from __future__ import annotations

from typing import Any

from django import template

from ..forms import WEEKDAYS
from ..reasons import reasons_text

register = template.Library()
_NAMES = dict(WEEKDAYS)


@register.filter
def care_weekdays(days: Any) -> str:
    return ", ".join(str(_NAMES[int(d)]) for d in (days or []) if int(d) in _NAMES)


@register.filter
def care_reasons(reasons: Any) -> list[str]:
    return reasons_text(reasons)


@register.filter
def care_weekday(day: Any) -> str:
    return str(_NAMES.get(int(day), day))
