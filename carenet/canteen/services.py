"""Every write of the canteen, each with its audit event in the same transaction."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.audit.services import audit_record
from carenet.cases.models import SocialInquiry
from carenet.core.models import Organisation
from carenet.core.policy import actor_of, policy

from . import selectors
from .eligibility import Facts, Result, assess, contribution_due
from .models import (
    AidAllocation,
    AidItem,
    AidSeason,
    AidUnit,
    Application,
    ApplicationStatus,
    CanteenUnit,
    CardStatus,
    Category,
    ContributionPayment,
    Decision,
    DeliveryAbsence,
    DeliveryRound,
    ListStatus,
    Meal,
    MealCard,
    MealKind,
    NominalEntry,
    NominalList,
    Outcome,
    Reverification,
    ReverificationOutcome,
    RoundStop,
    RuleSet,
)

DATA = Path(__file__).resolve().parent / "data"
# The documents the file holds (Baia Mare strategy line 617: the request and the proofs of the family's
# composition, social situation and incomes; line 619: the social inquiry in the field).
DOCUMENTS = ("request", "identity", "family_composition", "social_situation", "incomes")
DOCUMENT_LABELS = {
    "request": gettext_lazy("Request"),
    "identity": gettext_lazy("Identity document"),
    "family_composition": gettext_lazy("Proof of the family's composition"),
    "social_situation": gettext_lazy("Proof of the social situation"),
    "incomes": gettext_lazy("Proof of every member's income"),
}
REFUSAL_REASONS = {
    "no_category": gettext_lazy("No category in force applies"),
    "income_not_under": gettext_lazy("Income per person not under the threshold (art. 2 (1) a–b)"),
    "student_too_old": gettext_lazy("Above the age limit for young people in education (art. 2 (1) b)"),
    "child_too_old": gettext_lazy("Above the age limit for children (art. 2 (1) a)"),
    "cap_reached": gettext_lazy("The days a year of a capped category are used up (art. 2 (2))"),
    "threshold_unset": gettext_lazy("The income threshold is not set: the income test cannot be made"),
    "no_rules": gettext_lazy("No rules in force on the day"),
    "documents_missing": gettext_lazy("The file lacks the documents the law asks for"),
    "inquiry_missing": gettext_lazy("The social inquiry could not be made"),
}
# A meal recorded offline may arrive later; older than this many days it is refused (a wrong phone clock).
LATE_DAYS = 3


def _today() -> datetime.date:
    return timezone.localdate()


def seed_data() -> dict[str, Any]:
    return json.loads((DATA / "rules.json").read_text(encoding="utf-8"))


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def rules_seed(*, municipality: Any, actor: Any = None) -> RuleSet | None:
    """Load the municipality's rules and categories from the seeds (idempotent: keyed by their start date)."""
    spec = seed_data().get(municipality.slug)
    if spec is None:
        return None
    r = spec["ruleset"]
    valid_from = datetime.date.fromisoformat(r["valid_from"])
    ruleset, _created = RuleSet.objects.for_tenant(municipality).get_or_create(
        valid_from=valid_from,
        defaults={
            "municipality": municipality,
            "law": r["law"],
            "threshold": _dec(r["threshold"]),
            "meal_allowance": _dec(r["meal_allowance"]),
            "contribution_rate": _dec(r["contribution_rate"]),
            "decision_term_days": r["decision_term_days"],
            "meals_per_day": r["meals_per_day"],
            "reverify_months": r.get("reverify_months"),
            "currency": r["currency"],
            "unstated": r["unstated"],
            "source": r["source"],
        },
    )
    for order, c in enumerate(spec["categories"]):
        Category.objects.for_tenant(municipality).get_or_create(
            code=c["code"],
            valid_from=valid_from,
            defaults={
                "municipality": municipality,
                "kind": c["kind"],
                "name": c["name"],
                "legal_reference": c.get("legal_reference", ""),
                "max_age": c.get("max_age"),
                "max_age_long_studies": c.get("max_age_long_studies"),
                "min_age": c.get("min_age"),
                "income_tested": c.get("income_tested", False),
                "days_cap_per_year": c.get("days_cap_per_year"),
                "unstated": c.get("unstated", []),
                "order": order,
            },
        )
    audit_record(action="canteen.rules.seed", actor=actor, obj=ruleset, changes={"valid_from": str(valid_from)})
    return ruleset


@transaction.atomic
def rules_save(
    *,
    actor: Any,
    municipality: Any,
    valid_from: datetime.date,
    law: str,
    threshold: Decimal | None,
    meal_allowance: Decimal | None,
    contribution_rate: Decimal | None,
    decision_term_days: int | None,
    meals_per_day: int = 2,
    currency: str = "RON",
    reverify_months: int | None = None,
) -> RuleSet:
    """A new version of the rules from ``valid_from`` (the previous one ends the day before)."""
    if not (actor.is_superuser or actor_of(actor).is_coordinator):
        raise PermissionDenied
    errors = {}
    for name, value in (("threshold", threshold), ("meal_allowance", meal_allowance)):
        if value is not None and value < 0:
            errors[name] = _("The amount cannot be negative.")
    if contribution_rate is not None and not Decimal(0) <= contribution_rate <= Decimal(1):
        errors["contribution_rate"] = _("The share is between 0 and 1 (0.30 is 30 %).")
    if reverify_months is not None and not 1 <= reverify_months <= 60:
        errors["reverify_months"] = _("Between 1 and 60 months.")
    if errors:
        raise ValidationError(errors)
    previous = selectors.rules_in_force(municipality=municipality, on=valid_from)
    if previous is not None and previous.valid_from == valid_from:
        raise ValidationError({"valid_from": _("Rules already start on this day; choose another day.")})
    latest = RuleSet.objects.for_tenant(municipality).order_by("-valid_from").first()
    if latest is not None and valid_from < latest.valid_from:
        # A version only follows the last one: one inserted before it would overlap the rules decided since.
        raise ValidationError(
            {
                "valid_from": _("Later rules start on %(day)s: a new version starts after that day.")
                % {"day": latest.valid_from}
            }
        )
    unstated = [
        name
        for name, value in (
            ("law", law),
            ("threshold", threshold),
            ("meal_allowance", meal_allowance),
            ("contribution_rate", contribution_rate),
            ("decision_term_days", decision_term_days),
            ("reverify_months", reverify_months),
        )
        if value in (None, "")
    ]
    if previous is not None and (previous.valid_to is None or previous.valid_to >= valid_from):
        previous.valid_to = valid_from - datetime.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    ruleset = RuleSet.objects.create(
        municipality_id=getattr(municipality, "pk", municipality),
        law=law,
        threshold=threshold,
        meal_allowance=meal_allowance,
        contribution_rate=contribution_rate,
        decision_term_days=decision_term_days,
        meals_per_day=meals_per_day,
        reverify_months=reverify_months,
        currency=currency,
        unstated=unstated,
        valid_from=valid_from,
    )
    audit_record(action="canteen.rules.save", actor=actor, obj=ruleset, changes={"valid_from": str(valid_from)})
    return ruleset


