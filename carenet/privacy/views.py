"""The coordinator's privacy pages: requests, legal holds, the retention schedule and its runs, and a
person's subject-access export. Thin: parse, one fetch-and-check, one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read
from carenet.core.access import requires
from carenet.core.models import Municipality
from carenet.core.policy import actor_of

from . import selectors, services
from .forms import DeadlineForm, DecisionForm, ExportForm, HoldForm, RequestForm, RuleForm
from .permissions import can_manage_privacy, hold_for, person_for_privacy, request_for
from .texts import ground_text, kind_label

coordinator_page = requires(can_manage_privacy, platform_admin=False)


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@coordinator_page
def privacy_home(request: HttpRequest) -> HttpResponse:
    rows = selectors.subject_requests(user=request.user)
    return render(
        request,
        "privacy/home.html",
        {
            "rows": rows,
            "overdue": sum(1 for r in rows if r.overdue),
            "holds": selectors.legal_holds(user=request.user, active_only=True)[:100],
        },
    )


@coordinator_page
def schedule_page(request: HttpRequest) -> HttpResponse:
    context = selectors.schedule(user=request.user)
    context["in_force_rows"] = [(kind_label(k), rule) for k, rule in context["in_force"].items()]
    return render(request, "privacy/schedule.html", context)


@coordinator_page
def rule_add(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_rule_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The new version of the rule is saved."))
            return redirect("privacy:schedule")
    return render(request, "privacy/form.html", {"form": form, "title": _("New version of a retention rule")})


@coordinator_page
def deadline_set(request: HttpRequest) -> HttpResponse:
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_deadline_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The new deadline is saved."))
            return redirect("privacy:schedule")
    return render(request, "privacy/form.html", {"form": form, "title": _("New deadline for answering requests")})


@coordinator_page
@require_POST
def defaults_install(request: HttpRequest) -> HttpResponse:
    municipality = Municipality.objects.get(pk=actor_of(request.user).municipality_id)
    created = services.retention_defaults_install(municipality=municipality, actor=request.user)
    messages.success(request, _("Rules added from the defaults: %(count)s.") % {"count": created})
    return redirect("privacy:schedule")


@coordinator_page
def runs_page(request: HttpRequest) -> HttpResponse:
    runs = [
        {
            "run": run,
            "lines": [(kind_label(k), line) for k, line in (run.report.get("kinds") or {}).items()],
            "no_rule": [kind_label(k) for k in run.report.get("no_rule", [])],
        }
        for run in selectors.retention_runs(user=request.user)
    ]
    return render(request, "privacy/runs.html", {"runs": runs})


@coordinator_page
@require_POST
def run_now(request: HttpRequest) -> HttpResponse:
    services.retention_run(municipality=actor_of(request.user).municipality_id, actor=request.user)
    messages.success(request, _("The retention schedule was applied; the report is below."))
    return redirect("privacy:runs")


@login_required
def person_privacy(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_for_privacy(request.user, person_id)
    audit_read(actor=request.user, obj=person, purpose="privacy")
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "export_form": ExportForm(initial={"language": get_language()}),
            "rows": selectors.subject_requests(user=request.user, person_id=person.pk),
            "holds": selectors.legal_holds(user=request.user, person_id=person.pk),
            "kept": [ground_text(g) for g in selectors.what_the_law_keeps(person=person)],
        },
    )


def _export(request: HttpRequest, person_id: str, fmt: str) -> HttpResponse:
    person = person_for_privacy(request.user, person_id)
    form = ExportForm(request.GET or None)
    language = form.cleaned_data["language"] if form.is_valid() else (get_language() or "ro")
    content = services.subject_access_export(actor=request.user, person=person, fmt=fmt, language=language)
    content_type = "application/pdf" if fmt == "pdf" else "application/json; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="carenet-subject-access-{person.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def access_pdf(request: HttpRequest, person_id: str) -> HttpResponse:
    return _export(request, person_id, "pdf")


@login_required
def access_json(request: HttpRequest, person_id: str) -> HttpResponse:
    return _export(request, person_id, "json")


@login_required
def request_new(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_for_privacy(request.user, person_id)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject_request = services.subject_request_register(
                actor=request.user,
                person=person,
                kind=form.cleaned_data["kind"],
                received_on=form.cleaned_data["received_on"],
                details=form.cleaned_data["details"],
                corrections=form.corrections(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The request is registered."))
            return redirect("privacy:request_detail", subject_request.pk)
    return render(
        request, "privacy/form.html", {"form": form, "person": person, "title": _("Register a request of the person")}
    )


@login_required
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    subject_request = request_for(request.user, request_id)
    return render(
        request,
        "privacy/request.html",
        {
            "r": subject_request,
            "overdue": selectors.is_overdue(subject_request),
            "form": DecisionForm(),
            "grounds": [ground_text(g) for g in subject_request.grounds],
            "kept": [ground_text(g) for g in selectors.what_the_law_keeps(person=subject_request.person)]
            if subject_request.kind == "erasure"
            else [],
        },
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, request_id: str) -> HttpResponse:
    subject_request = request_for(request.user, request_id, action="change")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.subject_request_decide(
                actor=request.user,
                request=subject_request,
                grant=form.cleaned_data["decision"] == "grant",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("privacy:request_detail", subject_request.pk)
    return render(
        request,
        "privacy/request.html",
        {
            "r": subject_request,
            "overdue": selectors.is_overdue(subject_request),
            "form": form,
            "grounds": [],
            "kept": [],
        },
        status=400,
    )


@login_required
def hold_new(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_for_privacy(request.user, person_id)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The legal hold is placed: the person's records are kept until it is lifted."))
            return redirect("privacy:person", person.pk)
    return render(request, "privacy/form.html", {"form": form, "person": person, "title": _("Place a legal hold")})


@login_required
@require_POST
def hold_lift(request: HttpRequest, hold_id: str) -> HttpResponse:
    hold = hold_for(request.user, hold_id, action="change")
    try:
        services.legal_hold_lift(actor=request.user, hold=hold)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The legal hold is lifted."))
    return redirect("privacy:person", hold.person_id)
