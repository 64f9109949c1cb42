"""Every write to a case: validated, in one transaction, with a timeline event and an audit event."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.policy import policy
from carenet.people.models import Person
from carenet.people.uploads import validate_scan

from .models import (
    Assessment,
    Case,
    CaseDocument,
    CaseEvent,
    CaseStatus,
    Channel,
    DutyKind,
    InterventionPlan,
    MonitoringDuty,
    MonitoringVisit,
    Note,
    PlanAction,
    PlanStatus,
    ServiceDelivery,
    SocialInquiry,
    Task,
)
from .permissions import can_open_case

# HG 691/2015 and the child-protection methodology: at least six months of monitoring after reintegration.
REINTEGRATION_MIN_DAYS = 183


class StaleCaseError(ValidationError):
    """The case changed since the user loaded it: their save is refused, nothing is overwritten."""


def _today() -> datetime.date:
    return timezone.localdate()


def _event(case: Case, *, kind: str, summary: str = "", actor: Any = None) -> CaseEvent:
    return CaseEvent.objects.create(
        municipality_id=case.municipality_id, case=case, kind=kind, summary=summary[:300], actor=actor
    )


def _record(case: Case, *, user: Any, action: str, summary: str = "", changes: dict | None = None) -> None:
    _event(case, kind=action, summary=summary, actor=user)
    audit_record(action=f"case.{action}", actor=user, obj=case, changes=changes or {})


def _save_case(*, case: Case, expected_version: int, **fields: Any) -> Case:
    """Compare-and-set on ``version``: a stale save raises StaleCaseError and changes nothing."""
    updated = (
        Case.objects.for_tenant(case.municipality_id)
        .filter(pk=case.pk, version=expected_version)
        .update(version=F("version") + 1, updated_at=timezone.now(), **fields)
    )
    if not updated:
        raise StaleCaseError(
            _(
                "Someone else changed this case after you opened it. Nothing was saved: reload the page, "
                "check their changes and enter yours again."
            ),
            code="stale",
        )
    for key, value in fields.items():
        setattr(case, key, value)
    case.version = expected_version + 1
    return case


def _require_change(user: Any, case: Case) -> None:
    policy.require(user, "change", case)


def _require_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()},
            code="status",
        )


def case_open(
    *,
    user: Any,
    person: Person,
    organisation: Any,
    channel: str,
    opened_on: datetime.date | None = None,
    request_summary: str = "",
    referred_by: str = "",
    caseworker: Any = None,
    is_synthetic: bool = False,
) -> Case:
    org_id = getattr(organisation, "pk", organisation)
    if not can_open_case(user, org_id) or not policy.can(user, "view", person):
        raise PermissionDenied
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the request came.")})
    opened_on = opened_on or _today()
    if opened_on > _today():
        raise ValidationError({"opened_on": _("The date cannot be in the future.")})
    if channel == Channel.INSTITUTION and not referred_by.strip():
        raise ValidationError({"referred_by": _("Name the institution that sent the person.")})
    case = Case(
        municipality_id=person.municipality_id,
        reference=f"{opened_on.year}-{uuid.uuid4().hex[:8].upper()}",
        organisation_id=org_id,
        person=person,
        caseworker=caseworker or user,
        channel=channel,
        request_summary=request_summary.strip(),
        referred_by=referred_by.strip(),
        opened_on=opened_on,
        is_synthetic=is_synthetic,
    )
    with transaction.atomic():
        case.save()
        _record(case, user=user, action="open", summary=case.get_channel_display(), changes={"channel": channel})
    return case


CASE_EDITABLE = ("request_summary", "referred_by", "legal_basis", "caseworker")


def case_update(*, user: Any, case: Case, expected_version: int, **fields: Any) -> Case:
    _require_change(user, case)
    if set(fields) - set(CASE_EDITABLE):
        raise TypeError("not editable here")
    with transaction.atomic():
        _save_case(case=case, expected_version=expected_version, **fields)
        _record(case, user=user, action="update", changes={"fields": sorted(fields)})
    return case


def inquiry_record(
    *, user: Any, case: Case, expected_version: int, visited_on: datetime.date, **fields: Any
) -> SocialInquiry:
    _require_change(user, case)
    if visited_on > _today():
        raise ValidationError({"visited_on": _("The date cannot be in the future.")})
    if visited_on < case.opened_on:
        raise ValidationError({"visited_on": _("The visit cannot be before the case was opened.")})
    inquiry = SocialInquiry(
        municipality_id=case.municipality_id, case=case, visited_on=visited_on, author=user, **fields
    )
    inquiry.full_clean(exclude=["municipality", "case", "author"])
    with transaction.atomic():
        new_status = CaseStatus.INQUIRY if case.status == CaseStatus.INTAKE else case.status
        _save_case(case=case, expected_version=expected_version, status=new_status)
        inquiry.save()
        # Field names only: the inquiry's content is personal and partly special-category data.
        _record(case, user=user, action="inquiry", summary=str(visited_on), changes={"risks": inquiry.risks})
    return inquiry


def case_decide(
    *,
    user: Any,
    case: Case,
    expected_version: int,
    admitted: bool,
    decided_on: datetime.date,
    refusal_reason: str = "",
    directed_to: str = "",
) -> Case:
    _require_change(user, case)
    _require_status(case, CaseStatus.INTAKE, CaseStatus.INQUIRY)
    if decided_on > _today() or decided_on < case.opened_on:
        raise ValidationError({"decided_on": _("The decision date must be between the opening of the case and today.")})
    if not admitted and not refusal_reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason for the refusal.")})
    fields: dict[str, Any] = {"decided_on": decided_on, "directed_to": directed_to.strip()}
    if admitted:
        fields.update(status=CaseStatus.ADMITTED, refusal_reason="")
    else:
        fields.update(status=CaseStatus.REFUSED, refusal_reason=refusal_reason.strip(), closed_on=decided_on)
    with transaction.atomic():
        _save_case(case=case, expected_version=expected_version, **fields)
        _record(case, user=user, action="admit" if admitted else "refuse", summary=directed_to)
    return case


def contract_sign(
    *, user: Any, case: Case, expected_version: int, contract_number: str, signed_on: datetime.date
) -> Case:
    _require_change(user, case)
    _require_status(case, CaseStatus.ADMITTED)
    if not contract_number.strip():
        raise ValidationError({"contract_number": _("Enter the contract number.")})
    if signed_on > _today() or (case.decided_on and signed_on < case.decided_on):
        raise ValidationError({"signed_on": _("The contract date must be between the decision and today.")})
    with transaction.atomic():
        _save_case(
            case=case,
            expected_version=expected_version,
            status=CaseStatus.ACTIVE,
            contract_number=contract_number.strip(),
            contract_signed_on=signed_on,
        )
        _record(case, user=user, action="contract", summary=contract_number)
    return case


def plan_create(*, user: Any, case: Case, goals: str) -> InterventionPlan:
    _require_change(user, case)
    _require_status(case, CaseStatus.ADMITTED, CaseStatus.ACTIVE)
    if not goals.strip():
        raise ValidationError({"goals": _("Write the goals of the plan.")})
    with transaction.atomic():
        plan = InterventionPlan.objects.create(municipality_id=case.municipality_id, case=case, goals=goals.strip())
        _record(case, user=user, action="plan_create")
    return plan


def plan_action_add(
    *,
    user: Any,
    plan: InterventionPlan,
    action: str,
    responsible: str,
    due_on: datetime.date,
    follow_up_weeks: int | None = None,
) -> PlanAction:
    _require_change(user, plan.case)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("An approved or submitted plan cannot be changed; start a revised plan."))
    item = PlanAction(
        municipality_id=plan.municipality_id,
        plan=plan,
        action=action.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
        follow_up_weeks=follow_up_weeks,
    )
    item.full_clean(exclude=["municipality", "plan"])
    with transaction.atomic():
        item.save()
        _record(plan.case, user=user, action="plan_action", summary=item.action)
    return item


def plan_submit(*, user: Any, plan: InterventionPlan) -> InterventionPlan:
    _require_change(user, plan.case)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be submitted."))
    if not plan.actions.exists():
        raise ValidationError(_("Add at least one action before submitting the plan."))
    with transaction.atomic():
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status"])
        _record(plan.case, user=user, action="plan_submit")
    return plan


def plan_approve(*, user: Any, plan: InterventionPlan) -> InterventionPlan:
    """A supervisor approves; each action with a periodic follow-up becomes a monitoring duty."""
    policy.require(user, "approve", plan.case)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."))
    with transaction.atomic():
        plan.status = PlanStatus.APPROVED
        plan.approved_by = user
        plan.approved_at = timezone.now()
        plan.save(update_fields=["status", "approved_by", "approved_at"])
        for item in plan.actions.filter(follow_up_weeks__isnull=False):
            start = _today()
            MonitoringDuty.objects.create(
                municipality_id=plan.municipality_id,
                case=plan.case,
                kind=DutyKind.PLAN_FOLLOW_UP,
                starts_on=start,
                ends_on=max(item.due_on, start),
                interval_weeks=item.follow_up_weeks,
                next_due_on=start + datetime.timedelta(weeks=item.follow_up_weeks or 1),
                responsible=plan.case.caseworker,
                plan_action=item,
            )
        _record(plan.case, user=user, action="plan_approve")
    return plan


def assessment_record(
    *,
    user: Any,
    case: Case,
    kind: str,
    assessed_on: datetime.date,
    summary: str,
    progress: int | None = None,
) -> Assessment:
    _require_change(user, case)
    if assessed_on > _today():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    item = Assessment(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        assessed_on=assessed_on,
        summary=summary.strip(),
        progress=progress,
        author=user,
    )
    item.full_clean(exclude=["municipality", "case", "author"])
    with transaction.atomic():
        item.save()
        _record(case, user=user, action="assessment", summary=item.get_kind_display())
    return item


def closure_request(*, user: Any, case: Case, expected_version: int, outcome: str, closure_note: str) -> Case:
    _require_change(user, case)
    _require_status(case, CaseStatus.ADMITTED, CaseStatus.ACTIVE)
    if not closure_note.strip():
        raise ValidationError({"closure_note": _("Describe the situation at closure.")})
    with transaction.atomic():
        _save_case(
            case=case,
            expected_version=expected_version,
            status=CaseStatus.CLOSING,
            outcome=outcome,
            closure_note=closure_note.strip(),
            closure_requested_by=user,
        )
        _record(case, user=user, action="closure_request", changes={"outcome": outcome})
    return case


def closure_decide(*, user: Any, case: Case, expected_version: int, approve: bool) -> Case:
    """The supervisor approves the closure, or sends the case back to active work."""
    policy.require(user, "approve", case)
    _require_status(case, CaseStatus.CLOSING)
    with transaction.atomic():
        if approve:
            _save_case(
                case=case,
                expected_version=expected_version,
                status=CaseStatus.CLOSED,
                closed_on=_today(),
                closure_approved_by=user,
            )
        else:
            _save_case(case=case, expected_version=expected_version, status=CaseStatus.ACTIVE)
        _record(case, user=user, action="close" if approve else "closure_reject")
    return case


def note_add(*, user: Any, case: Case, text: str) -> Note:
    policy.require(user, "view_detail", case)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    with transaction.atomic():
        note = Note.objects.create(municipality_id=case.municipality_id, case=case, text=text.strip(), author=user)
        _record(case, user=user, action="note")
    return note


def document_upload(*, user: Any, case: Case, kind: str, title: str, file: Any) -> CaseDocument:
    _require_change(user, case)
    try:
        validate_scan(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    doc = CaseDocument(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        title=title.strip() or (getattr(file, "name", "") or "")[:200],
        original_name=(getattr(file, "name", "") or "")[:200],
        size=getattr(file, "size", 0) or 0,
        uploaded_by=user,
    )
    doc.full_clean(exclude=["municipality", "case", "uploaded_by", "file"])
    with transaction.atomic():
        doc.file = file
        doc.save()
        _record(case, user=user, action="document", summary=doc.get_kind_display(), changes={"size": doc.size})
    return doc


def task_add(*, user: Any, case: Case, title: str, due_on: datetime.date, assignee: Any = None) -> Task:
    _require_change(user, case)
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    with transaction.atomic():
        task = Task.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            title=title.strip()[:200],
            due_on=due_on,
            assignee=assignee or case.caseworker or user,
        )
        _record(case, user=user, action="task", summary=task.title)
    return task


def task_complete(*, user: Any, task: Task) -> Task:
    policy.require(user, "view_detail", task.case)
    if task.done_at is None:
        with transaction.atomic():
            task.done_at = timezone.now()
            task.save(update_fields=["done_at"])
            _record(task.case, user=user, action="task_done", summary=task.title)
    return task


def duty_add(
    *,
    user: Any,
    case: Case,
    kind: str,
    starts_on: datetime.date,
    interval_weeks: int,
    ends_on: datetime.date | None = None,
    carer_name: str = "",
    carer_relation: str = "",
    parents_country: str = "",
    responsible: Any = None,
) -> MonitoringDuty:
    _require_change(user, case)
    if interval_weeks < 1 or interval_weeks > 52:
        raise ValidationError({"interval_weeks": _("Choose an interval between 1 and 52 weeks.")})
    min_end = starts_on + datetime.timedelta(days=REINTEGRATION_MIN_DAYS)
    if kind == DutyKind.REINTEGRATION:
        ends_on = ends_on or min_end
        if ends_on < min_end:
            raise ValidationError({"ends_on": _("After a reintegration the child is monitored for at least 6 months.")})
    if kind == DutyKind.PARENTS_ABROAD and not carer_name.strip():
        raise ValidationError({"carer_name": _("Name the carer declared by the parents (HG 691/2015).")})
    ends_on = ends_on or min_end
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    with transaction.atomic():
        duty = MonitoringDuty.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            interval_weeks=interval_weeks,
            next_due_on=starts_on + datetime.timedelta(weeks=interval_weeks),
            carer_name=carer_name.strip(),
            carer_relation=carer_relation.strip(),
            parents_country=parents_country.strip(),
            responsible=responsible or case.caseworker or user,
        )
        _record(case, user=user, action="duty", summary=duty.get_kind_display())
    return duty


def visit_record(*, user: Any, duty: MonitoringDuty, visited_on: datetime.date, findings: str) -> MonitoringVisit:
    _require_change(user, duty.case)
    if visited_on > _today() or visited_on < duty.starts_on:
        raise ValidationError({"visited_on": _("The visit date must be between the start of monitoring and today.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write what you found.")})
    with transaction.atomic():
        visit = MonitoringVisit.objects.create(
            municipality_id=duty.municipality_id,
            duty=duty,
            visited_on=visited_on,
            findings=findings.strip(),
            author=user,
        )
        duty.next_due_on = max(duty.next_due_on, visited_on + datetime.timedelta(weeks=duty.interval_weeks))
        duty.is_overdue = duty.next_due_on < _today()
        if duty.next_due_on > duty.ends_on:
            duty.completed_on = visited_on
        duty.save(update_fields=["next_due_on", "is_overdue", "completed_on"])
        _record(duty.case, user=user, action="visit", summary=str(visited_on))
    return visit


def delivery_record(
    *,
    user: Any,
    person: Person,
    service: Any,
    delivered_on: datetime.date,
    quantity: Decimal | int = 1,
    unit: str = "act",
    case: Case | None = None,
    staff: Any = None,
) -> ServiceDelivery:
    """One act of service by the service's own provider, to a person the user may see."""
    if service.municipality_id != person.municipality_id:
        raise PermissionDenied
    if not can_open_case(user, service.organisation_id) or not policy.can(user, "view", person):
        raise PermissionDenied
    if case is not None and (case.person_id != person.pk or case.organisation_id != service.organisation_id):
        raise ValidationError({"case": _("The case must be this person's case with this provider.")})
    if delivered_on > _today():
        raise ValidationError({"delivered_on": _("The date cannot be in the future.")})
    if Decimal(quantity) <= 0:
        raise ValidationError({"quantity": _("The quantity must be more than zero.")})
    with transaction.atomic():
        delivery = ServiceDelivery.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            service=service,
            organisation_id=service.organisation_id,
            case=case,
            delivered_on=delivered_on,
            quantity=quantity,
            unit=(unit or "act").strip()[:30],
            staff=staff or user,
            is_synthetic=person.is_synthetic,
        )
        audit_record(action="delivery.record", actor=user, obj=person, changes={"service": str(service.pk)})
    return delivery


