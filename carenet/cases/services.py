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
from carenet.people.grounds import ALL_SECTIONS, Ground, forget_grounds
from carenet.people.models import Person
from carenet.people.uploads import validate_scan

from .models import (
    DOMAINS_OF_VARIANT,
    Assessment,
    AssessmentVariant,
    Case,
    CaseDocument,
    CaseEvent,
    CaseStatus,
    Channel,
    DomainRating,
    DutyKind,
    InterventionPlan,
    MonitoringDuty,
    MonitoringVisit,
    Note,
    PlanAction,
    PlanStatus,
    RiskLevel,
    ServiceDelivery,
    SocialInquiry,
    Task,
)
from .permissions import can_open_case_for, can_record_delivery, organisation_serves
from .selectors import services_of_network, staff_of_case_provider

# HG 691/2015 and the child-protection methodology: at least six months of monitoring after reintegration.
REINTEGRATION_MIN_DAYS = 183


class StaleCaseError(ValidationError):
    """The case changed since the user loaded it: their save is refused, nothing is overwritten."""


def _today() -> datetime.date:
    return timezone.localdate()


def _event(case: Case, *, kind: str, summary: str = "", actor: Any = None, code: str = "") -> CaseEvent:
    return CaseEvent.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        summary=summary[:300],
        summary_code=code[:120],
        actor=actor,
    )


def _record(
    case: Case, *, actor: Any, action: str, summary: str = "", changes: dict | None = None, code: str = ""
) -> None:
    """The timeline line (``code`` names a coded value rendered at read time: "channel:phone") and the audit."""
    _event(case, kind=action, summary=summary, actor=actor, code=code)
    audit_record(action=f"case.{action}", actor=actor, obj=case, changes=changes or {})


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


def _require_change(actor: Any, case: Case) -> None:
    policy.require(actor, "change", case)


def _require_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()},
            code="status",
        )


def case_open(
    *,
    actor: Any,
    person: Person,
    organisation: Any,
    channel: str,
    opened_on: datetime.date | None = None,
    request_summary: str = "",
    referred_by: str = "",
    caseworker: Any = None,
    is_synthetic: bool = False,
    legal_basis: str = "",
    referral: Any = None,
) -> Case:
    """Open a case: the provider needs a ground of its own for the person (decision 0013).

    A provider that already serves the person (registered them, holds their case-management consent, a case
    on a legal basis, a transferred case) needs nothing more. Otherwise the case is opened on the law named in
    ``legal_basis``, or on the accepted ``referral`` to the provider (``referrals.services.referral_open_case``):
    what the case then opens of the person's record follows that ground, and stops with it.
    """
    org_id = getattr(organisation, "pk", organisation)
    if not can_open_case_for(actor, person, org_id):
        raise PermissionDenied
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the request came.")})
    legal_basis = legal_basis.strip()
    ground = _opening_ground(person=person, organisation_id=org_id, legal_basis=legal_basis, referral=referral)
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
        caseworker=caseworker or actor,
        channel=channel,
        request_summary=request_summary.strip(),
        referred_by=referred_by.strip(),
        opened_on=opened_on,
        is_synthetic=is_synthetic,
        legal_basis=legal_basis,
    )
    with transaction.atomic():
        case.save()
        _record(
            case,
            actor=actor,
            action="open",
            summary=case.get_channel_display(),
            code=f"channel:{case.channel}",
            changes={"channel": channel, "ground": ground.kind, "ground_reference": ground.reference},
        )
    forget_grounds(person)
    return case


# Referral statuses in which the receiver may open its own case from it (referrals.models, not imported here).
_REFERRAL_OPENS_CASE = ("accepted", "in_progress")


