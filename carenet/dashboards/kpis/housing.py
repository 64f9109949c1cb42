"""KPI 10 of the Baia Mare strategy, counted from the housing register (issue 19) instead of typed in.

"Social housing modernised or newly built": dwellings handed over new or modernised in the period, as a
percentage of the social housing stock registered at the period's end. The note gives the unmet requests
the strategy reads beside it (applications still waiting for a dwelling). The figures are the housing
app's selectors; this module only divides.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from carenet.housing.selectors import stock_new_or_modernised, stock_size, unmet_requests

from .filters import KpiFilters
from .registry import BAIA_MARE_STRATEGY, Kpi, KpiResult, Source, Unit, register


def housing_new_or_modernised(f: KpiFilters) -> KpiResult:
    stock = stock_size(municipality=f.municipality, on=f.end)
    if not stock:
        return KpiResult(None, note=_("The housing register holds no dwellings yet."))
    renewed = stock_new_or_modernised(municipality=f.municipality, start=f.start, end=f.end + dt.timedelta(days=1))
    waiting = unmet_requests(municipality=f.municipality, on=f.end).total
    note = ngettext(
        "%(n)s application was still waiting for a dwelling at the end of the period.",
        "%(n)s applications were still waiting for a dwelling at the end of the period.",
        waiting,
    ) % {"n": waiting}
    value = (Decimal(100 * renewed) / stock).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return KpiResult(value, renewed, stock, note=note)


register(
    Kpi(
        code="bm10",
        plan=BAIA_MARE_STRATEGY,
        number=10,
        name=gettext_lazy("Social housing modernised or newly built"),
        description=gettext_lazy(
            "Dwellings of the housing register handed over new or modernised in the period, as a percentage of "
            "the dwellings registered at its end."
        ),
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=housing_new_or_modernised,
    )
)
