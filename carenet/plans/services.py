"""Every write of the plans app: reporting forms, review, lock / reopen, computed values."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record

from . import dq
from .computations import REGISTRY, compute_all, compute_texts
from .models import (
    TOTAL,
    ActionProgress,
    ActionStatus,
    CostExecution,
    CostLine,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    IndicatorTarget,
    IndicatorValue,
    PeriodStatus,
    Plan,
    PlanStatus,
    PlanVersion,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
    TargetOperator,
    VersionKind,
)
from .permissions import (
    can_amend_plan,
    can_edit_submission,
    can_lock_period,
    can_open_forms,
    can_reopen_period,
    can_review_submission,
    can_submit_submission,
)
from .selectors import actions_of_body, indicators_of_body, previous_totals, reporting_bodies


@dataclass
class ValueInput:
    indicator_id: UUID
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    text: str = ""
    comment: str = ""
    cells: dict[str, Decimal | None] = field(default_factory=dict)


@dataclass
class ProgressInput:
    action_id: UUID
    status: str
    note: str = ""


@dataclass
class CostInput:
    cost_line_id: UUID
    executed_amount: Decimal | None


# --- the forms of a period ----------------------------------------------------------------------------


@transaction.atomic
def submissions_open(*, period: ReportingPeriod, actor: Any = None) -> list[Submission]:
    """One form per reporting body for the period (idempotent). ``actor=None``: the platform (the reminder
    task, the demo loader) opens them; a user must be the coordinator."""
    if actor is not None and not can_open_forms(actor, period):
        raise PermissionDenied
    existing = {
        s.organisation_id: s for s in Submission.objects.for_tenant(period.municipality_id).filter(period=period)
    }
    created = []
    for org in reporting_bodies(plan=period.plan):
        if org.pk not in existing:
            created.append(Submission(municipality_id=period.municipality_id, period=period, organisation=org))
    Submission.objects.bulk_create(created)
    return list(Submission.objects.for_tenant(period.municipality_id).filter(period=period))


# --- the form --------------------------------------------------------------------------------------


def _require_open(submission: Submission) -> None:
    if submission.period.status == PeriodStatus.LOCKED:
        raise ValidationError(_("This period is locked; the coordinator must reopen it first."))


def validate_value(indicator: Indicator, entry: ValueInput, previous: Decimal | None = None) -> list[dq.Issue]:
    """Rules by indicator type; returns the issues (errors block saving)."""
    issues: list[dq.Issue] = []
    kind = indicator.kind
    if kind == IndicatorKind.PERCENTAGE:
        issues += dq.check_percentage(entry.value, entry.numerator, entry.denominator)
    elif kind == IndicatorKind.PER_BENEFICIARY:
        if (entry.numerator is None) != (entry.denominator is None):
            issues.append(
                dq.Issue("per_beneficiary", "error", _("Enter both the quantity and the number of beneficiaries."))
            )
        elif entry.denominator is not None and entry.denominator <= 0:
            issues.append(
                dq.Issue("per_beneficiary", "error", _("The number of beneficiaries must be greater than 0."))
            )
        issues += dq.check_non_negative(entry.numerator)
    elif kind == IndicatorKind.MILESTONE:
        if entry.value is not None and entry.value not in (Decimal(0), Decimal(1)):
            issues.append(dq.Issue("milestone", "error", _("A milestone is either reached (yes) or not (no).")))
    elif kind == IndicatorKind.LIST:
        if entry.value is not None:
            issues.append(
                dq.Issue("list", "error", _("This indicator is a descriptive list: write the items, one a line."))
            )
    else:  # count, frequency, period
        issues += dq.check_non_negative(entry.value)
        if kind == IndicatorKind.COUNT and entry.value is not None and entry.value != entry.value.to_integral_value():
            issues.append(dq.Issue("count_integer", "error", _("A count is a whole number.")))
    if indicator.disaggregation_id and entry.cells:
        allowed = set(indicator.disaggregation.combos()) if indicator.disaggregation else set()
        margins = {c for c in entry.cells if c.count("|") == 0}
        unknown = set(entry.cells) - allowed - margins
        if unknown:
            issues.append(dq.Issue("disaggregation_unknown", "error", _("Unknown breakdown cell.")))
        issues += dq.check_disaggregation_sum(entry.value, entry.cells)
    issues += dq.check_jump(previous, _numeric(indicator, entry))
    return issues


def _numeric(indicator: Indicator, entry: ValueInput) -> Decimal | None:
    if (
        indicator.kind == IndicatorKind.PERCENTAGE
        and entry.value is None
        and entry.numerator is not None
        and entry.denominator
    ):
        return (entry.numerator / entry.denominator * 100).quantize(Decimal("0.01"))
    if indicator.kind == IndicatorKind.PER_BENEFICIARY and entry.numerator is not None and entry.denominator:
        return (entry.numerator / entry.denominator).quantize(Decimal("0.0001"))
    return entry.value


@transaction.atomic
def submission_save(
    *,
    actor: Any,
    submission: Submission,
    values: list[ValueInput],
    progress: list[ProgressInput] | None = None,
    costs: list[CostInput] | None = None,
) -> list[tuple[Indicator, dq.Issue]]:
    """Save a body's form. Errors refuse the whole form (ValidationError naming the indicator);
    warnings are returned for display."""
    if not can_edit_submission(actor, submission):
        raise PermissionDenied
    submission = Submission.objects.for_tenant(submission.municipality_id).select_for_update().get(pk=submission.pk)
    _require_open(submission)
    if not submission.is_editable:
        raise ValidationError(_("This form has been submitted; it can be changed only if it is sent back."))
    plan = submission.period.plan
    allowed = {i.pk: i for i in indicators_of_body(plan=plan, organisation=submission.organisation)}
    previous = previous_totals(submission=submission, indicator_ids=list(allowed))
    errors: list[str] = []
    warnings: list[tuple[Indicator, dq.Issue]] = []
    for entry in values:
        indicator = allowed.get(entry.indicator_id)
        if indicator is None:
            raise PermissionDenied
        for issue in validate_value(indicator, entry, previous.get(indicator.pk)):
            if issue.severity == "error":
                errors.append(_("Indicator %(code)s: %(message)s") % {"code": indicator.code, "message": issue.message})
            else:
                warnings.append((indicator, issue))
    action_ids = set(actions_of_body(plan=plan, organisation=submission.organisation).values_list("pk", flat=True))
    for p in progress or []:
        if p.action_id not in action_ids:
            raise PermissionDenied
        if p.status not in ActionStatus.values:
            errors.append(_("Action status is not valid."))
    cost_lines = {
        c.pk: c for c in CostLine.objects.for_tenant(submission.municipality_id).filter(action_id__in=action_ids)
    }
    for c in costs or []:
        if c.cost_line_id not in cost_lines:
            raise PermissionDenied
        if c.executed_amount is not None and c.executed_amount < 0:
            errors.append(_("An executed amount cannot be negative."))
    if errors:
        raise ValidationError(errors)
    m = submission.municipality_id
    body = submission.organisation.code
    for entry in values:
        indicator = allowed[entry.indicator_id]
        IndicatorValue.objects.for_tenant(m).filter(
            indicator=indicator, period=submission.period, body_code=body, is_computed=False
        ).delete()
        rows = [
            IndicatorValue(
                municipality_id=m,
                indicator=indicator,
                period=submission.period,
                body_code=body,
                submission=submission,
                combo=TOTAL,
                value=_numeric(indicator, entry),
                numerator=entry.numerator,
                denominator=entry.denominator,
                text=entry.text,
                comment=entry.comment,
            )
        ]
        rows += [
            IndicatorValue(
                municipality_id=m,
                indicator=indicator,
                period=submission.period,
                body_code=body,
                submission=submission,
                combo=combo,
                value=v,
            )
            for combo, v in entry.cells.items()
            if v is not None
        ]
        if any(r.value is not None or r.text for r in rows):
            IndicatorValue.objects.bulk_create(rows)
    for p in progress or []:
        ActionProgress.objects.for_tenant(m).update_or_create(
            municipality_id=m,
            submission=submission,
            action_id=p.action_id,
            defaults={"status": p.status, "note": p.note},
        )
    for c in costs or []:
        CostExecution.objects.for_tenant(m).update_or_create(
            municipality_id=m,
            submission=submission,
            cost_line=cost_lines[c.cost_line_id],
            period=submission.period,
            defaults={"executed_amount": c.executed_amount},
        )
    audit_record(
        action="plan.submission.save",
        actor=actor,
        obj=submission,
        changes={"indicators": len(values), "actions": len(progress or []), "costs": len(costs or [])},
    )
    return warnings


def _transition(submission: Submission, allowed_from: tuple[str, ...], message: str) -> None:
    if submission.status not in allowed_from:
        raise ValidationError(message)


@transaction.atomic
def submission_submit(*, actor: Any, submission: Submission) -> Submission:
    if not can_submit_submission(actor, submission):
        raise PermissionDenied
    _require_open(submission)
    _transition(submission, (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED), _("This form is not a draft."))
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by = actor
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit_record(action="plan.submission.submit", actor=actor, obj=submission, changes={"status": submission.status})
    return submission


@transaction.atomic
def submission_approve(*, actor: Any, submission: Submission) -> Submission:
    if not can_review_submission(actor, submission):
        raise PermissionDenied
    _require_open(submission)
    _transition(submission, (SubmissionStatus.SUBMITTED,), _("Only a submitted form can be approved."))
    submission.status = SubmissionStatus.APPROVED
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    progress = ActionProgress.objects.for_tenant(submission.municipality_id).filter(submission=submission)
    for p in progress.select_related("action"):
        p.action.status = p.status
        if p.note:
            p.action.progress_note = f"{submission.period.code}: {p.note}"
        p.action.save(update_fields=["status", "progress_note"])
    audit_record(action="plan.submission.approve", actor=actor, obj=submission, changes={"status": submission.status})
    return submission


@transaction.atomic
def submission_return(*, actor: Any, submission: Submission, comment: str) -> Submission:
    if not can_review_submission(actor, submission):
        raise PermissionDenied
    _require_open(submission)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    _transition(
        submission,
        (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED),
        _("Only a submitted form can be sent back."),
    )
    submission.status = SubmissionStatus.RETURNED
    submission.review_comment = comment.strip()
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(action="plan.submission.return", actor=actor, obj=submission, changes={"status": submission.status})
    return submission


@transaction.atomic
def period_lock(*, actor: Any, period: ReportingPeriod) -> ReportingPeriod:
    if not can_lock_period(actor, period):
        raise PermissionDenied
    if period.status == PeriodStatus.LOCKED:
        raise ValidationError(_("This period is already locked."))
    pending = [
        str(s.organisation)
        for s in Submission.objects.for_tenant(period.municipality_id)
        .filter(period=period)
        .exclude(status=SubmissionStatus.APPROVED)
        .select_related("organisation")
    ]
    if pending:
        raise ValidationError(
            _("These forms are not approved yet: %(bodies)s") % {"bodies": ", ".join(sorted(pending))}
        )
    computed_values_refresh(period=period)
    Submission.objects.for_tenant(period.municipality_id).filter(period=period).update(status=SubmissionStatus.LOCKED)
    period.status = PeriodStatus.LOCKED
    period.save(update_fields=["status"])
    audit_record(action="plan.period.lock", actor=actor, obj=period, changes={"status": period.status})
    return period


@transaction.atomic
def period_reopen(*, actor: Any, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    if not can_reopen_period(actor, period):
        raise PermissionDenied
    if period.status != PeriodStatus.LOCKED:
        raise ValidationError(_("Only a locked period can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening a locked period.")})
    Submission.objects.for_tenant(period.municipality_id).filter(period=period).update(status=SubmissionStatus.APPROVED)
    period.status = PeriodStatus.OPEN
    period.save(update_fields=["status"])
    audit_record(
        action="plan.period.reopen",
        actor=actor,
        obj=period,
        purpose=reason.strip()[:200],
        changes={"status": period.status},
    )
    return period


@transaction.atomic
def computed_values_refresh(*, period: ReportingPeriod) -> int:
    """Recompute every computed indicator of the period's plan (values marked ``is_computed``)."""
    m = period.municipality_id
    indicators = Indicator.objects.for_tenant(m).filter(plan_id=period.plan_id, source=IndicatorSource.COMPUTED)
    IndicatorValue.objects.for_tenant(m).filter(period=period, is_computed=True).delete()
    rows = []
    listed = list(indicators.select_related("disaggregation"))
    texts = compute_texts(listed, period)
    for indicator_id, values in compute_all(listed, period).items():
        for combo, value in values.items():
            rows.append(
                IndicatorValue(
                    municipality_id=m,
                    indicator_id=indicator_id,
                    period=period,
                    combo=combo,
                    value=value,
                    text=texts.get(indicator_id, "") if combo == TOTAL else "",
                    is_computed=True,
                )
            )
    IndicatorValue.objects.bulk_create(rows)
    return len(rows)


