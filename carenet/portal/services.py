"""Every write of the portal: keyword-only, validated, atomic, audited in the same transaction."""

from __future__ import annotations

import datetime
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation

from . import codes
from .models import (
    AGE_BANDS,
    SEXES,
    Consultation,
    ConsultationComment,
    ConsultationDocument,
    ConsultationRules,
    ConsultationSession,
    ConsultationStatus,
    ContributionPolicy,
    FeedbackInvite,
    HelpNeed,
    HelpRequest,
    HelpRequestStatusChange,
    HelpStatus,
    Idea,
    IdeaSupport,
    ModerationState,
    NewsItem,
    QuestionKind,
    RoutingRule,
    ServiceFeedback,
    Survey,
    SurveyInvite,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from .permissions import (
    can_change_news,
    can_handle_help_request,
    can_invite_feedback,
    can_reply_feedback,
    can_reroute_help_request,
    is_coordinator,
    news_organisation_ids,
)
from .routing import route
from .selectors import contribution_policy

# ---------------------------------------------------------------------------------------------------
# News


def news_item_create(
    *,
    actor: Any,
    municipality: Municipality,
    title: str,
    body: str,
    summary: str = "",
    organisation: Organisation | None = None,
    is_published: bool = True,
) -> NewsItem:
    allowed = news_organisation_ids(actor)
    if allowed is not None and (organisation is None or organisation.pk not in allowed):
        raise PermissionDenied
    if organisation is not None and organisation.municipality_id != municipality.pk:
        raise PermissionDenied
    with transaction.atomic():
        item = NewsItem.objects.create(
            municipality=municipality,
            organisation=organisation,
            title=title,
            summary=summary,
            body=body,
            is_published=is_published,
            published_at=timezone.now(),
            created_by=actor,
        )
        audit_record(action="news.create", actor=actor, obj=item, changes={"fields": ["title", "body"]})
    return item


def news_item_unpublish(*, actor: Any, item: NewsItem) -> NewsItem:
    if not can_change_news(actor, item):
        raise PermissionDenied
    with transaction.atomic():
        item.is_published = False
        item.save(update_fields=["is_published"])
        audit_record(action="news.unpublish", actor=actor, obj=item)
    return item


# ---------------------------------------------------------------------------------------------------
# Requests for help


def _unique_code(length: int, exists: Any) -> str:
    for _attempt in range(20):
        code = codes.new_code(length)
        if not exists(code):
            return code
    raise RuntimeError("could not draw a free code")  # pragma: no cover  (29**9 codes)


def help_request_submit(
    *,
    municipality: Municipality,
    help_for: str,
    need: str,
    contact_name: str,
    contact_method: str,
    consent: bool,
    area: Any = None,
    area_text: str = "",
    description: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    language: str = "",
    submitted_by: Any = None,
) -> HelpRequest:
    """Store a request from the public site, route it, and give it a tracking code."""
    if not consent:
        raise ValidationError({"consent": _("We can only help if you agree that we use these details.")})
    if area is not None and area.municipality_id != municipality.pk:
        raise ValidationError({"area": _("Choose an area of this municipality.")})
    now = timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.create(
            municipality=municipality,
            tracking_code=_unique_code(
                codes.TRACKING_LENGTH,
                lambda c: HelpRequest.objects.for_tenant(municipality).filter(tracking_code=c).exists(),
            ),
            help_for=help_for,
            need=need,
            area=area,
            area_text=area_text,
            description=description,
            contact_name=contact_name,
            contact_method=contact_method,
            contact_phone=contact_phone,
            contact_email=contact_email,
            language=language[:5],
            consent_at=now,
            submitted_by=submitted_by if getattr(submitted_by, "is_authenticated", False) else None,
            routed_organisation_id=route(municipality=municipality, need=need, area_id=getattr(area, "pk", None)),
        )
        HelpRequestStatusChange.objects.create(request=request, status=HelpStatus.RECEIVED, at=now)
        audit_record(
            action="help_request.submit",
            actor=submitted_by,
            obj=request,
            changes={"fields": ["help_for", "need", "area", "contact"], "routed": str(request.routed_organisation_id)},
        )
        _notify_on_commit(request)
    return request


def _notify_on_commit(request: HelpRequest) -> None:
    from .tasks import notify_new_help_request

    if request.routed_organisation_id is not None:
        transaction.on_commit(lambda: notify_new_help_request.enqueue(str(request.pk)))


def help_request_mark_first_contact(*, actor: Any, help_request: HelpRequest) -> HelpRequest:
    """Record the first contact with the person (the response-time KPI); later calls change nothing."""
    if not can_handle_help_request(actor, help_request):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            HelpRequest.objects.for_tenant(help_request.municipality_id).select_for_update().get(pk=help_request.pk)
        )
        if locked.first_contact_at is None:
            locked.first_contact_at = timezone.now()
            locked.first_contact_by = actor
            fields = ["first_contact_at", "first_contact_by"]
            if locked.status == HelpStatus.RECEIVED:
                locked.status = HelpStatus.ASSESSING
                locked.status_changed_at = locked.first_contact_at
                fields += ["status", "status_changed_at"]
                HelpRequestStatusChange.objects.create(
                    request=locked, status=HelpStatus.ASSESSING, at=locked.first_contact_at
                )
            locked.save(update_fields=fields)
            audit_record(action="help_request.first_contact", actor=actor, obj=locked, changes={"fields": fields})
    return locked


