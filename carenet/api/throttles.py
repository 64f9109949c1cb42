"""API throttles (issue 26, Low 10) that count by the real client address (``core.middleware.client_ip``:
``X-Real-IP`` only from the configured proxy) and read their rates when they run, in the shared cache."""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from carenet.core.middleware import client_ip


class _LiveRates:
    scope: str

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"


class ClientAnonThrottle(_LiveRates, AnonRateThrottle):
    """Anonymous callers, by address."""


class ClientUserThrottle(_LiveRates, UserRateThrottle):
    """Signed-in callers (session or token), by user."""