def _opening_ground(*, person: Person, organisation_id: Any, legal_basis: str, referral: Any) -> Ground:
    served = organisation_serves(person, organisation_id)
    if served:
        return served[0]
    if referral is not None:
        if (
            referral.person_id != person.pk
            or referral.to_organisation_id != organisation_id
            or referral.status not in _REFERRAL_OPENS_CASE
        ):
            raise PermissionDenied
        return Ground("referral_case", frozenset(), False, organisation_id, str(referral.pk))
    if legal_basis:
        return Ground("legal", ALL_SECTIONS, True, organisation_id, "")
    raise ValidationError(
        {
            "legal_basis": _(
                "Your provider does not serve this person yet, so the case needs its own ground: record the "
                "person's consent to case management by your provider, name the law that allows the case here, "
                "or accept the referral and open the case from it."
            )
        },
        code="no_ground",
    )


CASE_EDITABLE = ("request_summary", "referred_by", "legal_basis", "caseworker")


def case_update(*, actor: Any, case: Case, expected_version: int, **fields: Any) -> Case:
    _require_change(actor, case)
    if set(fields) - set(CASE_EDITABLE):
        raise TypeError("not editable here")
    changes: dict[str, Any] = {"fields": sorted(fields)}
    if "legal_basis" in fields and fields["legal_basis"].strip() and not case.legal_basis.strip():
        # A legal basis is a ground of the provider's own for the person (decision 0013): say so in the audit.
        changes["ground"] = "legal"
    with transaction.atomic():
        _save_case(case=case, expected_version=expected_version, **fields)
        _record(case, actor=actor, action="update", changes=changes)
    if Case.person.is_cached(case):
        forget_grounds(case.person)
    return case


def inquiry_record(
    *, actor: Any, case: Case, expected_version: int, visited_on: datetime.date, **fields: Any
) -> SocialInquiry:
    _require_change(actor, case)
    if visited_on > _today():
        raise ValidationError({"visited_on": _("The date cannot be in the future.")})
    if visited_on < case.opened_on:
        raise ValidationError({"visited_on": _("The visit cannot be before the case was opened.")})
    inquiry = SocialInquiry(
        municipality_id=case.municipality_id, case=case, visited_on=visited_on, author=actor, **fields
    )
    inquiry.full_clean(exclude=["municipality", "case", "author"])
    with transaction.atomic():
        new_status = CaseStatus.INQUIRY if case.status == CaseStatus.INTAKE else case.status
        _save_case(case=case, expected_version=expected_version, status=new_status)
        inquiry.save()
        # Field names only: the inquiry's content is personal and partly special-category data.
        _record(
            case,
            actor=actor,
            action="inquiry",
            summary=str(visited_on),
            changes={"risks": inquiry.risks},
            code=f"date:{visited_on.isoformat()}",
        )
    return inquiry


def case_decide(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    admitted: bool,
    decided_on: datetime.date,
    refusal_reason: str = "",
    directed_to: str = "",
) -> Case:
    _require_change(actor, case)
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
        _record(case, actor=actor, action="admit" if admitted else "refuse", summary=directed_to)
    return case


def contract_sign(
    *, actor: Any, case: Case, expected_version: int, contract_number: str, signed_on: datetime.date
) -> Case:
    _require_change(actor, case)
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
        _record(case, actor=actor, action="contract", summary=contract_number)
    return case


def plan_create(*, actor: Any, case: Case, goals: str, review_on: datetime.date | None = None) -> InterventionPlan:
    _require_change(actor, case)
    _require_status(case, CaseStatus.ADMITTED, CaseStatus.ACTIVE)
    if not goals.strip():
        raise ValidationError({"goals": _("Write the goals of the plan.")})
    if review_on is not None and review_on < _today():
        raise ValidationError({"review_on": _("The review date cannot be in the past.")})
    with transaction.atomic():
        plan = InterventionPlan.objects.create(
            municipality_id=case.municipality_id, case=case, goals=goals.strip(), review_on=review_on
        )
        _record(case, actor=actor, action="plan_create")
    return plan


