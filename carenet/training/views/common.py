from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from carenet.core.form_errors import apply_errors as apply_errors  # the views of this app import it from here


def error_text(exc: ValidationError) -> str:
    return " ".join(
        m for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]) for m in msgs
    )


def form_errors(form: Any) -> str:
    """A form's errors as one line naming each field (for a message after a redirect)."""
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(map(str, e))}" for f, e in form.errors.items()
    )
