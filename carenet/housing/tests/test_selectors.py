"""Nights and occupancy from stays equal an independent SQL count; a bed never holds two people on one night
(the service's check and the database's own refusal); unmet requests; the live capacity the directory reads."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from carenet.housing import selectors, services
from carenet.housing.models import Stay
from carenet.testing.factories import make_person

from .conftest import TODAY, answers, bed

D = datetime.timedelta
START = datetime.date(2025, 1, 1)
END = datetime.date(2025, 3, 1)


def _sql_nights_and_occupancy(
    residence_id: Any, start: datetime.date, end: datetime.date
) -> tuple[int, dict[str, int]]:
    """Independent of the selectors: one row per (stay, night) from a calendar of the period, counted in SQL."""
    days = (end - start).days
    calendar = " UNION ALL ".join(f"SELECT '{(start + D(days=i)).isoformat()}' AS night" for i in range(days))
    rid = residence_id.hex if connection.vendor == "sqlite" else str(residence_id)
    sql = (
        f"SELECT c.night, COUNT(s.id) FROM ({calendar}) c LEFT JOIN housing_stay s "  # noqa: S608
        "ON s.residence_id = %s AND CAST(s.check_in AS TEXT) <= c.night "
        "AND (s.check_out IS NULL OR CAST(s.check_out AS TEXT) > c.night) GROUP BY c.night ORDER BY c.night"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [rid])
        per_night = {str(night)[:10]: count for night, count in cursor.fetchall()}
    return sum(per_night.values()), per_night


@pytest.fixture
def year_of_stays(baia_mare: Any, org_a: Any, caseworker_a: Any, shelter: Any) -> list[Any]:
    """Random stays of six people in three beds over the period, some open, recorded through the service."""
    rng = random.Random(19)
    people = [make_person(baia_mare, org_a, first=f"Rezident{i}", last="Test") for i in range(6)]
    beds = [bed(shelter, code) for code in ("P1", "P2", "P3")]
    free_from = {b.pk: START - D(days=5) for b in beds}
    person_free = {p.pk: START - D(days=5) for p in people}
    made = []
    for _ in range(40):
        b = rng.choice(beds)
        p = rng.choice([p for p in people if person_free[p.pk] is not None] or [None])
        if p is None or free_from[b.pk] is None:
            continue
        check_in = max(free_from[b.pk], person_free[p.pk]) + D(days=rng.randint(0, 3))
        if check_in >= END + D(days=3):
            continue
        open_stay = rng.random() < 0.1
        check_out = None if open_stay else check_in + D(days=rng.randint(1, 9))
        made.append(
            services.stay_check_in(
                actor=caseworker_a, residence=shelter, bed=b, person=p, check_in=check_in, check_out=check_out
            ).stay
        )
        free_from[b.pk] = check_out
        person_free[p.pk] = check_out
    return made


def test_nights_and_occupancy_equal_an_independent_sql_count(baia_mare, shelter, year_of_stays):
    assert len(year_of_stays) >= 10
    total, per_night = _sql_nights_and_occupancy(shelter.pk, START, END)
    assert selectors.nights(municipality=baia_mare, start=START, end=END, residence_ids=[shelter.pk]) == total
    occupancy = selectors.occupancy_per_night(municipality=baia_mare, start=START, end=END, residence_ids=[shelter.pk])
    assert {d.isoformat(): n for d, n in occupancy.items()} == per_night
    assert (
        sum(
            selectors.nights_per_person(
                municipality=baia_mare, start=START, end=END, residence_ids=[shelter.pk]
            ).values()
        )
        == total
    )
    assert max(per_night.values()) <= 3  # three beds


def test_a_bed_cannot_hold_two_people_on_one_night_service(baia_mare, org_a, caseworker_a, shelter):
    one, two = make_person(baia_mare, org_a, first="Unu"), make_person(baia_mare, org_a, first="Doi")
    p1 = bed(shelter, "P1")
    services.stay_check_in(
        actor=caseworker_a, residence=shelter, bed=p1, person=one, check_in=START, check_out=START + D(days=3)
    )
    with pytest.raises(ValidationError) as exc:
        services.stay_check_in(actor=caseworker_a, residence=shelter, bed=p1, person=two, check_in=START + D(days=2))
    assert "bed" in exc.value.message_dict
    # the morning of check-out the bed is free for the evening
    services.stay_check_in(actor=caseworker_a, residence=shelter, bed=p1, person=two, check_in=START + D(days=3))
    assert Stay.objects.for_tenant(baia_mare).count() == 2


def test_a_bed_cannot_hold_two_people_on_one_night_database(baia_mare, org_a, shelter):
    """Written past the service, the database itself refuses the overlap (exclusion constraint / trigger)."""
    one, two = make_person(baia_mare, org_a, first="Unu"), make_person(baia_mare, org_a, first="Doi")
    p1 = bed(shelter, "P1")
    Stay.objects.for_tenant(baia_mare).create(
        municipality=baia_mare, residence=shelter, bed=p1, person=one, check_in=START, check_out=START + D(days=5)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.for_tenant(baia_mare).create(
            municipality=baia_mare, residence=shelter, bed=p1, person=two, check_in=START + D(days=4)
        )
    assert Stay.objects.for_tenant(baia_mare).count() == 1


def test_a_person_cannot_hold_two_beds_on_one_night(baia_mare, org_a, caseworker_a, shelter):
    one = make_person(baia_mare, org_a, first="Unu")
    services.stay_check_in(actor=caseworker_a, residence=shelter, bed=bed(shelter, "P1"), person=one, check_in=START)
    with pytest.raises(ValidationError) as exc:
        services.stay_check_in(
            actor=caseworker_a, residence=shelter, bed=bed(shelter, "P2"), person=one, check_in=START + D(days=1)
        )
    assert "person" in exc.value.message_dict


def test_a_resent_check_in_is_recorded_once(baia_mare, org_a, caseworker_a, shelter):
    one = make_person(baia_mare, org_a, first="Unu")
    key = "0b0e9f1c-7a3c-4c43-9e0e-2a8f5d0c9d11"
    first = services.stay_check_in(
        actor=caseworker_a, residence=shelter, bed=bed(shelter, "P1"), person=one, check_in=START, key=key
    )
    again = services.stay_check_in(
        actor=caseworker_a, residence=shelter, bed=bed(shelter, "P1"), person=one, check_in=START, key=key
    )
    assert first.created and not again.created and again.stay == first.stay
    assert Stay.objects.for_tenant(baia_mare).count() == 1


def test_extra_beds_open_on_declared_cold_nights_only(
    baia_mare, org_a, caseworker_a, coordinator, shelter, housing_rule
):
    one = make_person(baia_mare, org_a, first="Unu")
    extra = bed(shelter, "X1")
    with pytest.raises(ValidationError):
        services.stay_check_in(
            actor=caseworker_a, residence=shelter, bed=extra, person=one, check_in=TODAY, check_out=TODAY + D(days=1)
        )
    (cap,) = selectors.live_capacity(residences=[shelter], on=TODAY)
    assert (cap.beds, cap.extra_beds) == (3, 0)
    services.cold_night_declare(actor=coordinator, municipality=baia_mare, night=TODAY, temperature=Decimal("-12"))
    services.stay_check_in(
        actor=caseworker_a, residence=shelter, bed=extra, person=one, check_in=TODAY, check_out=TODAY + D(days=1)
    )
    (cap,) = selectors.live_capacity(residences=[shelter], on=TODAY)
    assert (cap.beds, cap.extra_beds, cap.occupied, cap.free) == (3, 1, 1, 3)


def test_full_residence_and_its_waiting_list(baia_mare, org_a, caseworker_a, shelter):
    people = [make_person(baia_mare, org_a, first=f"P{i}") for i in range(4)]
    for code, person in zip(("P1", "P2", "P3"), people, strict=False):
        services.stay_check_in(
            actor=caseworker_a, residence=shelter, bed=bed(shelter, code), person=person, check_in=TODAY
        )
    services.waiting_add(actor=caseworker_a, residence=shelter, person=people[3], on=TODAY)
    (cap,) = selectors.live_capacity(residences=[shelter], on=TODAY)
    assert cap.full and cap.waiting == 1


def test_capacity_by_service_is_what_the_directory_reads(baia_mare, org_a, caseworker_a, shelter, service_a):
    shelter.service = service_a
    shelter.save()
    services.stay_check_in(
        actor=caseworker_a,
        residence=shelter,
        bed=bed(shelter, "P1"),
        person=make_person(baia_mare, org_a),
        check_in=TODAY,
    )
    assert selectors.capacity_by_service(municipality=baia_mare, on=TODAY) == {service_a.pk: (3, 2)}


def test_unmet_requests_by_criterion_and_waiting_time(applicant_factory, officer, grid, baia_mare):
    old = applicant_factory(filed_on=TODAY - D(days=800))
    new = applicant_factory(filed_on=TODAY - D(days=10))
    services.application_score(
        actor=officer, application=old, answers=answers(grid, conditions=10, household=2, disability=5)
    )
    services.application_score(
        actor=officer, application=new, answers=answers(grid, conditions=0, household=2, disability=0)
    )
    unmet = selectors.unmet_requests(municipality=baia_mare)
    assert unmet.total == 2
    assert unmet.by_criterion == {"conditions": 1, "household": 2, "disability": 1}
    assert unmet.by_waiting_years == {"<1": 1, "1-2": 0, "2-5": 1, "5+": 0}
