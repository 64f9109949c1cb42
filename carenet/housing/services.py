"""Every write of housing and residential places, each with its audit event in the same transaction.

Services check what the caller may do (``PermissionDenied``) and the rule (``ValidationError`` naming the
field); views only parse input.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.policy import policy

from .models import (
    Answer,
    Appeal,
    AppealOutcome,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Bed,
    ColdNight,
    Consumption,
    Contract,
    ContractStatus,
    Criterion,
    CriterionOption,
    Dwelling,
    DwellingStatus,
    HousingRule,
    ListStatus,
    Offer,
    OfferStatus,
    PointsGrid,
    RankedEntry,
    RankedList,
    RefusalConsequence,
    RefusalReason,
    RentMonth,
    RentPayment,
    Residence,
    Stay,
    TerminationReason,
    TieBreak,
    Utility,
    Visit,
    WaitingEntry,
)
from .permissions import can_approve_list, can_declare_cold_night, can_edit_grid, can_record_housing


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _mid(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


def rule_in_force(*, municipality: Any, on: datetime.date | None = None) -> HousingRule | None:
    on = on or datetime.date.today()
    return (
        HousingRule.objects.for_tenant(_mid(municipality))
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


# --- the points grid -----------------------------------------------------------------------------------------


@transaction.atomic
def grid_create(
    *,
    actor: Any,
    municipality: Any,
    year: int,
    title: str,
    valid_from: datetime.date,
    tie_break: str,
    refusal_consequence: str,
    refusals_allowed: int = 0,
    minimum_points: int = 0,
    valid_to: datetime.date | None = None,
    decision: str = "",
    criteria: Iterable[tuple[str, str, Iterable[tuple[str, int]]]] = (),
) -> PointsGrid:
    """The council's grid of a year: criteria as (code, label, [(answer, points), …])."""
    if actor is not None:
        _require(can_edit_grid(actor))
    if tie_break not in TieBreak.values:
        raise ValidationError({"tie_break": _("Choose the tie-break rule the council decided.")})
    if refusal_consequence not in RefusalConsequence.values:
        raise ValidationError({"refusal_consequence": _("Choose the consequence of a refused offer.")})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The grid ends before it starts.")})
    m = _mid(municipality)
    if PointsGrid.objects.for_tenant(m).filter(year=year).exists():
        raise ValidationError({"year": _("There is already a grid for this year.")})
    grid = PointsGrid.objects.for_tenant(m).create(
        municipality_id=m,
        year=year,
        title=title,
        decision=decision,
        valid_from=valid_from,
        valid_to=valid_to,
        tie_break=tie_break,
        minimum_points=minimum_points,
        refusal_consequence=refusal_consequence,
        refusals_allowed=refusals_allowed,
    )
    for order, (code, label, options) in enumerate(criteria):
        criterion_add(actor=None, grid=grid, code=code, label=label, options=options, order=order)
    audit_record(action="housing.grid.create", actor=actor, obj=grid, changes={"year": year})
    return grid


@transaction.atomic
def criterion_add(
    *, actor: Any, grid: PointsGrid, code: str, label: str, options: Iterable[tuple[str, int]], order: int = 0
) -> Criterion:
    if actor is not None:
        _require(policy.can(actor, "change", grid))
    options = list(options)
    if not options:
        raise ValidationError({"options": _("A criterion needs at least one answer with its points.")})
    if Criterion.objects.for_tenant(grid.municipality_id).filter(grid=grid, code=code).exists():
        raise ValidationError({"code": _("This grid already has a criterion with this code.")})
    criterion = Criterion.objects.for_tenant(grid.municipality_id).create(
        municipality_id=grid.municipality_id, grid=grid, code=code, label=label, order=order
    )
    CriterionOption.objects.for_tenant(grid.municipality_id).bulk_create(
        CriterionOption(municipality_id=grid.municipality_id, criterion=criterion, label=text, points=points, order=i)
        for i, (text, points) in enumerate(options)
    )
    if actor is not None:
        audit_record(action="housing.grid.criterion_add", actor=actor, obj=grid, changes={"code": code})
    return criterion


# --- applications --------------------------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    applicant: Any
    filed_on: datetime.date
    household: Any = None
    household_size: int = 1
    monthly_income: Decimal = Decimal(0)
    rooms_needed: int = 1
    needs_accessible: bool = False
    file_number: str = ""


def _next_number(municipality_id: Any, prefix: str, model: Any, field: str) -> str:
    existing = model.objects.for_tenant(municipality_id).filter(**{f"{field}__startswith": prefix}).count()
    return f"{prefix}{existing + 1:04d}"


