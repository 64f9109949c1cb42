"""The SMS and voice pages, and the register where how a person is reached is set, in a browser (Romanian
and Ukrainian, 1366 and 390 px): nothing scrolls sideways, no serious axe-core violation.
``CARENET_SCREENSHOTS=<dir>`` keeps a screenshot of each."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

from carenet.campaigns import services
from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS, serious_axe_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def session_cookie(user: Any, url: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}


def test_the_sms_and_voice_pages_fit_a_phone_in_two_languages(
    live_server: Any, campaign: Any, messaging_on: Any, coordinator: Any
) -> None:
    services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    message = services.OutboundMessage.objects.for_tenant(campaign.municipality_id).first()
    services.sms_reply_receive(from_number=message.to_number, body="2", sid="SMshot")
    keep = os.environ.get("CARENET_SCREENSHOTS", "")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for locale in ("ro-RO", "uk-UA"):
            for width in (1366, 390):
                context = browser.new_context(locale=locale, viewport={"width": width, "height": 900}, bypass_csp=True)
                context.add_cookies([session_cookie(coordinator, live_server.url)])
                page = context.new_page()
                for name, path in (
                    ("messages", f"/campaigns/{campaign.pk}/messages/"),
                    ("rules", "/campaigns/messaging/"),
                    ("register", "/campaigns/register/"),
                ):
                    page.goto(live_server.url + path)
                    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, locale, width)
                    assert serious_axe_violations(page) == [], (name, locale, width)
                    if keep:
                        page.screenshot(path=f"{keep}/{name}-{locale}-{width}.png", full_page=True)
                context.close()
        browser.close()
