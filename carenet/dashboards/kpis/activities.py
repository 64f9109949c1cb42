"""Baia Mare's KPIs counted from the activities registers (issue 17): each one call of a selector of
``carenet.activities.selectors`` (one figure, one selector), over the kind categories the tenants share.

KPI 5 counts agreements signed (it counted organisations joining the network, a proxy); KPI 6 counts
participations in active-ageing programmes (it counted elderly persons served, a proxy); KPIs 11 and 12
were entered by hand and are now counted. KPIs 7 and 8 are the training platform's figures
(``carenet.training.selectors``: its courses and the register's other programmes, a course's sessions
counted once, as the course), so the training figures page and this page read the same numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.activities.selectors import (
    ActivityFilter,
    activity_count,
    agreements_signed,
    participant_total,
)
from carenet.geo.population import denominators
from carenet.training.selectors import vocational_completion, vocational_programmes

from .computed import q2
from .filters import KpiFilters
from .registry import BAIA_MARE_STRATEGY, Kpi, KpiResult, Source, Unit, register

ELDERLY_FROM = 64  # the population table's oldest band (64+)


def _filter(f: KpiFilters, **kw: object) -> ActivityFilter:
    organisations = tuple(f.organisation_ids) if f.organisation_ids is not None else ()
    return ActivityFilter(organisation_ids=organisations, **kw)  # type: ignore[arg-type]


def _count(categories: tuple[str, ...]):
    def compute(f: KpiFilters) -> KpiResult:
        n = activity_count(
            municipality=f.municipality, date_from=f.start, date_to=f.end, filters=_filter(f, categories=categories)
        )
        return KpiResult(Decimal(n), n)

    return compute


def agreements(f: KpiFilters) -> KpiResult:
    n = agreements_signed(municipality=f.municipality, date_from=f.start, date_to=f.end)
    return KpiResult(Decimal(n), n)


def active_ageing(f: KpiFilters) -> KpiResult:
    sex = {"F": "F", "M": "M"}.get(f.sex, "")
    taking_part = participant_total(
        municipality=f.municipality,
        date_from=f.start,
        date_to=f.end,
        filters=_filter(f, categories=("active_ageing",), age_min=ELDERLY_FROM, sex=sex),
    )
    year, bands = denominators(f.municipality, f.year)
    elderly = bands.get("64+")
    if elderly is None:
        return KpiResult(None, taking_part, None, note=_("No population by age is loaded for this municipality."))
    population = elderly.women if sex == "F" else elderly.men if sex == "M" else elderly.total
    if not population:
        return KpiResult(None, taking_part, population, note=_("No population by age is loaded for this municipality."))
    return KpiResult(
        q2(1000 * taking_part / population),
        taking_part,
        population,
        note=_("Population of %(year)s.") % {"year": year},
    )


def _organisations(f: KpiFilters) -> tuple[object, ...]:
    return tuple(f.organisation_ids) if f.organisation_ids is not None else ()


def vocational_programmes_held(f: KpiFilters) -> KpiResult:
    n = vocational_programmes(
        municipality=f.municipality, date_from=f.start, date_to=f.end, organisation_ids=_organisations(f)
    )
    return KpiResult(Decimal(n), n)


def completion(f: KpiFilters) -> KpiResult:
    rate = vocational_completion(
        municipality=f.municipality, date_from=f.start, date_to=f.end, organisation_ids=_organisations(f)
    )
    done, enrolled = rate.numerator, rate.denominator
    if not enrolled:
        return KpiResult(None, done, enrolled, note=_("No programme of the period records its enrolment."))
    return KpiResult(q2(100 * Decimal(done) / enrolled), done, enrolled)


register(
    Kpi(
        code="bm08",
        plan=BAIA_MARE_STRATEGY,
        number=8,
        name=gettext_lazy("Completion rate of training and continuing education"),
        description=gettext_lazy(
            "Participants who completed a training or vocational programme as a percentage of those whose programme "
            "ended: the courses' participants enrolled from a case, and the programmes of the activities register "
            "that record their enrolment (not a course's sessions)."
        ),
        unit=Unit.PERCENT,
        source=Source.COMPUTED,
        compute=completion,
        filters=("organisation",),
    )
)
register(
    Kpi(
        code="bm05",
        plan=BAIA_MARE_STRATEGY,
        number=5,
        name=gettext_lazy("New partnerships with NGOs and local institutions"),
        description=gettext_lazy(
            "Agreements (partnerships, cooperation protocols, contracts, memoranda) signed in the period, from the "
            "agreements register."
        ),
        unit=Unit.COUNT,
        source=Source.COMPUTED,
        compute=agreements,
    )
)
register(
    Kpi(
        code="bm06",
        plan=BAIA_MARE_STRATEGY,
        number=6,
        name=gettext_lazy("Participation of the elderly in active ageing programmes"),
        description=gettext_lazy(
            "Participations of persons aged 64 and over in active ageing programmes (activities register: named "
            "participants by age, counted ones by an age band wholly over 64), per 1,000 residents aged 64 and over."
        ),
        unit=Unit.PER_1000,
        source=Source.COMPUTED,
        compute=active_ageing,
        filters=("sex", "organisation"),
    )
)
register(
    Kpi(
        code="bm07",
        plan=BAIA_MARE_STRATEGY,
        number=7,
        name=gettext_lazy("Vocational training programmes for vulnerable groups"),
        description=gettext_lazy(
            "Courses of the training platform held in the period with a participant enrolled from a case, and the "
            "other vocational programmes of the activities register (a course's sessions count once, as its course)."
        ),
        unit=Unit.COUNT,
        source=Source.COMPUTED,
        compute=vocational_programmes_held,
        filters=("organisation",),
    )
)
for number, categories, name, description in (
    (
        11,
        ("event",),
        gettext_lazy("Community events for social inclusion"),
        gettext_lazy("Community and cultural events held in the period (activities register)."),
    ),
    (
        12,
        ("volunteering",),
        gettext_lazy("Volunteering initiatives supported by the municipality"),
        gettext_lazy("Volunteering initiatives held in the period (activities register)."),
    ),
):
    register(
        Kpi(
            code=f"bm{number:02d}",
            plan=BAIA_MARE_STRATEGY,
            number=number,
            name=name,
            description=description,
            unit=Unit.COUNT,
            source=Source.COMPUTED,
            compute=_count(categories),
            filters=("organisation",),
        )
    )
