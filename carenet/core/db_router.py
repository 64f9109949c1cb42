"""Reads from a streaming replica, writes and fresh reads on the primary (issue 23; docs/performance.md,
"Read replicas for dashboards and reports").

With ``DATABASE_REPLICA_URL`` set, config/settings/base.py adds the database alias ``replica``, this router and
``ReadYourWritesMiddleware``. A read goes to the replica except:

(a) inside a transaction on the primary (``transaction.atomic``: a service's reads before its write, a
    ``select_for_update``) — and every write goes to the primary;
(b) for the rest of a request (or, outside requests, of the thread) once it has written a row that could be
    read back from the replica;
(c) for a browser's requests within ``CARENET_READ_YOUR_WRITES_SECONDS`` of its last POST/PUT/PATCH/DELETE
    (a signed cookie the middleware sets): the page after a form reads what the form saved, whatever the lag.

The tables of the machinery that counts and locks (sessions, the database cache with its rate limits and
single-use tokens, sign-in lockouts, second-factor devices, the task queue: ``CARENET_PRIMARY_ONLY_APPS``) are
read and written on the primary only, and writing them does not pin a request (b). Migrations run on the primary
only. Without ``DATABASE_REPLICA_URL`` none of this is installed and every query goes to ``default``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
COOKIE = "carenet_primary"
_SALT = "carenet.core.db_router.read-your-writes"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
DEFAULT_PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "django_cache", "axes", "otp_totp", "otp_static", "django_tasks_database"}
)

_state = Local()


def primary_pinned() -> bool:
    """True when this request (or thread) reads from the primary whatever the query: rules (b) and (c)."""
    return bool(getattr(_state, "pinned", False))


def pin_primary(pinned: bool = True) -> None:
    """Send every further read of this request (or thread) to the primary, or (``False``) release it."""
    _state.pinned = pinned


@contextmanager
def primary_reads() -> Iterator[None]:
    """Read from the primary inside the block (a loader that checks what it has just written, a benchmark)."""
    before = primary_pinned()
    pin_primary()
    try:
        yield
    finally:
        pin_primary(before)


def _primary_only(model: type[Model]) -> bool:
    apps = getattr(settings, "CARENET_PRIMARY_ONLY_APPS", DEFAULT_PRIMARY_ONLY_APPS)
    return model._meta.app_label in apps


def _in_transaction() -> bool:
    """Rule (a): the primary's connection is inside ``atomic`` (or autocommit was turned off)."""
    connection = connections[PRIMARY]
    return connection.in_atomic_block or (connection.connection is not None and not connection.autocommit)


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry of the read replica (module docstring); installed only with the alias."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if primary_pinned() or _primary_only(model) or _in_transaction():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        if not _primary_only(model):
            pin_primary()  # rule (b): what this request wrote is read back from the primary
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: a row read from one may point to a row read from the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def read_your_writes_seconds() -> int:
    return int(getattr(settings, "CARENET_READ_YOUR_WRITES_SECONDS", 5))


class ReadYourWritesMiddleware:
    """Rules (b) and (c) per request: starts each request unpinned unless the browser wrote within the last
    ``CARENET_READ_YOUR_WRITES_SECONDS`` (its signed cookie); after a POST, PUT, PATCH or DELETE sets that cookie.

    The state is left as the request ends (a streamed export keeps reading where its view read) and reset by the
    next request of the thread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = read_your_writes_seconds()
        stamp = request.get_signed_cookie(COOKIE, default=None, salt=_SALT, max_age=seconds)
        pin_primary(stamp is not None)
        response = self.get_response(request)
        if request.method not in _SAFE_METHODS and seconds > 0:
            response.set_signed_cookie(
                COOKIE,
                str(int(time.time())),
                salt=_SALT,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