def _check_plan_action_links(plan: InterventionPlan, *, service: Any, staff: Any) -> None:
    """The service is one of the municipality's; the member of staff one of the case's provider."""
    if service is not None and not services_of_network(case=plan.case).filter(pk=service.pk).exists():
        raise ValidationError({"service": _("Choose an active service of this municipality.")})
    if staff is not None and not staff_of_case_provider(case=plan.case).filter(pk=staff.pk).exists():
        raise ValidationError({"staff": _("Choose a member of the case's provider.")})


def plan_action_add(
    *,
    actor: Any,
    plan: InterventionPlan,
    action: str,
    responsible: str,
    due_on: datetime.date,
    follow_up_weeks: int | None = None,
    service: Any = None,
    staff: Any = None,
) -> PlanAction:
    _require_change(actor, plan.case)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("An approved or submitted plan cannot be changed; start a revised plan."))
    _check_plan_action_links(plan, service=service, staff=staff)
    responsible = responsible.strip()
    if not responsible and staff is not None:
        responsible = staff.get_full_name() or staff.get_username()
    item = PlanAction(
        municipality_id=plan.municipality_id,
        plan=plan,
        action=action.strip(),
        responsible=responsible,
        due_on=due_on,
        follow_up_weeks=follow_up_weeks,
        service=service,
        staff=staff,
    )
    item.full_clean(exclude=["municipality", "plan", "service", "staff"])
    with transaction.atomic():
        item.save()
        _record(plan.case, actor=actor, action="plan_action", summary=item.action)
    return item


def plan_submit(*, actor: Any, plan: InterventionPlan) -> InterventionPlan:
    _require_change(actor, plan.case)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be submitted."))
    if not plan.actions.exists():
        raise ValidationError(_("Add at least one action before submitting the plan."))
    with transaction.atomic():
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status"])
        _record(plan.case, actor=actor, action="plan_submit")
    return plan


def plan_return(*, actor: Any, plan: InterventionPlan, reason: str) -> InterventionPlan:
    """A supervisor sends a submitted plan back to draft, saying what to change; the caseworker sees the
    reason on the plan and submits it again."""
    policy.require(actor, "approve", plan.case)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be returned."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must change in the plan.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under 1,000 characters.")})
    with transaction.atomic():
        plan.status = PlanStatus.DRAFT
        plan.returned_reason = reason
        plan.returned_by = actor
        plan.returned_at = timezone.now()
        plan.save(update_fields=["status", "returned_reason", "returned_by", "returned_at"])
        _record(plan.case, actor=actor, action="plan_return", summary=reason)
    return plan


def plan_approve(*, actor: Any, plan: InterventionPlan) -> InterventionPlan:
    """A supervisor approves; each action with a periodic follow-up becomes a monitoring duty."""
    policy.require(actor, "approve", plan.case)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."))
    with transaction.atomic():
        plan.status = PlanStatus.APPROVED
        plan.approved_by = actor
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
        _record(plan.case, actor=actor, action="plan_approve")
    return plan


def assessment_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    assessed_on: datetime.date,
    summary: str,
    progress: int | None = None,
    variant: str = AssessmentVariant.GENERAL,
    ratings: dict[str, tuple[int, str]] | None = None,
) -> Assessment:
    """An assessment with, per domain of its variant, a risk level and what was found (``ratings``: domain →
    (level, note)). A domain left out was not assessed; a domain of another variant is refused."""
    _require_change(actor, case)
    if assessed_on > _today():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    if variant not in DOMAINS_OF_VARIANT:
        raise ValidationError({"variant": _("Choose a valid assessment form.")})
    ratings = ratings or {}
    allowed = DOMAINS_OF_VARIANT[variant]
    errors: dict[str, str] = {}
    for domain, (level, note) in ratings.items():
        if domain not in allowed:
            errors[f"level_{domain}"] = _("This domain is not part of the chosen assessment form.")
        elif level not in RiskLevel.values:
            errors[f"level_{domain}"] = _("Choose a risk level.")
        elif len(note or "") > 500:
            errors[f"note_{domain}"] = _("Keep what was found under 500 characters.")
    if errors:
        raise ValidationError(errors)
    item = Assessment(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        variant=variant,
        assessed_on=assessed_on,
        summary=summary.strip(),
        progress=progress,
        author=actor,
    )
    item.full_clean(exclude=["municipality", "case", "author"])
    with transaction.atomic():
        item.save()
        DomainRating.objects.bulk_create(
            [
                DomainRating(
                    municipality_id=case.municipality_id,
                    assessment=item,
                    domain=domain,
                    level=level,
                    note=(note or "").strip(),
                )
                for domain, (level, note) in sorted(ratings.items(), key=lambda kv: allowed.index(kv[0]))
            ]
        )
        _record(case, actor=actor, action="assessment", summary=item.get_kind_display(), code=f"assessment:{item.kind}")
    return item


