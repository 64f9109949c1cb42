from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def apply_errors(form: Any, exc: ValidationError) -> None:
    """A service's refusal shown on the form, at the field it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def error_text(exc: ValidationError) -> str:
    return " ".join(
        m for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]) for m in msgs
    )


def form_errors(form: Any) -> str:
    """A form's errors as one line naming each field (for a message after a redirect)."""
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(map(str, e))}" for f, e in form.errors.items()
    )
