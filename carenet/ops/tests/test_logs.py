"""Structured logs: one JSON object a line, with the id of the request being served."""

from __future__ import annotations

import json
import logging

from carenet.core.request_context import RequestMeta, reset_request_meta, set_request_meta
from carenet.ops.logs import JsonFormatter, RequestIdFilter


def test_a_log_line_is_json_with_the_request_id():
    record = logging.LogRecord("carenet.test", logging.WARNING, __file__, 1, "import %s failed", ("x",), None)
    token = set_request_meta(RequestMeta(path="/people/", request_id="rid-0001"))
    try:
        assert RequestIdFilter().filter(record)
    finally:
        reset_request_meta(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "import x failed"
    assert (entry["request_id"], entry["path"], entry["level"]) == ("rid-0001", "/people/", "WARNING")


def test_outside_a_request_the_id_is_empty():
    record = logging.LogRecord("carenet.test", logging.INFO, __file__, 1, "tick", (), None)
    RequestIdFilter().filter(record)
    assert json.loads(JsonFormatter().format(record))["request_id"] == ""
