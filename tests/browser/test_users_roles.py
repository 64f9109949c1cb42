"""The coordinator's users-and-roles pages in a real browser: create an account, grant and revoke a role by
keyboard-usable forms, with no serious accessibility violation (axe-core, WCAG 2.1 AA), at phone width too."""

import pytest

from carenet.accounts.models import Membership, User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 360])
def test_the_coordinator_creates_a_user_grants_and_revokes_a_role(
    new_page, live_url, axe_check, coordinator, caseworker_a, org_a, width
):
    page = new_page(width=width, height=900)
    sign_in(page, live_url, "coord")
    page.wait_for_url(f"{live_url}/dashboard/")
    page.goto(f"{live_url}/account/users/")
    assert "cw_a" in page.content()
    assert axe_check(page) == []
    page.goto(f"{live_url}/account/users/new/")
    assert axe_check(page) == []
    page.fill("input[name=username]", "maria")
    page.fill("input[name=first_name]", "Maria")
    page.fill("input[name=last_name]", "Pop")
    page.fill("input[name=email]", "maria@test.local")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    maria = User.objects.get(username="maria")
    assert page.url.endswith(f"/account/users/{maria.uuid}/")
    assert axe_check(page) == []
    page.select_option("select[name=organisation]", str(org_a.pk))
    page.select_option("select[name=role]", "caseworker")
    with page.expect_navigation():
        page.click("form[action$='/roles/grant/'] button[type=submit]")
    assert Membership.objects.for_tenant(org_a.municipality_id).filter(user=maria, is_active=True).count() == 1
    assert axe_check(page) == []
    with page.expect_navigation():
        page.click("form[action$='/revoke/'] button[type=submit]")
    assert not Membership.objects.for_tenant(org_a.municipality_id).filter(user=maria, is_active=True).exists()
    assert page.js_errors == []
