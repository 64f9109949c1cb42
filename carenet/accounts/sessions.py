"""Signed-in sessions (issue 26, Medium 8; decision 0012): idle timeout, the user's list of their sessions.

A sign-in records a ``UserSession``; a sign-out removes it. The session's last request time is kept in the
session (``carenet_last_seen``, written at most once a minute); past ``CARENET_SESSION_IDLE_MINUTES`` the
next request signs the user out. Sessions end at browser close (``SESSION_EXPIRE_AT_BROWSER_CLOSE``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from carenet.audit.services import audit_record
from carenet.core.middleware import client_ip

from .models import UserSession

LAST_SEEN = "carenet_last_seen"
TOUCH_EVERY = 60  # seconds: the session and its row are written at most this often


def idle_seconds() -> int:
    return int(settings.CARENET_SESSION_IDLE_MINUTES) * 60


@receiver(user_logged_in, dispatch_uid="carenet.accounts.session_start")
def _session_start(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_SEEN] = time.time()
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


@receiver(user_logged_out, dispatch_uid="carenet.accounts.session_end")
def _session_end(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


class SessionIdleMiddleware:
    """Sign out a session idle longer than ``CARENET_SESSION_IDLE_MINUTES``; note activity once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - float(last) > idle_seconds():
                logout(request)  # the request goes on anonymous: pages send it to sign in, the API answers 401
            elif last is None or now - float(last) > TOUCH_EVERY:
                request.session[LAST_SEEN] = now
                if request.session.session_key:
                    UserSession.objects.filter(session_key=request.session.session_key).update(
                        last_seen_at=timezone.now()
                    )
        return self.get_response(request)


def user_sessions(*, user: Any) -> QuerySet[UserSession]:
    """The user's live sessions (seen within the idle time), most recent first."""
    since = timezone.now() - timedelta(seconds=idle_seconds() + TOUCH_EVERY)
    return UserSession.objects.filter(user_id=user.pk, last_seen_at__gte=since).order_by("-last_seen_at")


def user_session_end(*, actor: Any, session: UserSession) -> None:
    """End one of the actor's own sessions (deleted from the session store), audited."""
    if session.user_id != actor.pk:
        raise PermissionError("a user ends only their own sessions")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    with transaction.atomic():
        store().delete(session.session_key)
        UserSession.objects.filter(pk=session.pk).delete()
        audit_record(
            action="auth.session_end",
            actor=actor,
            object_type="accounts.usersession",
            object_id=session.pk,
            changes={"ip": session.ip or "", "signed_in": session.created_at.isoformat()},
        )


def end_other_sessions(*, request: HttpRequest) -> int:
    """End every session of the request's user but this one (after a password change)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    others = UserSession.objects.filter(user_id=request.user.pk).exclude(session_key=request.session.session_key)
    keys = list(others.values_list("session_key", flat=True))
    for key in keys:
        store().delete(key)
    others.delete()
    return len(keys)
