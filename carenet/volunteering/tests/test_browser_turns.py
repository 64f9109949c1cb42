"""The volunteer's turn on a 390 px phone with a dropped connection: the check-in tapped offline waits on the
phone, the check-out is tapped before it was sent, and both reach the server once when the page comes back;
a check-in whose answer was lost is not doubled; axe-core on the page."""

import os

import pytest

from carenet.testing import PASSWORD
from carenet.testing.browser import serious_axe_violations
from carenet.volunteering.models import Attendance

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


def test_a_turn_recorded_offline_reaches_the_server_once(live_server, baia_mare, volunteer_user, application):
    from playwright.sync_api import sync_playwright

    base = f"{live_server.url}/{baia_mare.slug}/volunteer/"
    turn_url = f"**/{baia_mare.slug}/volunteer/turns/"
    turns = Attendance.objects.for_tenant(baia_mare).filter(application=application)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(
            locale="ro", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server.url}/account/login/")
        page.fill("input[name=username]", volunteer_user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(base)
        assert serious_axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        check_in = f"form[data-turn='in'][data-application='{application.pk}'] button"
        check_out = f"form[data-turn='out'][data-application='{application.pk}'] button"
        context.set_offline(True)
        page.click(check_in)
        page.wait_for_selector("#turns-status.message--warning", timeout=10000)
        assert page.is_visible(check_out)  # shown as checked in on the phone
        page.wait_for_timeout(1100)
        page.click(check_out)
        assert page.is_visible(check_in)
        assert page.inner_text("#turns-pending").startswith("2")
        assert not turns.exists()
        # Back online but the requests still fail: what is checked is the phone's storage surviving a reload.
        page.route(turn_url, lambda route: route.abort())
        context.set_offline(False)
        page.wait_for_timeout(300)
        page.unroute(turn_url)
        page.reload()
        page.wait_for_function("document.getElementById('turns-pending').hidden", timeout=15000)
        turn = turns.get()
        assert turn.checked_out_at is not None and turn.checked_out_at > turn.checked_in_at

        # the server records a check-in but its answer is lost: sent again, recorded once
        def lose_the_answer(route):
            route.fetch()
            route.abort()

        page.route(turn_url, lose_the_answer)
        page.click(check_in)
        page.wait_for_selector("#turns-status.message--warning", timeout=10000)
        assert turns.count() == 2
        page.unroute(turn_url)
        page.reload()
        page.wait_for_function("document.getElementById('turns-pending').hidden", timeout=15000)
        assert turns.count() == 2
        assert page.is_visible(check_out)
        assert errors == []
        browser.close()