def closure_request(*, actor: Any, case: Case, expected_version: int, outcome: str, closure_note: str) -> Case:
    _require_change(actor, case)
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
            closure_requested_by=actor,
        )
        _record(case, actor=actor, action="closure_request", changes={"outcome": outcome})
    return case


def closure_decide(*, actor: Any, case: Case, expected_version: int, approve: bool) -> Case:
    """The supervisor approves the closure, or sends the case back to active work."""
    policy.require(actor, "approve", case)
    _require_status(case, CaseStatus.CLOSING)
    with transaction.atomic():
        if approve:
            _save_case(
                case=case,
                expected_version=expected_version,
                status=CaseStatus.CLOSED,
                closed_on=_today(),
                closure_approved_by=actor,
            )
        else:
            _save_case(case=case, expected_version=expected_version, status=CaseStatus.ACTIVE)
        _record(case, actor=actor, action="close" if approve else "closure_reject")
    return case


def note_add(*, actor: Any, case: Case, text: str) -> Note:
    policy.require(actor, "view_detail", case)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    with transaction.atomic():
        note = Note.objects.create(municipality_id=case.municipality_id, case=case, text=text.strip(), author=actor)
        _record(case, actor=actor, action="note")
    return note


def document_upload(*, actor: Any, case: Case, kind: str, title: str, file: Any) -> CaseDocument:
    _require_change(actor, case)
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
        uploaded_by=actor,
    )
    doc.full_clean(exclude=["municipality", "case", "uploaded_by", "file"])
    with transaction.atomic():
        doc.file = file
        doc.save()
        _record(
            case,
            actor=actor,
            action="document",
            summary=doc.get_kind_display(),
            changes={"size": doc.size},
            code=f"document:{doc.kind}",
        )
    return doc


def task_add(*, actor: Any, case: Case, title: str, due_on: datetime.date, assignee: Any = None) -> Task:
    _require_change(actor, case)
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    with transaction.atomic():
        task = Task.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            title=title.strip()[:200],
            due_on=due_on,
            assignee=assignee or case.caseworker or actor,
        )
        _record(case, actor=actor, action="task", summary=task.title)
    return task


def task_complete(*, actor: Any, task: Task) -> Task:
    policy.require(actor, "view_detail", task.case)
    if task.done_at is None:
        with transaction.atomic():
            task.done_at = timezone.now()
            task.save(update_fields=["done_at"])
            _record(task.case, actor=actor, action="task_done", summary=task.title)
    return task


ADULT_AGE = 18


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def duty_add(
    *,
    actor: Any,
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
    _require_change(actor, case)
    if interval_weeks < 1 or interval_weeks > 52:
        raise ValidationError({"interval_weeks": _("Choose an interval between 1 and 52 weeks.")})
    min_end = starts_on + datetime.timedelta(days=REINTEGRATION_MIN_DAYS)
    if kind == DutyKind.REINTEGRATION:
        ends_on = ends_on or min_end
        if ends_on < min_end:
            raise ValidationError({"ends_on": _("After a reintegration the child is monitored for at least 6 months.")})
    if kind == DutyKind.PARENTS_ABROAD:
        if not carer_name.strip():
            raise ValidationError({"carer_name": _("Name the carer declared by the parents.")})
        born = case.person.birth_date
        if born is not None and _age_on(born, starts_on) >= ADULT_AGE:
            raise ValidationError(
                {
                    "kind": _("Only a child is monitored because the parents work abroad: %(name)s is %(age)s.")
                    % {"name": case.person.full_name, "age": _age_on(born, starts_on)}
                }
            )
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
            responsible=responsible or case.caseworker or actor,
        )
        _record(case, actor=actor, action="duty", summary=duty.get_kind_display(), code=f"duty:{duty.kind}")
    return duty


