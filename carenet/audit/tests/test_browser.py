"""In a real browser: the auditor narrows the audit log to the actions on persons, in Romanian and in Russian,
on a desktop and on a 390 px phone — the filter offers kinds of records in the reader's words, no raw code,
and the page has no serious WCAG 2.1 AA violation (axe-core)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from carenet.audit.services import audit_record
from carenet.testing import PASSWORD
from carenet.testing.browser import serious_axe_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = os.environ.get("CARENET_SCREENSHOT_DIR", "")  # set to keep the pages' screenshots for a look

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("language", "persons", "width"), [("ro", "Persoană", 1366), ("ru", "Лицо", 390)])
def test_the_auditor_narrows_the_log_to_actions_on_persons_in_their_language(
    live_server: Any,
    browser: Any,
    auditor: Any,
    caseworker_a: Any,
    person_a: Any,
    case_a: Any,
    language: str,
    persons: str,
    width: int,
) -> None:
    audit_record(action="person.view", actor=caseworker_a, obj=person_a)
    audit_record(action="case.view", actor=caseworker_a, obj=case_a)
    audit_record(action="auth.login_failed", actor=None, municipality=person_a.municipality)
    auditor.preferred_language = language
    auditor.save(update_fields=["preferred_language"])
    context = browser.new_context(locale=language, viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", auditor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/audit/")
    page.select_option("#id_action", label=persons)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("main tbody tr")
    assert rows.count() >= 1
    assert all(text.startswith(persons) for text in page.locator("main tbody td:nth-child(3)").all_inner_texts())
    assert "person." not in page.inner_text("main")
    assert serious_axe_violations(page) == []
    if SHOTS:
        page.goto(f"{live_server.url}/audit/")
        page.screenshot(path=f"{SHOTS}/audit-log-{language}-{width}.png", full_page=True)
    context.close()
