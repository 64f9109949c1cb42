"""Reads of the privacy app: the schedule in force, requests and their deadlines, what the law keeps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from carenet.cases.models import OPEN_STATUSES, Case, CaseStatus, ServiceDelivery
from carenet.core.policy import policy

from .models import (
    AnswerDeadline,
    Disposition,
    LegalHold,
    RecordDisposal,
    RecordKind,
    RequestStatus,
    RetentionRule,
    RetentionRun,
    SubjectRequest,
)


def _in_force(qs: QuerySet, on: datetime.date) -> QuerySet:
    return qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from")


def rule_for(*, municipality_id: Any, kind: str, on: datetime.date | None = None) -> RetentionRule | None:
    """The retention rule of ``kind`` in force on ``on`` in the municipality (None: no schedule)."""
    on = on or timezone.localdate()
    return _in_force(RetentionRule.objects.for_tenant(municipality_id).filter(kind=kind), on).first()


def rules_in_force(*, municipality_id: Any, on: datetime.date | None = None) -> dict[str, RetentionRule | None]:
    on = on or timezone.localdate()
    return {kind: rule_for(municipality_id=municipality_id, kind=kind, on=on) for kind in RecordKind.values}


def answer_deadline_for(*, municipality_id: Any, on: datetime.date | None = None) -> AnswerDeadline | None:
    on = on or timezone.localdate()
    return _in_force(AnswerDeadline.objects.for_tenant(municipality_id), on).first()


def cutoff(rule: RetentionRule, today: datetime.date) -> datetime.date:
    """Records that ended before this date have passed the rule's period."""
    try:
        return today.replace(year=today.year - rule.keep_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - rule.keep_years, day=28)


def kept_until(rule: RetentionRule, ended_on: datetime.date) -> datetime.date:
    try:
        return ended_on.replace(year=ended_on.year + rule.keep_years)
    except ValueError:
        return ended_on.replace(year=ended_on.year + rule.keep_years, day=28)


# --- Lists for the coordinator ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    request: SubjectRequest
    overdue: bool
    days_left: int


