"""A missed or cancelled visit and its cover: the coordinator's list of visits needing cover, one visit's
substitutes with their reasons (staff and the family), the caregiver's "I cannot come on …", the
substitute's answer (the address shows only after they confirm) and the covered visit the substitute records."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read
from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy

from .. import selectors, services
from ..forms import AbsenceForm
from ..models import Caregiver, Cover, CoverStatus, Visit
from ..permissions import (
    can_coordinate_care,
    caregiver_booking_for,
    cover_for,
    family_cover_for,
    substitute_cover_for,
)
from .common import first_message, public_municipality


def _caregiver(caregiver_id: str, municipality_id: object) -> Caregiver:
    """A caregiver of the cover's municipality; the service checks it is among those proposed."""
    caregiver = Caregiver.objects.for_tenant(municipality_id).filter(pk=caregiver_id).first()
    if caregiver is None:
        raise Http404
    return caregiver


def _substitutes(cover: Cover) -> list[selectors.Proposed]:
    open_ = cover.status == CoverStatus.NEEDED and cover.date >= timezone.localdate()
    return selectors.substitutes(cover=cover) if open_ else []


# --- staff ----------------------------------------------------------------------------------------------------


@requires(can_coordinate_care, platform_admin=False)
def cover_list(request: CareNetRequest) -> HttpResponse:
    """Today's and the next days' visits needing cover; today's missed visits are marked first (the
    scheduler does it every quarter hour too), so a visit missed a minute ago is already here."""
    services.visits_mark_missed(municipality=request.municipality)
    return render(request, "care/cover_list.html", {"covers": selectors.covers_needed(user=request.user)[:300]})


@requires(can_coordinate_care, platform_admin=False)
def cover_detail(request: CareNetRequest, cover_id: str) -> HttpResponse:
    cover = cover_for(request.user, cover_id)
    audit_read(actor=request.user, obj=cover.booking.request, purpose="care.matching")
    context = {
        "cover": cover,
        "care_request": cover.booking.request,
        "visit": selectors.cover_visit(cover=cover),
        "proposals": _substitutes(cover),
        "can_change": policy.can(request.user, "change", cover),
    }
    return render(request, "care/cover_detail.html", context)


@require_POST
@requires(can_coordinate_care, platform_admin=False)
def cover_choose(request: CareNetRequest, cover_id: str, caregiver_id: str) -> HttpResponseBase:
    cover = cover_for(request.user, cover_id, action="change")
    caregiver = _caregiver(caregiver_id, cover.municipality_id)
    try:
        services.cover_choose(actor=request.user, cover=cover, caregiver=caregiver)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(
            request, _("The substitute is asked; the family is told. The visit is covered once they confirm.")
        )
    return redirect("care:cover", cover_id=cover.pk)


# --- the family -----------------------------------------------------------------------------------------------


@login_required
def family_cover(request: HttpRequest, municipality_slug: str, cover_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    cover = family_cover_for(request.user, municipality, cover_id)
    context = {
        "municipality": municipality,
        "tenant": municipality,
        "cover": cover,
        "care_request": cover.booking.request,
        "visit": selectors.cover_visit(cover=cover),
        "proposals": _substitutes(cover),
    }
    return render(request, "care/public/cover_page.html", context)


@require_POST
@login_required
def family_cover_pick(
    request: HttpRequest, municipality_slug: str, cover_id: str, caregiver_id: str
) -> HttpResponseBase:
    municipality = public_municipality(request)
    cover = family_cover_for(request.user, municipality, cover_id)
    caregiver = _caregiver(caregiver_id, municipality.pk)
    try:
        services.cover_choose(actor=request.user, cover=cover, caregiver=caregiver)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You chose a substitute. The visit is covered once they confirm."))
    return redirect("care_public:family_cover", municipality_slug=municipality.slug, cover_id=cover.pk)


# --- the caregiver --------------------------------------------------------------------------------------------


def _home(municipality_slug: str) -> HttpResponseBase:
    return redirect("care_public:caregiver", municipality_slug=municipality_slug)


@require_POST
@login_required
def caregiver_absent(request: HttpRequest, municipality_slug: str, booking_id: str) -> HttpResponseBase:
    """The caregiver cannot come on a date: that visit needs cover at once."""
    municipality = public_municipality(request)
    booking = caregiver_booking_for(request.user, municipality, booking_id)
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        field = "date" if "date" in form.errors else "note"
        label = form.fields[field].label
        messages.error(request, f"{label}: {' '.join(str(e) for e in form.errors[field])}")
        return _home(municipality.slug)
    try:
        services.cover_report_absence(
            actor=request.user, booking=booking, on=form.cleaned_data["date"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("Thank you for telling us. The coordinator looks for a substitute for that visit."))
    return _home(municipality.slug)


@require_POST
@login_required
def cover_confirm(request: HttpRequest, municipality_slug: str, cover_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    cover = substitute_cover_for(request.user, municipality, cover_id)
    try:
        services.cover_confirm(actor=request.user, cover=cover)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You will cover this visit. The address and the needs are now shown."))
    return _home(municipality.slug)


@require_POST
@login_required
def cover_decline(request: HttpRequest, municipality_slug: str, cover_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    cover = substitute_cover_for(request.user, municipality, cover_id)
    try:
        services.cover_decline(actor=request.user, cover=cover)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You declined this visit. The coordinator asks someone else."))
    return _home(municipality.slug)


def _client_key(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        return None


@require_POST
@login_required
def cover_visit_start(request: HttpRequest, municipality_slug: str, cover_id: str) -> HttpResponseBase:
    """The substitute starts the covered visit (a resent key returns the first row, as for the booking's own)."""
    municipality = public_municipality(request)
    cover = substitute_cover_for(request.user, municipality, cover_id)
    try:
        services.cover_visit_start(actor=request.user, cover=cover, client_key=_client_key(request))
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("The visit started."))
    return _home(municipality.slug)


@require_POST
@login_required
def cover_visit_end(request: HttpRequest, municipality_slug: str, cover_id: str) -> HttpResponseBase:
    municipality = public_municipality(request)
    cover = substitute_cover_for(request.user, municipality, cover_id)
    visit = Visit.objects.for_tenant(municipality).filter(cover=cover, ended_at__isnull=True).first()
    if visit is None:
        messages.error(request, _("No visit is under way."))
        return _home(municipality.slug)
    try:
        services.visit_end(actor=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("The visit ended."))
    return _home(municipality.slug)
