"""Staff pages of the directory: providers keep their own records; coordinators watch freshness."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.accounts.permissions import organisations_visible_to

from .forms import ServiceForm
from .permissions import can_change_service, can_create_service_for, can_verify_service, can_view_freshness_report
from .selectors import freshness_summary, service_detail_prefetch, service_get, service_list, stale_services
from .services import service_create, service_update, service_verify


@login_required
def services(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    mine = request.GET.get("mine") == "1"
    rows = service_list(user=request.user, query=query, mine=mine)
    languages = list(request.municipality.official_languages or []) if request.municipality else []  # type: ignore[attr-defined]
    items = [
        {
            "service": s,
            "missing": s.missing_translations(languages),
            "can_change": can_change_service(request.user, s),
        }
        for s in rows[:300]
    ]
    return render(
        request,
        "directory/services.html",
        {
            "items": items,
            "q": query,
            "mine": mine,
            "total": len(items),
            "show_freshness_link": can_view_freshness_report(request.user, request.municipality),  # type: ignore[attr-defined]
        },
    )


@login_required
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = service_get(user=request.user, service_id=service_id)
    service = service_detail_prefetch(type(service).plain.filter(pk=service.pk)).get()
    languages = list(service.municipality.official_languages or [])
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "lang": get_language(),
            "missing": service.missing_translations(languages),
            "can_change": can_change_service(request.user, service),
            "can_verify": can_verify_service(request.user, service),
        },
    )


def _form_page(request: HttpRequest, form: ServiceForm, service=None, organisation=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    template = "directory/_service_form.html" if request.htmx else "directory/service_form.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "service": service, "organisation": organisation})


@login_required
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = service_get(user=request.user, service_id=service_id)
    if not can_change_service(request.user, service):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, instance=service, municipality=request.municipality)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid() and not request.headers.get("X-Validate-Only"):
        try:
            service_update(
                actor=request.user, service=service, data=form.service_data(), terms=list(form.cleaned_data["terms"])
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("directory:service", service_id=service.pk)
    return _form_page(request, form, service=service)


@login_required
def service_new(request: HttpRequest, organisation_id: str) -> HttpResponse:
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=organisation_id)
    if not can_create_service_for(request.user, organisation):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, municipality=request.municipality)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid() and not request.headers.get("X-Validate-Only"):
        try:
            service = service_create(
                actor=request.user,
                organisation=organisation,
                data=form.service_data(),
                terms=list(form.cleaned_data["terms"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service was added to the directory."))
            return redirect("directory:service", service_id=service.pk)
    return _form_page(request, form, organisation=organisation)


@login_required
@require_POST
def service_verify_view(request: HttpRequest, service_id: str) -> HttpResponse:
    service = service_get(user=request.user, service_id=service_id)
    if not can_verify_service(request.user, service):
        raise PermissionDenied
    service_verify(actor=request.user, service=service)
    messages.success(request, _("Marked as checked today."))
    return redirect("directory:service", service_id=service.pk)


@login_required
def freshness(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality  # type: ignore[attr-defined]
    if municipality is None or not can_view_freshness_report(request.user, municipality):
        raise PermissionDenied
    return render(
        request,
        "directory/freshness.html",
        {"summary": freshness_summary(municipality=municipality), "stale": stale_services(municipality=municipality)},
    )