def is_overdue(request: SubjectRequest, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return request.status == RequestStatus.REGISTERED and today > request.due_on


def subject_requests(*, user: Any, person_id: Any = None, today: datetime.date | None = None) -> list[RequestRow]:
    """The requests the user may see (undecided first, by due date), each flagged overdue past its deadline."""
    today = today or timezone.localdate()
    qs = policy.visible(user, SubjectRequest).select_related("person", "decided_by")
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    rows = [RequestRow(r, is_overdue(r, today), (r.due_on - today).days) for r in qs.order_by("due_on")[:500]]
    return sorted(rows, key=lambda row: (row.request.status != RequestStatus.REGISTERED, row.request.due_on))


def overdue_request_count(*, user: Any, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return policy.visible(user, SubjectRequest).filter(status=RequestStatus.REGISTERED, due_on__lt=today).count()


def legal_holds(*, user: Any, person_id: Any = None, active_only: bool = False) -> QuerySet[LegalHold]:
    qs = policy.visible(user, LegalHold).select_related("person", "placed_by")
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if active_only:
        qs = qs.filter(lifted_on__isnull=True)
    return qs.order_by("-placed_on")


def retention_runs(*, user: Any) -> QuerySet[RetentionRun]:
    from .permissions import can_manage_privacy

    if not can_manage_privacy(user):
        return RetentionRun.objects.none()
    return RetentionRun.objects.for_tenant(user.municipality_id).order_by("-started_at")[:30]


def schedule(*, user: Any) -> dict[str, Any]:
    """Every version of the schedule (in force or not) and of the answer deadline, for the coordinator."""
    m = user.municipality_id
    return {
        "rules": RetentionRule.objects.for_tenant(m).order_by("kind", "-valid_from"),
        "in_force": rules_in_force(municipality_id=m),
        "deadlines": AnswerDeadline.objects.for_tenant(m).order_by("-valid_from"),
        "deadline_in_force": answer_deadline_for(municipality_id=m),
    }


# --- What the law keeps about a person --------------------------------------------------------------------


def active_hold_person_ids(municipality_id: Any) -> set[Any]:
    return set(
        LegalHold.objects.for_tenant(municipality_id).filter(lifted_on__isnull=True).values_list("person_id", flat=True)
    )


def open_case_person_ids(municipality_id: Any) -> set[Any]:
    return set(
        Case.objects.for_tenant(municipality_id).filter(status__in=OPEN_STATUSES).values_list("person_id", flat=True)
    )


def disposed_ids(municipality_id: Any, model: str) -> QuerySet:
    return RecordDisposal.objects.for_tenant(municipality_id).filter(model=model).values("object_id")


def case_ended_on(case: Case) -> datetime.date | None:
    if case.status == CaseStatus.CLOSED:
        return case.closed_on or case.updated_at.date()
    if case.status == CaseStatus.REFUSED:
        return case.decided_on or case.updated_at.date()
    return None


def what_the_law_keeps(*, person: Any, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Why the person's data may not be erased now, as codes with parameters (empty: nothing keeps it).

    A legal hold, an open case, a case file or a delivery still inside its retention period, and an
    archived record (Legea 16/1996) each keep the data; with no retention rule for case files or deliveries,
    the records are kept until the municipality sets one.
    """
    today = today or timezone.localdate()
    m = person.municipality_id
    grounds: list[dict[str, Any]] = []
    for hold in LegalHold.objects.for_tenant(m).filter(person=person, lifted_on__isnull=True):
        grounds.append({"code": "hold", "params": {"reason": hold.reason, "since": hold.placed_on.isoformat()}})
    cases = Case.objects.for_tenant(m).filter(person=person).exclude(pk__in=disposed_ids(m, "cases.case"))
    archived = RecordDisposal.objects.for_tenant(m).filter(
        model="cases.case",
        disposition=Disposition.ARCHIVED,
        object_id__in=Case.objects.for_tenant(m).filter(person=person).values("pk"),
    )
    case_rule = rule_for(municipality_id=m, kind=RecordKind.CASE_FILE, on=today)
    for case in cases:
        ended = case_ended_on(case)
        if ended is None:
            grounds.append({"code": "open_case", "params": {"reference": case.reference}})
        elif case_rule is None:
            grounds.append({"code": "no_schedule", "params": {"kind": RecordKind.CASE_FILE}})
        elif kept_until(case_rule, ended) >= today:
            grounds.append(
                {
                    "code": "retained",
                    "params": {
                        "kind": RecordKind.CASE_FILE,
                        "record": case.reference,
                        "until": kept_until(case_rule, ended).isoformat(),
                        "ground": case_rule.legal_ground,
                    },
                }
            )
    if archived.exists():
        rule = case_rule
        grounds.append(
            {"code": "archived", "params": {"count": archived.count(), "ground": rule.legal_ground if rule else ""}}
        )
    deliveries = (
        ServiceDelivery.objects.for_tenant(m)
        .filter(person=person)
        .exclude(pk__in=disposed_ids(m, "cases.servicedelivery"))
    )
    last = deliveries.order_by("-delivered_on").values_list("delivered_on", flat=True).first()
    if last is not None:
        delivery_rule = rule_for(municipality_id=m, kind=RecordKind.DELIVERY, on=today)
        if delivery_rule is None:
            grounds.append({"code": "no_schedule", "params": {"kind": RecordKind.DELIVERY}})
        elif kept_until(delivery_rule, last) >= today:
            grounds.append(
                {
                    "code": "retained",
                    "params": {
                        "kind": RecordKind.DELIVERY,
                        "record": str(deliveries.count()),
                        "until": kept_until(delivery_rule, last).isoformat(),
                        "ground": delivery_rule.legal_ground,
                    },
                }
            )
    # Keep the list stable and short: one line per code and record.
    unique: list[dict[str, Any]] = []
    for g in grounds:
        if g not in unique:
            unique.append(g)
    return unique
