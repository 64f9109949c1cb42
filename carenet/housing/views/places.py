"""Residential places: the residences a user sees with tonight's capacity, a residence's beds and residents,
check-in (keyed by the form's one-time key: a resend records nothing twice), check-out, the waiting list,
and the coordinator's cold nights."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy
from carenet.people.permissions import persons_visible_to
from carenet.people.services import persons_read_record

from .. import selectors, services
from ..forms import CheckInForm, CheckOutForm, ColdNightForm, WaitingForm
from ..permissions import can_declare_cold_night, can_read_residences, can_see_outreach, residence_for, stay_for
from .common import apply_errors, flash_errors, flash_form_errors

NIGHTS_SHOWN = 30


@requires(can_read_residences, platform_admin=False)
def residence_list(request: CareNetRequest) -> HttpResponse:
    today = datetime.date.today()
    residences = list(selectors.residence_list(user=request.user))
    context = {
        "capacity": selectors.live_capacity(residences=residences, on=today),
        "nights_by_year": _nights_by_year(request.municipality, [r.pk for r in residences], today),
        "cold_tonight": selectors.is_cold_night(municipality=request.municipality, on=today),
        "cold_form": ColdNightForm(initial={"night": today}) if can_declare_cold_night(request.user) else None,
    }
    return render(request, "housing/residence_list.html", context)


def _nights_by_year(municipality: Any, residence_ids: list[Any], today: datetime.date) -> list[tuple[int, int]]:
    """Nights of accommodation of this year (to tonight) and of the two years before."""
    return [
        (
            year,
            selectors.nights(
                municipality=municipality,
                start=datetime.date(year, 1, 1),
                end=min(datetime.date(year + 1, 1, 1), today + datetime.timedelta(days=1)),
                residence_ids=residence_ids,
            ),
        )
        for year in (today.year, today.year - 1, today.year - 2)
    ]


@login_required
def residence_detail(request: CareNetRequest, residence_id: str) -> HttpResponse:
    residence = residence_for(request.user, residence_id)
    on = datetime.date.today()
    stays = list(selectors.residence_stays(user=request.user, residence=residence, on=on))
    waiting = list(selectors.residence_waiting(residence=residence))
    persons_read_record(
        actor=request.user,
        person_ids=[s.person_id for s in stays] + [w.person_id for w in waiting],
        what="housing.residence.residents",
    )
    start = on - datetime.timedelta(days=NIGHTS_SHOWN - 1)
    occupancy = selectors.occupancy_per_night(
        municipality=residence.municipality_id,
        start=start,
        end=on + datetime.timedelta(days=1),
        residence_ids=[residence.pk],
    )
    (capacity,) = selectors.live_capacity(residences=[residence], on=on)
    can_change = policy.can(request.user, "change", residence)
    persons = persons_visible_to(request.user).order_by("last_name", "first_name")
    context = {
        "residence": residence,
        "capacity": capacity,
        "stays": stays,
        "waiting": waiting,
        "occupancy": sorted(occupancy.items(), reverse=True),
        "nights_by_year": _nights_by_year(residence.municipality_id, [residence.pk], on),
        "can_change": can_change,
        "check_in_form": CheckInForm(
            beds=selectors.residence_beds(residence=residence), persons=persons, initial={"check_in": on}
        )
        if can_change
        else None,
        "check_out_form": CheckOutForm(initial={"on": on}),
        "waiting_form": WaitingForm(persons=persons) if can_change else None,
    }
    return render(request, "housing/residence_detail.html", context)


@require_POST
@login_required
def residence_check_in(request: CareNetRequest, residence_id: str) -> HttpResponse:
    """The check-in form. Sent as JSON by the phone's offline queue (carenet/js/offline_queue.js) it answers
    201 recorded, 200 already recorded (a resend of the same key), 400 refused with the field named."""
    residence = residence_for(request.user, residence_id, action="change")
    if request.content_type == "application/json":
        return _check_in_json(request, residence)
    form = CheckInForm(
        request.POST,
        beds=selectors.residence_beds(residence=residence),
        persons=persons_visible_to(request.user),
    )
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            result = services.stay_check_in(
                actor=request.user,
                residence=residence,
                bed=form.cleaned_data["bed"],
                person=form.cleaned_data["person"],
                check_in=form.cleaned_data["check_in"],
                check_out=form.cleaned_data["check_out"],
                key=form.cleaned_data["key"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            flash_form_errors(request, form)
        else:
            messages.success(request, _("Check-in recorded.") if result.created else _("Already recorded."))
    return redirect("housing:residence", residence_id=residence.pk)


def _check_in_json(request: CareNetRequest, residence: Any) -> JsonResponse:
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"status": "refused", "errors": {"": [_("The submission is not readable.")]}}, status=400)
    form = CheckInForm(
        payload, beds=selectors.residence_beds(residence=residence), persons=persons_visible_to(request.user)
    )
    if not form.is_valid():
        errors = {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}
        return JsonResponse({"status": "refused", "errors": errors}, status=400)
    try:
        result = services.stay_check_in(
            actor=request.user,
            residence=residence,
            bed=form.cleaned_data["bed"],
            person=form.cleaned_data["person"],
            check_in=form.cleaned_data["check_in"],
            check_out=form.cleaned_data["check_out"],
            key=form.cleaned_data["key"],
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return JsonResponse({"status": "refused", "errors": errors}, status=400)
    (capacity,) = selectors.live_capacity(residences=[residence])
    return JsonResponse(
        {"status": "recorded" if result.created else "duplicate", "occupied": capacity.occupied, "free": capacity.free},
        status=201 if result.created else 200,
    )


@require_POST
@login_required
def stay_check_out(request: CareNetRequest, stay_id: str) -> HttpResponse:
    stay = stay_for(request.user, stay_id, action="change")
    form = CheckOutForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.stay_check_out(actor=request.user, stay=stay, on=form.cleaned_data["on"])
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Check-out recorded."))
    return redirect("housing:residence", residence_id=stay.residence_id)


@require_POST
@login_required
def residence_waiting_add(request: CareNetRequest, residence_id: str) -> HttpResponse:
    residence = residence_for(request.user, residence_id, action="change")
    form = WaitingForm(request.POST, persons=persons_visible_to(request.user))
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.waiting_add(
                actor=request.user,
                residence=residence,
                person=form.cleaned_data["person"],
                on=datetime.date.today(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Added to the waiting list."))
    return redirect("housing:residence", residence_id=residence.pk)


@require_POST
@requires(can_declare_cold_night, platform_admin=False)
def cold_night_declare(request: CareNetRequest) -> HttpResponse:
    form = ColdNightForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.cold_night_declare(actor=request.user, municipality=request.municipality, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Cold night declared: the extra beds are open."))
    return redirect("housing:residences")


@requires(can_see_outreach, platform_admin=False)
def cold_night_outreach(request: CareNetRequest) -> HttpResponse:
    """Tonight's outreach list: the user's clients found homeless with no bed tonight (read audited)."""
    today = datetime.date.today()
    cases = list(selectors.cold_night_outreach(user=request.user, on=today))
    persons_read_record(actor=request.user, person_ids=[c.person_id for c in cases], what="housing.outreach")
    return render(
        request,
        "housing/outreach.html",
        {
            "cases": cases,
            "night": today,
            "cold_tonight": selectors.is_cold_night(municipality=request.municipality, on=today),
        },
    )