def visit_record(*, actor: Any, duty: MonitoringDuty, visited_on: datetime.date, findings: str) -> MonitoringVisit:
    _require_change(actor, duty.case)
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
            author=actor,
        )
        duty.next_due_on = max(duty.next_due_on, visited_on + datetime.timedelta(weeks=duty.interval_weeks))
        duty.is_overdue = duty.next_due_on < _today()
        if duty.next_due_on > duty.ends_on:
            duty.completed_on = visited_on
        duty.save(update_fields=["next_due_on", "is_overdue", "completed_on"])
        _record(duty.case, actor=actor, action="visit", summary=str(visited_on), code=f"date:{visited_on.isoformat()}")
    return visit


def delivery_record(
    *,
    actor: Any,
    person: Person,
    service: Any,
    delivered_on: datetime.date,
    quantity: Decimal | int = 1,
    unit: str = "act",
    case: Case | None = None,
    staff: Any = None,
) -> ServiceDelivery:
    """One act of service by the service's own provider, to a person the actor may see."""
    if not can_record_delivery(actor, person, service):
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
            staff=staff or actor,
            is_synthetic=person.is_synthetic,
        )
        audit_record(action="delivery.record", actor=actor, obj=person, changes={"service": str(service.pk)})
    return delivery


def person_merge_move(*, user: Any, survivor: Person, duplicate: Person) -> dict[str, int]:
    """People's merge hook (``carenet.people.hooks``): the duplicate's cases and deliveries go to the survivor.

    Its signature is the hook's (``user`` is the acting user, as every merge handler receives it).

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
            actor=user,
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


# ---------------------------------------------------------------------------------------------------
# The municipality's own texts of the printable documents (core.documents)


def document_template_save(*, actor: Any, kind: str, language: str, body: str, valid_from: datetime.date) -> Any:
    """The coordinator's own text of a document kind in one language, in force from ``valid_from``;
    validated (no forbidden tag, compiles), audited."""
    from carenet.core.documents import DOCUMENT_KINDS, validate_template_text
    from carenet.core.models import DocumentTemplate
    from carenet.core.policy import actor_of

    who = actor_of(actor)
    if not who.is_coordinator or who.municipality_id is None:
        raise PermissionDenied
    if kind not in DOCUMENT_KINDS:
        raise ValidationError({"kind": _("Unknown document.")})
    municipality = actor.municipality
    if language not in (municipality.official_languages or []):
        raise ValidationError({"language": _("Choose a language the municipality offers.")})
    if not body.strip():
        raise ValidationError({"body": _("Write the text of the document.")})
    validate_template_text(body)
    with transaction.atomic():
        template, created = DocumentTemplate.objects.for_tenant(municipality.pk).update_or_create(
            municipality=municipality,
            kind=kind,
            language=language,
            valid_from=valid_from,
            defaults={"body": body, "updated_by": actor},
        )
        audit_record(
            action="document_template.save",
            actor=actor,
            obj=template,
            changes={"kind": kind, "language": language, "valid_from": valid_from.isoformat(), "created": created},
        )
    return template


def document_template_delete(*, actor: Any, template: Any) -> None:
    """Back to the default text (from the date the removed text applied): audited."""
    from carenet.core.policy import actor_of

    if not actor_of(actor).is_coordinator or template.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            action="document_template.delete",
            actor=actor,
            obj=template,
            changes={"kind": template.kind, "language": template.language},
        )
        template.delete()
