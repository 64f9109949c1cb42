"""The public ranked list on the portal: file numbers, scores and their breakdown, the tie-break the grid
states — never a name (Legea 114/1996 and its norms: the list is public)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carenet.core.selectors import municipality_by_slug

from .. import selectors


def ranking(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_by_slug(slug=municipality_slug)
    years = selectors.published_years(municipality=municipality)
    try:
        year = int(request.GET.get("year", "")) if request.GET.get("year") else None
    except ValueError:
        year = None
    if year is not None and year not in years:
        year = None
    ranked_list, rows = selectors.published_list(municipality=municipality, year=year)
    context = {"municipality": municipality, "ranked_list": ranked_list, "rows": rows, "years": years}
    return render(request, "housing/public_ranking.html", context)