# --- reminders -------------------------------------------------------------------------------------


@transaction.atomic
def period_remind(*, period: ReportingPeriod) -> list[Submission]:
    """Mark the reminder as sent and return the forms still to be submitted (mail goes on commit)."""
    submissions_open(period=period)
    pending = list(
        Submission.objects.for_tenant(period.municipality_id)
        .filter(period=period, status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED])
        .select_related("organisation")
    )
    period.reminder_sent_at = timezone.now()
    period.save(update_fields=["reminder_sent_at"])
    audit_record(
        action="plan.period.remind", obj=period, municipality=period.municipality_id, changes={"pending": len(pending)}
    )
    return pending


# --- plan versions and targets (coordinator) -------------------------------------------------------


@transaction.atomic
def plan_version_add(
    *,
    actor: Any,
    plan: Plan,
    kind: str,
    decision_reference: str,
    decision_date: datetime.date | None = None,
    summary: str = "",
) -> PlanVersion:
    """Record the council decision that approves or amends the plan (the plan changes only this way)."""
    if not can_amend_plan(actor, plan):
        raise PermissionDenied
    if kind not in VersionKind.values:
        raise ValidationError({"kind": _("Choose approval or amendment.")})
    if not decision_reference.strip():
        raise ValidationError({"decision_reference": _("Name the council decision (number and date).")})
    if kind == VersionKind.AMENDMENT and not summary.strip():
        raise ValidationError({"summary": _("Summarise what the amendment changes.")})
    last = PlanVersion.objects.for_tenant(plan.municipality_id).filter(plan=plan).order_by("-number").first()
    version = PlanVersion.objects.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        number=(last.number + 1) if last else 1,
        kind=kind,
        decision_reference=decision_reference.strip(),
        decision_date=decision_date,
        summary=summary.strip(),
    )
    if kind == VersionKind.APPROVAL and plan.status == PlanStatus.DRAFT:
        plan.status = PlanStatus.APPROVED
        plan.save(update_fields=["status"])
    audit_record(
        action=f"plan.version.{kind}", actor=actor, obj=plan, changes={"version": version.number, "status": plan.status}
    )
    return version


