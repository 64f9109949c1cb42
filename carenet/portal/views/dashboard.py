"""The public (council) dashboard of a municipality: aggregates only, every cell under 5 persons suppressed.

It takes one filter, the year; no finer filter is accepted, so small groups cannot be cut out of it.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from carenet.core.selectors import municipality_by_slug
from carenet.dashboards.exports import public_table_response as table_response
from carenet.dashboards.kpis import KpiFilters
from carenet.dashboards.selectors import chart_table, public_dashboard


def _year(request: HttpRequest) -> int:
    this_year = dt.date.today().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year else this_year


def _board(request: HttpRequest, municipality_slug: str):
    municipality = municipality_by_slug(slug=municipality_slug)
    year = _year(request)
    f = KpiFilters(municipality=municipality, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return municipality, year, public_dashboard(f)


def public_dashboard_page(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality, year, board = _board(request, municipality_slug)
    years = list(range(dt.date.today().year, dt.date.today().year - 6, -1))
    return render(
        request,
        "portal/dashboard/dashboard.html",
        {"municipality": municipality, "year": year, "years": years, "board": board, "query": f"year={year}"},
    )


def public_dashboard_csv(request: HttpRequest, municipality_slug: str, key: str) -> HttpResponseBase:
    _m, year, board = _board(request, municipality_slug)
    chart = board.chart(key)
    if chart is None:
        raise Http404
    header, rows = chart_table(chart)
    return table_response(header, rows, fmt="csv", filename=f"{municipality_slug}-{key}-{year}", title=str(chart.title))
