"""The demo: Baia Mare's night shelter and transit centre for young people from the seeds, with a synthetic
year whose nights come to the strategy's figures; every person, application and stay synthetic; idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from carenet.core import demo as core_demo
from carenet.housing import demo, selectors
from carenet.housing.models import Application, Contract, RankedList, Residence, Stay
from carenet.people.models import Person
from carenet.testing.factories import make_person, org

YEAR = (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))


def test_demo_year_of_places_and_housing(baia_mare: Any, balti: Any) -> None:
    core_demo.load()
    das = org(baia_mare, "das")
    for i in range(220):
        make_person(
            baia_mare,
            das,
            first=f"Sintetic{i}",
            last="Demo",
            born=datetime.date(1960 + i % 40, 1, 1),
            is_synthetic=True,
        )
    demo.load()
    demo.load()  # idempotent
    residences = {
        r.organisation.code: r for r in Residence.objects.for_tenant(baia_mare).select_related("organisation")
    }
    assert set(residences) == {"azil-noapte", "centru-tranzit-tineri"}
    shelter = selectors.nights(
        municipality=baia_mare, start=YEAR[0], end=YEAR[1], residence_ids=[residences["azil-noapte"].pk]
    )
    youth = selectors.nights(
        municipality=baia_mare, start=YEAR[0], end=YEAR[1], residence_ids=[residences["centru-tranzit-tineri"].pk]
    )
    assert abs(shelter - 16544) <= 16544 * 0.01 and abs(youth - 4984) <= 4984 * 0.01
    persons = Person.objects.for_tenant(baia_mare)
    stays = Stay.objects.for_tenant(baia_mare)
    assert stays.filter(is_synthetic=True).count() == stays.count() > 100
    assert not persons.filter(pk__in=stays.values("person_id"), is_synthetic=False).exists()
    assert Application.objects.for_tenant(baia_mare).filter(is_synthetic=False).count() == 0
    assert Contract.objects.for_tenant(baia_mare).exists()
    assert RankedList.objects.for_tenant(baia_mare).get().status == "approved"
    assert not Residence.objects.for_tenant(balti).exists()
