"""The one computation of persons served, service acts and quantity (``delivery_cells``).

Baia Mare, 2025 (ages on 31 December 2025), bands "0-17", "18-64", "65+":
    Ana  F  born 2010-05-01  15  0-17   disability   org A: 2 deliveries (Feb, Mar), quantity 1 + 2
    Ion  M  born 1950-01-01  75  65+    —            org A: 1 (Mar, quantity 4); org B: 1 (Jul, quantity 1)
    Eva  U  no birth date    ?   —      —            org B: 1 (Jul, quantity 1)
    + Ana in 2024 and a Bălți person in 2025: never counted.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from carenet.cases.models import ServiceDelivery
from carenet.cases.selectors import Served, delivery_cells
from carenet.directory.models import Service
from carenet.people.models import Person, SensitiveProfile

pytestmark = pytest.mark.django_db

BANDS = (("0-17", 0, 17), ("18-64", 18, 64), ("65+", 65, None))
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture
def served(baia_mare, balti, org_a, org_b, balti_org):
    s_a = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina")
    s_b = Service.objects.create(municipality=baia_mare, organisation=org_b, name="Îngrijire")

    def person(m, first, sex, born, org):
        return Person.objects.create(
            municipality=m, first_name=first, last_name="T", sex=sex, birth_date=born, registered_by_organisation=org
        )

    ana = person(baia_mare, "Ana", "F", dt.date(2010, 5, 1), org_a)
    ion = person(baia_mare, "Ion", "M", dt.date(1950, 1, 1), org_a)
    eva = person(baia_mare, "Eva", "U", None, org_b)
    SensitiveProfile.objects.create(municipality=baia_mare, person=ana, disability_degree="medium")

    def deliver(m, p, service, org, day, quantity=1):
        ServiceDelivery.objects.create(
            municipality=m, person=p, service=service, organisation=org, delivered_on=day, quantity=Decimal(quantity)
        )

    deliver(baia_mare, ana, s_a, org_a, dt.date(2025, 2, 1), 1)
    deliver(baia_mare, ana, s_a, org_a, dt.date(2025, 3, 1), 2)
    deliver(baia_mare, ana, s_a, org_a, dt.date(2024, 12, 31), 9)
    deliver(baia_mare, ion, s_a, org_a, dt.date(2025, 3, 15), 4)
    deliver(baia_mare, ion, s_b, org_b, dt.date(2025, 7, 1), 1)
    deliver(baia_mare, eva, s_b, org_b, dt.date(2025, 7, 2), 1)
    other = person(balti, "Alt", "F", dt.date(1990, 1, 1), balti_org)
    s_balti = Service.objects.create(municipality=balti, organisation=balti_org, name="Centru")
    deliver(balti, other, s_balti, balti_org, dt.date(2025, 5, 5))
    return {"ana": ana, "ion": ion, "eva": eva, "service_a": s_a}


def count(baia_mare, **kw):
    return delivery_cells(municipality=baia_mare, date_from=START, date_to=END, **kw)


def test_each_person_counts_once_acts_and_quantity_add_up(served, baia_mare):
    assert count(baia_mare).total == Served(persons=3, acts=5, quantity=Decimal("9.00"))


def test_a_person_falls_in_exactly_one_cell_of_the_person_dimensions(served, baia_mare):
    cells = count(baia_mare, by=("sex", "age", "disability"), age_bands=BANDS).cells
    assert cells == {
        ("F", "0-17", True): Served(1, 2, Decimal("3.00")),
        ("M", "65+", False): Served(1, 2, Decimal("5.00")),
        ("U", None, False): Served(1, 1, Decimal("1.00")),
    }


def test_across_months_and_providers_a_person_counts_in_each_and_no_total_is_offered(served, baia_mare, org_a, org_b):
    by_month = count(baia_mare, by=("month",))
    assert {month: s.persons for (month,), s in by_month.cells.items()} == {
        dt.date(2025, 2, 1): 1,
        dt.date(2025, 3, 1): 2,
        dt.date(2025, 7, 1): 2,
    }
    by_org = count(baia_mare, by=("organisation",)).sum_by("organisation")
    assert {org: s.persons for org, s in by_org.items()} == {org_a.pk: 2, org_b.pk: 2}  # Ion by both
    with pytest.raises(ValueError):
        _ = count(baia_mare, by=("organisation",)).total


def test_providers_services_and_a_condition_on_the_persons_narrow_the_count(served, baia_mare, org_a):
    assert count(baia_mare, organisation_ids=[org_a.pk]).total.persons == 2
    assert count(baia_mare, service_ids=[served["service_a"].pk]).total.acts == 3
    assert count(baia_mare, persons=Q(sex="F")).total == Served(1, 2, Decimal("3.00"))


def test_a_user_counts_only_the_deliveries_they_may_see(served, caseworker_b, coordinator):
    # Provider B's caseworker: Ion's and Eva's deliveries by B, never Ana's or Ion's by A.
    assert delivery_cells(user=caseworker_b, date_from=START, date_to=END).total == Served(2, 2, Decimal("2.00"))
    assert delivery_cells(user=coordinator, date_from=START, date_to=END).total.persons == 3


def test_it_needs_either_a_user_or_a_municipality(baia_mare, coordinator):
    with pytest.raises(TypeError):
        delivery_cells(date_from=START, date_to=END)
    with pytest.raises(TypeError):
        delivery_cells(user=coordinator, municipality=baia_mare, date_from=START, date_to=END)


def test_persons_alone_come_from_the_semi_join_with_the_same_figures(served, baia_mare, org_b):
    full = count(baia_mare, by=("sex", "age", "disability", "area"), age_bands=BANDS)
    alone = count(baia_mare, by=("sex", "age", "disability", "area"), age_bands=BANDS, measures=("persons",))
    assert {k: s.persons for k, s in alone.cells.items()} == {k: s.persons for k, s in full.cells.items()}
    assert all(s.acts is None and s.quantity is None for s in alone.cells.values())
    for kw in ({"persons": Q(sex="M")}, {"organisation_ids": [org_b.pk]}, {}):
        assert count(baia_mare, measures=("persons",), **kw).total.persons == count(baia_mare, **kw).total.persons
