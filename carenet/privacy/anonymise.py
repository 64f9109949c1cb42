"""How each kind of record is anonymised or deleted. Called by the services (inside their transaction).

Anonymising keeps what the statistics need (dates, statuses, the provider, the service, sex, year of birth,
area, disability degree) and removes what identifies or narrates: names, identifiers, contacts, free
text, documents. A person's identity is removed once none of their records is still kept.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from carenet.cases.models import (
    Assessment,
    Case,
    CaseDocument,
    CaseEvent,
    CaseStatus,
    InterventionPlan,
    MonitoringDuty,
    MonitoringVisit,
    Note,
    PlanAction,
    SocialInquiry,
    Task,
)
from carenet.people.models import (
    Consent,
    HouseholdMember,
    IdentityDocument,
    Person,
    SensitiveProfile,
)
from carenet.portal.models import HelpRequest, ServiceFeedback

GONE = "—"


def _delete_files(qs: models.QuerySet, field: str) -> None:
    for obj in qs:
        f = getattr(obj, field)
        if f:
            f.delete(save=False)


def case_anonymise(case: Case) -> None:
    m = case.municipality_id

    Note.objects.for_tenant(m).filter(case=case).delete()
    documents = CaseDocument.objects.for_tenant(m).filter(case=case)
    _delete_files(documents, "file")
    documents.delete()
    CaseEvent.objects.for_tenant(m).filter(case=case).update(summary="")
    SocialInquiry.objects.for_tenant(m).filter(case=case).update(
        household_notes="",
        monthly_income=None,
        income_sources="",
        housing_notes="",
        health="",
        education="",
        conclusions=GONE,
    )
    InterventionPlan.objects.for_tenant(m).filter(case=case).update(goals=GONE)
    PlanAction.objects.for_tenant(m).filter(plan__case=case).update(action=GONE, responsible=GONE)
    Assessment.objects.for_tenant(m).filter(case=case).update(summary=GONE)
    Task.objects.for_tenant(m).filter(case=case).update(title=GONE)
    MonitoringDuty.objects.for_tenant(m).filter(case=case).update(carer_name="", carer_relation="", parents_country="")
    MonitoringVisit.objects.for_tenant(m).filter(duty__case=case).update(findings=GONE)
    Case.objects.for_tenant(m).filter(pk=case.pk).update(
        request_summary="",
        referred_by="",
        refusal_reason=GONE if case.status == CaseStatus.REFUSED else "",
        directed_to="",
        contract_number="",
        closure_note="",
        updated_at=timezone.now(),
    )


def case_delete(case: Case) -> None:
    """Delete a case file with everything under it (its deliveries stay, unlinked)."""
    documents = CaseDocument.objects.for_tenant(case.municipality_id).filter(case=case)
    _delete_files(documents, "file")
    case.delete()


def person_anonymise(person: Person) -> None:
    m = person.municipality_id
    birth = person.birth_date
    Person.objects.for_tenant(m).filter(pk=person.pk).update(
        first_name=GONE,
        last_name=f"#{str(person.pk)[-6:]}",
        other_spellings="",
        identifier_kind="",
        national_id="",
        address="",
        phone="",
        email="",
        birth_date=datetime.date(birth.year, 1, 1) if birth else None,
        name_key="",
        search_text="",
        updated_at=timezone.now(),
    )
    IdentityDocument.objects.for_tenant(m).filter(person=person).delete()
    SensitiveProfile.objects.for_tenant(m).filter(person=person).update(
        health_notes="", ethnicity="", violence_history=""
    )
    HouseholdMember.objects.for_tenant(m).filter(person=person).delete()
    consents = Consent.objects.for_tenant(m).filter(person=person)
    _delete_files(consents, "scan")
    consents.update(scan="", scan_name="")


def help_request_anonymise(help_request: HelpRequest) -> None:
    HelpRequest.objects.for_tenant(help_request.municipality_id).filter(pk=help_request.pk).update(
        contact_name="",
        contact_phone="",
        contact_email="",
        description="",
        area_text="",
        anonymised_at=timezone.now(),
    )


def feedback_anonymise(feedback: ServiceFeedback) -> None:
    ServiceFeedback.objects.for_tenant(feedback.municipality_id).filter(pk=feedback.pk).update(
        author_name="", comment=""
    )


def noop(_record: Any) -> None:
    """Deliveries hold no narrative: anonymising one is recording it, the identity goes with the person."""
