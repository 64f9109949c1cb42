"""A social worker works through 20 check-ins on a 390 px phone, one of them while offline (queued on the
phone, synced when the connection returns, recorded once); the coordinator's page then shows 20 of 20 with
the outcomes. Accessibility checked with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.test import Client
from django.utils import timezone

from carenet.campaigns import services
from carenet.campaigns.models import CheckIn, Contact
from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS, serious_axe_violations
from carenet.testing.factories import make_person

from .conftest import alone, rule

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


def session_cookie(user, url):
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}


def test_twenty_check_ins_on_a_phone_one_offline_and_the_coordinator_sees_20_of_20(
    live_server, baia_mare, org_a, caseworker_a, coordinator, areas
):
    services.campaign_settings_save(
        actor=None,
        municipality=baia_mare,
        valid_from=datetime.date(2026, 1, 1),
        max_tries=3,
        within_hours=4,
        list_size=25,
        check_actor=False,
    )
    for i in range(20):
        p = make_person(
            baia_mare,
            org_a,
            first=f"Persoana{i:02d}",
            last="Test",
            born=datetime.date(1940, 1, 1),
            area=areas["vest"],
            address=f"Strada Florilor {i}",
            phone=f"0740000{i:03d}",
        )
        alone(p)
    rule(baia_mare, "age75-alone", min_age=75, living_alone=True)
    services.register_rebuild(actor=None, municipality=baia_mare, check_actor=False)
    now = timezone.now()
    campaign = services.campaign_declare(
        actor=None,
        municipality=baia_mare,
        kind="heat",
        alert_code="red",
        title="Caniculă",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(days=1),
        worker_ids=[caseworker_a.pk],
        check_actor=False,
    )
    call_list = Contact.objects.for_tenant(baia_mare).filter(campaign=campaign).first().call_list
    outcomes = ["fine"] * 16 + ["water", "medicine", "transport", "emergency"]

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(locale="ro-RO", viewport={"width": 390, "height": 844}, bypass_csp=True)
        context.add_cookies([session_cookie(caseworker_a, live_server.url)])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server.url}/campaigns/lists/{call_list.pk}/")
        assert serious_axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        cards = page.locator("li.call")
        assert cards.count() == 20
        for i in range(20):
            card = cards.nth(i)
            card.locator("summary").click()
            card.locator("input[name=mode][value=phone]").check()
            card.locator(f"input[name=outcome][value={outcomes[i]}]").check()
            if i == 7:
                context.set_offline(True)
            card.locator("button.checkin__save").click()
            if i == 7:
                pending = page.locator("#calls-pending")
                pending.wait_for(state="visible")
                assert "1" in pending.inner_text()
                assert card.get_attribute("data-state") == "pending"
                context.set_offline(False)
                page.evaluate("window.dispatchEvent(new Event('online'))")
            page.wait_for_function(
                "id => document.getElementById('call-' + id).dataset.state === 'reached'",
                arg=card.get_attribute("data-contact"),
            )
        page.locator("#calls-pending").wait_for(state="hidden")
        assert page.locator("#calls-done").inner_text() == "20"
        assert errors == []

        coordinator_page = browser.new_context(locale="ro-RO", viewport={"width": 390, "height": 844}, bypass_csp=True)
        coordinator_page.add_cookies([session_cookie(coordinator, live_server.url)])
        cpage = coordinator_page.new_page()
        cpage.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
        assert re.findall(r"\d+", cpage.locator("#campaign-done").inner_text()) == ["20", "20"]
        outcomes_text = cpage.locator("#campaign-outcomes").inner_text()
        assert "16" in outcomes_text and "112" in outcomes_text
        assert serious_axe_violations(cpage) == []
        browser.close()
    assert CheckIn.objects.for_tenant(baia_mare).filter(campaign=campaign).count() == 20  # none lost, none doubled