def help_request_set_status(*, actor: Any, help_request: HelpRequest, status: str, service: Any = None) -> HelpRequest:
    if not can_handle_help_request(actor, help_request):
        raise PermissionDenied
    if status not in HelpStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status == HelpStatus.DIRECTED and service is None:
        raise ValidationError({"service": _("Choose the service the person is directed to.")})
    if service is not None and service.municipality_id != help_request.municipality_id:
        raise ValidationError({"service": _("Choose a service of this municipality.")})
    now = timezone.now()
    with transaction.atomic():
        help_request.status = status
        help_request.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if status == HelpStatus.DIRECTED:
            help_request.directed_service = service
            fields.append("directed_service")
        help_request.save(update_fields=fields)
        HelpRequestStatusChange.objects.create(request=help_request, status=status, at=now)
        if status == HelpStatus.DIRECTED and service is not None:
            # The tracking page then offers feedback on that service, once.
            FeedbackInvite.objects.for_tenant(help_request.municipality_id).get_or_create(
                municipality_id=help_request.municipality_id,
                help_request=help_request,
                service=service,
                defaults={
                    "code": _unique_code(
                        codes.FEEDBACK_LENGTH,
                        lambda c: (
                            FeedbackInvite.objects.for_tenant(help_request.municipality_id).filter(code=c).exists()
                        ),
                    ),
                    "created_by": actor,
                },
            )
        audit_record(
            action="help_request.status", actor=actor, obj=help_request, changes={"fields": fields, "status": status}
        )
    return help_request


def help_request_take_up(
    *,
    actor: Any,
    help_request: HelpRequest,
    organisation: Any,
    person: Any = None,
    person_fields: dict[str, Any] | None = None,
    duplicate_override: dict[str, Any] | None = None,
) -> Any:
    """Turn a request for help into a person and a case in one step: the person found by the duplicate check
    (``person``) or registered now (``person_fields``, through people's own registration, the override of a
    probable duplicate audited with its reason), a case opened by ``organisation`` on the portal channel whose
    request keeps the citizen's text and tracking code, and the request linked to both. One transaction:
    a refusal anywhere leaves none of it. Returns the case."""
    from carenet.cases.models import Channel
    from carenet.cases.services import case_open
    from carenet.people.services import person_register

    if not can_handle_help_request(actor, help_request):
        raise PermissionDenied
    if help_request.case_id is not None:
        raise ValidationError(_("This request was already taken up (case %(case)s).") % {"case": help_request.case})
    if help_request.anonymised_at is not None:
        raise ValidationError(_("This request was anonymised: it can no longer be taken up."))
    if person is None and not person_fields:
        raise ValidationError({"person": _("Choose the person found or register a new one.")})
    summary = "\n".join(
        x
        for x in [
            help_request.description.strip(),
            _("Request for help %(code)s (%(need)s), sent on %(date)s.")
            % {
                "code": help_request.tracking_code,
                "need": help_request.get_need_display(),
                "date": timezone.localtime(help_request.created_at).date().isoformat(),
            },
        ]
        if x
    )
    now = timezone.now()
    with transaction.atomic():
        if person is None:
            person = person_register(
                actor=actor,
                organisation=organisation,
                duplicate_override=duplicate_override,
                purpose="portal.help_request",
                **(person_fields or {}),
            )
        case = case_open(
            actor=actor,
            person=person,
            organisation=organisation,
            channel=Channel.PORTAL,
            request_summary=summary,
        )
        locked = (
            HelpRequest.objects.for_tenant(help_request.municipality_id).select_for_update().get(pk=help_request.pk)
        )
        if locked.case_id is not None:
            raise ValidationError(_("This request was already taken up (case %(case)s).") % {"case": locked.case})
        locked.case = case
        locked.taken_up_by_id = case.organisation_id
        fields = ["case", "taken_up_by"]
        if locked.first_contact_at is None:
            locked.first_contact_at, locked.first_contact_by = now, actor
            fields += ["first_contact_at", "first_contact_by"]
        if locked.status in (HelpStatus.RECEIVED, HelpStatus.ASSESSING):
            locked.status, locked.status_changed_at = HelpStatus.ASSESSING, now
            fields += ["status", "status_changed_at"]
            HelpRequestStatusChange.objects.create(request=locked, status=HelpStatus.ASSESSING, at=now)
        locked.save(update_fields=fields)
        audit_record(
            action="help_request.take_up",
            actor=actor,
            obj=locked,
            changes={"case": str(case.pk), "person": str(person.pk), "organisation": str(case.organisation_id)},
        )
    return case


