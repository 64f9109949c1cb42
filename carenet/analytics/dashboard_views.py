"""Staff dashboards: the coordinator's (whole network), the provider manager's (own organisation), KPIs,
population denominators, social trends and maps. Thin: parse the filters, call a selector, render."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carenet.audit.services import audit_export
from carenet.core.http import CareNetRequest
from carenet.geo.population import denominators, population_flags, population_years

from . import gis
from .dashboard_forms import DashboardFilterForm, OutsideValueForm, outside_keys
from .dashboard_selectors import Chart, build_dashboard, cache_seconds
from .kpi_permissions import can_enter_outside_values, can_view_network_dashboard, provider_dashboard_organisations
from .kpi_services import outside_value_set
from .kpis import KpiFilters, all_kpis, evaluate
from .models import OutsideValue
from .trends import social_trends

SCOPES = ("network", "provider")


def _scope_organisations(request: CareNetRequest, scope: str) -> frozenset[Any] | None:
    """None = the whole network (coordinators); a set = a provider manager's own organisations. Else 403."""
    if request.municipality is None:
        raise PermissionDenied
    if scope == "network":
        if not can_view_network_dashboard(request.user):
            raise PermissionDenied
        return None
    if scope == "provider":
        orgs = provider_dashboard_organisations(request.user)
        if not orgs:
            raise PermissionDenied
        return orgs
    raise Http404


def _default_scope(request: CareNetRequest) -> str:
    if request.municipality is None:
        raise PermissionDenied
    if can_view_network_dashboard(request.user):
        return "network"
    if provider_dashboard_organisations(request.user):
        return "provider"
    raise PermissionDenied


def _filters(request: CareNetRequest, scope: str) -> tuple[DashboardFilterForm, KpiFilters]:
    orgs = _scope_organisations(request, scope)
    assert request.municipality is not None
    form = DashboardFilterForm(request.GET or None, municipality=request.municipality, organisations=orgs)
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


@login_required
def home(request: CareNetRequest) -> HttpResponse:
    return redirect("dashboards:dashboard", scope=_default_scope(request))


