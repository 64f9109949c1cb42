"""The social side: a case's training and employment page (enrolments, enrolling, CV, job fairs, placements
and their follow-ups), the social worker's alerts, withdrawing, the certificate PDF and the printable CV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.cases.permissions import case_for
from carenet.core.access import parse_uuid, requires
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy

from .. import certificates, selectors, services
from ..forms import CvItemForm, JobFairForm, PlacementForm
from ..permissions import (
    alert_for,
    can_follow_people,
    can_post_courses,
    course_for,
    enrolment_for,
    job_fair_for,
    placement_for,
)
from .common import apply_errors, error_text, form_errors


@login_required
def case_training(request: CareNetRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    services.case_training_read(actor=request.user, case=case)
    context = {
        "case": case,
        "enrolments": selectors.case_enrolments(user=request.user, case=case),
        "courses": selectors.enrollable_courses(user=request.user),
        "placements": selectors.case_placements(case=case),
        "fairs": selectors.job_fairs(user=request.user)[:20],
        "cv_form": CvItemForm(),
        "placement_form": PlacementForm(),
        "today": timezone.localdate(),
    }
    return render(request, "training/case_training.html", context)


@require_POST
@login_required
def case_enrol(request: CareNetRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    course = course_for(request.user, request.POST.get("course"))
    try:
        enrolment = services.enrolment_from_case(actor=request.user, case=case, course=course)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if enrolment.status == "waiting":
            messages.warning(request, _("The course is full: the person is on the waiting list."))
        else:
            messages.success(request, _("The person is enrolled."))
    return redirect("training:case", case_id=case.pk)


@require_POST
@login_required
def enrolment_withdraw(request: CareNetRequest, enrolment_id: str) -> HttpResponse:
    enrolment = enrolment_for(request.user, enrolment_id)
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The enrolment is withdrawn; the place went to the next one waiting."))
    if enrolment.case_id and policy.can(request.user, "follow", enrolment):
        return redirect("training:case", case_id=enrolment.case_id)
    return redirect("training:course", course_id=enrolment.course_id)


@login_required
def certificate_pdf(request: CareNetRequest, enrolment_id: str) -> HttpResponse:
    enrolment = enrolment_for(request.user, enrolment_id)
    certificate = getattr(enrolment, "certificate", None)
    if certificate is None:
        raise Http404
    check = reverse("training_public:certificate_check", kwargs={"municipality_slug": enrolment.municipality.slug})
    verify_url = request.build_absolute_uri(f"{check}?code={certificate.code}")
    content = certificates.certificate_pdf(actor=request.user, certificate=certificate, verify_url=verify_url)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@requires(can_follow_people, can_post_courses, platform_admin=False)
def alert_list(request: CareNetRequest) -> HttpResponse:
    return render(request, "training/alerts.html", {"alerts": selectors.alerts_for(user=request.user)[:200]})


@require_POST
@login_required
def alert_read(request: CareNetRequest, alert_id: str) -> HttpResponse:
    alert = alert_for(request.user, alert_id)
    services.alert_read(actor=request.user, alert=alert)
    return redirect("training:alerts")


@login_required
def cv_print(request: CareNetRequest, case_id: str) -> HttpResponse:
    """The CV from the person's record, in Romanian (the language of the employers it goes to)."""
    case = case_for(request.user, case_id, action="change")
    data = selectors.cv_data(case=case)
    services.cv_read(actor=request.user, case=case)
    with translation.override("ro"):
        return render(request, "training/cv.html", {"case": case, "cv": data})


@require_POST
@login_required
def cv_add(request: CareNetRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    form = CvItemForm(request.POST)
    if form.is_valid():
        try:
            services.cv_item_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Added to the CV."))
    else:
        messages.error(request, form_errors(form))
    return redirect("training:case", case_id=case.pk)


@require_POST
@login_required
def placement_add(request: CareNetRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    form = PlacementForm(request.POST)
    if form.is_valid():
        try:
            services.placement_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The mediation is recorded."))
    else:
        messages.error(request, form_errors(form))
    return redirect("training:case", case_id=case.pk)


@require_POST
@login_required
def placement_follow_up(request: CareNetRequest, placement_id: str, months: int) -> HttpResponse:
    placement = placement_for(request.user, placement_id, action="change")
    try:
        services.placement_follow_up(
            actor=request.user, placement=placement, months=months, employed=request.POST.get("employed") == "yes"
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("training:case", case_id=placement.case_id)


@requires(can_follow_people, can_post_courses, platform_admin=False)
def fair_list(request: CareNetRequest) -> HttpResponse:
    organisations = selectors.posting_organisations(user=request.user, municipality=request.municipality)
    form = JobFairForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        if not can_post_courses(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                fair = services.job_fair_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The job fair is recorded."))
                return redirect("training:fair", fair_id=fair.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "training/fairs.html", {"fairs": selectors.job_fairs(user=request.user), "form": form}, status=status
    )


@login_required
def fair_detail(request: CareNetRequest, fair_id: str) -> HttpResponse:
    fair = job_fair_for(request.user, fair_id)
    participants = selectors.fair_participants(user=request.user, fair=fair)
    return render(request, "training/fair_detail.html", {"fair": fair, "participants": participants})


@require_POST
@login_required
def fair_join(request: CareNetRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    fair = job_fair_for(request.user, parse_uuid(request.POST.get("fair")))
    services.job_fair_participant_add(actor=request.user, fair=fair, case=case)
    messages.success(request, _("The person is registered for the job fair."))
    return redirect("training:case", case_id=case.pk)
