"""KPIs over the portal's records (feedback, help requests, consultations), registered in analytics' registry.

Discovered by name (``autodiscover_modules("kpi_definitions")``), so the lower analytics layer never
imports the portal.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from carenet.dashboards.kpis import BAIA_MARE_STRATEGY, Kpi, KpiFilters, KpiResult, Source, Unit, register
from carenet.dashboards.kpis.computed import q2
from carenet.dashboards.kpis.texts import NO_HELP_ANSWERED, NO_POPULATION, PORTAL

from .models import ConsultationComment, ConsultationSession, Idea, IdeaSupport, SurveyResponse
from .selectors import help_response_hours, satisfaction

NO_FEEDBACK = _("No feedback on services was given in the period.")


def satisfaction_rate(f: KpiFilters) -> KpiResult:
    """The figure of ``portal.selectors.satisfaction`` (the staff feedback page shows the same)."""
    (total,) = satisfaction(municipality=f.municipality, start=f.start, end=f.end, organisation_ids=f.organisation_ids)
    if total.satisfied_percent is None:
        return KpiResult(None, 0, 0, note=str(NO_FEEDBACK))
    return KpiResult(total.satisfied_percent, total.satisfied, total.responses)


register(
    Kpi(
        code="bm02",
        plan=BAIA_MARE_STRATEGY,
        number=2,
        name=PORTAL["bm02"][0],
        description=PORTAL["bm02"][1],
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=satisfaction_rate,
        filters=("organisation",),
        app="portal",
    )
)


def help_response_time(f: KpiFilters) -> KpiResult:
    """The figure of ``portal.selectors.help_response_hours`` (the triage queue shows the same)."""
    hours = help_response_hours(
        municipality=f.municipality, start=f.start, end=f.end, organisation_ids=f.organisation_ids, area_id=f.area_id
    )
    if hours.median_hours is None:
        return KpiResult(None, 0, note=str(NO_HELP_ANSWERED))
    return KpiResult(hours.median_hours, hours.contacted)


register(
    Kpi(
        code="bm03",
        plan=BAIA_MARE_STRATEGY,
        number=3,
        name=PORTAL["bm03"][0],
        description=PORTAL["bm03"][1],
        unit=Unit.HOURS,
        source=Source.COMPUTED,
        compute=help_response_time,
        filters=("area", "organisation"),
        higher_is_better=False,
        app="portal",
    )
)


def community_involvement(f: KpiFilters) -> KpiResult:
    m = f.municipality
    between = {"created_at__date__range": (f.start, f.end)}
    contributions = (
        Idea.objects.for_tenant(m).filter(is_hidden=False, **between).count()
        + ConsultationComment.objects.for_tenant(m).filter(is_hidden=False, **between).count()
        + IdeaSupport.objects.for_tenant(m).filter(**between).count()
        + SurveyResponse.objects.for_tenant(m).filter(**between).count()
        + sum(
            s.total_participants
            for s in ConsultationSession.objects.for_tenant(m)
            .filter(held_on__range=(f.start, f.end))
            .only("participants")
        )
    )
    if not m.population:
        return KpiResult(None, contributions, note=str(NO_POPULATION))
    return KpiResult(q2(1000 * contributions / m.population), contributions, m.population)


register(
    Kpi(
        code="bm16",
        plan=BAIA_MARE_STRATEGY,
        number=16,
        name=PORTAL["bm16"][0],
        description=PORTAL["bm16"][1],
        unit=Unit.PER_1000,
        source=Source.COMPUTED,
        compute=community_involvement,
        app="portal",
    )
)


def consultation_sessions(f: KpiFilters) -> KpiResult:
    n = ConsultationSession.objects.for_tenant(f.municipality).filter(held_on__range=(f.start, f.end)).count()
    return KpiResult(Decimal(n), n)


register(
    Kpi(
        code="bm17",
        plan=BAIA_MARE_STRATEGY,
        number=17,
        name=PORTAL["bm17"][0],
        description=PORTAL["bm17"][1],
        unit=Unit.COUNT,
        source=Source.COMPUTED,
        compute=consultation_sessions,
        app="portal",
    )
)
