"""Areas of a municipality (neighbourhoods, zones, component localities) as GeoJSON geometries."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantOwnedModel


class AreaKind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    LOCALITY = "locality", _("Component locality")
    ZONE = "zone", _("Zone")
    MARGINALISED = "marginalised", _("Marginalised zone")
    HEAT_ISLAND = "heat_island", _("Urban heat island")


class Area(TenantOwnedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    # GeoJSON geometry (Polygon / MultiPolygon, WGS84). Null until someone draws or uploads it.
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "name"], name="area_unique_name_per_kind")
        ]

    def __str__(self) -> str:
        return self.name
