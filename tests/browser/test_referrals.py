"""A referral sent by a DAS centre and accepted by an NGO, two users in two browser contexts."""

import datetime

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def referral_setup(baia_mare, org_a, org_b, caseworker_a, caseworker_b):
    from carenet.cases import services as case_services
    from carenet.directory.models import Service
    from carenet.people import services as people_services
    from carenet.people.tests.conftest import make_person

    person = make_person(baia_mare, org_a, sex="F", first="Maria", last="Pop", phone="0722000222")
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
    return {"case": case, "person": person, "service": service}


def test_a_das_caseworker_sends_and_an_ngo_caseworker_accepts(
    new_page, live_url, axe_check, screenshot, referral_setup
):
    case, service = referral_setup["case"], referral_setup["service"]

    sender = new_page()
    sign_in(sender, live_url, "cw_a")
    sender.wait_for_url(f"{live_url}/dashboard/")
    sender.goto(f"{live_url}/referrals/new/{case.pk}/")
    assert "3 locuri libere" in sender.locator("#id_service").inner_text()  # capacity shown when choosing
    assert axe_check(sender) == []
    screenshot(sender, "referral-new-ro-1280")
    sender.select_option("#id_service", str(service.pk))
    sender.fill("#id_reason", "Are nevoie de sprijin zilnic și de o masă caldă.")
    sender.check("#id_share_contact")
    with sender.expect_navigation():
        sender.click("button[name=send]")
    assert "Trimisă" in sender.locator("#referral-status").inner_text()
    detail_url = sender.url

    receiver = new_page(locale="hu-HU", width=360, height=740)
    sign_in(receiver, live_url, "cw_b")
    receiver.wait_for_url(f"{live_url}/dashboard/")
    receiver.goto(f"{live_url}/referrals/?list=received")
    with receiver.expect_navigation():
        receiver.click("table a[href*='/referrals/']")
    assert "0722000222" in receiver.content()  # the shared contact
    assert axe_check(receiver) == []
    screenshot(receiver, "referral-received-hu-360")
    with receiver.expect_navigation():
        receiver.click("#accept-button")
    assert "Elfogadva" in receiver.locator("#referral-status").inner_text()  # Hungarian browser

    sender.goto(detail_url)
    assert "Acceptată" in sender.locator("#referral-status").inner_text()
    screenshot(sender, "referral-accepted-ro-1280")
    sender.goto(f"{live_url}/referrals/notifications/")
    assert "a fost acceptată" in sender.content()
    assert axe_check(sender) == []
    service.refresh_from_db()
    assert service.places_available == 2
    assert sender.js_errors == [] and receiver.js_errors == []


def test_the_referral_pages_in_hungarian_are_accessible(
    new_page, live_url, axe_check, screenshot, referral_setup, caseworker_a
):
    from carenet.referrals import services

    referral = services.referral_create(
        actor=caseworker_a,
        case=referral_setup["case"],
        service=referral_setup["service"],
        reason="Sürgős segítség",
        share_contact=True,
        send=True,
    )
    page = new_page(width=360, height=740)
    sign_in(page, live_url, "cw_a")
    page.wait_for_url(f"{live_url}/dashboard/")
    with page.expect_navigation():
        page.select_option("#lang-select", "hu")
    for path, name in (
        (f"/referrals/{referral.pk}/", "referral-detail-hu-360"),
        ("/referrals/?list=sent", "referral-list-hu-360"),
        ("/referrals/figures/", "referral-figures-hu-360"),
    ):
        page.goto(live_url + path)
        assert page.locator("html").get_attribute("lang") == "hu"
        assert axe_check(page) == [], path
        screenshot(page, name)
    assert page.js_errors == []
