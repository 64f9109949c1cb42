from typing import Any

from django.db.models import QuerySet

from carenet.core.models import Municipality

from .models import Area


def area_list(*, municipality: Municipality, kind: str | None = None) -> QuerySet[Area]:
    qs = Area.objects.for_tenant(municipality)
    return qs.filter(kind=kind) if kind else qs


def areas_geojson(*, municipality: Municipality, kind: str | None = None) -> dict[str, Any]:
    """Area outlines as a FeatureCollection (public: areas carry no personal data)."""
    features = [
        {
            "type": "Feature",
            "geometry": area.geometry,
            "properties": {"id": str(area.pk), "name": area.name, "kind": area.kind, "population": area.population},
        }
        for area in area_list(municipality=municipality, kind=kind).filter(geometry__isnull=False)
    ]
    return {"type": "FeatureCollection", "features": features}
