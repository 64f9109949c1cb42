"""Computed indicators over CareNet's own data: a small hand-made data set with the expected numbers.

Bălți, period 2025 (1 January – 31 December 2025); ages at 31 December 2025; Bălți's age bands
0-6, 7-15, 16-18, 19-24, 25-35, 36-63, 64+ (the document's "19-25" ends at 24: each age in one band).

    person  sex  born        age  band     disability  deliveries 2025 (quantity)   other
    Ana     F    2020-03-01  5    0-6      severe      3 (1, 2, 1) + 1 in 2024       case active since 2024
    Ion     M    1990-06-15  35   25-35    —           1 (3)                         case closed 2024-12-01
    Eva     F    1950-01-01  75   64+      profile, no 2 (1, 1)                      case refused in 2025
    Dan     M    unknown     ?    unknown  —           1 (1)                         case opened 2026
    Mia     F    2000-12-31  25   25-35    —           0 (1 in 2026)                 case opened 2025-11-01
    + a Baia Mare person served in 2025 (another tenant: never counted)
"""

import datetime
from decimal import Decimal as D

import pytest

from carenet.cases.models import Case, CaseStatus, ServiceDelivery
from carenet.directory.models import Service
from carenet.people.models import Person, SensitiveProfile
from carenet.plans.computations import REGISTRY, compute, parse_age_band
from carenet.plans.models import IndicatorSource, PeriodStatus, ReportingPeriod
from carenet.referrals.models import Referral, ReferralStatus
from conftest import org

F, YES, NO = "sex=f", "disability=yes", "disability=no"


def cell(sex, age, disability):
    return f"sex={sex}|age={age}|disability={disability}"


def _person(m, o, first, sex, born):
    return Person.objects.create(
        municipality=m, first_name=first, last_name="Test", sex=sex, birth_date=born, registered_by_organisation=o
    )


def _deliver(m, o, service, person, on, quantity=1):
    ServiceDelivery.objects.create(
        municipality=m,
        person=person,
        service=service,
        organisation=o,
        delivered_on=datetime.date.fromisoformat(on),
        quantity=D(quantity),
    )


def _case(m, o, person, n, status, opened, closed=None, **more):
    extra = more | ({"refusal_reason": "not eligible"} if status == CaseStatus.REFUSED else {})
    return Case.objects.create(
        municipality=m,
        reference=f"T-{n}",
        organisation=o,
        person=person,
        channel="walk_in",
        status=status,
        opened_on=datetime.date.fromisoformat(opened),
        closed_on=datetime.date.fromisoformat(closed) if closed else None,
        **extra,
    )


def _at(day):
    return datetime.datetime.fromisoformat(f"{day}T10:00:00+00:00")


@pytest.fixture
def data(balti_plan, balti, baia_mare, org_a):
    o = org(balti, "ccsm")
    service = Service.objects.create(municipality=balti, organisation=o, name="Centrul de zi")
    ana = _person(balti, o, "Ana", "F", datetime.date(2020, 3, 1))
    ion = _person(balti, o, "Ion", "M", datetime.date(1990, 6, 15))
    eva = _person(balti, o, "Eva", "F", datetime.date(1950, 1, 1))
    dan = _person(balti, o, "Dan", "M", None)
    mia = _person(balti, o, "Mia", "F", datetime.date(2000, 12, 31))
    SensitiveProfile.objects.create(municipality=balti, person=ana, disability_degree="severe")
    SensitiveProfile.objects.create(municipality=balti, person=eva, disability_degree="")
    for on, q in (("2025-01-01", 1), ("2025-06-30", 2), ("2025-12-31", 1), ("2024-12-31", 5)):
        _deliver(balti, o, service, ana, on, q)
    _deliver(balti, o, service, ion, "2025-03-03", 3)
    _deliver(balti, o, service, eva, "2025-02-02")
    _deliver(balti, o, service, eva, "2025-02-09")
    _deliver(balti, o, service, dan, "2025-07-07")
    _deliver(balti, o, service, mia, "2026-01-01")
    other = _person(baia_mare, org_a, "Other", "F", datetime.date(1980, 1, 1))
    other_service = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina")
    _deliver(baia_mare, org_a, other_service, other, "2025-05-05")

    ana_case = _case(balti, o, ana, 1, CaseStatus.ACTIVE, "2024-05-01")
    ion_case = _case(balti, o, ion, 2, CaseStatus.CLOSED, "2024-01-10", "2024-12-01", outcome="goals_met")
    eva_case = _case(balti, o, eva, 3, CaseStatus.REFUSED, "2025-02-01")
    dan_case = _case(balti, o, dan, 4, CaseStatus.INTAKE, "2026-01-05")
    _case(balti, o, mia, 5, CaseStatus.INTAKE, "2025-11-01")
    _case(baia_mare, org_a, other, 6, CaseStatus.ACTIVE, "2025-01-01")

    to = org(balti, "primaria")
    target = Service.objects.create(municipality=balti, organisation=to, name="Ajutor")

    def refer(n, case, status, sent=None, closed=None, **extra):
        Referral.objects.create(
            municipality=balti,
            reference=f"R-{n}",
            case=case,
            person=case.person,
            from_organisation=o,
            to_service=target,
            to_organisation=to,
            reason="test",
            status=status,
            sent_at=_at(sent) if sent else None,
            closed_at=_at(closed) if closed else None,
            **extra,
        )

    refer(1, ana_case, ReferralStatus.COMPLETED, "2025-03-01", "2025-04-01", outcome="goals_met")
    refer(2, ana_case, ReferralStatus.SENT, "2025-05-01")
    refer(3, ion_case, ReferralStatus.SENT, "2025-06-01")
    refer(4, eva_case, ReferralStatus.COMPLETED, "2024-12-20", "2025-01-10", outcome="goals_met")
    refer(5, dan_case, ReferralStatus.DRAFT)
    return ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")


