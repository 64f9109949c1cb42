"""The role home pages in a real browser, in Romanian and Russian, at 1366 and 390 px: no serious or critical
axe-core violation; on a phone the menu is collapsed behind one button."""

import datetime
import os

import pytest

from carenet.cases import services as case_services
from carenet.cases.models import MonitoringDuty
from carenet.testing.browser import serious_axe_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


@pytest.fixture
def work(caseworker_a, case_a):
    duty = case_services.duty_add(
        actor=caseworker_a,
        case=case_a,
        kind="plan_follow_up",
        starts_on=case_a.opened_on,
        interval_weeks=2,
        ends_on=case_a.opened_on + datetime.timedelta(days=200),
        responsible=caseworker_a,
    )
    MonitoringDuty.objects.for_tenant(case_a.municipality_id).filter(pk=duty.pk).update(
        next_due_on=datetime.date.today() - datetime.timedelta(days=3)
    )
    return duty


@pytest.mark.parametrize("lang", ["ro", "ru"])
def test_each_roles_home_page_passes_axe_in_both_languages_and_both_widths(
    live_server, browser, lang, work, caseworker_a, manager_a, coordinator, auditor
):
    problems = {}
    for user in (caseworker_a, manager_a, coordinator, auditor):
        for width in (1366, 390):
            context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/account/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", "correct-horse-battery")
            page.click("main button[type=submit]")
            page.goto(f"{live_server.url}/dashboard/")
            assert page.locator("html").get_attribute("lang") == lang
            violations = serious_axe_violations(page)
            if violations:
                problems[(user.username, width)] = violations
            toggle = page.locator(".nav-toggle")
            if width == 390:
                assert toggle.is_visible()
                assert not page.locator("#main-nav-list").is_visible()
                toggle.click()
                assert page.locator("#main-nav-list").is_visible()
            else:
                assert not toggle.is_visible()
            context.close()
    assert problems == {}