@transaction.atomic
def unit_save(
    *,
    municipality: Any,
    code: str,
    name: str,
    organisation: Organisation,
    office: Organisation | None = None,
    home_delivery: bool = False,
    source: str = "",
    actor: Any = None,
) -> CanteenUnit:
    unit, created = CanteenUnit.objects.for_tenant(municipality).update_or_create(
        code=code,
        defaults={
            "municipality_id": getattr(municipality, "pk", municipality),
            "name": name,
            "organisation": organisation,
            "office": office,
            "home_delivery": home_delivery,
            "source": source,
        },
    )
    audit_record(action="canteen.unit.save", actor=actor, obj=unit, changes={"code": code, "created": created})
    return unit


# --- applications -------------------------------------------------------------------------------------------


def _next_number(model: Any, municipality: Any, prefix: str, year: int) -> str:
    count = model.objects.for_tenant(municipality).filter(number__startswith=f"{prefix}-{year}-").count()
    return f"{prefix}-{year}-{count + 1:05d}"


APPLICATION_FIELDS = (
    "requested_category",
    "household_size",
    "household_income",
    "in_full_time_education",
    "long_studies",
    "is_pensioner",
    "of_pension_age",
    "isolated_or_unsupported",
    "invalid_or_chronic",
    "temporarily_no_income",
    "lunch",
    "dinner",
    "home_delivery",
    "documents",
)


@transaction.atomic
def application_create(
    *,
    actor: Any,
    person: Any,
    organisation: Organisation,
    received_on: datetime.date,
    unit: CanteenUnit | None = None,
    case: Any = None,
    **fields: Any,
) -> Application:
    """Record an application (the household's declarations); its eligibility is computed on the page."""
    actor_ = actor_of(actor)
    if not (
        actor_.is_platform_admin
        or actor_.is_coordinator
        or actor_.has_role("caseworker", "provider_manager", "data_officer", organisation_id=organisation.pk)
    ):
        raise PermissionDenied
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    errors: dict[str, str] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    if person.municipality_id != organisation.municipality_id:
        errors["person"] = _("Choose a person of this municipality.")
    if case is not None and case.person_id != person.pk:
        errors["case"] = _("The case is another person's.")
    if unit is not None and unit.municipality_id != organisation.municipality_id:
        errors["unit"] = _("Choose a canteen unit of this municipality.")
    size = fields.get("household_size", 1)
    if not isinstance(size, int) or not 1 <= size <= 30:
        errors["household_size"] = _("The household has from 1 to 30 persons.")
    try:
        income = Decimal(str(fields.get("household_income", 0)))
        if income < 0 or income > Decimal("10000000"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["household_income"] = _("Enter the monthly income as a positive amount.")
    codes = {c.code for c in selectors.categories_in_force(municipality=organisation.municipality_id, on=received_on)}
    if fields.get("requested_category") and fields["requested_category"] not in codes:
        errors["requested_category"] = _("Choose one of the categories in force.")
    documents = fields.get("documents", [])
    if not isinstance(documents, list) or any(d not in DOCUMENTS for d in documents):
        errors["documents"] = _("Choose documents from the list.")
    if errors:
        raise ValidationError(errors)
    application = Application(
        municipality_id=organisation.municipality_id,
        number=_next_number(Application, organisation.municipality_id, "CAS", received_on.year),
        person=person,
        organisation=organisation,
        unit=unit,
        case=case,
        received_on=received_on,
        created_by=actor,
        **fields,
    )
    application.full_clean(exclude=["municipality", "person", "organisation", "unit", "case", "created_by"])
    application.save()
    audit_record(action="canteen.application.create", actor=actor, obj=application, changes={"person": str(person.pk)})
    return application


def application_facts(application: Application) -> Facts:
    return Facts(
        birth_date=application.person.birth_date,
        household_size=application.household_size,
        household_income=application.household_income,
        in_full_time_education=application.in_full_time_education,
        long_studies=application.long_studies,
        is_pensioner=application.is_pensioner,
        of_pension_age=application.of_pension_age,
        isolated_or_unsupported=application.isolated_or_unsupported,
        invalid_or_chronic=application.invalid_or_chronic,
        temporarily_no_income=application.temporarily_no_income,
    )


def application_assess(*, application: Application, on: datetime.date) -> Result:
    """The eligibility on day ``on`` from the rules and categories then in force (a read: no write)."""
    municipality = application.municipality_id
    caps = selectors.category_caps(municipality=municipality, on=on)
    used = {
        code: selectors.days_granted(
            municipality=municipality, person=application.person_id, category=code, year=on.year
        )
        for code in caps
    }
    return assess(
        facts=application_facts(application),
        rules=selectors.rules_in_force(municipality=municipality, on=on),
        categories=selectors.categories_in_force(municipality=municipality, on=on),
        on=on,
        requested=application.requested_category,
        days_used=used,
    )


def application_inquiry(application: Application) -> SocialInquiry | None:
    """The social inquiry of the application's case (the case's, reused), the latest."""
    if application.case_id is None:
        return None
    return (
        SocialInquiry.objects.for_tenant(application.municipality_id)
        .filter(case_id=application.case_id)
        .order_by("-visited_on")
        .first()
    )


def missing_documents(application: Application) -> list[str]:
    return [d for d in DOCUMENTS if d not in (application.documents or [])]


def _decision_number(municipality: Any, year: int) -> str:
    return _next_number(Decision, municipality, "DCAS", year)


def _period_days(start: datetime.date, end: datetime.date, year: int) -> int:
    lo, hi = max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))
    return max((hi - lo).days + 1, 0)


