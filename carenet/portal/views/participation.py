"""The coordinator's landing page of participation: the surveys and consultations of the municipality,
the forms to start one (posted to ``surveys.survey_create`` / ``consultations.consultation_create``) and
the attendance of the public sessions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carenet.core.access import requires
from carenet.core.roles import Role

from .. import selectors
from ..forms import ConsultationForm, SurveyForm
from .common import staff_municipality


def participation_page(
    request: HttpRequest,
    *,
    survey_form: SurveyForm | None = None,
    consultation_form: ConsultationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, also shown again (with the errors) by a create action whose form was invalid."""
    context = {
        "surveys": selectors.staff_surveys(user=request.user),
        "consultations": selectors.staff_consultations(user=request.user),
        "survey_form": survey_form or SurveyForm(),
        "consultation_form": consultation_form or ConsultationForm(),
        "participation": selectors.participation_summary(municipality=staff_municipality(request)),
    }
    return render(request, "portal/participation/staff/home.html", context, status=status)


@requires(Role.COORDINATOR, platform_admin=False)
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    return participation_page(request)
