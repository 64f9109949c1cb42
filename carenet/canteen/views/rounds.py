"""Home-delivery rounds: the unit sets up its rounds (who, in route order, which driver); the driver opens the
day's sheet on a phone and marks each person delivered or absent, queued on the phone while offline
(carenet/js/offline_queue.js) with a device-made key; the sheet prints for a driver without a phone.

The mark endpoint answers 201 recorded, 200 already recorded under this key (a resend: nothing added), 409
refused by a rule (not on the round, out of the decision's period, a meal not granted, already served) with
the reason to show, 400 unreadable input naming the field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_export
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy
from carenet.people.services import persons_read_record

from .. import documents, selectors, services
from ..forms import RoundForm, StopAddForm
from ..models import CanteenUnit, Decision, MealKind
from ..permissions import round_for, stop_for, unit_for
from ._common import BadSubmission, apply_errors, field_submission, invalid


def _kind(request: CareNetRequest) -> str:
    chosen = request.GET.get("kind", "")
    if chosen in MealKind.values:
        return chosen
    return MealKind.LUNCH if timezone.localtime().hour < 16 else MealKind.DINNER


@login_required
def rounds(request: CareNetRequest, unit_id: str) -> HttpResponse:
    """The unit's rounds, and a new one (the unit's manager, the office's manager, the coordinator)."""
    unit = unit_for(request.user, unit_id)
    can_plan = policy.can(request.user, "plan_rounds", unit)
    form = RoundForm(request.POST or None, drivers=selectors.drivers_of_unit(unit=unit))
    if request.method == "POST":
        unit = unit_for(request.user, unit_id, action="plan_rounds")
        if form.is_valid():
            try:
                created = services.delivery_round_save(
                    actor=request.user,
                    unit=unit,
                    name=form.cleaned_data["name"],
                    driver=form.cleaned_data["driver"],
                    is_active=True,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Round %(name)s created.") % {"name": created.name})
                return redirect("canteen:round", created.pk)
    context = {
        "unit": unit,
        "rounds": selectors.delivery_rounds(unit=unit),
        "unassigned": selectors.unassigned_home_deliveries(unit=unit, on=timezone.localdate()).count(),
        "can_plan": can_plan,
        "can_serve": policy.can(request.user, "serve", unit),
        "form": form,
    }
    return render(request, "canteen/rounds.html", context, status=400 if form.errors else 200)


def _decisions_to_add(unit: CanteenUnit) -> QuerySet[Decision]:
    """The unit's persons delivered at home whom no round carries (the unit sees these names on its list)."""
    return selectors.unassigned_home_deliveries(unit=unit, on=timezone.localdate())


@login_required
def round_detail(request: CareNetRequest, round_id: str) -> HttpResponse:
    """The round in route order, with the addresses: reordered, added to and renamed by who plans it."""
    delivery_round = round_for(request.user, round_id)
    unit = delivery_round.unit
    can_plan = policy.can(request.user, "plan", delivery_round)
    stops = list(selectors.round_stops(delivery_round=delivery_round))
    persons_read_record(actor=request.user, person_ids=[s.person_id for s in stops], what="canteen.round")
    edit_form = RoundForm(
        request.POST or None,
        drivers=selectors.drivers_of_unit(unit=unit),
        initial={"name": delivery_round.name, "driver": delivery_round.driver, "is_active": delivery_round.is_active},
    )
    if request.method == "POST":
        delivery_round = round_for(request.user, round_id, action="plan")
        if edit_form.is_valid():
            try:
                services.delivery_round_save(
                    actor=request.user,
                    unit=unit,
                    name=edit_form.cleaned_data["name"],
                    driver=edit_form.cleaned_data["driver"],
                    is_active=edit_form.cleaned_data["is_active"],
                    delivery_round=delivery_round,
                )
            except ValidationError as exc:
                apply_errors(edit_form, exc)
            else:
                messages.success(request, _("The round was saved."))
                return redirect("canteen:round", delivery_round.pk)
    add_form = StopAddForm(decisions=_decisions_to_add(unit)) if can_plan else None
    context = {
        "round": delivery_round,
        "unit": unit,
        "stops": stops,
        "can_plan": can_plan,
        "can_deliver": policy.can(request.user, "deliver", delivery_round),
        "edit_form": edit_form,
        "add_form": add_form,
    }
    return render(request, "canteen/round_detail.html", context, status=400 if edit_form.errors else 200)


@require_POST
@login_required
def round_stop_add(request: CareNetRequest, round_id: str) -> HttpResponse:
    delivery_round = round_for(request.user, round_id, action="plan")
    form = StopAddForm(request.POST, decisions=_decisions_to_add(delivery_round.unit))
    if not form.is_valid():
        messages.error(request, _("Choose a person delivered at home whom no round carries yet."))
        return redirect("canteen:round", delivery_round.pk)
    try:
        services.round_stop_add(
            actor=request.user,
            delivery_round=delivery_round,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Added at the end of the round."))
    return redirect("canteen:round", delivery_round.pk)


@require_POST
@login_required
def round_stop_move(request: CareNetRequest, stop_id: str) -> HttpResponse:
    stop = stop_for(request.user, stop_id)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, _("Move one place up or down."))
    else:
        services.round_stop_move(actor=request.user, stop=stop, step=step)
    return redirect("canteen:round", stop.delivery_round_id)


@require_POST
@login_required
def round_stop_remove(request: CareNetRequest, stop_id: str) -> HttpResponse:
    stop = stop_for(request.user, stop_id)
    services.round_stop_remove(actor=request.user, stop=stop)
    messages.success(request, _("Taken off the round."))
    return redirect("canteen:round", stop.delivery_round_id)


@login_required
def round_sheet(request: CareNetRequest, round_id: str) -> HttpResponse:
    """The driver's page for a phone: today's persons in route order, one tap for delivered or absent."""
    delivery_round = round_for(request.user, round_id, action="deliver")
    today = timezone.localdate()
    kind = _kind(request)
    rows = selectors.round_sheet(delivery_round=delivery_round, on=today, kind=kind)
    persons_read_record(actor=request.user, person_ids=[r.person_id for r in rows], what="canteen.round_sheet")
    context = {
        "round": delivery_round,
        "unit": delivery_round.unit,
        "today": today,
        "kind": kind,
        "kinds": MealKind.choices,
        "rows": rows,
        "counts": selectors.sheet_counts(rows=rows),
    }
    return render(request, "canteen/round_sheet.html", context)


@require_POST
@login_required
def round_mark(request: CareNetRequest, round_id: str) -> JsonResponse:
    delivery_round = round_for(request.user, round_id, action="deliver")
    try:
        payload, day = field_submission(request)
    except BadSubmission as bad:
        return bad.response()
    try:
        result = services.delivery_record(
            actor=request.user,
            delivery_round=delivery_round,
            key=payload.get("key"),
            stop_id=str(payload.get("stop") or ""),
            outcome=str(payload.get("outcome") or ""),
            kind=str(payload.get("kind") or ""),
            day=day,
        )
    except services.Refused as refusal:
        return JsonResponse(
            {
                "status": "refused",
                "code": refusal.code,
                "stop": payload.get("stop"),
                "errors": {"stop": [refusal.message]},
            },
            status=409,
        )
    except ValidationError as exc:
        return invalid(exc)
    return JsonResponse(
        {
            "status": "recorded" if result.created else "duplicate",
            "name": result.name,
            "outcome": result.outcome,
            "stop": payload.get("stop"),
        },
        status=201 if result.created else 200,
    )


@login_required
def round_sheet_pdf(request: CareNetRequest, round_id: str) -> HttpResponse:
    """The day's sheet on paper, in route order, with a column to sign on delivery."""
    delivery_round = round_for(request.user, round_id, action="deliver")
    today = timezone.localdate()
    kind = _kind(request)
    rows = selectors.round_sheet(delivery_round=delivery_round, on=today, kind=kind)
    audit_export(
        actor=request.user,
        municipality=delivery_round.municipality_id,
        what="canteen.round_sheet.pdf",
        rows=len(rows),
        subject_ids=[str(r.person_id) for r in rows],
    )
    header = [_("No."), pgettext("person", "Name"), _("Address"), _("Card"), _("Note"), _("Signature")]
    html = render_to_string(
        "canteen/print/round_sheet.html",
        {"round": delivery_round, "day": today, "kind": MealKind(kind).label, "header": header, "rows": rows},
    )
    response = HttpResponse(documents.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="runda-{today:%Y-%m-%d}-{kind}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
