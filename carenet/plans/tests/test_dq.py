"""Each data-quality rule and each indicator type."""

from decimal import Decimal as D

import pytest

from carenet.plans import dq
from carenet.plans.models import DisaggregationSet, Indicator, IndicatorKind, default_sex_age_disability
from carenet.plans.services import ValueInput, validate_value


def rules(issues, severity="error"):
    return {i.rule for i in issues if i.severity == severity}


def test_disaggregation_cells_must_add_up_to_the_total():
    assert not dq.check_disaggregation_sum(D(10), {"sex=f": D(4), "sex=m": D(6)})
    assert rules(dq.check_disaggregation_sum(D(10), {"sex=f": D(4), "sex=m": D(5)})) == {"disaggregation_sum"}


def test_each_margin_and_the_full_cells_are_checked_separately():
    cells = {"sex=f|age=0-6": D(3), "sex=m|age=0-6": D(7), "sex=f": D(3), "sex=m": D(6)}
    issues = dq.check_disaggregation_sum(D(10), cells)
    assert len(issues) == 1 and "sex" in issues[0].message


def test_a_breakdown_without_a_total_is_refused():
    assert rules(dq.check_disaggregation_sum(None, {"sex=f": D(1)})) == {"disaggregation_sum"}


def test_percentage_needs_a_positive_denominator():
    assert rules(dq.check_percentage(None, D(3), None)) == {"percentage_denominator"}
    assert rules(dq.check_percentage(None, D(3), D(0))) == {"percentage_denominator"}


def test_percentage_numerator_cannot_exceed_the_denominator():
    assert rules(dq.check_percentage(None, D(12), D(10))) == {"percentage_range"}


def test_percentage_must_be_between_0_and_100_and_match_its_parts():
    assert rules(dq.check_percentage(D(120), D(5), D(10))) == {"percentage_range"}
    assert rules(dq.check_percentage(D(40), D(5), D(10))) == {"percentage_mismatch"}
    assert not dq.check_percentage(D(50), D(5), D(10))


def test_a_big_jump_from_the_previous_period_is_a_warning():
    assert rules(dq.check_jump(D(100), D(300)), "warning") == {"jump"}
    assert not dq.check_jump(D(100), D(120))
    assert not dq.check_jump(D(2), D(6))  # small numbers: the absolute change is tiny


def test_population_table_consistency_finds_the_balti_64_plus_error():
    table = {"rows": [{"age_band": "64+", "women": 17264, "men": 10338, "total": 27602}]}
    text = {"total": 27602, "groups": [{"label": "64+", "total": 27682, "girls_women": 17264, "boys_men": 10338}]}
    issues = dq.check_population_tables(table, text)
    assert [i.rule for i in issues] == ["demography_group"]
    assert "27682" in issues[0].message and "27602" in issues[0].message


def test_population_rows_that_do_not_add_up_are_flagged():
    table = {"rows": [{"age_band": "0-6", "women": 1, "men": 1, "total": 3}]}
    assert [i.rule for i in dq.check_population_tables(table, {"total": 3})] == ["demography_row"]


# --- indicator types ------------------------------------------------------------------------------


def ind(kind, disaggregation=None):
    return Indicator(code="X", text="x", kind=kind, disaggregation=disaggregation)


def test_count_is_a_non_negative_whole_number():
    assert not validate_value(ind(IndicatorKind.COUNT), ValueInput(1, value=D(4)))
    assert rules(validate_value(ind(IndicatorKind.COUNT), ValueInput(1, value=D("4.5")))) == {"count_integer"}
    assert rules(validate_value(ind(IndicatorKind.COUNT), ValueInput(1, value=D(-1)))) == {"negative"}


def test_percentage_type_uses_numerator_and_denominator():
    assert not validate_value(ind(IndicatorKind.PERCENTAGE), ValueInput(1, numerator=D(3), denominator=D(4)))
    assert rules(validate_value(ind(IndicatorKind.PERCENTAGE), ValueInput(1, numerator=D(3)))) == {"percentage_denominator"}


