"""The public pages (on the portal, by the municipality's slug): the course catalogue, a course and the form to
apply, the certificate check, and a company's contribution page when the company publishes it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from carenet.core.http import CareNetRequest

from .. import selectors, services
from ..forms import PortalApplyForm
from .common import apply_errors


def _context(request: CareNetRequest, **extra: object) -> dict[str, object]:
    municipality = request.public_municipality
    return {"tenant": municipality, "municipality": municipality, **extra}


def catalogue(request: CareNetRequest, municipality_slug: str) -> HttpResponse:
    municipality = request.public_municipality
    language = request.GET.get("language", "")
    courses = selectors.catalogue(municipality=municipality, language=language)[:200]
    return render(request, "training/public/catalogue.html", _context(request, courses=courses, language=language))


@never_cache
def course(request: CareNetRequest, municipality_slug: str, course_id: str) -> HttpResponse:
    municipality = request.public_municipality
    found = selectors.public_course(municipality=municipality, course_id=course_id)
    if found is None:
        raise Http404
    form = PortalApplyForm(request.POST or None)
    enrolment = None
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_from_portal(municipality=municipality, course=found, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    status = 400 if request.method == "POST" and enrolment is None else 200
    context = _context(
        request, course=found, form=form, enrolment=enrolment, places_left=selectors.places_left(course=found)
    )
    return render(request, "training/public/course.html", context, status=status)


def certificate_check(request: CareNetRequest, municipality_slug: str) -> HttpResponse:
    code = request.GET.get("code", "")[:40]
    verified = selectors.certificate_verify(municipality=request.public_municipality, code=code) if code else None
    return render(request, "training/public/certificate_check.html", _context(request, code=code, verified=verified))


def company(request: CareNetRequest, municipality_slug: str, organisation_id: str) -> HttpResponse:
    organisation = selectors.published_company(
        municipality=request.public_municipality, organisation_id=organisation_id
    )
    if organisation is None:
        raise Http404
    contribution = selectors.company_contribution(organisation=organisation)
    return render(
        request,
        "training/public/company.html",
        _context(request, organisation=organisation, contribution=contribution),
    )
