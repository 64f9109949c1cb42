"""Staff pages: the coordinator's and social workers' requests with the proposed caregivers and their
reasons, the choice for a family, the caregivers, the complaints."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read
from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.core.models import Organisation
from carenet.core.policy import policy
from carenet.people.permissions import person_for

from .. import selectors, services
from ..forms import CaregiverForm, ResolveForm, StaffCareRequestForm, TrainingCertificateForm
from ..models import Caregiver, RequestStatus
from ..permissions import (
    can_coordinate_care,
    can_handle_complaints,
    care_organisation_ids,
    care_request_for,
    caregiver_for,
    complaint_for,
)
from .common import apply_errors, first_message


@requires(can_coordinate_care, platform_admin=False)
def staff_home(request: CareNetRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    context = {
        "requests": selectors.request_list(user=request.user, status=status)[:200],
        "status": status,
        "statuses": RequestStatus.choices,
        "complaints": selectors.complaint_list(user=request.user).filter(status="open").count(),
        "can_complaints": can_handle_complaints(request.user),
        "covers": selectors.covers_needed(user=request.user).count(),
    }
    return render(request, "care/staff_home.html", context)


@requires(can_coordinate_care, platform_admin=False)
def request_detail(request: CareNetRequest, request_id: str) -> HttpResponse:
    care_request = care_request_for(request.user, request_id)
    audit_read(actor=request.user, obj=care_request, purpose="care.matching")
    booking = selectors.live_booking(request=care_request)
    context = {
        "care_request": care_request,
        "booking": booking,
        "proposals": selectors.proposals(request=care_request) if booking is None else [],
        "can_change": policy.can(request.user, "change", care_request),
    }
    return render(request, "care/request_detail.html", context)


@require_POST
@requires(can_coordinate_care, platform_admin=False)
def request_choose(request: CareNetRequest, request_id: str, caregiver_id: str) -> HttpResponseBase:
    """The case's social worker chooses for the family; the family and the caregiver then confirm."""
    care_request = care_request_for(request.user, request_id, action="change")
    caregiver = _caregiver(caregiver_id, care_request.municipality_id)
    try:
        services.booking_choose(actor=request.user, request=care_request, caregiver=caregiver, by_family=False)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("The caregiver is proposed; the family and the caregiver confirm next."))
    return redirect("care:request", request_id=care_request.pk)


def _caregiver(caregiver_id: str, municipality_id: object) -> Caregiver:
    """A caregiver of the request's municipality; the service checks it is among those proposed."""
    caregiver = Caregiver.objects.for_tenant(municipality_id).filter(pk=caregiver_id).first()
    if caregiver is None:
        raise Http404
    return caregiver


@requires(can_coordinate_care, platform_admin=False)
def caregiver_list(request: CareNetRequest) -> HttpResponse:
    return render(
        request, "care/caregiver_list.html", {"caregivers": selectors.caregiver_list(user=request.user)[:300]}
    )


@requires(can_coordinate_care, platform_admin=False)
def caregiver_detail(request: CareNetRequest, caregiver_id: str) -> HttpResponse:
    caregiver = caregiver_for(request.user, caregiver_id)
    audit_read(actor=request.user, obj=caregiver, purpose="care.matching")
    return render(
        request,
        "care/caregiver_detail.html",
        {
            "caregiver": caregiver,
            "slots": selectors.caregiver_slots(caregiver=caregiver),
            "can_change": policy.can(request.user, "change", caregiver),
            "certificate_form": TrainingCertificateForm(),
        },
    )


