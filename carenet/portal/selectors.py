"""Reads of the portal. Public selectors take the municipality from the URL; staff selectors start
from what the policy lets the user see."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from carenet.core.models import Municipality, Organisation
from carenet.core.policy import actor_of
from carenet.directory.models import Service, ServiceStatus
from carenet.geo.models import Area

from . import codes
from .models import (
    AGE_BANDS,
    DEFAULT_CONTRIBUTION_POLICY,
    SEXES,
    Consultation,
    ConsultationComment,
    ConsultationDocument,
    ConsultationRules,
    ConsultationSession,
    FeedbackInvite,
    HelpRequest,
    Idea,
    ModerationState,
    NewsItem,
    QuestionKind,
    RoutingRule,
    ServiceFeedback,
    Survey,
    SurveyStatus,
)
from .permissions import (
    consultations_visible_to,
    feedback_visible_to,
    handled_organisation_ids,
    help_requests_visible_to,
    news_organisation_ids,
    news_visible_to,
    routing_rules_visible_to,
    sessions_visible_to,
    surveys_visible_to,
)

# Ratings of 4 and 5 (of 5) count as satisfied: the one definition (the staff page and KPI bm02).
SATISFIED_FROM = 4


def _hundredths(value: float | Decimal) -> Decimal:
    """A figure as the KPI engine shows it: two decimals, halves rounded up."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _in_period(qs: QuerySet, field: str, start: datetime.date | None, end: datetime.date | None) -> QuerySet:
    """Rows whose ``field`` (a moment) falls on a day in [start, end]; None leaves that side open."""
    if start is not None:
        qs = qs.filter(**{f"{field}__date__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__date__lte": end})
    return qs


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
        .select_related("directed_service", "taken_up_by")
        .prefetch_related("status_changes")
        .filter(tracking_code=code)
        .first()
    )


def help_requests_of_citizen(municipality: Municipality, user: Any) -> QuerySet[HelpRequest]:
    """The requests a signed-in person sent themselves (status only is shown, as on the tracking page)."""
    if not getattr(user, "is_authenticated", False):
        return HelpRequest.objects.none()
    return HelpRequest.objects.for_tenant(municipality).filter(submitted_by=user).order_by("-created_at")


def feedback_invite_for_help_request(help_request: HelpRequest) -> FeedbackInvite | None:
    return (
        FeedbackInvite.objects.for_tenant(help_request.municipality_id)
        .filter(help_request=help_request, used_at__isnull=True)
        .first()
    )


def feedback_of_invite(invite: FeedbackInvite) -> ServiceFeedback | None:
    """The feedback sent with this code: whoever holds the code wrote it, so they also see a private answer."""
    return ServiceFeedback.objects.for_tenant(invite.municipality_id).filter(invite=invite).first()


def feedback_of_help_request(help_request: HelpRequest) -> ServiceFeedback | None:
    return (
        ServiceFeedback.objects.for_tenant(help_request.municipality_id)
        .filter(invite__help_request=help_request)
        .select_related("organisation")
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


def active_services(municipality: Municipality | Any) -> QuerySet[Service]:
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
        n_comments=Count(
            "comments",
            filter=Q(comments__is_hidden=False, comments__state=ModerationState.PUBLISHED),
            distinct=True,
        ),
        n_ideas=Count("ideas", filter=Q(ideas__is_hidden=False, ideas__state=ModerationState.PUBLISHED), distinct=True),
    )


