from __future__ import annotations

from typing import Any

from django import template

from ..forms import WEEKDAYS

register = template.Library()
_NAMES = dict(WEEKDAYS)


@register.filter
def weekday_names(days: Any) -> str:
    """[0, 2] → "Monday, Wednesday" in the reader's language."""
    return ", ".join(str(_NAMES[int(d)]) for d in (days or []) if int(d) in _NAMES)


@register.filter
def skill_names(codes: Any, skills: Any) -> str:
    names = {s.code: s.name for s in skills or []}
    return ", ".join(names.get(c, c) for c in codes or [])
