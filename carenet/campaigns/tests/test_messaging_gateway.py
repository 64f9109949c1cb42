"""The messaging gateway of core (carenet/core/messaging.py): backends chosen by settings, the Twilio-compatible
HTTP API spoken to a local server on 127.0.0.1 (nothing leaves the machine), errors returned and never raised,
the request signature, TwiML. Kept with the campaigns' tests, its only user."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from carenet.core import messaging


class FakeProvider(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []
    answer: tuple[int, dict[str, Any]] = (201, {"sid": "SM123", "status": "queued"})
    delay = 0.0

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = urllib.parse.parse_qs(self.rfile.read(length).decode())
        FakeProvider.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "form": {k: v[0] for k, v in body.items()}}
        )
        if FakeProvider.delay:
            time.sleep(FakeProvider.delay)
        status, payload = FakeProvider.answer
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[str]:
    FakeProvider.requests, FakeProvider.answer, FakeProvider.delay = [], (201, {"sid": "SM123", "status": "queued"}), 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def twilio(base: str, **extra: Any) -> Any:
    values = {
        "CARENET_MESSAGING_BACKEND": "twilio",
        "CARENET_MESSAGING_BASE_URL": base,
        "CARENET_MESSAGING_ACCOUNT_SID": "AC1",
        "CARENET_MESSAGING_AUTH_TOKEN": "secret",
        "CARENET_MESSAGING_FROM": "+40700000999",
        **extra,
    }
    return override_settings(**values)


def test_no_backend_is_no_gateway_the_feature_off() -> None:
    with override_settings(CARENET_MESSAGING_BACKEND=""):
        assert messaging.get_gateway() is None
    with override_settings(CARENET_MESSAGING_BACKEND="carrier-pigeon"):
        assert messaging.get_gateway() is None
    with twilio("http://127.0.0.1:9", CARENET_MESSAGING_PUBLIC_URL=""):
        assert messaging.get_gateway() is None  # the replies would have no address to come back to


def test_locmem_keeps_the_messages_in_the_outbox() -> None:
    messaging.outbox.clear()
    gateway = messaging.get_gateway()  # the test settings: locmem
    assert gateway is not None and gateway.name == "locmem"
    sms = gateway.send_sms(to="+40700000001", body="Hello", status_callback="https://x/s")
    call = gateway.place_call(to="+40262000001", twiml="<Response/>")
    assert sms.ok and call.ok and sms.provider_id != call.provider_id
    assert [(m.channel, m.to, m.body) for m in messaging.outbox] == [
        ("sms", "+40700000001", "Hello"),
        ("voice", "+40262000001", "<Response/>"),
    ]
    messaging.outbox.clear()


def test_console_sends_nothing(caplog: Any) -> None:
    with override_settings(CARENET_MESSAGING_BACKEND="console"):
        result = messaging.get_gateway().send_sms(to="+40700000001", body="Hello")  # type: ignore[union-attr]
    assert result.ok and messaging.outbox == []


def test_twilio_posts_the_message_with_basic_auth_to_the_accounts_resource(provider: str) -> None:
    with twilio(provider):
        result = messaging.get_gateway().send_sms(  # type: ignore[union-attr]
            to="+40700000001", body="Cod roșu", status_callback="https://carenet.test/s/1/"
        )
    assert result == messaging.SendResult(True, "SM123", "queued")
    (request,) = FakeProvider.requests
    assert request["path"] == "/2010-04-01/Accounts/AC1/Messages.json"
    assert base64.b64decode(request["auth"].removeprefix("Basic ")).decode() == "AC1:secret"
    assert request["form"] == {
        "To": "+40700000001",
        "From": "+40700000999",
        "Body": "Cod roșu",
        "StatusCallback": "https://carenet.test/s/1/",
    }


def test_twilio_places_a_call_with_its_twiml(provider: str) -> None:
    FakeProvider.answer = (201, {"sid": "CA9", "status": "queued"})
    with twilio(provider):
        result = messaging.get_gateway().place_call(  # type: ignore[union-attr]
            to="+40262000001", twiml="<Response><Say>x</Say></Response>", status_callback="https://c/s/"
        )
    assert result.ok and result.provider_id == "CA9"
    (request,) = FakeProvider.requests
    assert request["path"] == "/2010-04-01/Accounts/AC1/Calls.json"
    assert request["form"]["Twiml"] == "<Response><Say>x</Say></Response>"
    assert request["form"]["StatusCallback"] == "https://c/s/"


def test_a_refusal_is_returned_not_raised(provider: str) -> None:
    FakeProvider.answer = (400, {"code": 21211, "message": "The 'To' number is not valid."})
    with twilio(provider):
        result = messaging.get_gateway().send_sms(to="+40700000001", body="x")  # type: ignore[union-attr]
    assert not result.ok and "400" in result.error and "not valid" in result.error
    assert len(FakeProvider.requests) == 1  # no retry


def test_a_timeout_is_returned_not_raised_and_not_retried(provider: str) -> None:
    FakeProvider.delay = 0.6
    with twilio(provider, CARENET_MESSAGING_TIMEOUT=0.2):
        started = time.monotonic()
        result = messaging.get_gateway().send_sms(to="+40700000001", body="x")  # type: ignore[union-attr]
    assert not result.ok and result.error.startswith("unreachable")
    assert time.monotonic() - started < 0.6
    time.sleep(0.5)  # the server finishes its slow answer to a closed connection
    assert len(FakeProvider.requests) == 1


def test_an_unreachable_or_unconfigured_provider_is_an_error() -> None:
    with twilio("http://127.0.0.1:9"):
        assert not messaging.get_gateway().send_sms(to="+40700000001", body="x").ok  # type: ignore[union-attr]
    with twilio("http://127.0.0.1:9", CARENET_MESSAGING_AUTH_TOKEN=""):
        result = messaging.get_gateway().send_sms(to="+40700000001", body="x")  # type: ignore[union-attr]
    assert "not configured" in result.error


def test_the_signature_is_twilios_hmac_sha1_over_the_url_and_sorted_parameters() -> None:
    # The example of Twilio's documentation ("Validating requests").
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    assert messaging.signature_of(url, params, "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    with override_settings(CARENET_MESSAGING_AUTH_TOKEN="12345"):
        assert messaging.signature_valid(url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        assert not messaging.signature_valid(url, {**params, "Digits": "2"}, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        assert not messaging.signature_valid(url, params, "")
    with override_settings(CARENET_MESSAGING_AUTH_TOKEN=""):
        assert not messaging.signature_valid(url, params, messaging.signature_of(url, params, ""))


def test_twiml_gathers_one_key_and_escapes_the_text() -> None:
    xml = messaging.twiml_gather(text="Cod <roșu> & 112", language="ru", action="https://c/v/1/?a=1&b=2")
    assert '<Gather numDigits="1"' in xml and 'action="https://c/v/1/?a=1&amp;b=2"' in xml
    assert '<Say language="ru-RU">Cod &lt;roșu&gt; &amp; 112</Say>' in xml
    assert messaging.twiml_empty().endswith("<Response></Response>")