@transaction.atomic
def indicator_target_set(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    value: Decimal | None,
    operator: str = TargetOperator.AT_LEAST,
    text: str = "",
) -> IndicatorTarget:
    if not can_amend_plan(actor, indicator.plan):
        raise PermissionDenied
    plan = indicator.plan
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationError(
            {
                "year": _("The year must be within the plan (%(start)s-%(end)s).")
                % {"start": plan.start_year, "end": plan.end_year}
            }
        )
    if operator not in TargetOperator.values:
        raise ValidationError({"operator": _("Choose at least, at most or exactly.")})
    if value is None and not text.strip():
        raise ValidationError({"value": _("Give a numeric target or describe it.")})
    if value is not None and indicator.kind == IndicatorKind.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"value": _("A percentage must be between 0 and 100.")})
    target, _created = IndicatorTarget.objects.for_tenant(indicator.municipality_id).update_or_create(
        municipality_id=indicator.municipality_id,
        indicator=indicator,
        year=year,
        defaults={"value": value, "operator": operator, "text": text.strip()},
    )
    audit_record(action="plan.indicator.target", actor=actor, obj=indicator, changes={"year": year})
    return target


# What an indicator's filters may say (computations_registers.py): key → the values it accepts.
FILTER_KEYS: dict[str, Any] = {
    "action": ("own",),
    "actions": list,
    "kinds": list,
    "categories": list,
    "sex": ("F", "M"),
    "age_min": int,
    "age_max": int,
    "disability": ("yes", "no"),
    "professions": list,
    "agreement_kinds": list,
    "media_kinds": list,
    "targets": list,
    "subplan_kinds": list,
    "by_organisation": bool,
}


