"""Response time of referrals between providers (the second half of Baia Mare KPI 3)."""

from __future__ import annotations

import statistics

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.referrals.selectors import referral_response_hours

from .computed import q2
from .filters import KpiFilters
from .registry import BAIA_MARE_STRATEGY, Kpi, KpiResult, Source, Unit, register


def referral_response_time(f: KpiFilters) -> KpiResult:
    hours = referral_response_hours(
        municipality=f.municipality, start=f.start, end=f.end, organisation_ids=f.organisation_ids
    )
    if not hours:
        return KpiResult(None, 0, note=_("No referral answered in the period."))
    return KpiResult(q2(statistics.median(hours)), len(hours))


register(
    Kpi(
        code="bm03r",
        plan=BAIA_MARE_STRATEGY,
        number=3,
        name=gettext_lazy("Response time to referrals"),
        description=gettext_lazy(
            "Median hours from a referral sent in the period to the receiving provider's first answer."
        ),
        unit=Unit.HOURS,
        source=Source.COMPUTED,
        compute=referral_response_time,
        filters=("organisation",),
        higher_is_better=False,
    )
)
