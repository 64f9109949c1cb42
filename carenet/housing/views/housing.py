"""The housing office's pages: home, applications and their scoring, grids, ranked lists, stock, offers,
contracts, monitoring. Thin: parse, one fetch-and-check, one service or selector, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy
from carenet.people.models import Household
from carenet.people.permissions import persons_visible_to
from carenet.people.services import persons_read_record

from .. import importers, selectors, services
from ..forms import (
    AppealDecisionForm,
    AppealForm,
    ApplicationForm,
    ConsumptionForm,
    ContractForm,
    CriterionForm,
    DocumentForm,
    GridForm,
    ImportForm,
    RefuseForm,
    RenewForm,
    TerminateForm,
    VisitForm,
)
from ..models import ApplicationStatus, DwellingStatus, OfferStatus
from ..permissions import (
    appeal_for,
    application_for,
    can_approve_list,
    can_edit_grid,
    can_open_housing,
    can_read_housing,
    can_record_housing,
    contract_for,
    dwelling_for,
    grid_for,
    offer_for,
    ranked_list_for,
)
from .common import apply_errors, flash_errors, flash_form_errors


@requires(can_open_housing, platform_admin=False)
def home(request: CareNetRequest) -> HttpResponse:
    municipality = request.municipality
    reads = can_read_housing(request.user)
    context: dict[str, Any] = {
        "reads_housing": reads,
        "capacity": selectors.live_capacity(residences=selectors.residence_list(user=request.user)),
    }
    if reads:
        today = datetime.date.today()
        context.update(
            unmet=selectors.unmet_requests(municipality=municipality),
            renewals=selectors.contracts_due_for_renewal(user=request.user)[:50],
            alerts=selectors.alerts(user=request.user)[:50],
            modernised=selectors.stock_new_or_modernised(
                municipality=municipality, start=today.replace(month=1, day=1), end=today + datetime.timedelta(days=1)
            ),
            lists=selectors.ranked_lists(user=request.user)[:5],
        )
    return render(request, "housing/home.html", context)


# --- applications --------------------------------------------------------------------------------------------


@requires(can_read_housing, platform_admin=False)
def application_list(request: CareNetRequest) -> HttpResponseBase:
    status = request.GET.get("status", "")
    status = status if status in ApplicationStatus.values else ""
    applications = selectors.application_list(user=request.user, status=status, query=request.GET.get("q", ""))
    fmt = request.GET.get("format")
    if fmt:
        rows = [
            (
                a.file_number,
                a.filed_on,
                a.get_status_display(),
                a.score if a.score is not None else "",
                a.household_size,
            )
            for a in applications
        ]
        return export_table(
            actor=request.user,
            municipality=request.municipality,
            what="housing.application",
            header=[_("File number"), _("Filed on"), _("Status"), _("Score"), _("Household size")],
            rows=rows,
            fmt=fmt,
            filename="housing-applications",
            title=_("Housing applications"),
            subject_ids=[a.applicant_id for a in applications],
        )
    shown = list(applications.select_related("applicant")[:200])
    persons_read_record(actor=request.user, person_ids=[a.applicant_id for a in shown], what="housing.application.list")
    context = {
        "applications": shown,
        "statuses": ApplicationStatus.choices,
        "status": status,
        "q": request.GET.get("q", ""),
        "can_record": can_record_housing(request.user),
    }
    return render(request, "housing/application_list.html", context)


@requires(can_record_housing, platform_admin=False)
def application_create(request: CareNetRequest) -> HttpResponse:
    m = request.municipality
    form = ApplicationForm(
        request.POST or None,
        grids=selectors.grid_list(user=request.user),
        persons=persons_visible_to(request.user).order_by("last_name", "first_name"),
        households=Household.objects.for_tenant(m).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        data = services.ApplicationInput(
            applicant=form.cleaned_data["applicant"],
            household=form.cleaned_data["household"],
            household_size=form.cleaned_data["household_size"],
            monthly_income=form.cleaned_data["monthly_income"],
            rooms_needed=form.cleaned_data["rooms_needed"],
            needs_accessible=form.cleaned_data["needs_accessible"],
            filed_on=form.cleaned_data["filed_on"],
        )
        try:
            application = services.application_file(actor=request.user, grid=form.cleaned_data["grid"], data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Application %(number)s recorded.") % {"number": application.file_number})
            return redirect("housing:application", application_id=application.pk)
    return render(
        request, "housing/application_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@login_required
def application_detail(request: CareNetRequest, application_id: str) -> HttpResponse:
    application = application_for(request.user, application_id)
    persons_read_record(actor=request.user, person_ids=[application.applicant_id], what="housing.application.detail")
    answers = selectors.application_answers(application=application)
    context = {
        "application": application,
        "criteria": selectors.grid_criteria(grid=application.grid),
        "chosen": {str(v) for v in answers.values()},
        "documents": application.documents.all(),
        "appeals": application.appeals.all(),
        "offers": application.offers.select_related("dwelling__building"),
        "can_change": policy.can(request.user, "change", application),
        "can_decide": can_approve_list(request.user),
        "document_form": DocumentForm(initial={"received_on": datetime.date.today()}),
        "appeal_form": AppealForm(initial={"filed_on": datetime.date.today()}),
        "decision_form": AppealDecisionForm(initial={"decided_on": datetime.date.today()}),
    }
    return render(request, "housing/application_detail.html", context)


@require_POST
@login_required
def application_score(request: CareNetRequest, application_id: str) -> HttpResponse:
    application = application_for(request.user, application_id, action="change")
    answers = {k.removeprefix("criterion_"): v for k, v in request.POST.items() if k.startswith("criterion_")}
    try:
        services.application_score(actor=request.user, application=application, answers=answers)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Scored: %(score)s points.") % {"score": application.score})
    return redirect("housing:application", application_id=application.pk)


@require_POST
@login_required
def application_document_add(request: CareNetRequest, application_id: str) -> HttpResponse:
    application = application_for(request.user, application_id, action="change")
    form = DocumentForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.application_document_add(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Document recorded."))
    return redirect("housing:application", application_id=application.pk)


@require_POST
@login_required
def appeal_file(request: CareNetRequest, application_id: str) -> HttpResponse:
    application = application_for(request.user, application_id, action="change")
    form = AppealForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.appeal_file(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Appeal recorded."))
    return redirect("housing:application", application_id=application.pk)


@require_POST
@login_required
def appeal_decide(request: CareNetRequest, appeal_id: str) -> HttpResponse:
    appeal = appeal_for(request.user, appeal_id, action="change")
    if not can_approve_list(request.user):
        raise PermissionDenied
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.appeal_decide(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Appeal decided."))
    return redirect("housing:application", application_id=appeal.application_id)


# --- grids and lists -----------------------------------------------------------------------------------------


@requires(can_read_housing, platform_admin=False)
def grid_list(request: CareNetRequest) -> HttpResponse:
    form = GridForm(request.POST or None) if can_edit_grid(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                grid = services.grid_create(actor=request.user, municipality=request.municipality, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Grid saved."))
                return redirect("housing:grid", grid_id=grid.pk)
    context = {"grids": selectors.grid_list(user=request.user), "form": form}
    return render(request, "housing/grid_list.html", context, status=400 if request.method == "POST" else 200)


@login_required
def grid_detail(request: CareNetRequest, grid_id: str) -> HttpResponse:
    grid = grid_for(request.user, grid_id)
    form = None
    if policy.can(request.user, "change", grid):
        form = CriterionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.criterion_add(
                    actor=request.user,
                    grid=grid,
                    code=form.cleaned_data["code"],
                    label=form.cleaned_data["label"],
                    options=form.cleaned_data["options"],
                    order=grid.criteria.count(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Criterion added."))
                return redirect("housing:grid", grid_id=grid.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "grid": grid,
        "criteria": selectors.grid_criteria(grid=grid),
        "form": form,
        "can_draw": can_record_housing(request.user),
    }
    return render(request, "housing/grid_detail.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def list_draw(request: CareNetRequest, grid_id: str) -> HttpResponse:
    grid = grid_for(request.user, grid_id)
    if not can_record_housing(request.user):
        raise PermissionDenied
    ranked_list = services.ranked_list_draw(actor=request.user, grid=grid)
    messages.success(request, _("The list is drawn up; the coordinator approves it."))
    return redirect("housing:list", list_id=ranked_list.pk)


@requires(can_read_housing, platform_admin=False)
def list_index(request: CareNetRequest) -> HttpResponse:
    return render(request, "housing/list_index.html", {"lists": selectors.ranked_lists(user=request.user)})


@login_required
def list_detail(request: CareNetRequest, list_id: str) -> HttpResponse:
    ranked_list = ranked_list_for(request.user, list_id)
    labels = dict(ranked_list.grid.criteria.values_list("code", "label"))
    entries = [
        (e, [(labels.get(code, code), points) for code, points in e.breakdown.items()])
        for e in selectors.list_entries(ranked_list=ranked_list)
    ]
    context = {
        "ranked_list": ranked_list,
        "entries": entries,
        "can_approve": can_approve_list(request.user) and ranked_list.status == "draft",
    }
    return render(request, "housing/list_detail.html", context)


@require_POST
@login_required
def list_approve(request: CareNetRequest, list_id: str) -> HttpResponse:
    ranked_list = ranked_list_for(request.user, list_id, action="approve")
    try:
        services.ranked_list_approve(actor=request.user, ranked_list=ranked_list)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The list is approved and published on the portal."))
    return redirect("housing:list", list_id=ranked_list.pk)


# --- stock, offers, contracts, monitoring --------------------------------------------------------------------


@requires(can_read_housing, platform_admin=False)
def dwelling_list(request: CareNetRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in DwellingStatus.values else ""
    context = {
        "dwellings": selectors.dwelling_list(user=request.user, status=status)[:300],
        "statuses": DwellingStatus.choices,
        "status": status,
        "can_record": can_record_housing(request.user),
    }
    return render(request, "housing/dwelling_list.html", context)


@login_required
def dwelling_detail(request: CareNetRequest, dwelling_id: str) -> HttpResponse:
    dwelling = dwelling_for(request.user, dwelling_id)
    offers = list(dwelling.offers.select_related("application").order_by("-offered_on")[:20])
    contracts = list(dwelling.contracts.order_by("-starts_on")[:10])
    persons_read_record(actor=request.user, person_ids=[c.tenant_id for c in contracts], what="housing.dwelling.detail")
    context = {
        "dwelling": dwelling,
        "offers": offers,
        "pending": next((o for o in offers if o.status == OfferStatus.PENDING), None),
        "contracts": contracts,
        "active_contract": next((c for c in contracts if c.status == "active"), None),
        "visits": dwelling.visits.order_by("-visited_on")[:20],
        "consumption": selectors.dwelling_consumption(dwelling=dwelling)[:48],
        "arrears": selectors.dwelling_arrears(dwelling=dwelling),
        "can_change": policy.can(request.user, "change", dwelling),
        "visit_form": VisitForm(initial={"visited_on": datetime.date.today()}),
        "consumption_form": ConsumptionForm(),
        "refuse_form": RefuseForm(),
        "contract_form": ContractForm(initial={"starts_on": datetime.date.today()}),
        "renew_form": RenewForm(),
        "terminate_form": TerminateForm(initial={"on": datetime.date.today()}),
    }
    return render(request, "housing/dwelling_detail.html", context)


def _back(dwelling_id: Any) -> HttpResponse:
    return redirect("housing:dwelling", dwelling_id=dwelling_id)


@require_POST
@login_required
def dwelling_offer(request: CareNetRequest, dwelling_id: str) -> HttpResponse:
    dwelling = dwelling_for(request.user, dwelling_id, action="change")
    try:
        offer = services.offer_make(actor=request.user, dwelling=dwelling)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("Offered to file %(number)s (rank %(rank)s).")
            % {"number": offer.application.file_number, "rank": offer.rank},
        )
    return _back(dwelling.pk)


@require_POST
@login_required
def dwelling_visit(request: CareNetRequest, dwelling_id: str) -> HttpResponse:
    dwelling = dwelling_for(request.user, dwelling_id, action="change")
    form = VisitForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.visit_record(actor=request.user, dwelling=dwelling, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Visit recorded."))
    return _back(dwelling.pk)


@require_POST
@login_required
def dwelling_consumption(request: CareNetRequest, dwelling_id: str) -> HttpResponse:
    dwelling = dwelling_for(request.user, dwelling_id, action="change")
    form = ConsumptionForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.consumption_record(actor=request.user, dwelling=dwelling, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Consumption recorded."))
    return _back(dwelling.pk)


@requires(can_record_housing, platform_admin=False)
def consumption_import(request: CareNetRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[importers.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = importers.consumption_import(
                actor=request.user,
                municipality=request.municipality,
                name=upload.name,
                content=importers.read_upload(upload),
            )
        except importers.ImportRefused as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(count)s rows imported.") % {"count": count})
            return redirect("housing:dwellings")
    context = {"form": form, "errors": errors, "columns": importers.COLUMNS}
    return render(request, "housing/import.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def offer_accept(request: CareNetRequest, offer_id: str) -> HttpResponse:
    offer = offer_for(request.user, offer_id, action="change")
    try:
        services.offer_accept(actor=request.user, offer=offer)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Offer accepted."))
    return _back(offer.dwelling_id)


@require_POST
@login_required
def offer_refuse(request: CareNetRequest, offer_id: str) -> HttpResponse:
    offer = offer_for(request.user, offer_id, action="change")
    form = RefuseForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.offer_refuse(actor=request.user, offer=offer, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, _("Refusal recorded: %(consequence)s") % {"consequence": offer.get_consequence_display()}
            )
    return _back(offer.dwelling_id)


@require_POST
@login_required
def offer_contract(request: CareNetRequest, offer_id: str) -> HttpResponse:
    offer = offer_for(request.user, offer_id, action="change")
    form = ContractForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            contract = services.contract_sign(actor=request.user, offer=offer, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Contract %(number)s signed.") % {"number": contract.number})
    return _back(offer.dwelling_id)


@require_POST
@login_required
def contract_renew(request: CareNetRequest, contract_id: str) -> HttpResponse:
    contract = contract_for(request.user, contract_id, action="change")
    form = RenewForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            renewed = services.contract_renew(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Contract %(number)s signed.") % {"number": renewed.number})
    return _back(contract.dwelling_id)


@require_POST
@login_required
def contract_terminate(request: CareNetRequest, contract_id: str) -> HttpResponse:
    contract = contract_for(request.user, contract_id, action="change")
    form = TerminateForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.contract_terminate(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Contract terminated."))
    return _back(contract.dwelling_id)