@transaction.atomic
def application_file(*, actor: Any, grid: PointsGrid, data: ApplicationInput) -> Application:
    """Record an application under the grid of its year (the file number is the public name of the file)."""
    _require(can_record_housing(actor))
    m = grid.municipality_id
    if data.applicant is None or data.applicant.municipality_id != m:
        raise ValidationError({"applicant": _("Choose the applicant from the registry.")})
    if data.household is not None and data.household.municipality_id != m:
        raise ValidationError({"household": _("Choose the household from the registry.")})
    if data.household_size < 1:
        raise ValidationError({"household_size": _("A household has at least one person.")})
    if data.monthly_income < 0:
        raise ValidationError({"monthly_income": _("The income cannot be negative.")})
    if data.rooms_needed < 1:
        raise ValidationError({"rooms_needed": _("At least one room.")})
    if data.filed_on > datetime.date.today():
        raise ValidationError({"filed_on": _("The date is in the future.")})
    number = data.file_number or _next_number(m, f"LS-{grid.year}-", Application, "file_number")
    if Application.objects.for_tenant(m).filter(file_number=number).exists():
        raise ValidationError({"file_number": _("This file number is already used.")})
    application = Application.objects.for_tenant(m).create(
        municipality_id=m,
        grid=grid,
        file_number=number,
        applicant=data.applicant,
        household=data.household,
        household_size=data.household_size,
        monthly_income=data.monthly_income,
        rooms_needed=data.rooms_needed,
        needs_accessible=data.needs_accessible,
        filed_on=data.filed_on,
        created_by=actor,
    )
    audit_record(action="housing.application.file", actor=actor, obj=application)
    return application


@transaction.atomic
def application_document_add(
    *, actor: Any, application: Application, title: str, received_on: datetime.date
) -> ApplicationDocument:
    _require(policy.can(actor, "change", application))
    if not title.strip():
        raise ValidationError({"title": _("Name the document.")})
    document = ApplicationDocument.objects.for_tenant(application.municipality_id).create(
        municipality_id=application.municipality_id, application=application, title=title, received_on=received_on
    )
    audit_record(action="housing.application.document_add", actor=actor, obj=application)
    return document


def score_of(grid: PointsGrid, chosen: Mapping[Any, CriterionOption]) -> tuple[int, dict[str, int]]:
    """The score and its breakdown (criterion code → points) of the options chosen per criterion."""
    breakdown = {c.code: chosen[c.pk].points for c in grid.criteria.all() if c.pk in chosen}
    return sum(breakdown.values()), breakdown


@transaction.atomic
def application_score(*, actor: Any, application: Application, answers: Mapping[Any, Any]) -> Application:
    """Score an application: one option per criterion of its grid (criterion id → option id)."""
    _require(policy.can(actor, "change", application))
    if application.status not in (ApplicationStatus.FILED, ApplicationStatus.SCORED, ApplicationStatus.INELIGIBLE):
        raise ValidationError({"status": _("The application can no longer be scored.")})
    m = application.municipality_id
    grid = application.grid
    criteria = {str(c.pk): c for c in grid.criteria.all()}
    options = {
        str(o.pk): o for o in CriterionOption.objects.for_tenant(m).filter(criterion__grid=grid).select_related(None)
    }
    chosen: dict[Any, CriterionOption] = {}
    errors: dict[str, str] = {}
    for key, criterion in criteria.items():
        option = options.get(str(answers.get(key) or answers.get(criterion.pk) or ""))
        if option is None or option.criterion_id != criterion.pk:
            errors[f"criterion_{key}"] = _("Choose an answer for “%(criterion)s”.") % {"criterion": criterion.label}
        else:
            chosen[criterion.pk] = option
    if errors:
        raise ValidationError(errors)
    Answer.objects.for_tenant(m).filter(application=application).delete()
    Answer.objects.for_tenant(m).bulk_create(
        Answer(municipality_id=m, application=application, criterion_id=cid, option=option)
        for cid, option in chosen.items()
    )
    score, breakdown = score_of(grid, chosen)
    application.score = score
    application.breakdown = breakdown
    application.scored_at = timezone.now()
    application.status = ApplicationStatus.SCORED if score >= grid.minimum_points else ApplicationStatus.INELIGIBLE
    application.save(update_fields=["score", "breakdown", "scored_at", "status"])
    audit_record(action="housing.application.score", actor=actor, obj=application, changes={"score": score})
    return application


# --- the ranked list -----------------------------------------------------------------------------------------


def tie_break_key(grid: PointsGrid, application: Application) -> tuple[Any, ...]:
    """The order of applications with the same score, by the rule the grid states; then the earlier file."""
    if grid.tie_break == TieBreak.LARGER_HOUSEHOLD:
        first: Any = -application.household_size
    elif grid.tie_break == TieBreak.LOWER_INCOME:
        first = application.monthly_income / max(application.household_size, 1)
    else:
        first = application.filed_on.toordinal()
    return (first, application.filed_on, application.file_number)


