"""Reads of referrals, already scoped to what the user may see; figures per provider and service for KPIs."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import Count, Expression, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from carenet.cases.models import OPEN_STATUSES as CASE_OPEN_STATUSES
from carenet.cases.models import Case, CaseDocument, InterventionPlan, PlanStatus, SocialInquiry
from carenet.cases.permissions import cases_visible_to
from carenet.core.models import Organisation
from carenet.directory.models import Service, ServiceStatus
from carenet.directory.permissions import services_visible_to
from carenet.people.models import SensitiveProfile

from .models import AWAITING_ANSWER, Notification, Referral, ReferralEvent, ReferralStatus, ResponseTime, Urgency
from .permissions import (
    notifications_visible_to,
    provider_organisations,
    referrals_visible_to,
    sees_network_referrals,
)

LIST_LIMIT = 200
_LIST_RELATED = ("from_organisation", "to_organisation", "to_service")
# Lists load the referral and only the names of its related rows (a service row carries long texts
# and search columns that would triple the cost of a list of 200).
_LIST_FIELDS = (
    *(f.attname for f in Referral._meta.concrete_fields),
    "from_organisation__name",
    "from_organisation__short_name",
    "to_organisation__name",
    "to_organisation__short_name",
    "to_service__name",
)


def _listed(user: Any) -> QuerySet[Referral]:
    return referrals_visible_to(user).select_related(*_LIST_RELATED).only(*_LIST_FIELDS)


def _scoped(user: Any, organisation_id: Any = None) -> QuerySet[Referral]:
    qs = _listed(user)
    if organisation_id:
        qs = qs.filter(Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id))
    return qs


def _own_orgs(user: Any, organisation_id: Any = None) -> Any:
    """The providers a list is "per": the one asked for, else the user's own (coordinators: all)."""
    if organisation_id:
        return [organisation_id]
    if sees_network_referrals(user):
        return None
    return list(provider_organisations(user))


def referral_list_providers(*, user: Any) -> QuerySet[Organisation]:
    """The providers the referral lists may be narrowed to: every provider of the municipality for a
    coordinator, else the user's own providers."""
    organisations = Organisation.objects.for_tenant(user.municipality_id)
    if sees_network_referrals(user):
        return organisations.filter(is_provider=True).order_by("name")
    return organisations.filter(pk__in=provider_organisations(user))


def referrals_sent(*, user: Any, organisation_id: Any = None, status: str = "") -> QuerySet[Referral]:
    qs = _listed(user)
    orgs = _own_orgs(user, organisation_id)
    if orgs is not None:
        qs = qs.filter(from_organisation_id__in=orgs)
    if status in ReferralStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")[:LIST_LIMIT]


