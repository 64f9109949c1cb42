"""KPIs over the portal's records (feedback, help requests, consultations), registered in analytics' registry.

Discovered by name (``autodiscover_modules("kpi_definitions")``), so the lower analytics layer never
imports the portal.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from carenet.analytics.kpis import Kpi, KpiFilters, KpiResult, Source, Unit, register
from carenet.analytics.kpis.computed import q2, share
from carenet.analytics.kpis.texts import NO_HELP_ANSWERED, NO_POPULATION, PORTAL

from .models import (
    ConsultationComment,
    ConsultationSession,
    HelpRequest,
    Idea,
    IdeaSupport,
    ServiceFeedback,
    SurveyResponse,
)

SATISFIED_FROM = 4  # ratings 4 and 5 of 5 count as satisfied


def satisfaction_rate(f: KpiFilters) -> KpiResult:
    qs = ServiceFeedback.objects.for_tenant(f.municipality).filter(created_at__date__range=(f.start, f.end))
    if f.organisation_ids is not None:
        qs = qs.filter(organisation_id__in=f.organisation_ids)
    ratings = list(qs.values_list("rating", flat=True))
    return share(sum(1 for r in ratings if r >= SATISFIED_FROM), len(ratings))


register(
    Kpi(
        code="bm02",
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
    qs = HelpRequest.objects.for_tenant(f.municipality).filter(
        created_at__date__range=(f.start, f.end), first_contact_at__isnull=False
    )
    if f.organisation_ids is not None:
        qs = qs.filter(routed_organisation_id__in=f.organisation_ids)
    if f.area_id:
        qs = qs.filter(area_id=f.area_id)
    hours = [
        (contact - created).total_seconds() / 3600
        for created, contact in qs.values_list("created_at", "first_contact_at")
    ]
    if not hours:
        return KpiResult(None, 0, note=str(NO_HELP_ANSWERED))
    return KpiResult(q2(statistics.median(hours)), len(hours))


register(
    Kpi(
        code="bm03",
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
        Idea.objects.filter(consultation__municipality=m, is_hidden=False, **between).count()
        + ConsultationComment.objects.filter(consultation__municipality=m, is_hidden=False, **between).count()
        + IdeaSupport.objects.filter(idea__consultation__municipality=m, **between).count()
        + SurveyResponse.objects.filter(survey__municipality=m, **between).count()
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
        number=17,
        name=PORTAL["bm17"][0],
        description=PORTAL["bm17"][1],
        unit=Unit.COUNT,
        source=Source.COMPUTED,
        compute=consultation_sessions,
        app="portal",
    )
)