@require_POST
@requires(can_coordinate_care, platform_admin=False)
def caregiver_training(request: CareNetRequest, caregiver_id: str) -> HttpResponse:
    """The caregiver's training certificate, checked with the training platform."""
    caregiver = caregiver_for(request.user, caregiver_id, action="change")
    form = TrainingCertificateForm(request.POST)
    if form.is_valid():
        try:
            services.caregiver_training_verify(actor=request.user, caregiver=caregiver, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The certificate is valid: the caregiver counts as trained."))
            return redirect("care:caregiver", caregiver_id=caregiver.pk)
    context = {
        "caregiver": caregiver,
        "slots": selectors.caregiver_slots(caregiver=caregiver),
        "can_change": True,
        "certificate_form": form,
    }
    return render(request, "care/caregiver_detail.html", context, status=400)


@requires(can_coordinate_care, platform_admin=False)
def caregiver_create(request: CareNetRequest) -> HttpResponse:
    ids = care_organisation_ids(request.user)
    organisations = Organisation.objects.for_tenant(request.municipality).filter(is_active=True)
    if ids is not None:
        organisations = organisations.filter(pk__in=ids)
    areas = selectors.area_points(municipality=request.municipality)
    form = CaregiverForm(request.POST or None, organisations=list(organisations.order_by("name")), areas=areas)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _name, lat, lon = form.areas[d["area"]]
        try:
            caregiver = services.caregiver_create(
                actor=request.user,
                municipality=request.municipality,
                data=services.CaregiverInput(
                    first_name=d["first_name"],
                    last_name=d["last_name"],
                    latitude=lat,
                    longitude=lon,
                    kinds=list(d["kinds"]),
                    languages=list(d["languages"]),
                    qualifications=d["qualifications"],
                    training_certificate=d["training_certificate"],
                    travel_km=d["travel_km"],
                    organisation=form.organisations[d["organisation"]],
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The caregiver is registered. They set their weekly availability themselves."))
            return redirect("care:caregiver", caregiver_id=caregiver.pk)
    return render(request, "care/caregiver_form.html", {"form": form})


@requires(can_handle_complaints, platform_admin=False)
def complaint_list(request: CareNetRequest) -> HttpResponse:
    return render(
        request,
        "care/complaint_list.html",
        {"complaints": selectors.complaint_list(user=request.user)[:200], "form": ResolveForm()},
    )


@require_POST
@requires(can_handle_complaints, platform_admin=False)
def complaint_resolve(request: CareNetRequest, complaint_id: str) -> HttpResponseBase:
    complaint = complaint_for(request.user, complaint_id, action="change")
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer: write the answer to the complaint."))
    else:
        try:
            services.complaint_resolve(
                actor=request.user, complaint=complaint, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        else:
            messages.success(request, _("The complaint is answered."))
    return redirect("care:complaints")


@requires(can_coordinate_care, platform_admin=False)
def request_create(request: CareNetRequest, person_id: str) -> HttpResponse:
    """A social worker asks for care for a registry person who consented (from the person's record)."""
    person = person_for(request.user, person_id)
    ids = care_organisation_ids(request.user)
    organisations = Organisation.objects.for_tenant(request.municipality).filter(is_active=True)
    if ids is not None:
        organisations = organisations.filter(pk__in=ids)
    areas = selectors.area_points(municipality=request.municipality)
    form = StaffCareRequestForm(
        request.POST or None,
        areas=areas,
        organisations=list(organisations.order_by("name")),
        initial={"cared_for_name": f"{person.first_name} {person.last_name}", "address": person.address, "hours": 2},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        point = form.areas.get(d["area"])
        try:
            care_request = services.care_request_create(
                actor=request.user,
                municipality=request.municipality,
                data=services.RequestInput(
                    cared_for_name=d["cared_for_name"],
                    kind=d["kind"],
                    weekdays=list(d["weekdays"]),
                    start_time=d["start_time"],
                    hours=d["hours"],
                    address=d["address"],
                    latitude=point[1] if point else None,
                    longitude=point[2] if point else None,
                    needs=d["needs"],
                    language=d["language"],
                    contact_phone=d["contact_phone"],
                    consent=d["consent"],
                    person=person,
                    organisation=form.organisations[d["organisation"]],
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("care:request", request_id=care_request.pk)
    return render(request, "care/request_form.html", {"form": form, "person": person})
