"""A family in Baia Mare asks for 3 hours of companionship on Tuesdays, picks a caregiver from the proposed
list, and both confirm — in Romanian and in Hungarian, in a real browser with axe-core on each page."""

import os

import pytest

from carenet.care.models import BookingStatus, CareRequest
from carenet.testing import PASSWORD
from carenet.testing.browser import serious_axe_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


def _login(browser, live_server, language, user):
    context = browser.new_context(locale=language, viewport={"width": 390, "height": 844}, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("language", ["ro", "hu"])
def test_a_family_requests_companionship_on_tuesdays_picks_a_caregiver_and_both_confirm(
    live_server, language, baia_mare, hand_made, family_user, caregiver_user, monkeypatch
):
    from playwright.sync_api import sync_playwright

    from carenet.care import selectors

    monkeypatch.setattr(selectors, "area_points", lambda municipality: {"centru": ("Centru", 47.6567, 23.5850)})
    base = f"{live_server.url}/{baia_mare.slug}/care/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        family = _login(browser, live_server, language, family_user)
        family.goto(base + "request/")
        assert serious_axe_violations(family) == []
        family.fill("input[name=cared_for_name]", "Kovács Ilona")
        family.check("input[name=kind][value=companionship]")
        family.check("input[name=weekdays][value='1']")
        family.fill("input[name=start_time]", "10:00")
        family.fill("input[name=hours]", "3")
        family.select_option("select[name=area]", "centru")
        family.fill("input[name=address]", "Strada Progresului 10")
        family.fill("textarea[name=needs]", "Companie și o plimbare scurtă")
        family.check("input[name=consent]")
        family.click("main form button[type=submit]")
        family.wait_for_load_state()
        request = CareRequest.objects.for_tenant(baia_mare).get(family_user=family_user)
        assert serious_axe_violations(family) == []
        assert family.locator("ol.proposals > li").count() == 2  # Ana and Bianca; never the busy or far ones
        family.click(f"form[action$='/pick/{hand_made['near'].pk}/'] button")
        family.wait_for_load_state()

        carer = _login(browser, live_server, language, caregiver_user)
        carer.goto(base + "caregiver/")
        assert "Strada Progresului" not in carer.content()
        assert serious_axe_violations(carer) == []
        booking = request.bookings.get()
        carer.click(f"form[action$='/bookings/{booking.pk}/caregiver/confirm/'] button")
        carer.wait_for_load_state()
        assert carer.get_by_test_id("address").inner_text() == "Strada Progresului 10"

        family.goto(base + f"requests/{request.pk}/")
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CONFIRMED
        assert family.get_by_test_id("booking-status").inner_text() != ""
        browser.close()
