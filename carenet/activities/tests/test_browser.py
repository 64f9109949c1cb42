"""The sign-in sheet in a real browser on a 390 px phone (issue 17): a centre worker records the 20 participants
of an event as they arrive, one tap group per person (sex × age band × disability, anonymous), from a scripted
input; the 20 participations are in the database, and axe-core (WCAG 2.1 AA) finds no serious or critical
violation. The scripted duration is printed, not asserted (the figure: ``python -m bench activities_signin``)."""

from __future__ import annotations

import collections
import os
import time

import pytest
from django.db.models import Sum

from carenet.activities.models import ParticipantCount
from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS, serious_axe_violations
from carenet.testing.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)

# The 20 persons arriving at the event, in order: (sex, age band, disability answer).
ARRIVALS: list[tuple[str, str, str]] = [
    ("F", "65+", "no"),
    ("F", "65+", "yes"),
    ("M", "65+", "no"),
    ("F", "18-64", "no"),
    ("M", "65+", "yes"),
    ("F", "65+", "no"),
    ("F", "65+", "not_asked"),
    ("M", "18-64", "no"),
    ("F", "65+", "no"),
    ("F", "0-17", "no"),
    ("M", "65+", "no"),
    ("F", "65+", "yes"),
    ("U", "", "not_asked"),
    ("F", "18-64", "refused"),
    ("M", "65+", "no"),
    ("F", "65+", "no"),
    ("M", "0-17", "no"),
    ("F", "65+", "yes"),
    ("M", "18-64", "no"),
    ("F", "65+", "no"),
]


@pytest.fixture
def phone():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(
            locale="ro-RO", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
        )
        page = context.new_page()
        js_errors: list[str] = []
        page.on("pageerror", lambda exc: js_errors.append(str(exc)))
        yield page, js_errors
        browser.close()


def record_arrivals(page, arrivals) -> float:
    """Tap each arriving person in (the age band and the answer stay chosen from the previous person, as on the
    sheet); wait until the server has counted them all. Returns the seconds it took."""
    band, answer = "", "not_asked"
    started = time.perf_counter()
    for n, (sex, age_band, disability) in enumerate(arrivals, start=1):
        page.check(f"#sheet-form input[name=sex][value='{sex}']")
        if age_band != band:
            page.check(f"#sheet-form input[name=age_band][value='{age_band}']")
            band = age_band
        if disability != answer:
            page.check(f"#sheet-form input[name=disability][value='{disability}']")
            answer = disability
        page.click("#sheet-form .sheet__add")
        page.wait_for_function(f"document.getElementById('sheet-total').textContent.trim() === '{n}'", timeout=15000)
    return time.perf_counter() - started


def test_a_centre_worker_records_the_20_participants_of_an_event_on_a_phone(
    live_server, phone, caseworker_a, activity_a
):
    page, js_errors = phone
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", "cw_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/activities/{activity_a.pk}/sheet/")
    assert serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    seconds = record_arrivals(page, ARRIVALS)
    print(f"\nsign-in sheet: 20 participants recorded in {seconds:.1f} s on a 390 px phone (scripted input)")

    rows = ParticipantCount.objects.for_tenant(activity_a.municipality_id).filter(activity=activity_a)
    assert rows.count() == 20
    assert rows.aggregate(n=Sum("number"))["n"] == 20
    recorded = collections.Counter((r.sex, r.age_band, r.disability) for r in rows)
    assert recorded == collections.Counter(ARRIVALS)
    assert page.locator("#sheet-pending").is_hidden()
    assert serious_axe_violations(page) == []  # after the taps, with the status message shown
    assert js_errors == []
