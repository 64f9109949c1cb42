"""Structured logs: one JSON object a line, each with the request's id (``LOG_FORMAT=json``, the production
default), so an IT officer can follow one request through the proxy's and the application's logs."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from carenet.core.request_context import current_request_meta


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` and ``path`` of the request being served (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        meta = current_request_meta()
        record.request_id = meta.request_id
        record.path = meta.path
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "path": getattr(record, "path", ""),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
