"""Pages of case management. Thin: each step is a form posted to one service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read, audit_record
from carenet.directory.models import Service
from carenet.people.selectors import person_get
from carenet.people.uploads import CONTENT_TYPES, extension_of

from . import forms, services
from .models import CaseDocument, CaseStatus, MonitoringDuty, PlanStatus, Task
from .permissions import (
    can_approve_case,
    can_change_case,
    can_view_case_detail,
    organisations_for_new_case,
)
from .selectors import (
    approvals_waiting,
    case_get,
    case_plan,
    case_related,
    case_search,
    my_cases,
    my_duties,
    my_tasks,
    supervisor_overdue_duties,
)


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The caseworker's desk: my open cases, my due tasks and monitoring duties, what waits for my approval."""
    user = request.user
    context = {
        "cases": my_cases(user=user),
        "tasks": my_tasks(user=user),
        "duties": my_duties(user=user),
        "overdue": supervisor_overdue_duties(user=user),
        "approvals": approvals_waiting(user=user),
        "today": timezone.localdate(),
    }
    return render(request, "cases/workspace.html", context)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "open")[:10]
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": case_search(user=request.user, query=query, status=status),
            "q": query,
            "status": status,
            "statuses": CaseStatus.choices,
        },
    )


@login_required
def case_new(request: HttpRequest, person_id: str) -> HttpResponse:
    """Intake: open a case for a person found (or registered) through the duplicate check."""
    person = person_get(user=request.user, person_id=person_id)
    org_ids = organisations_for_new_case(request.user)
    if not org_ids:
        raise PermissionDenied
    form = forms.CaseOpenForm(request.POST or None, municipality=person.municipality_id, organisation_ids=org_ids)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The case is opened."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request, "cases/form.html", {"form": form, "title": _("Open a case"), "back": person, "subject": person}
    )


@login_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    audit_read(actor=request.user, obj=case, purpose=request.GET.get("purpose", "")[:200])
    detail = can_view_case_detail(request.user, case)
    context: dict[str, Any] = {
        "case": case,
        "detail": detail,
        "can_change": can_change_case(request.user, case),
        "can_approve": can_approve_case(request.user, case),
        "events": case.events.select_related("actor")[:50],
    }
    if detail:
        context.update(
            inquiries=case.inquiries.all(),
            plans=case.plans.prefetch_related("actions").select_related("approved_by"),
            assessments=case.assessments.all(),
            notes=case.notes.select_related("author")[:30],
            documents=case.documents.all(),
            tasks=case.tasks.select_related("assignee"),
            duties=case.duties.select_related("responsible").prefetch_related("visits"),
            deliveries=case.deliveries.select_related("service").order_by("-delivered_on")[:30],
            actions=_available_actions(case),
        )
    return render(request, "cases/case_detail.html", context)


@dataclass(frozen=True)
class Step:
    form: type
    title: Any
    save: Callable[[Any, Any, dict[str, Any]], Any]
    versioned: bool = False
    statuses: tuple[str, ...] = ()
    multipart: bool = False


def _draft_plan(case: Any) -> Any:
    plan = case.plans.filter(status=PlanStatus.DRAFT).first()
    if plan is None:
        raise ValidationError(_("Start a plan first."))
    return plan