def _filter_errors(filters: Any) -> list[str]:
    if not isinstance(filters, dict):
        return [_("The filters must be an object of names and values.")]
    errors = []
    for key, value in filters.items():
        rule = FILTER_KEYS.get(key)
        if rule is None:
            errors.append(_("Unknown filter: %(key)s.") % {"key": key})
        elif rule is list:
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                errors.append(_("Filter %(key)s takes a list of codes.") % {"key": key})
        elif rule is int:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 130:
                errors.append(_("Filter %(key)s takes an age between 0 and 130.") % {"key": key})
        elif rule is bool:
            if not isinstance(value, bool):
                errors.append(_("Filter %(key)s takes true or false.") % {"key": key})
        elif value not in rule:
            errors.append(_("Filter %(key)s takes one of: %(values)s.") % {"key": key, "values": ", ".join(rule)})
    return errors


@transaction.atomic
def indicator_source_set(
    *,
    actor: Any,
    indicator: Indicator,
    source: str,
    computation: str = "",
    services: Any = (),
    filters: dict[str, Any] | None = None,
) -> Indicator:
    """Say where an indicator's values come from: entered by the responsible body, or computed by a named
    definition (optionally counting only some of the municipality's directory services). Locked periods
    keep the values stored when they were locked; open periods follow the new source."""
    from carenet.directory.models import Service

    if not can_amend_plan(actor, indicator.plan):
        raise PermissionDenied
    if source not in IndicatorSource.values:
        raise ValidationError({"source": _("Choose entered or computed.")})
    chosen = list(services or ())
    if source == IndicatorSource.ENTERED:
        computation, chosen = "", []
    else:
        if computation not in REGISTRY:
            raise ValidationError({"computation": _("Choose what CareNet counts for this indicator.")})
        if indicator.kind not in REGISTRY[computation].kinds:
            raise ValidationError(
                {
                    "computation": _("This definition cannot compute an indicator of this type: %(kind)s.")
                    % {"kind": indicator.get_kind_display()}
                }
            )
        filter_errors = _filter_errors(filters if filters is not None else indicator.computation_filters)
        if filter_errors:
            raise ValidationError({"filters": filter_errors})
        if chosen and not REGISTRY[computation].scoped:
            raise ValidationError({"services": _("This definition cannot be limited to some services.")})
    ids = {getattr(service, "pk", service) for service in chosen}
    found = list(Service.objects.for_tenant(indicator.municipality_id).filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"services": _("Choose services of this municipality's directory.")})
    indicator.source, indicator.computation = source, computation
    if filters is not None:
        indicator.computation_filters = dict(filters) if source == IndicatorSource.COMPUTED else {}
    indicator.full_clean(exclude=["plan", "action", "general_objective", "disaggregation"])
    indicator.save(update_fields=["source", "computation", "computation_filters"])
    indicator.services.set(found)
    audit_record(
        action="plan.indicator.source",
        actor=actor,
        obj=indicator,
        changes={
            "source": source,
            "computation": computation,
            "filters": indicator.computation_filters,
            "services": sorted(str(s.pk) for s in found),
        },
    )
    return indicator