def decision_approve(
    *,
    actor: Any,
    application: Application,
    valid_from: datetime.date,
    valid_to: datetime.date,
    unit: CanteenUnit | None = None,
    decided_on: datetime.date | None = None,
) -> Decision:
    """Approve: the category and contribution the eligibility computes, for a period; a meal card is issued.

    Refused (ValidationError naming the field) when the file lacks documents or the social inquiry, when
    no category applies, when the period is reversed, or when a capped category's days a year run out.
    """
    if not policy.can(actor, "decide", application):
        raise PermissionDenied
    decided_on = decided_on or timezone.localdate()
    unit = unit or application.unit
    errors: dict[str, str] = {}
    if application.status != ApplicationStatus.SUBMITTED:
        errors["application"] = _("The application is already decided.")
    if unit is None:
        errors["unit"] = _("Choose the canteen unit.")
    elif unit.municipality_id != application.municipality_id:
        errors["unit"] = _("Choose a canteen unit of this municipality.")
    if valid_to < valid_from:
        errors["valid_to"] = _("The period ends before it starts.")
    if missing_documents(application):
        errors["documents"] = _("The file lacks documents: %(docs)s.") % {
            "docs": ", ".join(str(DOCUMENT_LABELS[d]) for d in missing_documents(application))
        }
    if application_inquiry(application) is None:
        errors["case"] = _("Record the social inquiry in the field on the case first.")
    if errors:
        raise ValidationError(errors)
    result = application_assess(application=application, on=valid_from)
    if not result.eligible:
        raise ValidationError({"requested_category": _("No category applies: refuse the application instead.")})
    category = Category.objects.for_tenant(application.municipality_id).filter(code=result.category).first()
    cap = category.days_cap_per_year if category else None
    if cap is not None:
        for year in range(valid_from.year, valid_to.year + 1):
            used = selectors.days_granted(
                municipality=application.municipality_id,
                person=application.person_id,
                category=result.category,
                year=year,
            )
            wanted = _period_days(valid_from, valid_to, year)
            if used + wanted > cap:
                raise ValidationError(
                    {
                        "valid_to": _(
                            "Category %(category)s is granted at most %(cap)s days a year: %(left)s left in %(year)s, "
                            "the period asks %(wanted)s."
                        )
                        % {
                            "category": result.category,
                            "cap": cap,
                            "left": max(cap - used, 0),
                            "year": year,
                            "wanted": wanted,
                        }
                    }
                )
    with transaction.atomic():
        decision = Decision.objects.create(
            municipality_id=application.municipality_id,
            application=application,
            person_id=application.person_id,
            number=_decision_number(application.municipality_id, decided_on.year),
            outcome=Outcome.APPROVED,
            category=result.category,
            unit=unit,
            valid_from=valid_from,
            valid_to=valid_to,
            lunch=application.lunch,
            dinner=application.dinner,
            home_delivery=application.home_delivery,
            contribution_rate=result.contribution_rate,
            income_per_person=result.income_per_person,
            reasons=[r.as_json() for r in result.reasons],
            decided_on=decided_on,
            decided_by=actor,
        )
        application.status = ApplicationStatus.DECIDED
        application.save(update_fields=["status"])
        audit_record(
            action="canteen.decision.approve",
            actor=actor,
            obj=decision,
            changes={"category": result.category, "from": str(valid_from), "to": str(valid_to)},
        )
        card_issue(actor=actor, decision=decision)
    return decision


def decision_refuse(
    *, actor: Any, application: Application, reason: str = "", decided_on: datetime.date | None = None
) -> Decision:
    """Refuse with the legal reason: the eligibility's own, or one the officer names (a file incomplete)."""
    if not policy.can(actor, "decide", application):
        raise PermissionDenied
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"application": _("The application is already decided.")})
    decided_on = decided_on or timezone.localdate()
    result = application_assess(application=application, on=decided_on)
    if reason and reason not in REFUSAL_REASONS:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if not reason:
        if result.eligible:
            raise ValidationError({"reason": _("The person is eligible: name the reason for the refusal.")})
        reason = result.refusal_reason
    with transaction.atomic():
        decision = Decision.objects.create(
            municipality_id=application.municipality_id,
            application=application,
            person_id=application.person_id,
            number=_decision_number(application.municipality_id, decided_on.year),
            outcome=Outcome.REFUSED,
            refusal_reason=reason,
            income_per_person=result.income_per_person,
            reasons=[r.as_json() for r in result.reasons],
            decided_on=decided_on,
            decided_by=actor,
        )
        application.status = ApplicationStatus.DECIDED
        application.save(update_fields=["status"])
        audit_record(action="canteen.decision.refuse", actor=actor, obj=decision, changes={"reason": reason})
    return decision


# --- meal cards ---------------------------------------------------------------------------------------------