STEPS: dict[str, Step] = {
    "edit": Step(
        forms.CaseEditForm,
        gettext_lazy("Edit the case"),
        lambda u, c, d: services.case_update(user=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
    ),
    "inquiry": Step(
        forms.InquiryForm,
        gettext_lazy("Social inquiry"),
        lambda u, c, d: services.inquiry_record(user=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
    ),
    "decision": Step(
        forms.DecisionForm,
        gettext_lazy("Decision"),
        lambda u, c, d: services.case_decide(user=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
        statuses=(CaseStatus.INTAKE, CaseStatus.INQUIRY),
    ),
    "contract": Step(
        forms.ContractForm,
        gettext_lazy("Contract"),
        lambda u, c, d: services.contract_sign(user=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
        statuses=(CaseStatus.ADMITTED,),
    ),
    "plan": Step(
        forms.PlanForm,
        gettext_lazy("Individual intervention plan"),
        lambda u, c, d: services.plan_create(user=u, case=c, **d),
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE),
    ),
    "plan_action": Step(
        forms.PlanActionForm,
        gettext_lazy("Add an action to the plan"),
        lambda u, c, d: services.plan_action_add(user=u, plan=_draft_plan(c), **d),
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE),
    ),
    "assessment": Step(
        forms.AssessmentForm,
        gettext_lazy("Assessment"),
        lambda u, c, d: services.assessment_record(user=u, case=c, **d),
    ),
    "closure": Step(
        forms.ClosureForm,
        gettext_lazy("Request closure"),
        lambda u, c, d: services.closure_request(user=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE),
    ),
    "note": Step(forms.NoteForm, gettext_lazy("Add a note"), lambda u, c, d: services.note_add(user=u, case=c, **d)),
    "document": Step(
        forms.DocumentForm,
        gettext_lazy("Upload a document"),
        lambda u, c, d: services.document_upload(user=u, case=c, **d),
        multipart=True,
    ),
    "task": Step(forms.TaskForm, gettext_lazy("Add a task"), lambda u, c, d: services.task_add(user=u, case=c, **d)),
    "duty": Step(
        forms.DutyForm, gettext_lazy("Monitoring duty"), lambda u, c, d: services.duty_add(user=u, case=c, **d)
    ),
    "delivery": Step(
        forms.DeliveryForm,
        gettext_lazy("Record a service delivery"),
        lambda u, c, d: services.delivery_record(user=u, person=c.person, case=c, **d),
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE, CaseStatus.CLOSING),
    ),
}


def _available_actions(case: Any) -> list[tuple[str, Any]]:
    return [(name, step.title) for name, step in STEPS.items() if not step.statuses or case.status in step.statuses]


@login_required
def case_step(request: HttpRequest, case_id: str, step: str) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    spec = STEPS.get(step)
    if spec is None:
        from django.http import Http404

        raise Http404
    if not can_change_case(request.user, case) and not (step == "note" and can_view_case_detail(request.user, case)):
        raise PermissionDenied
    kwargs: dict[str, Any] = {}
    if spec.form is forms.DeliveryForm:
        kwargs["services"] = Service.objects.for_tenant(case.municipality_id).filter(
            organisation_id=case.organisation_id
        )
    initial = {"version": case.version} if spec.versioned else {}
    if step == "edit":
        initial.update(request_summary=case.request_summary, referred_by=case.referred_by, legal_basis=case.legal_basis)
    form = spec.form(request.POST or None, request.FILES or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            spec.save(request.user, case, dict(form.cleaned_data))
        except services.StaleCaseError as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": spec.title, "case": case, "multipart": spec.multipart, "subject": case},
    )


@login_required
@require_POST
def plan_decide(request: HttpRequest, case_id: str, plan_id: str, decision: str) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    plan = case_plan(case=case, plan_id=plan_id)
    try:
        if decision == "submit":
            services.plan_submit(user=request.user, plan=plan)
        elif decision == "approve":
            services.plan_approve(user=request.user, plan=plan)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The changes are saved."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_POST
def closure_decide(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = 0
    try:
        services.closure_decide(
            user=request.user, case=case, expected_version=version, approve=request.POST.get("approve") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The changes are saved."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_POST
def task_done(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    if not can_view_case_detail(request.user, case):
        raise PermissionDenied
    services.task_complete(user=request.user, task=case_related(case, Task, task_id))
    messages.success(request, _("The task is done."))
    if request.POST.get("next") == "workspace":
        return redirect("cases:workspace")
    return redirect("cases:detail", case_id=case.pk)


@login_required
def visit_add(request: HttpRequest, case_id: str, duty_id: str) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    duty = case_related(case, MonitoringDuty, duty_id)
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(user=request.user, duty=duty, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": _("Record a monitoring visit"), "case": case, "subject": case},
    )


@login_required
def document_download(request: HttpRequest, case_id: str, document_id: str) -> FileResponse:
    """Documents are never served by URL of the file: only here, after the case check, and audited."""
    case = case_get(user=request.user, case_id=case_id)
    if not can_view_case_detail(request.user, case):
        raise PermissionDenied
    doc = case_related(case, CaseDocument, document_id)
    audit_record(action="case.document_view", actor=request.user, obj=case, changes={"document": str(doc.pk)})
    ext = extension_of(doc.file.name)
    return FileResponse(
        doc.file.open("rb"),
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
        as_attachment=True,
        filename=f"{doc.kind}-{doc.pk}.{ext}",
    )
