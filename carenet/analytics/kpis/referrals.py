"""Response time of referrals between providers (the second half of Baia Mare KPI 3).

Referrals are built on another branch. This definition is written against the selector it expects:
``carenet.referrals.selectors.referral_response_hours(*, municipality, start, end, organisation_ids)``
returning the hours from each referral sent in the period to its first answer (accepted or declined).
Until that selector exists the KPI reports itself as not available.
"""

from __future__ import annotations

import importlib
import statistics

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .computed import q2
from .filters import KpiFilters
from .registry import Kpi, KpiResult, Source, Unit, register

EXPECTED_SELECTOR = "referral_response_hours"


def referral_response_time(f: KpiFilters) -> KpiResult:
    try:
        selectors = importlib.import_module("carenet.referrals.selectors")
        hours_of = getattr(selectors, EXPECTED_SELECTOR)
    except (ImportError, AttributeError):
        return KpiResult(None, note=_("Referrals are not recorded in CareNet yet."))
    hours = list(hours_of(municipality=f.municipality, start=f.start, end=f.end, organisation_ids=f.organisation_ids))
    if not hours:
        return KpiResult(None, 0, note=_("No referral answered in the period."))
    return KpiResult(q2(statistics.median(hours)), len(hours))


register(
    Kpi(
        code="bm03r",
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
