"""The monthly statement of a unit (meals per person, days entitled and served, contributions) and the
reports: meals by category and unit, the capped category's days per person."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carenet.audit.services import audit_export
from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.http import CareNetRequest
from carenet.people.services import persons_read_record

from .. import documents, selectors
from ..permissions import can_read_reports, unit_for
from ._common import month_of, year_of


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
