"""The KPIs of the heat-wave and cold-night campaigns (issue 20), for every municipality that runs them.

The Baia Mare strategy's heat measure asks to monitor "coverage and use of the cooling centres by beneficiaries
of social assistance"; the issue adds the share of the at-risk register contacted within the target time and
the share of persons reached who needed help. Each sums the campaigns whose alert started in the period; the
figures are ``carenet.campaigns.selectors.campaign_figures_in_period``; this module only divides.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from carenet.campaigns.selectors import campaign_figures_in_period

from .computed import share
from .filters import KpiFilters
from .registry import Kpi, KpiResult, Source, Unit, register

GROUP = "campaigns"


def _figures(f: KpiFilters):
    return campaign_figures_in_period(municipality=f.municipality, first=f.start, last=f.end)


def _no_campaign() -> KpiResult:
    return KpiResult(None, note=_("No heat-wave or cold-night campaign in the period."))


def _campaigns_note(n: int) -> str:
    return ngettext("%(n)s campaign in the period.", "%(n)s campaigns in the period.", n) % {"n": n}


def _share_over_campaigns(f: KpiFilters, part: str, whole: str) -> KpiResult:
    """``part`` of ``whole`` (fields of the period's figures) as a percentage, with the number of campaigns."""
    figures = _figures(f)
    if not figures.campaigns:
        return _no_campaign()
    result = share(getattr(figures, part), getattr(figures, whole))
    return KpiResult(
        result.value, result.numerator, result.denominator, note=result.note or _campaigns_note(figures.campaigns)
    )


def contacted_within_target(f: KpiFilters) -> KpiResult:
    return _share_over_campaigns(f, "reached_within_target", "contacts")


def needing_help(f: KpiFilters) -> KpiResult:
    return _share_over_campaigns(f, "needing_help", "reached")


def centre_visits_by_beneficiaries(f: KpiFilters) -> KpiResult:
    figures = _figures(f)
    if not figures.campaigns:
        return _no_campaign()
    note = _("%(all)s visits in all, %(kits)s kits given.") % {"all": figures.centre_visits, "kits": figures.kits}
    return KpiResult(Decimal(figures.register_visits), figures.register_visits, note=note)


register(
    Kpi(
        code="heat01",
        number=None,
        group=GROUP,
        name=gettext_lazy("At-risk persons contacted within the target time"),
        description=gettext_lazy(
            "Persons of the at-risk register reached by phone or at home within the campaign's target hours of "
            "the alert's start, as a percentage of all persons the period's campaigns had to contact."
        ),
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=contacted_within_target,
    )
)
register(
    Kpi(
        code="heat02",
        number=None,
        group=GROUP,
        name=gettext_lazy("At-risk persons reached who needed help"),
        description=gettext_lazy(
            "Persons reached during the period's campaigns whose last check-in asked for water, medicine, "
            "transport to a centre or emergency help, as a percentage of the persons reached."
        ),
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=needing_help,
        higher_is_better=False,
    )
)
register(
    Kpi(
        code="heat03",
        number=None,
        group=GROUP,
        name=gettext_lazy("Visits of cooling and warming centres by beneficiaries"),
        description=gettext_lazy(
            "Visits of the cooling and warming centres by persons of the at-risk register during the period's "
            "campaigns, as the centres recorded them."
        ),
        unit=Unit.COUNT,
        source=Source.COMPUTED,
        compute=centre_visits_by_beneficiaries,
    )
)
