"""The shared test plugin itself: factories keep a row in its organisation's municipality, the refusal
helper asserts one status code, and the browser rule skips or fails as documented."""

import datetime
import os
import subprocess
import sys
import textwrap

import pytest

from carenet.core.roles import Role
from carenet.testing import PASSWORD, ROOT, factories
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_login_required, assert_refused

pytestmark = pytest.mark.django_db


def test_a_row_made_from_an_organisation_lands_in_its_municipality(balti_org):
    person = factories.PersonFactory(registered_by_organisation=balti_org)
    case = factories.CaseFactory(organisation=balti_org)
    delivery = factories.ServiceDeliveryFactory(organisation=balti_org)
    assert person.municipality == case.municipality == case.person.municipality == balti_org.municipality
    assert delivery.service.organisation == delivery.organisation == balti_org
    assert delivery.person.municipality == balti_org.municipality


def test_a_row_made_from_a_municipality_gets_an_organisation_there(balti):
    service = factories.ServiceFactory(municipality=balti, name="Cantina")
    assert service.organisation.municipality == balti
    assert service.search_name  # indexed like one the directory saves


def test_a_referral_goes_to_another_provider_of_the_same_municipality(db):
    referral = factories.ReferralFactory()
    assert referral.to_organisation != referral.from_organisation
    assert referral.to_organisation.municipality == referral.municipality == referral.case.municipality
    assert referral.person == referral.case.person


def test_make_user_grants_the_role_and_the_shared_password(org_a, baia_mare):
    user = factories.make_user("sup", baia_mare, org_a, Role.CASEWORKER, supervisor=True)
    membership = user.memberships.get()
    assert (membership.organisation, membership.role, membership.is_supervisor) == (org_a, Role.CASEWORKER, True)
    assert user.check_password(PASSWORD)


def test_the_two_tenants_are_the_real_ones(baia_mare, balti):
    assert (baia_mare.slug, baia_mare.currency, baia_mare.official_languages) == ("baia-mare", "RON", ["ro", "hu"])
    assert (balti.slug, balti.currency, balti.time_zone) == ("balti", "MDL", "Europe/Chisinau")
    assert factories.MunicipalityFactory().slug != factories.MunicipalityFactory().slug


def test_assert_refused_checks_the_one_code_and_the_login_redirect(client, person_a, other_tenant_user, caseworker_a):
    url = f"/people/{person_a.pk}/"
    assert_login_required(client, url)
    client.force_login(other_tenant_user)
    assert_refused(client, url, NOT_FOUND)
    with pytest.raises(AssertionError, match="expected the refusal 403, got 404"):
        assert_refused(client, url, FORBIDDEN)
    client.force_login(caseworker_a)
    with pytest.raises(AssertionError):
        assert_refused(client, url, LOGIN_REDIRECT)


@pytest.mark.parametrize("status", [(403, 404), 200, "404"])
def test_a_refusal_has_one_status_code(client, status):
    with pytest.raises(TypeError):
        assert_refused(client, "/", status)


# --- The browser rule, run in a separate pytest with the plugin ------------------------------------------


BROWSER_TESTS = """
import pytest

pytestmark = pytest.mark.browser


def test_drives_the_browser():
    pass


def test_skips_itself():
    pytest.skip("no reason")
"""


def _pytest(tmp_path, **env):
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["carenet.testing.plugin"]\n')
    (tmp_path / "test_in_browser.py").write_text(textwrap.dedent(BROWSER_TESTS))
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CARENET_REQUIRE_BROWSER": "",
        **env,
    }
    return subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist", str(tmp_path)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_chromium_browser_tests_are_skipped_with_the_reason(tmp_path):
    run = _pytest(tmp_path, CHROMIUM_PATH=str(tmp_path / "no-chromium"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 skipped" in run.stdout
    assert "Chromium not found at" in run.stdout and "make test" in run.stdout


def test_when_the_browser_is_required_a_missing_chromium_stops_the_run(tmp_path):
    run = _pytest(tmp_path, CHROMIUM_PATH=str(tmp_path / "no-chromium"), CARENET_REQUIRE_BROWSER="1")
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert "CARENET_REQUIRE_BROWSER=1 but Chromium not found" in run.stderr


def test_when_the_browser_is_required_a_skipped_browser_test_fails(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    run = _pytest(tmp_path, CHROMIUM_PATH=str(chromium), CARENET_REQUIRE_BROWSER="1")
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout
    assert "skipped although CARENET_REQUIRE_BROWSER=1" in run.stdout


def test_the_shared_person_and_case(person_a, case_a, caseworker_a):
    assert person_a.phone == "" and person_a.address == "Str. Victoriei 10"
    assert case_a.person == person_a and case_a.opened_on == datetime.date.today() - datetime.timedelta(days=30)
