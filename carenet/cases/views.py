"""Pages of case management. Thin: each step is a form posted to one service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read, audit_record
from carenet.core.access import requires
from carenet.core.documents import DOCUMENT_KINDS, default_template_source, fill_document, template_override
from carenet.core.exports import export_document, export_table
from carenet.core.form_errors import apply_errors as _apply_errors
from carenet.core.roles import Role
from carenet.people.permissions import person_for
from carenet.people.services import persons_read_record
from carenet.people.uploads import CONTENT_TYPES, extension_of

from . import documents, forms, services
from .legal import legal_reference
from .models import Case, CaseDocument, CaseStatus, MonitoringDuty, Task
from .panels import case_panels
from .permissions import (
    can_approve_case,
    can_change_case,
    can_view_case_detail,
    case_for,
    case_record_for,
    intervention_plan_for,
    organisations_for_new_case,
)
from .selectors import (
    approvals_waiting,
    case_file,
    case_list_rows,
    case_search,
    draft_plan,
    my_case_rows,
    my_duties,
    my_tasks,
    parents_abroad_register,
    services_of_case_provider,
    services_of_network,
    staff_of_case_provider,
    supervisor_overdue_duties,
)

EXPORT_LIMIT = 5000


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The caseworker's desk: my open cases, my due tasks and monitoring duties, what waits for my approval."""
    user = request.user
    page_size = 50
    cases = my_case_rows(user=user, limit=page_size + 1)
    tasks, duties = list(my_tasks(user=user)), list(my_duties(user=user))
    overdue, approvals = list(supervisor_overdue_duties(user=user)), approvals_waiting(user=user)
    shown = [c.person_id for c in cases[:page_size]]
    shown += [t.case.person_id for t in tasks] + [d.case.person_id for d in [*duties, *overdue]]
    shown += [p.case.person_id for p in approvals["plans"]] + [c.person_id for c in approvals["closures"]]
    persons_read_record(actor=user, person_ids=shown, what="cases.workspace")
    context = {
        "cases": cases[:page_size],
        "more_cases": len(cases) > page_size,
        "tasks": tasks,
        "duties": duties,
        "overdue": overdue,
        "approvals": approvals,
        "today": timezone.localdate(),
        "parents_abroad_law": legal_reference(municipality=user.municipality, key="parents_abroad_register"),  # type: ignore[union-attr]
    }
    return render(request, "cases/workspace.html", context)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "open")[:10]
    mine = request.GET.get("mine") == "1"
    cases = case_list_rows(user=request.user, query=query, status=status, mine=mine)
    persons_read_record(actor=request.user, person_ids=[c.person_id for c in cases], what="cases.case.list")
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": cases,
            "q": query,
            "status": status,
            "mine": mine,
            "statuses": CaseStatus.choices,
        },
    )


@login_required
def parents_abroad(request: HttpRequest) -> HttpResponse:
    """The register of children whose parents work abroad (the law of the tenant's country: cases.legal)."""
    duties = list(parents_abroad_register(user=request.user))
    persons_read_record(
        actor=request.user, person_ids=[d.case.person_id for d in duties], what="cases.register.parents_abroad"
    )
    return render(
        request,
        "cases/parents_abroad.html",
        {
            "duties": duties,
            "today": timezone.localdate(),
            "law": legal_reference(municipality=request.user.municipality, key="parents_abroad_register"),  # type: ignore[union-attr]
        },
    )


@login_required
def case_export(request: HttpRequest, fmt: str = "csv") -> HttpResponseBase:
    """The cases the user may see (no special-category data) as CSV or XLSX: formula-safe, an audited export."""
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "open")[:10]
    cases: list[Case] = list(case_search(user=request.user, query=query, status=status, limit=EXPORT_LIMIT))
    return export_table(
        actor=request.user,
        municipality=getattr(request.user, "municipality_id", None),
        what="cases.case",
        header=[_("Reference"), _("Person"), _("Provider"), _("Status"), _("Opened on")],
        rows=[
            [c.reference, c.person.full_name, str(c.organisation), c.get_status_display(), c.opened_on] for c in cases
        ],
        fmt=fmt,
        filename="cases",
        title=_("Cases"),
        subject_ids=list(dict.fromkeys(c.person_id for c in cases)),
    )


