"""The reporting form in a real browser: fill in, save, submit; accessibility checked with axe-core."""

import os

import pytest

from carenet.plans import services
from carenet.plans.models import ReportingPeriod, Submission, SubmissionStatus
from carenet.testing.browser import serious_axe_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


@pytest.fixture
def plans_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(locale="ro-RO", viewport={"width": 360, "height": 800}, bypass_csp=True)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        yield page
        browser.close()


def test_a_body_fills_in_saves_and_submits_its_form_on_a_phone(
    live_server, plans_page, cultura_officer, balti_plan, balti
):
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")
    services.submissions_open(period=period)
    form = Submission.objects.for_tenant(balti).get(period=period, organisation__code="dir-cultura")
    indicator = balti_plan.indicators.get(code="1.1.2.1")
    page = plans_page
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", "b_cultura")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/plans/forms/{form.pk}/")
    assert serious_axe_violations(page) == []
    page.fill(f"#v-{indicator.pk}", "5")
    page.click("main form .form-actions button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".message--success").count() == 1
    page.click("text=Transmite spre verificare")
    page.wait_for_load_state()
    form.refresh_from_db()
    assert form.status == SubmissionStatus.SUBMITTED
    assert page.js_errors == []


def test_the_coordinator_makes_an_indicator_computed_for_one_service_on_a_phone(
    live_server, plans_page, balti_coordinator, balti_plan, balti
):
    from carenet.directory.models import Service
    from conftest import org

    day_centre = Service.objects.create(municipality=balti, organisation=org(balti, "ccsm"), name="Centrul de zi")
    indicator = balti_plan.indicators.get(code="1.1.2.3")
    page = plans_page
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", "b_coord")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/plans/{balti_plan.pk}/indicators/{indicator.pk}/source/")
    assert serious_axe_violations(page) == []
    page.check("input[name=source][value=computed]")
    page.select_option("select[name=computation]", "cases.persons_served")
    page.get_by_label("Centrul de zi").check()
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".message--success").count() == 1
    assert serious_axe_violations(page) == []  # the list of indicators
    assert list(indicator.services.all()) == [day_centre]
    assert page.js_errors == []


def test_the_coordinator_drills_from_an_indicator_to_the_records_behind_it(
    live_server, plans_page, balti_coordinator, balti_plan, balti
):
    """From the list of indicators to the information-panel updates counted by 1.4.2.3, on a phone."""
    import datetime

    from carenet.activities import services as registers
    from carenet.plans.services import indicator_sources_apply
    from conftest import org

    indicator_sources_apply(plan=balti_plan)
    action = balti_plan.actions.get(code="1.4.2")
    for n in range(3):
        registers.media_item_create(
            actor=balti_coordinator,
            organisation=org(balti, "ccsm"),
            kind="panel",
            title=f"Panou actualizat {n + 1}",
            published_on=datetime.date(2026, 2 + 3 * n, 10),
            topic="Servicii sociale disponibile",
            plan_action=action,
        )
    page = plans_page
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", "b_coord")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/plans/{balti_plan.pk}/indicators/")
    indicator = balti_plan.indicators.get(code="1.4.2.3")
    link = page.locator(f"a[href*='/indicators/{indicator.pk}/records/']")
    link.click()
    page.wait_for_load_state()
    assert page.locator("main table tbody tr").count() == 3
    assert "Panou actualizat 2" in page.inner_text("main")
    assert serious_axe_violations(page) == []
    assert page.js_errors == []
