"""Form fields and widgets other apps' forms reuse (a date picker, a scanned document).

Here, not in ``forms.py``: an app imports no other app's forms or views (import-linter).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .uploads import MAX_UPLOAD_BYTES, validate_scan


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ScanField(forms.FileField):
    default_error_messages = {
        "max_length": _("The file name is too long."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("PDF, JPEG or PNG, at most %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
        )
        kwargs.setdefault("validators", [validate_scan])
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
