"""What a production installation must set, as Django system checks (``manage.py check --deploy``, which
the service's start runs first: docs/admin-guide.md): a clear message at start, not a 500 or a silent gap
later. Errors stop the start; warnings name what is degraded."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    found: list[Any] = []
    hosts = set(settings.ALLOWED_HOSTS)
    if not hosts or hosts <= LOCAL_HOSTS:
        found.append(
            Error(
                "ALLOWED_HOSTS names only this machine: pages served under the site's name would all fail.",
                hint="Set ALLOWED_HOSTS to the site's name, e.g. ALLOWED_HOSTS=servicii.primaria.ro",
                id="carenet.E001",
            )
        )
    if not getattr(settings, "CARENET_AUDIT_KEY", ""):
        found.append(
            Error(
                "CARENET_AUDIT_KEY is not set: the audit log's daily checkpoints cannot be signed.",
                hint="Set CARENET_AUDIT_KEY to 40+ random characters kept outside the database.",
                id="carenet.E002",
            )
        )
    backend = settings.EMAIL_BACKEND
    if backend.endswith("smtp.EmailBackend") and settings.EMAIL_HOST in LOCAL_HOSTS:
        found.append(
            Warning(
                "E-mail goes to an SMTP server on this machine (EMAIL_HOST=localhost): password resets and "
                "reminders are lost unless one runs here.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).",
                id="carenet.W003",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.endswith(".local>") or settings.DEFAULT_FROM_EMAIL.endswith(".local"):
        found.append(
            Warning(
                "DEFAULT_FROM_EMAIL is the placeholder address: mail servers refuse or junk it.",
                hint="Set DEFAULT_FROM_EMAIL to an address of the municipality's domain.",
                id="carenet.W004",
            )
        )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not getattr(settings, "CARENET_TRUSTED_PROXIES", []):
        found.append(
            Warning(
                "No trusted reverse proxy is set: behind nginx every visitor has the proxy's address, so sign-in "
                "limits and the audit log see one address for everyone.",
                hint="Set CARENET_TRUSTED_PROXIES to the proxy's address (e.g. 127.0.0.1/32).",
                id="carenet.W005",
            )
        )
    if not getattr(settings, "CARENET_BACKUP_PUBLIC_KEY", ""):
        found.append(
            Warning(
                "No backup key is set: manage.py backup cannot encrypt, so no backup is made.",
                hint="Set CARENET_BACKUP_PUBLIC_KEY to the path of the municipality's armored GPG public key.",
                id="carenet.W006",
            )
        )
    return found