@login_required
def dashboard(request: CareNetRequest, scope: str) -> HttpResponse:
    form, f = _filters(request, scope)
    board = build_dashboard(f, by_provider=True)
    context = _context(request, scope, form, board=board, filters=f, cache_minutes=max(cache_seconds() // 60, 1))
    return render(request, "analytics/dashboards/dashboard.html", context)


def _chart_for_export(request: CareNetRequest, scope: str, key: str) -> tuple[Chart, KpiFilters]:
    _form, f = _filters(request, scope)
    chart = build_dashboard(f, by_provider=True).chart(key)
    if chart is None:
        raise Http404
    return chart, f


def chart_table(chart: Chart) -> tuple[list[str], list[list[Any]]]:
    header = [_("Group"), str(chart.value_label)]
    if chart.has_rates:
        header.append(str(chart.rate_label))
    rows = []
    for r in chart.rows:
        row: list[Any] = [r.label, r.value if r.value is not None else _("fewer than 5")]
        if chart.has_rates:
            row.append(r.rate)
        rows.append(row)
    return header, rows


def table_response(header: list[str], rows: list[list[Any]], *, fmt: str, filename: str, title: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # spreadsheet programs then read the diacritics right
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(rows)
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = title[:31] or "data"  # type: ignore[union-attr]
        ws.append(header)  # type: ignore[union-attr]
        for cell in ws[1]:  # type: ignore[index]
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)  # type: ignore[union-attr]
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404


@login_required
def export_chart(request: CareNetRequest, scope: str, key: str, fmt: str) -> HttpResponse:
    chart, f = _chart_for_export(request, scope, key)
    header, rows = chart_table(chart)
    audit_export(
        actor=request.user,
        municipality=f.municipality,
        what=f"dashboard.{scope}.{key}.{fmt}",
        rows=len(rows),
        purpose=request.GET.urlencode()[:200],
    )
    return table_response(header, rows, fmt=fmt, filename=f"{scope}-{key}-{f.start}-{f.end}", title=str(chart.title))


@login_required
def kpi_list(request: CareNetRequest, scope: str) -> HttpResponse:
    form, f = _filters(request, scope)
    previous = f.previous()
    rows = [(k, evaluate(k, f), evaluate(k, previous)) for k in all_kpis()]
    return render(
        request,
        "analytics/dashboards/kpis.html",
        _context(request, scope, form, rows=rows, filters=f, previous=previous),
    )


@login_required
def kpi_export(request: CareNetRequest, scope: str, fmt: str) -> HttpResponse:
    _form, f = _filters(request, scope)
    header = [_("Code"), _("KPI"), _("Value"), _("Unit"), _("Numerator"), _("Denominator"), _("Note"), _("Source")]
    rows = []
    for k in all_kpis():
        r = evaluate(k, f)
        rows.append([k.code, str(k.name), r.value, k.unit, r.numerator, r.denominator, r.note, r.source])
    audit_export(actor=request.user, municipality=f.municipality, what=f"dashboard.{scope}.kpis.{fmt}", rows=len(rows))
    return table_response(header, rows, fmt=fmt, filename=f"kpi-{f.start}-{f.end}", title="KPI")


@login_required
def outside_value(request: CareNetRequest, key: str) -> HttpResponse:
    if request.municipality is None or not can_enter_outside_values(request.user):
        raise PermissionDenied
    labels = dict(outside_keys())
    if key not in labels:
        raise Http404
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
    values = (
        OutsideValue.objects.for_tenant(request.municipality)
        .filter(key=key)
        .select_related("entered_by")
        .order_by("-year")
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "analytics/dashboards/outside_value.html",
        {"form": form, "key": key, "label": labels[key], "values": values},
        status=status,
    )


@login_required
def population(request: CareNetRequest) -> HttpResponse:
    scope = _default_scope(request)
    form, f = _filters(request, scope)
    assert request.municipality is not None
    years = population_years(request.municipality)
    year, bands = denominators(request.municipality, f.year)
    board = build_dashboard(f, by_provider=False)
    return render(
        request,
        "analytics/dashboards/population.html",
        _context(
            request,
            scope,
            form,
            years=years,
            year=year,
            bands=bands.values(),
            flags=population_flags(request.municipality, year) if year else [],
            age=board.chart("age"),
            filters=f,
        ),
    )


@login_required
def trends(request: CareNetRequest) -> HttpResponse:
    scope = _default_scope(request)
    assert request.municipality is not None
    return render(
        request,
        "analytics/dashboards/trends.html",
        {
            "series": social_trends(request.municipality),
            "can_enter": can_enter_outside_values(request.user),
            "scope": scope,
        },
    )


# --- maps -----------------------------------------------------------------------------------------------

MAPS = ("services", "beneficiaries", "coverage", "critical")


def _beyond_km(request: CareNetRequest) -> float:
    try:
        value = float(request.GET.get("km", "2"))
    except ValueError:
        return 2.0
    return min(max(value, 0.1), 100.0)


def _map_data(request: CareNetRequest, scope: str, kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(GeoJSON layers by name, context for the page)."""
    form, f = _filters(request, scope)
    context: dict[str, Any] = {"form": form, "filters": f}
    layers: dict[str, Any] = {}
    if kind == "services":
        points = gis.service_points(f)
        layers["services"] = gis.services_geojson(points)
        context["points"] = points
    elif kind == "beneficiaries":
        rows = gis.beneficiaries_by_area(f)
        cells = gis.beneficiary_cells(f)
        layers["areas"] = gis.areas_geojson(rows)
        layers["cells"] = gis.cells_geojson(cells)
        context.update(area_rows=rows, cells=cells)
    elif kind == "coverage":
        terms = gis.service_terms(f)
        term = request.GET.get("term") or None
        if term and term not in {str(t) for t, _n in terms}:
            term = None
        result, points = gis.coverage_of(f, term_id=term, beyond_km=_beyond_km(request))
        layers["cells"] = gis.coverage_geojson(result)
        layers["services"] = gis.services_geojson(points)
        context.update(result=result, terms=terms, term=term or "", km=result.beyond_km, points=points)
    elif kind == "critical":
        zones, islands, cells = gis.critical_zones_of(f)
        layers["islands"] = islands
        layers["cells"] = gis.cells_geojson(cells)
        context.update(zones=zones)
    else:
        raise Http404
    return layers, context


@login_required
def map_page(request: CareNetRequest, scope: str, kind: str) -> HttpResponse:
    layers, context = _map_data(request, scope, kind)
    geojson_urls = {
        name: reverse("dashboards:map_geojson", kwargs={"scope": scope, "kind": kind, "layer": name})
        + "?"
        + request.GET.urlencode()
        for name in layers
    }
    context.update(
        _context(request, scope, context["form"]),
        kind=kind,
        maps=MAPS,
        geojson_urls=geojson_urls,
        layers_json=json.dumps({name: layer for name, layer in layers.items()}),
        tile_url=settings.MAP_TILE_URL,
    )
    return render(request, "analytics/dashboards/map.html", context)


@login_required
def map_geojson(request: CareNetRequest, scope: str, kind: str, layer: str) -> JsonResponse:
    layers, context = _map_data(request, scope, kind)
    if layer not in layers:
        raise Http404
    f = context["filters"]
    audit_export(
        actor=request.user,
        municipality=f.municipality,
        what=f"map.{kind}.{layer}.geojson",
        rows=len(layers[layer]["features"]),
    )
    response = JsonResponse(layers[layer])
    response["Content-Disposition"] = f'attachment; filename="{kind}-{layer}.geojson"'
    return response
