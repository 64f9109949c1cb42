import pytest
from django.core.exceptions import ValidationError

from carenet.core.seeds import load_seed
from carenet.plans import importers
from carenet.plans.models import (
    Action,
    CostKind,
    CostLine,
    Finding,
    GeneralObjective,
    Indicator,
    IndicatorKind,
    SpecificObjective,
)

pytestmark = pytest.mark.django_db


def test_balti_plan_has_exactly_the_documents_counts(balti_plan, balti):
    assert GeneralObjective.objects.for_tenant(balti).filter(plan=balti_plan).count() == 6
    assert SpecificObjective.objects.for_tenant(balti).filter(plan=balti_plan).count() == 11
    assert Action.objects.for_tenant(balti).filter(plan=balti_plan).count() == 57
    assert Indicator.objects.for_tenant(balti).filter(plan=balti_plan).count() == 160


def test_baia_mare_plan_has_os1_to_os8_46_actions_and_20_kpis(bm_plan, baia_mare):
    codes = list(GeneralObjective.objects.for_tenant(baia_mare).filter(plan=bm_plan).values_list("code", flat=True))
    assert codes == [f"OS{i}" for i in range(1, 9)]
    assert Action.objects.for_tenant(baia_mare).filter(plan=bm_plan).count() == 46
    assert Indicator.objects.for_tenant(baia_mare).filter(plan=bm_plan, action__isnull=True).count() == 20


def test_every_balti_action_text_matches_the_source(balti_plan, balti):
    source = {
        a["code"]: a
        for area in load_seed("balti_action_plan")["areas"]
        for g in area["general_objectives"]
        for s in g["specific_objectives"]
        for a in s["actions"]
    }
    for action in Action.objects.for_tenant(balti).filter(plan=balti_plan):
        assert action.title == source[action.code]["title"]
        assert action.responsible_text == source[action.code]["responsible_raw"]
        texts = list(action.indicators.order_by("order").values_list("text", flat=True))
        assert texts == [i["text"] for i in source[action.code]["indicators_derived"]]


def test_every_baia_mare_action_text_matches_the_source(bm_plan, baia_mare):
    source = {a["id"]: a for os_ in load_seed("baia_mare_action_plan")["plan_de_actiune"] for a in os_["actiuni"]}
    for action in Action.objects.for_tenant(baia_mare).filter(plan=bm_plan):
        assert action.title == source[action.code]["actiune"]
        assert action.funding_text == source[action.code]["finantare"]
        assert action.term == source[action.code]["termen"]


def test_all_balti_cost_cells_are_kept_as_written(balti_plan, balti):
    lines = CostLine.objects.for_tenant(balti).filter(action__plan=balti_plan)
    assert lines.count() == 57 * 3
    amounts = lines.filter(kind=CostKind.AMOUNT)
    assert sorted(amounts.values_list("action__code", flat=True)) == ["2.1.2", "2.1.3"]
    assert sum(a.planned_amount for a in amounts) == 300000
    assert lines.filter(kind=CostKind.WITHIN_AVAILABLE).count() == 24
    assert lines.filter(kind=CostKind.BLANK).count() == 3
    assert lines.filter(as_written="în limita resurselor financiare disponibile").exists()


def test_responsible_bodies_and_partners_are_directory_organisations(balti_plan, balti):
    action = Action.objects.for_tenant(balti).get(plan=balti_plan, code="1.1.2")
    assert set(action.responsible.values_list("code", flat=True)) == {"primaria", "dir-cultura"}
    assert set(action.partners.values_list("code", flat=True)) == {"ong", "parteneri", "donatori"}


def test_indicator_types_and_disaggregations_follow_the_source(balti_plan, balti):
    qs = Indicator.objects.for_tenant(balti).filter(plan=balti_plan)
    assert qs.filter(kind=IndicatorKind.COUNT).count() == 106
    assert qs.filter(kind=IndicatorKind.LIST).count() == 37
    assert qs.filter(kind=IndicatorKind.MILESTONE).count() == 9
    assert qs.filter(disaggregation__isnull=False).count() == 27
    library = qs.get(code="1.1.2.3")
    assert library.disaggregation.dimension_codes() == ["sex", "age", "disability"]
    assert len(library.disaggregation.combos()) == 2 * 7 * 2


