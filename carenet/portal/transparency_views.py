"""Public transparency pages of the municipality's action plans (no sign-in, no personal data)."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from carenet.analytics import open_data
from carenet.core.selectors import municipality_by_slug


def plan_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_by_slug(municipality_slug)
    return render(request, "portal/transparency_list.html", {"municipality": municipality, "plans": open_data.public_plans(municipality)})


def plan_page(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponse:
    municipality = municipality_by_slug(municipality_slug)
    plan = open_data.public_plan(municipality, code)
    context = {
        "municipality": municipality,
        "plan": plan,
        "objectives": open_data.objective_progress(plan),
        "rows": open_data.indicator_rows(plan)[:200],
    }
    return render(request, "portal/transparency_plan.html", context)


def open_data_csv(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponse:
    plan = open_data.public_plan(municipality_by_slug(municipality_slug), code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}.csv"'
    writer = csv.DictWriter(response, fieldnames=["indicator", "period", "breakdown", "value"])
    writer.writeheader()
    writer.writerows(open_data.indicator_rows(plan))
    return response


def open_data_json(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponse:
    plan = open_data.public_plan(municipality_by_slug(municipality_slug), code)
    payload = {
        "plan": {"code": plan.code, "title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year},
        "objectives": open_data.objective_progress(plan),
        "values": open_data.indicator_rows(plan),
        "suppression": f"counts between 1 and {open_data.SMALL_CELL - 1} are shown as '{open_data.SUPPRESSED}'",
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})

