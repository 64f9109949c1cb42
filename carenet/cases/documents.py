"""The case's printable official documents — the social inquiry (anchetă socială), the individual
intervention plan (PIP) and the service contract — registered as kinds of ``core.documents`` and filled
from the case with plain values only (a municipality's own template text reaches nothing else)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from carenet.core.documents import register_document_kind

from .legal import legal_reference
from .models import Case, HousingKind, Risk

INQUIRY, PLAN, CONTRACT = "inquiry", "plan", "contract"
KINDS = {
    INQUIRY: ("cases.inquiry", gettext_lazy("Social inquiry")),
    PLAN: ("cases.plan", gettext_lazy("Individual intervention plan")),
    CONTRACT: ("cases.contract", gettext_lazy("Service contract")),
}
COMMON_FIELDS = ("municipality", "provider", "case", "person", "today", "legal_reference", "caseworker")


def register() -> None:
    register_document_kind(
        KINDS[INQUIRY][0],
        label=KINDS[INQUIRY][1],
        template_name="cases/documents/inquiry.html",
        fields=(*COMMON_FIELDS, "inquiry"),
    )
    register_document_kind(
        KINDS[PLAN][0], label=KINDS[PLAN][1], template_name="cases/documents/plan.html", fields=(*COMMON_FIELDS, "plan")
    )
    register_document_kind(
        KINDS[CONTRACT][0],
        label=KINDS[CONTRACT][1],
        template_name="cases/documents/contract.html",
        fields=(*COMMON_FIELDS, "contract"),
    )


def _date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def person_values(person: Any) -> dict[str, Any]:
    return {
        "name": person.full_name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": _date(person.birth_date),
        "sex": str(person.get_sex_display()),
        "national_id": person.national_id,
        "address": person.address,
        "phone": person.phone,
    }


def case_values(case: Case) -> dict[str, Any]:
    """What every document of the case shows: who, which provider, under which law."""
    municipality = case.municipality
    return {
        "municipality": municipality.name,
        "provider": case.organisation.name,
        "case": {
            "reference": case.reference,
            "opened_on": _date(case.opened_on),
            "request": case.request_summary,
            "status": str(case.get_status_display()),
            "channel": str(case.get_channel_display()),
        },
        "person": person_values(case.person),
        "caseworker": _name(case.caseworker),
        "today": _date(datetime.date.today()),
        "legal_reference": legal_reference(municipality=municipality, key="social_services"),
        "currency": municipality.currency,
    }


def inquiry_values(case: Case, inquiry: Any) -> dict[str, Any]:
    risks = dict(Risk.choices)
    return {
        **case_values(case),
        "inquiry": {
            "visited_on": _date(inquiry.visited_on),
            "household_size": inquiry.household_size,
            "household": inquiry.household_notes,
            "income": number_format(inquiry.monthly_income, 2, use_l10n=True)
            if inquiry.monthly_income is not None
            else "",
            "income_sources": inquiry.income_sources,
            "housing": str(dict(HousingKind.choices).get(inquiry.housing, inquiry.housing)),
            "housing_notes": inquiry.housing_notes,
            "health": inquiry.health,
            "education": inquiry.education,
            "risks": [str(risks.get(r, r)) for r in dict.fromkeys(inquiry.risks or [])],
            "conclusions": inquiry.conclusions,
            "author": _name(inquiry.author),
        },
    }


def plan_values(case: Case, plan: Any) -> dict[str, Any]:
    return {
        **case_values(case),
        "plan": {
            "goals": plan.goals,
            "status": str(plan.get_status_display()),
            "approved_by": _name(plan.approved_by),
            "approved_on": _date(plan.approved_at.date()) if plan.approved_at else "",
            "actions": [
                {
                    "action": a.action,
                    "responsible": a.responsible,
                    "due_on": _date(a.due_on),
                    "follow_up_weeks": a.follow_up_weeks or "",
                    "done_on": _date(a.done_on),
                }
                for a in plan.actions.all()
            ],
        },
    }


def contract_values(case: Case) -> dict[str, Any]:
    services = sorted({d.service.name for d in case.deliveries.select_related("service")[:200]})
    return {
        **case_values(case),
        "contract": {
            "number": case.contract_number,
            "signed_on": _date(case.contract_signed_on),
            "services": services,
            "decided_on": _date(case.decided_on),
        },
    }


def document_values(case: Case, kind: str) -> dict[str, Any]:
    """The values of document ``kind`` for ``case``; a document whose record does not exist yet is refused
    with a message naming what is missing."""
    if kind == INQUIRY:
        inquiry = case.inquiries.select_related("author").order_by("-visited_on", "-created_at").first()
        if inquiry is None:
            raise ValidationError(_("Record the social inquiry first."))
        return inquiry_values(case, inquiry)
    if kind == PLAN:
        plan = case.plans.select_related("approved_by").prefetch_related("actions").order_by("-created_at").first()
        if plan is None:
            raise ValidationError(_("Start the intervention plan first."))
        return plan_values(case, plan)
    if kind == CONTRACT:
        if not case.contract_number:
            raise ValidationError(_("Record the contract (its number and date) first."))
        return contract_values(case)
    raise ValidationError(_("Unknown document."))


def printable(case: Case, *, has_inquiry: bool | None = None, has_plan: bool | None = None) -> list[tuple[str, Any]]:
    """The documents the case can print now (a record to fill them from exists), for the case page (which
    passes ``has_inquiry``/``has_plan`` when it has already read the case's inquiries and plans)."""
    kinds = []
    if case.inquiries.exists() if has_inquiry is None else has_inquiry:
        kinds.append((INQUIRY, KINDS[INQUIRY][1]))
    if case.plans.exists() if has_plan is None else has_plan:
        kinds.append((PLAN, KINDS[PLAN][1]))
    if case.contract_number:
        kinds.append((CONTRACT, KINDS[CONTRACT][1]))
    return kinds


def document_language(municipality: Any, requested: str) -> str:
    """The language of a printed document: the one asked for if the municipality offers it, else the
    reader's if offered, else the municipality's first official language."""
    offered = list(getattr(municipality, "official_languages", None) or ["ro"])
    for candidate in (requested, (get_language() or "")[:2]):
        if candidate in offered:
            return candidate
    return offered[0]
