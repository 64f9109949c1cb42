"""Staff pages of the directory: providers keep their own records; coordinators watch freshness."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.capacity import with_live_places
from carenet.core.form_errors import apply_errors as _add_errors
from carenet.core.jobs import job_can_retry
from carenet.core.models import JobStatus

from . import feeds_selectors
from .datapackage.read import max_bytes
from .forms import HsdsSourceForm, ImportForm, LocationForm, PushTargetForm, ServiceForm
from .permissions import (
    can_change_service,
    can_verify_service,
    hsds_pull_for,
    hsds_source_for,
    import_job_for,
    location_for,
    may_import_directory,
    may_view_freshness_report,
    organisation_for_new_service,
    service_for,
)
from .selectors import freshness_summary, service_list, service_with_details, stale_services
from .services import (
    hsds_pull_apply,
    hsds_pull_reject,
    hsds_source_save,
    import_job_start,
    location_update,
    push_target_save,
    service_create,
    service_update,
    service_verify,
)
from .tasks import pull_now
from .uploads import stream_to_disk


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


@csrf_exempt  # the upload handlers are set before the body is read; the CSRF check follows (_directory_import)
@requires(may_import_directory, platform_admin=False)
def directory_import(request: HttpRequest) -> HttpResponse:
    """A coordinator adds an HSDS 3.0 package to the municipality's directory: all of it, or nothing. The upload
    is streamed to disk (refused at the size limit), then imported by a background job whose page shows its
    progress and its result."""
    stream_to_disk(request)
    return _directory_import(request)


@csrf_protect
def _directory_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    refused = getattr(request, "carenet_upload_refused", None)
    if request.method == "POST" and refused is not None:
        refusal = _("%(file)s is too large: an import reads at most %(limit)s MB.") % {
            "file": refused or _("The file"),
            "limit": round(max_bytes() / 1_000_000, 1),
        }
        return render(request, "directory/import.html", {"form": ImportForm(), "refusal": refusal}, status=413)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_start(
                actor=request.user,
                municipality=request.municipality,  # type: ignore[attr-defined]
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("directory:import_job", job_id=job.pk)
    return render(request, "directory/import.html", {"form": form})


@requires()
def directory_import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """The import's progress (the page polls itself while it runs) and its result: counts and warnings, or the
    errors naming file, row and field (or JSON path)."""
    job = import_job_for(request.user, job_id)
    done = job.status in (JobStatus.DONE, JobStatus.FAILED)
    context = {"job": job, "done": done, "result": job.result or {}, "can_retry": job_can_retry(request.user, job)}
    template = "directory/_import_job.html" if request.htmx else "directory/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# --- the feeds: sources pulled every night (a diff for the coordinator), the push of the municipality's own ------


@requires(may_import_directory, platform_admin=False)
def feeds(request: HttpRequest) -> HttpResponse:
    """The coordinator's page of the feeds: the sources and what waits for a decision, the push and its log."""
    return render(
        request,
        "directory/feeds.html",
        {
            "sources": feeds_selectors.hsds_sources(user=request.user),
            "waiting": feeds_selectors.hsds_pulls_waiting(user=request.user),
            "target": feeds_selectors.push_target(user=request.user),
            "log": feeds_selectors.push_log(user=request.user),
        },
    )


@requires(may_import_directory, platform_admin=False)
def source_new(request: HttpRequest) -> HttpResponse:
    form = HsdsSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = hsds_source_save(
                actor=request.user,
                municipality=request.municipality,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The source is saved."))
            return redirect("directory:source", source_id=source.pk)
    return render(request, "directory/source_form.html", {"form": form})


@requires()
def source_detail(request: HttpRequest, source_id: str) -> HttpResponse:
    source = hsds_source_for(request.user, source_id)
    initial = {"name": source.name, "url": source.url, "pull_enabled": source.pull_enabled}
    form = HsdsSourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hsds_source_save(
                actor=request.user, municipality=source.municipality_id, source=source, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The source is saved."))
            return redirect("directory:source", source_id=source.pk)
    return render(
        request,
        "directory/source_detail.html",
        {"source": source, "form": form, "pulls": feeds_selectors.hsds_pulls(source=source)},
    )


@requires()
@require_POST
def source_pull_now(request: HttpRequest, source_id: str) -> HttpResponse:
    source = hsds_source_for(request.user, source_id)
    if not source.url:
        messages.error(request, _("The source has no URL to pull."))
        return redirect("directory:source", source_id=source.pk)
    pull_now(str(source.pk))
    messages.success(request, _("The feed is being pulled; its diff appears below when it is read."))
    return redirect("directory:source", source_id=source.pk)


@requires()
def pull_detail(request: HttpRequest, pull_id: str) -> HttpResponse:
    pull = hsds_pull_for(request.user, pull_id)
    resource = request.GET.get("resource", "")[:40]
    kind = request.GET.get("kind", "") if request.GET.get("kind") in feeds_selectors.KINDS else ""
    page = feeds_selectors.pull_diff_page(pull=pull, resource=resource, kind=kind, page=request.GET.get("page", 1))
    querystring = urlencode({k: v for k, v in (("resource", resource), ("kind", kind)) if v})
    return render(
        request,
        "directory/pull_detail.html",
        {
            "pull": pull,
            "page": page,
            "resource": resource,
            "kind": kind,
            "querystring": querystring,
            "resources": [
                (name, feeds_selectors.resource_label(name), counts)
                for name, counts in sorted((pull.summary or {}).get("resources", {}).items())
            ],
        },
    )


@requires()
@require_POST
def pull_apply(request: HttpRequest, pull_id: str) -> HttpResponse:
    pull = hsds_pull_for(request.user, pull_id)
    try:
        hsds_pull_apply(actor=request.user, pull=pull)
    except ValidationError as exc:
        for text in exc.messages[:20]:
            messages.error(request, text)
    else:
        messages.success(request, _("The changes are applied to the directory."))
    return redirect("directory:pull", pull_id=pull.pk)


@requires()
@require_POST
def pull_reject(request: HttpRequest, pull_id: str) -> HttpResponse:
    pull = hsds_pull_for(request.user, pull_id)
    try:
        hsds_pull_reject(actor=request.user, pull=pull)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The changes are rejected; the directory is unchanged."))
    return redirect("directory:pull", pull_id=pull.pk)


@requires(may_import_directory, platform_admin=False)
def push_settings(request: HttpRequest) -> HttpResponse:
    target = feeds_selectors.push_target(user=request.user)
    initial = {"url": target.url, "enabled": target.enabled} if target else {"enabled": True}
    form = PushTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            push_target_save(
                actor=request.user,
                municipality=request.municipality,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The push target is saved."))
            return redirect("directory:feeds")
    return render(
        request,
        "directory/push_form.html",
        {"form": form, "target": target, "has_token": bool(target and target.token)},
    )