def _card_number(unit: CanteenUnit) -> str:
    prefix = "".join(w[0] for w in unit.code.split("-") if w)[:4].upper() or "C"
    existing = MealCard.objects.for_tenant(unit.municipality_id).filter(number__startswith=f"{prefix}-").count()
    return f"{prefix}-{existing + 1:06d}"


def card_issue(*, actor: Any, decision: Decision) -> MealCard:
    """A card for an approved decision (a new one replaces, and revokes, the person's previous card there)."""
    unit = decision.unit
    if decision.outcome != Outcome.APPROVED or unit is None:
        raise ValidationError({"decision": _("Only an approved decision with a unit has a meal card.")})
    if not policy.can(actor, "decide", decision):
        raise PermissionDenied
    with transaction.atomic():
        MealCard.objects.for_tenant(decision.municipality_id).filter(
            person_id=decision.person_id, unit_id=decision.unit_id, status=CardStatus.ACTIVE
        ).update(status=CardStatus.REVOKED, revoked_reason="replaced", revoked_at=timezone.now())
        card = MealCard.objects.create(
            municipality_id=decision.municipality_id,
            number=_card_number(unit),
            decision=decision,
            person_id=decision.person_id,
            unit=decision.unit,
        )
        audit_record(action="canteen.card.issue", actor=actor, obj=card, changes={"decision": str(decision.pk)})
    return card


@transaction.atomic
def card_revoke(*, actor: Any, card: MealCard, reason: str) -> MealCard:
    if not policy.can(actor, "manage", card):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the card is revoked.")})
    if card.status == CardStatus.REVOKED:
        raise ValidationError({"card": _("The card is already revoked.")})
    card.status = CardStatus.REVOKED
    card.revoked_reason = reason[:200]
    card.revoked_at = timezone.now()
    card.save(update_fields=["status", "revoked_reason", "revoked_at"])
    audit_record(action="canteen.card.revoke", actor=actor, obj=card, changes={"reason": "given"})
    return card


# --- periodic re-verification -------------------------------------------------------------------------------


