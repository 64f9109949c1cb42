"""In a real browser: the coordinator scores an application, draws and approves the yearly list, and a citizen
reads the published ranking by file number on the portal in Romanian and in Hungarian (axe-core, WCAG 2.1 AA)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from carenet.housing import services
from carenet.housing.models import Application, ListStatus, RankedList
from carenet.testing import PASSWORD
from carenet.testing.browser import serious_axe_violations

from .conftest import TODAY, answers

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


def _page(browser: Any, width: int) -> Any:
    context = browser.new_context(locale="ro-RO", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return page


def test_the_coordinator_scores_and_approves_and_a_citizen_reads_the_ranking_in_ro_and_hu(
    live_server: Any, browser: Any, coordinator: Any, officer: Any, grid: Any, applicant_factory: Any, baia_mare: Any
) -> None:
    scored = applicant_factory(filed_on=TODAY)
    services.application_score(
        actor=officer, application=scored, answers=answers(grid, conditions=5, household=2, disability=0)
    )
    waiting = applicant_factory(filed_on=TODAY)

    page = _page(browser, 1366)
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", coordinator.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/housing/applications/{waiting.pk}/")
    assert serious_axe_violations(page) == []
    for value in (10, 6, 5):
        criterion_code = {10: "conditions", 6: "household", 5: "disability"}[value]
        criterion = grid.criteria.get(code=criterion_code)
        page.check(f"#o-{criterion.options.get(points=value).pk}")
    page.click("form[action$='/score/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#score") == "21"
    page.goto(f"{live_server.url}/housing/grids/{grid.pk}/")
    page.click("form[action$='/draw/'] button[type=submit]")
    page.wait_for_load_state()
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_load_state()
    assert RankedList.objects.for_tenant(baia_mare).get().status == ListStatus.APPROVED
    assert page.js_errors == []

    citizen = _page(browser, 390)
    citizen.goto(f"{live_server.url}/{baia_mare.slug}/housing/ranking/")
    table = citizen.inner_text("#ranking")
    assert table.index(waiting.file_number) < table.index(scored.file_number)  # 21 points before 7
    assert "Locuințe sociale" in citizen.inner_text("h1")
    for application in Application.objects.for_tenant(baia_mare).select_related("applicant"):
        assert application.applicant.last_name not in citizen.content()
    assert serious_axe_violations(citizen) == []
    with citizen.expect_navigation():  # choosing a language submits the form (the page's script)
        citizen.select_option("#lang-select", "hu")
    assert citizen.locator("html").get_attribute("lang") == "hu"
    assert "Szociális bérlakások" in citizen.inner_text("h1")
    assert waiting.file_number in citizen.inner_text("#ranking")
    assert serious_axe_violations(citizen) == []
    assert citizen.js_errors == []
