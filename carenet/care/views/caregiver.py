"""The caregiver's portal page: the weekly availability they edit, their bookings (the address and needs
only after both confirmed), confirmation, visits (start/end), rating the family, complaints."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.models import Municipality

from .. import selectors, services
from ..forms import WEEKDAYS, AbsenceForm, ComplaintForm, RatingForm
from ..models import Caregiver, Side, Visit
from ..permissions import caregiver_booking_for
from .common import first_message, public_municipality


def _caregiver(request: HttpRequest, municipality: Municipality) -> Caregiver:
    caregiver = selectors.caregiver_of(user=request.user, municipality=municipality)
    if caregiver is None:
        raise Http404
    return caregiver


def _home(municipality: Municipality) -> HttpResponseBase:
    return redirect("care_public:caregiver", municipality_slug=municipality.slug)


@login_required
def caregiver_home(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    caregiver = _caregiver(request, municipality)
    slots = list(selectors.caregiver_slots(caregiver=caregiver))
    bookings = [selectors.caregiver_booking_view(booking=b) for b in selectors.caregiver_bookings(caregiver=caregiver)]
    open_visits = {
        v.booking_id: v
        for v in Visit.objects.for_tenant(municipality).filter(
            booking__caregiver=caregiver, cover__isnull=True, ended_at__isnull=True
        )
    }
    rows = [{"weekday": d, "label": label, "slots": [s for s in slots if s.weekday == d]} for d, label in WEEKDAYS]
    context = {
        "municipality": municipality,
        "tenant": municipality,
        "caregiver": caregiver,
        "days": rows,
        "bookings": bookings,
        "open_visits": open_visits,
        "new_key": uuid.uuid4(),
        "rating_form": RatingForm(),
        "complaint_form": ComplaintForm(),
        "absence_form": AbsenceForm(),
        "absences": selectors.caregiver_absences(caregiver=caregiver),
        "covers": selectors.substitute_covers(caregiver=caregiver),
    }
    return render(request, "care/public/caregiver.html", context)


def _time(text: str) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_POST
@login_required
def availability_save(request: HttpRequest, municipality_slug: str) -> HttpResponseBase:
    """One start and end per weekday (empty = not available that day)."""
    municipality = public_municipality(request)
    caregiver = _caregiver(request, municipality)
    slots = []
    errors = []
    for day, label in WEEKDAYS:
        start, end = request.POST.get(f"start_{day}", ""), request.POST.get(f"end_{day}", "")
        if not start and not end:
            continue
        s, e = _time(start), _time(end)
        if s is None or e is None:
            errors.append(_("%(day)s: write both times.") % {"day": label})
            continue
        slots.append((day, s, e))
    if errors:
        messages.error(request, " ".join(errors))
        return _home(municipality)
    try:
        services.caregiver_set_slots(caregiver=caregiver, slots=slots, actor=request.user)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("Your availability is saved."))
    return _home(municipality)


@require_POST
@login_required
def booking_confirm(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = caregiver_booking_for(request.user, municipality, booking_id)
    try:
        services.booking_confirm(actor=request.user, booking=booking, side=Side.CAREGIVER)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You confirmed the booking."))
    return _home(municipality)


@require_POST
@login_required
def booking_decline(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = caregiver_booking_for(request.user, municipality, booking_id)
    services.booking_cancel(actor=request.user, booking=booking, side=Side.CAREGIVER)
    messages.success(request, _("You declined the booking."))
    return _home(municipality)


@require_POST
@login_required
def visit_start(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = caregiver_booking_for(request.user, municipality, booking_id)
    try:
        key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        key = None
    try:
        services.visit_start(actor=request.user, booking=booking, client_key=key)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("The visit started."))
    return _home(municipality)


@require_POST
@login_required
def visit_end(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = caregiver_booking_for(request.user, municipality, booking_id)
    # The booking's caregiver ends only their own visits, never a substitute's.
    visit = (
        Visit.objects.for_tenant(municipality)
        .filter(booking=booking, cover__isnull=True, ended_at__isnull=True)
        .first()
    )
    if visit is None:
        messages.error(request, _("No visit is under way."))
        return _home(municipality)
    try:
        services.visit_end(actor=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("The visit ended."))
    return _home(municipality)


@require_POST
@login_required
def booking_rate(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = caregiver_booking_for(request.user, municipality, booking_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rating: choose between 1 and 5 stars."))
    else:
        try:
            services.rating_give(
                actor=request.user,
                booking=booking,
                side=Side.CAREGIVER,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        else:
            messages.success(request, _("Thank you for your rating."))
    return _home(municipality)


@require_POST
@login_required
def booking_complain(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    booking = caregiver_booking_for(request.user, municipality, booking_id)
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Complaint: write what happened."))
    else:
        services.complaint_file(
            actor=request.user, booking=booking, side=Side.CAREGIVER, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Your complaint was sent to the care coordinator."))
    return _home(municipality)