def test_specific_objective_numeric_targets(balti_plan, balti):
    so = SpecificObjective.objects.for_tenant(balti).get(plan=balti_plan, code="1.2")
    assert (so.target_value, so.target_operator, so.target_unit) == (70, ">=", "%")
    assert SpecificObjective.objects.for_tenant(balti).get(plan=balti_plan, code="2.1").target_value is None


def test_demographic_inconsistencies_of_the_document_are_shown_as_warnings(balti_plan, balti):
    findings = Finding.objects.for_tenant(balti).filter(plan=balti_plan)
    computed = findings.get(origin="computed")
    assert "27682" in computed.message and "27602" in computed.message
    assert findings.filter(origin="context_statistics", code="V01").exists()
    assert findings.filter(origin="document").count() == 10


def test_import_refuses_a_source_whose_counts_do_not_match(monkeypatch, balti):
    draft = importers.build_balti()
    draft.actions.pop()
    with pytest.raises(ValidationError):
        importers._check_counts(draft, importers.BALTI_EXPECTED)


def test_import_refuses_unknown_organisations_and_saves_nothing(balti):
    from carenet.plans.models import Plan

    with pytest.raises(ValidationError) as exc:
        importers.import_balti_plan(municipality=balti)
    assert "primaria" in str(exc.value)
    assert not Plan.objects.for_tenant(balti).exists()


def test_loading_the_demo_twice_keeps_one_plan_each(plans_loaded, balti):
    from carenet.plans import demo
    from carenet.plans.models import Plan

    demo.load()
    assert Plan.objects.for_tenant(balti).count() == 1
    assert Action.objects.for_tenant(balti).count() == 57


def test_balti_age_bands_do_not_overlap_and_an_overlapping_set_is_refused():
    from carenet.geo.population import age_band_overlaps
    from carenet.plans.computations import parse_age_band
    from carenet.plans.importers import BALTI_AGE_BANDS, ImportRefused, _disaggregation_specs

    assert age_band_overlaps([(b, *parse_age_band(b)) for b in BALTI_AGE_BANDS]) == []
    with pytest.raises(ImportRefused, match="19-25 / 25-35"):
        _disaggregation_specs(["0-18", "19-25", "25-35"])


@pytest.mark.django_db
def test_the_migration_renames_overlapping_bands_in_sets_and_stored_values(balti_plan):
    import importlib

    from django.apps import apps

    from carenet.plans.models import DisaggregationSet, IndicatorValue

    dset = DisaggregationSet.objects.for_tenant(balti_plan.municipality).get(code=f"{balti_plan.code}-sex-age")
    old = [dict(d) for d in dset.dimensions]
    for d in old:
        if d["code"] == "age":
            d["options"] = [
                {
                    "code": "19-25" if o["code"] == "19-24" else o["code"],
                    "label": "19-25" if o["label"] == "19-24" else o["label"],
                }
                for o in d["options"]
            ]
    DisaggregationSet.objects.for_tenant(balti_plan.municipality).filter(pk=dset.pk).update(dimensions=old)
    indicator = balti_plan.indicators.filter(disaggregation=dset).first()
    period = balti_plan.periods.order_by("start_date").first()
    value = IndicatorValue.objects.create(
        municipality=balti_plan.municipality, indicator=indicator, period=period, combo="sex=f|age=19-25", value=3
    )
    importlib.import_module("carenet.plans.migrations.0007_age_bands_disjoint").forwards(apps, None)
    dset.refresh_from_db()
    ages = next(d for d in dset.dimensions if d["code"] == "age")["options"]
    assert [o["code"] for o in ages][3:5] == ["19-24", "25-35"] and ages[3]["label"] == "19-24"
    value.refresh_from_db()
    assert value.combo == "sex=f|age=19-24"