def tie_break_label(grid: PointsGrid, application: Application) -> str:
    if grid.tie_break == TieBreak.LARGER_HOUSEHOLD:
        return str(application.household_size)
    if grid.tie_break == TieBreak.LOWER_INCOME:
        return str((application.monthly_income / max(application.household_size, 1)).quantize(Decimal("0.01")))
    return application.filed_on.isoformat()


def rank(grid: PointsGrid, applications: Iterable[Application]) -> list[Application]:
    """Highest score first; ties by the grid's rule; those moved back by a refusal after all the others."""
    return sorted(applications, key=lambda a: (a.moved_back, -(a.score or 0), *tie_break_key(grid, a)))


RANKABLE = (ApplicationStatus.SCORED, ApplicationStatus.OFFERED)


@transaction.atomic
def ranked_list_draw(*, actor: Any, grid: PointsGrid, as_of: datetime.date | None = None) -> RankedList:
    """A new version of the year's list: the scored applications filed by ``as_of``, frozen as they stand."""
    _require(policy.can(actor, "change", grid) or can_record_housing(actor))
    m = grid.municipality_id
    as_of = as_of or datetime.date.today()
    applications = Application.objects.for_tenant(m).filter(grid=grid, status__in=RANKABLE, filed_on__lte=as_of)
    version = (RankedList.objects.for_tenant(m).filter(year=grid.year).aggregate(v=Max("version"))["v"] or 0) + 1
    ranked_list = RankedList.objects.for_tenant(m).create(
        municipality_id=m, grid=grid, year=grid.year, version=version, as_of=as_of
    )
    RankedEntry.objects.for_tenant(m).bulk_create(
        RankedEntry(
            municipality_id=m,
            ranked_list=ranked_list,
            application=a,
            rank=i,
            file_number=a.file_number,
            score=a.score or 0,
            breakdown=a.breakdown,
            tie_break_value=tie_break_label(grid, a),
        )
        for i, a in enumerate(rank(grid, applications), start=1)
    )
    audit_record(action="housing.list.draw", actor=actor, obj=ranked_list, changes={"version": version})
    return ranked_list


@transaction.atomic
def ranked_list_approve(*, actor: Any, ranked_list: RankedList) -> RankedList:
    """The coordinator approves the list (the council's decision): it is published on the portal by file number."""
    _require(can_approve_list(actor) and policy.can(actor, "approve", ranked_list))
    if ranked_list.status != ListStatus.DRAFT:
        raise ValidationError({"status": _("This list is already approved.")})
    ranked_list.status = ListStatus.APPROVED
    ranked_list.approved_by = actor
    ranked_list.approved_at = timezone.now()
    ranked_list.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(action="housing.list.approve", actor=actor, obj=ranked_list, changes={"year": ranked_list.year})
    return ranked_list


@transaction.atomic
def appeal_file(*, actor: Any, application: Application, filed_on: datetime.date, grounds: str) -> Appeal:
    _require(policy.can(actor, "change", application))
    if not grounds.strip():
        raise ValidationError({"grounds": _("State the grounds of the appeal.")})
    m = application.municipality_id
    latest = RankedList.objects.for_tenant(m).filter(year=application.grid.year, status=ListStatus.APPROVED).first()
    appeal = Appeal.objects.for_tenant(m).create(
        municipality_id=m, application=application, ranked_list=latest, filed_on=filed_on, grounds=grounds
    )
    audit_record(action="housing.appeal.file", actor=actor, obj=application)
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Any, appeal: Appeal, outcome: str, decided_on: datetime.date, note: str = "") -> Appeal:
    _require(can_approve_list(actor))
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.REJECTED):
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError({"outcome": _("The appeal is already decided.")})
    appeal.outcome, appeal.decided_on, appeal.decision_note = outcome, decided_on, note
    appeal.save(update_fields=["outcome", "decided_on", "decision_note"])
    audit_record(action="housing.appeal.decide", actor=actor, obj=appeal.application, changes={"outcome": outcome})
    return appeal


# --- allocation ----------------------------------------------------------------------------------------------


def fits(application: Application, dwelling: Dwelling) -> bool:
    return application.rooms_needed <= dwelling.rooms and (not application.needs_accessible or dwelling.accessible)


