"""Thin views: parse, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ReopenForm, ReturnForm, parse_submission
from .models import ActionStatus, CostLine, PeriodStatus
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
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def period_detail(request: HttpRequest, plan_id: str, code: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    period = selectors.period_get(request.user, plan, code)
    if can_lock_period(request.user, period) and period.status == PeriodStatus.OPEN:
        services.submissions_open(period=period)
    visible = set(submissions_visible_to(request.user).filter(period=period).values_list("pk", flat=True))
    bodies = [row for row in selectors.completeness_by_body(period) if row.submission.pk in visible]
    context = {
        "plan": plan,
        "period": period,
        "bodies": bodies,
        "objectives": selectors.completeness_by_objective(period),
        "can_lock": can_lock_period(request.user, period),
        "reopen_form": ReopenForm(),
    }
    return render(request, "plans/period_detail.html", context)


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
    by_action: dict = {a.pk: [] for a in actions}
    kpis = []
    for ind in indicators:
        cells = []
        if ind.disaggregation:
            for combo in ind.disaggregation.combos():
                cell = saved.get((ind.pk, combo))
                cells.append({"combo": combo, "value": cell.value if cell else None})
        row = {"indicator": ind, "saved": saved.get((ind.pk, "")), "cells": cells}
        (by_action[ind.action_id] if ind.action_id in by_action else kpis).append(row)
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
    if not (can_edit_submission(request.user, submission) or can_review_submission(request.user, submission)):
        if not submissions_visible_to(request.user).filter(pk=submission.pk).exists():
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
                    actor=request.user, submission=submission, values=parsed.values, progress=parsed.progress, costs=parsed.costs
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
            services.submission_return(actor=request.user, submission=submission, comment=request.POST.get("comment", ""))
            messages.success(request, _("The report is sent back with your comment."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:form", submission_id=submission.pk)
