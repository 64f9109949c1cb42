from __future__ import annotations

from django.core.exceptions import ValidationError

from carenet.core.form_errors import apply_errors as apply_errors  # the views of this app import it from here


def first_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)
