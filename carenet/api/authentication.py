"""How the API knows its caller (decision 0012): a personal token, or a session that passed the second factor.

HTTP Basic is gone (issue 26, High 2): a password alone never reaches the API. An unauthenticated call is a
401 with ``WWW-Authenticate: Bearer`` (the token class answers first, so its challenge is the one sent).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from carenet.accounts.models import ApiScope, ApiToken
from carenet.accounts.otp import passes_second_factor
from carenet.accounts.selectors import api_token_by_key
from carenet.accounts.services import api_token_used


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer cn_…``: a live personal token (not expired, not revoked, its user active)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is not a bearer token."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        token = api_token_by_key(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        api_token_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF on writes, only once it passed the second factor."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None or not passes_second_factor(result[0]):
            return None
        return result


class TokenScope(permissions.BasePermission):
    """A token reads with the ``read`` scope and writes with ``write``; a session is not limited here."""

    message = _("This token may not do this: its scopes do not allow it.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        needed = ApiScope.READ if request.method in permissions.SAFE_METHODS else ApiScope.WRITE
        return needed in token.scopes


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "carenet.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "carenet.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
