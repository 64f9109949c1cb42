"""Refusals, one status code each (docs/architecture.md §3)::

    assert_refused(client, url, NOT_FOUND)        # a record of another provider or municipality
    assert_refused(client, url, FORBIDDEN)        # a visible record, or a staff page, above the user's role
    assert_refused(client, url, LOGIN_REDIRECT)   # an anonymous visitor: 302 to the login page
    assert_refused(api, url, UNAUTHORIZED)        # the API without a token

A refusal test names the one code it expects; the helpers refuse a tuple ("403 or 404").
"""

from __future__ import annotations

from typing import Any

LOGIN_REDIRECT = 302
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404


def assert_refused(client: Any, url: str, status: int, *, method: str = "get", data: Any = None, **extra: Any) -> Any:
    """Request ``url`` and assert the refusal's one status code; a 302 must lead to the login page.
    Returns the response. ``method`` is the client's method name (``"post"``, ``"delete"`` …)."""
    if not isinstance(status, int) or status not in (LOGIN_REDIRECT, UNAUTHORIZED, FORBIDDEN, NOT_FOUND):
        raise TypeError(f"a refusal has one status code of 302, 401, 403 or 404, not {status!r}")
    send = getattr(client, method)
    response = send(url, data, **extra) if data is not None else send(url, **extra)
    assert response.status_code == status, (
        f"{method.upper()} {url}: expected the refusal {status}, got {response.status_code}"
    )
    if status == LOGIN_REDIRECT:
        from django.conf import settings
        from django.shortcuts import resolve_url

        login = resolve_url(settings.LOGIN_URL)
        assert response["Location"].startswith(login), f"{url} redirects to {response['Location']}, not to {login}"
    return response


def assert_login_required(client: Any, url: str, *, method: str = "get", data: Any = None) -> Any:
    """An anonymous visitor is sent to the login page (302), never shown the page."""
    return assert_refused(client, url, LOGIN_REDIRECT, method=method, data=data)
