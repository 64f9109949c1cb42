from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from carenet.core.policy import actor_of

# The API answers for itself: its session authentication takes only a session that passed the second
# factor, and an unauthenticated call is a 401 (carenet/api/authentication.py), never a redirect.
_ALWAYS_ALLOWED = ("/static/", "/account/2fa/", "/account/logout/", "/i18n/", "/api/")


class RequireSecondFactorMiddleware:
    """A user with a TOTP device must present a code after the password; where the setting is on
    (production), staff roles that see personal data must have set one up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        needs_check = user.is_authenticated and not request.path.startswith(_ALWAYS_ALLOWED)
        if needs_check and not user.is_verified():  # type: ignore[union-attr]
            if user_has_device(user, confirmed=True):
                return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
            if settings.CARENET_REQUIRE_2FA and actor_of(user).sees_personal_data:
                return redirect("accounts:otp_setup")
        return self.get_response(request)
