"""The driver's round sheet in a real browser on a 390 px phone: a tap marks delivered or absent, a mark made
offline waits on the phone and is recorded once when the page comes back, a mark whose answer was lost is
not doubled; accessibility checked with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone

from carenet.canteen import services
from carenet.canteen.models import Application, Decision, DeliveryAbsence, Meal, Outcome
from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS, serious_axe_violations
from carenet.testing.factories import PASSWORD, make_person

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


@pytest.fixture
def phone():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(
            locale="ro-RO", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
        )
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        yield context, page
        browser.close()


@pytest.fixture
def four_at_home(baia_mare, org_a, unit, coordinator, cook):
    """A round of four persons delivered at home, each with lunch granted today (written directly)."""
    today = timezone.localdate()
    delivery_round = services.delivery_round_save(actor=coordinator, unit=unit, name="Săsar", driver=cook)
    stops = []
    for i in range(4):
        person = make_person(
            baia_mare,
            org_a,
            first=f"Persoana{i}",
            last="Acasă",
            born=datetime.date(1945, 1, 1),
            address=f"Str. Test {i}",
        )
        application = Application.objects.create(
            municipality=baia_mare,
            number=f"CAS-H-{i}",
            person=person,
            organisation=org_a,
            unit=unit,
            received_on=today,
            requested_category="c",
            is_pensioner=True,
            home_delivery=True,
        )
        decision = Decision.objects.create(
            municipality=baia_mare,
            application=application,
            person=person,
            number=f"D-H-{i}",
            outcome=Outcome.APPROVED,
            category="c",
            unit=unit,
            valid_from=today - datetime.timedelta(days=5),
            valid_to=today + datetime.timedelta(days=60),
            decided_on=today,
            home_delivery=True,
        )
        stops.append(services.round_stop_add(actor=coordinator, delivery_round=delivery_round, decision=decision))
    return delivery_round, stops


def _tap(page, stop, outcome):
    page.click(f'[data-stop="{stop.pk}"] button[data-outcome="{outcome}"]')


def test_the_round_sheet_on_a_phone_marks_delivered_and_absent_and_recovers_offline_marks(
    live_server, phone, cook, unit, four_at_home
):
    context, page = phone
    delivery_round, stops = four_at_home
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", "cook")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/canteen/rounds/{delivery_round.pk}/sheet/?kind=lunch")
    assert serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    meals = Meal.objects.for_tenant(unit.municipality_id).filter(delivery_round=delivery_round)
    absences = DeliveryAbsence.objects.for_tenant(unit.municipality_id)

    _tap(page, stops[0], "delivered")
    page.wait_for_selector(".counter__status--ok:has-text('Persoana0')", timeout=10000)
    assert page.is_visible(f'[data-stop="{stops[0].pk}"].round__stop--delivered')
    assert meals.count() == 1
    _tap(page, stops[1], "absent")
    page.wait_for_selector(".counter__status--ok:has-text('Persoana1')", timeout=10000)
    assert absences.count() == 1

    # offline: the mark waits on the phone (shown as delivered), then is sent once the page comes back
    mark_url = f"**/canteen/rounds/{delivery_round.pk}/mark/"
    context.set_offline(True)
    _tap(page, stops[2], "delivered")
    page.wait_for_selector(".counter__status--warn", timeout=10000)
    assert page.is_visible("#round-pending")
    assert meals.count() == 1
    # Back online, the page would send it at once; the network stays down for this page's requests until it
    # is reloaded, so what is checked is the phone's storage surviving a reload (it shows as delivered).
    page.route(mark_url, lambda route: route.abort())
    context.set_offline(False)
    page.wait_for_timeout(300)
    assert meals.count() == 1
    page.unroute(mark_url)
    page.reload()  # the queue is kept in the phone's storage and flushed when the page loads
    page.wait_for_selector(".counter__status--ok:has-text('Persoana2')", timeout=15000)
    assert meals.count() == 2

    # the server records the delivery but its answer is lost: the phone sends it again, counted once
    def lose_the_answer(route):
        route.fetch()
        route.abort()

    page.route(mark_url, lose_the_answer)
    _tap(page, stops[3], "delivered")
    page.wait_for_selector(".counter__status--warn", timeout=10000)
    assert meals.count() == 3
    page.unroute(mark_url)
    page.reload()
    page.wait_for_selector(".counter__status--ok:has-text('Persoana3')", timeout=15000)
    assert meals.count() == 3
    assert not page.is_visible("#round-pending")
    assert page.js_errors == []
