"""Consultations: the public list and page (comments, ideas, support, documents) and the record of the
public sessions; the coordinator's consultation page with one action per URL (documents, answer,
closing, sessions, moderation), the queue of contributions waiting for moderation and the municipality's
rules on who may contribute."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carenet.core.access import requires
from carenet.core.roles import Role

from .. import codes, selectors, services
from ..antispam import rate_limited
from ..forms import (
    AnswerForm,
    CommentForm,
    ConsultationForm,
    ConsultationRulesForm,
    DocumentForm,
    HideForm,
    IdeaForm,
    RejectForm,
    SessionForm,
)
from ..models import AGE_BANDS, SEXES, Consultation, ConsultationStatus, ContributionPolicy, ModerationState
from ..permissions import consultation_for, contribution_for
from .common import person_token, portal_context, public_municipality, set_person_token, staff_municipality
from .participation import participation_page

# ---------------------------------------------------------------------------------------------------
# Public


def consultation_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    context = portal_context(request, municipality, consultations=selectors.public_consultations(municipality))
    return render(request, "portal/consultations/list.html", context)


# The browser's token that lets an anonymous author see their own contributions while they wait.
AUTHOR_COOKIE = "cn_author"


def _author_key(consultation: Consultation, token: str) -> str:
    return codes.respondent_key(salt=f"author:{consultation.pk}", token=token) if token else ""


def _policy(consultation: Consultation) -> str:
    return selectors.contribution_policy(municipality=consultation.municipality_id, on=timezone.localdate())


def _must_sign_in(request: HttpRequest, consultation: Consultation) -> bool:
    return _policy(consultation) == ContributionPolicy.IDENTIFIED_ONLY and not request.user.is_authenticated


def _public_url(municipality: Any, consultation: Consultation) -> str:
    return reverse(
        "portal:consultation", kwargs={"municipality_slug": municipality.slug, "consultation_id": consultation.pk}
    )


def _consultation_page(request: HttpRequest, municipality: Any, consultation: Any, **forms: Any) -> dict[str, Any]:
    policy = _policy(consultation)
    own = selectors.own_contributions(
        consultation=consultation,
        user=request.user,
        author_key=_author_key(consultation, person_token(request, AUTHOR_COOKIE)),
    )
    return portal_context(
        request,
        municipality,
        consultation=consultation,
        comment_form=forms.get("comment_form") or CommentForm(),
        idea_form=forms.get("idea_form") or IdeaForm(),
        is_open=consultation.status == ConsultationStatus.OPEN,
        premoderated=policy == ContributionPolicy.PREMODERATED,
        must_sign_in=policy == ContributionPolicy.IDENTIFIED_ONLY and not request.user.is_authenticated,
        login_url=f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': _public_url(municipality, consultation)})}",
        own=own,
        sexes=SEXES,
        age_bands=AGE_BANDS,
    )


def consultation_detail(request: HttpRequest, municipality_slug: str, consultation_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    consultation = selectors.public_consultation(municipality, consultation_id)
    return render(request, "portal/consultations/detail.html", _consultation_page(request, municipality, consultation))


def _contributed(
    request: HttpRequest, municipality: Any, consultation: Consultation, contribution: Any, token: str
) -> HttpResponse:
    if contribution.state == ModerationState.PENDING:
        messages.success(request, _("Thank you. It will be published once a moderator has read it."))
    else:
        messages.success(request, _("Thank you, it is published."))
    response = redirect(_public_url(municipality, consultation))
    set_person_token(response, AUTHOR_COOKIE, token)
    return response


@require_POST
@rate_limited("comment", limit=10)
def consultation_comment(request: HttpRequest, municipality_slug: str, consultation_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    consultation = selectors.public_consultation(municipality, consultation_id)
    if _must_sign_in(request, consultation):
        return redirect_to_login(_public_url(municipality, consultation))
    form = CommentForm(request.POST)
    token = person_token(request, AUTHOR_COOKIE) or codes.new_token()
    if form.is_valid():
        try:
            comment = services.consultation_comment_add(
                consultation=consultation,
                text=form.cleaned_data["text"],
                author_name=form.cleaned_data["author_name"],
                author=request.user,
                author_key=_author_key(consultation, token),
            )
        except PermissionDenied:
            return redirect_to_login(_public_url(municipality, consultation))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return _contributed(request, municipality, consultation, comment, token)
    form.refresh_timer()
    context = _consultation_page(request, municipality, consultation, comment_form=form)
    return render(request, "portal/consultations/detail.html", context, status=400)


@require_POST
@rate_limited("idea", limit=10)
def consultation_idea(request: HttpRequest, municipality_slug: str, consultation_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    consultation = selectors.public_consultation(municipality, consultation_id)
    if _must_sign_in(request, consultation):
        return redirect_to_login(_public_url(municipality, consultation))
    form = IdeaForm(request.POST)
    token = person_token(request, AUTHOR_COOKIE) or codes.new_token()
    if form.is_valid():
        try:
            idea = services.idea_add(
                consultation=consultation,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                author_name=form.cleaned_data["author_name"],
                author=request.user,
                author_key=_author_key(consultation, token),
            )
        except PermissionDenied:
            return redirect_to_login(_public_url(municipality, consultation))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return _contributed(request, municipality, consultation, idea, token)
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


# ---------------------------------------------------------------------------------------------------
# Staff: premoderation (the queue, approve, reject) and the rules on who may contribute


def _queue_page(request: HttpRequest, *, reject_form: RejectForm | None = None, status: int = 200) -> HttpResponse:
    context = {
        "queue": selectors.moderation_queue(user=request.user),
        "policy": ContributionPolicy(_policy_of_municipality(request)).label,
        "reject_form": reject_form,
    }
    return render(request, "portal/consultations/staff/moderation.html", context, status=status)


def _policy_of_municipality(request: HttpRequest) -> str:
    return selectors.contribution_policy(municipality=staff_municipality(request), on=timezone.localdate())


@requires(Role.COORDINATOR, platform_admin=False)
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


def _approve(request: HttpRequest, consultation_id: str, contribution_id: str, *, kind: str) -> HttpResponse:
    contribution = contribution_for(request.user, consultation_id, contribution_id, kind=kind)
    try:
        services.contribution_approve(actor=request.user, contribution=contribution)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _queue_page(request, status=400)
    messages.success(request, _("Approved: it is now published."))
    return redirect("portal_engage:moderation")


def _reject(request: HttpRequest, consultation_id: str, contribution_id: str, *, kind: str) -> HttpResponse:
    contribution = contribution_for(request.user, consultation_id, contribution_id, kind=kind)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_reject(
                actor=request.user, contribution=contribution, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Not published; its author sees your reason."))
            return redirect("portal_engage:moderation")
    messages.error(
        request,
        " ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(str(m) for m in e)}"
            for f, e in form.errors.items()
        ),
    )
    return _queue_page(request, reject_form=form, status=400)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def comment_approve(request: HttpRequest, consultation_id: str, comment_id: str) -> HttpResponse:
    return _approve(request, consultation_id, comment_id, kind="comment")


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def idea_approve(request: HttpRequest, consultation_id: str, idea_id: str) -> HttpResponse:
    return _approve(request, consultation_id, idea_id, kind="idea")


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def comment_reject(request: HttpRequest, consultation_id: str, comment_id: str) -> HttpResponse:
    return _reject(request, consultation_id, comment_id, kind="comment")


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def idea_reject(request: HttpRequest, consultation_id: str, idea_id: str) -> HttpResponse:
    return _reject(request, consultation_id, idea_id, kind="idea")


@requires(Role.COORDINATOR, platform_admin=False)
@require_http_methods(["GET", "POST"])
def consultation_rules(request: HttpRequest) -> HttpResponse:
    """Who may contribute to the municipality's consultations, version by version; the coordinator adds one."""
    municipality = staff_municipality(request)
    today = timezone.localdate()
    current = selectors.contribution_policy(municipality=municipality, on=today)
    form = ConsultationRulesForm(request.POST or None, initial={"valid_from": today, "contributions": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_rules_set(actor=request.user, municipality=municipality, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The new rules are saved."))
            return redirect("portal_engage:consultation_rules")
    context = {
        "form": form,
        "current": ContributionPolicy(current).label,
        "history": selectors.consultation_rules_history(municipality=municipality),
    }
    return render(request, "portal/consultations/staff/rules.html", context, status=400 if form.errors else 200)
