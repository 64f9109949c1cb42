"""Dashboards keep one kind of data of their own: figures CareNet cannot compute, entered by hand with their source."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantOwnedModel


class OutsideValue(TenantOwnedModel):
    """One yearly figure from outside CareNet (a KPI value or a social-trend count), with its source.

    ``key`` is a KPI code ("bm07") or a social-trend category ("trend.domestic_violence_victims").
    """

    key = models.CharField(_("indicator"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    source_date = models.DateField(_("date of the source"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("figure from outside CareNet")
        verbose_name_plural = _("figures from outside CareNet")
        ordering = ["key", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key", "year"], name="outside_value_unique_year"),
            models.CheckConstraint(condition=models.Q(year__gte=1990, year__lte=2100), name="outside_value_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}"
