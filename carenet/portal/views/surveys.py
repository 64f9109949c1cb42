"""Surveys: the public list and answer form; the coordinator's survey page (questions, publishing,
personal links, results) with one action per URL, and the export of the answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.roles import Role

from .. import codes, selectors, services
from ..antispam import rate_limited
from ..forms import SurveyForm, SurveyInvitesForm, SurveyQuestionForm, survey_answer_form
from ..models import Survey, SurveyAudience, SurveyStatus
from ..permissions import survey_for
from .common import person_token, portal_context, public_municipality, set_person_token, staff_municipality
from .participation import participation_page

# ---------------------------------------------------------------------------------------------------
# Public


def survey_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    return render(
        request,
        "portal/surveys/list.html",
        portal_context(request, municipality, surveys=selectors.public_surveys(municipality)),
    )


@rate_limited("survey", limit=10)
def survey_answer(request: HttpRequest, municipality_slug: str, survey_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    survey = selectors.public_survey(municipality, survey_id)
    questions = list(survey.questions.all())
    cookie = f"cn_svy_{survey.pk.hex[-12:]}"  # the random end (a uuid7 starts with its time)
    invited = survey.audience == SurveyAudience.INVITED
    token = (request.GET.get("t") or request.POST.get("t") or "")[:64] if invited else person_token(request, cookie)
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
    response = render(request, "portal/surveys/answer.html", context, status=status)
    if new_token:
        set_person_token(response, cookie, new_token)
    return response


# ---------------------------------------------------------------------------------------------------
# Staff (the coordinator)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return participation_page(request, survey_form=form, status=400)
    survey = services.survey_create(actor=request.user, municipality=staff_municipality(request), **form.cleaned_data)
    return redirect("portal_engage:survey", survey_id=survey.pk)


def _survey_page(
    request: HttpRequest,
    survey: Survey,
    *,
    question_form: SurveyQuestionForm | None = None,
    invites_form: SurveyInvitesForm | None = None,
    tokens: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    base = request.build_absolute_uri(
        reverse("portal:survey", kwargs={"municipality_slug": staff_municipality(request).slug, "survey_id": survey.pk})
    )
    results = selectors.survey_results(survey)
    context = {
        "survey": survey,
        "question_form": question_form or SurveyQuestionForm(survey=survey),
        "invites_form": invites_form or SurveyInvitesForm(),
        "links": [f"{base}?t={t}" for t in tokens or []],
        "results": results,
        "responses": survey.responses.count(),
        "chart_data": [
            {"id": r.question.pk, "labels": [c for c, _n in r.counts], "values": [n for _c, n in r.counts]}
            for r in results
            if r.counts
        ],
    }
    return render(request, "portal/surveys/staff/survey.html", context, status=status)


def _refused(request: HttpRequest, survey: Survey, exc: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return _survey_page(request, survey, status=400)


@requires(Role.COORDINATOR, platform_admin=False)
@require_GET
def survey_staff(request: HttpRequest, survey_id: str) -> HttpResponse:
    return _survey_page(request, survey_for(request.user, survey_id))


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def survey_question_add(request: HttpRequest, survey_id: str) -> HttpResponse:
    survey = survey_for(request.user, survey_id, action="change")
    form = SurveyQuestionForm(request.POST, survey=survey)
    if not form.is_valid():
        return _survey_page(request, survey, question_form=form, status=400)
    try:
        services.survey_question_add(actor=request.user, survey=survey, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, survey, exc)
    messages.success(request, _("Question added."))
    return redirect("portal_engage:survey", survey_id=survey.pk)


def _set_status(request: HttpRequest, survey_id: str, status: str) -> HttpResponse:
    survey = survey_for(request.user, survey_id, action="change")
    try:
        services.survey_set_status(actor=request.user, survey=survey, status=status)
    except ValidationError as exc:
        return _refused(request, survey, exc)
    messages.success(request, _("Survey updated."))
    return redirect("portal_engage:survey", survey_id=survey.pk)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def survey_open(request: HttpRequest, survey_id: str) -> HttpResponse:
    return _set_status(request, survey_id, SurveyStatus.OPEN)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def survey_close(request: HttpRequest, survey_id: str) -> HttpResponse:
    return _set_status(request, survey_id, SurveyStatus.CLOSED)


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def survey_invites_create(request: HttpRequest, survey_id: str) -> HttpResponse:
    """Personal one-answer links for a target group; shown once, on the page this answers with."""
    survey = survey_for(request.user, survey_id, action="change")
    form = SurveyInvitesForm(request.POST)
    if not form.is_valid():
        return _survey_page(request, survey, invites_form=form, status=400)
    try:
        tokens = services.survey_invites_create(actor=request.user, survey=survey, count=form.cleaned_data["count"])
    except ValidationError as exc:
        return _refused(request, survey, exc)
    return _survey_page(request, survey, tokens=tokens)


@requires(Role.COORDINATOR, platform_admin=False)
@require_GET
def survey_export(request: HttpRequest, survey_id: str, fmt: str) -> HttpResponseBase:
    survey = survey_for(request.user, survey_id)
    header, rows = selectors.survey_table(survey=survey)
    return export_table(
        actor=request.user,
        municipality=survey.municipality,
        what="portal.survey",
        header=header,
        rows=rows,
        fmt=fmt,
        filename=f"survey-{survey.pk.hex[:8]}",
        title="responses",
        subject_ids=[survey.pk],
    )
