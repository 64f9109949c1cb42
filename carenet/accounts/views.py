from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .forms import TokenForm
from .otp import confirm_device, pending_device, qr_svg, verify_login
from .permissions import can_change_organisation, memberships_visible_to
from .selectors import organisation_get, organisation_list, organisation_members


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


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
    memberships = memberships_visible_to(request.user).filter(user_id=request.user.pk).select_related("organisation")
    return render(
        request,
        "accounts/account.html",
        {"memberships": memberships, "has_2fa": user_has_device(request.user, confirmed=True)},
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm_device(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-step sign-in is on for your account."))
            return redirect("accounts:account")
        form.add_error("token", _("This code is not right. Check the time on your phone and try again."))
    return render(
        request, "accounts/otp_setup.html", {"form": form, "qr": qr_svg(device), "secret": device.bin_key.hex()}
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
    org = organisation_get(user=request.user, organisation_id=organisation_id)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "org": org,
            "members": organisation_members(user=request.user, organisation=org),
            "can_change": can_change_organisation(request.user, org),
        },
    )