@login_required
def case_new(request: HttpRequest, person_id: str) -> HttpResponse:
    """Intake: open a case for a person found (or registered) through the duplicate check."""
    person = person_for(request.user, person_id, action="open_case")
    if request.method == "GET":
        persons_read_record(actor=request.user, person_ids=[person.pk], what="cases.case.new")
    org_ids = organisations_for_new_case(request.user)
    form = forms.CaseOpenForm(request.POST or None, municipality=person.municipality_id, organisation_ids=org_ids)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, person=person, **form.cleaned_data)
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
    case = case_for(request.user, case_id)
    audit_read(actor=request.user, obj=case, purpose=request.GET.get("purpose", "")[:200])
    detail = can_view_case_detail(request.user, case)
    shown = case_file(case=case, detail=detail)
    context: dict[str, Any] = {
        "case": case,
        "detail": detail,
        "can_change": can_change_case(request.user, case),
        "can_approve": can_approve_case(request.user, case),
        "today": timezone.localdate(),
        **shown,
    }
    if detail:
        context["actions"] = _available_actions(case)
        context["printables"] = documents.printable(
            case, has_inquiry=bool(shown["inquiries"]), has_plan=bool(shown["plans"])
        )
        context["extra_panels"] = case_panels(request, case)
        # The user's own municipality is loaded already (the request's tenant); the case's is the same one
        # but for a platform administrator.
        user_municipality = getattr(request.user, "municipality", None)
        municipality = (
            user_municipality
            if user_municipality and user_municipality.pk == case.municipality_id
            else case.municipality
        )
        context["print_languages"] = list(getattr(municipality, "official_languages", None) or ["ro"])
    return render(request, "cases/case_detail.html", context)


@dataclass(frozen=True)
class Step:
    form: type
    title: Any
    save: Callable[[Any, Any, dict[str, Any]], Any]
    versioned: bool = False
    statuses: tuple[str, ...] = ()
    multipart: bool = False
    action: str = "change"  # what the user must be allowed to do to the case (cases.permissions)
    form_kwargs: Callable[[Any], dict[str, Any]] | None = None  # the case → the form's choices


def _draft_plan(case: Any) -> Any:
    plan = draft_plan(case=case)
    if plan is None:
        raise ValidationError(_("Start a plan first."))
    return plan