def help_request_reroute(*, actor: Any, help_request: HelpRequest, organisation: Organisation) -> HelpRequest:
    if not can_reroute_help_request(actor, help_request):
        raise PermissionDenied
    if organisation.municipality_id != help_request.municipality_id:
        raise ValidationError({"organisation": _("Choose an organisation of this municipality.")})
    with transaction.atomic():
        before = help_request.routed_organisation_id
        help_request.routed_organisation = organisation
        help_request.save(update_fields=["routed_organisation"])
        audit_record(
            action="help_request.reroute",
            actor=actor,
            obj=help_request,
            changes={"from": str(before), "to": str(organisation.pk)},
        )
        _notify_on_commit(help_request)
    return help_request


def routing_rule_add(
    *,
    actor: Any,
    municipality: Municipality,
    organisation: Organisation,
    need: str = "",
    area: Any = None,
    priority: int = 100,
) -> RoutingRule:
    _require_coordinator(actor, municipality.pk)
    if organisation.municipality_id != municipality.pk or (
        area is not None and area.municipality_id != municipality.pk
    ):
        raise ValidationError({"organisation": _("Choose an organisation of this municipality.")})
    if need and need not in HelpNeed.values:
        raise ValidationError({"need": _("Choose the kind of help.")})
    with transaction.atomic():
        rule = RoutingRule.objects.create(
            municipality=municipality, need=need, area=area, organisation=organisation, priority=priority
        )
        audit_record(
            action="routing.add", actor=actor, obj=rule, changes={"need": need, "area": str(getattr(area, "pk", ""))}
        )
    return rule


def routing_rule_delete(*, actor: Any, rule: RoutingRule) -> None:
    _require_coordinator(actor, rule.municipality_id)
    with transaction.atomic():
        audit_record(action="routing.delete", actor=actor, obj=rule)
        rule.delete()


def help_requests_anonymise_expired(*, municipality: Municipality, now: Any = None) -> int:
    """Erase the contact details and free text of requests closed or directed more than
    ``CARENET_PORTAL_HELP_RETENTION_DAYS`` (default 365) days ago; keep what the KPIs need."""
    from django.conf import settings

    now = now or timezone.now()
    days = int(getattr(settings, "CARENET_PORTAL_HELP_RETENTION_DAYS", 365))
    cutoff = now - timedelta(days=days)
    with transaction.atomic():
        expired = HelpRequest.objects.for_tenant(municipality).filter(
            anonymised_at__isnull=True,
            status__in=[HelpStatus.CLOSED, HelpStatus.DIRECTED],
            status_changed_at__lt=cutoff,
        )
        count = expired.update(
            contact_name="", contact_phone="", contact_email="", description="", area_text="", anonymised_at=now
        )
        if count:
            audit_record(
                action="help_request.anonymise",
                municipality=municipality,
                object_type="portal.helprequest",
                changes={"rows": count, "retention_days": days},
            )
    return count