def test_milestone_is_yes_or_no():
    assert not validate_value(ind(IndicatorKind.MILESTONE), ValueInput(1, value=D(1)))
    assert rules(validate_value(ind(IndicatorKind.MILESTONE), ValueInput(1, value=D(2)))) == {"milestone"}


def test_descriptive_list_takes_text_not_numbers():
    assert not validate_value(ind(IndicatorKind.LIST), ValueInput(1, text="violență\ntrafic"))
    assert rules(validate_value(ind(IndicatorKind.LIST), ValueInput(1, value=D(3)))) == {"list"}


def test_frequency_and_period_are_non_negative_numbers():
    assert not validate_value(ind(IndicatorKind.FREQUENCY), ValueInput(1, value=D(4)))
    assert rules(validate_value(ind(IndicatorKind.PERIOD), ValueInput(1, value=D(-2)))) == {"negative"}


def test_quantity_per_beneficiary_needs_both_parts():
    assert not validate_value(ind(IndicatorKind.PER_BENEFICIARY), ValueInput(1, numerator=D(30), denominator=D(10)))
    assert rules(validate_value(ind(IndicatorKind.PER_BENEFICIARY), ValueInput(1, numerator=D(30)))) == {"per_beneficiary"}
    assert rules(
        validate_value(ind(IndicatorKind.PER_BENEFICIARY), ValueInput(1, numerator=D(3), denominator=D(0)))
    ) == {"per_beneficiary"}


def test_disaggregated_count_is_checked_against_its_cells():
    dset = DisaggregationSet(code="s", name="s", dimensions=default_sex_age_disability(["0-17", "18+"])[:1])
    dset.pk = 1
    indicator = ind(IndicatorKind.COUNT, dset)
    indicator.disaggregation_id = 1
    ok = ValueInput(1, value=D(5), cells={"sex=f": D(2), "sex=m": D(3)})
    bad = ValueInput(1, value=D(5), cells={"sex=f": D(2), "sex=m": D(2)})
    assert not validate_value(indicator, ok)
    assert rules(validate_value(indicator, bad)) == {"disaggregation_sum"}


@pytest.mark.django_db
def test_computed_indicator_registry_counts_ngo_partners(bm_plan, baia_mare):
    from carenet.plans.computations import REGISTRY, compute
    from carenet.plans.models import ReportingPeriod

    assert {"network.providers_active", "network.ngo_partners", "directory.services_listed"} <= set(REGISTRY)
    kpi = bm_plan.indicators.get(code="KPI5")
    period = ReportingPeriod.objects.for_tenant(baia_mare).get(plan=bm_plan, code="2026")
    from carenet.core.models import Organisation

    ngos = Organisation.objects.for_tenant(baia_mare).filter(kind="ngo", is_generic=False).count()
    assert compute(kpi, period) == {"": D(ngos)}
    assert ngos > 0


@pytest.mark.django_db
def test_services_listed_counts_only_the_tenants_active_services(bm_plan, baia_mare, balti):
    from carenet.core.models import Organisation
    from carenet.directory.models import Service
    from carenet.plans.computations import REGISTRY
    from carenet.plans.models import ReportingPeriod

    org = Organisation.objects.for_tenant(baia_mare).get(code="das")
    Service.objects.create(municipality=baia_mare, organisation=org, name="Cantina socială")
    Service.objects.create(municipality=baia_mare, organisation=org, name="Închis", status="defunct")
    other = Organisation.objects.for_tenant(balti).get(code="ccsm")
    Service.objects.create(municipality=balti, organisation=other, name="CCSM")
    period = ReportingPeriod.objects.for_tenant(baia_mare).get(plan=bm_plan, code="2030")
    kpi = bm_plan.indicators.get(code="KPI5")
    assert REGISTRY["directory.services_listed"].fn(kpi, period) == {"": D(1)}
