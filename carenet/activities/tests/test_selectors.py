"""The figures of the registers: each counted one way, cells adding up to the total, filters honoured."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from carenet.activities import selectors, services
from carenet.activities.selectors import ActivityFilter
from carenet.people.models import SensitiveProfile

from .conftest import DAY

YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
BANDS = [("0-17", 0, 17), ("18-64", 18, 64), ("65+", 65, None)]


def _fill(activity: Any, user: Any, person: Any) -> None:
    for sex, band, disability, n in (("F", "65+", "yes", 3), ("M", "65+", "no", 2), ("F", "18-64", "refused", 4)):
        services.participants_record(
            actor=user, activity=activity, key=uuid.uuid4(), sex=sex, age_band=band, disability=disability, number=n
        )
    services.attendance_record(actor=user, activity=activity, key=uuid.uuid4(), person_id=person.pk)


def test_participant_cells_add_up(activity_a: Any, caseworker_a: Any, person_a: Any, baia_mare: Any) -> None:
    # person_a: a man born 1957-03-02, 68 on the day; with a disability degree.
    SensitiveProfile.objects.create(municipality=baia_mare, person=person_a, disability_degree="severe")
    _fill(activity_a, caseworker_a, person_a)
    cells = selectors.participant_cells(
        municipality=baia_mare,
        date_from=YEAR[0],
        date_to=YEAR[1],
        filters=ActivityFilter(),
        by=("sex", "age", "disability"),
        age_bands=BANDS,
    )
    assert cells == {
        ("f", "65+", "yes"): 3,
        ("m", "65+", "no"): 2,
        ("f", "18-64", "unknown"): 4,
        ("m", "65+", "yes"): 1,
    }
    total = selectors.participant_total(
        municipality=baia_mare, date_from=YEAR[0], date_to=YEAR[1], filters=ActivityFilter()
    )
    assert total == sum(cells.values()) == 10
    assert selectors.activity_sheet_summary(activity=activity_a).total == 10


def test_participant_filters(activity_a: Any, caseworker_a: Any, person_a: Any, baia_mare: Any) -> None:
    _fill(activity_a, caseworker_a, person_a)

    def total(**kw: Any) -> int:
        return selectors.participant_total(
            municipality=baia_mare, date_from=YEAR[0], date_to=YEAR[1], filters=ActivityFilter(**kw)
        )

    assert total(age_min=65) == 6  # 3 + 2 anonymous 65+ and the named man of 68
    assert total(sex="F") == 7
    assert total(disability="yes") == 3  # person_a has no disability profile here
    assert total(categories=("training",)) == 0
    assert total(kinds=("event",)) == 10


def test_activity_figures(activity_a: Any, activity_b: Any, balti_activity: Any, baia_mare: Any) -> None:
    f = ActivityFilter()
    args = {"municipality": baia_mare, "date_from": YEAR[0], "date_to": YEAR[1]}
    assert selectors.activity_count(**args, filters=f) == 2  # Bălți's is not counted
    assert selectors.activity_count(**args, filters=ActivityFilter(categories=("training",))) == 1
    assert selectors.activity_partner_count(**args, filters=f) == 1
    assert selectors.activity_module_count(**args, filters=f) == 2
    assert selectors.activity_locality_count(**args, filters=f) == 1
    outside = {
        "municipality": baia_mare,
        "date_from": datetime.date(2026, 1, 1),
        "date_to": datetime.date(2026, 12, 31),
    }
    assert selectors.activity_count(**outside, filters=f) == 0


def test_staff_figures(manager_a: Any, org_a: Any, activity_a: Any, baia_mare: Any) -> None:
    trained = services.staff_member_create(
        actor=manager_a,
        organisation=org_a,
        full_name="A",
        profession="psychologist",
        employed_from=datetime.date(2020, 1, 1),
        sex="F",
        birth_year=1990,
    )
    services.staff_member_create(
        actor=manager_a,
        organisation=org_a,
        full_name="B",
        profession="social_assistant",
        employed_from=datetime.date(2020, 1, 1),
        employed_to=datetime.date(2025, 6, 30),
        sex="M",
    )
    services.training_record_add(actor=manager_a, member=trained, activity=activity_a, completed_on=DAY)
    cells = selectors.staff_trained_cells(
        municipality=baia_mare, date_from=YEAR[0], date_to=YEAR[1], by=("sex", "age"), age_bands=BANDS
    )
    assert cells == {("f", "18-64"): 1}
    assert selectors.staff_headcount(municipality=baia_mare, on=YEAR[1]) == 1
    assert selectors.staff_headcount(municipality=baia_mare, on=datetime.date(2025, 1, 1)) == 2
    assert selectors.staff_left(municipality=baia_mare, date_from=YEAR[0], date_to=YEAR[1]) == 1


def test_visibility(
    activity_a: Any,
    activity_b: Any,
    caseworker_a: Any,
    caseworker_b: Any,
    coordinator: Any,
    auditor: Any,
    other_tenant_user: Any,
    baia_mare: Any,
) -> None:
    def seen(user: Any) -> set[Any]:
        return set(selectors.activity_list(user=user, municipality=baia_mare).values_list("pk", flat=True))

    assert seen(caseworker_a) == {activity_a.pk}
    assert seen(caseworker_b) == {activity_a.pk, activity_b.pk}  # B is a partner of A's event
    assert seen(coordinator) == seen(auditor) == {activity_a.pk, activity_b.pk}
    assert seen(other_tenant_user) == set()
