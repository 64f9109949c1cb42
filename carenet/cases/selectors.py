"""Reads of cases, always within what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from carenet.core.policy import actor_of
from carenet.people.names import ascii_words, skeleton
from carenet.people.permissions import PROVIDER_ROLES

from .models import OPEN_STATUSES, Case, CaseStatus, InterventionPlan, MonitoringDuty, PlanStatus, ServiceDelivery, Task
from .permissions import cases_visible_to, deliveries_visible_to, supervised_organisations

# Messages for callers in higher layers (API) that name a case or a service by id.
CASE_NOT_FOUND = gettext_lazy("No case with this identifier that you may see.")
SERVICE_UNKNOWN = gettext_lazy("Choose a service of this provider.")


def case_get(*, user: Any, case_id: Any) -> Case:
    try:
        return cases_visible_to(user).select_related("person", "organisation", "caseworker").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def case_search(
    *, user: Any, query: str = "", status: str = "", mine: bool = False, limit: int = 100
) -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("person", "organisation", "caseworker")
    if mine:
        qs = qs.filter(caseworker_id=user.pk)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    query = (query or "").strip()[:100]
    if query:
        condition = Q(reference__icontains=query)
        words = ascii_words(query)
        if words:
            name = Q()
            for word in words:
                name &= Q(person__search_text__contains=word) | Q(person__search_text__contains=skeleton(word))
            condition |= name
        qs = qs.filter(condition)
    return qs.order_by("-opened_on")[:limit]


def my_cases(*, user: Any, limit: int = 50) -> QuerySet[Case]:
    """The caseworker's open cases, most recent first (the workspace shows the first ``limit``)."""
    return (
        cases_visible_to(user)
        .filter(caseworker_id=user.pk, status__in=OPEN_STATUSES)
        .select_related("person", "organisation")
        .order_by("-opened_on")[:limit]
    )


def my_tasks(*, user: Any, limit: int = 50) -> QuerySet[Task]:
    return (
        Task.objects.for_tenant(user.municipality_id)
        .filter(assignee_id=user.pk, done_at__isnull=True)
        .select_related("case", "case__person")
        .order_by("due_on")[:limit]
    )


def my_duties(*, user: Any, within_days: int = 14, limit: int = 50) -> QuerySet[MonitoringDuty]:
    """Duties the user is responsible for whose next visit is due soon or overdue."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    return (
        MonitoringDuty.objects.for_tenant(user.municipality_id)
        .filter(responsible_id=user.pk, completed_on__isnull=True, next_due_on__lte=horizon)
        .select_related("case", "case__person")
        .order_by("next_due_on")[:limit]
    )


def supervisor_overdue_duties(*, user: Any, limit: int = 100) -> QuerySet[MonitoringDuty]:
    orgs = supervised_organisations(user)
    return (
        MonitoringDuty.objects.for_tenant(user.municipality_id)
        .filter(case__organisation_id__in=orgs, completed_on__isnull=True, next_due_on__lt=timezone.localdate())
        .select_related("case", "case__person", "responsible")
        .order_by("next_due_on")[:limit]
    )


def approvals_waiting(*, user: Any) -> dict[str, Any]:
    orgs = supervised_organisations(user)
    if not orgs:
        return {"plans": [], "closures": []}
    tenant = user.municipality_id
    return {
        "plans": InterventionPlan.objects.for_tenant(tenant)
        .filter(case__organisation_id__in=orgs, status=PlanStatus.SUBMITTED)
        .select_related("case", "case__person")[:50],
        "closures": Case.objects.for_tenant(tenant)
        .filter(organisation_id__in=orgs, status=CaseStatus.CLOSING)
        .select_related("person")[:50],
    }


def case_plan(*, case: Case, plan_id: Any) -> InterventionPlan:
    try:
        return InterventionPlan.objects.for_tenant(case.municipality_id).get(case=case, pk=plan_id)
    except (InterventionPlan.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def case_related(case: Case, model: Any, obj_id: Any, **filters: Any) -> Any:
    """A child row of a case (duty, task, document) by id, or 404."""
    try:
        return model.objects.for_tenant(case.municipality_id).get(case=case, pk=obj_id, **filters)
    except (model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def person_cases(*, user: Any, person_id: Any) -> QuerySet[Case]:
    return cases_visible_to(user).filter(person_id=person_id).select_related("organisation").order_by("-opened_on")


AGE_BANDS = ((0, 17, "0–17"), (18, 34, "18–34"), (35, 64, "35–64"), (65, 200, "65+"))


def _age_band(birth: datetime.date | None, on: datetime.date) -> str:
    if birth is None:
        return "?"
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "?"


def delivery_counts(
    *, user: Any, date_from: datetime.date, date_to: datetime.date, service_id: Any = None
) -> list[dict[str, Any]]:
    """Unique persons and acts, by sex × age band (at the end of the period) × disability.

    Unique persons and acts are different numbers and are never added together: a person served
    20 times is one person and 20 acts.
    """
    qs = deliveries_visible_to(user).filter(delivered_on__gte=date_from, delivered_on__lte=date_to)
    if service_id:
        qs = qs.filter(service_id=service_id)
    rows = (
        qs.values("person_id", "person__sex", "person__birth_date", "person__sensitive__disability_degree")
        .annotate(acts=Count("id"))
        .order_by()
    )
    cells: dict[tuple[str, str, bool], dict[str, int]] = {}
    for row in rows:
        key = (
            row["person__sex"],
            _age_band(row["person__birth_date"], date_to),
            bool(row["person__sensitive__disability_degree"]),
        )
        cell = cells.setdefault(key, {"persons": 0, "acts": 0})
        cell["persons"] += 1
        cell["acts"] += row["acts"]
    return [
        {"sex": k[0], "age_band": k[1], "disability": k[2], **v}
        for k, v in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
    ]


def deliveries_list(*, user: Any, limit: int = 100) -> QuerySet[ServiceDelivery]:
    """The deliveries the user may see, newest first, as rows of ids (the API list shows ids only).

    No joins: with person, service and organisation joined, SQLite joined every delivery of a provider
    before sorting (0.9–2.3 s for a manager of two providers at 48,665 deliveries); alone, the rows
    come in order from (municipality, organisation, delivered_on) and the scan stops at the page.
    """
    return deliveries_visible_to(user).order_by("-delivered_on")[:limit]


def is_provider_user(user: Any) -> bool:
    return bool(actor_of(user).organisation_ids(*PROVIDER_ROLES))


def parents_abroad_register(*, user: Any) -> QuerySet[MonitoringDuty]:
    """HG 691/2015: children whose parents work abroad, with the carer the parents declared."""
    from carenet.core.policy import policy

    from .models import DutyKind

    return (
        policy.visible(user, MonitoringDuty)
        .filter(kind=DutyKind.PARENTS_ABROAD)
        .select_related("case", "case__person", "case__organisation", "responsible")
        .order_by("case__person__last_name", "case__person__first_name")[:1000]
    )
