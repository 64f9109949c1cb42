"""Maps of the dashboards: services, beneficiaries on areas and H3 cells, coverage, heat-island critical zones.

CareNet keeps no coordinates of persons: a beneficiary is placed at the centre of their area of residence,
so cells and areas are the finest grain there is. Every published count under MIN_CELL is suppressed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from shapely.geometry import shape

from carenet.campaigns.selectors import heat_islands_geojson
from carenet.directory.models import LocationType, ServiceAtLocation, ServiceAttribute, ServiceStatus
from carenet.geo.geometry import MIN_CELL, Cell, Coverage, cells_geojson, count_on_cells, coverage, critical_zones
from carenet.geo.models import Area, AreaKind

from .kpis.filters import KpiFilters, served

RESOLUTION = 8  # H3 cells of ~0.7 km²


def service_points(f: KpiFilters, term_id: Any = None) -> list[dict[str, Any]]:
    qs = (
        ServiceAtLocation.objects.for_tenant(f.municipality)
        .filter(
            service__status=ServiceStatus.ACTIVE, location__latitude__isnull=False, location__longitude__isnull=False
        )
        .exclude(location__location_type=LocationType.VIRTUAL)
    )
    if f.organisation_ids is not None:
        qs = qs.filter(service__organisation_id__in=f.organisation_ids)
    if term_id:
        qs = qs.filter(service__attributes__taxonomy_term_id=term_id)
    rows = qs.values_list(
        "service__name", "service__organisation__name", "location__name", "location__latitude", "location__longitude"
    ).order_by("service__name")
    return [
        {"service": s, "organisation": o, "location": loc, "lat": lat, "lon": lon}
        for s, o, loc, lat, lon in rows.distinct()
    ]


def services_geojson(points: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {"service": p["service"], "organisation": p["organisation"], "location": p["location"]},
            }
            for p in points
        ],
    }


def service_terms(f: KpiFilters) -> list[tuple[Any, str]]:
    """Taxonomy terms used by the tenant's active services (the "type of service" of the coverage map)."""
    return list(
        ServiceAttribute.objects.for_tenant(f.municipality)
        .filter(service__status=ServiceStatus.ACTIVE)
        .values_list("taxonomy_term_id", "taxonomy_term__name")
        .distinct()
        .order_by("taxonomy_term__name")
    )


@dataclass
class AreaCount:
    id: Any
    name: str
    kind: str
    kind_label: str
    persons: int | None  # None = suppressed
    geometry: dict[str, Any] | None


def _served_by_area(f: KpiFilters) -> dict[Any, int]:
    by_area = served(f, by=("area",), persons=Q(area__isnull=False)).sum_by("area")
    return {area_id: s.persons for area_id, s in by_area.items()}


def beneficiaries_by_area(f: KpiFilters) -> list[AreaCount]:
    counts = _served_by_area(f)
    out = []
    for area in Area.objects.for_tenant(f.municipality).exclude(kind=AreaKind.HEAT_ISLAND).order_by("kind", "name"):
        n = counts.get(area.pk, 0)
        out.append(
            AreaCount(
                area.pk,
                area.name,
                area.kind,
                str(area.get_kind_display()),
                n if n == 0 or n >= MIN_CELL else None,
                area.geometry,
            )
        )
    return out


def areas_geojson(rows: list[AreaCount]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": r.geometry,
                "properties": {"name": r.name, "kind": r.kind, "persons": r.persons, "suppressed": r.persons is None},
            }
            for r in rows
            if r.geometry
        ],
    }


def beneficiary_points(f: KpiFilters) -> Any:
    """(lat, lon) per beneficiary: the centre of their area of residence (areas without an outline are left out)."""
    counts = _served_by_area(f)
    centres = {}
    for area_id, geometry in (
        Area.objects.for_tenant(f.municipality)
        .filter(pk__in=list(counts), geometry__isnull=False)
        .values_list("id", "geometry")
    ):
        p = shape(geometry).representative_point()
        centres[area_id] = (p.y, p.x)
    return itertools.chain.from_iterable(itertools.repeat(centres[a], n) for a, n in counts.items() if a in centres)


def beneficiary_cells(f: KpiFilters) -> list[Cell]:
    return count_on_cells(beneficiary_points(f), resolution=RESOLUTION)


def coverage_of(f: KpiFilters, *, term_id: Any = None, beyond_km: float = 2.0) -> tuple[Coverage, list[dict[str, Any]]]:
    points = service_points(f, term_id)
    result = coverage(
        beneficiary_points(f), [(p["lat"], p["lon"]) for p in points], beyond_km=beyond_km, resolution=RESOLUTION
    )
    return result, points


def coverage_geojson(result: Coverage) -> dict[str, Any]:
    cells = [Cell(r.cell, r.persons, 0.0, 0.0) for r in result.rows]
    data = cells_geojson(cells)
    for feature, row in zip(data["features"], result.rows, strict=True):
        feature["properties"]["nearest_km"] = None if row.nearest_km == float("inf") else row.nearest_km
        feature["properties"]["beyond"] = row.nearest_km > result.beyond_km
    return data


@dataclass
class CriticalZone:
    name: str
    persons: int | None
    has_outline: bool


def critical_zones_of(f: KpiFilters) -> tuple[list[CriticalZone], dict[str, Any], list[Cell]]:
    """Heat-island areas (imported as areas of kind heat_island) overlaid with the cells of persons served."""
    islands = {
        a.name: a.geometry
        for a in Area.objects.for_tenant(f.municipality).filter(kind=AreaKind.HEAT_ISLAND, geometry__isnull=False)
    }
    # The heat layer imported in the campaigns (issue 20), when no heat-island area was drawn here.
    islands = islands or heat_islands_geojson(municipality=f.municipality)
    cells = beneficiary_cells(f)
    totals = dict(critical_zones(islands, cells)) if islands else {}
    zones = [
        CriticalZone(
            name, (totals.get(name, 0) if totals.get(name, 0) >= MIN_CELL or totals.get(name, 0) == 0 else None), True
        )
        for name in sorted(islands, key=lambda n: (-totals.get(n, 0), n))
    ]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": g,
                "properties": {"name": n, "kind": "heat_island", "persons": totals.get(n, 0)},
            }
            for n, g in islands.items()
        ],
    }
    return zones, data, cells


def cells_counter_total(cells: list[Cell]) -> int:
    return sum(c.count or 0 for c in cells)