def _indicator(plan, dims):
    """An indicator of the Bălți plan with the given disaggregation (sex-age-disability, sex-age, sex or none)."""
    codes = {"sex-age-disability": "1.1.2.3", "sex-age": "5.1.1.1", "sex": "5.1.7.2", None: "1.2.3.2"}
    indicator = plan.indicators.select_related("disaggregation").get(code=codes[dims])
    expected = {"sex-age-disability": ["sex", "age", "disability"], "sex-age": ["sex", "age"], "sex": ["sex"]}
    assert (indicator.disaggregation.dimension_codes() if indicator.disaggregation else []) == expected.get(dims, [])
    return indicator


def _run(name, plan, period, dims="sex-age-disability"):
    result = REGISTRY[name].fn(_indicator(plan, dims), period)
    assert sum(v for k, v in result.items() if k) == result[""] or result.keys() == {""}, "cells must add up"
    return result


@pytest.mark.django_db
def test_unique_persons_served_counts_each_person_once_in_their_cell(data, balti_plan):
    assert _run("cases.persons_served", balti_plan, data) == {
        "": D(4),
        cell("f", "0-6", "yes"): D(1),
        cell("m", "25-35", "no"): D(1),
        cell("f", "64+", "no"): D(1),
        cell("m", "unknown", "no"): D(1),
    }


@pytest.mark.django_db
def test_service_acts_count_every_delivery_of_the_period(data, balti_plan):
    assert _run("cases.service_acts", balti_plan, data) == {
        "": D(7),
        cell("f", "0-6", "yes"): D(3),
        cell("m", "25-35", "no"): D(1),
        cell("f", "64+", "no"): D(2),
        cell("m", "unknown", "no"): D(1),
    }


@pytest.mark.django_db
def test_service_quantity_sums_the_quantities_of_the_period(data, balti_plan):
    assert _run("cases.service_quantity", balti_plan, data) == {
        "": D(10),
        cell("f", "0-6", "yes"): D(4),
        cell("m", "25-35", "no"): D(3),
        cell("f", "64+", "no"): D(2),
        cell("m", "unknown", "no"): D(1),
    }


@pytest.mark.django_db
def test_persons_with_a_case_open_during_the_period(data, balti_plan):
    # Ana (open since 2024) and Mia (opened in November); Ion closed before, Eva refused, Dan opened after.
    # Mia turns 25 on 31 December 2025: she is counted once, in 25-35 (the bands no longer overlap).
    assert _run("cases.persons_active_case", balti_plan, data) == {
        "": D(2),
        cell("f", "0-6", "yes"): D(1),
        cell("f", "25-35", "no"): D(1),
    }


@pytest.mark.django_db
def test_referrals_sent_and_completed_in_the_period(data, balti_plan):
    assert _run("referrals.sent", balti_plan, data) == {
        "": D(3),
        cell("f", "0-6", "yes"): D(2),
        cell("m", "25-35", "no"): D(1),
    }
    assert _run("referrals.completed", balti_plan, data) == {
        "": D(2),
        cell("f", "0-6", "yes"): D(1),
        cell("f", "64+", "no"): D(1),
    }
    assert _run("referrals.persons_referred", balti_plan, data) == {
        "": D(2),
        cell("f", "0-6", "yes"): D(1),
        cell("m", "25-35", "no"): D(1),
    }


@pytest.mark.django_db
def test_cells_follow_the_indicators_own_disaggregation_set(data, balti_plan):
    assert _run("cases.persons_served", balti_plan, data, dims="sex") == {"": D(4), F: D(2), "sex=m": D(2)}
    assert _run("cases.persons_served", balti_plan, data, dims="sex-age") == {
        "": D(4),
        "sex=f|age=0-6": D(1),
        "sex=m|age=25-35": D(1),
        "sex=f|age=64+": D(1),
        "sex=m|age=unknown": D(1),
    }
    assert _run("cases.service_acts", balti_plan, data, dims=None) == {"": D(7)}


