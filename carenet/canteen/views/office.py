"""The office's pages: the canteen's home, applications (with the eligibility and its reasons), decisions and
their documents, the rules in force."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_export, audit_record
from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.core.models import Organisation
from carenet.core.policy import policy
from carenet.people.permissions import persons_visible_to
from carenet.people.services import persons_read_record

from .. import documents, selectors, services
from ..eligibility import reason_text
from ..forms import ApplicationForm, ApproveForm, RefuseForm, ReverifyForm, RulesForm
from ..models import Application, Category, Outcome
from ..permissions import (
    application_for,
    can_change_rules,
    can_open_canteen,
    can_read_aid,
    can_read_reports,
    can_record_applications,
    decision_for,
    recording_organisation_ids,
)
from ._common import apply_errors


@requires(can_open_canteen, platform_admin=False)
def home(request: CareNetRequest) -> HttpResponse:
    applications = list(selectors.applications(user=request.user)[:20])
    persons_read_record(
        actor=request.user, person_ids=[a.person_id for a in applications], what="canteen.application.list"
    )
    context = {
        "units": selectors.units(user=request.user),
        "applications": applications,
        "lists": selectors.lists(user=request.user)[:24],
        "can_record": can_record_applications(request.user),
        "can_read_reports": can_read_reports(request.user),
        "can_read_aid": can_read_aid(request.user),
        "reverify_count": len(selectors.reverifications_due(user=request.user)),
    }
    return render(request, "canteen/home.html", context)


def _form(request: CareNetRequest, data: object = None) -> ApplicationForm:
    municipality = request.municipality
    org_ids = recording_organisation_ids(request.user)
    organisations = Organisation.objects.for_tenant(municipality).order_by("name")
    if org_ids is not None:
        organisations = organisations.filter(pk__in=org_ids)
    return ApplicationForm(
        data,
        persons=persons_visible_to(request.user).order_by("last_name", "first_name"),
        organisations=organisations,
        units=selectors.units(user=request.user).filter(is_active=True),
        categories=selectors.categories_in_force(municipality=municipality, on=timezone.localdate()),
        initial={"received_on": timezone.localdate()},
    )


@requires(can_record_applications, platform_admin=False)
def application_create(request: CareNetRequest) -> HttpResponse:
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application = services.application_create(
                actor=request.user,
                person=data.pop("person"),
                organisation=data.pop("organisation"),
                unit=data.pop("unit"),
                received_on=data.pop("received_on"),
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Application %(number)s recorded.") % {"number": application.number})
            return redirect("canteen:application", application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "canteen/application_form.html", {"form": form}, status=status)


def _application_context(request: CareNetRequest, application: Application) -> dict:
    today = timezone.localdate()
    result = services.application_assess(application=application, on=today)
    categories = {c.code: c for c in selectors.categories_in_force(municipality=application.municipality_id, on=today)}
    rules = selectors.rules_in_force(municipality=application.municipality_id, on=today)
    return {
        "application": application,
        "result": result,
        "reasons": [reason_text(r) for r in result.reasons],
        "category": categories.get(result.category),
        "rules": rules,
        "missing": [services.DOCUMENT_LABELS[d] for d in services.missing_documents(application)],
        "documents": [(services.DOCUMENT_LABELS[d], d in (application.documents or [])) for d in services.DOCUMENTS],
        "inquiry": services.application_inquiry(application),
        "decisions": selectors.decisions_of(application=application),
        "can_decide": _can(request, application, "decide"),
    }


def _can(request: CareNetRequest, obj: Any, action: str) -> bool:
    from carenet.core.policy import policy

    return policy.can(request.user, action, obj)


@login_required
def application_detail(request: CareNetRequest, application_id: str) -> HttpResponse:
    application = application_for(request.user, application_id)
    audit_record(action="canteen.application.view", actor=request.user, obj=application)
    context = _application_context(request, application)
    units = selectors.units(user=request.user).filter(is_active=True)
    context["approve_form"] = ApproveForm(
        units=units,
        initial={"valid_from": timezone.localdate(), "unit": application.unit_id},
    )
    context["refuse_form"] = RefuseForm()
    return render(request, "canteen/application_detail.html", context)


@require_POST
@login_required
def application_approve(request: CareNetRequest, application_id: str) -> HttpResponse:
    application = application_for(request.user, application_id, action="decide")
    units = selectors.units(user=request.user).filter(is_active=True)
    form = ApproveForm(request.POST, units=units)
    if form.is_valid():
        try:
            decision = services.decision_approve(
                actor=request.user,
                application=application,
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Decision %(number)s: approved.") % {"number": decision.number})
            return redirect("canteen:application", application.pk)
    context = _application_context(request, application)
    context["approve_form"] = form
    context["refuse_form"] = RefuseForm()
    return render(request, "canteen/application_detail.html", context, status=400)


@require_POST
@login_required
def application_refuse(request: CareNetRequest, application_id: str) -> HttpResponse:
    application = application_for(request.user, application_id, action="decide")
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            decision = services.decision_refuse(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Decision %(number)s: refused.") % {"number": decision.number})
            return redirect("canteen:application", application.pk)
    context = _application_context(request, application)
    units = selectors.units(user=request.user).filter(is_active=True)
    context["approve_form"] = ApproveForm(units=units, initial={"valid_from": timezone.localdate()})
    context["refuse_form"] = form
    return render(request, "canteen/application_detail.html", context, status=400)


@login_required
def decision_document(request: CareNetRequest, decision_id: str, fmt: str) -> HttpResponse:
    """The decision as DOCX (editable) or PDF; the download is an audit event."""
    decision = decision_for(request.user, decision_id)
    if fmt not in ("docx", "pdf"):
        raise Http404
    category = (
        Category.objects.for_tenant(decision.municipality_id)
        .filter(code=decision.category)
        .order_by("-valid_from")
        .first()
    )
    context = documents.decision_context(
        decision,
        category_name=str(category) if category else decision.category,
        refusal_label=str(services.REFUSAL_REASONS.get(decision.refusal_reason, ""))
        if decision.outcome == Outcome.REFUSED
        else "",
    )
    audit_export(
        actor=request.user,
        municipality=decision.municipality_id,
        what=f"canteen.decision.{fmt}",
        rows=1,
        subject_ids=[str(decision.person_id)],
    )
    if fmt == "docx":
        response = HttpResponse(documents.decision_docx(context), content_type=documents.DOCX_CONTENT_TYPE)
    else:
        response = HttpResponse(documents.decision_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{decision.number}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@requires(can_open_canteen, platform_admin=False)
def rules(request: CareNetRequest) -> HttpResponse:
    from ..models import RuleSet

    municipality = request.municipality
    context = {
        "rulesets": RuleSet.objects.for_tenant(municipality).order_by("-valid_from"),
        "categories": Category.objects.for_tenant(municipality).order_by("order", "code", "-valid_from"),
        "can_change": can_change_rules(request.user),
    }
    return render(request, "canteen/rules.html", context)


@requires(can_open_canteen, platform_admin=False)
def reverifications(request: CareNetRequest) -> HttpResponse:
    """The files due for their periodic check (the tenant's interval), overdue first."""
    due = selectors.reverifications_due(user=request.user)
    persons_read_record(
        actor=request.user, person_ids=[c.decision.person_id for c in due], what="canteen.reverification.list"
    )
    rules = selectors.rules_in_force(municipality=request.municipality, on=timezone.localdate())
    return render(request, "canteen/reverifications.html", {"due": due, "rules": rules})


@login_required
def decision_reverify(request: CareNetRequest, decision_id: str) -> HttpResponse:
    decision = decision_for(request.user, decision_id, action="reverify")
    can_end = policy.can(request.user, "decide", decision)
    form = ReverifyForm(request.POST or None, can_end=can_end, initial={"verified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_reverify(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The check is recorded."))
            return redirect("canteen:reverifications")
    persons_read_record(actor=request.user, person_ids=[decision.person_id], what="canteen.decision.reverify")
    checks = decision.reverifications.all()
    return render(request, "canteen/decision_reverify.html", {"form": form, "decision": decision, "checks": checks})


@requires(can_change_rules, platform_admin=False)
def rules_new(request: CareNetRequest) -> HttpResponse:
    """A new version of the rules from a date (a change of the law): the values in force are the starting point."""
    current = selectors.rules_in_force(municipality=request.municipality, on=timezone.localdate())
    initial: dict[str, Any] = {"valid_from": timezone.localdate(), "meals_per_day": 2, "currency": "RON"}
    if current is not None:
        for name in RulesForm.base_fields:
            if name != "valid_from":
                initial[name] = getattr(current, name)
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_save(actor=request.user, municipality=request.municipality, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The new rules are saved."))
            return redirect("canteen:rules")
    return render(request, "canteen/rules_form.html", {"form": form, "current": current})
