"""Thin views: parse, call one selector or service, render."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import IndicatorSourceForm, PlanVersionForm, ReopenForm, ReturnForm, parse_submission
from ..models import ActionStatus, Indicator, PeriodStatus, parse_combo
from ..permissions import (
    can_amend_plan,
    can_edit_submission,
    can_lock_period,
    can_review_submission,
    indicator_for,
    period_for,
    plan_for,
    submission_for,
)
from .table_import import table_import_upload


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_list(user=request.user)
    forms_ = selectors.submissions_of_user(user=request.user, limit=50)
    context = {"plans": plans, "my_forms": forms_, "can_import": table_import_upload.carenet_allows(request.user)}  # type: ignore[attr-defined]
    return render(request, "plans/plan_list.html", context)


@login_required
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    context = {
        "plan": plan,
        "objectives": selectors.plan_structure(plan=plan),
        "periods": selectors.plan_periods(plan=plan),
        "findings": selectors.findings_of(plan=plan),
        "kpis": selectors.plan_kpis(plan=plan),
        "versions": selectors.plan_versions(plan=plan),
        "can_amend": can_amend_plan(request.user, plan),
        "version_form": PlanVersionForm(),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_version_add_view(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id, action="amend")
    form = PlanVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_version_add(actor=request.user, plan=plan, **form.cleaned_data)
            messages.success(request, _("The council decision is recorded."))
            return redirect("plans:detail", plan_id=plan.pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/version_form.html", {"plan": plan, "form": form}, status=status)


@login_required
def indicator_list(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    indicators = selectors.plan_indicators(plan=plan)
    started = [p for p in selectors.plan_periods(plan=plan) if p.start_date <= timezone.localdate()]
    context = {
        "plan": plan,
        "indicators": indicators,
        "can_amend": can_amend_plan(request.user, plan),
        "drill_period": started[-1] if started else None,  # the records behind the latest period's values
        "drillable": selectors.DRILLABLE,
    }
    return render(request, "plans/indicator_list.html", context)


@login_required
def indicator_source_view(request: HttpRequest, plan_id: str, indicator_id: int) -> HttpResponse:
    plan = plan_for(request.user, plan_id, action="amend")
    indicator = indicator_for(request.user, plan, indicator_id)
    form = IndicatorSourceForm(
        request.POST or None, indicator=indicator, services=selectors.countable_services(plan=plan)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_source_set(actor=request.user, indicator=indicator, **form.cleaned_data)
            messages.success(request, _("Indicator %(code)s: source saved.") % {"code": indicator.code})
            return redirect("plans:indicators", plan_id=plan.pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "indicator": indicator, "form": form}
    return render(request, "plans/indicator_source.html", context, status=status)


@login_required
def period_detail(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    period = period_for(request.user, plan, code)
    context = {
        "plan": plan,
        "period": period,
        "bodies": selectors.completeness_by_body(user=request.user, period=period),
        "objectives": selectors.completeness_by_objective(period=period),
        "flags": selectors.period_quality_flags(period=period),
        "can_lock": can_lock_period(request.user, period),
        "reopen_form": ReopenForm(),
    }
    return render(request, "plans/period_detail.html", context)


@login_required
@require_POST
def period_open_forms_view(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    period = period_for(request.user, plan, code, action="open_forms")
    forms_ = services.submissions_open(period=period, actor=request.user)
    messages.success(request, _("%(n)s reporting forms are open.") % {"n": len(forms_)})
    return redirect("plans:period", plan_id=plan.pk, code=period.code)


@login_required
@require_POST
def period_lock_view(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    period = period_for(request.user, plan, code, action="lock")
    try:
        services.period_lock(actor=request.user, period=period)
        messages.success(request, _("The period is locked."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:period", plan_id=plan.pk, code=period.code)


@login_required
@require_POST
def period_reopen_view(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    period = period_for(request.user, plan, code, action="reopen")
    try:
        services.period_reopen(actor=request.user, period=period, reason=request.POST.get("reason", ""))
        messages.success(request, _("The period is reopened; this was recorded in the audit log."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:period", plan_id=plan.pk, code=period.code)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _indicator_row(ind: Indicator, saved: dict, posted) -> dict:
    """Field values of one indicator: what was posted (after an error) or what is saved."""
    total = saved.get((ind.pk, ""))

    def pick(name: str, stored: object) -> str:
        return posted.get(name, "") if posted is not None else _shown(stored)

    milestone = ""
    if total is not None and total.value is not None:
        milestone = "yes" if total.value == 1 else "no"
    row = {
        "indicator": ind,
        "v": pick(f"v-{ind.pk}", total.value if total else None),
        "milestone": posted.get(f"v-{ind.pk}", "") if posted is not None else milestone,
        "num": pick(f"num-{ind.pk}", total.numerator if total else None),
        "den": pick(f"den-{ind.pk}", total.denominator if total else None),
        "txt": pick(f"txt-{ind.pk}", total.text if total else ""),
        "grid": None,
    }
    dset = ind.disaggregation
    if dset is not None:
        row_dim, columns, rows = dset.grid()
        row["grid"] = {
            "columns": [dset.combo_label(c) or _("Value") for c in columns],
            "rows": [
                {
                    "label": dset.option_label(row_dim or "", parse_combo(cells[0]).get(row_dim or "", "")),
                    "cells": [
                        {
                            "combo": combo,
                            "label": dset.combo_label(combo),
                            "value": pick(
                                f"c-{ind.pk}-{combo}",
                                saved[(ind.pk, combo)].value if (ind.pk, combo) in saved else None,
                            ),
                        }
                        for combo in cells
                    ],
                }
                for cells in rows
            ],
        }
    return row


def _form_context(request: HttpRequest, submission, parsed=None, warnings=None):
    plan = submission.period.plan
    data = selectors.submission_form_data(submission=submission)
    indicators, actions, cost_lines, saved = data.indicators, data.actions, data.cost_lines, data.saved
    progress: dict = data.progress
    executed: dict = data.executed
    if parsed is not None:
        executed = {c.pk: request.POST.get(f"cost-{c.pk}", "") for c in cost_lines}
        progress = {
            a.pk: SimpleNamespace(status=request.POST.get(f"st-{a.pk}", ""), note=request.POST.get(f"note-{a.pk}", ""))
            for a in actions
        }
    by_action: dict = {a.pk: [] for a in actions}
    computed = selectors.computed_beside_form(submission=submission, actions=actions)
    kpis: list[dict] = []
    posted = request.POST if parsed is not None else None
    for ind in indicators:
        row = _indicator_row(ind, saved, posted)
        by_action.get(ind.action_id, kpis).append(row)
    sections = [
        {
            "action": a,
            "rows": by_action[a.pk],
            "computed": computed.get(a.pk, []),
            "progress": progress.get(a.pk),
            "costs": [(c, executed.get(c.pk)) for c in cost_lines if c.action_id == a.pk],
        }
        for a in actions
    ]
    return {
        "submission": submission,
        "plan": plan,
        "sections": sections,
        "kpis": kpis,
        "statuses": ActionStatus.choices,
        "editable": submission.is_editable and submission.period.status == PeriodStatus.OPEN,
        "can_edit": can_edit_submission(request.user, submission),
        "can_review": can_review_submission(request.user, submission),
        "return_form": ReturnForm(),
        "errors": (parsed.errors if parsed else {}),
        "warnings": warnings or [],
        "post": request.POST if request.method == "POST" else {},
        "_lists": (indicators, actions, cost_lines),
    }


@login_required
def submission_form(request: HttpRequest, submission_id: str) -> HttpResponse:
    # Saving the form needs "edit"; any user who sees the form may read it.
    submission = submission_for(request.user, submission_id, action="edit" if request.method == "POST" else "view")
    context = _form_context(request, submission)
    if request.method == "POST":
        indicators, actions, cost_lines = context["_lists"]
        parsed = parse_submission(request.POST, indicators, actions, cost_lines)
        if not parsed.errors:
            try:
                warnings = services.submission_save(
                    actor=request.user,
                    submission=submission,
                    values=parsed.values,
                    progress=parsed.progress,
                    costs=parsed.costs,
                )
                messages.success(request, _("Your report is saved."))
                for indicator, issue in warnings:
                    messages.warning(request, f"{indicator.code}: {issue.message}")
                return redirect("plans:form", submission_id=submission.pk)
            except ValidationError as exc:
                parsed.errors["__all__"] = " ".join(exc.messages)
        context = _form_context(request, submission, parsed)
        return render(request, "plans/submission_form.html", context, status=400)
    return render(request, "plans/submission_form.html", context)


@login_required
@require_POST
def submission_submit_view(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = submission_for(request.user, submission_id, action="submit")
    try:
        services.submission_submit(actor=request.user, submission=submission)
        messages.success(request, _("Your report is submitted for review."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:form", submission_id=submission.pk)


@login_required
@require_POST
def submission_review_view(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = submission_for(request.user, submission_id, action="review")
    try:
        if request.POST.get("decision") == "approve":
            services.submission_approve(actor=request.user, submission=submission)
            messages.success(request, _("The report is approved."))
        else:
            services.submission_return(
                actor=request.user, submission=submission, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("The report is sent back with your comment."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:form", submission_id=submission.pk)


@login_required
def indicator_records(request: HttpRequest, plan_id: str, indicator_id: str, code: str) -> HttpResponse:
    """The records behind a computed value (drill-down): the activities an indicator counts in a period."""
    plan = plan_for(request.user, plan_id, action="report")
    indicator = indicator_for(request.user, plan, indicator_id)
    period = period_for(request.user, plan, code)
    records = selectors.indicator_records(indicator=indicator, period=period)
    context = {
        "plan": plan,
        "indicator": indicator,
        "period": period,
        "records": list(records[:500]) if records is not None else None,
        "total": records.count() if records is not None else 0,
        "others": selectors.indicator_register_records(indicator=indicator, period=period),
    }
    return render(request, "plans/indicator_records.html", context)
