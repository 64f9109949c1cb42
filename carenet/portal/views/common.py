"""What the portal's pages share: the public shell, the municipality of a page, the browser token."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from carenet.core.models import Municipality

COOKIE_MAX_AGE = 365 * 24 * 3600


def portal_context(request: HttpRequest, municipality: Municipality, **extra: Any) -> dict[str, Any]:
    """The public shell: the URL's municipality, and its official languages offered first."""
    official = list(municipality.official_languages or [])
    languages = sorted(
        settings.LANGUAGES,
        key=lambda lang: (lang[0] not in official, official.index(lang[0]) if lang[0] in official else 0),
    )
    return {"tenant": municipality, "municipality": municipality, "shell_languages": languages, **extra}


def staff_municipality(request: HttpRequest) -> Municipality:
    """The signed-in staff member's own municipality (platform admins without one are refused)."""
    municipality = getattr(request.user, "municipality", None)
    if municipality is None:
        raise PermissionDenied
    return municipality


def public_municipality(request: HttpRequest) -> Municipality:
    municipality = getattr(request, "public_municipality", None)
    if municipality is None:  # pragma: no cover  (TenantMiddleware sets it for every slug URL)
        raise Http404
    return municipality


def person_token(request: HttpRequest, cookie: str) -> str:
    """The browser's one-time token for surveys and idea support (see services.survey_answer)."""
    token = request.COOKIES.get(cookie, "")
    return token if 20 <= len(token) <= 64 else ""


def set_person_token(response: HttpResponse, cookie: str, token: str) -> None:
    response.set_cookie(cookie, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax")
