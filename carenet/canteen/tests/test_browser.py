"""The counter in a real browser on a 390 px phone: 30 typed card numbers served in a row, a second lunch
refused with its reason, a meal recorded offline recovered once, a meal whose answer was lost not doubled;
accessibility checked with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone

from carenet.canteen.models import Application, Decision, Meal, MealCard, Outcome
from carenet.testing.browser import serious_axe_violations
from carenet.testing.factories import PASSWORD, make_person

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


@pytest.fixture
def thirty_cards(baia_mare, org_a, unit):
    """30 beneficiaries of the unit with a card in force today (written directly: this test is the counter's)."""
    today = timezone.localdate()
    cards = []
    for i in range(30):
        person = make_person(baia_mare, org_a, first=f"Persoana{i:02d}", last="Test", born=datetime.date(1950, 1, 1))
        application = Application.objects.create(
            municipality=baia_mare,
            number=f"CAS-T-{i:03d}",
            person=person,
            organisation=org_a,
            unit=unit,
            received_on=today,
            requested_category="c",
            is_pensioner=True,
        )
        decision = Decision.objects.create(
            municipality=baia_mare,
            application=application,
            person=person,
            number=f"D-T-{i:03d}",
            outcome=Outcome.APPROVED,
            category="c",
            unit=unit,
            valid_from=today - datetime.timedelta(days=5),
            valid_to=today + datetime.timedelta(days=60),
            decided_on=today,
        )
        cards.append(
            MealCard.objects.create(
                municipality=baia_mare, number=f"CAS-{i + 1:06d}", decision=decision, person=person, unit=unit
            )
        )
    return cards


def _serve(page, number):
    page.fill("#counter-code", number)
    page.press("#counter-code", "Enter")


def test_the_counter_on_a_phone_serves_30_cards_refuses_a_second_lunch_and_recovers_offline_meals(
    live_server, phone, cook, unit, thirty_cards
):
    context, page = phone
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", "cook")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/canteen/units/{unit.pk}/counter/")
    page.check("input[name=kind][value=lunch]")
    assert serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    for card in thirty_cards:
        _serve(page, card.number)
        page.wait_for_selector(f".counter__status--ok:has-text('{card.number}')", timeout=10000)
    meals = Meal.objects.for_tenant(unit.municipality_id)
    assert meals.filter(kind="lunch").count() == 30

    # a second lunch the same day: refused, with the reason on screen
    _serve(page, thirty_cards[0].number)
    page.wait_for_selector(".counter__status--bad", timeout=10000)
    assert thirty_cards[0].person.last_name in page.inner_text("#counter-status")
    assert meals.filter(kind="lunch").count() == 30

    # offline: the dinner waits on the phone, then is sent once the connection returns
    page.check("input[name=kind][value=dinner]")
    context.set_offline(True)
    _serve(page, thirty_cards[1].number)
    page.wait_for_selector(".counter__status--warn", timeout=10000)
    assert page.is_visible("#counter-pending")
    assert meals.filter(kind="dinner").count() == 0
    # Back online, the page would send it at once (the browser's "online" event); the network stays down for
    # this page's requests until it is reloaded, so what is checked is the phone's storage surviving a reload.
    serve_url = f"**/canteen/units/{unit.pk}/counter/serve/"
    page.route(serve_url, lambda route: route.abort())
    context.set_offline(False)
    page.wait_for_timeout(300)
    assert meals.filter(kind="dinner").count() == 0
    page.unroute(serve_url)
    page.reload()  # the queue is kept in the phone's storage and flushed when the page loads
    page.wait_for_selector(f".counter__status--ok:has-text('{thirty_cards[1].number}')", timeout=15000)
    assert meals.filter(kind="dinner").count() == 1

    # the server records a meal but its answer is lost: the phone sends it again, and it is counted once

    def lose_the_answer(route):
        route.fetch()  # reaches the server, which records the meal
        route.abort()  # … and the phone never hears back

    page.route(serve_url, lose_the_answer)
    page.check("input[name=kind][value=dinner]")
    _serve(page, thirty_cards[2].number)
    page.wait_for_selector(".counter__status--warn", timeout=10000)
    assert meals.filter(kind="dinner").count() == 2
    page.unroute(serve_url)
    page.reload()
    page.wait_for_selector(f".counter__status--ok:has-text('{thirty_cards[2].number}')", timeout=15000)
    assert meals.filter(kind="dinner").count() == 2
    assert not page.is_visible("#counter-pending")
    assert page.js_errors == []