def help_request_intake_payload(*, help_request: HelpRequest) -> dict[str, Any]:
    """What a case intake needs from a request for help (the cases app calls this; portal never
    imports cases). Contact details are included: the caller must be allowed to handle the request."""
    return {
        "municipality_id": help_request.municipality_id,
        "source": "portal.help_request",
        "source_id": str(help_request.pk),
        "tracking_code": help_request.tracking_code,
        "organisation_id": help_request.routed_organisation_id,
        "help_for": help_request.help_for,
        "need": help_request.need,
        "area_id": help_request.area_id,
        "area_text": help_request.area_text,
        "description": help_request.description,
        "contact_name": help_request.contact_name,
        "contact_method": help_request.contact_method,
        "contact_phone": help_request.contact_phone,
        "contact_email": help_request.contact_email,
        "language": help_request.language,
        "consent_at": help_request.consent_at,
        "received_at": help_request.created_at,
    }


# ---------------------------------------------------------------------------------------------------
# Feedback on services


def feedback_invite_create(*, actor: Any, service: Any) -> FeedbackInvite:
    if not can_invite_feedback(actor, service):
        raise PermissionDenied
    with transaction.atomic():
        invite = FeedbackInvite.objects.create(
            municipality_id=service.municipality_id,
            service=service,
            code=_unique_code(
                codes.FEEDBACK_LENGTH,
                lambda c: FeedbackInvite.objects.for_tenant(service.municipality_id).filter(code=c).exists(),
            ),
            created_by=actor,
        )
        audit_record(action="feedback.invite", actor=actor, obj=invite, object_label=str(service))
    return invite


def feedback_submit(
    *,
    invite: FeedbackInvite,
    rating: int,
    went_well: list[str],
    went_badly: list[str],
    comment: str = "",
    author_name: str = "",
    may_publish: bool = False,
) -> ServiceFeedback:
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Choose a value from 1 to 5.")})
    with transaction.atomic():
        locked = FeedbackInvite.objects.for_tenant(invite.municipality_id).select_for_update().get(pk=invite.pk)
        if locked.used_at is not None:
            raise ValidationError({"code": _("This code has already been used.")})
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        service = locked.service
        feedback = ServiceFeedback.objects.create(
            municipality_id=locked.municipality_id,
            service=service,
            organisation_id=service.organisation_id,
            invite=locked,
            rating=int(rating),
            went_well=sorted(set(went_well)),
            went_badly=sorted(set(went_badly)),
            comment=comment,
            author_name=author_name,
            may_publish=may_publish,
        )
        audit_record(action="feedback.submit", obj=feedback, changes={"rating": feedback.rating})
    return feedback


def feedback_reply(*, actor: Any, feedback: ServiceFeedback, text: str, is_public: bool) -> ServiceFeedback:
    if not can_reply_feedback(actor, feedback):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"reply": _("Write the answer.")})
    with transaction.atomic():
        feedback.reply = text.strip()
        feedback.reply_is_public = is_public
        feedback.replied_by = actor
        feedback.replied_at = timezone.now()
        feedback.save(update_fields=["reply", "reply_is_public", "replied_by", "replied_at"])
        audit_record(action="feedback.reply", actor=actor, obj=feedback, changes={"public": is_public})
    return feedback


# ---------------------------------------------------------------------------------------------------
# Surveys


def _require_coordinator(actor: Any, municipality_id: Any) -> None:
    if not is_coordinator(actor) or getattr(actor, "municipality_id", None) != municipality_id:
        raise PermissionDenied


def survey_create(*, actor: Any, municipality: Municipality, title: str, intro: str, audience: str) -> Survey:
    _require_coordinator(actor, municipality.pk)
    with transaction.atomic():
        survey = Survey.objects.create(
            municipality=municipality,
            title=title,
            intro=intro,
            audience=audience,
            salt=secrets.token_hex(16),
            created_by=actor,
        )
        audit_record(action="survey.create", actor=actor, obj=survey)
    return survey


def survey_question_add(
    *,
    actor: Any,
    survey: Survey,
    kind: str,
    text: str,
    choices: list[str],
    required: bool,
    show_if_question: SurveyQuestion | None = None,
    show_if_value: str = "",
) -> SurveyQuestion:
    _require_coordinator(actor, survey.municipality_id)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("Questions can only be added while the survey is a draft."))
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        raise ValidationError({"choices": _("Give at least two choices, one per line.")})
    if show_if_question is not None:
        if show_if_question.survey_id != survey.pk:
            raise ValidationError({"show_if_question": _("Choose a question of this survey.")})
        if show_if_question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            raise ValidationError({"show_if_question": _("A condition needs a question with choices.")})
        if show_if_value not in show_if_question.choices:
            raise ValidationError({"show_if_value": _("Give one of the choices of that question.")})
    with transaction.atomic():
        position = survey.questions.count() + 1
        question = SurveyQuestion.objects.create(
            survey=survey,
            position=position,
            kind=kind,
            text=text,
            choices=choices if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
            required=required,
            show_if_question=show_if_question,
            show_if_value=show_if_value if show_if_question else "",
        )
        audit_record(action="survey.question_add", actor=actor, obj=survey, changes={"question": question.pk})
    return question


