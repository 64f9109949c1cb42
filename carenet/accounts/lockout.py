"""The sign-in lockout (issue 26, Low 11; decision 0012), on django-axes.

* **Per user**: ``AXES_LOCKOUT_PARAMETERS = ["username"]``; a new address gets no fresh tries, and the
  address axes records is the real client's (``core.middleware.client_ip``).
* **A growing delay**: the first lockout lasts ``BASE`` (15 minutes), each further one within a day twice the
  one before, up to a day (``cool_off``, axes' ``AXES_COOLOFF_TIME``). Lockouts are counted in the shared cache.
* **Unlock by e-mail**: the lockout page offers a link sent to the account's own address; signed, valid one
  hour, single use (``unlock_link_send`` / ``unlock_with``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core import ratelimit

logger = logging.getLogger(__name__)

BASE = timedelta(minutes=15)
MAXIMUM = timedelta(hours=24)
MEMORY = 24 * 3600  # lockouts are remembered a day after the last one
_SALT = "carenet.accounts.unlock"
LINK_AGE = 3600


def _count_key(username: str) -> str:
    return f"lockouts:{username}"


def lockouts(username: str) -> int:
    return int(cache.get(_count_key(username), 0))


def _delay(count: int) -> timedelta:
    return min(BASE * (2 ** max(count - 1, 0)), MAXIMUM) if count < 40 else MAXIMUM


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long failures count and a lockout lasts for the user named in the request (axes calls this)."""
    username = ""
    if request is not None:
        credentials = getattr(request, "axes_credentials", None) or {}
        username = str(credentials.get("username") or getattr(request, "POST", {}).get("username", ""))
    return _delay(lockouts(username)) if username else BASE


def note_lockout(username: str) -> None:
    """One more lockout of ``username`` (the next lasts twice as long), remembered a day."""
    key = _count_key(username)
    if not cache.add(key, 1, timeout=MEMORY):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=MEMORY)
        cache.touch(key, MEMORY)


@receiver(user_locked_out, dispatch_uid="carenet.accounts.lockout")
def _locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    # axes also signals each refused try during a lockout: count a lockout once while it lasts.
    if username and cache.add(f"lockout-open:{username}", 1, timeout=int(cool_off(request).total_seconds())):
        note_lockout(username)


def unlock_link_send(*, request: HttpRequest, username: str) -> None:
    """E-mail an unlock link to the account's own address. Silent for an unknown name (no account
    enumeration); at most 5 asks an hour from one address."""
    from carenet.core.middleware import client_ip

    if not ratelimit.hit("unlock", client_ip(request) or "unknown", limit=5, window=3600):
        return
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not user.email:
        return
    token = signing.dumps({"u": user.pk, "n": secrets.token_urlsafe(12)}, salt=_SALT)
    url = request.build_absolute_uri(reverse("accounts:unlock_with", args=[token]))
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("CareNet: unlock your account")
        body = "\n\n".join(
            [
                _("Your CareNet account was locked after several failed sign-in attempts."),
                _("Open this link within an hour to unlock it: %(url)s") % {"url": url},
                _("If you did not try to sign in, someone else did: change your password after signing in."),
            ]
        )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        logger.exception("unlock e-mail failed")


def unlock_with(token: str) -> bool:
    """Unlock the account of a valid, unused link; False for a forged, expired or used one."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_AGE)
        user = get_user_model().objects.get(pk=data["u"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError, get_user_model().DoesNotExist):
        return False
    if not ratelimit.first_use("unlock-link", str(data.get("n")), timeout=LINK_AGE):
        return False
    reset(username=user.get_username())
    cache.delete(f"lockout-open:{user.get_username()}")
    audit_record(action="auth.unlock_by_email", actor=None, obj=user, municipality=user.municipality_id)
    return True
