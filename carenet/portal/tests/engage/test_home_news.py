"""Portal home, emergency page and announcements."""

import pytest

from carenet.portal.models import NewsItem


@pytest.mark.parametrize(
    "path",
    [
        "",
        "emergency/",
        "news/",
        "help/",
        "help/track/",
        "feedback/",
        "surveys/",
        "consultations/",
        "consultations/sessions/",
    ],
)
@pytest.mark.parametrize("language", ["ro", "ru", "hu", "uk", "en"])
def test_public_pages_answer_in_every_language(client, baia_mare, path, language):
    response = client.get(f"/baia-mare/{path}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_an_unknown_municipality_is_404(client, db):
    assert client.get("/atlantis/").status_code == 404
    assert client.get("/atlantis/help/").status_code == 404


def test_the_home_page_offers_the_tenant_languages_first(client, balti):
    html = client.get("/balti/").content.decode()
    assert html.index('value="ro"') < html.index('value="ru"') < html.index('value="hu"')


def test_the_emergency_page_lists_the_municipality_contacts(client, baia_mare):
    baia_mare.emergency_contacts = [{"label": "Telefonul copilului", "phone": "116 111"}]
    baia_mare.save()
    html = client.get("/baia-mare/emergency/").content.decode()
    assert 'href="tel:116111"' in html and "Telefonul copilului" in html


def test_a_coordinator_publishes_an_announcement_and_the_public_reads_it(client, baia_mare, coordinator):
    client.force_login(coordinator)
    response = client.post("/portal/help/news/new/", {"title": "Cantina <b>nouă</b>", "body": "Text"})
    assert response.status_code == 400  # markup refused
    client.post("/portal/help/news/new/", {"title": "Cantina socială", "summary": "", "body": "Masa caldă & ceai"})
    item = NewsItem.objects.for_tenant(baia_mare).get()
    client.logout()
    assert "Cantina socială" in client.get("/baia-mare/news/").content.decode()
    assert "Masa caldă &amp; ceai" in client.get(f"/baia-mare/news/{item.pk}/").content.decode()
    assert "Cantina socială" in client.get("/baia-mare/").content.decode()


def test_a_provider_manager_publishes_only_for_their_organisation(client, baia_mare, manager_a, org_a, org_b):
    client.force_login(manager_a)
    assert (
        client.post("/portal/help/news/new/", {"organisation": str(org_b.pk), "title": "T", "body": "B"}).status_code
        == 400
    )
    client.post("/portal/help/news/new/", {"organisation": str(org_a.pk), "title": "T", "body": "B"})
    assert NewsItem.objects.for_tenant(baia_mare).get().organisation == org_a


def test_a_caseworker_cannot_publish_news(client, caseworker_a):
    client.force_login(caseworker_a)
    assert client.get("/portal/help/news/").status_code == 403


def test_news_of_another_municipality_is_404(client, baia_mare, balti):
    item = NewsItem.objects.create(municipality=baia_mare, title="T", body="B", published_at="2026-01-01T10:00Z")
    assert client.get(f"/balti/news/{item.pk}/").status_code == 404
    assert client.get(f"/baia-mare/news/{item.pk}/").status_code == 200


def test_a_balti_coordinator_cannot_withdraw_baia_mare_news(client, baia_mare, other_tenant_user):
    item = NewsItem.objects.create(municipality=baia_mare, title="T", body="B", published_at="2026-01-01T10:00Z")
    client.force_login(other_tenant_user)
    assert client.post(f"/portal/help/news/{item.pk}/withdraw/").status_code == 404


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ro", "Cine are nevoie de ajutor?"),
        ("ru", "Кому нужна помощь?"),
        ("hu", "Kinek van szüksége segítségre?"),
        ("uk", "Кому потрібна допомога?"),
    ],
)
def test_the_help_form_speaks_the_tenant_languages(client, balti, language, text):
    assert text in client.get("/balti/help/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
