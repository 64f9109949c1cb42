"""A volunteer in a real browser (Romanian and Hungarian): signs up on the portal, is approved and confirmed,
checks in and out, gets the hours confirmed by the organiser and redeems a reward; axe-core on each page."""

import datetime
import os
from decimal import Decimal

import pytest

from carenet.testing import PASSWORD
from carenet.testing.browser import serious_axe_violations
from carenet.volunteering import services
from carenet.volunteering.models import Attendance, Volunteer, VolunteerStatus

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


def _number(text):
    return float(text.strip().replace(",", "."))


@pytest.mark.parametrize("language", ["ro", "hu"])
def test_a_volunteer_signs_up_is_confirmed_gets_hours_and_redeems_a_reward(
    live_server, language, baia_mare, opportunity, volunteer_user, coordinator, caseworker_a, reward
):
    from playwright.sync_api import sync_playwright

    base = f"{live_server.url}/{baia_mare.slug}/volunteer/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(locale=language, viewport={"width": 390, "height": 844}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/account/login/")
        page.fill("input[name=username]", volunteer_user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(base + "sign-up/")
        assert serious_axe_violations(page) == []
        page.fill("input[name=first_name]", "Ana")
        page.fill("input[name=last_name]", "Pop")
        page.fill("input[name=birth_date]", "1990-05-01")
        page.check("input[name=skills][value=elderly]")
        page.check("input[name=weekdays][value='1']")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        volunteer = Volunteer.objects.for_tenant(baia_mare).get(user=volunteer_user)
        services.volunteer_set_status(actor=coordinator, volunteer=volunteer, status=VolunteerStatus.ACTIVE)

        page.goto(base)
        page.click(f"form[action$='/apply/{opportunity.pk}/'] button")
        page.wait_for_load_state()
        application = volunteer.applications.get()
        services.application_decide(actor=caseworker_a, application=application, confirm=True)

        page.goto(base)
        page.click(f"form[data-turn='in'][data-application='{application.pk}'] button")
        page.wait_for_selector("#turns-status.message--success", timeout=10000)
        attendance = Attendance.objects.for_tenant(baia_mare).get(application=application)
        page.wait_for_timeout(1100)  # a turn of at least a second
        page.click(f"form[data-turn='out'][data-application='{application.pk}'] button")
        page.wait_for_function("document.getElementById('turns-pending').hidden", timeout=10000)
        page.wait_for_selector("#turns-status.message--success", timeout=10000)
        page.goto(base)
        assert _number(page.get_by_test_id("hours").inner_text()) == 0  # not confirmed yet
        services.attendance_confirm(actor=caseworker_a, attendance=attendance, hours=Decimal("3"))

        page.goto(base)
        assert serious_axe_violations(page) == []
        assert _number(page.get_by_test_id("hours").inner_text()) == 3
        assert page.get_by_test_id("points").inner_text().strip() == "30"
        page.goto(base + "rewards/")
        assert serious_axe_violations(page) == []
        page.click(f"form[action$='/rewards/{reward.pk}/redeem/'] button")
        page.wait_for_load_state()
        redemption = volunteer.redemptions.get()
        assert page.get_by_test_id("code").first.inner_text() == redemption.code
        assert page.get_by_test_id("points").inner_text().strip() == "10"
        browser.close()
    assert datetime.date.today() >= redemption.created_at.date()
