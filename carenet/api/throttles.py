"""API throttles (issue 26, Low 10) that count by the real client address (``core.middleware.client_ip``:
``X-Real-IP`` only from the configured proxy) and read their rates when they run, in the shared cache.

They count with a sliding-window counter (issue 23), not DRF's list of every request time of the last
window: two integers per client — this window's requests and the previous window's, the latter weighted by
how much of it still lies within the last ``duration`` seconds — so that a request costs one read and one
write of a small value whatever the rate. DRF's history grows with the rate (a busy API client at 2,000/min
carried 2,000 floats, unpickled and written back on every request). The count is an estimate that assumes
the previous window's requests were spread evenly; like DRF's, its read and write are not one atomic step,
so concurrent requests of one client may be counted once (a limit, not an accounting).
"""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from carenet.core.middleware import client_ip


class _SlidingWindow(SimpleRateThrottle):
    scope: str
    _wait: float | None = None

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        requests, seconds = self.parse_rate(self.rate)
        limit, duration = int(requests or 0), int(seconds or 1)
        now = self.timer()
        window = int(now // duration)
        current_key, previous_key = f"{key}:{window}", f"{key}:{window - 1}"
        counts = self.cache.get_many([current_key, previous_key])
        current, previous = int(counts.get(current_key, 0)), int(counts.get(previous_key, 0))
        elapsed = (now - window * duration) / duration  # how much of the current window has passed, 0 to 1
        if previous * (1 - elapsed) + current >= limit:
            self._wait = _wait_seconds(limit, duration, current, previous, elapsed)
            return False
        # Kept two windows: the next window still weighs this one.
        self.cache.set(current_key, current + 1, 2 * duration)
        return True

    def wait(self) -> float | None:
        return self._wait


def _wait_seconds(limit: int, duration: int, current: int, previous: int, elapsed: float) -> float:
    """Seconds until the weighted count falls below the limit again (the previous window weighing less and
    less), or until the next window when this window's own requests reach the limit."""
    if current >= limit or previous == 0:
        return (1 - elapsed) * duration
    # previous * (1 - t) + current < limit  ⇔  t > 1 - (limit - current) / previous
    return max(0.0, (1 - (limit - current) / previous - elapsed) * duration)


class ClientAnonThrottle(_SlidingWindow, AnonRateThrottle):
    """Anonymous callers, by address."""


class ClientUserThrottle(_SlidingWindow, UserRateThrottle):
    """Signed-in callers (session or token), by user."""