STEPS: dict[str, Step] = {
    "edit": Step(
        forms.CaseEditForm,
        gettext_lazy("Edit the case"),
        lambda u, c, d: services.case_update(actor=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
    ),
    "inquiry": Step(
        forms.InquiryForm,
        gettext_lazy("Social inquiry"),
        lambda u, c, d: services.inquiry_record(actor=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
    ),
    "decision": Step(
        forms.DecisionForm,
        gettext_lazy("Decision"),
        lambda u, c, d: services.case_decide(actor=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
        statuses=(CaseStatus.INTAKE, CaseStatus.INQUIRY),
    ),
    "contract": Step(
        forms.ContractForm,
        gettext_lazy("Contract"),
        lambda u, c, d: services.contract_sign(actor=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
        statuses=(CaseStatus.ADMITTED,),
    ),
    "plan": Step(
        forms.PlanForm,
        gettext_lazy("Individual intervention plan"),
        lambda u, c, d: services.plan_create(actor=u, case=c, **d),
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE),
    ),
    "plan_action": Step(
        forms.PlanActionForm,
        gettext_lazy("Add an action to the plan"),
        lambda u, c, d: services.plan_action_add(actor=u, plan=_draft_plan(c), **d),
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE),
        form_kwargs=lambda c: {"services": services_of_network(case=c), "staff": staff_of_case_provider(case=c)},
    ),
    "assessment": Step(
        forms.AssessmentForm,
        gettext_lazy("Needs assessment"),
        lambda u, c, d: services.assessment_record(actor=u, case=c, **d),
    ),
    "assessment_child": Step(
        forms.ChildAssessmentForm,
        gettext_lazy("Child protection assessment"),
        lambda u, c, d: services.assessment_record(actor=u, case=c, **d),
    ),
    "closure": Step(
        forms.ClosureForm,
        gettext_lazy("Request closure"),
        lambda u, c, d: services.closure_request(actor=u, case=c, expected_version=d.pop("version"), **d),
        versioned=True,
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE),
    ),
    "note": Step(
        forms.NoteForm,
        gettext_lazy("Add a note"),
        lambda u, c, d: services.note_add(actor=u, case=c, **d),
        action="view_detail",  # the case's own provider may note even on a closed case
    ),
    "document": Step(
        forms.DocumentForm,
        gettext_lazy("Upload a document"),
        lambda u, c, d: services.document_upload(actor=u, case=c, **d),
        multipart=True,
    ),
    "task": Step(forms.TaskForm, gettext_lazy("Add a task"), lambda u, c, d: services.task_add(actor=u, case=c, **d)),
    "duty": Step(
        forms.DutyForm, gettext_lazy("Monitoring duty"), lambda u, c, d: services.duty_add(actor=u, case=c, **d)
    ),
    "delivery": Step(
        forms.DeliveryForm,
        gettext_lazy("Record a service delivery"),
        lambda u, c, d: services.delivery_record(actor=u, person=c.person, case=c, **d),
        statuses=(CaseStatus.ADMITTED, CaseStatus.ACTIVE, CaseStatus.CLOSING),
        form_kwargs=lambda c: {"services": services_of_case_provider(case=c)},
    ),
}


def _available_actions(case: Any) -> list[tuple[str, Any]]:
    return [(name, step.title) for name, step in STEPS.items() if not step.statuses or case.status in step.statuses]


@login_required
def case_step(request: HttpRequest, case_id: str, step: str) -> HttpResponse:
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    case = case_for(request.user, case_id, action=spec.action)
    if request.method == "GET":  # the step's form names the case's person
        persons_read_record(actor=request.user, person_ids=[case.person_id], what=f"cases.case.step.{step}")
    kwargs: dict[str, Any] = spec.form_kwargs(case) if spec.form_kwargs else {}
    initial: dict[str, Any] = {"version": case.version} if spec.versioned else {}
    if step == "edit":
        initial.update(request_summary=case.request_summary, referred_by=case.referred_by, legal_basis=case.legal_basis)
    form = spec.form(request.POST or None, request.FILES or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            # A form whose fields are not the service's arguments one to one (the assessment's domains) says
            # how they map.
            arguments = form.service_arguments() if hasattr(form, "service_arguments") else dict(form.cleaned_data)
            spec.save(request.user, case, arguments)
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


# The caseworker submits the plan (a step on the case: "change"); the supervisor approves it ("approve").
PLAN_DECISIONS: dict[str, tuple[str, Callable[..., Any]]] = {
    "submit": ("change", services.plan_submit),
    "approve": ("approve", services.plan_approve),
}


@login_required
@require_POST
def plan_decide(request: HttpRequest, case_id: str, plan_id: str, decision: str) -> HttpResponse:
    decide = PLAN_DECISIONS.get(decision)
    if decide is None:
        raise Http404
    action, service = decide
    case = case_for(request.user, case_id, action=action)
    plan = intervention_plan_for(request.user, case, plan_id)
    try:
        service(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The changes are saved."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
def plan_return(request: HttpRequest, case_id: str, plan_id: str) -> HttpResponse:
    """The supervisor sends a submitted plan back with what must change."""
    case = case_for(request.user, case_id, action="approve")
    plan = intervention_plan_for(request.user, case, plan_id)
    if request.method == "GET":  # the page names the case's person
        persons_read_record(actor=request.user, person_ids=[case.person_id], what="cases.plan.return")
    form = forms.PlanReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_return(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The plan is returned to the caseworker with your reason."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": _("Return the plan for changes"), "case": case, "subject": case},
    )


@login_required
@require_POST
def closure_decide(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="approve")
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = 0
    try:
        services.closure_decide(
            actor=request.user, case=case, expected_version=version, approve=request.POST.get("approve") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The changes are saved."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_POST
def task_done(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="view_detail")
    services.task_complete(actor=request.user, task=case_record_for(request.user, case, Task, task_id))
    messages.success(request, _("The task is done."))
    if request.POST.get("next") == "workspace":
        return redirect("cases:workspace")
    return redirect("cases:detail", case_id=case.pk)


@login_required
def visit_add(request: HttpRequest, case_id: str, duty_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    duty = case_record_for(request.user, case, MonitoringDuty, duty_id)
    if request.method == "GET":
        persons_read_record(actor=request.user, person_ids=[case.person_id], what="cases.case.visit")
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(actor=request.user, duty=duty, **form.cleaned_data)
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
    case = case_for(request.user, case_id, action="view_detail")
    doc = case_record_for(request.user, case, CaseDocument, document_id)
    audit_record(action="case.document_view", actor=request.user, obj=case, changes={"document": str(doc.pk)})
    ext = extension_of(doc.file.name)
    return FileResponse(
        doc.file.open("rb"),
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
        as_attachment=True,
        filename=f"{doc.kind}-{doc.pk}.{ext}",
    )


@login_required
def document_print(request: HttpRequest, case_id: str, kind: str, fmt: str) -> HttpResponseBase:
    """An official document of the case (social inquiry, intervention plan, contract) as PDF or DOCX, from
    the municipality's template, in the language asked for where the municipality offers it; audited."""
    spec = documents.KINDS.get(kind)
    if spec is None or fmt not in ("pdf", "docx"):
        raise Http404
    case = case_for(request.user, case_id, action="view_detail")
    try:
        values = documents.document_values(case, kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", case_id=case.pk)
    language = documents.document_language(case.municipality, request.GET.get("lang", "")[:8])
    html = fill_document(municipality_id=case.municipality_id, kind=spec[0], language=language, values=values)
    return export_document(
        actor=request.user,
        municipality=case.municipality_id,
        what=spec[0],
        html=html,
        fmt=fmt,
        filename=f"{kind}-{case.reference}-{language}",
        title=f"{spec[1]} {case.reference}",
        subject_ids=[case.person_id],
    )


@requires(Role.COORDINATOR, platform_admin=False)
def document_templates(request: HttpRequest) -> HttpResponse:
    """The printable documents and the municipality's own texts of them, per official language."""
    municipality: Any = request.user.municipality  # type: ignore[union-attr]
    languages = list(municipality.official_languages or ["ro"])
    rows = [
        (
            spec,
            [
                (language, template_override(municipality_id=municipality.pk, kind=spec.kind, language=language))
                for language in languages
            ],
        )
        for spec in sorted(DOCUMENT_KINDS.values(), key=lambda s: s.kind)
    ]
    return render(request, "cases/document_templates.html", {"rows": rows})


@requires(Role.COORDINATOR, platform_admin=False)
def document_template_edit(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    """The coordinator's own text of one document in one language (starting from the default)."""
    spec = DOCUMENT_KINDS.get(kind)
    municipality: Any = request.user.municipality  # type: ignore[union-attr]
    if spec is None or language not in (municipality.official_languages or []):
        raise Http404
    current = template_override(municipality_id=municipality.pk, kind=kind, language=language)
    if request.method == "POST" and request.POST.get("delete") == "1":
        if current is not None:
            services.document_template_delete(actor=request.user, template=current)
            messages.success(request, _("The default text applies again."))
        return redirect("cases:document_templates")
    initial = {
        "body": current.body if current else default_template_source(kind),
        "valid_from": timezone.localdate(),
    }
    form = forms.DocumentTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_template_save(actor=request.user, kind=kind, language=language, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The text of the document is saved."))
            return redirect("cases:document_templates")
    return render(
        request,
        "cases/document_template_form.html",
        {"form": form, "spec": spec, "language": language, "current": current},
    )
