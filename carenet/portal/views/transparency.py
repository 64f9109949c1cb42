"""Public transparency pages of the municipality's action plans (no sign-in, no personal data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from carenet.core.exports import export_table
from carenet.core.selectors import municipality_by_slug
from carenet.reports import open_data

OPEN_DATA_COLUMNS = ("indicator", "period", "breakdown", "value")


def plan_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_by_slug(slug=municipality_slug)
    return render(
        request,
        "portal/transparency/list.html",
        {"municipality": municipality, "plans": open_data.public_plans(municipality)},
    )


def plan_page(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponse:
    municipality = municipality_by_slug(slug=municipality_slug)
    plan = open_data.public_plan(municipality, code)
    context = {
        "municipality": municipality,
        "plan": plan,
        "objectives": open_data.objective_progress(plan),
        "rows": open_data.indicator_rows(plan)[:200],
    }
    return render(request, "portal/transparency/plan.html", context)


def open_data_csv(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponseBase:
    plan = open_data.public_plan(municipality_by_slug(slug=municipality_slug), code)
    rows = [[row[column] for column in OPEN_DATA_COLUMNS] for row in open_data.indicator_rows(plan)]
    # Not audited: these are the plan's aggregated indicator values with every count under 5 suppressed
    # ("<5"), published to anyone without sign-in, so no person's data leaves; an audit event per anonymous
    # download would only fill the log. Cells are still written formula-safe.
    return export_table(
        actor=request.user,
        municipality=plan.municipality_id,
        what="portal.open_data",
        header=OPEN_DATA_COLUMNS,
        rows=rows,
        fmt="csv",
        filename=plan.code,
        audited=False,
    )


def open_data_json(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponse:
    plan = open_data.public_plan(municipality_by_slug(slug=municipality_slug), code)
    payload = {
        "plan": {"code": plan.code, "title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year},
        "objectives": open_data.objective_progress(plan),
        "values": open_data.indicator_rows(plan),
        "suppression": f"counts between 1 and {open_data.SMALL_CELL - 1} are shown as '{open_data.SUPPRESSED}'",
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
