"""The family's portal pages: ask for care, see the caregivers proposed nearby with their reasons, pick one
(the family's confirmation), follow the booking, rate it, complain to the coordinator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import CareRequestForm, ComplaintForm, RatingForm
from ..models import Caregiver, Side
from ..permissions import family_booking_for, family_request_for
from .common import apply_errors, first_message, public_municipality


def care_home(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    context = {
        "municipality": municipality,
        "tenant": municipality,
        "requests": selectors.family_requests(user=request.user, municipality=municipality)
        if request.user.is_authenticated
        else [],
        "caregiver": selectors.caregiver_of(user=request.user, municipality=municipality),
    }
    return render(request, "care/public/home.html", context)


@login_required
def request_new(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    areas = selectors.area_points(municipality=municipality)
    language = (get_language() or "")[:2]
    form = CareRequestForm(request.POST or None, areas=areas, initial={"language": language, "hours": 2})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        point = form.areas.get(d["area"])
        try:
            care_request = services.care_request_submit(
                municipality=municipality,
                user=request.user,
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
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("care_public:request", municipality_slug=municipality.slug, request_id=care_request.pk)
    context = {"municipality": municipality, "tenant": municipality, "form": form}
    return render(request, "care/public/request_form.html", context)


@login_required
def request_page(request: HttpRequest, municipality_slug: str, request_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    care_request = family_request_for(request.user, municipality, request_id)
    booking = selectors.live_booking(request=care_request)
    context = {
        "municipality": municipality,
        "tenant": municipality,
        "care_request": care_request,
        "booking": booking,
        "proposals": selectors.proposals(request=care_request)
        if booking is None and care_request.status == "open"
        else [],
        "rating_form": RatingForm(),
        "complaint_form": ComplaintForm(),
        "rated": booking is not None and booking.ratings.filter(side=Side.FAMILY).exists(),
        "covers": selectors.booking_covers(booking=booking) if booking is not None else [],
    }
    return render(request, "care/public/request_page.html", context)


@require_POST
@login_required
def request_pick(request: HttpRequest, municipality_slug: str, request_id: str, caregiver_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    care_request = family_request_for(request.user, municipality, request_id)
    caregiver = Caregiver.objects.for_tenant(municipality).filter(pk=caregiver_id).first()
    if caregiver is None:
        raise Http404
    try:
        services.booking_choose(actor=request.user, request=care_request, caregiver=caregiver, by_family=True)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You chose a caregiver. The booking holds once they confirm too."))
    return redirect("care_public:request", municipality_slug=municipality.slug, request_id=care_request.pk)


@require_POST
@login_required
def booking_confirm(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    """The family confirms a caregiver the social worker chose for it."""
    municipality = public_municipality(request)
    booking = family_booking_for(request.user, municipality, booking_id)
    try:
        services.booking_confirm(actor=request.user, booking=booking, side=Side.FAMILY)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You confirmed the booking."))
    return redirect("care_public:request", municipality_slug=municipality.slug, request_id=booking.request_id)


@require_POST
@login_required
def booking_cancel(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = family_booking_for(request.user, municipality, booking_id)
    services.booking_cancel(actor=request.user, booking=booking, side=Side.FAMILY)
    messages.success(request, _("The booking is cancelled. You can choose another caregiver."))
    return redirect("care_public:request", municipality_slug=municipality.slug, request_id=booking.request_id)


@require_POST
@login_required
def booking_rate(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = family_booking_for(request.user, municipality, booking_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rating: choose between 1 and 5 stars."))
    else:
        try:
            services.rating_give(
                actor=request.user,
                booking=booking,
                side=Side.FAMILY,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        else:
            messages.success(request, _("Thank you for your rating."))
    return redirect("care_public:request", municipality_slug=municipality.slug, request_id=booking.request_id)


@require_POST
@login_required
def booking_complain(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = family_booking_for(request.user, municipality, booking_id)
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Complaint: write what happened."))
    else:
        services.complaint_file(actor=request.user, booking=booking, side=Side.FAMILY, text=form.cleaned_data["text"])
        messages.success(request, _("Your complaint was sent to the care coordinator."))
    return redirect("care_public:request", municipality_slug=municipality.slug, request_id=booking.request_id)