# Emergency, then urgent, then routine: what the receiver answers first.
URGENCY_RANK = CaseWhen(
    When(urgency=Urgency.EMERGENCY, then=Value(0)),
    When(urgency=Urgency.URGENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def referrals_received(*, user: Any, organisation_id: Any = None, status: str = "") -> QuerySet[Referral]:
    """Referrals sent to the user's providers: those still waiting for an answer first, urgent before
    routine, then the newest."""
    qs = _listed(user).exclude(status=ReferralStatus.DRAFT)
    orgs = _own_orgs(user, organisation_id)
    if orgs is not None:
        qs = qs.filter(to_organisation_id__in=orgs)
    if status in ReferralStatus.values:
        qs = qs.filter(status=status)
    waiting = CaseWhen(When(status__in=AWAITING_ANSWER, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.order_by(waiting, URGENCY_RANK, "-sent_at")[:LIST_LIMIT]


def response_times(*, user: Any) -> QuerySet[ResponseTime]:
    """The municipality's response deadlines per urgency (every version, the newest first)."""
    return ResponseTime.objects.for_tenant(user.municipality_id).order_by("urgency", "-valid_from")


def referrals_overdue(
    *, user: Any, organisation_id: Any = None, now: datetime.datetime | None = None
) -> QuerySet[Referral]:
    """Not answered in time: still waiting past the deadline, or already turned "expired"."""
    now = now or timezone.now()
    qs = _listed(user)
    orgs = _own_orgs(user, organisation_id)
    if orgs is not None:
        qs = qs.filter(Q(from_organisation_id__in=orgs) | Q(to_organisation_id__in=orgs))
    return qs.filter(Q(status__in=AWAITING_ANSWER, respond_by__lt=now) | Q(status=ReferralStatus.EXPIRED)).order_by(
        "respond_by"
    )[:LIST_LIMIT]


def referral_events(*, referral: Referral) -> QuerySet[ReferralEvent]:
    return (
        ReferralEvent.objects.for_tenant(referral.municipality_id)
        .filter(referral=referral)
        .select_related("actor", "organisation")
    )


def case_referrals(*, user: Any, case: Case) -> QuerySet[Referral]:
    return _scoped(user).filter(case=case).order_by("-created_at")


def person_referrals(*, user: Any, person_id: Any, limit: int = 50) -> QuerySet[Referral]:
    """The referrals of a person the user sees (the person's page)."""
    return (
        referrals_visible_to(user)
        .filter(person_id=person_id)
        .select_related(*_LIST_RELATED)
        .order_by("-created_at")[:limit]
    )


def _own_open_cases(user: Any) -> QuerySet[Case]:
    return cases_visible_to(user).filter(
        organisation_id__in=provider_organisations(user), status__in=CASE_OPEN_STATUSES
    )


def cases_to_refer(*, user: Any, limit: int = 200) -> QuerySet[Case]:
    """The open cases of the user's own providers: where a referral starts."""
    return _own_open_cases(user).select_related("person", "organisation").order_by("-opened_on")[:limit]


def person_cases_to_refer(*, user: Any, person_id: Any, limit: int = 10) -> QuerySet[Case]:
    """The open cases of the user's own providers for one person (none for a user of no provider)."""
    return _own_open_cases(user).filter(person_id=person_id).order_by("-opened_on")[:limit]


def case_documents(*, case: Case) -> QuerySet[CaseDocument]:
    """The documents of a case (already checked) that a referral from it may share."""
    return CaseDocument.objects.for_tenant(case.municipality_id).filter(case=case)


def transfer_destinations(*, case: Case) -> QuerySet[Organisation]:
    """The active providers of the network a case (already checked) may be transferred to."""
    return (
        Organisation.objects.for_tenant(case.municipality_id)
        .filter(is_provider=True, is_active=True, is_generic=False)
        .exclude(pk=case.organisation_id)
        .order_by("name")
    )


@dataclass
class SharedDossier:
    """Exactly the parts of the dossier the referral shares, loaded only if shared."""

    person: Any = None
    contact: bool = False
    inquiry: Any = None
    plan: Any = None
    special: Any = None
    documents: list[Any] = field(default_factory=list)


def shared_dossier(*, referral: Referral) -> SharedDossier:
    tenant = referral.municipality_id
    dossier = SharedDossier(contact=referral.share_contact)
    if referral.share_identity or referral.share_contact:
        dossier.person = referral.person
    if referral.share_inquiry:
        dossier.inquiry = SocialInquiry.objects.for_tenant(tenant).filter(case_id=referral.case_id).first()
    if referral.share_plan:
        dossier.plan = (
            InterventionPlan.objects.for_tenant(tenant)
            .filter(case_id=referral.case_id, status=PlanStatus.APPROVED)
            .prefetch_related("actions")
            .order_by("-approved_at")
            .first()
        )
    if referral.share_special:
        dossier.special = SensitiveProfile.objects.for_tenant(tenant).filter(person_id=referral.person_id).first()
    dossier.documents = list(
        CaseDocument.objects.for_tenant(tenant).filter(pk__in=referral.shared_documents.values("pk"))
    )
    return dossier


def shared_document_get(*, referral: Referral, document_id: Any) -> CaseDocument:
    try:
        return CaseDocument.objects.for_tenant(referral.municipality_id).get(
            pk=document_id, pk__in=referral.shared_documents.values("pk")
        )
    except (CaseDocument.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def services_for_referral(*, user: Any, exclude_organisation_id: Any = None) -> QuerySet[Service]:
    """Services one may refer to, with their places available (shown when choosing)."""
    qs = (
        services_visible_to(user)
        .exclude(status__in=(ServiceStatus.DEFUNCT, ServiceStatus.INACTIVE))
        .select_related("organisation")
    )
    if exclude_organisation_id:
        qs = qs.exclude(organisation_id=exclude_organisation_id)
    return qs.order_by("organisation__name", "name")


def notifications_for(*, user: Any, limit: int = 100) -> QuerySet[Notification]:
    return notifications_visible_to(user).select_related("referral").order_by("-created_at")[:limit]


UNREAD_ATTRIBUTE = "unread_notifications_count"


def unread_notifications_subquery() -> Expression:
    """The unread notifications of the user row (``OuterRef``), as ``notifications_visible_to`` counts them:
    the user's own, in the user's municipality (none without one). One probe of ``notification_unread``."""
    unread = (
        Notification.objects.all_tenants()
        .filter(recipient_id=OuterRef("pk"), municipality_id=OuterRef("municipality_id"), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread), 0)


def unread_notifications_count(user: Any) -> int:
    """The staff navigation's badge. The signed-in user arrives with it (``carenet.accounts.backends``
    loads it with the user row: no query of its own on each page); any other user object is counted."""
    if not getattr(user, "is_authenticated", False) or user.municipality_id is None:
        return 0
    counted = getattr(user, UNREAD_ATTRIBUTE, None)
    if counted is not None:
        return int(counted)
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


# --- figures: response time and completion rate per provider and per service -------------------------


@dataclass
class ReferralFigures:
    key: Any
    label: str
    sent: int = 0
    answered: int = 0
    accepted: int = 0
    declined: int = 0
    completed: int = 0
    expired: int = 0
    open: int = 0
    response_hours: list[float] = field(default_factory=list)

    @property
    def median_response_hours(self) -> float | None:
        return round(statistics.median(self.response_hours), 1) if self.response_hours else None

    @property
    def mean_response_hours(self) -> float | None:
        return round(statistics.fmean(self.response_hours), 1) if self.response_hours else None

    @property
    def completion_rate(self) -> float | None:
        """Completed out of accepted referrals (still open ones count against it until they end)."""
        return round(100 * self.completed / self.accepted, 1) if self.accepted else None

    @property
    def answered_in_time_rate(self) -> float | None:
        return round(100 * self.answered / self.sent, 1) if self.sent else None


def referral_figures(
    *,
    referrals: QuerySet[Referral],
    by: str = "provider",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[ReferralFigures]:
    """Figures per receiving provider (``by="provider"``) or per service (``by="service"``).

    Usable by the KPIs (pass ``Referral.objects.for_tenant(m)`` for a whole municipality, or
    ``referrals_visible_to(user)``). One query; durations are computed in Python so SQLite and
    PostgreSQL agree.
    """
    qs = referrals.exclude(status=ReferralStatus.DRAFT).exclude(sent_at__isnull=True)
    if date_from:
        qs = qs.filter(sent_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(sent_at__date__lte=date_to)
    if by == "service":
        key_field, label_field = "to_service_id", "to_service__name"
    else:
        key_field, label_field = "to_organisation_id", "to_organisation__name"
    rows = qs.values(key_field, label_field, "status", "sent_at", "responded_at", "accepted_at").order_by()
    figures: dict[Any, ReferralFigures] = {}
    for row in rows:
        key = row[key_field]
        fig = figures.get(key) or figures.setdefault(key, ReferralFigures(key=key, label=row[label_field]))
        fig.sent += 1
        status = row["status"]
        if row["responded_at"] is not None:
            fig.answered += 1
            fig.response_hours.append((row["responded_at"] - row["sent_at"]).total_seconds() / 3600)
        if row["accepted_at"] is not None:
            fig.accepted += 1
        if status == ReferralStatus.DECLINED:
            fig.declined += 1
        elif status == ReferralStatus.COMPLETED:
            fig.completed += 1
        elif status == ReferralStatus.EXPIRED:
            fig.expired += 1
        elif status in (
            ReferralStatus.SENT,
            ReferralStatus.RECEIVED,
            ReferralStatus.ACCEPTED,
            ReferralStatus.IN_PROGRESS,
        ):
            fig.open += 1
    return sorted(figures.values(), key=lambda f: f.label)


def response_time_by_provider(*, municipality: Any, **period: Any) -> dict[Any, float | None]:
    """Median hours from sending to an answer, per receiving provider (for the KPI layer)."""
    figures = referral_figures(referrals=Referral.objects.for_tenant(municipality), by="provider", **period)
    return {f.key: f.median_response_hours for f in figures}


def completion_rate_by_provider(*, municipality: Any, **period: Any) -> dict[Any, float | None]:
    figures = referral_figures(referrals=Referral.objects.for_tenant(municipality), by="provider", **period)
    return {f.key: f.completion_rate for f in figures}


def referral_figures_for(*, user: Any, by: str = "provider", **period: Any) -> list[ReferralFigures]:
    return referral_figures(referrals=referrals_visible_to(user), by=by, **period)


def referral_response_hours(
    *, municipality: Any, start: datetime.date, end: datetime.date, organisation_ids: Any = None
) -> list[float]:
    """Hours from sending to the first answer (accepted or declined) of each referral sent in [start, end],
    optionally only those received by ``organisation_ids`` (Baia Mare KPI 3, response time)."""
    qs = Referral.objects.for_tenant(municipality).filter(sent_at__date__range=(start, end), responded_at__isnull=False)
    if organisation_ids is not None:
        qs = qs.filter(to_organisation_id__in=organisation_ids)
    return [(answered - sent).total_seconds() / 3600 for sent, answered in qs.values_list("sent_at", "responded_at")]
