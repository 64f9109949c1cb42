"""OpenAPI generation details shared by every API module."""

import re
from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_blank=True, help_text="the field named by the message ('' for the request)")
    message = serializers.CharField(help_text="translated into the request's language")


class ErrorSerializer(serializers.Serializer):
    """Every API error has this shape (``carenet.core.api_errors``)."""

    errors = ErrorItemSerializer(many=True)  # type: ignore[assignment]  # the field is named as the API names it


class CareNetAutoSchema(AutoSchema):
    """Operation ids name the path parameters too: the same view is mounted both for the whole platform
    and per municipality (``/api/hsds/services`` and ``/api/hsds/{municipality_slug}/services``).

    Every operation documents the refusals and errors it can answer with, in the one error shape
    (docs/architecture.md §3): 400 (bad input: a body, or query parameters), 401 and 403 (not signed in,
    or a role that may not), 404 (a record not visible, an unknown municipality, a page past the end),
    429 (a rate limit), each only where the view can give it.
    """

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        params = re.findall(r"{(\w+)}", self.path)
        return f"{operation_id}_by_{'_'.join(params)}" if params else operation_id

    def _error_codes(self) -> list[str]:
        view: Any = self.view
        codes = ["404"]  # an id or a municipality not found, or a page past the last (every list is paginated)
        has_query = bool(self._get_filter_parameters()) or bool(self._get_pagination_parameters())
        if self.method in ("POST", "PUT", "PATCH") or has_query or self._explicit_query_parameters():
            codes.append("400")
        permissions = view.get_permissions() if hasattr(view, "get_permissions") else []
        if any(not isinstance(p, AllowAny) for p in permissions):
            codes += ["401", "403"]
        elif self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("403")  # CSRF
        if getattr(view, "throttle_classes", None):
            codes.append("429")
        return codes

    def _explicit_query_parameters(self) -> bool:
        return any(
            getattr(p, "location", None) == "query" or (hasattr(p, "fields") or isinstance(p, type))
            for p in self.get_override_parameters()
        )

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
