import datetime

import pytest

from carenet.people.models import Person


def make_person(municipality, org, first="Ștefan", last="Munteanu", born=datetime.date(1957, 3, 2), **extra):
    person = Person(
        municipality=municipality,
        first_name=first,
        last_name=last,
        birth_date=born,
        registered_by_organisation=org,
        **extra,
    )
    person.save()
    return person


@pytest.fixture
def person_a(baia_mare, org_a):
    """A person of provider A (Baia Mare)."""
    return make_person(baia_mare, org_a, sex="M", address="Str. Victoriei 10")


@pytest.fixture
def person_b(baia_mare, org_b):
    return make_person(baia_mare, org_b, first="Ana", last="Pop", born=datetime.date(1990, 5, 1), sex="F")


@pytest.fixture
def balti_person(balti, balti_org):
    return make_person(balti, balti_org, first="Ion", last="Ciobanu", born=datetime.date(1960, 1, 1))
