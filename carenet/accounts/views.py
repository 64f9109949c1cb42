from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from carenet.audit.services import audit_record
from carenet.core import ratelimit
from carenet.core.access import fetch, requires
from carenet.core.form_errors import apply_errors as _apply_errors
from carenet.core.middleware import client_ip

from . import lockout, services
from .forms import ApiTokenForm, RoleGrantForm, TokenForm, UserCreateForm
from .otp import base32_key, confirm_device, may_change_device, pending_device, qr_svg, verify_login
from .permissions import (
    api_token_for,
    can_change_organisation,
    can_manage_users,
    membership_for,
    organisation_for,
    user_for,
)
from .selectors import (
    api_token_list,
    grantable_organisations,
    organisation_list,
    organisation_members,
    own_memberships,
    user_list,
    user_roles,
)
from .sessions import end_other_sessions, user_session_end, user_sessions


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def too_many(request: HttpRequest, *, retry_after: int = 3600) -> HttpResponse:
    response = render(request, "accounts/too_many.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Throttled per address and per e-mail asked for, in the shared cache (issue 26, Low 10): the
    answer is the same whether the address has an account or not."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limits = settings.CARENET_PASSWORD_RESET_LIMITS
        address = client_ip(request) or "unknown"
        email = str(request.POST.get("email", "")).strip().lower()[:254]
        by_address = ratelimit.hit("password-reset-ip", address, limit=limits["address"], window=3600)
        by_email = ratelimit.hit("password-reset-email", email, limit=limits["email"], window=3600)
        if not (by_address and by_email):
            return too_many(request)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in user changes their own password (issue 26, Low 12): audited; their other sessions end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        end_other_sessions(request=self.request)
        audit_record(action="auth.password_change", actor=self.request.user)
        messages.success(self.request, _("Your password is changed. Your other sessions have ended."))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {"memberships": own_memberships(user=request.user), "has_2fa": user_has_device(request.user, confirmed=True)},
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    if not may_change_device(request):
        # Adding or replacing a device takes the present one first (issue 26, High 1).
        return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm_device(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-step sign-in is on for your account."))
            return redirect("accounts:account")
        form.add_error("token", _("This code is not right. Check the time on your phone and try again."))
    return render(
        request, "accounts/otp_setup.html", {"form": form, "qr": qr_svg(device), "secret": base32_key(device)}
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_login(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request, str(reverse_lazy("core:dashboard"))))
        form.add_error("token", _("This code is not right. Check the time on your phone and try again."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "accounts/organisations.html",
        {"organisations": organisation_list(user=request.user, query=query), "q": query},
    )


@login_required
def organisation_detail(request: HttpRequest, organisation_id: str) -> HttpResponse:
    org = organisation_for(request.user, organisation_id)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "org": org,
            "members": organisation_members(user=request.user, organisation=org),
            "can_change": can_change_organisation(request.user, org),
        },
    )


# --- users and roles of the municipality (the coordinator's staff page) ------------------------------------
# Every write goes through accounts.services (audited, one municipality); a coordinator of another
# municipality gets 404 for these accounts (user_for), a user without the coordinator's role 403.


@requires(can_manage_users, platform_admin=False)
def users(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    return render(request, "accounts/users.html", {"accounts": user_list(user=request.user, query=query), "q": query})


@requires(can_manage_users, platform_admin=False)
def user_new(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.user_create(
                actor=request.user,
                municipality=getattr(request.user, "municipality", None),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The account is created. Its owner sets a password with “Forgot your password?” on the sign-in page."
                ),
            )
            return redirect("accounts:user", user_id=account.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_new.html", {"form": form}, status=status)


def _user_page(
    request: HttpRequest, account: Any, form: RoleGrantForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "account": account,
        "roles": user_roles(user=request.user, account=account),
        "form": form or RoleGrantForm(organisations=grantable_organisations(user=request.user)),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@requires(can_manage_users, platform_admin=False)
def user_detail(request: HttpRequest, user_id: str) -> HttpResponse:
    return _user_page(request, user_for(request.user, user_id))


@requires(can_manage_users, platform_admin=False)
@require_POST
def role_grant(request: HttpRequest, user_id: str) -> HttpResponse:
    account = user_for(request.user, user_id)
    form = RoleGrantForm(request.POST, organisations=grantable_organisations(user=request.user))
    if form.is_valid():
        try:
            services.membership_grant(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The role is granted."))
            return redirect("accounts:user", user_id=account.uuid)
    return _user_page(request, account, form, status=400)


@requires(can_manage_users, platform_admin=False)
@require_POST
def role_revoke(request: HttpRequest, user_id: str, membership_id: str) -> HttpResponse:
    account = user_for(request.user, user_id)
    services.membership_revoke(actor=request.user, membership=membership_for(request.user, account, membership_id))
    messages.success(request, _("The role is revoked."))
    return redirect("accounts:user", user_id=account.uuid)


# --- personal API tokens (decision 0012) --------------------------------------------------------------------


def _session_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _tokens_page(request: HttpRequest, form: ApiTokenForm, *, raw_token: str = "", status: int = 200) -> HttpResponse:
    context = {
        "tokens": api_token_list(user=request.user),
        "form": form,
        "raw_token": raw_token,
        "verified": _session_verified(request),
    }
    return render(request, "accounts/api_tokens.html", context, status=status)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    return _tokens_page(request, ApiTokenForm())


@login_required
@require_POST
def api_token_new(request: HttpRequest) -> HttpResponse:
    if not _session_verified(request):
        # Only a session that passed the second factor makes a token (issue 26, High 2).
        raise PermissionDenied
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = services.api_token_create(actor=request.user, verified=True, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            # Shown once, on this answer; never stored, never in a redirect.
            return _tokens_page(request, ApiTokenForm(), raw_token=raw)
    return _tokens_page(request, form, status=400)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    services.api_token_revoke(actor=request.user, token=api_token_for(request.user, token_id))
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:api_tokens")


# --- the user's own sessions (issue 26, Medium 8) ------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": list(user_sessions(user=request.user)), "current": request.session.session_key},
    )


@login_required
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    session = fetch(request.user, user_sessions(user=request.user), session_id)
    user_session_end(actor=request.user, session=session)
    if session.session_key == request.session.session_key:
        return redirect("accounts:login")
    messages.success(request, _("The session is ended."))
    return redirect("accounts:sessions")


# --- unlocking a locked account by e-mail (issue 26, Low 11) ------------------------------------------------


@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    lockout.unlock_link_send(request=request, username=str(request.POST.get("username", ""))[:150])
    return render(request, "accounts/unlock_sent.html")


def unlock_with(request: HttpRequest, token: str) -> HttpResponse:
    if not lockout.unlock_with(token):
        return render(request, "accounts/unlock_invalid.html", status=400)
    messages.success(request, _("Your account is unlocked. Sign in."))
    return redirect("accounts:login")
