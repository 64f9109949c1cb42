"""The monthly statement of a unit (meals per person, days entitled and served, contributions) and the
reports: meals by category and unit, the capped category's days per person."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carenet.audit.services import audit_export
from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy
from carenet.people.services import persons_read_record

from .. import documents, forms, selectors, services
from ..permissions import can_read_reports, decision_for_payment, unit_for
from ._common import apply_errors, month_of, year_of


@login_required
def statement(request: CareNetRequest, unit_id: str) -> HttpResponseBase:
    unit = unit_for(request.user, unit_id)
    month = month_of(request.GET.get("month"))
    result = selectors.monthly_statement(unit=unit, month=month)
    ids = [r.person_id for r in result.rows]
    fmt = request.GET.get("format")
    header = [
        pgettext("person", "Name"),
        _("Card"),
        _("Category"),
        _("Lunches"),
        _("Dinners"),
        _("Meals"),
        _("Days entitled"),
        _("Days served"),
        _("Contribution due"),
    ]
    rows = [
        [r.name, r.card, r.category, r.lunches, r.dinners, r.meals, r.days_entitled, r.days_served, r.contribution]
        for r in result.rows
    ]
    filename = f"situatie-{unit.code}-{month:%Y-%m}"
    if fmt == "xlsx":
        return export_table(
            actor=request.user,
            municipality=unit.municipality_id,
            what="canteen.statement",
            header=header,
            rows=rows,
            fmt="xlsx",
            filename=filename,
            title=_("Monthly statement"),
            subject_ids=ids,
        )
    if fmt == "pdf":
        audit_export(
            actor=request.user,
            municipality=unit.municipality_id,
            what="canteen.statement.pdf",
            rows=len(rows),
            subject_ids=[str(i) for i in ids],
        )
        html = render_to_string("canteen/print/statement.html", {"statement": result, "header": header, "rows": rows})
        response = HttpResponse(documents.html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    if fmt:
        raise Http404
    persons_read_record(actor=request.user, person_ids=ids, what="canteen.statement")
    return render(request, "canteen/statement.html", {"statement": result, "unit": unit, "month": month})


@requires(can_read_reports, platform_admin=False)
def reports(request: CareNetRequest) -> HttpResponse:
    year = year_of(request.GET.get("year"))
    municipality = request.municipality
    units = {str(u.pk): u for u in selectors.units(user=request.user)}
    counts = selectors.meal_counts(
        municipality=municipality, first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 31)
    )
    categories = sorted({cat for (_u, cat) in counts})
    table = []
    for unit_id, unit in units.items():
        row = [counts.get((unit_id, cat), 0) for cat in categories]
        table.append((unit, row, sum(row)))
    caps = selectors.cap_counts(user=request.user, year=year)
    context = {
        "year": year,
        "categories": categories,
        "table": table,
        "totals": [sum(r[1][i] for r in table) for i in range(len(categories))],
        "total": sum(r[2] for r in table),
        "caps": caps,
        "persons": selectors.persons_served(
            municipality=municipality, first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 31)
        )
        if request.user.is_authenticated
        else 0,
    }
    return render(request, "canteen/reports.html", context)


@login_required
def contributions(request: CareNetRequest, unit_id: str) -> HttpResponseBase:
    """The year's contributions of the unit's persons: due month by month, paid, arrears first."""
    unit = unit_for(request.user, unit_id)
    year = year_of(request.GET.get("year"))
    today = timezone.localdate()
    accounts = selectors.contribution_accounts(
        unit=unit, first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 1), today=today
    )
    persons_read_record(
        actor=request.user, person_ids=[a.decision.person_id for a in accounts], what="canteen.contributions"
    )
    return render(
        request,
        "canteen/contributions.html",
        {
            "unit": unit,
            "year": year,
            "accounts": accounts,
            "arrears": sum((a.arrears for a in accounts), Decimal(0)),
            "can_record": policy.can(request.user, "serve", unit),
        },
    )


@login_required
def contribution_pay(request: CareNetRequest, decision_id: str) -> HttpResponseBase:
    decision = decision_for_payment(request.user, decision_id)
    today = timezone.localdate()
    form = forms.PaymentForm(request.POST or None, initial={"month": today.replace(day=1), "paid_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_payment_record(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect(
                f"{reverse('canteen:contributions', args=[decision.unit_id])}?year={form.cleaned_data['month']:%Y}"
            )
    persons_read_record(actor=request.user, person_ids=[decision.person_id], what="canteen.contribution.pay")
    return render(
        request,
        "canteen/contribution_pay.html",
        {
            "form": form,
            "decision": decision,
            "unit": decision.unit,
            "cap": selectors.monthly_contribution_cap(decision=decision),
        },
    )