def next_eligible(ranked_list: RankedList, dwelling: Dwelling) -> RankedEntry | None:
    """The first entry of the approved list (by rank; those moved back after the others) still waiting and
    fitting the dwelling, who has not refused this dwelling already."""
    m = ranked_list.municipality_id
    refused = set(
        Offer.objects.for_tenant(m)
        .filter(dwelling=dwelling, status=OfferStatus.REFUSED)
        .values_list("application_id", flat=True)
    )
    entries = list(ranked_list.entries.select_related("application").order_by("rank"))
    entries.sort(key=lambda e: (e.application.moved_back, e.rank))
    for entry in entries:
        a = entry.application
        if a.status == ApplicationStatus.SCORED and a.pk not in refused and fits(a, dwelling):
            return entry
    return None


@transaction.atomic
def offer_make(*, actor: Any, dwelling: Dwelling, on: datetime.date | None = None) -> Offer:
    """Offer a free dwelling to the next eligible applicant of the year's approved list."""
    _require(policy.can(actor, "change", dwelling))
    m = dwelling.municipality_id
    on = on or datetime.date.today()
    dwelling = Dwelling.objects.for_tenant(m).select_for_update().get(pk=dwelling.pk)
    if dwelling.status != DwellingStatus.FREE:
        raise ValidationError({"dwelling": _("The dwelling is not free.")})
    ranked_list = (
        RankedList.objects.for_tenant(m).filter(status=ListStatus.APPROVED).order_by("-year", "-version").first()
    )
    if ranked_list is None:
        raise ValidationError({"ranked_list": _("There is no approved list to offer from.")})
    entry = next_eligible(ranked_list, dwelling)
    if entry is None:
        raise ValidationError({"dwelling": _("No applicant on the list fits this dwelling.")})
    rule = rule_in_force(municipality=m, on=on)
    days = rule.offer_answer_days if rule else 15
    offer = Offer.objects.for_tenant(m).create(
        municipality_id=m,
        dwelling=dwelling,
        application=entry.application,
        ranked_list=ranked_list,
        rank=entry.rank,
        offered_on=on,
        answer_by=on + datetime.timedelta(days=days),
    )
    Application.objects.for_tenant(m).filter(pk=entry.application_id).update(status=ApplicationStatus.OFFERED)
    dwelling.status = DwellingStatus.OFFERED
    dwelling.save(update_fields=["status"])
    audit_record(action="housing.offer.make", actor=actor, obj=offer.application, changes={"rank": entry.rank})
    return offer


@transaction.atomic
def offer_accept(*, actor: Any, offer: Offer, on: datetime.date | None = None) -> Offer:
    _require(policy.can(actor, "change", offer))
    if offer.status != OfferStatus.PENDING:
        raise ValidationError({"status": _("The offer has already been answered.")})
    offer.status, offer.answered_on = OfferStatus.ACCEPTED, on or datetime.date.today()
    offer.save(update_fields=["status", "answered_on"])
    Application.objects.for_tenant(offer.municipality_id).filter(pk=offer.application_id).update(
        status=ApplicationStatus.HOUSED
    )
    audit_record(action="housing.offer.accept", actor=actor, obj=offer.application)
    return offer


@transaction.atomic
def offer_refuse(*, actor: Any, offer: Offer, reason: str, on: datetime.date | None = None) -> Offer:
    """A refusal: counted, and past the refusals the grid allows its consequence applies (the applicant moves
    to the end of the list or leaves it for the year). The dwelling is free for the next applicant."""
    _require(policy.can(actor, "change", offer))
    if offer.status != OfferStatus.PENDING:
        raise ValidationError({"status": _("The offer has already been answered.")})
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": _("Choose the reason of the refusal.")})
    m = offer.municipality_id
    application = Application.objects.for_tenant(m).select_related("grid").get(pk=offer.application_id)
    grid = application.grid
    application.refusals += 1
    consequence = RefusalConsequence.NONE
    if application.refusals > grid.refusals_allowed:
        consequence = RefusalConsequence(grid.refusal_consequence)
    application.status = ApplicationStatus.SCORED
    if consequence == RefusalConsequence.BACK_OF_LIST:
        application.moved_back = True
    elif consequence == RefusalConsequence.REMOVED:
        application.status = ApplicationStatus.REMOVED
    application.save(update_fields=["refusals", "status", "moved_back"])
    offer.status, offer.answered_on = OfferStatus.REFUSED, on or datetime.date.today()
    offer.refusal_reason, offer.consequence = reason, consequence
    offer.save(update_fields=["status", "answered_on", "refusal_reason", "consequence"])
    Dwelling.objects.for_tenant(m).filter(pk=offer.dwelling_id).update(status=DwellingStatus.FREE)
    audit_record(
        action="housing.offer.refuse",
        actor=actor,
        obj=application,
        changes={"reason": reason, "consequence": str(consequence)},
    )
    return offer


