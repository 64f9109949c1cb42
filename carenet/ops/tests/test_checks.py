"""The production settings are checked at start (``manage.py check --deploy``): each missing value is named
with what to set, never left to fail later."""

from __future__ import annotations

from carenet.ops.checks import production_settings


def test_a_configured_installation_passes(settings):
    settings.ALLOWED_HOSTS = ["servicii.primaria.ro"]
    settings.CARENET_AUDIT_KEY = "k" * 50
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "mail.primaria.ro"
    settings.DEFAULT_FROM_EMAIL = "carenet@primaria.ro"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CARENET_TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.CARENET_BACKUP_PUBLIC_KEY = "/etc/carenet/backup.pub.asc"
    assert production_settings() == []


def test_each_missing_value_is_named(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    settings.CARENET_AUDIT_KEY = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    settings.DEFAULT_FROM_EMAIL = "CareNet <noreply@carenet.local>"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CARENET_TRUSTED_PROXIES = []
    settings.CARENET_BACKUP_PUBLIC_KEY = ""
    found = {c.id: c for c in production_settings()}
    assert set(found) == {f"carenet.{code}" for code in ("E001", "E002", "W003", "W004", "W005", "W006")}
    assert "ALLOWED_HOSTS" in found["carenet.E001"].hint
    assert found["carenet.E001"].is_serious() and not found["carenet.W003"].is_serious()
