"""Areas of a municipality (neighbourhoods, zones, component localities) as GeoJSON geometries."""

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


class PopulationRowKind(models.TextChoices):
    TABLE = "table", _("Table row")
    TEXT = "text", _("Figure stated in the text")


class PopulationBand(TenantOwnedModel):
    """Residents of one age band by sex in one year: the denominators of rates ("served per 1,000").

    Rows are kept as the source writes them. ``kind=text`` rows are the group totals a document states
    in its prose; they are compared with the table rows to flag inconsistencies, never used as denominators.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=5, choices=PopulationRowKind.choices, default=PopulationRowKind.TABLE)
    label = models.CharField(_("age band as written"), max_length=60)
    age_from = models.PositiveSmallIntegerField(_("from age"))
    age_to = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)  # empty = open band
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    total = models.PositiveIntegerField(_("total"))
    source_note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("population band")
        verbose_name_plural = _("population bands")
        ordering = ["year", "kind", "age_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "kind", "age_from", "age_to"], name="population_band_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(age_to__isnull=True) | models.Q(age_to__gte=models.F("age_from")),
                name="population_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.label}"