@transaction.atomic
def contract_sign(
    *, actor: Any, offer: Offer, starts_on: datetime.date, ends_on: datetime.date, rent: Decimal
) -> Contract:
    _require(policy.can(actor, "change", offer))
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError({"offer": _("Only an accepted offer leads to a contract.")})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The contract ends before it starts.")})
    if rent < 0:
        raise ValidationError({"rent": _("The rent cannot be negative.")})
    m = offer.municipality_id
    if Contract.objects.for_tenant(m).filter(dwelling_id=offer.dwelling_id, status=ContractStatus.ACTIVE).exists():
        raise ValidationError({"dwelling": _("The dwelling already has a contract in force.")})
    application = offer.application
    contract = Contract.objects.for_tenant(m).create(
        municipality_id=m,
        number=_next_number(m, f"CI-{starts_on.year}-", Contract, "number"),
        dwelling_id=offer.dwelling_id,
        application=application,
        tenant_id=application.applicant_id,
        starts_on=starts_on,
        ends_on=ends_on,
        rent=rent,
    )
    Dwelling.objects.for_tenant(m).filter(pk=offer.dwelling_id).update(status=DwellingStatus.ALLOCATED)
    audit_record(action="housing.contract.sign", actor=actor, obj=contract)
    return contract


@transaction.atomic
def contract_renew(*, actor: Any, contract: Contract, ends_on: datetime.date, rent: Decimal | None = None) -> Contract:
    """A new term from the day after the old one ends (the old contract is closed as renewed)."""
    _require(policy.can(actor, "change", contract))
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError({"status": _("Only a contract in force can be renewed.")})
    starts_on = contract.ends_on + datetime.timedelta(days=1)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The new term ends before it starts.")})
    m = contract.municipality_id
    contract.status, contract.terminated_on = ContractStatus.TERMINATED, contract.ends_on
    contract.termination_reason = TerminationReason.RENEWED
    contract.save(update_fields=["status", "terminated_on", "termination_reason"])
    renewed = Contract.objects.for_tenant(m).create(
        municipality_id=m,
        number=_next_number(m, f"CI-{starts_on.year}-", Contract, "number"),
        dwelling_id=contract.dwelling_id,
        application_id=contract.application_id,
        tenant_id=contract.tenant_id,
        starts_on=starts_on,
        ends_on=ends_on,
        rent=contract.rent if rent is None else rent,
        renewed_from=contract,
    )
    audit_record(action="housing.contract.renew", actor=actor, obj=renewed, changes={"from": contract.number})
    return renewed


@transaction.atomic
def contract_terminate(*, actor: Any, contract: Contract, on: datetime.date, reason: str) -> Contract:
    _require(policy.can(actor, "change", contract))
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError({"status": _("The contract is not in force.")})
    if reason not in TerminationReason.values or reason == TerminationReason.RENEWED:
        raise ValidationError({"reason": _("Choose the reason.")})
    if on < contract.starts_on:
        raise ValidationError({"on": _("The date is before the contract starts.")})
    contract.status, contract.terminated_on, contract.termination_reason = ContractStatus.TERMINATED, on, reason
    contract.save(update_fields=["status", "terminated_on", "termination_reason"])
    Dwelling.objects.for_tenant(contract.municipality_id).filter(pk=contract.dwelling_id).update(
        status=DwellingStatus.FREE
    )
    audit_record(action="housing.contract.terminate", actor=actor, obj=contract, changes={"reason": reason})
    return contract


def contracts_remind_renewals(*, today: datetime.date | None = None) -> int:
    """The scheduled job: each contract in force whose end is within the notice period of the rule in force gets
    one reminder (stored as an audit code with its parameters, listed on the housing page). Returns the count."""
    today = today or datetime.date.today()
    sent = 0
    for rule in (
        HousingRule.objects.all_tenants()
        .filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    ):
        due = Contract.objects.for_tenant(rule.municipality_id).filter(
            status=ContractStatus.ACTIVE,
            renewal_reminded_on__isnull=True,
            ends_on__lte=today + datetime.timedelta(days=rule.renewal_notice_days),
        )
        for contract in due:
            with transaction.atomic():
                contract.renewal_reminded_on = today
                contract.save(update_fields=["renewal_reminded_on"])
                audit_record(
                    action="housing.contract.renewal_reminder",
                    obj=contract,
                    changes={"ends_on": contract.ends_on.isoformat(), "days": (contract.ends_on - today).days},
                )
            sent += 1
    return sent


# --- stock and monitoring ------------------------------------------------------------------------------------


