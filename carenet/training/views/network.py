"""The network's pages: a company's contribution (and whether it is published), the lent rooms and their
free-places balance, and the training figures (KPIs 7 and 8, the dropout rate) with their export."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.http import CareNetRequest

from .. import selectors, services
from ..permissions import can_post_courses, can_read_figures, can_use_training, is_company_user


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


@requires(can_use_training, platform_admin=False)
def room_list(request: CareNetRequest) -> HttpResponse:
    context = {
        "offers": selectors.room_offers(municipality=request.municipality),
        "can_post": can_post_courses(request.user),
    }
    return render(request, "training/rooms.html", context)


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
