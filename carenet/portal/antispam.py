"""Spam protection of the public forms, without third-party CAPTCHAs.

Three layers, each cheap for a person and costly for a bot:

* **rate limit per address** (``rate_limited`` decorator): at most ``limit`` requests per minute
  from one client address for one form, counted in Django's cache. Past the limit the answer is a
  clear, translated 429 page (never an error). In production the cache must be shared between
  worker processes (Redis / database cache); the default local-memory cache counts per process.
* **honeypot**: a field hidden from people (CSS ``display: none``) that bots fill in.
* **time trap**: the form carries a signed timestamp and a random nonce; a form sent back faster than
  a person can read it (``CARENET_PORTAL_MIN_FORM_SECONDS``, default 3), older than a day, or with a
  token already used once (the nonce is kept in the shared cache) is refused with a message asking to
  send it again.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from carenet.core import ratelimit
from carenet.core.middleware import client_ip

_SIGNER_SALT = "carenet.portal.form-time"
MAX_FORM_AGE = 24 * 3600


def _new_token() -> str:
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(12)}, salt=_SIGNER_SALT)


def _min_seconds() -> float:
    return float(getattr(settings, "CARENET_PORTAL_MIN_FORM_SECONDS", 3))


def hit(scope: str, address: str, *, limit: int, window: int = 60) -> bool:
    """Count one request; True while the address is within its limit (``core.ratelimit``, shared cache)."""
    return ratelimit.hit(f"portal:{scope}", address, limit=limit, window=window)


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


class DescribedErrorsMixin:
    """After validation, point each invalid input at its error message (aria-describedby), so a screen
    reader reads the message when the field gets focus; the templates give it the id "<id>-error"."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
            ids = [f"{bound.auto_id}-error"]
            if self.fields[name].help_text:  # type: ignore[attr-defined]
                ids.append(f"{bound.auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(ids)


class HumanCheckedForm(DescribedErrorsMixin, forms.Form):
    """Mixin form with the honeypot and the time trap; public forms inherit it."""

    # Named like a field bots love to fill; people never see it (CSS class .hp is display: none).
    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=200)
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["form_started"] = _new_token()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Please try again."), code="honeypot")
        try:
            payload = signing.loads(cleaned.get("form_started") or "", salt=_SIGNER_SALT, max_age=MAX_FORM_AGE)
            started, nonce = float(payload["t"]), str(payload["n"])
        except (signing.BadSignature, TypeError, ValueError, KeyError) as exc:
            raise forms.ValidationError(
                _("The form has expired. Please check your answers and send it again."), code="expired"
            ) from exc
        if time.time() - started < _min_seconds():
            raise forms.ValidationError(
                _("The form was sent too quickly. Please check your answers and send it again."), code="too_fast"
            )
        # Single use: spent only by a form that is otherwise accepted, so one refused for a field keeps it.
        if not self.errors and not ratelimit.first_use("form-token", nonce, timeout=MAX_FORM_AGE):
            raise forms.ValidationError(
                _("This form was already sent. Please check your answers and send it again."), code="reused"
            )
        return cleaned

    def refresh_timer(self) -> None:
        """After a refusal, give the re-displayed form a fresh timestamp."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data["form_started"] = _new_token()
        self.data = data
