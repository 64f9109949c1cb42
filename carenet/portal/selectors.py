"""Reads of the portal. Public selectors take the municipality from the URL; staff selectors start
from what the policy lets the user see."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404

from carenet.core.models import Municipality, Organisation
from carenet.directory.models import Service, ServiceStatus
from carenet.geo.models import Area

from . import codes
from .models import (
    AGE_BANDS,
    SEXES,
    Consultation,
    ConsultationComment,
    ConsultationSession,
    FeedbackInvite,
    HelpRequest,
    Idea,
    NewsItem,
    QuestionKind,
    ServiceFeedback,
    Survey,
    SurveyStatus,
)
from .permissions import (
    consultations_visible_to,
    feedback_visible_to,
    help_requests_visible_to,
    news_visible_to,
    sessions_visible_to,
    surveys_visible_to,
)

# ---------------------------------------------------------------------------------------------------
# Public reads


def public_news(municipality: Municipality) -> QuerySet[NewsItem]:
    return NewsItem.objects.for_tenant(municipality).filter(is_published=True).select_related("organisation")


def public_news_item(municipality: Municipality, item_id: Any) -> NewsItem:
    try:
        return public_news(municipality).get(pk=item_id)
    except (NewsItem.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def public_areas(municipality: Municipality) -> QuerySet[Area]:
    return Area.objects.for_tenant(municipality).order_by("kind", "name")


def help_request_by_code(municipality: Municipality, raw_code: str) -> HelpRequest | None:
    """The request with this tracking code in this municipality, or None (never another tenant's)."""
    code = codes.normalise_code(raw_code)
    if not codes.is_well_formed(code, codes.TRACKING_LENGTH):
        return None
    return (
        HelpRequest.objects.for_tenant(municipality)
        .select_related("directed_service")
        .prefetch_related("status_changes")
        .filter(tracking_code=code)
        .first()
    )


def feedback_invite_for_help_request(help_request: HelpRequest) -> FeedbackInvite | None:
    return (
        FeedbackInvite.objects.for_tenant(help_request.municipality_id)
        .filter(help_request=help_request, used_at__isnull=True)
        .first()
    )


def feedback_invite_by_code(municipality: Municipality, raw_code: str) -> FeedbackInvite | None:
    code = codes.normalise_code(raw_code)
    if not codes.is_well_formed(code, codes.FEEDBACK_LENGTH):
        return None
    return (
        FeedbackInvite.objects.for_tenant(municipality)
        .select_related("service", "service__organisation")
        .filter(code=code)
        .first()
    )


def public_service(municipality: Municipality, service_id: Any) -> Service:
    try:
        return Service.objects.for_tenant(municipality).select_related("organisation").get(pk=service_id)
    except (Service.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def public_feedback_for_service(service: Service) -> QuerySet[ServiceFeedback]:
    """Comments the person agreed to publish, and the provider's public answers."""
    return (
        ServiceFeedback.objects.for_tenant(service.municipality_id)
        .filter(service=service)
        .filter(Q(may_publish=True) | Q(reply_is_public=True))
        .order_by("-created_at")
    )


def active_services(municipality: Municipality) -> QuerySet[Service]:
    return (
        Service.objects.for_tenant(municipality)
        .filter(status=ServiceStatus.ACTIVE)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def public_surveys(municipality: Municipality) -> QuerySet[Survey]:
    return Survey.objects.for_tenant(municipality).filter(status=SurveyStatus.OPEN, audience="public")


def public_survey(municipality: Municipality, survey_id: Any) -> Survey:
    try:
        return (
            Survey.objects.for_tenant(municipality)
            .filter(status=SurveyStatus.OPEN)
            .prefetch_related("questions")
            .get(pk=survey_id)
        )
    except (Survey.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def public_consultations(municipality: Municipality) -> QuerySet[Consultation]:
    return Consultation.objects.for_tenant(municipality).annotate(
        n_comments=Count("comments", filter=Q(comments__is_hidden=False), distinct=True),
        n_ideas=Count("ideas", filter=Q(ideas__is_hidden=False), distinct=True),
    )


def public_consultation(municipality: Municipality, consultation_id: Any) -> Consultation:
    try:
        return (
            Consultation.objects.for_tenant(municipality)
            .prefetch_related(
                "documents",
                Prefetch("comments", queryset=ConsultationComment.objects.order_by("created_at")),
                Prefetch("ideas", queryset=Idea.objects.order_by("-support_count", "created_at")),
                Prefetch("sessions", queryset=ConsultationSession.plain.order_by("-held_on")),
            )
            .get(pk=consultation_id)
        )
    except (Consultation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def public_sessions(municipality: Municipality) -> QuerySet[ConsultationSession]:
    return ConsultationSession.objects.for_tenant(municipality).select_related("consultation")


# ---------------------------------------------------------------------------------------------------
# Staff reads


def help_queue(*, user: Any, status: str = "", organisation_id: Any = None) -> QuerySet[HelpRequest]:
    qs = help_requests_visible_to(user).select_related("routed_organisation", "area")
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(routed_organisation_id=organisation_id)
    return qs.order_by("first_contact_at", "-created_at") if not status else qs.order_by("-created_at")


def help_request_for_staff(*, user: Any, request_id: Any) -> HelpRequest:
    """404 for a request of another municipality or one routed to a provider the user is not in."""
    try:
        return (
            help_requests_visible_to(user)
            .select_related("routed_organisation", "area", "directed_service", "first_contact_by")
            .prefetch_related("status_changes")
            .get(pk=request_id)
        )
    except (HelpRequest.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class ResponseTimeKpi:
    requests: int
    contacted: int
    median_hours: float | None
    mean_hours: float | None
    within_48h_percent: float | None


def help_response_time_kpi(
    *, municipality: Municipality, organisation_id: Any = None, since: Any = None
) -> ResponseTimeKpi:
    """Response time from request to first contact (hours), for the municipality or one provider."""
    qs = HelpRequest.objects.for_tenant(municipality)
    if organisation_id:
        qs = qs.filter(routed_organisation_id=organisation_id)
    if since:
        qs = qs.filter(created_at__gte=since)
    rows = list(qs.values_list("created_at", "first_contact_at"))
    hours = [(contact - created).total_seconds() / 3600 for created, contact in rows if contact is not None]
    return ResponseTimeKpi(
        requests=len(rows),
        contacted=len(hours),
        median_hours=round(statistics.median(hours), 1) if hours else None,
        mean_hours=round(statistics.fmean(hours), 1) if hours else None,
        within_48h_percent=round(100 * sum(1 for h in hours if h <= 48) / len(hours), 1) if hours else None,
    )


def organisations_for_routing(municipality: Municipality) -> QuerySet[Organisation]:
    return Organisation.objects.for_tenant(municipality).filter(is_active=True, is_provider=True, is_generic=False)


def staff_feedback(*, user: Any) -> QuerySet[ServiceFeedback]:
    return feedback_visible_to(user).select_related("service", "organisation").order_by("-created_at")


def staff_feedback_item(*, user: Any, feedback_id: Any) -> ServiceFeedback:
    try:
        return staff_feedback(user=user).get(pk=feedback_id)
    except (ServiceFeedback.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def services_for_feedback_invites(*, user: Any, municipality: Municipality) -> QuerySet[Service]:
    from carenet.core.policy import actor_of

    actor = actor_of(user)
    qs = active_services(municipality)
    if actor.is_coordinator:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids())


@dataclass(frozen=True)
class SatisfactionRow:
    key: Any
    label: str
    responses: int
    mean_rating: float | None
    satisfied_percent: float | None  # share of ratings 4 or 5


def satisfaction_kpi(*, user: Any, by: str = "service") -> list[SatisfactionRow]:
    """Satisfaction per service or per provider, over the feedback the user may see."""
    field, label = ("service_id", "service__name") if by == "service" else ("organisation_id", "organisation__name")
    rows = (
        feedback_visible_to(user)
        .values(field, label)
        .annotate(n=Count("id"), mean=Avg("rating"), satisfied=Count("id", filter=Q(rating__gte=4)))
        .order_by(label)
    )
    return [
        SatisfactionRow(
            key=row[field],
            label=row[label],
            responses=row["n"],
            mean_rating=round(float(row["mean"]), 2) if row["mean"] is not None else None,
            satisfied_percent=round(100 * row["satisfied"] / row["n"], 1) if row["n"] else None,
        )
        for row in rows
    ]


def staff_news(*, user: Any) -> QuerySet[NewsItem]:
    return news_visible_to(user).select_related("organisation")


def staff_surveys(*, user: Any) -> QuerySet[Survey]:
    return surveys_visible_to(user).annotate(n_responses=Count("responses"))


def staff_survey(*, user: Any, survey_id: Any) -> Survey:
    try:
        return surveys_visible_to(user).prefetch_related("questions").get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass
class QuestionResult:
    question: Any
    counts: list[tuple[str, int]]  # (choice label, count); empty for text questions
    texts: list[str]
    answered: int


def survey_results(survey: Survey) -> list[QuestionResult]:
    answers = list(survey.responses.values_list("answers", flat=True))
    results = []
    for question in survey.questions.all():
        key = str(question.pk)
        values = [a.get(key) for a in answers if a.get(key) not in (None, "", [])]
        if question.kind == QuestionKind.TEXT:
            results.append(QuestionResult(question, [], [str(v) for v in values], len(values)))
            continue
        options = [str(n) for n in range(1, 6)] if question.kind == QuestionKind.SCALE else list(question.choices)
        counts = dict.fromkeys(options, 0)
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if str(item) in counts:
                    counts[str(item)] += 1
        results.append(QuestionResult(question, list(counts.items()), [], len(values)))
    return results


def staff_consultations(*, user: Any) -> QuerySet[Consultation]:
    return consultations_visible_to(user)


def staff_consultation(*, user: Any, consultation_id: Any) -> Consultation:
    try:
        return (
            consultations_visible_to(user)
            .prefetch_related("documents", "comments", "ideas", "sessions")
            .get(pk=consultation_id)
        )
    except (Consultation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def staff_sessions(*, user: Any) -> QuerySet[ConsultationSession]:
    return sessions_visible_to(user).select_related("consultation")


@dataclass(frozen=True)
class ParticipationSummary:
    sessions: int
    participants: int
    by_sex: dict[str, int]
    by_age_band: dict[str, int]
    topics: list[str]


def participation_summary(*, municipality: Municipality, year: int | None = None) -> ParticipationSummary:
    """Bălți indicators "număr de beneficiari participanți" and "tematica ședințelor" for a year."""
    qs = ConsultationSession.objects.for_tenant(municipality)
    if year:
        qs = qs.filter(held_on__year=year)
    by_sex = dict.fromkeys(SEXES, 0)
    by_band = dict.fromkeys(AGE_BANDS, 0)
    topics: list[str] = []
    sessions = 0
    for session in qs.order_by("held_on"):
        sessions += 1
        topics.append(session.topics)
        for sex, bands in (session.participants or {}).items():
            for band, n in bands.items():
                by_sex[sex] = by_sex.get(sex, 0) + int(n)
                by_band[band] = by_band.get(band, 0) + int(n)
    return ParticipationSummary(sessions, sum(by_sex.values()), by_sex, by_band, topics)