@transaction.atomic
def dwelling_set_status(*, actor: Any, dwelling: Dwelling, status: str) -> Dwelling:
    _require(policy.can(actor, "change", dwelling))
    if status not in (DwellingStatus.FREE, DwellingStatus.REPAIR):
        raise ValidationError(
            {"status": _("A dwelling is set free or under repair; offers and contracts do the rest.")}
        )
    if dwelling.status in (DwellingStatus.OFFERED, DwellingStatus.ALLOCATED):
        raise ValidationError({"status": _("The dwelling is offered or allocated.")})
    dwelling.status = status
    dwelling.save(update_fields=["status"])
    audit_record(action="housing.dwelling.status", actor=actor, obj=dwelling, changes={"status": status})
    return dwelling


@transaction.atomic
def visit_record(*, actor: Any, dwelling: Dwelling, visited_on: datetime.date, findings: str) -> Visit:
    _require(policy.can(actor, "change", dwelling))
    if not findings.strip():
        raise ValidationError({"findings": _("Write what the visit found.")})
    if visited_on > datetime.date.today():
        raise ValidationError({"visited_on": _("The date is in the future.")})
    visit = Visit.objects.for_tenant(dwelling.municipality_id).create(
        municipality_id=dwelling.municipality_id,
        dwelling=dwelling,
        visited_on=visited_on,
        findings=findings,
        visited_by=actor,
    )
    audit_record(action="housing.visit.record", actor=actor, obj=dwelling)
    return visit


def _month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def consumption_validate(*, utility: str, quantity: Any, amount: Any) -> tuple[Decimal, Decimal]:
    if utility not in Utility.values:
        raise ValidationError({"utility": _("Choose the utility.")})
    try:
        q, a = Decimal(str(quantity)), Decimal(str(amount or 0))
    except ArithmeticError as exc:
        raise ValidationError({"quantity": _("Write a number.")}) from exc
    if not q.is_finite() or q < 0:
        raise ValidationError({"quantity": _("The quantity is a number of zero or more.")})
    if not a.is_finite() or a < 0:
        raise ValidationError({"amount": _("The amount is a number of zero or more.")})
    return q, a


@transaction.atomic
def consumption_record(
    *, actor: Any, dwelling: Dwelling, month: datetime.date, utility: str, quantity: Any, amount: Any = 0
) -> Consumption:
    _require(policy.can(actor, "change", dwelling))
    q, a = consumption_validate(utility=utility, quantity=quantity, amount=amount)
    row, _created = Consumption.objects.for_tenant(dwelling.municipality_id).update_or_create(
        dwelling=dwelling,
        month=_month(month),
        utility=utility,
        defaults={"municipality_id": dwelling.municipality_id, "quantity": q, "amount": a},
    )
    audit_record(action="housing.consumption.record", actor=actor, obj=dwelling, changes={"utility": utility})
    return row


@transaction.atomic
def rent_month_record(*, actor: Any, contract: Contract, month: datetime.date, due: Any, paid: Any) -> RentMonth:
    _require(policy.can(actor, "change", contract))
    try:
        d, p = Decimal(str(due)), Decimal(str(paid))
    except ArithmeticError as exc:
        raise ValidationError({"due": _("Write a number.")}) from exc
    if d < 0 or p < 0:
        raise ValidationError({"paid": _("Amounts are zero or more.")})
    row, _created = RentMonth.objects.for_tenant(contract.municipality_id).update_or_create(
        contract=contract,
        month=_month(month),
        defaults={"municipality_id": contract.municipality_id, "due": d, "paid": p},
    )
    audit_record(action="housing.rent.record", actor=actor, obj=contract)
    return row


# --- rent ----------------------------------------------------------------------------------------------------
# A tenancy is a contract and its renewals (``renewed_from``): rent and arrears run over the whole tenancy, since
# a renewal does not wipe a debt. A month's rent is the rent of the contract in force on the month's first day
# (the tenancy's first month: its first contract), so a renewal that changes the rent changes it from the first
# whole month it covers.


def contract_end(contract: Contract) -> datetime.date:
    """The last day the contract ran or runs: its termination date, else its term."""
    return contract.terminated_on or contract.ends_on


def tenancy_contracts(contract: Contract) -> list[Contract]:
    """The contracts of one tenancy, first to last: those it renewed, the contract, and its renewals."""
    qs = Contract.objects.for_tenant(contract.municipality_id)
    chain = [contract]
    while chain[0].renewed_from_id and len(chain) < 100:
        chain.insert(0, qs.get(pk=chain[0].renewed_from_id))
    while len(chain) < 100 and (renewal := qs.filter(renewed_from_id=chain[-1].pk).first()) is not None:
        chain.append(renewal)
    return chain


