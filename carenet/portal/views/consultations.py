"""Consultations: the public list and page (comments, ideas, support, documents) and the record of the
public sessions; the coordinator's consultation page with one action per URL (documents, answer,
closing, sessions, moderation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carenet.core.access import requires
from carenet.core.roles import Role

from .. import codes, selectors, services
from ..antispam import rate_limited
from ..forms import AnswerForm, CommentForm, ConsultationForm, DocumentForm, HideForm, IdeaForm, SessionForm
from ..models import AGE_BANDS, SEXES, Consultation, ConsultationStatus
from ..permissions import consultation_for, contribution_for
from .common import person_token, portal_context, public_municipality, set_person_token, staff_municipality
from .participation import participation_page

# ---------------------------------------------------------------------------------------------------
# Public


def consultation_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    context = portal_context(request, municipality, consultations=selectors.public_consultations(municipality))
    return render(request, "portal/consultations/list.html", context)


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
    return render(request, "portal/consultations/detail.html", _consultation_page(request, municipality, consultation))


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
    return render(request, "portal/consultations/detail.html", context, status=400)


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
    return render(request, "portal/consultations/detail.html", context, status=400)


@require_POST
@rate_limited("support", limit=30)
def idea_support(request: HttpRequest, municipality_slug: str, idea_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    idea = selectors.public_idea(municipality, idea_id)
    cookie = "cn_support"
    token = person_token(request, cookie) or codes.new_token()
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
    set_person_token(response, cookie, token)
    return response


def consultation_document(request: HttpRequest, municipality_slug: str, document_id: int) -> HttpResponseBase:
    municipality = public_municipality(request)
    document = selectors.public_document(municipality, document_id)
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
    return render(request, "portal/consultations/sessions.html", context)


# ---------------------------------------------------------------------------------------------------
# Staff (the coordinator)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def consultation_create(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST)
    if not form.is_valid():
        return participation_page(request, consultation_form=form, status=400)
    consultation = services.consultation_create(
        actor=request.user, municipality=staff_municipality(request), **form.cleaned_data
    )
    return redirect("portal_engage:consultation", consultation_id=consultation.pk)


def _staff_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    document_form: DocumentForm | None = None,
    answer_form: AnswerForm | None = None,
    session_form: SessionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "consultation": consultation,
        "document_form": document_form or DocumentForm(),
        "answer_form": answer_form or AnswerForm(initial={"answer": consultation.answer}),
        "session_form": session_form or SessionForm(),
        "is_open": consultation.status == ConsultationStatus.OPEN,
    }
    return render(request, "portal/consultations/staff/consultation.html", context, status=status)


def _done(consultation: Consultation) -> HttpResponse:
    return redirect("portal_engage:consultation", consultation_id=consultation.pk)


def _refused(request: HttpRequest, consultation: Consultation, exc: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return _staff_page(request, consultation, status=400)


@requires(Role.COORDINATOR, platform_admin=False)
@require_GET
def consultation_staff(request: HttpRequest, consultation_id: str) -> HttpResponse:
    return _staff_page(request, consultation_for(request.user, consultation_id))


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def consultation_document_add(request: HttpRequest, consultation_id: str) -> HttpResponse:
    consultation = consultation_for(request.user, consultation_id, action="change")
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _staff_page(request, consultation, document_form=form, status=400)
    try:
        services.consultation_document_add(actor=request.user, consultation=consultation, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, consultation, exc)
    messages.success(request, _("Document added."))
    return _done(consultation)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def consultation_answer(request: HttpRequest, consultation_id: str) -> HttpResponse:
    consultation = consultation_for(request.user, consultation_id, action="change")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, consultation, answer_form=form, status=400)
    try:
        services.consultation_answer(actor=request.user, consultation=consultation, answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        return _refused(request, consultation, exc)
    messages.success(request, _("Answer published."))
    return _done(consultation)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def consultation_close(request: HttpRequest, consultation_id: str) -> HttpResponse:
    consultation = consultation_for(request.user, consultation_id, action="change")
    try:
        services.consultation_close(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        return _refused(request, consultation, exc)
    return _done(consultation)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def consultation_session_record(request: HttpRequest, consultation_id: str) -> HttpResponse:
    consultation = consultation_for(request.user, consultation_id, action="change")
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, consultation, session_form=form, status=400)
    try:
        services.consultation_session_record(
            actor=request.user,
            municipality=consultation.municipality,
            consultation=consultation,
            held_on=form.cleaned_data["held_on"],
            place=form.cleaned_data["place"],
            topics=form.cleaned_data["topics"],
            participants=form.participants(),
        )
    except ValidationError as exc:
        return _refused(request, consultation, exc)
    messages.success(request, _("Session recorded."))
    return _done(consultation)


def _hide(request: HttpRequest, consultation_id: str, contribution_id: str, *, kind: str) -> HttpResponse:
    contribution = contribution_for(request.user, consultation_id, contribution_id, kind=kind)
    consultation = contribution.consultation
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for hiding it."))
        return _staff_page(request, consultation_for(request.user, consultation.pk), status=400)
    try:
        services.contribution_hide(actor=request.user, contribution=contribution, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refused(request, consultation_for(request.user, consultation.pk), exc)
    messages.success(request, _("Hidden, with the reason shown publicly."))
    return _done(consultation)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def comment_hide(request: HttpRequest, consultation_id: str, comment_id: str) -> HttpResponse:
    return _hide(request, consultation_id, comment_id, kind="comment")


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def idea_hide(request: HttpRequest, consultation_id: str, idea_id: str) -> HttpResponse:
    return _hide(request, consultation_id, idea_id, kind="idea")