SOURCES_FILE = Path(__file__).resolve().parent / "data" / "indicator_sources.json"
# Kinds a definition over a register may compute: counts, and frequencies ("times a year" = activities held).
COMPUTABLE_FROM_REGISTERS = (IndicatorKind.COUNT, IndicatorKind.FREQUENCY)


def shipped_sources(plan_code: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """The shipped mapping of a plan's indicators to definitions over the registers (code → (name, filters))."""
    data = json.loads(SOURCES_FILE.read_text(encoding="utf-8"))
    return {code: (entry[0], entry[1]) for code, entry in data.get(plan_code, {}).items()}


@transaction.atomic
def indicator_sources_apply(
    *, plan: Plan, mapping: dict[str, tuple[str, dict[str, Any]]] | None = None, actor: Any = None
) -> int:
    """Point the plan's indicators at their definitions over the registers (the shipped mapping by default).

    Validated whole: an unknown indicator or definition, or an indicator that is not a count or frequency,
    refuses the mapping and changes nothing. Returns how many indicators are now computed from it.
    """
    mapping = shipped_sources(plan.code) if mapping is None else mapping
    indicators = {i.code: i for i in plan.indicators.all()}
    errors = []
    for code, (name, _filters) in mapping.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors.append(_("Indicator %(code)s is not in the plan.") % {"code": code})
        elif name not in REGISTRY:
            errors.append(_("Indicator %(code)s: no definition named %(name)s.") % {"code": code, "name": name})
        elif _filter_errors(_filters):
            errors.extend(f"{code}: {e}" for e in _filter_errors(_filters))
        elif indicator.kind not in REGISTRY[name].kinds:
            errors.append(
                _("Indicator %(code)s (%(kind)s) cannot be computed by %(name)s.")
                % {"code": code, "kind": indicator.get_kind_display(), "name": name}
            )
    if errors:
        raise ValidationError(errors)
    for code, (name, filters) in mapping.items():
        indicator = indicators[code]
        indicator.source, indicator.computation, indicator.computation_filters = (
            IndicatorSource.COMPUTED,
            name,
            dict(filters),
        )
        indicator.save(update_fields=["source", "computation", "computation_filters"])
    audit_record(action="plan.indicator.sources", actor=actor, obj=plan, changes={"indicators": sorted(mapping)})
    return len(mapping)