def survey_set_status(*, actor: Any, survey: Survey, status: str) -> Survey:
    _require_coordinator(actor, survey.municipality_id)
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."))
    with transaction.atomic():
        survey.status = status
        survey.save(update_fields=["status"])
        audit_record(action="survey.status", actor=actor, obj=survey, changes={"status": status})
    return survey


def survey_invites_create(*, actor: Any, survey: Survey, count: int) -> list[str]:
    """Personal links for a target group; the tokens are shown once and only their hashes kept."""
    _require_coordinator(actor, survey.municipality_id)
    if not 1 <= count <= 1000:
        raise ValidationError({"count": _("Choose a number from 1 to 1000.")})
    tokens = [codes.new_token() for _i in range(count)]
    with transaction.atomic():
        SurveyInvite.objects.bulk_create(
            [
                SurveyInvite(
                    municipality_id=survey.municipality_id,
                    survey=survey,
                    token_hash=codes.respondent_key(salt=survey.salt, token=t),
                )
                for t in tokens
            ]
        )
        audit_record(action="survey.invites", actor=actor, obj=survey, changes={"count": count})
    return tokens


def survey_answer(*, survey: Survey, token: str, answers: dict[str, Any]) -> SurveyResponse:
    """Store one answer per person.

    ``token`` is the person's one-time token: a random value kept in their browser's cookie
    (public surveys) or the token of their personal link (target groups). We store only
    ``respondent_key = HMAC(SECRET_KEY + per-survey salt, token)``: it lets the database refuse a
    second answer from the same token (unique constraint), yet it names nobody, holds no address or
    account, and the keys of two surveys cannot be linked to each other.
    """
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("This survey is not open."))
    key = codes.respondent_key(salt=survey.salt, token=token)
    invites = SurveyInvite.objects.for_tenant(survey.municipality_id)
    if survey.audience == "invited" and not invites.filter(survey=survey, token_hash=key).exists():
        raise ValidationError(_("This personal link is not valid."))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, respondent_key=key, answers=answers)
            audit_record(action="survey.answer", obj=survey, changes={"questions": len(answers)})
    except IntegrityError as exc:
        raise ValidationError(_("You have already answered this survey. Thank you!")) from exc
    return response


def survey_already_answered(*, survey: Survey, token: str) -> bool:
    if not token:
        return False
    key = codes.respondent_key(salt=survey.salt, token=token)
    return SurveyResponse.objects.for_tenant(survey.municipality_id).filter(survey=survey, respondent_key=key).exists()


# ---------------------------------------------------------------------------------------------------
# Consultations and ideas


def consultation_create(
    *, actor: Any, municipality: Municipality, title: str, summary: str, draft_text: str = "", closes_on: Any = None
) -> Consultation:
    _require_coordinator(actor, municipality.pk)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            municipality=municipality,
            title=title,
            summary=summary,
            draft_text=draft_text,
            closes_on=closes_on,
            created_by=actor,
        )
        audit_record(action="consultation.create", actor=actor, obj=consultation)
    return consultation


