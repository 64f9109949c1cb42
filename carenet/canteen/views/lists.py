"""The unit's pages: the unit, its monthly nominal lists (generate, send, export), its meal cards (printable
with a QR code, revocable)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_export
from carenet.core.exports import export_table
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy
from carenet.people.services import persons_read_record

from .. import documents, selectors, services
from ..forms import MonthForm, RevokeForm
from ..permissions import card_for, list_for, unit_for


@login_required
def unit_detail(request: CareNetRequest, unit_id: str) -> HttpResponse:
    unit = unit_for(request.user, unit_id)
    context = {
        "unit": unit,
        "lists": selectors.lists(user=request.user).filter(unit=unit)[:24],
        "can_manage": policy.can(request.user, "manage", unit),
        "can_serve": policy.can(request.user, "serve", unit),
        "month_form": MonthForm(initial={"month": timezone.localdate().strftime("%Y-%m")}),
        "today": selectors.counter_today(unit=unit, on=timezone.localdate()),
    }
    return render(request, "canteen/unit_detail.html", context)


@require_POST
@login_required
def list_generate(request: CareNetRequest, unit_id: str) -> HttpResponse:
    unit = unit_for(request.user, unit_id, action="manage")
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the month of the list."))
        return redirect("canteen:unit", unit.pk)
    nominal_list = services.nominal_list_generate(actor=request.user, unit=unit, month=form.cleaned_data["month"])
    messages.success(request, _("Version %(v)s of the list generated.") % {"v": nominal_list.version})
    return redirect("canteen:list", nominal_list.pk)


@login_required
def list_detail(request: CareNetRequest, list_id: str) -> HttpResponse:
    nominal_list = list_for(request.user, list_id)
    entries = list(selectors.list_entries(nominal_list=nominal_list))
    persons_read_record(actor=request.user, person_ids=[e.person_id for e in entries], what="canteen.nominal_list")
    context = {
        "list": nominal_list,
        "entries": entries,
        "can_manage": policy.can(request.user, "manage", nominal_list),
    }
    return render(request, "canteen/list_detail.html", context)


@require_POST
@login_required
def list_send(request: CareNetRequest, list_id: str) -> HttpResponse:
    nominal_list = list_for(request.user, list_id, action="manage")
    try:
        services.nominal_list_send(actor=request.user, nominal_list=nominal_list)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The list was sent to %(unit)s.") % {"unit": nominal_list.unit.name})
    return redirect("canteen:list", nominal_list.pk)


def _list_rows(entries: list) -> list[list]:
    return [
        [
            i,
            e.full_name,
            e.card_number,
            e.category,
            e.first_day,
            e.last_day,
            _("yes") if e.lunch else "",
            _("yes") if e.dinner else "",
            _("yes") if e.home_delivery else "",
            e.contribution,
        ]
        for i, e in enumerate(entries, start=1)
    ]


@login_required
def list_export(request: CareNetRequest, list_id: str, fmt: str) -> HttpResponseBase:
    """The list in the official layout: XLSX (through core.exports) or PDF."""
    nominal_list = list_for(request.user, list_id)
    entries = list(selectors.list_entries(nominal_list=nominal_list))
    header = [
        _("No."),
        pgettext("person", "Name"),
        _("Card"),
        _("Category"),
        _("From"),
        _("Until"),
        _("Lunch"),
        _("Dinner"),
        _("At home"),
        _("Contribution"),
    ]
    filename = f"lista-{nominal_list.unit.code}-{nominal_list.month:%Y-%m}-v{nominal_list.version}"
    if fmt == "xlsx":
        return export_table(
            actor=request.user,
            municipality=nominal_list.municipality_id,
            what="canteen.nominal_list",
            header=header,
            rows=_list_rows(entries),
            fmt="xlsx",
            filename=filename,
            title=_("Nominal list"),
            subject_ids=[e.person_id for e in entries],
        )
    if fmt != "pdf":
        raise Http404
    audit_export(
        actor=request.user,
        municipality=nominal_list.municipality_id,
        what="canteen.nominal_list.pdf",
        rows=len(entries),
        subject_ids=[str(e.person_id) for e in entries],
    )
    html = render_to_string(
        "canteen/print/list.html", {"list": nominal_list, "header": header, "rows": _list_rows(entries)}
    )
    response = HttpResponse(documents.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def cards(request: CareNetRequest, unit_id: str) -> HttpResponse:
    """The unit's active cards, printable (name, number, period, QR code)."""
    unit = unit_for(request.user, unit_id)
    today = timezone.localdate()
    shown = [
        c
        for c in selectors.cards_of_unit(user=request.user, unit=unit)
        if c.decision.valid_to and c.decision.valid_to >= today
    ]
    persons_read_record(actor=request.user, person_ids=[c.person_id for c in shown], what="canteen.cards")
    context = {
        "unit": unit,
        "cards": [(c, documents.qr_svg(c.number) if c.status == "active" else "") for c in shown[:200]],
        "can_manage": policy.can(request.user, "manage", unit),
        "revoke_form": RevokeForm(),
    }
    return render(request, "canteen/cards.html", context)


@require_POST
@login_required
def card_revoke(request: CareNetRequest, card_id: str) -> HttpResponse:
    card = card_for(request.user, card_id, action="manage")
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the card is revoked."))
        return redirect("canteen:cards", card.unit_id)
    try:
        services.card_revoke(actor=request.user, card=card, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Card %(card)s revoked.") % {"card": card.number})
    return redirect("canteen:cards", card.unit_id)