def contract_of_month(chain: list[Contract], month: datetime.date) -> Contract | None:
    """The contract whose rent is due for ``month`` (first day), or None when the month is outside the tenancy."""
    covering = [c for c in chain if _month(c.starts_on) <= month <= _month(contract_end(c))]
    if not covering:
        return None
    in_force = [c for c in covering if c.starts_on <= month]
    return in_force[-1] if in_force else covering[0]


@dataclass
class PaymentInput:
    month: datetime.date
    amount: Any
    paid_on: datetime.date
    receipt_number: str


@transaction.atomic
def rent_payment_record(*, actor: Any, contract: Contract, data: PaymentInput) -> RentPayment:
    """A payment posted to one month of the tenancy: the month's ``paid`` grows by it (the month's row is opened
    with the contract's rent as due when none was recorded).

    Rules: the amount is more than zero; the month lies within the tenancy and is not after this month (an
    advance is posted to this month and carried as credit); the receipt number is new in the municipality.
    More than the month's due is accepted: the surplus is credit that settles the next months (the statement's
    running balance), as the office's cashier takes whatever the tenant brings.
    """
    _require(policy.can(actor, "change", contract))
    today = timezone.localdate()
    errors: dict[str, str] = {}
    try:
        amount = Decimal(str(data.amount))
    except ArithmeticError:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0:
        errors["amount"] = _("The amount paid is more than zero.")
    elif amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("10000000"):
        errors["amount"] = _("Write the amount in lei and bani, at most two decimals.")
    receipt = (data.receipt_number or "").strip()
    if not receipt:
        errors["receipt_number"] = _("Write the receipt number.")
    elif len(receipt) > 40:
        errors["receipt_number"] = _("The receipt number is at most 40 characters.")
    elif RentPayment.objects.for_tenant(contract.municipality_id).filter(receipt_number=receipt).exists():
        errors["receipt_number"] = _("This receipt number is already recorded.")
    if data.paid_on > today:
        errors["paid_on"] = _("The payment date is in the future.")
    month = _month(data.month)
    covering = contract_of_month(tenancy_contracts(contract), month)
    if covering is None:
        errors["month"] = _("The month is outside the contract's term.")
    elif month > _month(today):
        errors["month"] = _("Post the payment to this month or an earlier one: an advance is carried as credit.")
    if errors:
        raise ValidationError(errors)
    assert covering is not None
    amount = amount.quantize(Decimal("0.01"))
    m = contract.municipality_id
    try:
        with transaction.atomic():
            payment = RentPayment.objects.for_tenant(m).create(
                municipality_id=m,
                contract=covering,
                month=month,
                amount=amount,
                paid_on=data.paid_on,
                receipt_number=receipt,
                recorded_by=actor,
            )
    except IntegrityError as exc:  # the same receipt recorded at the same moment by a colleague
        raise ValidationError({"receipt_number": _("This receipt number is already recorded.")}) from exc
    row, _created = (
        RentMonth.objects.for_tenant(m)
        .select_for_update()
        .get_or_create(contract=covering, month=month, defaults={"municipality_id": m, "due": covering.rent, "paid": 0})
    )
    RentMonth.objects.for_tenant(m).filter(pk=row.pk).update(paid=F("paid") + amount)
    audit_record(
        action="housing.rent.pay",
        actor=actor,
        obj=covering,
        changes={"month": month.isoformat(), "amount": str(amount), "receipt_number": receipt},
    )
    return payment


# --- residential places --------------------------------------------------------------------------------------


@dataclass
class StayResult:
    stay: Stay
    created: bool


def _overlapping(qs: Any, check_in: datetime.date, check_out: datetime.date | None) -> Any:
    qs = qs.filter(Q(check_out__isnull=True) | Q(check_out__gt=check_in))
    if check_out is not None:
        qs = qs.filter(check_in__lt=check_out)
    return qs


