"""The API's JSON parser: a body nested deeper than ``MAX_DEPTH`` is a 400 (issue 26, Low 13), never a
``RecursionError`` (a 500). No CareNet resource nests more than a few levels."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64


def _too_deep(data: bytes, limit: int) -> bool:
    """Brackets outside strings, counted in one pass (cheap; runs before the decoder recurses)."""
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        body = stream.read() if stream is not None else b""
        if _too_deep(body, MAX_DEPTH):
            raise ParseError(_("The JSON body is nested too deeply (at most %(depth)d levels).") % {"depth": MAX_DEPTH})
        try:
            return super().parse(BytesIO(body), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
