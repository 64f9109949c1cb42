"""Issue 22's walk in a real browser, in Romanian and in Hungarian: a company posts a course, a social worker
enrols two beneficiaries, the company takes the roll call on a phone, one completes (the certificate is
downloaded and verified on the portal), one drops out (the social worker is alerted). axe-core checks every
page for WCAG 2.1 AA."""

from __future__ import annotations

import datetime
import os

import pytest

from carenet.testing.browser import serious_axe_violations
from carenet.training.models import Course, EnrolmentStatus

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.browser  # Chromium present or not: the shared plugin (carenet.testing.plugin)


def _page(browser, live_server, username, locale, width=390):
    context = browser.new_context(
        locale=locale, viewport={"width": width, "height": 860}, bypass_csp=True, accept_downloads=True
    )
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    if username:
        page.goto(f"{live_server.url}/account/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    return page


@pytest.mark.parametrize(("language", "locale"), [("ro", "ro-RO"), ("hu", "hu-HU")])
def test_company_course_enrolment_attendance_certificate_and_dropout(
    live_server, browser, language, locale, csr, company, rules, caseworker_a, cases, baia_mare, tmp_path
):
    # 1. The company posts the course (two places, published) and two sessions.
    company_page = _page(browser, live_server, csr.username, locale)
    company_page.goto(f"{live_server.url}/training/new/")
    assert company_page.locator("html").get_attribute("lang") == language
    assert serious_axe_violations(company_page) == []
    company_page.select_option("select[name=organisation]", str(company.pk))
    company_page.select_option("select[name=offered_by]", "company")
    company_page.fill("input[name=title]", "Operator calculator")
    company_page.fill("input[name=starts_on]", datetime.date.today().isoformat())
    company_page.fill("input[name=places]", "2")
    company_page.fill("input[name=hours]", "16")
    company_page.click("main form button[type=submit]")
    company_page.wait_for_load_state()
    course = Course.objects.for_tenant(baia_mare).get(title="Operator calculator")
    assert course.status == "published"
    for day in (0, 7):
        company_page.click("main details summary")
        company_page.fill("input[name=held_on]", (datetime.date.today() + datetime.timedelta(days=day)).isoformat())
        company_page.click("form[action$='/sessions/'] button[type=submit]")
        company_page.wait_for_load_state()
    assert course.sessions.count() == 2

    # 2. The social worker enrols two beneficiaries from their cases.
    social = _page(browser, live_server, caseworker_a.username, locale)
    for case in cases[:2]:
        social.goto(f"{live_server.url}/training/cases/{case.pk}/")
        assert serious_axe_violations(social) == []
        social.select_option("select[name=course]", str(course.pk))
        social.click("form[action$='/enrol/'] button[type=submit]")
        social.wait_for_load_state()
    done, dropped = (course.enrolments.get(person=c.person) for c in cases[:2])
    assert done.status == dropped.status == EnrolmentStatus.ENROLLED

    # 3. The company takes the roll call on a phone: one present twice, the other absent twice.
    for session in course.sessions.order_by("number"):
        company_page.goto(f"{live_server.url}/training/sessions/{session.pk}/roll/")
        assert serious_axe_violations(company_page) == []
        company_page.check(f"[data-enrolment='{done.pk}'] input[value=present]")
        company_page.wait_for_function("document.getElementById('roll-status').textContent.length > 0")
        company_page.evaluate("document.getElementById('roll-status').textContent = ''")
        company_page.check(f"[data-enrolment='{dropped.pk}'] input[value=absent]")
        company_page.wait_for_function("document.getElementById('roll-status').textContent.length > 0")
        company_page.wait_for_function(
            "JSON.parse(localStorage.getItem('carenet-queue:training-roll-"
            + str(session.pk)
            + "') || '[]').length === 0"
        )
    dropped.refresh_from_db()
    assert dropped.status == EnrolmentStatus.DROPPED_OUT

    # 4. The company closes the course: the certificate is issued.
    company_page.goto(f"{live_server.url}/training/{course.pk}/")
    company_page.click("form[action$='/close/'] button[type=submit]")
    company_page.wait_for_load_state()
    done.refresh_from_db()
    assert done.status == EnrolmentStatus.COMPLETED
    code = done.certificate.code
    # The company sees the names and attendance, never the case.
    body = company_page.content()
    assert cases[0].reference not in body and cases[1].reference not in body

    # 5. The social worker is alerted of the dropout, downloads the certificate, and it is verified on the portal.
    social.goto(f"{live_server.url}/training/alerts/")
    assert serious_axe_violations(social) == []
    alerts = social.locator("main").inner_text()
    assert dropped.person.last_name in alerts and "Operator calculator" in alerts
    social.goto(f"{live_server.url}/training/cases/{cases[0].pk}/")
    with social.expect_download() as download:
        social.click(f"a[href$='/enrolments/{done.pk}/certificate.pdf']")
    path = tmp_path / "certificate.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    visitor = _page(browser, live_server, None, locale)
    visitor.goto(f"{live_server.url}/{baia_mare.slug}/training/certificates/")
    visitor.fill("input[name=code]", code.lower())
    visitor.click("main form button[type=submit]")
    visitor.wait_for_load_state()
    assert visitor.locator(".verify__ok").count() == 1
    assert serious_axe_violations(visitor) == []
    assert company_page.js_errors == social.js_errors == visitor.js_errors == []
