"""KPIs whose data CareNet does not hold: the value of each year is entered with its source and date.

The entry form (dashboards → KPIs) writes an ``OutsideValue``; the definition reads the value of the
year in which the period ends.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.analytics.models import OutsideValue

from .filters import KpiFilters
from .registry import Kpi, KpiResult, Source, Unit, register


def outside_value(code: str):  # type: ignore[no-untyped-def]
    def compute(f: KpiFilters) -> KpiResult:
        row = OutsideValue.objects.for_tenant(f.municipality).filter(key=code, year=f.year).first()
        if row is None:
            return KpiResult(None, note=_("No value entered for %(year)s.") % {"year": f.year})
        return KpiResult(row.value, source=row.source, source_date=row.source_date, note=row.note)

    compute.__name__ = f"outside_{code}"
    return compute


OUTSIDE_KPIS = [
    (
        7,
        gettext_lazy("Vocational training programmes for vulnerable groups"),
        gettext_lazy(
            "Training programmes for vulnerable groups run in the year (catalogue of the providers and the employment agency)."
        ),
        Unit.COUNT,
        True,
    ),
    (
        8,
        gettext_lazy("Completion rate of training and continuing education"),
        gettext_lazy("Participants who completed a programme as a percentage of those enrolled."),
        Unit.PERCENT,
        True,
    ),
    (
        9,
        gettext_lazy("School dropout among vulnerable groups"),
        gettext_lazy(
            "Children of vulnerable groups who left school as a percentage of those followed (school inspectorate data)."
        ),
        Unit.PERCENT,
        False,
    ),
    (
        10,
        gettext_lazy("Social housing modernised or newly built"),
        gettext_lazy("Social housing units modernised or built as a percentage of the social housing stock."),
        Unit.PERCENT,
        True,
    ),
    (
        11,
        gettext_lazy("Community events for social inclusion"),
        gettext_lazy("Community events organised for social inclusion in the year."),
        Unit.COUNT,
        True,
    ),
    (
        12,
        gettext_lazy("Volunteering initiatives supported by the municipality"),
        gettext_lazy("Volunteering initiatives supported by the municipality in the year."),
        Unit.COUNT,
        True,
    ),
    (
        15,
        gettext_lazy("Share of the budget for developing social services"),
        gettext_lazy(
            "Budget allocated to developing and extending social services as a percentage of the social assistance budget."
        ),
        Unit.PERCENT,
        True,
    ),
    (
        19,
        gettext_lazy("Digital transformation initiatives in social administration"),
        gettext_lazy("Digital transformation initiatives implemented in the social administration in the year."),
        Unit.COUNT,
        True,
    ),
]

for number, name, description, unit, higher in OUTSIDE_KPIS:
    code = f"bm{number:02d}"
    register(
        Kpi(
            code=code,
            number=number,
            name=name,
            description=description,
            unit=unit,
            source=Source.OUTSIDE,
            compute=outside_value(code),
            higher_is_better=higher,
        )
    )
