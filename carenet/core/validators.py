"""Validators shared by the apps."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Unicode's bidirectional formatting characters (embeddings, overrides, isolates, marks): in a name they can
# make "Ana" display as someone else or reverse the text around it (issue 26, Low 14; CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_bidi_controls(value: str) -> bool:
    return any(ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r") for ch in value)


def refuse_bidi_controls(values: dict[str, str]) -> None:
    """``ValidationError`` naming each field whose text holds a bidirectional or other control character."""
    errors = {
        field: _("Remove the invisible direction-changing characters from this text.")
        for field, value in values.items()
        if value and has_bidi_controls(str(value))
    }
    if errors:
        raise ValidationError(errors)