ALLOWED_DOCUMENTS = (".pdf", ".docx", ".odt", ".xlsx", ".ods", ".txt")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def consultation_document_add(*, actor: Any, consultation: Consultation, title: str, file: Any) -> ConsultationDocument:
    _require_coordinator(actor, consultation.municipality_id)
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(ALLOWED_DOCUMENTS):
        raise ValidationError({"file": _("Upload a PDF, DOCX, ODT, XLSX, ODS or TXT file.")})
    if getattr(file, "size", 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    with transaction.atomic():
        document = ConsultationDocument.objects.create(consultation=consultation, title=title, file=file)
        audit_record(action="consultation.document_add", actor=actor, obj=consultation, changes={"document": title})
    return document


def _require_open(consultation: Consultation) -> None:
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError(_("This consultation is closed."))


def _arrival_state(consultation: Consultation, author: Any) -> str:
    """Published at once or waiting for the moderator, by the municipality's rules of the day; refuses an
    anonymous contribution where only signed-in people may contribute (the view asks them to sign in first)."""
    policy = contribution_policy(municipality=consultation.municipality_id, on=timezone.localdate())
    if policy == ContributionPolicy.IDENTIFIED_ONLY and not getattr(author, "is_authenticated", False):
        raise PermissionDenied
    return ModerationState.PENDING if policy == ContributionPolicy.PREMODERATED else ModerationState.PUBLISHED


def _author(author: Any) -> Any:
    return author if getattr(author, "is_authenticated", False) else None


def consultation_comment_add(
    *, consultation: Consultation, text: str, author_name: str = "", author: Any = None, author_key: str = ""
) -> ConsultationComment:
    """``author``: the signed-in user, if any; ``author_key``: the browser's key (codes.respondent_key), so an
    anonymous author sees their comment while it waits for moderation."""
    _require_open(consultation)
    state = _arrival_state(consultation, author)
    with transaction.atomic():
        comment = ConsultationComment.objects.create(
            consultation=consultation,
            text=text,
            author_name=author_name,
            state=state,
            author=_author(author),
            author_key=author_key,
        )
        audit_record(
            action="consultation.comment",
            actor=_author(author),
            obj=consultation,
            changes={"comment": str(comment.pk), "state": state},
        )
    return comment


def idea_add(
    *,
    consultation: Consultation,
    title: str,
    text: str,
    author_name: str = "",
    author: Any = None,
    author_key: str = "",
) -> Idea:
    _require_open(consultation)
    state = _arrival_state(consultation, author)
    with transaction.atomic():
        idea = Idea.objects.create(
            consultation=consultation,
            title=title,
            text=text,
            author_name=author_name,
            state=state,
            author=_author(author),
            author_key=author_key,
        )
        audit_record(
            action="consultation.idea",
            actor=_author(author),
            obj=consultation,
            changes={"idea": str(idea.pk), "state": state},
        )
    return idea


def _require_pending(contribution: ConsultationComment | Idea) -> None:
    if contribution.state != ModerationState.PENDING:
        raise ValidationError(_("This contribution has already been moderated."))


def contribution_approve(*, actor: Any, contribution: ConsultationComment | Idea) -> None:
    """Premoderation: the moderator publishes a waiting comment or idea; audited."""
    consultation = contribution.consultation
    _require_coordinator(actor, consultation.municipality_id)
    _require_pending(contribution)
    with transaction.atomic():
        contribution.state = ModerationState.PUBLISHED
        contribution.reviewed_by = actor
        contribution.reviewed_at = timezone.now()
        contribution.save(update_fields=["state", "reviewed_by", "reviewed_at"])
        audit_record(
            action=f"consultation.{contribution._meta.model_name}.approve",
            actor=actor,
            obj=consultation,
            changes={"id": str(contribution.pk)},
        )


def contribution_reject(*, actor: Any, contribution: ConsultationComment | Idea, reason: str) -> None:
    """Premoderation: the moderator refuses a waiting comment or idea; it stays unpublished, its author sees
    the reason; audited, never deleted."""
    consultation = contribution.consultation
    _require_coordinator(actor, consultation.municipality_id)
    _require_pending(contribution)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for not publishing it.")})
    if len(reason.strip()) > 300:
        raise ValidationError({"reason": _("The reason is at most 300 characters.")})
    with transaction.atomic():
        contribution.state = ModerationState.REJECTED
        contribution.rejection_reason = reason.strip()
        contribution.reviewed_by = actor
        contribution.reviewed_at = timezone.now()
        contribution.save(update_fields=["state", "rejection_reason", "reviewed_by", "reviewed_at"])
        audit_record(
            action=f"consultation.{contribution._meta.model_name}.reject",
            actor=actor,
            obj=consultation,
            changes={"id": str(contribution.pk), "reason": contribution.rejection_reason},
        )


@transaction.atomic
def consultation_rules_set(
    *, actor: Any, municipality: Municipality | Any, contributions: str, valid_from: datetime.date
) -> ConsultationRules:
    """A version of who may contribute to consultations, from a date; the version before it ends the day
    before. A date before the latest version is refused: the history of the rules is not rewritten."""
    municipality_id = getattr(municipality, "pk", municipality)
    _require_coordinator(actor, municipality_id)
    errors: dict[str, str] = {}
    if contributions not in ContributionPolicy.values:
        errors["contributions"] = _("Choose who may contribute.")
    latest = ConsultationRules.objects.for_tenant(municipality_id).order_by("-valid_from").first()
    if latest is not None and valid_from < latest.valid_from:
        errors["valid_from"] = _("The latest rules start on %(day)s: new rules start on that day or later.") % {
            "day": latest.valid_from.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    rules, _created = ConsultationRules.objects.for_tenant(municipality_id).update_or_create(
        valid_from=valid_from,
        defaults={"municipality_id": municipality_id, "contributions": contributions, "created_by": actor},
    )
    ConsultationRules.objects.for_tenant(municipality_id).filter(
        valid_from__lt=valid_from, valid_to__isnull=True
    ).update(valid_to=valid_from - timedelta(days=1))
    audit_record(
        action="consultation.rules.set",
        actor=actor,
        obj=rules,
        changes={"valid_from": str(valid_from), "contributions": contributions},
    )
    return rules


def idea_support(*, idea: Idea, token: str) -> bool:
    """Count one support per person (same salted-token scheme as surveys); False if already counted."""
    consultation = idea.consultation
    _require_open(consultation)
    key = codes.respondent_key(salt=f"idea:{consultation.pk}", token=token)
    try:
        with transaction.atomic():
            IdeaSupport.objects.create(idea=idea, supporter_key=key)
            Idea.objects.for_tenant(idea.municipality_id).filter(pk=idea.pk).update(
                support_count=F("support_count") + 1
            )
    except IntegrityError:
        return False
    return True


def contribution_hide(*, actor: Any, contribution: ConsultationComment | Idea, reason: str) -> None:
    """Moderation: hide a comment or idea with a public reason; audited, never deleted."""
    consultation = contribution.consultation
    _require_coordinator(actor, consultation.municipality_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for hiding it.")})
    with transaction.atomic():
        contribution.is_hidden = True
        contribution.hidden_reason = reason.strip()
        contribution.hidden_by = actor
        contribution.hidden_at = timezone.now()
        contribution.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        audit_record(
            action=f"consultation.{contribution._meta.model_name}.hide",
            actor=actor,
            obj=consultation,
            changes={"id": str(contribution.pk), "reason": contribution.hidden_reason},
        )


def consultation_answer(*, actor: Any, consultation: Consultation, answer: str) -> Consultation:
    _require_coordinator(actor, consultation.municipality_id)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        consultation.answer = answer.strip()
        consultation.answered_at = timezone.now()
        consultation.status = ConsultationStatus.ANSWERED
        consultation.save(update_fields=["answer", "answered_at", "status"])
        audit_record(action="consultation.answer", actor=actor, obj=consultation)
    return consultation


def consultation_close(*, actor: Any, consultation: Consultation) -> Consultation:
    _require_coordinator(actor, consultation.municipality_id)
    with transaction.atomic():
        consultation.status = ConsultationStatus.CLOSED
        consultation.save(update_fields=["status"])
        audit_record(action="consultation.close", actor=actor, obj=consultation)
    return consultation


def consultation_session_record(
    *,
    actor: Any,
    municipality: Municipality,
    held_on: Any,
    topics: str,
    participants: dict[str, dict[str, int]],
    place: str = "",
    consultation: Consultation | None = None,
) -> ConsultationSession:
    _require_coordinator(actor, municipality.pk)
    clean: dict[str, dict[str, int]] = {}
    for sex in SEXES:
        clean[sex] = {}
        for band in AGE_BANDS:
            value = int((participants.get(sex) or {}).get(band) or 0)
            if value < 0 or value > 100000:
                raise ValidationError({"participants": _("Counts must be between 0 and 100000.")})
            clean[sex][band] = value
    if consultation is not None and consultation.municipality_id != municipality.pk:
        raise ValidationError({"consultation": _("Choose a consultation of this municipality.")})
    with transaction.atomic():
        session = ConsultationSession.objects.create(
            municipality=municipality,
            consultation=consultation,
            held_on=held_on,
            place=place,
            topics=topics,
            participants=clean,
            created_by=actor,
        )
        audit_record(
            action="consultation.session", actor=actor, obj=session, changes={"total": session.total_participants}
        )
    return session
