"""The canteen's demo: the seeds' units and rules, a synthetic year flagged synthetic, idempotent."""

from __future__ import annotations

from django.utils import timezone

from carenet.canteen import demo, selectors
from carenet.canteen.models import (
    Application,
    CanteenUnit,
    ContributionPayment,
    Meal,
    NominalList,
    Reverification,
    RoundStop,
    RuleSet,
)
from carenet.core.models import Municipality


def test_the_demo_loads_baia_mares_four_units_and_a_synthetic_year_once(db):
    from carenet.accounts import demo as accounts_demo
    from carenet.cases import demo as cases_demo
    from carenet.core import demo as core_demo
    from carenet.directory import demo as directory_demo
    from carenet.geo import demo as geo_demo

    for loader in (core_demo.load, accounts_demo.load, geo_demo.load, directory_demo.load, cases_demo.load):
        loader()
    demo.load()
    baia_mare = Municipality.objects.get(slug="baia-mare")
    meals = Meal.objects.for_tenant(baia_mare)
    count = meals.count()
    demo.load()  # idempotent
    assert meals.count() == count > 1000
    assert not meals.filter(is_synthetic=False).exists()
    assert not Application.objects.for_tenant(baia_mare).filter(is_synthetic=False).exists()
    payments = ContributionPayment.objects.for_tenant(baia_mare)
    assert payments.exists() and not payments.filter(is_synthetic=False).exists()
    # files checked when due (synthetic decisions' checks), a few left overdue for the office
    assert Reverification.objects.for_tenant(baia_mare).filter(decision__is_synthetic=True).exists()
    units = CanteenUnit.objects.for_tenant(baia_mare)
    assert set(units.values_list("name", flat=True)) == {
        "Cantina de Ajutor Social",
        "Azilul de Noapte",
        "Centrul Multifuncțional Romani",
        "Centrul Comunitar Multifuncțional",
    }
    rules = RuleSet.objects.for_tenant(baia_mare).get()
    assert {"threshold", "meal_allowance"} <= set(rules.unstated)  # demo values stay flagged
    for nominal_list in NominalList.objects.for_tenant(baia_mare).select_related("unit"):
        on_list = set(selectors.list_entries(nominal_list=nominal_list).values_list("decision_id", flat=True))
        active = set(
            selectors.decisions_active(
                municipality=baia_mare, unit=nominal_list.unit, month=nominal_list.month
            ).values_list("pk", flat=True)
        )
        assert on_list == active
    # the home-delivery rounds carry every person delivered at home whose decision is in force today
    in_force = selectors.unassigned_home_deliveries(unit=units.get(home_delivery=True), on=timezone.localdate())
    assert not in_force.filter(valid_from__lte=timezone.localdate()).exists()
    assert RoundStop.objects.for_tenant(baia_mare).exists()
    assert meals.filter(delivery_round__isnull=False, home_delivery=True).exists()
    assert not meals.filter(delivery_round__isnull=False, home_delivery=False).exists()
    balti = Municipality.objects.get(slug="balti")
    assert RuleSet.objects.for_tenant(balti).get().currency == "MDL"
