"""The counter: a page for a cheap phone at 390 px — scan the card's QR code or type its number or a name, one
tap records the meal; queued on the phone while offline (carenet/js/offline_queue.js) with a device-made key.

The serve endpoint answers 201 recorded, 200 already recorded under this key (a resend: nothing added),
409 refused by a rule (a second lunch, a card out of its period, revoked, unknown, of another unit, the days
of a capped category used up) with the reason to show, 400 unreadable input naming the field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.http import CareNetRequest

from .. import selectors, services
from ..models import MealKind
from ..permissions import unit_for
from ._common import BadSubmission, field_submission, invalid


@login_required
def counter(request: CareNetRequest, unit_id: str) -> HttpResponse:
    unit = unit_for(request.user, unit_id, action="serve")
    now = timezone.localtime()
    context = {
        "unit": unit,
        "today": now.date(),
        "kind": MealKind.LUNCH if now.hour < 16 else MealKind.DINNER,
        "kinds": MealKind.choices,
        "counts": selectors.counter_today(unit=unit, on=now.date()),
    }
    return render(request, "canteen/counter.html", context)


@login_required
def counter_find(request: CareNetRequest, unit_id: str) -> JsonResponse:
    """Cards of the unit in force today matching a number or a name: what the counter needs, nothing more."""
    unit = unit_for(request.user, unit_id, action="serve")
    rows = selectors.counter_find(unit=unit, query=request.GET.get("q", "")[:60], on=timezone.localdate())
    return JsonResponse(
        {
            "cards": [
                {"card": r.card, "name": r.name, "lunch": r.lunch, "dinner": r.dinner, "served": list(r.served)}
                for r in rows
            ]
        }
    )


@require_POST
@login_required
def counter_serve(request: CareNetRequest, unit_id: str) -> JsonResponse:
    unit = unit_for(request.user, unit_id, action="serve")
    try:
        payload, served_on = field_submission(request)
    except BadSubmission as bad:
        return bad.response()
    try:
        result = services.meal_record(
            actor=request.user,
            unit=unit,
            key=payload.get("key"),
            card_number=str(payload.get("card") or ""),
            kind=str(payload.get("kind") or ""),
            served_on=served_on,
        )
    except services.Refused as refusal:
        return JsonResponse(
            {"status": "refused", "code": refusal.code, "errors": {"card": [refusal.message]}}, status=409
        )
    except ValidationError as exc:
        return invalid(exc)
    counts = selectors.counter_today(unit=unit, on=served_on or timezone.localdate())
    return JsonResponse(
        {
            "status": "recorded" if result.created else "duplicate",
            "name": result.name,
            "card": result.card,
            "kind": result.kind,
            "counts": counts,
            "summary": _("%(l)s lunches, %(d)s dinners") % {"l": counts["lunch"], "d": counts["dinner"]},
        },
        status=201 if result.created else 200,
    )
