"""The citizen portal in a real browser (Playwright + Debian's Chromium): a request for help in
Russian in Bălți picked up by a caseworker; feedback on a Baia Mare service answered by the provider;
axe-core on every public page in ro, ru and hu; screenshots at 360 and 1280 px.

Self-contained (own browser fixtures with portal_ names) so it runs with or without the shared
tests/browser/conftest.py.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache

from carenet.core.roles import Role
from conftest import make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots"))

if not Path(CHROMIUM).exists():  # pragma: no cover
    pytestmark.append(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


@pytest.fixture(scope="module")
def portal_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def portal_page(portal_browser):
    contexts = []

    def make(*, locale="ro-RO", width=1280, height=900):
        context = portal_browser.new_context(
            locale=locale, viewport={"width": width, "height": height}, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _no_time_trap(settings):
    settings.CARENET_PORTAL_MIN_FORM_SECONDS = 0
    cache.clear()


def axe_violations(page):
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


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, live_url, username):
    page.goto(f"{live_url}/account/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def test_a_citizen_asks_for_help_in_russian_in_balti_and_follows_it(portal_page, live_server, balti, balti_org):
    from carenet.portal.models import RoutingRule

    RoutingRule.objects.create(municipality=balti, need="", organisation=balti_org)
    make_user("balti_cw", balti, balti_org, Role.CASEWORKER)
    live_url = live_server.url

    citizen = portal_page(locale="ru-RU", width=360, height=780)
    citizen.goto(f"{live_url}/balti/help/")
    assert citizen.locator("html").get_attribute("lang") == "ru"
    citizen.click("main form button[type=submit]")  # empty form: errors announced, nothing saved
    citizen.wait_for_load_state("load")
    assert citizen.locator("#error-summary").is_visible()
    citizen.check("input[name=help_for][value=neighbour]")
    citizen.check("input[name=need][value=older]")
    citizen.fill("input[name=area_text]", "ул. Штефан чел Маре, 12")
    citizen.fill("textarea[name=description]", "Пожилая соседка живёт одна, ей нужна помощь.")
    citizen.fill("input[name=contact_name]", "Ольга")
    citizen.check("input[name=contact_method][value=phone]")
    citizen.fill("input[name=contact_phone]", "069 123 456")
    citizen.check("input[name=consent]")
    shot(citizen, "portal-help-form-ru-360")
    citizen.click("main form button[type=submit]")
    code = citizen.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}", code)
    shot(citizen, "portal-help-sent-ru-360")

    worker = portal_page(locale="ro-RO")
    sign_in(worker, live_url, "balti_cw")
    worker.goto(f"{live_url}/portal/help/")
    worker.click(f"text={code}")
    worker.click("#first-contact")
    worker.wait_for_load_state("load")
    assert worker.locator(".badge[data-status=assessing]").count() == 1
    shot(worker, "portal-triage-detail-ro-1280")

    citizen.goto(f"{live_url}/balti/help/track/")
    citizen.fill("input[name=code]", code.replace("-", " ").lower())
    citizen.click("main form button[type=submit]")
    status = citizen.locator("strong[data-status]")
    assert status.get_attribute("data-status") == "assessing"
    assert status.inner_text() == "Рассматривается"
    assert "Ольга" not in citizen.content() and "069 123 456" not in citizen.content()
    shot(citizen, "portal-track-ru-360")
    assert citizen.js_errors == [] and worker.js_errors == []


def test_a_citizen_leaves_feedback_on_a_baia_mare_service_and_the_provider_answers(
    portal_page, live_server, baia_mare, org_a, caseworker_a, manager_a
):
    from carenet.directory.models import Service

    service = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Centrul de zi pentru copii")
    live_url = live_server.url

    worker = portal_page()
    sign_in(worker, live_url, "cw_a")
    worker.goto(f"{live_url}/portal/engage/feedback/")
    worker.select_option("#invite-service", str(service.pk))
    worker.click("text=Creați un cod")
    code = worker.locator("#new-feedback-code").inner_text().strip()

    citizen = portal_page(locale="hu-HU", width=360, height=780)
    citizen.goto(f"{live_url}/baia-mare/feedback/")
    assert citizen.locator("html").get_attribute("lang") == "hu"
    citizen.fill("input[name=code]", code)
    citizen.click("main form button[type=submit]")
    citizen.check("input[name=rating][value='4']")
    citizen.check("input[name=went_well][value=respect]")
    citizen.check("input[name=went_badly][value=waiting]")
    citizen.fill("textarea[name=comment]", "Sokat vártam, de segítettek. <3")
    citizen.check("input[name=may_publish]")
    shot(citizen, "portal-feedback-form-hu-360")
    citizen.click("main form button[type=submit]")
    assert citizen.locator(".panel--ok").is_visible()

    manager = portal_page()
    sign_in(manager, live_url, "mgr_a")
    manager.goto(f"{live_url}/portal/engage/feedback/")
    assert manager.locator("td.num", has_text="4").count() >= 1
    manager.locator("table.responsive").last.locator("a").first.click()
    manager.fill("textarea[name=reply]", "Mulțumim! Am mărit programul de lucru.")
    manager.check("input[name=is_public]")
    manager.click("main form button[type=submit]")
    shot(manager, "portal-feedback-reply-ro-1280")

    citizen.goto(f"{live_url}/baia-mare/feedback/service/{service.pk}/")
    body = citizen.locator("main").inner_text()
    assert "Mulțumim! Am mărit programul de lucru." in body and "Sokat vártam, de segítettek. <3" in body
    shot(citizen, "portal-service-feedback-hu-360")
    assert citizen.js_errors == [] and manager.js_errors == []


PUBLIC_PAGES = [
    "",
    "emergency/",
    "news/",
    "news/{news}/",
    "help/",
    "help/track/",
    "feedback/",
    "feedback/code/{code}/",
    "feedback/service/{service}/",
    "surveys/",
    "surveys/{survey}/",
    "consultations/",
    "consultations/{consultation}/",
    "consultations/sessions/",
]


@pytest.fixture
def public_content(baia_mare, org_a, coordinator, caseworker_a):
    from django.utils import timezone

    from carenet.directory.models import Service
    from carenet.portal import services
    from carenet.portal.models import NewsItem

    baia_mare.emergency_contacts = [{"label": "Numărul unic pentru apeluri de urgență", "phone": "112"}]
    baia_mare.save()
    service = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Centrul de zi")
    news = NewsItem.objects.create(
        municipality=baia_mare, title="Cantina socială", body="Masa caldă.", published_at=timezone.now()
    )
    survey = services.survey_create(
        actor=coordinator, municipality=baia_mare, title="Cantina", intro="", audience="public"
    )
    q = services.survey_question_add(
        actor=coordinator, survey=survey, kind="single", text="Mâncați la cantină?", choices=["Da", "Nu"], required=True
    )
    services.survey_question_add(
        actor=coordinator,
        survey=survey,
        kind="scale",
        text="Cât de mulțumit?",
        choices=[],
        required=False,
        show_if_question=q,
        show_if_value="Da",
    )
    services.survey_question_add(
        actor=coordinator, survey=survey, kind="text", text="Altceva?", choices=[], required=False
    )
    services.survey_set_status(actor=coordinator, survey=survey, status="open")
    consultation = services.consultation_create(
        actor=coordinator, municipality=baia_mare, title="Strategia 2026", summary="Proiectul strategiei."
    )
    idea = services.idea_add(consultation=consultation, title="Bănci în parc", text="Mai multe bănci.")
    services.idea_support(idea=idea, token="x" * 30)
    services.consultation_comment_add(consultation=consultation, text="Foarte bine.")
    services.consultation_session_record(
        actor=coordinator,
        municipality=baia_mare,
        consultation=consultation,
        held_on="2026-03-10",
        topics="Cantina; transport",
        participants={"female": {"18-34": 5}, "male": {"65+": 3}},
    )
    invite = services.feedback_invite_create(actor=caseworker_a, service=service)
    return {
        "news": news.pk,
        "code": invite.code,
        "service": service.pk,
        "survey": survey.pk,
        "consultation": consultation.pk,
    }


@pytest.mark.parametrize("language", ["ro", "ru", "hu"])
def test_axe_finds_no_serious_violation_on_public_pages(portal_page, live_server, public_content, language):
    page = portal_page(locale=language)
    failures = {}
    for template in PUBLIC_PAGES:
        path = template.format(**public_content)
        page.goto(f"{live_server.url}/baia-mare/{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        if path in ("help/", "feedback/"):  # also with the error summary shown
            page.click("main form button[type=submit]")
            page.wait_for_load_state("load")
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert failures == {}
    assert page.js_errors == []


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["ro", "ru"])
def test_screenshots_of_the_main_public_pages(portal_page, live_server, public_content, width, language):
    page = portal_page(locale=language, width=width)
    for name, path in [
        ("home", ""),
        ("help", "help/"),
        ("emergency", "emergency/"),
        ("consultation", "consultations/{consultation}/"),
        ("survey", "surveys/{survey}/"),
    ]:
        page.goto(f"{live_server.url}/baia-mare/{path.format(**public_content)}")
        width_px = page.evaluate("document.documentElement.scrollWidth")
        assert width_px <= width, f"{name} scrolls sideways at {width}px"
        shot(page, f"portal-{name}-{language}-{width}")


def test_axe_finds_no_serious_violation_on_staff_pages(
    portal_page, live_server, public_content, coordinator, baia_mare
):
    from carenet.portal import services
    from carenet.portal.models import ServiceFeedback

    item = services.help_request_submit(
        municipality=baia_mare,
        help_for="self",
        need="food",
        contact_name="Ana",
        contact_method="visit",
        consent=True,
        area_text="Strada Mare",
    )
    feedback = services.feedback_submit(
        invite=services.feedback_invite_create(actor=coordinator, service=_service(baia_mare)),
        rating=3,
        went_well=["respect"],
        went_badly=[],
        comment="Bine",
    )
    assert ServiceFeedback.objects.for_tenant(baia_mare).filter(pk=feedback.pk).exists()
    page = portal_page()
    sign_in(page, live_server.url, "coord")
    failures = {}
    for path in [
        "/portal/help/",
        f"/portal/help/{item.pk}/",
        "/portal/help/routing/",
        "/portal/help/news/",
        "/portal/engage/",
        "/portal/engage/feedback/",
        f"/portal/engage/feedback/{feedback.pk}/",
        f"/portal/engage/surveys/{public_content['survey']}/",
        f"/portal/engage/consultations/{public_content['consultation']}/",
    ]:
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    shot(page, "portal-staff-consultation-ro-1280")
    assert failures == {}
    assert page.js_errors == []


def _service(municipality):
    from carenet.directory.models import Service

    return Service.objects.for_tenant(municipality).first()


def test_survey_results_draw_a_chart_with_a_table(portal_page, live_server, public_content, baia_mare):
    from carenet.portal import services
    from carenet.portal.models import Survey

    survey = Survey.objects.for_tenant(baia_mare).get(pk=public_content["survey"])
    first = survey.questions.order_by("position").first()
    for i, choice in enumerate(["Da", "Da", "Nu", "Da"]):
        services.survey_answer(survey=survey, token=f"bench-token-{i}-xxxxxxxxxxxx", answers={str(first.pk): choice})
    page = portal_page()
    sign_in(page, live_server.url, "coord")
    page.goto(f"{live_server.url}/portal/engage/surveys/{survey.pk}/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas')) !== undefined")
    assert page.locator("table th[scope=row]", has_text="Da").count() >= 1
    shot(page, "portal-survey-results-ro-1280")
    assert page.js_errors == []