@pytest.mark.django_db
def test_another_tenants_deliveries_never_count(data, bm_plan, baia_mare):
    period = ReportingPeriod.objects.for_tenant(baia_mare).get(plan=bm_plan, code="2025")
    kpi = bm_plan.indicators.select_related("disaggregation").get(code="KPI1")
    assert compute(kpi, period) == {"": D(1), cell("f", "18-64", "no"): D(1)}


@pytest.mark.django_db
def test_an_empty_period_gives_zero(data, balti_plan, balti):
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2027")
    assert _run("cases.persons_served", balti_plan, period) == {"": D(0)}


def test_age_bands_are_read_from_their_labels():
    assert parse_age_band("0-6") == (0, 6)
    assert parse_age_band("64+") == (64, None)
    assert parse_age_band("18–64") == (18, 64)
    assert parse_age_band("adults") is None


@pytest.mark.django_db
def test_baia_mare_kpi1_is_computed_as_unique_persons_served_by_sex_age_disability(bm_plan):
    kpi = bm_plan.indicators.get(code="KPI1")
    assert (kpi.source, kpi.computation) == (IndicatorSource.COMPUTED, "cases.persons_served")
    assert kpi.disaggregation.dimension_codes() == ["sex", "age", "disability"]


@pytest.mark.django_db
def test_the_annual_report_computes_an_open_period_now_and_keeps_a_locked_one(data, balti_plan, balti):
    from carenet.reports.annual_report import build_report

    ind = _indicator(balti_plan, "sex-age-disability")
    ind.source, ind.computation = IndicatorSource.COMPUTED, "cases.persons_served"
    ind.save()
    report = build_report(plan=balti_plan, period_code="2025")
    row = next(r for s in report.sections for a in s.actions for r in a.indicators if r.indicator.pk == ind.pk)
    assert row.values == {"2025": "4"}
    assert sum(v for _label, v in row.breakdown) == D(4)
    assert row.table is not None

    data.status = PeriodStatus.LOCKED  # locked without a refresh: nothing stored, nothing computed
    data.save()
    report = build_report(plan=balti_plan, period_code="2025")
    row = next(r for s in report.sections for a in s.actions for r in a.indicators if r.indicator.pk == ind.pk)
    assert row.values == {"2025": "—"}


@pytest.mark.django_db
def test_compute_all_sums_the_finest_cells_up_to_each_indicators_own_set(data, balti_plan):
    from carenet.plans.computations import compute_all

    indicators = [_indicator(balti_plan, d) for d in ("sex-age-disability", "sex-age", "sex", None)]
    for ind in indicators:
        ind.source, ind.computation = IndicatorSource.COMPUTED, "cases.persons_served"
    together = compute_all(indicators, data)
    assert together == {ind.pk: compute(ind, data) for ind in indicators}
    assert together[indicators[2].pk] == {"": D(4), F: D(2), "sex=m": D(2)}


@pytest.mark.django_db
def test_persons_acts_and_quantity_come_from_one_query_over_deliveries(data, balti_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carenet.plans.computations import compute_all

    names = ["cases.persons_served", "cases.service_acts", "cases.service_quantity"]
    indicators = [_indicator(balti_plan, d) for d in ("sex-age-disability", "sex-age", "sex")]
    for ind, name in zip(indicators, names, strict=True):
        ind.source, ind.computation = IndicatorSource.COMPUTED, name
    alone = {ind.pk: compute(ind, data) for ind in indicators}
    with CaptureQueriesContext(connection) as queries:
        together = compute_all(indicators, data)
    over_deliveries = [q for q in queries.captured_queries if "cases_servicedelivery" in q["sql"]]
    assert len(over_deliveries) == 1
    assert together == alone
    assert together[indicators[2].pk] == {"": D(4 + 3 + 2 + 1), F: D(4 + 2), "sex=m": D(3 + 1)}


@pytest.mark.django_db
def test_locking_a_period_stores_the_computed_values_with_their_cells(data, balti_plan, balti):
    from carenet.plans.models import IndicatorValue
    from carenet.plans.services import computed_values_refresh

    ind = _indicator(balti_plan, "sex")
    ind.source, ind.computation = IndicatorSource.COMPUTED, "cases.service_acts"
    ind.save()
    computed_values_refresh(period=data)
    stored = dict(
        IndicatorValue.objects.for_tenant(balti).filter(indicator=ind, period=data).values_list("combo", "value")
    )
    assert stored == {"": D(7), F: D(5), "sex=m": D(2)}


@pytest.mark.django_db
def test_the_unknown_cells_have_readable_labels(balti_plan):
    from django.utils import translation

    dset = _indicator(balti_plan, "sex-age-disability").disaggregation
    with translation.override("ro"):
        assert (
            dset.combo_label(cell("unknown", "unknown", "no"))
            == "sex neînregistrat · vârstă neînregistrată · fără dizabilități"
        )
