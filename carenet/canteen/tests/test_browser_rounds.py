"""The driver's round sheet in a real browser on a 390 px phone: a tap marks delivered or absent, a mark made
offline waits on the phone and is recorded once when the page comes back, a mark whose answer was lost is
not doubled; accessibility checked with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime
import os

import pytest

from carenet.canteen import services
from carenet.canteen.models import DeliveryAbsence, Meal
from carenet.testing.browser import serious_axe_violations
from carenet.testing.factories import PASSWORD

from .conftest import home_delivery_decision

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


@pytest.fixture
def four_at_home(baia_mare, org_a, unit, coordinator, cook):
    """A round of four persons delivered at home, each with lunch granted today (written directly)."""
    delivery_round = services.delivery_round_save(actor=coordinator, unit=unit, name="Săsar", driver=cook)
    stops = []
    for i in range(4):
        decision = home_delivery_decision(
            baia_mare, org_a, unit, f"Persoana{i}", "Acasă", born=datetime.date(1945, 1, 1), address=f"Str. Test {i}"
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
