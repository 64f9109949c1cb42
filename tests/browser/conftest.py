"""Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

Fixtures: ``browser`` (module), ``page`` (fresh context, fails the test on any JavaScript error),
``live_url`` (base URL), ``axe_check(page)`` (axe-core; returns serious/critical violations).
Where Chromium is, and what happens without it, is the shared plugin's (carenet.testing.browser,
carenet.testing.plugin): skipped with the reason, or a failure under ``CARENET_REQUIRE_BROWSER=1``.
"""

import os
from pathlib import Path

import pytest

from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots"))


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: some modules drive their own sync Playwright, and two sync
    Playwright instances cannot be alive in one thread at once."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_url(live_server):
    return live_server.url


@pytest.fixture
def new_page(browser):
    """Factory of pages in fresh contexts (one per user); each collects JavaScript errors."""
    contexts = []

    def make(*, locale="ro-RO", width=1280, height=900):
        # bypass_csp only so axe-core can be injected; the pages themselves run under the real CSP.
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height}, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and page.js_errors.append(msg.text))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.1 A/AA rules) on the page; return the serious and critical violations."""

    def check(page):
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, live_url, username, password="correct-horse-battery"):
    page.goto(f"{live_url}/account/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
