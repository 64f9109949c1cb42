"""A citizen finds home care for an elderly parent in Baia Mare, in Romanian and in Hungarian.

No JavaScript errors, and no axe-core violation of serious or critical impact on the pages seen.
Runs against a live server with the real demo directory (core + directory demo loaders).
"""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
HOME_CARE = "SERVICIU ÎNGRIJIRI LA DOMICILIU A PERSOANELOR VÂRSTNICE"


@pytest.fixture
def demo_directory(transactional_db, settings):
    from django.apps import apps

    from carenet.core import demo as core_demo
    from carenet.directory import demo
    from carenet.directory.taxonomy_data import load_taxonomies

    settings.MAP_TILE_URL = ""  # the map must work without tiles
    load_taxonomies(apps)  # a transactional test flushes what the data migration loaded
    core_demo.load()
    demo.load()


@pytest.fixture
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


def _watch(page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    return errors


def _axe_serious(page):
    # Evaluated through DevTools rather than page.add_script_tag: the page's CSP (script-src 'self')
    # stays on, so a CSP violation of our own code is still caught as an error.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _find_home_care(browser, live_server, locale, width, fill):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = _watch(page)
    page.goto(f"{live_server.url}/baia-mare/services/")
    fill(page)
    page.get_by_role("button", name=fill.search_label).click()
    page.wait_for_load_state("networkidle")
    result = page.get_by_role("link", name=HOME_CARE)
    assert result.count() == 1
    violations = _axe_serious(page)
    result.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == HOME_CARE
    violations += _axe_serious(page)
    text = page.inner_text("main")
    context.close()
    return errors, violations, text


def test_a_citizen_finds_home_care_for_an_elderly_parent_in_romanian(chromium, live_server, demo_directory):
    def fill(page):
        page.get_by_label("Ce căutați?").fill("ingrijire la domiciliu batrani")
        page.get_by_label("Pentru cine").select_option(label="Persoane vârstnice")

    fill.search_label = "Caută"
    errors, violations, text = _find_home_care(chromium, live_server, "ro-RO", 1280, fill)
    assert not errors, errors
    assert not violations, violations
    assert "Cum se solicită" in text and "Program" in text and "Contacte" in text


def test_a_citizen_finds_home_care_for_an_elderly_parent_in_hungarian(chromium, live_server, demo_directory):
    def fill(page):
        page.get_by_label("Mit keres?").fill("otthoni gondozás")
        page.get_by_label("Kinek").select_option(label="Idősek")

    fill.search_label = "Keresés"
    errors, violations, text = _find_home_care(chromium, live_server, "hu-HU", 360, fill)
    assert not errors, errors
    assert not violations, violations
    assert "Hogyan lehet igényelni" in text and "Még nincs lefordítva: románul látható." in text
