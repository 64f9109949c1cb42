"""Template helpers of the engage part of the portal."""

from typing import Any

from django import template

register = template.Library()

SMALL_CELL = 5


@register.filter
def small_cell(value: Any) -> Any:
    """Public statistics never show a count of 1 to 4 persons (ARCHITECTURE.md): they read "< 5"."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return "< 5" if 0 < number < SMALL_CELL else number
