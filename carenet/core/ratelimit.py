"""Counting requests in the shared cache (Redis or the database cache, decision 0012), for limits that hold
across worker processes: the public forms, password reset, sign-in."""

from __future__ import annotations

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window: int = 60) -> bool:
    """Count one request; True while ``key`` is within ``limit`` requests of its ``window`` seconds.

    The window opens at the key's first request and closes ``window`` seconds later (the entry's expiry;
    ``incr`` keeps it), so a burst cannot slip through at a clock-minute boundary.
    """
    name = f"rl:{scope}:{key}"
    if cache.add(name, 1, timeout=window):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr: a new window
        cache.set(name, 1, timeout=window)
        count = 1
    return count <= limit


def first_use(scope: str, key: str, *, timeout: int) -> bool:
    """True the first time ``key`` is seen in ``timeout`` seconds (a single-use token's nonce)."""
    return bool(cache.add(f"once:{scope}:{key}", 1, timeout=timeout))
