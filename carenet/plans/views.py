"""Thin views: parse, call one selector or service, render."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.policy import policy

from . import selectors, services
from .forms import IndicatorSourceForm, PlanVersionForm, ReopenForm, ReturnForm, parse_submission
from .models import ActionStatus, CostLine, Indicator, PeriodStatus, parse_combo
from .permissions import can_edit_submission, can_lock_period, can_review_submission, submissions_visible_to


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_list(request.user)
    forms_ = selectors.submissions_of_user(request.user)[:50]
    return render(request, "plans/plan_list.html", {"plans": plans, "my_forms": forms_})


@login_required
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    context = {
        "plan": plan,
        "objectives": selectors.plan_structure(plan),
        "periods": plan.periods.order_by("start_date"),
        "findings": selectors.findings_of(plan),
        "kpis": plan.indicators.filter(action__isnull=True).order_by("order"),
        "versions": plan.versions.order_by("number"),
        "can_amend": policy.can(request.user, "amend", plan),
        "version_form": PlanVersionForm(),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_version_add_view(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    if not policy.can(request.user, "amend", plan):
        raise PermissionDenied
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
    plan = selectors.plan_get(request.user, plan_id)
    indicators = selectors.plan_indicators(plan)
    context = {"plan": plan, "indicators": indicators, "can_amend": policy.can(request.user, "amend", plan)}
    return render(request, "plans/indicator_list.html", context)


@login_required
def indicator_source_view(request: HttpRequest, plan_id: str, indicator_id: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    if not policy.can(request.user, "amend", plan):
        raise PermissionDenied
    indicator = selectors.indicator_get(plan, indicator_id)
    form = IndicatorSourceForm(request.POST or None, indicator=indicator, services=selectors.countable_services(plan))
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
    plan = selectors.plan_get(request.user, plan_id)
    period = selectors.period_get(request.user, plan, code)
    visible = set(submissions_visible_to(request.user).filter(period=period).values_list("pk", flat=True))
    bodies = [row for row in selectors.completeness_by_body(period) if row.submission.pk in visible]
    context = {
        "plan": plan,
        "period": period,
        "bodies": bodies,
        "objectives": selectors.completeness_by_objective(period),
        "flags": selectors.period_quality_flags(period),
        "can_lock": can_lock_period(request.user, period),
        "reopen_form": ReopenForm(),
    }
    return render(request, "plans/period_detail.html", context)


@login_required
@require_POST
def period_open_forms_view(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    period = selectors.period_get(request.user, plan, code)
    if not can_lock_period(request.user, period):
        raise PermissionDenied
    forms_ = services.submissions_open(period=period)
    messages.success(request, _("%(n)s reporting forms are open.") % {"n": len(forms_)})
    return redirect("plans:period", plan_id=plan.pk, code=period.code)


@login_required
@require_POST
def period_lock_view(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    period = selectors.period_get(request.user, plan, code)
    try:
        services.period_lock(actor=request.user, period=period)
        messages.success(request, _("The period is locked."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:period", plan_id=plan.pk, code=period.code)


@login_required
@require_POST
def period_reopen_view(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    period = selectors.period_get(request.user, plan, code)
    form = ReopenForm(request.POST)
    try:
        services.period_reopen(actor=request.user, period=period, reason=request.POST.get("reason", ""))
        messages.success(request, _("The period is reopened; this was recorded in the audit log."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    del form
    return redirect("plans:period", plan_id=plan.pk, code=period.code)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _indicator_row(ind: Indicator, saved: dict, posted) -> dict:  # type: ignore[no-untyped-def,type-arg]
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


def _form_context(request: HttpRequest, submission, parsed=None, warnings=None):  # type: ignore[no-untyped-def]
    plan = submission.period.plan
    indicators = list(services.indicators_of_body(plan, submission.organisation))
    actions = list(services.actions_of_body(plan, submission.organisation))
    cost_lines = list(
        CostLine.objects.for_tenant(submission.municipality_id)
        .filter(action__in=actions)
        .select_related("funding_source", "action")
        .order_by("action__order", "funding_source__order")
    )
    saved = {}
    for v in submission.values.all():
        saved[(v.indicator_id, v.combo)] = v
    progress = {p.action_id: p for p in submission.action_progress.all()}
    executed = {c.cost_line_id: c.executed_amount for c in submission.costs.all()}
    if parsed is not None:
        executed = {c.pk: request.POST.get(f"cost-{c.pk}", "") for c in cost_lines}
        progress = {
            a.pk: SimpleNamespace(status=request.POST.get(f"st-{a.pk}", ""), note=request.POST.get(f"note-{a.pk}", ""))
            for a in actions
        }
    by_action: dict = {a.pk: [] for a in actions}
    kpis: list[dict] = []
    posted = request.POST if parsed is not None else None
    for ind in indicators:
        row = _indicator_row(ind, saved, posted)
        by_action.get(ind.action_id, kpis).append(row)
    sections = [
        {
            "action": a,
            "rows": by_action[a.pk],
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
    submission = selectors.submission_get(request.user, submission_id)
    may_touch = can_edit_submission(request.user, submission) or can_review_submission(request.user, submission)
    if not may_touch and not submissions_visible_to(request.user).filter(pk=submission.pk).exists():
        raise PermissionDenied
    context = _form_context(request, submission)
    if request.method == "POST":
        if not can_edit_submission(request.user, submission):
            raise PermissionDenied
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
    submission = selectors.submission_get(request.user, submission_id)
    try:
        services.submission_submit(actor=request.user, submission=submission)
        messages.success(request, _("Your report is submitted for review."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:form", submission_id=submission.pk)


@login_required
@require_POST
def submission_review_view(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = selectors.submission_get(request.user, submission_id)
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
