"""The messaging gateway: SMS and automated voice calls through a backend chosen by settings, like Django's
e-mail backends (issue 20, decision 0021).

``CARENET_MESSAGING_BACKEND`` names the backend:

* ``""`` (the production default) — no gateway: the feature is off, and the pages say so;
* ``locmem`` — the tests: every message is appended to ``outbox``;
* ``console`` — development: every message is logged, nothing is sent;
* ``twilio`` — the Twilio REST API of 2010-04-01, which Somleng (the open-source telecom platform) also
  implements: ``POST {base}/2010-04-01/Accounts/{sid}/Messages.json`` (To, From, Body, StatusCallback) and
  ``.../Calls.json`` (To, From, Twiml, StatusCallback), HTTP basic auth ``sid:token``.

A send never raises to its caller: a timeout, a refusal or an unreadable answer is a ``SendResult`` with
``ok=False`` and the error, which the caller records. There is no retry here (a retry is the caller's
decision, one recorded attempt at a time). Inbound requests are checked with ``signature_valid`` (the
``X-Twilio-Signature`` HMAC-SHA1 over the URL and the sorted POST parameters, keyed with the auth token).

Layer L0: this module imports nothing of the apps.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings

log = logging.getLogger(__name__)

SMS = "sms"
VOICE = "voice"

# The locale a voice reads each language in (TwiML <Say language=...>).
VOICE_LOCALES = {"ro": "ro-RO", "ru": "ru-RU", "hu": "hu-HU", "uk": "uk-UA", "en": "en-GB"}


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_id: str = ""
    status: str = ""  # the provider's status on acceptance ("queued", "sent", …)
    error: str = ""


@dataclass
class OutboxItem:
    channel: str
    to: str
    sender: str
    body: str  # the SMS text or the call's TwiML
    status_callback: str
    provider_id: str


outbox: list[OutboxItem] = []


@dataclass
class Gateway:
    """Settings of the gateway in use (from the environment, ``config/settings``)."""

    name: str
    sender: str = ""
    account_sid: str = ""
    auth_token: str = ""
    base_url: str = ""
    timeout: float = 10.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def processor(self) -> str:
        """Who the phone numbers go to (for the audit): the API's host, or the backend's name."""
        if self.name == "twilio":
            return urllib.parse.urlsplit(self.base_url).netloc or self.base_url
        return self.name

    def send_sms(self, *, to: str, body: str, status_callback: str = "") -> SendResult:
        raise NotImplementedError

    def place_call(self, *, to: str, twiml: str, status_callback: str = "") -> SendResult:
        raise NotImplementedError


class LocmemGateway(Gateway):
    def _keep(self, channel: str, to: str, body: str, status_callback: str) -> SendResult:
        prefix = "SM" if channel == SMS else "CA"
        provider_id = f"{prefix}{len(outbox) + 1:032d}"
        outbox.append(OutboxItem(channel, to, self.sender, body, status_callback, provider_id))
        return SendResult(True, provider_id, "queued")

    def send_sms(self, *, to: str, body: str, status_callback: str = "") -> SendResult:
        return self._keep(SMS, to, body, status_callback)

    def place_call(self, *, to: str, twiml: str, status_callback: str = "") -> SendResult:
        return self._keep(VOICE, to, twiml, status_callback)


class ConsoleGateway(LocmemGateway):
    def _keep(self, channel: str, to: str, body: str, status_callback: str) -> SendResult:
        log.info("messaging (console, nothing sent): %s to %s: %s", channel, to, body)
        return SendResult(True, f"console-{channel}", "queued")


class TwilioGateway(Gateway):
    """The Twilio-compatible REST API (Twilio itself, or a Somleng installation at ``base_url``)."""

    def _post(self, resource: str, data: Mapping[str, str]) -> SendResult:
        if not (self.base_url and self.account_sid and self.auth_token and self.sender):
            return SendResult(False, error="gateway not configured (base URL, account, token, sender)")
        url = (
            f"{self.base_url.rstrip('/')}/2010-04-01/Accounts/"
            f"{urllib.parse.quote(self.account_sid, safe='')}/{resource}.json"
        )
        auth = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310  (the URL's scheme comes from the settings)
            url,
            data=urllib.parse.urlencode({k: v for k, v in data.items() if v}).encode(),
            headers={"Authorization": f"Basic {auth}", "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read(1_000_000) or b"{}")
        except urllib.error.HTTPError as exc:
            detail = ""
            with contextlib.suppress(ValueError, AttributeError):
                detail = str(json.loads(exc.read(10_000) or b"{}").get("message", ""))
            return SendResult(False, error=f"HTTP {exc.code} {detail}".strip()[:300])
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return SendResult(False, error=f"unreachable: {exc}"[:300])
        except ValueError:
            return SendResult(False, error="unreadable answer")
        if not isinstance(answer, dict) or not answer.get("sid"):
            return SendResult(False, error="answer without an id")
        return SendResult(True, str(answer["sid"])[:64], str(answer.get("status") or "queued")[:20])

    def send_sms(self, *, to: str, body: str, status_callback: str = "") -> SendResult:
        return self._post("Messages", {"To": to, "From": self.sender, "Body": body, "StatusCallback": status_callback})

    def place_call(self, *, to: str, twiml: str, status_callback: str = "") -> SendResult:
        return self._post(
            "Calls",
            {
                "To": to,
                "From": self.sender,
                "Twiml": twiml,
                "StatusCallback": status_callback,
                "StatusCallbackEvent": "completed",
            },
        )


BACKENDS: dict[str, type[Gateway]] = {"locmem": LocmemGateway, "console": ConsoleGateway, "twilio": TwilioGateway}


def get_gateway() -> Gateway | None:
    """The gateway the settings name, or None when the feature is off (no backend set, or an unknown one, or
    the HTTP backend without the public address its callbacks need: replies could never come back)."""
    name = (getattr(settings, "CARENET_MESSAGING_BACKEND", "") or "").strip().lower()
    cls = BACKENDS.get(name)
    if cls is None:
        if name:
            log.warning("CARENET_MESSAGING_BACKEND=%r is not a messaging backend: SMS and calls are off", name)
        return None
    if name == "twilio" and not getattr(settings, "CARENET_MESSAGING_PUBLIC_URL", ""):
        log.warning("CARENET_MESSAGING_PUBLIC_URL is not set: SMS and calls are off (no address for the replies)")
        return None
    return cls(
        name=name,
        sender=getattr(settings, "CARENET_MESSAGING_FROM", ""),
        account_sid=getattr(settings, "CARENET_MESSAGING_ACCOUNT_SID", ""),
        auth_token=getattr(settings, "CARENET_MESSAGING_AUTH_TOKEN", ""),
        base_url=getattr(settings, "CARENET_MESSAGING_BASE_URL", ""),
        timeout=float(getattr(settings, "CARENET_MESSAGING_TIMEOUT", 10)),
    )


def public_url(path: str) -> str:
    """The address the provider calls back (``CARENET_MESSAGING_PUBLIC_URL`` + the path)."""
    return getattr(settings, "CARENET_MESSAGING_PUBLIC_URL", "").rstrip("/") + path


# --- inbound signatures ----------------------------------------------------------------------------------


def signature_of(url: str, params: Mapping[str, str], token: str) -> str:
    """Twilio's request signature: base64(HMAC-SHA1(token, url + each POST key and value, keys sorted))."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(url: str, params: Mapping[str, str], signature: str) -> bool:
    """True when ``signature`` is the gateway's over this request; False when no token is configured."""
    token = getattr(settings, "CARENET_MESSAGING_AUTH_TOKEN", "")
    if not token or not signature:
        return False
    return hmac.compare_digest(signature_of(url, params, token), signature)


# --- TwiML -----------------------------------------------------------------------------------------------


def _say(text: str, language: str) -> str:
    locale = VOICE_LOCALES.get(language, VOICE_LOCALES["ro"])
    return f"<Say language={quoteattr(locale)}>{escape(text)}</Say>"


def twiml_empty() -> str:
    return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def twiml_say(text: str, language: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{_say(text, language)}</Response>'


def twiml_gather(*, text: str, language: str, action: str, repeat: str = "") -> str:
    """Read ``text``, take one key (sent to ``action``); without a key, read ``repeat`` (or ``text``) once more."""
    gather = (
        f'<Gather numDigits="1" timeout="8" method="POST" action={quoteattr(action)}>{_say(text, language)}</Gather>'
    )
    again = _say(repeat or text, language)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{gather}{again}</Response>'
