from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.core.form_errors import apply_errors as apply_errors  # the views of this app import it from here


def month_of(text: str | None) -> datetime.date:
    """``YYYY-MM`` from a query string, else this month (a bad value is this month, never a 500)."""
    try:
        return datetime.datetime.strptime(text or "", "%Y-%m").date().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def year_of(text: str | None) -> int:
    try:
        year = int(text or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class BadSubmission(Exception):
    """A field's submission from a field page cannot be read: answered 400 naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def response(self) -> JsonResponse:
        return JsonResponse({"status": "invalid", "errors": {self.field: [self.message]}}, status=400)


def field_submission(request: HttpRequest) -> tuple[dict[str, Any], datetime.date | None]:
    """The JSON object a field page's offline queue sends, and its ``day`` (None: today). Raises
    ``BadSubmission`` for an unreadable body or day."""
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        raise BadSubmission("", _("The submission is not readable.")) from None
    day = None
    if payload.get("day"):
        try:
            day = datetime.date.fromisoformat(str(payload["day"]))
        except ValueError:
            raise BadSubmission("day", _("The day is not a date.")) from None
    return payload, day


def invalid(exc: ValidationError) -> JsonResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return JsonResponse({"status": "invalid", "errors": errors}, status=400)
