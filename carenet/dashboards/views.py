"""Staff dashboards: the coordinator's (whole network), the provider manager's (own organisations), KPIs,
population denominators, social trends and maps. Thin: who sees what comes from ``permissions``, the
figures from ``selectors``, every table download from ``carenet.core.exports.export_table``."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carenet.audit.services import audit_export
from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.http import CareNetRequest

from .forms import DashboardFilterForm, OutsideValueForm
from .kpis import KpiFilters
from .permissions import can_enter_outside_values, dashboard_organisations_for, default_scope_for, sees_a_dashboard
from .selectors import (
    MAPS,
    build_dashboard,
    cache_seconds,
    chart_table,
    dashboard_chart,
    kpi_plan_indicators,
    kpi_rows,
    kpi_table,
    map_data,
    outside_value_label,
    outside_values,
    population_figures,
)
from .services import outside_value_set
from .trends import social_trends


def _filters(request: CareNetRequest, scope: str) -> tuple[DashboardFilterForm, KpiFilters]:
    organisations = dashboard_organisations_for(request.user, scope)
    assert request.municipality is not None  # a user who sees a dashboard belongs to a municipality
    form = DashboardFilterForm(request.GET or None, municipality=request.municipality, organisations=organisations)
    return form, form.to_filters()


def _context(request: CareNetRequest, scope: str, form: DashboardFilterForm, **extra: Any) -> dict[str, Any]:
    return {
        "scope": scope,
        "form": form,
        "query": request.GET.urlencode(),
        "is_network": scope == "network",
        "can_enter": can_enter_outside_values(request.user),
        **extra,
    }


@requires(sees_a_dashboard, platform_admin=False)
def home(request: CareNetRequest) -> HttpResponse:
    return redirect("dashboards:dashboard", scope=default_scope_for(request.user))


@requires(sees_a_dashboard, platform_admin=False)
def dashboard(request: CareNetRequest, scope: str) -> HttpResponse:
    form, f = _filters(request, scope)
    board = build_dashboard(f, by_provider=True)
    context = _context(request, scope, form, board=board, filters=f, cache_minutes=max(cache_seconds() // 60, 1))
    return render(request, "dashboards/dashboard.html", context)


@requires(sees_a_dashboard, platform_admin=False)
def export_chart(request: CareNetRequest, scope: str, key: str, fmt: str) -> HttpResponseBase:
    _form, f = _filters(request, scope)
    chart = dashboard_chart(f, key)
    header, rows = chart_table(chart)
    return export_table(
        actor=request.user,
        municipality=f.municipality,
        what=f"dashboard.{scope}.{key}",
        header=header,
        rows=rows,
        fmt=fmt,
        filename=f"{scope}-{key}-{f.start}-{f.end}",
        title=str(chart.title),
        purpose=request.GET.urlencode()[:200],
    )


@requires(sees_a_dashboard, platform_admin=False)
def kpi_list(request: CareNetRequest, scope: str) -> HttpResponse:
    form, f = _filters(request, scope)
    plan, plan_rows = kpi_plan_indicators(f)
    context = _context(
        request,
        scope,
        form,
        rows=kpi_rows(f),
        campaign_rows=kpi_rows(f, group="campaigns"),
        filters=f,
        previous=f.previous(),
        plan=plan,
        plan_rows=plan_rows,
    )
    return render(request, "dashboards/kpis.html", context)


@requires(sees_a_dashboard, platform_admin=False)
def kpi_export(request: CareNetRequest, scope: str, fmt: str) -> HttpResponseBase:
    _form, f = _filters(request, scope)
    header, rows = kpi_table(f)
    return export_table(
        actor=request.user,
        municipality=f.municipality,
        what=f"dashboard.{scope}.kpis",
        header=header,
        rows=rows,
        fmt=fmt,
        filename=f"kpi-{f.start}-{f.end}",
        title="KPI",
    )


@requires(can_enter_outside_values, platform_admin=False)
def outside_value(request: CareNetRequest, key: str) -> HttpResponse:
    assert request.municipality is not None  # who may enter a figure belongs to a municipality
    label = outside_value_label(key)  # 404 for a key that is no outside figure
    form = OutsideValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outside_value_set(municipality=request.municipality, key=key, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("The value is saved."))
            return redirect("dashboards:outside_value", key=key)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "dashboards/outside_value.html",
        {"form": form, "key": key, "label": label, "values": outside_values(user=request.user, key=key)},
        status=status,
    )


@requires(sees_a_dashboard, platform_admin=False)
def population(request: CareNetRequest) -> HttpResponse:
    scope = default_scope_for(request.user)
    form, f = _filters(request, scope)
    return render(
        request, "dashboards/population.html", _context(request, scope, form, filters=f, **population_figures(f))
    )


@requires(sees_a_dashboard, platform_admin=False)
def trends(request: CareNetRequest) -> HttpResponse:
    scope = default_scope_for(request.user)
    assert request.municipality is not None
    return render(
        request,
        "dashboards/trends.html",
        {
            "series": social_trends(request.municipality),
            "can_enter": can_enter_outside_values(request.user),
            "scope": scope,
        },
    )


# --- maps -----------------------------------------------------------------------------------------------


def _beyond_km(request: CareNetRequest) -> float:
    try:
        value = float(request.GET.get("km", "2"))
    except ValueError:
        return 2.0
    return min(max(value, 0.1), 100.0)


def _map(request: CareNetRequest, scope: str, kind: str) -> tuple[DashboardFilterForm, KpiFilters, Any]:
    form, f = _filters(request, scope)
    data = map_data(f, kind, term=request.GET.get("term") or None, beyond_km=_beyond_km(request))
    return form, f, data


@requires(sees_a_dashboard, platform_admin=False)
def map_page(request: CareNetRequest, scope: str, kind: str) -> HttpResponse:
    form, f, data = _map(request, scope, kind)
    geojson_urls = {
        name: reverse("dashboards:map_geojson", kwargs={"scope": scope, "kind": kind, "layer": name})
        + "?"
        + request.GET.urlencode()
        for name in data.layers
    }
    context = _context(
        request,
        scope,
        form,
        filters=f,
        kind=kind,
        maps=MAPS,
        geojson_urls=geojson_urls,
        layers_json=json.dumps(data.layers),
        tile_url=settings.MAP_TILE_URL,
        **data.context,
    )
    return render(request, "dashboards/map.html", context)


@requires(sees_a_dashboard, platform_admin=False)
def map_geojson(request: CareNetRequest, scope: str, kind: str, layer: str) -> JsonResponse:
    _form, f, data = _map(request, scope, kind)
    if layer not in data.layers:
        raise Http404
    # GeoJSON is a map layer, not a table: audited here, served as JSON.
    audit_export(
        actor=request.user,
        municipality=f.municipality,
        what=f"map.{kind}.{layer}.geojson",
        rows=len(data.layers[layer]["features"]),
    )
    response = JsonResponse(data.layers[layer])
    response["Content-Disposition"] = f'attachment; filename="{kind}-{layer}.geojson"'
    return response
