"""Feedback on services, surveys, ideas and consultations (public side and staff pages)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_export

from . import codes, selectors, services
from .antispam import rate_limited
from .forms import (
    AnswerForm,
    CommentForm,
    ConsultationForm,
    DocumentForm,
    FeedbackCodeForm,
    FeedbackForm,
    FeedbackReplyForm,
    HideForm,
    IdeaForm,
    SessionForm,
    SurveyForm,
    SurveyInvitesForm,
    SurveyQuestionForm,
    survey_answer_form,
)
from .help_views import portal_context, public_municipality
from .models import (
    AGE_BANDS,
    SEXES,
    ConsultationComment,
    ConsultationDocument,
    ConsultationStatus,
    Idea,
    SurveyAudience,
    SurveyStatus,
)
from .permissions import can_reply_feedback, is_coordinator, is_portal_staff

COOKIE_MAX_AGE = 365 * 24 * 3600


def _person_token(request: HttpRequest, cookie: str) -> str:
    """The browser's one-time token for surveys and idea support (see services.survey_answer)."""
    token = request.COOKIES.get(cookie, "")
    return token if 20 <= len(token) <= 64 else ""


def _set_person_token(response: HttpResponse, cookie: str, token: str) -> None:
    response.set_cookie(cookie, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax")


# ---------------------------------------------------------------------------------------------------
# Feedback — public


@rate_limited("feedback-code", limit=20)
def feedback_start(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    form = FeedbackCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            invite = selectors.feedback_invite_by_code(municipality, form.cleaned_data["code"])
            if invite is None:
                form.add_error("code", _("We found no feedback code like this. Check the code and try again."))
                status = 404
            elif invite.used_at is not None:
                form.add_error("code", _("This code has already been used."))
                status = 400
            else:
                return redirect("portal:feedback_form", municipality_slug=municipality.slug, code=invite.code)
        else:
            status = 400
    return render(
        request, "portal/feedback_start.html", portal_context(request, municipality, form=form), status=status
    )


@rate_limited("feedback", limit=10)
def feedback_form(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponse:
    municipality = public_municipality(request)
    invite = selectors.feedback_invite_by_code(municipality, code)
    if invite is None:
        raise Http404
    if invite.used_at is not None:
        messages.info(request, _("This code has already been used."))
        return redirect("portal:feedback", municipality_slug=municipality.slug)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.feedback_submit(
                    invite=invite,
                    rating=data["rating"],
                    went_well=data["went_well"],
                    went_badly=data["went_badly"],
                    comment=data["comment"],
                    author_name=data["author_name"],
                    may_publish=data["may_publish"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect("portal:feedback_thanks", municipality_slug=municipality.slug)
        form.refresh_timer()
    context = portal_context(request, municipality, form=form, service=invite.service)
    return render(request, "portal/feedback_form.html", context, status=400 if form.errors else 200)


def feedback_thanks(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    return render(request, "portal/feedback_thanks.html", portal_context(request, public_municipality(request)))


def service_feedback_public(request: HttpRequest, municipality_slug: str, service_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    service = selectors.public_service(municipality, service_id)
    feedback = list(selectors.public_feedback_for_service(service)[:50])
    return render(
        request,
        "portal/service_feedback.html",
        portal_context(request, municipality, service=service, feedback=feedback),
    )


# ---------------------------------------------------------------------------------------------------
# Feedback — staff


@login_required
def feedback_staff(request: HttpRequest) -> HttpResponse:
    if not is_portal_staff(request.user):
        raise PermissionDenied
    municipality = request.user.municipality  # type: ignore[union-attr]
    services_qs = selectors.services_for_feedback_invites(user=request.user, municipality=municipality)
    new_invite = None
    if request.method == "POST":
        try:
            service = services_qs.get(pk=request.POST.get("service"))
        except Exception:
            messages.error(request, _("Choose a service."))
        else:
            new_invite = services.feedback_invite_create(actor=request.user, service=service)
    context = {
        "feedback": selectors.staff_feedback(user=request.user)[:100],
        "by_service": selectors.satisfaction_kpi(user=request.user, by="service"),
        "by_provider": selectors.satisfaction_kpi(user=request.user, by="provider"),
        "services": services_qs,
        "new_invite": new_invite,
        "new_invite_code": codes.group(new_invite.code, 4) if new_invite else "",
        "new_invite_url": request.build_absolute_uri(
            reverse("portal:feedback_form", kwargs={"municipality_slug": municipality.slug, "code": new_invite.code})
        )
        if new_invite
        else "",
    }
    return render(request, "portal/staff/feedback.html", context)


@login_required
def feedback_detail(request: HttpRequest, feedback_id: str) -> HttpResponse:
    if not is_portal_staff(request.user):
        raise PermissionDenied
    feedback = selectors.staff_feedback_item(user=request.user, feedback_id=feedback_id)
    form = FeedbackReplyForm(
        request.POST or None, initial={"reply": feedback.reply, "is_public": feedback.reply_is_public}
    )
    if request.method == "POST":
        if not can_reply_feedback(request.user, feedback):
            raise PermissionDenied
        if form.is_valid():
            services.feedback_reply(
                actor=request.user,
                feedback=feedback,
                text=form.cleaned_data["reply"],
                is_public=form.cleaned_data["is_public"],
            )
            messages.success(request, _("Answer saved."))
            return redirect("portal_engage:feedback_detail", feedback_id=feedback.pk)
    return render(
        request,
        "portal/staff/feedback_detail.html",
        {"item": feedback, "form": form},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------------
# Surveys — public


def survey_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    return render(
        request,
        "portal/survey_list.html",
        portal_context(request, municipality, surveys=selectors.public_surveys(municipality)),
    )


@rate_limited("survey", limit=10)
def survey_answer(request: HttpRequest, municipality_slug: str, survey_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    survey = selectors.public_survey(municipality, survey_id)
    questions = list(survey.questions.all())
    cookie = f"cn_svy_{survey.pk.hex[:12]}"
    invited = survey.audience == SurveyAudience.INVITED
    token = (request.GET.get("t") or request.POST.get("t") or "")[:64] if invited else _person_token(request, cookie)
    if invited and not token:
        raise Http404
    new_token = "" if token or invited else codes.new_token()
    already = services.survey_already_answered(survey=survey, token=token)
    form = survey_answer_form(survey, questions, request.POST if request.method == "POST" and not already else None)
    status = 200
    if request.method == "POST" and not already:
        if form.is_valid():
            answers = {
                name[1:]: value
                for name, value in form.cleaned_data.items()
                if name.startswith("q") and value not in (None, "", [])
            }
            try:
                services.survey_answer(survey=survey, token=token or new_token, answers=answers)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
            else:
                already = True
        else:
            status = 400
        form.refresh_timer()  # type: ignore[attr-defined]
    context = portal_context(
        request, municipality, survey=survey, form=form, already=already, token=token if invited else ""
    )
    response = render(request, "portal/survey_answer.html", context, status=status)
    if new_token:
        _set_person_token(response, cookie, new_token)
    return response


# ---------------------------------------------------------------------------------------------------
# Surveys — staff (coordinator)


def _require_coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    municipality = request.user.municipality  # type: ignore[union-attr]
    survey_form = SurveyForm(request.POST if request.POST.get("form") == "survey" else None)
    consultation_form = ConsultationForm(request.POST if request.POST.get("form") == "consultation" else None)
    if request.method == "POST":
        if request.POST.get("form") == "survey" and survey_form.is_valid():
            survey = services.survey_create(actor=request.user, municipality=municipality, **survey_form.cleaned_data)
            return redirect("portal_engage:survey", survey_id=survey.pk)
        if request.POST.get("form") == "consultation" and consultation_form.is_valid():
            consultation = services.consultation_create(
                actor=request.user, municipality=municipality, **consultation_form.cleaned_data
            )
            return redirect("portal_engage:consultation", consultation_id=consultation.pk)
    context = {
        "surveys": selectors.staff_surveys(user=request.user),
        "consultations": selectors.staff_consultations(user=request.user),
        "survey_form": survey_form,
        "consultation_form": consultation_form,
        "participation": selectors.participation_summary(municipality=municipality),
    }
    return render(request, "portal/staff/engage_home.html", context)


@login_required
def survey_staff(request: HttpRequest, survey_id: str) -> HttpResponse:
    _require_coordinator(request)
    survey = selectors.staff_survey(user=request.user, survey_id=survey_id)
    action = request.POST.get("action", "")
    question_form = SurveyQuestionForm(request.POST if action == "question" else None, survey=survey)
    invites_form = SurveyInvitesForm(request.POST if action == "invites" else None)
    tokens: list[str] = []
    failed = False
    if request.method == "POST":
        try:
            if action == "question" and question_form.is_valid():
                services.survey_question_add(actor=request.user, survey=survey, **question_form.cleaned_data)
                messages.success(request, _("Question added."))
                return redirect("portal_engage:survey", survey_id=survey.pk)
            if action in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
                services.survey_set_status(actor=request.user, survey=survey, status=action)
                messages.success(request, _("Survey updated."))
                return redirect("portal_engage:survey", survey_id=survey.pk)
            if action == "invites" and invites_form.is_valid():
                tokens = services.survey_invites_create(
                    actor=request.user, survey=survey, count=invites_form.cleaned_data["count"]
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            failed = True
    base = request.build_absolute_uri(
        reverse("portal:survey", kwargs={"municipality_slug": request.user.municipality.slug, "survey_id": survey.pk})  # type: ignore[union-attr]
    )
    results = selectors.survey_results(survey)
    context = {
        "survey": survey,
        "question_form": question_form,
        "invites_form": invites_form,
        "links": [f"{base}?t={t}" for t in tokens],
        "results": results,
        "responses": survey.responses.count(),
        "chart_data": [
            {"id": r.question.pk, "labels": [c for c, _n in r.counts], "values": [n for _c, n in r.counts]}
            for r in results
            if r.counts
        ],
    }
    return render(
        request,
        "portal/staff/survey.html",
        context,
        status=400 if failed or question_form.errors or invites_form.errors else 200,
    )


def _survey_rows(survey: Any) -> tuple[list[str], list[list[Any]]]:
    questions = list(survey.questions.all())
    header = [str(_("Answered on"))] + [q.text for q in questions]
    rows = []
    for response in survey.responses.order_by("created_at"):
        row: list[Any] = [response.created_at.date().isoformat()]
        for q in questions:
            value = response.answers.get(str(q.pk), "")
            row.append("; ".join(value) if isinstance(value, list) else value)
        rows.append(row)
    return header, rows


def _safe_cell(value: Any) -> Any:
    # Spreadsheet formula injection: text starting with = + - @ is shown as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@login_required
def survey_export(request: HttpRequest, survey_id: str, fmt: str) -> HttpResponse:
    _require_coordinator(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    survey = selectors.staff_survey(user=request.user, survey_id=survey_id)
    header, rows = _survey_rows(survey)
    audit_export(actor=request.user, municipality=survey.municipality, what=f"survey:{survey.pk}:{fmt}", rows=len(rows))
    filename = f"survey-{survey.pk.hex[:8]}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([[_safe_cell(v) for v in row] for row in rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "responses"
    sheet.append(header)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# ---------------------------------------------------------------------------------------------------
# Consultations — public


def consultation_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    context = portal_context(request, municipality, consultations=selectors.public_consultations(municipality))
    return render(request, "portal/consultation_list.html", context)


def _consultation_page(request: HttpRequest, municipality: Any, consultation: Any, **forms: Any) -> dict[str, Any]:
    return portal_context(
        request,
        municipality,
        consultation=consultation,
        comment_form=forms.get("comment_form") or CommentForm(),
        idea_form=forms.get("idea_form") or IdeaForm(),
        is_open=consultation.status == ConsultationStatus.OPEN,
        sexes=SEXES,
        age_bands=AGE_BANDS,
    )


def consultation_detail(request: HttpRequest, municipality_slug: str, consultation_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    consultation = selectors.public_consultation(municipality, consultation_id)
    return render(request, "portal/consultation_detail.html", _consultation_page(request, municipality, consultation))


@require_POST
@rate_limited("comment", limit=10)
def consultation_comment(request: HttpRequest, municipality_slug: str, consultation_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    consultation = selectors.public_consultation(municipality, consultation_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_comment_add(
                consultation=consultation, text=form.cleaned_data["text"], author_name=form.cleaned_data["author_name"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Thank you, your comment is published."))
            return redirect("portal:consultation", municipality_slug=municipality.slug, consultation_id=consultation.pk)
    form.refresh_timer()
    context = _consultation_page(request, municipality, consultation, comment_form=form)
    return render(request, "portal/consultation_detail.html", context, status=400)


@require_POST
@rate_limited("idea", limit=10)
def consultation_idea(request: HttpRequest, municipality_slug: str, consultation_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    consultation = selectors.public_consultation(municipality, consultation_id)
    form = IdeaForm(request.POST)
    if form.is_valid():
        try:
            services.idea_add(
                consultation=consultation,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                author_name=form.cleaned_data["author_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Thank you, your idea is published."))
            return redirect("portal:consultation", municipality_slug=municipality.slug, consultation_id=consultation.pk)
    form.refresh_timer()
    context = _consultation_page(request, municipality, consultation, idea_form=form)
    return render(request, "portal/consultation_detail.html", context, status=400)


@require_POST
@rate_limited("support", limit=30)
def idea_support(request: HttpRequest, municipality_slug: str, idea_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    try:
        idea = Idea.objects.select_related("consultation").get(
            pk=idea_id, consultation__municipality=municipality, is_hidden=False
        )
    except (Idea.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    cookie = "cn_support"
    token = _person_token(request, cookie) or codes.new_token()
    try:
        counted = services.idea_support(idea=idea, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if counted:
            messages.success(request, _("Thank you, your support is counted."))
        else:
            messages.info(request, _("You already support this idea."))
    response = redirect(
        reverse(
            "portal:consultation",
            kwargs={"municipality_slug": municipality.slug, "consultation_id": idea.consultation_id},
        )
        + f"#idea-{idea.pk}"
    )
    _set_person_token(response, cookie, token)
    return response


def consultation_document(request: HttpRequest, municipality_slug: str, document_id: int) -> HttpResponse:
    municipality = public_municipality(request)
    try:
        document = ConsultationDocument.objects.get(pk=document_id, consultation__municipality=municipality)
    except ConsultationDocument.DoesNotExist as exc:
        raise Http404 from exc
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


def session_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    context = portal_context(
        request,
        municipality,
        sessions=selectors.public_sessions(municipality),
        summary=selectors.participation_summary(municipality=municipality),
        sexes=SEXES,
        age_bands=AGE_BANDS,
    )
    return render(request, "portal/session_list.html", context)


# ---------------------------------------------------------------------------------------------------
# Consultations — staff (coordinator)


@login_required
def consultation_staff(request: HttpRequest, consultation_id: str) -> HttpResponse:
    _require_coordinator(request)
    consultation = selectors.staff_consultation(user=request.user, consultation_id=consultation_id)
    action = request.POST.get("action", "")
    document_form = DocumentForm(request.POST if action == "document" else None, request.FILES or None)
    answer_form = AnswerForm(request.POST if action == "answer" else None, initial={"answer": consultation.answer})
    session_form = SessionForm(request.POST if action == "session" else None)
    hide_form = HideForm(request.POST if action in ("hide_comment", "hide_idea") else None)
    failed = False
    if request.method == "POST":
        try:
            if action == "document" and document_form.is_valid():
                services.consultation_document_add(
                    actor=request.user, consultation=consultation, **document_form.cleaned_data
                )
                messages.success(request, _("Document added."))
                return redirect("portal_engage:consultation", consultation_id=consultation.pk)
            if action == "answer" and answer_form.is_valid():
                services.consultation_answer(
                    actor=request.user, consultation=consultation, answer=answer_form.cleaned_data["answer"]
                )
                messages.success(request, _("Answer published."))
                return redirect("portal_engage:consultation", consultation_id=consultation.pk)
            if action == "close":
                services.consultation_close(actor=request.user, consultation=consultation)
                return redirect("portal_engage:consultation", consultation_id=consultation.pk)
            if action == "session" and session_form.is_valid():
                services.consultation_session_record(
                    actor=request.user,
                    municipality=consultation.municipality,
                    consultation=consultation,
                    held_on=session_form.cleaned_data["held_on"],
                    place=session_form.cleaned_data["place"],
                    topics=session_form.cleaned_data["topics"],
                    participants=session_form.participants(),
                )
                messages.success(request, _("Session recorded."))
                return redirect("portal_engage:consultation", consultation_id=consultation.pk)
            if action in ("hide_comment", "hide_idea") and hide_form.is_valid():
                model = ConsultationComment if action == "hide_comment" else Idea
                try:
                    contribution = model.objects.get(pk=request.POST.get("target"), consultation=consultation)
                except (model.DoesNotExist, ValueError, ValidationError) as exc:
                    raise Http404 from exc
                services.contribution_hide(
                    actor=request.user, contribution=contribution, reason=hide_form.cleaned_data["reason"]
                )
                messages.success(request, _("Hidden, with the reason shown publicly."))
                return redirect("portal_engage:consultation", consultation_id=consultation.pk)
            if action in ("hide_comment", "hide_idea"):
                messages.error(request, _("Give the reason for hiding it."))
                failed = True
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            failed = True
    context = {
        "consultation": consultation,
        "document_form": document_form,
        "answer_form": answer_form,
        "session_form": session_form,
        "is_open": consultation.status == ConsultationStatus.OPEN,
    }
    invalid = failed or any(f.errors for f in (document_form, answer_form, session_form))
    return render(request, "portal/staff/consultation.html", context, status=400 if invalid else 200)
