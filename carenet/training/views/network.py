"""The network's pages: a company's contribution (and whether it is published), the lent rooms and their
free-places balance, and the training figures (KPIs 7 and 8, the dropout rate) with their export."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.http import CareNetRequest

from .. import selectors, services
from ..forms import RoomForm, RoomOfferForm, TrainingRulesForm
from ..permissions import (
    can_change_training_rules,
    can_post_courses,
    can_read_figures,
    can_use_training,
    is_company_user,
    lending_organisation_ids,
)
from .common import apply_errors


def _room_forms(request: CareNetRequest, data: Any = None, which: str = "") -> tuple[RoomForm, RoomOfferForm]:
    orgs = lending_organisation_ids(request.user)
    owners = selectors.lending_owners(municipality=request.municipality, organisation_ids=orgs)
    rooms = selectors.lendable_rooms(municipality=request.municipality, organisation_ids=orgs)
    room_form = RoomForm(data if which == "room" else None, owners=owners, prefix="room")
    offer_form = RoomOfferForm(
        data if which == "offer" else None,
        rooms=rooms,
        trainers=selectors.commercial_trainers(municipality=request.municipality),
        prefix="offer",
        initial={"valid_from": timezone.localdate()},
    )
    return room_form, offer_form


@requires(is_company_user, platform_admin=False)
def company_page(request: CareNetRequest) -> HttpResponse:
    companies = selectors.company_rows(user=request.user, municipality=request.municipality)
    return render(request, "training/company.html", {"companies": companies})


@require_POST
@requires(is_company_user, platform_admin=False)
def company_publish(request: CareNetRequest) -> HttpResponse:
    organisation = selectors.own_company(
        user=request.user, municipality=request.municipality, pk=request.POST.get("organisation")
    )
    services.company_publish_set(
        actor=request.user, organisation=organisation, publish=request.POST.get("publish") == "1"
    )
    messages.success(request, _("Saved."))
    return redirect("training:company")


def _require_lender(room_form: RoomForm) -> None:
    """Only the staff of a public institution (and the coordinator) have rooms to register and lend."""
    if not room_form.fields["owner"].queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied


@requires(can_use_training, platform_admin=False)
def room_list(request: CareNetRequest) -> HttpResponse:
    """The lent rooms with their free-places balance; the staff of a public institution register its rooms and
    lend them to commercial trainers."""
    room_form, offer_form = _room_forms(request)
    return _rooms_page(request, room_form, offer_form)


def _rooms_page(
    request: CareNetRequest, room_form: RoomForm, offer_form: RoomOfferForm, status: int = 200
) -> HttpResponse:
    can_lend = can_post_courses(request.user) and room_form.fields["owner"].queryset.exists()  # type: ignore[attr-defined]
    context = {
        "offers": selectors.room_offers(municipality=request.municipality),
        "can_post": can_post_courses(request.user),
        "can_lend": can_lend,
        "room_form": room_form,
        "offer_form": offer_form,
        "has_rooms": offer_form.fields["room"].queryset.exists(),  # type: ignore[attr-defined]
    }
    return render(request, "training/rooms.html", context, status=status)


@require_POST
@requires(can_post_courses, platform_admin=False)
def room_create(request: CareNetRequest) -> HttpResponse:
    room_form, offer_form = _room_forms(request, request.POST, "room")
    _require_lender(room_form)
    if room_form.is_valid():
        data = room_form.cleaned_data
        try:
            room = services.room_create(
                actor=request.user,
                owner=data["owner"],
                name=data["name"],
                address=data["address"],
                capacity=data["capacity"],
                step_free=data["step_free"],
            )
        except ValidationError as exc:
            apply_errors(room_form, exc)
        else:
            messages.success(request, _("Room %(name)s registered.") % {"name": room.name})
            return redirect("training:rooms")
    return _rooms_page(request, room_form, offer_form, status=400)


@require_POST
@requires(can_post_courses, platform_admin=False)
def room_lend(request: CareNetRequest) -> HttpResponse:
    room_form, offer_form = _room_forms(request, request.POST, "offer")
    _require_lender(room_form)
    if offer_form.is_valid():
        data = offer_form.cleaned_data
        try:
            services.room_offer_create(
                actor=request.user,
                room=data["room"],
                trainer=data["trainer"],
                free_places_owed=data["free_places_owed"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except ValidationError as exc:
            apply_errors(offer_form, exc)
        else:
            messages.success(request, _("The room is lent; the free places owed are tracked below."))
            return redirect("training:rooms")
    return _rooms_page(request, room_form, offer_form, status=400)


@requires(can_use_training, platform_admin=False)
def rules(request: CareNetRequest) -> HttpResponse:
    """The municipality's completion and dropout rules, version by version; the coordinator adds a version."""
    can_change = can_change_training_rules(request.user)
    current = selectors.rules_in_force(municipality=request.municipality, on=timezone.localdate())
    initial: dict[str, Any] = {"valid_from": timezone.localdate()}
    if current is not None:
        initial.update(
            min_attendance_percent=current.min_attendance_percent,
            dropout_after_absences=current.dropout_after_absences,
            legal_basis=current.legal_basis,
        )
    form = TrainingRulesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.training_rules_set(actor=request.user, municipality=request.municipality, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The new rules are saved."))
                return redirect("training:rules")
    context = {
        "history": selectors.rules_history(municipality=request.municipality),
        "current": current,
        "can_change": can_change,
        "form": form,
    }
    return render(request, "training/rules.html", context, status=400 if form.errors else 200)


def _year(request: CareNetRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = datetime.date.today().year
    return year if 2000 <= year <= 2100 else datetime.date.today().year


@requires(can_read_figures, platform_admin=False)
def figures(request: CareNetRequest) -> HttpResponseBase:
    year = _year(request)
    m, date_from, date_to = request.municipality, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    # KPIs 7 and 8 as the KPI page and the plans read them (courses and the register's other programmes).
    programmes = selectors.vocational_programmes(municipality=m, date_from=date_from, date_to=date_to)
    completion = selectors.vocational_completion(municipality=m, date_from=date_from, date_to=date_to)
    dropout = selectors.training_dropout_rate(municipality=m, date_from=date_from, date_to=date_to)
    rows = [
        (_("KPI 7: training programmes for vulnerable groups"), programmes, "", ""),
        (_("KPI 8: completion rate (%)"), completion.percent, completion.numerator, completion.denominator),
        (_("Dropout rate (%)"), dropout.percent, dropout.numerator, dropout.denominator),
    ]
    fmt = request.GET.get("format")
    if fmt:
        return export_table(
            actor=request.user,
            municipality=request.municipality,
            what="training.figures",
            header=[_("Figure"), _("Value"), _("Numerator"), _("Denominator")],
            rows=rows,
            fmt=fmt,
            filename=f"training-{year}",
            title=_("Training"),
        )
    return render(request, "training/figures.html", {"rows": rows, "year": year})
