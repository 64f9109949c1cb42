"""Browser walk of the registry and case pages: duplicate check at intake, workspace, accessibility.

Self-contained fixtures (prefixed ``cw_``) so the module runs with or without the shared browser conftest.
"""

import datetime
import importlib.util
import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # A live-server test flushes the database afterwards; the append-only audit log allows that in
    # tests only from the foundation version that ships carenet.audit.triggers.
    pytest.mark.skipif(
        importlib.util.find_spec("carenet.audit.triggers") is None,
        reason="this foundation's audit log refuses the live-server flush",
    ),
]


@pytest.fixture
def cw_page():
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium not found")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(locale="ro-RO", viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        yield page
        context.close()
        browser.close()


def _serious_axe_violations(page):
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _sign_in(page, url, username):
    page.goto(f"{url}/account/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_a_caseworker_finds_the_existing_record_under_a_cyrillic_spelling(cw_page, live_server, caseworker_a, org_a):
    from carenet.cases.services import case_open
    from carenet.people.models import Person

    person = Person(
        municipality=org_a.municipality,
        first_name="Ștefan",
        last_name="Munteanu",
        birth_date=datetime.date(1957, 3, 2),
        registered_by_organisation=org_a,
        sex="M",
    )
    person.save()
    case = case_open(actor=caseworker_a, person=person, organisation=org_a, channel="phone")
    page = cw_page
    _sign_in(page, live_server.url, "cw_a")
    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_first_name", "Штефан")
    page.fill("#id_last_name", "Мунтяну")
    page.fill("#id_birth_date", "1957-03-02")
    page.click("main form button[type=submit]")
    link = page.locator(f"a[href='/people/{person.pk}/']")
    assert link.count() == 1
    assert _serious_axe_violations(page) == []
    link.click()
    assert "Munteanu" in page.inner_text("h1")
    assert _serious_axe_violations(page) == []
    page.goto(f"{live_server.url}/cases/")
    assert case.reference in page.inner_text("main")
    assert _serious_axe_violations(page) == []
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert _serious_axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/cases/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.js_errors == []


def test_cheban_ion_in_cyrillic_finds_ceban_ion_with_reasons_and_his_twin_brother_sees_no_warning(
    cw_page, live_server, caseworker_a, org_a
):
    """Issue 14: the reasons of a probable duplicate are shown; a twin brother (another given name) is not one."""
    from carenet.people.models import Person

    person = Person(
        municipality=org_a.municipality,
        first_name="Ion",
        last_name="Ceban",
        birth_date=datetime.date(1988, 6, 14),
        registered_by_organisation=org_a,
        sex="M",
        address="Str. Decebal 12",
    )
    person.save()
    page = cw_page
    _sign_in(page, live_server.url, "cw_a")
    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_first_name", "Ион")
    page.fill("#id_last_name", "Чебан")
    page.fill("#id_birth_date", "1988-06-14")
    page.click("main form button[type=submit]")
    assert page.locator(f"a[href='/people/{person.pk}/']").count() == 1
    assert page.locator("[role=alert]").count() == 1  # the strong warning of a probable duplicate
    assert page.locator("#id_reason").count() == 1  # a reason is needed to register anyway
    reasons = page.locator("td[data-label]").nth(3).inner_text()
    assert reasons.strip() not in ("", "—")
    assert _serious_axe_violations(page) == []
    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_first_name", "Vasile")
    page.fill("#id_last_name", "Ceban")
    page.fill("#id_birth_date", "1988-06-14")
    page.fill("#id_address", "Str. Decebal 12")
    page.click("main form button[type=submit]")
    # No warning: registered at once, on to the new record's page (…/people/<id>/?purpose=registration).
    page.wait_for_url(re.compile(r"/people/[0-9a-f-]{36}/"))
    assert Person.objects.for_tenant(org_a.municipality).count() == 2
    assert page.js_errors == []
