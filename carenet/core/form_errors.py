"""A service's refusal shown on the form that asked for it (every app's views use this one helper)."""

from typing import Any

from django.core.exceptions import ValidationError


def apply_errors(form: Any, exc: ValidationError) -> None:
    """At the field the ``ValidationError`` names when the form has it, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
