"""The dashboard filters, read from the URL (GET) so that a filtered view can be shared as a link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Municipality, Organisation
from carenet.geo.models import Area
from carenet.geo.population import AGE_BANDS
from carenet.people.models import Sex

from .kpis.filters import DISABILITY_NO, DISABILITY_YES, KpiFilters


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or dt.date.today()
    return dt.date(today.year, 1, 1), today


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, empty_label=_("All areas")
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Sex.choices])
    age_band = forms.ChoiceField(
        label=_("Age band"), required=False, choices=[("", _("All")), *[(c, c) for c, _lo, _hi in AGE_BANDS]]
    )
    disability = forms.ChoiceField(
        label=_("Disability"),
        required=False,
        choices=[
            ("", _("All")),
            (DISABILITY_YES, _("With a recorded disability")),
            (DISABILITY_NO, _("No disability recorded")),
        ],
    )
    organisation = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), required=False, empty_label=_("Whole network")
    )

    def __init__(self, data: Any, *, municipality: Municipality, organisations: frozenset[Any] | None) -> None:
        """``organisations``: None = the whole network may be chosen; a set = only these providers."""
        super().__init__(data)
        self.municipality = municipality
        self.allowed = organisations
        self.fields["area"].queryset = Area.objects.for_tenant(municipality).order_by("kind", "name")  # type: ignore[attr-defined]
        orgs = Organisation.objects.for_tenant(municipality).filter(is_provider=True).order_by("name")
        if organisations is not None:
            orgs = orgs.filter(pk__in=organisations)
            self.fields["organisation"].empty_label = _("All my organisations")  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period must not be before its start."))
        return data

    def to_filters(self) -> KpiFilters:
        """The filters asked for; an invalid field falls back to its default (the errors are shown)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        )
        d_start, d_end = default_period()
        start, end = data.get("start") or d_start, data.get("end") or d_end
        if start > end:
            start, end = d_start, d_end
        org = data.get("organisation")
        organisation_ids = self.allowed
        if org is not None:
            organisation_ids = frozenset({org.pk})
        area = data.get("area")
        return KpiFilters(
            municipality=self.municipality,
            start=start,
            end=end,
            area_id=area.pk if area else None,
            sex=data.get("sex") or "",
            age_band=data.get("age_band") or "",
            disability=data.get("disability") or "",
            organisation_ids=organisation_ids,
        )


class OutsideValueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("The report, register or institution the figure comes from.")
    )
    source_date = forms.DateField(label=_("Date of the source"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
