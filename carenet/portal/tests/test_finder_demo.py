"""The finder on the demo directory (issue 16): Bălți's citizens find its services in Romanian, without
diacritics and in Russian; a search that finds nothing suggests categories and the portal's request for
help; every demo service page offers a way to reach the service, and flags what the provider must fill."""

import pytest
from django.urls import reverse

from carenet.core import demo as core_demo
from carenet.core.models import Municipality
from carenet.directory import demo as directory_demo
from carenet.directory.models import Service


@pytest.fixture
def demo(db):
    core_demo.load()
    directory_demo.load()
    return {m.slug: m for m in Municipality.objects.all()}


def _names(response):
    assert response.status_code == 200
    return [item["name"] for item in response.context["items"]]


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("copii", "ro", "Centrul de creație a copiilor (spațiu prietenos copiilor)"),
        ("adăpost", "ro", "Spații pentru persoanele fără adăpost"),
        ("adapost", "ro", "Spații pentru persoanele fără adăpost"),
        ("batrani", "ro", "Cantina socială și servicii de catering"),
        ("дети", "ru", "Центр детского творчества (пространство, дружественное детям)"),
        ("дети", "ro", "Centrul de creație a copiilor (spațiu prietenos copiilor)"),
        ("бездомные", "ru", "Места для бездомных людей"),
        ("пожилые", "ru", "Социальная столовая и услуги кейтеринга"),
    ],
)
def test_the_balti_finder_finds_its_services_in_every_spelling(client, demo, query, language, expected):
    response = client.get(reverse("finder:search", args=["balti"]), {"q": query}, HTTP_ACCEPT_LANGUAGE=language)
    assert expected in _names(response)
    assert not response.context["suggestions"]


def test_the_balti_finder_shows_russian_names_to_a_russian_reader(client, demo):
    names = _names(client.get(reverse("finder:search", args=["balti"]), {"q": "дети"}, HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Центр детского творчества (пространство, дружественное детям)" in names


def test_a_search_that_finds_nothing_suggests_categories_and_the_portal(client, demo):
    response = client.get(reverse("finder:search", args=["balti"]), {"q": "batrini"})  # a typo of "bătrâni"
    assert response.context["items"] == []
    suggestions = response.context["suggestions"]
    assert suggestions and suggestions[0]["name"] == "Persoane vârstnice"
    follow = client.get(suggestions[0]["url"])
    assert _names(follow)  # the suggested category holds services
    html = response.content.decode()
    assert reverse("portal:help", args=["balti"]) in html


def test_a_search_with_nothing_close_still_offers_the_largest_categories(client, demo):
    response = client.get(reverse("finder:search", args=["balti"]), {"q": "xqzw"})
    assert response.context["items"] == []
    assert len(response.context["suggestions"]) >= 3


@pytest.mark.parametrize("language", ["ro", "ru"])
def test_every_demo_service_page_shows_a_way_to_contact_it(client, demo, language):
    for slug, municipality in demo.items():
        help_url = reverse("portal:help", args=[slug])
        for service in Service.objects.for_tenant(municipality):
            response = client.get(reverse("finder:service", args=[slug, service.pk]), HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200
            html = response.content.decode()
            assert f'href="{help_url}"' in html, service.name
            # nothing is invented: the contact, hours, address and places are flagged for the provider
            assert not response.context["has_direct_contact"]
            assert html.count('class="badge badge--warn"') >= 3, service.name


def test_the_russian_service_page_shows_the_translation(client, demo):
    service = Service.objects.for_tenant(demo["balti"]).get(name="Spații pentru persoanele fără adăpost")
    response = client.get(reverse("finder:service", args=["balti", service.pk]), HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert "Места для бездомных людей" in html and "5.1.5" in html
