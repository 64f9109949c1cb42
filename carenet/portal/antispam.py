"""Spam protection of the public forms, without third-party CAPTCHAs.

Three layers, each cheap for a person and costly for a bot:

* **rate limit per address** (``rate_limited`` decorator): at most ``limit`` requests per minute
  from one client address for one form, counted in Django's cache. Past the limit the answer is a
  clear, translated 429 page (never an error). In production the cache must be shared between
  worker processes (Redis / database cache); the default local-memory cache counts per process.
* **honeypot**: a field hidden from people (CSS ``display: none``) that bots fill in.
* **time trap**: the form carries a signed timestamp; a form sent back faster than a person can
  read it (``CARENET_PORTAL_MIN_FORM_SECONDS``, default 3) or older than a day is refused with a
  message asking to send it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from carenet.core.middleware import client_ip

_SIGNER_SALT = "carenet.portal.form-time"
MAX_FORM_AGE = 24 * 3600


def _min_seconds() -> float:
    return float(getattr(settings, "CARENET_PORTAL_MIN_FORM_SECONDS", 3))


def hit(scope: str, address: str, *, limit: int, window: int = 60) -> bool:
    """Count one request; True while the address is within its limit for this window."""
    bucket = int(time.time() // window)
    key = f"portal-rl:{scope}:{address}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
    return count <= limit


def rate_limited(scope: str, *, limit: int, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Refuse with 429 once one address sent more than ``limit`` requests in a minute."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and not hit(scope, client_ip(request) or "unknown", limit=limit):
                response = render(request, "portal/too_many.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HumanCheckedForm(forms.Form):
    """Mixin form with the honeypot and the time trap; public forms inherit it."""

    # Named like a field bots love to fill; people never see it (CSS class .hp is display: none).
    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=200)
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["form_started"] = signing.dumps(time.time(), salt=_SIGNER_SALT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Please try again."), code="honeypot")
        try:
            started = float(signing.loads(cleaned.get("form_started") or "", salt=_SIGNER_SALT, max_age=MAX_FORM_AGE))
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise forms.ValidationError(
                _("The form has expired. Please check your answers and send it again."), code="expired"
            ) from exc
        if time.time() - started < _min_seconds():
            raise forms.ValidationError(
                _("The form was sent too quickly. Please check your answers and send it again."), code="too_fast"
            )
        return cleaned

    def refresh_timer(self) -> None:
        """After a refusal, give the re-displayed form a fresh timestamp."""
        data = self.data.copy()
        data["form_started"] = signing.dumps(time.time(), salt=_SIGNER_SALT)
        self.data = data
