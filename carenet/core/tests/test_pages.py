import pytest


@pytest.mark.parametrize("language", ["ro", "ru", "hu", "uk", "en"])
def test_home_page_answers_in_every_language(client, baia_mare, balti, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_home_page_is_romanian_by_default(client, baia_mare):
    html = client.get("/").content.decode()
    assert '<html lang="ro">' in html
    assert "Alegeți municipiul" in html


def test_production_settings_refuse_the_dev_secret_key(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    import config.settings.base as base

    importlib.reload(base)
    with pytest.raises(ImproperlyConfigured):
        import config.settings.production as production

        importlib.reload(production)


def test_pages_need_sign_in(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_home_page_leads_to_each_municipalitys_portal(client, baia_mare, balti):
    html = client.get("/").content.decode()
    assert 'href="/baia-mare/"' in html and 'href="/balti/"' in html
    assert client.get("/baia-mare/").status_code == 200
