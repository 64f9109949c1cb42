from typing import Any

from django.db.models import QuerySet

from .models import Area
from .permissions import areas_visible_to


def area_list(*, user: Any, kind: str | None = None) -> QuerySet[Area]:
    """The areas of the user's municipality, by kind and name."""
    qs = areas_visible_to(user)
    return (qs.filter(kind=kind) if kind else qs).order_by("kind", "name")


def areas_geojson(*, user: Any, kind: str | None = None) -> dict[str, Any]:
    """Area outlines as a FeatureCollection (areas carry no personal data)."""
    features = [
        {
            "type": "Feature",
            "geometry": area.geometry,
            "properties": {"id": str(area.pk), "name": area.name, "kind": area.kind, "population": area.population},
        }
        for area in area_list(user=user, kind=kind).filter(geometry__isnull=False)
    ]
    return {"type": "FeatureCollection", "features": features}