def stay_check_in(
    *,
    actor: Any,
    residence: Residence,
    bed: Bed,
    person: Any,
    check_in: datetime.date,
    check_out: datetime.date | None = None,
    key: Any = None,
) -> StayResult:
    """A person takes a bed from the evening of ``check_in`` (to the morning of ``check_out``, or open).

    Idempotent by the phone's ``key``. Refused (``bed``) when the bed holds someone else on any of those nights
    — checked here under a lock of the bed on every engine, and by the exclusion constraint on PostgreSQL —
    and (``person``) when the person already has a bed on one of them. An extra bed opens on cold nights only.
    """
    _require(policy.can(actor, "change", residence))
    m = residence.municipality_id
    client_key = None
    if key:
        try:
            client_key = uuid.UUID(str(key))
        except ValueError as exc:
            raise ValidationError({"key": _("The submission key is not valid.")}) from exc
        existing = Stay.objects.for_tenant(m).filter(client_key=client_key).first()
        if existing is not None:
            if existing.residence_id != residence.pk:
                raise ValidationError({"key": _("The submission key is not valid.")})
            return StayResult(existing, False)
    if bed is None or bed.residence_id != residence.pk or not bed.active:
        raise ValidationError({"bed": _("Choose a bed of this residence.")})
    if person is None or person.municipality_id != m:
        raise ValidationError({"person": _("Choose the person from the registry.")})
    if check_out is not None and check_out <= check_in:
        raise ValidationError({"check_out": _("The check-out is after the check-in.")})
    if bed.cold_night_only:
        nights = [check_in] if check_out is None else _nights(check_in, check_out)
        declared = set(ColdNight.objects.for_tenant(m).filter(night__in=nights).values_list("night", flat=True))
        if check_out is None or declared != set(nights):
            raise ValidationError({"bed": _("This extra bed opens on declared cold nights only, one night at a time.")})
    try:
        with transaction.atomic():
            Bed.objects.for_tenant(m).select_for_update().filter(pk=bed.pk).first()
            if _overlapping(Stay.objects.for_tenant(m).filter(bed=bed), check_in, check_out).exists():
                raise ValidationError({"bed": _("The bed is taken on one of these nights.")})
            if _overlapping(Stay.objects.for_tenant(m).filter(person=person), check_in, check_out).exists():
                raise ValidationError({"person": _("The person already has a bed on one of these nights.")})
            stay = Stay.objects.for_tenant(m).create(
                municipality_id=m,
                residence=residence,
                bed=bed,
                person=person,
                check_in=check_in,
                check_out=check_out,
                client_key=client_key,
                created_by=actor,
            )
            WaitingEntry.objects.for_tenant(m).filter(
                residence=residence, person=person, placed_on__isnull=True
            ).update(placed_on=check_in)
            audit_record(action="housing.stay.check_in", actor=actor, obj=residence, object_label=bed.code)
    except IntegrityError as exc:  # the exclusion constraint (PostgreSQL) or a resent key
        if client_key is not None:
            existing = Stay.objects.for_tenant(m).filter(client_key=client_key).first()
            if existing is not None:
                return StayResult(existing, False)
        raise ValidationError({"bed": _("The bed is taken on one of these nights.")}) from exc
    return StayResult(stay, True)


def _nights(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=i) for i in range((end - start).days)]


@transaction.atomic
def stay_check_out(*, actor: Any, stay: Stay, on: datetime.date) -> Stay:
    _require(policy.can(actor, "change", stay))
    if stay.check_out is not None:
        raise ValidationError({"check_out": _("The stay is already closed.")})
    if on <= stay.check_in:
        raise ValidationError({"check_out": _("The check-out is after the check-in.")})
    stay.check_out = on
    stay.save(update_fields=["check_out"])
    audit_record(action="housing.stay.check_out", actor=actor, obj=stay.residence, object_label=stay.bed.code)
    return stay


@transaction.atomic
def waiting_add(*, actor: Any, residence: Residence, person: Any, on: datetime.date, note: str = "") -> WaitingEntry:
    _require(policy.can(actor, "change", residence))
    m = residence.municipality_id
    if person is None or person.municipality_id != m:
        raise ValidationError({"person": _("Choose the person from the registry.")})
    if WaitingEntry.objects.for_tenant(m).filter(residence=residence, person=person, placed_on__isnull=True).exists():
        raise ValidationError({"person": _("The person is already waiting for this residence.")})
    entry = WaitingEntry.objects.for_tenant(m).create(
        municipality_id=m, residence=residence, person=person, added_on=on, note=note
    )
    audit_record(action="housing.waiting.add", actor=actor, obj=residence)
    return entry


@transaction.atomic
def cold_night_declare(*, actor: Any, municipality: Any, night: datetime.date, temperature: Decimal) -> ColdNight:
    """The coordinator declares a cold night (the forecast below the rule's temperature): extra beds open."""
    _require(can_declare_cold_night(actor))
    m = _mid(municipality)
    rule = rule_in_force(municipality=m, on=night)
    if rule is None or rule.cold_night_below is None:
        raise ValidationError({"temperature": _("No cold-night temperature is set for this date.")})
    if temperature >= rule.cold_night_below:
        raise ValidationError(
            {"temperature": _("A cold night is below %(limit)s °C.") % {"limit": rule.cold_night_below}}
        )
    night_row, _created = ColdNight.objects.for_tenant(m).update_or_create(
        night=night, defaults={"municipality_id": m, "temperature": temperature, "declared_by": actor}
    )
    audit_record(
        action="housing.cold_night.declare",
        actor=actor,
        municipality=m,
        object_type="housing.coldnight",
        object_id=night_row.pk,
        changes={"night": night.isoformat()},
    )
    return night_row
