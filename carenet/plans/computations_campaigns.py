"""Computed indicators over the heat-wave and cold-night campaigns (issue 20), so that a plan's indicator of
the campaigns is counted, not typed: the at-risk register contacted within the target time, the persons
reached who needed help, the centres' visits by beneficiaries. Each is one call of
``carenet.campaigns.selectors.campaign_figures_in_period`` — the same figures as the dashboards' KPIs."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from carenet.campaigns.selectors import campaign_figures_in_period

from .computations import computation
from .computations_registers import PERCENTAGE, _share

if TYPE_CHECKING:
    from carenet.campaigns.selectors import PeriodFigures

    from .models import Indicator, ReportingPeriod


def _figures(indicator: Indicator, period: ReportingPeriod) -> PeriodFigures:
    return campaign_figures_in_period(
        municipality=indicator.municipality_id, first=period.start_date, last=period.end_date
    )


@computation(
    "campaigns.contacted_within_target",
    _("At-risk persons contacted within the campaign's target time (%)"),
    kinds=PERCENTAGE,
)
def campaigns_contacted_within_target(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    figures = _figures(indicator, period)
    return _share(figures.reached_within_target, figures.contacts)


@computation(
    "campaigns.needing_help",
    _("At-risk persons reached during an alert who needed help (%)"),
    kinds=PERCENTAGE,
)
def campaigns_needing_help(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    figures = _figures(indicator, period)
    return _share(figures.needing_help, figures.reached)


@computation("campaigns.centre_visits", _("Visits of cooling and warming centres by beneficiaries"))
def campaigns_centre_visits(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    figures = _figures(indicator, period)
    return {"": Decimal(figures.register_visits)} if figures.campaigns else {}