def public_consultation(municipality: Municipality, consultation_id: Any) -> Consultation:
    try:
        return (
            Consultation.objects.for_tenant(municipality)
            .prefetch_related(
                "documents",
                # Only published contributions (hidden ones as a note); pending and rejected ones stay with
                # their author (own_contributions) and the moderator.
                Prefetch(
                    "comments",
                    queryset=ConsultationComment.objects.filter(state=ModerationState.PUBLISHED).order_by("created_at"),
                ),
                Prefetch(
                    "ideas",
                    queryset=Idea.objects.filter(state=ModerationState.PUBLISHED).order_by(
                        "-support_count", "created_at"
                    ),
                ),
                Prefetch("sessions", queryset=ConsultationSession.plain.order_by("-held_on")),
            )
            .get(pk=consultation_id)
        )
    except (Consultation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def public_idea(municipality: Municipality, idea_id: Any) -> Idea:
    try:
        return (
            Idea.objects.for_tenant(municipality)
            .select_related("consultation")
            .get(pk=idea_id, is_hidden=False, state=ModerationState.PUBLISHED)
        )
    except (Idea.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def contribution_policy(*, municipality: Municipality | Any, on: datetime.date) -> str:
    """Who may contribute to the municipality's consultations on a day (models.DEFAULT_CONTRIBUTION_POLICY
    when no rules are recorded)."""
    rules = (
        ConsultationRules.objects.for_tenant(municipality)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    return rules.contributions if rules is not None else DEFAULT_CONTRIBUTION_POLICY


def consultation_rules_history(*, municipality: Municipality | Any) -> QuerySet[ConsultationRules]:
    return ConsultationRules.objects.for_tenant(municipality).select_related("created_by").order_by("-valid_from")


@dataclass(frozen=True)
class OwnContributions:
    comments: list[ConsultationComment]
    ideas: list[Idea]


def own_contributions(*, consultation: Consultation, user: Any, author_key: str) -> OwnContributions:
    """The visitor's own contributions the public does not see (waiting, or not published with the reason):
    matched by their account, or by their browser's key when they wrote without signing in."""
    match = Q(author_key=author_key) if author_key else Q(pk__in=[])
    if getattr(user, "is_authenticated", False):
        match |= Q(author=user)
    states = (ModerationState.PENDING, ModerationState.REJECTED)
    comments = ConsultationComment.objects.for_tenant(consultation.municipality_id).filter(
        match, consultation=consultation, state__in=states
    )
    ideas = Idea.objects.for_tenant(consultation.municipality_id).filter(
        match, consultation=consultation, state__in=states
    )
    return OwnContributions(comments=list(comments.order_by("created_at")), ideas=list(ideas.order_by("created_at")))


@dataclass(frozen=True)
class ModerationQueue:
    comments: list[ConsultationComment]
    ideas: list[Idea]

    def __len__(self) -> int:
        return len(self.comments) + len(self.ideas)


def moderation_queue(*, user: Any) -> ModerationQueue:
    """Contributions waiting for the moderator, oldest first, of the consultations the user may see."""
    municipality_id = actor_of(user).municipality_id
    pending = {"state": ModerationState.PENDING, "consultation__in": consultations_visible_to(user)}
    comments = ConsultationComment.objects.for_tenant(municipality_id).filter(**pending)
    ideas = Idea.objects.for_tenant(municipality_id).filter(**pending)
    return ModerationQueue(
        comments=list(comments.select_related("consultation").order_by("created_at")[:200]),
        ideas=list(ideas.select_related("consultation").order_by("created_at")[:200]),
    )


def public_document(municipality: Municipality, document_id: Any) -> ConsultationDocument:
    try:
        return ConsultationDocument.objects.for_tenant(municipality).get(pk=document_id)
    except (ConsultationDocument.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def routing_table(*, user: Any) -> QuerySet[RoutingRule]:
    return (
        routing_rules_visible_to(user).select_related("organisation", "area").order_by("need", "area__name", "priority")
    )


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
    if status:
        return qs.order_by("-created_at")
    # Not yet contacted first (oldest waiting on top), on every database engine.
    return qs.order_by(F("first_contact_at").asc(nulls_first=True), "created_at")


@dataclass(frozen=True)
class ResponseHours:
    """Hours from a request for help to the first contact with the person."""

    requests: int  # requests sent in the period
    contacted: int  # of which contacted (the figures below are over these)
    median_hours: Decimal | None  # the figure of KPI bm03
    mean_hours: Decimal | None
    within_48h_percent: Decimal | None


def help_response_hours(
    *,
    municipality: Municipality | Any,
    start: datetime.date | None,
    end: datetime.date | None,
    organisation_ids: Any = None,
    area_id: Any = None,
) -> ResponseHours:
    """Response time of the requests for help sent in [start, end] (None: no bound), for the whole
    municipality or only those routed to ``organisation_ids``; the one computation of this figure
    (the triage queue and KPI bm03 both read it)."""
    qs = _in_period(HelpRequest.objects.for_tenant(municipality), "created_at", start, end)
    if organisation_ids is not None:
        qs = qs.filter(routed_organisation_id__in=organisation_ids)
    if area_id:
        qs = qs.filter(area_id=area_id)
    rows = list(qs.values_list("created_at", "first_contact_at"))
    hours = [(contact - created).total_seconds() / 3600 for created, contact in rows if contact is not None]
    if not hours:
        return ResponseHours(len(rows), 0, None, None, None)
    return ResponseHours(
        requests=len(rows),
        contacted=len(hours),
        median_hours=_hundredths(statistics.median(hours)),
        mean_hours=_hundredths(statistics.fmean(hours)),
        within_48h_percent=_hundredths(100 * sum(1 for h in hours if h <= 48) / len(hours)),
    )


def help_response_hours_for(*, user: Any) -> ResponseHours:
    """The response time over the requests the user sees (the whole municipality for the coordinator)."""
    return help_response_hours(
        municipality=actor_of(user).municipality_id,
        start=None,
        end=None,
        organisation_ids=handled_organisation_ids(user),
    )


def organisations_for_routing(municipality: Municipality | Any) -> QuerySet[Organisation]:
    return Organisation.objects.for_tenant(municipality).filter(is_active=True, is_provider=True, is_generic=False)


def staff_feedback(*, user: Any) -> QuerySet[ServiceFeedback]:
    return feedback_visible_to(user).select_related("service", "organisation").order_by("-created_at")


def services_for_feedback_invites(*, user: Any) -> QuerySet[Service]:
    actor = actor_of(user)
    qs = active_services(actor.municipality_id)
    if actor.is_coordinator:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids())


def feedback_invite_service(*, user: Any, service_id: Any) -> Service | None:
    """The service the user asked a feedback code for, if it is one they may give codes for."""
    try:
        return services_for_feedback_invites(user=user).get(pk=service_id)
    except (Service.DoesNotExist, ValueError, ValidationError):
        return None


@dataclass(frozen=True)
class SatisfactionRow:
    key: Any  # the service or the provider; None for the total
    label: str
    responses: int
    satisfied: int  # ratings at or above SATISFIED_FROM
    mean_rating: float | None
    satisfied_percent: Decimal | None  # the figure of KPI bm02


def satisfaction(
    *,
    municipality: Municipality | Any,
    start: datetime.date | None,
    end: datetime.date | None,
    organisation_ids: Any = None,
    by: str | None = None,
) -> list[SatisfactionRow]:
    """Satisfaction with the services: the share of feedback rated at or above "satisfied", given in
    [start, end] (None: no bound), for the municipality or only ``organisation_ids``. ``by`` "service" or
    "provider" gives one row each; None gives one row, the total. The one computation of this figure
    (the staff feedback page and KPI bm02 both read it)."""
    qs = _in_period(ServiceFeedback.objects.for_tenant(municipality), "created_at", start, end)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    figures = {"n": Count("id"), "mean": Avg("rating"), "satisfied": Count("id", filter=Q(rating__gte=SATISFIED_FROM))}
    if by is None:
        rows = [{"key": None, "label": "", **qs.aggregate(**figures)}]
    else:
        field, label = ("service_id", "service__name") if by == "service" else ("organisation_id", "organisation__name")
        rows = [
            {"key": row[field], "label": row[label], **row}
            for row in qs.values(field, label).annotate(**figures).order_by(label)
        ]
    return [
        SatisfactionRow(
            key=row["key"],
            label=row["label"],
            responses=row["n"],
            satisfied=row["satisfied"],
            mean_rating=round(float(row["mean"]), 2) if row["mean"] is not None else None,
            satisfied_percent=_hundredths(100 * row["satisfied"] / row["n"]) if row["n"] else None,
        )
        for row in rows
    ]


def satisfaction_for(*, user: Any, by: str) -> list[SatisfactionRow]:
    """Satisfaction per service or per provider over the feedback the user sees."""
    return satisfaction(
        municipality=actor_of(user).municipality_id,
        start=None,
        end=None,
        organisation_ids=handled_organisation_ids(user),
        by=by,
    )


def staff_news(*, user: Any) -> QuerySet[NewsItem]:
    return news_visible_to(user).select_related("organisation")


def news_organisations(*, user: Any) -> QuerySet[Organisation]:
    """The providers the user may publish announcements for."""
    organisations = organisations_for_routing(actor_of(user).municipality_id)
    allowed = news_organisation_ids(user)
    return organisations if allowed is None else organisations.filter(pk__in=allowed)


def staff_surveys(*, user: Any) -> QuerySet[Survey]:
    return surveys_visible_to(user).annotate(n_responses=Count("responses"))


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


def survey_table(*, survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """The answers of a survey as a table (one row per answer, one column per question), for the export."""
    questions = list(survey.questions.all())
    header = [_("Answered on"), *(q.text for q in questions)]
    rows = []
    for response in survey.responses.order_by("created_at"):
        row: list[Any] = [response.created_at.date().isoformat()]
        for q in questions:
            value = response.answers.get(str(q.pk), "")
            row.append("; ".join(value) if isinstance(value, list) else value)
        rows.append(row)
    return header, rows


def staff_consultations(*, user: Any) -> QuerySet[Consultation]:
    return consultations_visible_to(user)


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
