"""In a real browser: the duplicate check at intake (issue 14), in Romanian on a desktop and in Russian on a
390 px phone — a caseworker registering «Чебан Ион» finds the registered «Ceban Ion» with the reasons in their
language (no raw code, no English), on a page with no serious WCAG 2.1 AA violation (axe-core); registering his
twin brother, born the same day at the same address, shows no warning and registers him."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest

from carenet.testing import PASSWORD
from carenet.testing.browser import serious_axe_violations

from .conftest import make_person

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = os.environ.get("CARENET_SCREENSHOT_DIR", "")  # set to keep the pages' screenshots for a look

pytestmark = pytest.mark.browser

BORN = datetime.date(1957, 3, 2)
ADDRESS = "Str. Horea 3"
# What the reader sees, in their language: the warning, the reasons and the confirmation of a registration.
LANGUAGES = {
    "ro": {
        "name": "Nume",  # a person's name, not an organisation's "Denumire"
        "warning": "Această persoană este foarte probabil deja înregistrată",
        "probable": "Foarte probabil aceeași persoană",
        "reasons": ["nume scris în celălalt alfabet", "aceeași dată a nașterii"],
        "registered": "Persoana este înregistrată.",
    },
    "ru": {
        "name": "Имя",  # a person's name, not an organisation's "Название"
        "warning": "Этот человек, весьма вероятно, уже зарегистрирован",
        "probable": "Весьма вероятно, тот же человек",
        "reasons": ["имя записано другим алфавитом", "та же дата рождения"],
        "registered": "Лицо зарегистрировано.",
    },
}
ENGLISH_REASONS = ["name written in the other alphabet", "same date of birth", "same given name", "same family name"]
CASES = [("ro", 1366), ("ru", 390)]


@pytest.fixture
def ion_ceban(baia_mare: Any, org_a: Any) -> Any:
    """Ion Ceban, registered in Latin letters by provider A."""
    return make_person(baia_mare, org_a, first="Ion", last="Ceban", born=BORN, sex="M", address=ADDRESS)


def intake_page(live_server: Any, browser: Any, user: Any, language: str, width: int) -> tuple[Any, Any]:
    """The caseworker, signed in through the login page in their language, on the registration page."""
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    context = browser.new_context(locale=language, viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/people/new/")
    return context, page


def register(page: Any, first: str, last: str, address: str = "") -> None:
    form = page.locator("main form").filter(has=page.locator("input[name=first_name]"))
    form.locator("input[name=first_name]").fill(first)
    form.locator("input[name=last_name]").fill(last)
    form.locator("input[name=birth_date]").fill(BORN.isoformat())
    form.locator("select[name=sex]").select_option("M")
    if address:
        form.locator("[name=address]").fill(address)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("language", "width"), CASES)
def test_a_cyrillic_intake_finds_the_latin_record_with_the_reasons_in_the_readers_language(
    live_server: Any, browser: Any, caseworker_a: Any, ion_ceban: Any, language: str, width: int
) -> None:
    from carenet.people.models import Person

    words = LANGUAGES[language]
    context, page = intake_page(live_server, browser, caseworker_a, language, width)
    register(page, "Ион", "Чебан")
    warning = page.locator("main [role=alert]")
    assert words["warning"] in warning.inner_text()
    rows = page.locator("main section[aria-labelledby=matches-heading] tbody tr")
    assert rows.count() == 1
    row = rows.first
    link = row.locator(f"a[href='/people/{ion_ceban.pk}/']")
    assert link.inner_text().split() == ["Ceban", "Ion"]
    assert words["probable"] in row.inner_text()
    assert page.locator("main thead th").first.text_content().strip() == words["name"]
    assert row.locator("td").first.get_attribute("data-label") == words["name"]  # the phone's label
    agrees = row.locator("td:nth-child(4)").inner_text()
    assert all(reason in agrees for reason in words["reasons"]), agrees
    main = page.inner_text("main")
    assert not [english for english in ENGLISH_REASONS if english in main], main
    assert "exact" not in agrees and "birth" not in agrees and "(" not in agrees  # no raw code
    assert page.locator("main input[name=reason]").count() == 1  # registering anyway needs a reason
    assert Person.objects.all_tenants().count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/intake-duplicate-{language}-{width}.png", full_page=True)
    assert serious_axe_violations(page) == []
    context.close()


@pytest.mark.parametrize(("language", "width"), CASES)
def test_a_twin_brother_born_the_same_day_at_the_same_address_registers_without_a_warning(
    live_server: Any, browser: Any, caseworker_a: Any, ion_ceban: Any, language: str, width: int
) -> None:
    from carenet.people.models import Person

    words = LANGUAGES[language]
    context, page = intake_page(live_server, browser, caseworker_a, language, width)
    register(page, "Vasile", "Ceban", address=ADDRESS)
    assert page.locator("#matches-heading").count() == 0
    assert "/people/new/" not in page.url
    assert words["registered"] in page.inner_text("body")  # the message above the new record
    twin = Person.objects.all_tenants().get(first_name="Vasile", last_name="Ceban")
    assert (twin.birth_date, twin.address, twin.sex) == (BORN, ADDRESS, "M")
    assert f"/people/{twin.pk}/" in page.url
    assert Person.objects.all_tenants().count() == 2
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/intake-twin-registered-{language}-{width}.png", full_page=True)
    context.close()
