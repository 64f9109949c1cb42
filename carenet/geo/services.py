from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from carenet.audit.services import audit_record
from carenet.core.models import Municipality

from .geometry import normalised_geometry, validate_feature_collection
from .models import Area, AreaKind
from .permissions import can_import_areas


@transaction.atomic
def area_import_geojson(
    *,
    municipality: Municipality,
    data: Any,
    kind: AreaKind | str,
    actor: Any,
    name_property: str = "name",
    source_note: str = "",
) -> list[Area]:
    """Create or update the areas of a FeatureCollection: validated whole, saved whole, audited."""
    if not can_import_areas(actor, municipality):
        raise PermissionDenied
    errors = validate_feature_collection(data, name_property=name_property)
    if errors:
        raise ValidationError([str(e) for e in errors])
    areas = []
    for feature in data["features"]:
        props = feature.get("properties") or {}
        population = props.get("population")
        if population is not None and (not isinstance(population, int) or population < 0):
            raise ValidationError(str(_population_error(props[name_property])))
        area, _created = Area.objects.for_tenant(municipality).update_or_create(
            kind=kind,
            name=str(props[name_property]).strip(),
            defaults={
                "municipality": municipality,
                "geometry": normalised_geometry(feature["geometry"]),
                "population": population,
                "source_note": source_note[:300],
            },
        )
        areas.append(area)
    audit_record(
        action="area.import",
        actor=actor,
        municipality=municipality,
        object_type="geo.area",
        changes={"kind": str(kind), "features": len(areas)},
    )
    return areas


def _population_error(name: str) -> str:
    from django.utils.translation import gettext as _

    return _("Area “%(name)s”: population must be a whole number ≥ 0.") % {"name": name}