@transaction.atomic
def decision_reverify(
    *,
    actor: Any,
    decision: Decision,
    verified_on: datetime.date,
    outcome: str,
    note: str,
    ends_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Reverification:
    """Record the periodic check of a decision's file. Circumstances unchanged: the decision continues and the
    next check falls due an interval later. No longer entitled: the decision ends on ``ends_on`` (a decision
    of the office's manager or the coordinator), its card is refused from the next day."""
    if not policy.can(actor, "reverify", decision):
        raise PermissionDenied
    if outcome == ReverificationOutcome.ENDED and not policy.can(actor, "decide", decision):
        raise PermissionDenied
    today = today or timezone.localdate()
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if decision.outcome != Outcome.APPROVED:
        errors["outcome"] = _("Only an approved decision is re-verified.")
    if outcome not in ReverificationOutcome.values:
        errors["outcome"] = _("Choose the outcome of the check.")
    if verified_on > today:
        errors["verified_on"] = _("The date cannot be in the future.")
    elif verified_on < decision.decided_on:
        errors["verified_on"] = _("The check cannot be before the decision.")
    if not note:
        errors["note"] = _("Say what was checked (incomes, household, situation).")
    elif len(note) > 500:
        errors["note"] = _("Keep it under 500 characters.")
    if outcome == ReverificationOutcome.ENDED:
        if ends_on is None:
            errors["ends_on"] = _("Give the day the decision ends.")
        elif decision.valid_from and not decision.valid_from <= ends_on <= (decision.last_day or ends_on):
            errors["ends_on"] = _("The end must fall within the decision's period.")
    else:
        ends_on = None
    if errors:
        raise ValidationError(errors)
    check = Reverification.objects.create(
        municipality_id=decision.municipality_id,
        decision=decision,
        verified_on=verified_on,
        outcome=outcome,
        note=note,
        ends_on=ends_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if ends_on is not None:
        decision.ended_on = ends_on
        decision.save(update_fields=["ended_on"])
    audit_record(
        action="canteen.decision.reverify",
        actor=actor,
        obj=decision,
        changes={"outcome": outcome, "verified_on": str(verified_on), "ends_on": str(ends_on or "")},
    )
    return check


# --- contributions ----------------------------------------------------------------------------------------

MAX_PAYMENT = Decimal("100000")


@transaction.atomic
def contribution_payment_record(
    *,
    actor: Any,
    decision: Decision,
    month: datetime.date,
    amount: Decimal,
    paid_on: datetime.date,
    receipt: str = "",
    is_synthetic: bool = False,
    today: datetime.date | None = None,
) -> ContributionPayment:
    """A payment of the contribution for one month of an approved decision, at the decision's unit (its staff,
    the office's or the coordinator record it). A month is paid at most its contribution: the rate of the
    income per person, less what is already paid for it."""
    unit = decision.unit
    if unit is None or not policy.can(actor, "serve", unit):
        raise PermissionDenied
    today = today or timezone.localdate()
    month = month.replace(day=1)
    receipt = (receipt or "").strip()
    errors: dict[str, str] = {}
    if decision.outcome != Outcome.APPROVED or decision.contribution_rate <= 0:
        errors["amount"] = _("This decision sets no contribution.")
    elif (
        decision.valid_from
        and decision.last_day
        and not (decision.valid_from.replace(day=1) <= month <= decision.last_day)
    ):
        errors["month"] = _("The decision is not in force in that month.")
    if paid_on > today:
        errors["paid_on"] = _("The date cannot be in the future.")
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter an amount above zero.")
    elif amount > MAX_PAYMENT:
        errors["amount"] = _("Enter an amount below %(max)s.") % {"max": MAX_PAYMENT}
    elif "amount" not in errors and "month" not in errors:
        left = selectors.monthly_contribution_cap(decision=decision) - selectors.contribution_paid(
            decision=decision, month=month
        )
        if amount > left:
            errors["amount"] = _("At most %(left)s is left to pay for that month.") % {"left": max(left, Decimal(0))}
    if len(receipt) > 40:
        errors["receipt"] = _("Keep the receipt number under 40 characters.")
    elif (
        receipt
        and ContributionPayment.objects.for_tenant(decision.municipality_id).filter(unit=unit, receipt=receipt).exists()
    ):
        errors["receipt"] = _("A payment with this receipt number is already recorded.")
    if errors:
        raise ValidationError(errors)
    payment = ContributionPayment.objects.create(
        municipality_id=decision.municipality_id,
        decision=decision,
        person_id=decision.person_id,
        unit=unit,
        month=month,
        amount=amount,
        paid_on=paid_on,
        receipt=receipt,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_synthetic=is_synthetic,
    )
    audit_record(
        action="canteen.contribution.pay",
        actor=actor,
        obj=payment,
        changes={"decision": decision.number, "month": f"{month:%Y-%m}", "amount": str(amount)},
    )
    return payment


# --- the monthly nominal list -------------------------------------------------------------------------------


def list_entries_build(*, nominal_list: NominalList) -> list[NominalEntry]:
    """The entries of a month's list, frozen from the decisions active in it (names, cards, contribution)."""
    unit = nominal_list.unit
    first, last = selectors.month_bounds(nominal_list.month)
    decisions = list(selectors.decisions_active(municipality=unit.municipality_id, unit=unit, month=first))
    cards = dict(
        MealCard.objects.for_tenant(unit.municipality_id)
        .filter(decision__in=decisions, status=CardStatus.ACTIVE)
        .values_list("decision_id", "number")
    )
    rules = selectors.rules_in_force(municipality=unit.municipality_id, on=first)
    entries = []
    for d in decisions:
        assert d.valid_from is not None
        lo, hi = max(first, d.valid_from), min(last, d.last_day or last)
        meals = ((hi - lo).days + 1) * (int(d.lunch) + int(d.dinner))
        entries.append(
            NominalEntry(
                municipality_id=unit.municipality_id,
                nominal_list=nominal_list,
                decision=d,
                person_id=d.person_id,
                full_name=f"{d.person.last_name} {d.person.first_name}",
                card_number=cards.get(d.pk, ""),
                category=d.category,
                first_day=lo,
                last_day=hi,
                lunch=d.lunch,
                dinner=d.dinner,
                home_delivery=d.home_delivery,
                contribution=contribution_due(
                    rate=d.contribution_rate,
                    income_per_person=d.income_per_person,
                    meals_served=meals,
                    meal_allowance=rules.meal_allowance if rules else None,
                ),
            )
        )
    return entries


def nominal_list_generate(*, actor: Any, unit: CanteenUnit, month: datetime.date) -> NominalList:
    """The month's list of the unit from the decisions active in it: a new version (the sent one never changes)."""
    if not policy.can(actor, "manage", unit):
        raise PermissionDenied
    first = month.replace(day=1)
    with transaction.atomic():
        previous = (
            NominalList.objects.for_tenant(unit.municipality_id)
            .filter(unit=unit, month=first)
            .aggregate(v=Max("version"))["v"]
            or 0
        )
        NominalList.objects.for_tenant(unit.municipality_id).filter(
            unit=unit, month=first, status=ListStatus.DRAFT
        ).delete()
        nominal_list = NominalList.objects.create(
            municipality_id=unit.municipality_id, unit=unit, month=first, version=previous + 1, created_by=actor
        )
        entries = list_entries_build(nominal_list=nominal_list)
        NominalEntry.objects.bulk_create(entries)
        audit_record(
            action="canteen.list.generate",
            actor=actor,
            obj=nominal_list,
            changes={"month": first.isoformat(), "version": nominal_list.version, "entries": len(entries)},
        )
    return nominal_list


def nominal_list_send(*, actor: Any, nominal_list: NominalList) -> NominalList:
    """Send the list to the canteen unit (a state change, audited): the previous sent version is superseded."""
    if not policy.can(actor, "manage", nominal_list):
        raise PermissionDenied
    if nominal_list.status != ListStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft list can be sent; generate a new version.")})
    with transaction.atomic():
        NominalList.objects.for_tenant(nominal_list.municipality_id).filter(
            unit_id=nominal_list.unit_id, month=nominal_list.month, status=ListStatus.SENT
        ).update(status=ListStatus.SUPERSEDED)
        nominal_list.status = ListStatus.SENT
        nominal_list.sent_by = actor
        nominal_list.sent_at = timezone.now()
        nominal_list.save(update_fields=["status", "sent_by", "sent_at"])
        audit_record(
            action="canteen.list.send",
            actor=actor,
            obj=nominal_list,
            changes={"status": ListStatus.SENT, "version": nominal_list.version},
        )
    return nominal_list


# --- the counter ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServeResult:
    created: bool  # False: this key was recorded already (a resend), nothing added
    name: str
    kind: str
    card: str


class Refused(Exception):
    """A meal the counter refuses, with the reason on screen (a code and its message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _parse_key(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError({"key": _("The submission has no valid key; reload the page.")}) from exc


def _resend(unit: CanteenUnit, key: uuid.UUID) -> ServeResult | None:
    meal = Meal.objects.for_tenant(unit.municipality_id).filter(client_key=key).select_related("person", "card").first()
    if meal is None:
        return None
    if meal.unit_id != unit.pk:
        raise ValidationError({"key": _("This submission key belongs to another unit.")})
    return ServeResult(
        created=False,
        name=f"{meal.person.last_name} {meal.person.first_name}",
        kind=meal.kind,
        card=meal.card.number if meal.card else "",
    )


def meal_record(
    *,
    actor: Any,
    unit: CanteenUnit,
    key: Any,
    card_number: str,
    kind: str,
    served_on: datetime.date | None = None,
) -> ServeResult:
    """Record one meal served at the counter, once per key, once per person, day and meal.

    Refusals (``Refused``) carry the reason shown on the phone: an unknown or revoked card, a card of
    another unit, a day outside the decision's period, a meal the decision does not grant, a second lunch
    (or dinner) the same day, a capped category's days a year used up.
    """
    if not policy.can(actor, "serve", unit):
        raise PermissionDenied
    client_key = _parse_key(key)
    if kind not in MealKind.values:
        raise ValidationError({"kind": _("Choose lunch or dinner.")})
    today = _today()
    served_on = served_on or today
    if served_on > today or (today - served_on).days > LATE_DAYS:
        raise ValidationError(
            {"served_on": _("The day of the meal must be today or one of the last %(n)s days.") % {"n": LATE_DAYS}}
        )
    number = (card_number or "").strip().upper()
    if not number:
        raise ValidationError({"card": _("Type or scan a card number.")})
    found = _resend(unit, client_key)
    if found is not None:
        return found
    card = (
        MealCard.objects.for_tenant(unit.municipality_id)
        .filter(number=number)
        .select_related("decision", "person")
        .first()
    )
    if card is None:
        raise Refused("card_unknown", _("No meal card has the number %(card)s.") % {"card": number})
    name = f"{card.person.last_name} {card.person.first_name}"
    if card.status == CardStatus.REVOKED:
        raise Refused("card_revoked", _("%(name)s: the card %(card)s is revoked.") % {"name": name, "card": number})
    if card.unit_id != unit.pk:
        raise Refused("other_unit", _("%(name)s: the card is for another canteen unit.") % {"name": name})
    created = _meal_insert(
        actor=actor,
        unit=unit,
        decision=card.decision,
        person_id=card.person_id,
        name=name,
        served_on=served_on,
        kind=kind,
        client_key=client_key,
        card=card,
    )
    if created:
        return ServeResult(created=True, name=name, kind=kind, card=number)
    return _resend(unit, client_key) or ServeResult(created=False, name=name, kind=kind, card=number)


def _check_granted(*, decision: Decision, name: str, served_on: datetime.date, kind: str) -> None:
    """The decision is in force on the day and grants this meal."""
    last_day = decision.last_day
    if decision.valid_from is None or last_day is None or not decision.valid_from <= served_on <= last_day:
        raise Refused(
            "out_of_period",
            _("%(name)s: the card is valid from %(start)s to %(end)s, not on %(day)s.")
            % {"name": name, "start": decision.valid_from, "end": last_day, "day": served_on},
        )
    if (kind == MealKind.LUNCH and not decision.lunch) or (kind == MealKind.DINNER and not decision.dinner):
        raise Refused("meal_not_granted", _("%(name)s: this meal is not granted by the decision.") % {"name": name})


def _meal_insert(
    *,
    actor: Any,
    unit: CanteenUnit,
    decision: Decision,
    person_id: Any,
    name: str,
    served_on: datetime.date,
    kind: str,
    client_key: uuid.UUID,
    card: MealCard | None = None,
    delivery_round: DeliveryRound | None = None,
) -> bool:
    """The rules every meal passes, at the counter or at the door, then the meal and its audit event.

    Refuses a day outside the decision's period, a meal the decision does not grant, a capped category's
    days a year used up, and a second lunch (or dinner) the same day. False: the same key arrived twice at
    once and the other request recorded it (a resend)."""
    _check_granted(decision=decision, name=name, served_on=served_on, kind=kind)
    caps = selectors.category_caps(municipality=unit.municipality_id, on=served_on)
    cap = caps.get(decision.category)
    meals = Meal.objects.for_tenant(unit.municipality_id)
    if cap is not None:
        served_days = set(
            meals.filter(person_id=person_id, category=decision.category, served_on__year=served_on.year)
            .values_list("served_on", flat=True)
            .distinct()
        )
        if served_on not in served_days and len(served_days) >= cap:
            raise Refused(
                "cap_reached",
                _("%(name)s: category %(category)s is served at most %(cap)s days a year; they are used up.")
                % {"name": name, "category": decision.category, "cap": cap},
            )
    try:
        with transaction.atomic():
            Meal.objects.create(
                municipality_id=unit.municipality_id,
                card=card,
                decision=decision,
                person_id=person_id,
                unit=unit,
                category=decision.category,
                served_on=served_on,
                kind=kind,
                home_delivery=decision.home_delivery or delivery_round is not None,
                delivery_round=delivery_round,
                client_key=client_key,
                served_by=actor,
            )
            audit_record(
                action="canteen.meal.deliver" if delivery_round is not None else "canteen.meal.record",
                actor=actor,
                obj=card or decision,
                changes={"kind": kind, "day": served_on.isoformat(), "key": str(client_key)},
            )
    except IntegrityError:
        if meals.filter(client_key=client_key).exists():
            return False
        kind_label = MealKind(kind).label
        raise Refused(
            "already_served",
            _("%(name)s has already been served %(meal)s on %(day)s.")
            % {"name": name, "meal": str(kind_label).lower(), "day": served_on},
        ) from None
    return True


# --- home-delivery rounds ---------------------------------------------------------------------------------


def _check_driver(unit: CanteenUnit, driver: Any) -> None:
    if driver is not None and not selectors.drivers_of_unit(unit=unit).filter(pk=driver.pk).exists():
        raise ValidationError({"driver": _("The driver must be a member of the unit's or the office's staff.")})


@transaction.atomic
def delivery_round_save(
    *,
    actor: Any,
    unit: CanteenUnit,
    name: str,
    driver: Any = None,
    is_active: bool = True,
    delivery_round: DeliveryRound | None = None,
) -> DeliveryRound:
    """Create a round of the unit, or rename it, change its driver or stop it."""
    if not policy.can(actor, "plan_rounds", unit):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the round a name (a district, a street, a driver).")})
    _check_driver(unit, driver)
    taken = DeliveryRound.objects.for_tenant(unit.municipality_id).filter(unit=unit, name__iexact=name)
    if delivery_round is not None:
        taken = taken.exclude(pk=delivery_round.pk)
    if taken.exists():
        raise ValidationError({"name": _("The unit already has a round with this name.")})
    created = delivery_round is None
    if delivery_round is None:
        delivery_round = DeliveryRound(municipality_id=unit.municipality_id, unit=unit)
    delivery_round.name = name
    delivery_round.driver = driver
    delivery_round.is_active = is_active
    delivery_round.save()
    audit_record(
        action="canteen.round.create" if created else "canteen.round.update",
        actor=actor,
        obj=delivery_round,
        changes={"name": name, "driver": str(driver.pk) if driver else None, "active": is_active},
    )
    return delivery_round


@transaction.atomic
def round_stop_add(*, actor: Any, delivery_round: DeliveryRound, decision: Decision, note: str = "") -> RoundStop:
    """Put a person delivered at home on the round, at the end of the route."""
    unit = delivery_round.unit
    if not policy.can(actor, "plan_rounds", unit):
        raise PermissionDenied
    if (
        decision.municipality_id != unit.municipality_id
        or decision.unit_id != unit.pk
        or decision.outcome != Outcome.APPROVED
        or not decision.home_delivery
    ):
        raise ValidationError(
            {"decision": _("Only a decision of this unit with meals delivered at home can be on a round.")}
        )
    stops = RoundStop.objects.for_tenant(unit.municipality_id)
    if stops.filter(decision=decision).exists():
        raise ValidationError({"decision": _("This person is already on a round.")})
    last = stops.filter(delivery_round=delivery_round).aggregate(m=Max("position"))["m"] or 0
    stop = RoundStop.objects.create(
        municipality_id=unit.municipality_id,
        delivery_round=delivery_round,
        decision=decision,
        person_id=decision.person_id,
        position=last + 1,
        note=(note or "").strip()[:200],
    )
    audit_record(action="canteen.round.add", actor=actor, obj=delivery_round, changes={"decision": str(decision.pk)})
    return stop


@transaction.atomic
def round_stop_move(*, actor: Any, stop: RoundStop, step: int) -> None:
    """Move a person one place earlier (-1) or later (+1) in the route."""
    delivery_round = stop.delivery_round
    if not policy.can(actor, "plan_rounds", delivery_round.unit):
        raise PermissionDenied
    if step not in (-1, 1):
        raise ValidationError({"step": _("Move one place up or down.")})
    stops = list(
        RoundStop.objects.for_tenant(stop.municipality_id)
        .select_for_update()
        .filter(delivery_round=delivery_round)
        .order_by("position")
    )
    index = next(i for i, s in enumerate(stops) if s.pk == stop.pk)
    other = index + step
    if not 0 <= other < len(stops):
        return
    stops[index], stops[other] = stops[other], stops[index]
    for position, item in enumerate(stops, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        action="canteen.round.move", actor=actor, obj=delivery_round, changes={"decision": str(stop.decision_id)}
    )


@transaction.atomic
def round_stop_remove(*, actor: Any, stop: RoundStop) -> None:
    delivery_round = stop.delivery_round
    if not policy.can(actor, "plan_rounds", delivery_round.unit):
        raise PermissionDenied
    decision_id = stop.decision_id
    stop.delete()
    for position, item in enumerate(
        RoundStop.objects.for_tenant(delivery_round.municipality_id)
        .filter(delivery_round=delivery_round)
        .order_by("position"),
        start=1,
    ):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(action="canteen.round.remove", actor=actor, obj=delivery_round, changes={"decision": str(decision_id)})


class DeliveryOutcome:
    DELIVERED = "delivered"
    ABSENT = "absent"
    VALUES = (DELIVERED, ABSENT)


@dataclass(frozen=True)
class DeliveryResult:
    created: bool  # False: this key was recorded already (a resend), nothing added
    name: str
    outcome: str


def _delivery_resend(delivery_round: DeliveryRound, key: uuid.UUID) -> DeliveryResult | None:
    tenant = delivery_round.municipality_id
    meal = Meal.objects.for_tenant(tenant).filter(client_key=key).select_related("person").first()
    absence = (
        None
        if meal
        else DeliveryAbsence.objects.for_tenant(tenant).filter(client_key=key).select_related("person").first()
    )
    found = meal or absence
    if found is None:
        return None
    round_id = meal.delivery_round_id if meal else absence.delivery_round_id  # type: ignore[union-attr]
    if round_id != delivery_round.pk:
        raise ValidationError({"key": _("This submission key belongs to another round.")})
    return DeliveryResult(
        created=False,
        name=f"{found.person.last_name} {found.person.first_name}",
        outcome=DeliveryOutcome.DELIVERED if meal else DeliveryOutcome.ABSENT,
    )


def delivery_record(
    *,
    actor: Any,
    delivery_round: DeliveryRound,
    key: Any,
    stop_id: Any,
    outcome: str,
    kind: str,
    day: datetime.date | None = None,
) -> DeliveryResult:
    """Mark one person of the round delivered (the meal is recorded, carried home by this round) or absent
    (nobody home: no meal), once per key. A delivered meal passes the counter's rules; a person marked
    absent may still be delivered later the same day (the driver came back), never the other way round."""
    unit = delivery_round.unit
    if not policy.can(actor, "serve", unit):
        raise PermissionDenied
    client_key = _parse_key(key)
    if outcome not in DeliveryOutcome.VALUES:
        raise ValidationError({"outcome": _("Choose delivered or absent.")})
    if kind not in MealKind.values:
        raise ValidationError({"kind": _("Choose lunch or dinner.")})
    today = _today()
    day = day or today
    if day > today or (today - day).days > LATE_DAYS:
        raise ValidationError(
            {"day": _("The day of the meal must be today or one of the last %(n)s days.") % {"n": LATE_DAYS}}
        )
    found = _delivery_resend(delivery_round, client_key)
    if found is not None:
        return found
    try:
        stop = (
            RoundStop.objects.for_tenant(unit.municipality_id)
            .select_related("decision", "person")
            .get(pk=stop_id, delivery_round=delivery_round)
        )
    except (RoundStop.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Refused("not_on_round", _("This person is not on the round.")) from None
    name = f"{stop.person.last_name} {stop.person.first_name}"
    if outcome == DeliveryOutcome.DELIVERED:
        created = _meal_insert(
            actor=actor,
            unit=unit,
            decision=stop.decision,
            person_id=stop.person_id,
            name=name,
            served_on=day,
            kind=kind,
            client_key=client_key,
            delivery_round=delivery_round,
        )
        return DeliveryResult(created=created, name=name, outcome=outcome)
    _check_granted(decision=stop.decision, name=name, served_on=day, kind=kind)
    if (
        Meal.objects.for_tenant(unit.municipality_id)
        .filter(person_id=stop.person_id, served_on=day, kind=kind)
        .exists()
    ):
        raise Refused(
            "already_served",
            _("%(name)s has already been served %(meal)s on %(day)s.")
            % {"name": name, "meal": str(MealKind(kind).label).lower(), "day": day},
        )
    try:
        with transaction.atomic():
            DeliveryAbsence.objects.create(
                municipality_id=unit.municipality_id,
                delivery_round=delivery_round,
                decision=stop.decision,
                person_id=stop.person_id,
                day=day,
                kind=kind,
                client_key=client_key,
                recorded_by=actor,
            )
            audit_record(
                action="canteen.meal.absent",
                actor=actor,
                obj=stop.decision,
                changes={"kind": kind, "day": day.isoformat(), "key": str(client_key)},
            )
    except IntegrityError:
        # The same key twice at once (a resend), or the person already marked absent for this meal.
        return DeliveryResult(created=False, name=name, outcome=outcome)
    return DeliveryResult(created=True, name=name, outcome=outcome)


# --- aid in kind -----------------------------------------------------------------------------------------


@transaction.atomic
def aid_season_create(
    *, actor: Any, municipality: Any, name: str, starts_on: datetime.date, ends_on: datetime.date, legal_basis: str = ""
) -> AidSeason:
    actor_ = actor_of(actor)
    if not (actor_.is_platform_admin or actor_.is_coordinator):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The season ends before it starts.")})
    if not name.strip():
        raise ValidationError({"name": _("Name the season.")})
    season = AidSeason.objects.create(
        municipality_id=getattr(municipality, "pk", municipality),
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        legal_basis=legal_basis,
    )
    audit_record(action="canteen.aid.season", actor=actor, obj=season)
    return season


# A quantity above this asks for a confirmation (a typing slip: 50 instead of 5).
AID_USUAL_MAX = {AidUnit.CUBIC_METRE: Decimal(10), AidUnit.TONNE: Decimal(5), AidUnit.KILOGRAM: Decimal(3000)}


@transaction.atomic
def aid_allocate(
    *,
    actor: Any,
    season: AidSeason,
    person: Any,
    item: str,
    quantity: Decimal,
    unit: str,
    decided_on: datetime.date | None = None,
    confirmed: bool = False,
) -> AidAllocation:
    """Grant a beneficiary a quantity of firewood or coal for the season (once per item and season)."""
    actor_ = actor_of(actor)
    if not (actor_.is_platform_admin or actor_.is_coordinator):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if item not in AidItem.values:
        errors["item"] = _("Choose firewood or coal.")
    if unit not in AidUnit.values:
        errors["unit"] = _("Choose a unit of measure.")
    if quantity is None or quantity <= 0:
        errors["quantity"] = _("The quantity is more than zero.")
    elif unit in AidUnit.values and quantity > AID_USUAL_MAX[AidUnit(unit)] and not confirmed:
        errors["quantity"] = _("%(q)s %(u)s is more than usual: confirm the quantity.") % {
            "q": quantity,
            "u": AidUnit(unit).label,
        }
    if person.municipality_id != season.municipality_id:
        errors["person"] = _("Choose a person of this municipality.")
    if errors:
        raise ValidationError(errors)
    if (
        AidAllocation.objects.for_tenant(season.municipality_id)
        .filter(season=season, person=person, item=item)
        .exists()
    ):
        raise ValidationError({"item": _("This person already has this item in this season.")})
    allocation = AidAllocation.objects.create(
        municipality_id=season.municipality_id,
        season=season,
        person=person,
        item=item,
        quantity=quantity,
        unit=unit,
        decided_on=decided_on or timezone.localdate(),
        created_by=actor,
    )
    audit_record(
        action="canteen.aid.allocate", actor=actor, obj=allocation, changes={"item": item, "quantity": str(quantity)}
    )
    return allocation


@transaction.atomic
def aid_deliver(
    *, actor: Any, allocation: AidAllocation, delivered_on: datetime.date, quantity: Decimal | None = None
) -> AidAllocation:
    actor_ = actor_of(actor)
    if not (actor_.is_platform_admin or actor_.is_coordinator):
        raise PermissionDenied
    quantity = allocation.quantity if quantity is None else quantity
    if quantity <= 0 or quantity > allocation.quantity:
        raise ValidationError({"quantity": _("Hand over more than zero and at most the quantity granted.")})
    allocation.delivered_on = delivered_on
    allocation.delivered_quantity = quantity
    allocation.save(update_fields=["delivered_on", "delivered_quantity"])
    audit_record(action="canteen.aid.deliver", actor=actor, obj=allocation, changes={"quantity": str(quantity)})
    return allocation