def person_merge_move(*, user: Any, survivor: Person, duplicate: Person) -> dict[str, int]:
    """People's merge hook (``carenet.people.hooks``): the duplicate's cases and deliveries go to the survivor.

    Runs inside ``person_merge``'s transaction. Each moved case gets a line on its timeline and an
    audit event; deliveries are counted in the merge's own audit event.
    """
    tenant = survivor.municipality_id
    cases = list(Case.objects.for_tenant(tenant).filter(person=duplicate).order_by("pk"))
    moved_cases = (
        Case.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor, updated_at=timezone.now())
    )
    for case in cases:
        case.person = survivor
        _record(
            case,
            user=user,
            action="person_merge",
            changes={"person": [str(duplicate.pk), str(survivor.pk)]},
        )
    moved_deliveries = ServiceDelivery.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor)
    return {"cases.case": moved_cases, "cases.servicedelivery": moved_deliveries}


def duties_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Flag duties whose visit is overdue (platform task: runs across tenants)."""
    today = today or _today()
    base = MonitoringDuty.objects.all_tenants().filter(completed_on__isnull=True)
    flagged = base.filter(next_due_on__lt=today, is_overdue=False).update(is_overdue=True)
    base.filter(next_due_on__gte=today, is_overdue=True).update(is_overdue=False)
    return flagged
