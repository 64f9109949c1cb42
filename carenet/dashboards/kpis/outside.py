"""KPIs whose data CareNet does not hold: the value of each year is entered with its source and date.

The entry form (dashboards → KPIs) writes an ``OutsideValue``; the definition reads the value of the
year in which the period ends.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.dashboards.models import OutsideValue

from .filters import KpiFilters
from .registry import BAIA_MARE_STRATEGY, Kpi, KpiResult, Source, Unit, register


def outside_value(code: str):
    def compute(f: KpiFilters) -> KpiResult:
        row = OutsideValue.objects.for_tenant(f.municipality).filter(key=code, year=f.year).first()
        if row is None:
            return KpiResult(None, note=_("No value entered for %(year)s.") % {"year": f.year})
        return KpiResult(row.value, source=row.source, source_date=row.source_date, note=row.note)

    compute.__name__ = f"outside_{code}"
    return compute


OUTSIDE_KPIS = [
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
            plan=BAIA_MARE_STRATEGY,
            number=number,
            name=name,
            description=description,
            unit=unit,
            source=Source.OUTSIDE,
            compute=outside_value(code),
            higher_is_better=higher,
        )
    )
