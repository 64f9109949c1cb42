"""The system page: the readiness facts in words, in the reader's language, for the coordinator and the
platform administrator; never a raw code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def room_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CARENET_MIN_FREE_MB = 1


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_reads_what_is_failing_in_words(coordinator, english):
    page = _client(coordinator).get(reverse("ops:system"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "No backup has been made" in html and "Background worker" in html
    assert "never" not in html.replace("never run", "")  # the codes stay in the JSON


@pytest.mark.parametrize("language", ["ro", "ru", "hu", "uk"])
def test_the_page_is_in_the_readers_language(coordinator, language):
    client = _client(coordinator)
    client.cookies["django_language"] = language
    html = client.get(reverse("ops:system"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "No backup has been made" not in html and "Background worker" not in html


def test_refusals_of_the_system_page(caseworker_a, manager_a, auditor):
    url = reverse("ops:system")
    assert_refused(Client(), url, LOGIN_REDIRECT)
    for user in (caseworker_a, manager_a, auditor):
        assert_refused(_client(user), url, FORBIDDEN)
