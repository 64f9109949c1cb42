"""Every page and endpoint of the register refuses with its one status code (docs/architecture.md §3):
another provider 404, the other municipality 404 (403 on pages with no record), a lower role 403, an
anonymous visitor 302 to the login page."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.urls import reverse

from carenet.activities.models import ParticipantCount
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

OBJECT_PAGES = ["detail", "edit", "sheet", "sheet_persons"]
CHANGE_PAGES = ["edit", "sheet", "sheet_persons"]
STAFF_PAGES = ["list", "create", "import", "import_template"]


def _post_sheet(client: Any, activity: Any, status: int) -> None:
    assert_refused(
        client,
        reverse("activities:sheet_submit", args=[activity.pk]),
        status,
        method="post",
        data=json.dumps({"key": str(uuid.uuid4()), "sex": "F"}),
        content_type="application/json",
    )
    assert not ParticipantCount.objects.for_tenant(activity.municipality_id).exists()


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_other_provider_404(client: Any, caseworker_a: Any, activity_b: Any, name: str) -> None:
    client.force_login(caseworker_a)
    assert_refused(client, reverse(f"activities:{name}", args=[activity_b.pk]), NOT_FOUND)


def test_other_provider_404_on_submit(client: Any, caseworker_a: Any, activity_b: Any) -> None:
    client.force_login(caseworker_a)
    _post_sheet(client, activity_b, NOT_FOUND)


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_other_municipality_404(client: Any, other_tenant_user: Any, activity_a: Any, name: str) -> None:
    client.force_login(other_tenant_user)
    assert_refused(client, reverse(f"activities:{name}", args=[activity_a.pk]), NOT_FOUND)


def test_other_municipality_404_on_submit(client: Any, other_tenant_user: Any, activity_a: Any) -> None:
    client.force_login(other_tenant_user)
    _post_sheet(client, activity_a, NOT_FOUND)


def test_other_municipality_list_shows_nothing_of_ours(
    client: Any, other_tenant_user: Any, activity_a: Any, balti_activity: Any
) -> None:
    client.force_login(other_tenant_user)
    response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    assert activity_a.title not in response.text and balti_activity.title in response.text


@pytest.mark.parametrize("name", CHANGE_PAGES)
def test_lower_role_403(client: Any, auditor: Any, activity_a: Any, name: str) -> None:
    """The auditor reads every activity (the detail is 200) and records none."""
    client.force_login(auditor)
    assert client.get(reverse("activities:detail", args=[activity_a.pk])).status_code == 200
    assert_refused(client, reverse(f"activities:{name}", args=[activity_a.pk]), FORBIDDEN)


def test_lower_role_403_on_submit(client: Any, auditor: Any, activity_a: Any) -> None:
    client.force_login(auditor)
    _post_sheet(client, activity_a, FORBIDDEN)


def test_partner_reads_but_does_not_record(client: Any, caseworker_b: Any, activity_a: Any) -> None:
    """Provider B is a partner of A's event: it sees the activity (200) and may not record on it (403)."""
    client.force_login(caseworker_b)
    assert client.get(reverse("activities:detail", args=[activity_a.pk])).status_code == 200
    assert_refused(client, reverse("activities:sheet", args=[activity_a.pk]), FORBIDDEN)
    _post_sheet(client, activity_a, FORBIDDEN)


@pytest.mark.parametrize("name", ["create", "import", "import_template"])
def test_lower_role_403_on_staff_pages(client: Any, auditor: Any, name: str) -> None:
    client.force_login(auditor)
    assert_refused(client, reverse(f"activities:{name}"), FORBIDDEN)


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_no_municipality_role_403(client: Any, citizen: Any, name: str) -> None:
    client.force_login(citizen)
    assert_refused(client, reverse(f"activities:{name}"), FORBIDDEN)


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_anonymous_redirected(client: Any, name: str) -> None:
    assert_refused(client, reverse(f"activities:{name}"), LOGIN_REDIRECT)


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_anonymous_redirected_from_object_pages(client: Any, activity_a: Any, name: str) -> None:
    assert_refused(client, reverse(f"activities:{name}", args=[activity_a.pk]), LOGIN_REDIRECT)


def test_anonymous_redirected_on_submit(client: Any, activity_a: Any) -> None:
    _post_sheet(client, activity_a, LOGIN_REDIRECT)


def test_import_for_other_organisation_refused(client: Any, caseworker_a: Any, org_b: Any, bm_kinds: Any) -> None:
    """The organiser field offers only the user's own organisations: another one is a form error."""
    import io

    client.force_login(caseworker_a)
    upload = io.BytesIO(b"date,kind,title\n2025-01-01,event,X\n")
    upload.name = "a.csv"
    response = client.post(reverse("activities:import"), {"organiser": org_b.pk, "file": upload})
    assert response.status_code == 400
