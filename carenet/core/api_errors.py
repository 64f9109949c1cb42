"""API errors in one shape, translated, naming the field: {"errors": [{"field": ..., "message": ...}]}."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .tenancy import TenantScopeError


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, str]]:
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            out.extend(_flatten(value, None if key in ("non_field_errors", "__all__") and field is None else name))
        return out
    if isinstance(detail, list):
        out = []
        for i, item in enumerate(detail):
            if isinstance(item, dict):
                out.extend(_flatten(item, f"{field}[{i}]" if field else f"[{i}]"))
            else:
                out.extend(_flatten(item, field))
        return out
    return [{"field": field or "", "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, TenantScopeError):  # a programming error must never leak as 500 text
        raise exc
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = {"errors": _flatten(response.data)}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"errors": [{"field": "", "message": str(response.data["detail"])}]}
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: a path under /api/ that no view answers (an unknown municipality slug, a malformed
    id) gets the API's error shape in JSON, as every other API error; pages keep the HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": "", "message": str(_("Not found."))}]}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: JSON under /api/ (no detail: the traceback goes to the log), the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": "", "message": str(_("A server error occurred."))}]}, status=500)
    return defaults.server_error(request)
