"""The onboarding page: the platform administrator checks the files (nothing written), then onboards; anyone
else is refused with the one status code of their refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from carenet.core.models import Municipality

from .conftest import example, upload

pytestmark = pytest.mark.django_db
URL = reverse("onboarding:onboard")


def _files(**changed: Any) -> dict[str, Any]:
    files = {
        "profile": upload("profile.json"),
        "organisations": upload("organisations.csv"),
        "services": upload("services.csv"),
        "users": upload("users.csv"),
        "plan": upload("plan.csv"),
    }
    return {**files, **changed}


def test_the_platform_administrator_checks_then_onboards(client, platform_admin):
    client.force_login(platform_admin)
    assert client.get(URL).status_code == 200
    checked = client.post(URL, {**_files(), "confirm": "0"})
    assert checked.status_code == 200 and "checked, nothing saved" in checked.content.decode()
    assert not Municipality.objects.filter(slug="valea-verde").exists()
    done = client.post(URL, {**_files(), "confirm": "1"})
    assert done.status_code == 200 and "vv_coord" in done.content.decode()
    assert Municipality.objects.filter(slug="valea-verde").exists()


def test_a_bad_row_is_shown_with_its_file_row_and_column_and_nothing_is_saved(client, platform_admin):
    client.force_login(platform_admin)
    bad = example("users.csv").replace(b",coordinator,", b",mayor,")
    resp = client.post(URL, {**_files(users=upload("users.csv", bad)), "confirm": "1"})
    assert resp.status_code == 400
    assert "users.csv, row 2, column “rol”: Unknown role “mayor”" in resp.content.decode()
    assert not Municipality.objects.filter(slug="valea-verde").exists()


def test_a_coordinator_of_baia_mare_is_refused_403(client, coordinator):
    client.force_login(coordinator)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**_files(), "confirm": "1"}).status_code == 403
    assert not Municipality.objects.filter(slug="valea-verde").exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page_302(client, db):
    resp = client.get(URL)
    assert resp.status_code == 302 and reverse("accounts:login") in resp.url
