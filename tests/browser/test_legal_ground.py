"""Issue 26 in the browser: a referral's receiver says why it opens the referred person, sees only what the
referral shares, and cannot open its own case without a ground; the auditor reads the openings."""

import datetime

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def referred(baia_mare, org_a, org_b, caseworker_a, caseworker_b, auditor):
    from carenet.cases import services as case_services
    from carenet.directory.models import Service
    from carenet.people import services as people_services
    from carenet.people.tests.conftest import make_person
    from carenet.referrals import services

    person = make_person(baia_mare, org_a, sex="F", first="Maria", last="Pop", phone="0722000222")
    people_services.identity_document_add(actor=caseworker_a, person=person, kind="passport", series_number="RO99")
    case = case_services.case_open(
        actor=caseworker_a,
        person=person,
        organisation=org_a,
        channel="in_person",
        opened_on=datetime.date.today() - datetime.timedelta(days=5),
    )
    people_services.consent_record(
        actor=caseworker_a, person=person, purpose="referral", given_on=datetime.date.today(), scope=[org_b]
    )
    service = Service.objects.create(
        municipality=baia_mare, organisation=org_b, name="Centru de zi «Speranța»", places_total=10, places_available=3
    )
    services.referral_create(
        actor=caseworker_a, case=case, service=service, reason="Sprijin zilnic", share_contact=True, send=True
    )
    return person


@pytest.mark.parametrize(("locale", "lang", "width"), [("ro-RO", "ro", 1366), ("hu-HU", "hu", 390)])
def test_the_receiver_states_its_purpose_and_sees_only_what_is_shared(
    new_page, live_url, axe_check, screenshot, referred, locale, lang, width
):
    page = new_page(locale=locale, width=width, height=800)
    sign_in(page, live_url, "cw_b")
    page.wait_for_url(f"{live_url}/dashboard/")
    page.goto(f"{live_url}/people/{referred.pk}/")
    assert page.locator("#purpose-form").count() == 1
    assert "0722000222" not in page.inner_text("main")
    assert axe_check(page) == []
    screenshot(page, f"person-purpose-{lang}-{width}")
    page.check("input[name=purpose][value=referral]")
    with page.expect_navigation():
        page.click("#purpose-form button[type=submit]")
    main = page.inner_text("main")
    assert "0722000222" in main and "RO99" not in main
    assert page.locator("#grounds").count() == 1
    assert axe_check(page) == []
    screenshot(page, f"person-referred-{lang}-{width}")
    page.goto(f"{live_url}/cases/new/{referred.pk}/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#id_legal_basis").count() == 1 and page.locator(".field-error, .error-summary").count() > 0
    assert axe_check(page) == []
    screenshot(page, f"case-open-no-ground-{lang}-{width}")

    auditor_page = new_page(locale=locale, width=width, height=800)
    sign_in(auditor_page, live_url, "auditor")
    auditor_page.wait_for_url(lambda url: "/account/login/" not in url)
    auditor_page.goto(f"{live_url}/people/access-report/")
    assert "cw_b" in auditor_page.inner_text("#openings")
    assert axe_check(auditor_page) == []
    screenshot(auditor_page, f"access-report-{lang}-{width}")
    assert page.js_errors == [] and auditor_page.js_errors == []
