"""GeoJSON validation and the geometry helpers of CareNet (shapely for shapes, H3 for privacy-safe cells).

Maps never show a person's address: beneficiaries are counted on H3 cells (or areas) and any cell
with fewer than ``MIN_CELL`` persons is suppressed before it leaves the server.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import h3
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

MIN_CELL = 5  # the smallest count ever published (ARCHITECTURE.md: access to personal data)
EARTH_RADIUS_KM = 6371.0088
_POLYGONAL = {"Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class FeatureError:
    index: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Feature %(index)s, %(field)s: %(message)s") % {
            "index": self.index + 1,
            "field": self.field,
            "message": self.message,
        }


def validate_feature_collection(data: Any, *, name_property: str = "name") -> list[FeatureError]:
    """Every problem of an uploaded FeatureCollection of polygons, each naming the feature and field."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [FeatureError(-1, "type", _("The file must be a GeoJSON FeatureCollection."))]
    features = data.get("features")
    if not isinstance(features, list) or not features:
        return [FeatureError(-1, "features", _("The collection has no features."))]
    errors: list[FeatureError] = []
    names: Counter[str] = Counter()
    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(FeatureError(i, "type", _("not a GeoJSON Feature.")))
            continue
        name = str((feature.get("properties") or {}).get(name_property) or "").strip()
        if not name:
            errors.append(FeatureError(i, name_property, _("the name is missing.")))
        elif len(name) > 200:
            errors.append(FeatureError(i, name_property, _("the name is longer than 200 characters.")))
        names[name] += 1
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in _POLYGONAL:
            errors.append(FeatureError(i, "geometry", _("the geometry must be a Polygon or MultiPolygon.")))
            continue
        try:
            geom = shape(geometry)
        except (ValueError, TypeError, AttributeError, IndexError) as exc:
            errors.append(
                FeatureError(i, "geometry", _("the coordinates cannot be read (%(error)s).") % {"error": exc})
            )
            continue
        if geom.is_empty or not geom.is_valid:
            errors.append(
                FeatureError(i, "geometry", _("the shape is not valid (%(why)s).") % {"why": explain_validity(geom)})
            )
            continue
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            errors.append(FeatureError(i, "geometry", _("the coordinates are not longitude/latitude (WGS84).")))
    for name, count in names.items():
        if name and count > 1:
            errors.append(
                FeatureError(-1, name_property, _("the name “%(name)s” appears more than once.") % {"name": name})
            )
    return errors


def normalised_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    return dict(mapping(shape(geometry)))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Cell:
    cell: str
    count: int | None  # None when suppressed (fewer than MIN_CELL)
    lat: float
    lon: float

    @property
    def suppressed(self) -> bool:
        return self.count is None


def count_on_cells(points: Iterable[tuple[float, float]], *, resolution: int = 8) -> list[Cell]:
    """Count (lat, lon) points on H3 cells; cells under MIN_CELL are suppressed, never shown as small numbers."""
    counts = Counter(h3.latlng_to_cell(lat, lon, resolution) for lat, lon in points)
    cells = []
    for cell, count in sorted(counts.items()):
        lat, lon = h3.cell_to_latlng(cell)
        cells.append(Cell(cell=cell, count=count if count >= MIN_CELL else None, lat=lat, lon=lon))
    return cells


def cells_geojson(cells: Iterable[Cell], *, value_name: str = "persons") -> dict[str, Any]:
    features = []
    for c in cells:
        ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(c.cell)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"cell": c.cell, value_name: c.count, "suppressed": c.suppressed},
            }
        )
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class CoverageRow:
    cell: str
    persons: int | None
    nearest_km: float


@dataclass(frozen=True)
class Coverage:
    rows: list[CoverageRow]
    beyond_km: float
    persons_total: int
    persons_beyond: int

    @property
    def share_beyond(self) -> float:
        return self.persons_beyond / self.persons_total if self.persons_total else 0.0


def coverage(
    points: Iterable[tuple[float, float]],
    services: list[tuple[float, float]],
    *,
    beyond_km: float,
    resolution: int = 8,
) -> Coverage:
    """Distance from each populated cell's centre to the nearest service, and the share of persons beyond N km.

    Totals are computed on exact counts; the published rows keep the cell suppression.
    """
    counts = Counter(h3.latlng_to_cell(lat, lon, resolution) for lat, lon in points)
    rows, total, beyond = [], 0, 0
    for cell, count in sorted(counts.items()):
        lat, lon = h3.cell_to_latlng(cell)
        nearest = min((haversine_km(lat, lon, s_lat, s_lon) for s_lat, s_lon in services), default=math.inf)
        total += count
        if nearest > beyond_km:
            beyond += count
        rows.append(CoverageRow(cell=cell, persons=count if count >= MIN_CELL else None, nearest_km=round(nearest, 2)))
    return Coverage(rows=rows, beyond_km=beyond_km, persons_total=total, persons_beyond=beyond)


def critical_zones(heat_islands: dict[str, dict[str, Any]], vulnerable_cells: Iterable[Cell]) -> list[tuple[str, int]]:
    """The seed's "zone critice": heat-island areas overlaid with cells of vulnerable persons.

    Returns (area name, persons in published cells inside it), largest first; suppressed cells count 0.
    """
    shapes = {name: shape(geometry) for name, geometry in heat_islands.items()}
    from shapely.geometry import Point

    totals: Counter[str] = Counter()
    for c in vulnerable_cells:
        point = Point(c.lon, c.lat)
        for name, geom in shapes.items():
            if geom.contains(point):
                totals[name] += c.count or 0
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
