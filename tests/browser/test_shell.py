"""The page shell in a real browser: Romanian by default, language switch, sign-in, accessibility."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_romanian_and_accessible(page, live_url, axe_check, screenshot, baia_mare, balti):
    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.locator("h1").inner_text() == "Servicii sociale în municipiul dumneavoastră"
    assert axe_check(page) == []
    screenshot(page, "home-ro-1280")
    assert page.js_errors == []


def test_switching_to_hungarian_keeps_the_page_accessible(new_page, live_url, axe_check, screenshot, baia_mare):
    page = new_page(width=360, height=740)
    page.goto(live_url + "/")
    with page.expect_navigation():
        page.select_option("#lang-select", "hu")
    assert page.locator("html").get_attribute("lang") == "hu"
    assert axe_check(page) == []
    screenshot(page, "home-hu-360")
    assert page.js_errors == []


def test_skip_link_is_the_first_stop_of_the_keyboard(page, live_url, baia_mare):
    page.goto(live_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_a_caseworker_signs_in_and_sees_their_organisation(page, live_url, axe_check, caseworker_a, org_a):
    sign_in(page, live_url, "cw_a")
    page.wait_for_url(f"{live_url}/dashboard/")
    assert org_a.name in page.content()
    assert axe_check(page) == []
    assert page.js_errors == []
