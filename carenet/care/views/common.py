from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from carenet.core.form_errors import apply_errors as apply_errors  # the views of this app import it from here
from carenet.core.models import Municipality


def first_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def public_municipality(request: HttpRequest) -> Municipality:
    municipality = getattr(request, "public_municipality", None)
    if municipality is None:  # pragma: no cover
        raise Http404
    return municipality
