"""Computed indicators over the training platform (issue 22), the same figures as Baia Mare's KPIs 7 and 8 and
the training figures page: vocational programmes held for vulnerable groups, and their completion rate (the
courses and the activities register's other programmes, a course's sessions counted once, as its course)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from carenet.training.selectors import vocational_completion, vocational_programmes

from .computations import computation
from .computations_registers import PERCENTAGE, _share

if TYPE_CHECKING:
    from .models import Indicator, ReportingPeriod


def _period(indicator: Indicator, period: ReportingPeriod) -> dict[str, Any]:
    return {"municipality": indicator.municipality_id, "date_from": period.start_date, "date_to": period.end_date}


@computation("training.programmes", _("Vocational training programmes for vulnerable groups held in the period"))
def training_programmes(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return {"": Decimal(vocational_programmes(**_period(indicator, period)))}


@computation(
    "training.completion",
    _("Completion rate of vocational and training programmes (%)"),
    kinds=PERCENTAGE,
)
def training_completion(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    rate = vocational_completion(**_period(indicator, period))
    return _share(rate.numerator, rate.denominator)
