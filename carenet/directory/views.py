"""Staff pages of the directory: providers keep their own records; coordinators watch freshness."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.capacity import with_live_places

from .datapackage import import_file
from .forms import ImportForm, LocationForm, ServiceForm
from .permissions import (
    can_change_service,
    can_verify_service,
    location_for,
    may_import_directory,
    may_view_freshness_report,
    organisation_for_new_service,
    service_for,
)
from .selectors import freshness_summary, service_list, service_with_details, stale_services
from .services import location_update, service_create, service_update, service_verify


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
            "show_freshness_link": may_view_freshness_report(request.user),
            "show_import_link": may_import_directory(request.user),
        },
    )


@login_required
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = service_with_details(service=service_for(request.user, service_id))
    with_live_places([service], municipality=service.municipality_id)
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


def _form_page(request: HttpRequest, form: ServiceForm, service=None, organisation=None) -> HttpResponse:
    template = "directory/_service_form.html" if request.htmx else "directory/service_form.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "service": service, "organisation": organisation})


@login_required
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = service_for(request.user, service_id, action="change")
    # The service's own municipality: the platform administrator has none (issue 26, Low 13).
    form = ServiceForm(request.POST or None, instance=service, municipality=service.municipality)
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
    organisation = organisation_for_new_service(request.user, organisation_id)
    form = ServiceForm(request.POST or None, municipality=organisation.municipality)
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
    service = service_for(request.user, service_id, action="verify")
    service_verify(actor=request.user, service=service)
    messages.success(request, _("Marked as checked today."))
    return redirect("directory:service", service_id=service.pk)


@requires(may_view_freshness_report, platform_admin=False)
def freshness(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality  # type: ignore[attr-defined]
    return render(
        request,
        "directory/freshness.html",
        {"summary": freshness_summary(municipality=municipality), "stale": stale_services(municipality=municipality)},
    )


@login_required
def location_edit(request: HttpRequest, location_id: str) -> HttpResponse:
    location = location_for(request.user, location_id, action="change")
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            location_update(actor=request.user, location=location, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The location was saved."))
            return redirect("directory:services")
    return render(request, "directory/location_form.html", {"form": form, "location": location})


@requires(may_import_directory, platform_admin=False)
def directory_import(request: HttpRequest) -> HttpResponse:
    """A coordinator adds an HSDS 3.0 package to the municipality's directory: all of it, or nothing."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_file(
            actor=request.user,
            municipality=request.municipality,  # type: ignore[attr-defined]
            content=upload.read(),
            filename=upload.name,
        )
        if report.ok:
            messages.success(request, _("The package is imported."))
        else:
            form.add_error("file", [_("The file was refused; nothing was imported."), *report.errors])
    return render(request, "directory/import.html", {"form": form, "report": report})
