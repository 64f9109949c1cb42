"""The pure rules: call-list splitting, the escalation ladder's timing, the dual index on a hand-made grid."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from carenet.campaigns.rules import dual_index, should_escalate, split_into_lists

T0 = datetime.datetime(2026, 7, 14, 8, 0, tzinfo=datetime.UTC)


def persons(n: int, zones: tuple[str, ...]) -> list[tuple[int, str, str]]:
    return [(i, zones[i % len(zones)], f"addr {i:04d}") for i in range(n)]


@pytest.mark.parametrize(("n", "workers", "size"), [(0, 2, 5), (1, 0, 5), (103, 4, 10), (500, 7, 25), (37, 1, 1)])
def test_every_at_risk_person_is_on_exactly_one_list(n, workers, size):
    lists = split_into_lists(persons(n, ("A", "B", "C", "")), [f"w{i}" for i in range(workers)], list_size=size)
    placed = Counter(p for lst in lists for p in lst.persons)
    assert set(placed) == set(range(n))
    assert all(count == 1 for count in placed.values())


def test_a_list_never_mixes_zones_nor_exceeds_its_size():
    people = persons(60, ("A", "B"))
    lists = split_into_lists(people, ["w1", "w2"], list_size=7)
    zone_of = {pid: zone for pid, zone, _ in people}
    for lst in lists:
        assert len(lst.persons) <= 7
        assert {zone_of[p] for p in lst.persons} == {lst.zone}


def test_the_lists_are_shared_evenly_among_the_workers():
    lists = split_into_lists(persons(100, ("A",)), ["w1", "w2", "w3", "w4"], list_size=5)
    load = Counter()
    for lst in lists:
        load[lst.assignee] += len(lst.persons)
    assert set(load.values()) == {25}


def test_without_workers_the_lists_wait_unassigned():
    lists = split_into_lists(persons(10, ("A",)), [], list_size=4)
    assert [len(lst.persons) for lst in lists] == [4, 4, 2]
    assert {lst.assignee for lst in lists} == {None}


def test_a_person_given_twice_is_listed_once():
    lists = split_into_lists([(1, "A", "x"), (1, "A", "x"), (2, "A", "y")], ["w"], list_size=10)
    assert lists[0].persons == [1, 2]


def test_a_list_walks_the_zone_in_address_order():
    lists = split_into_lists([(1, "A", "b"), (2, "A", "a"), (3, "A", "c")], ["w"], list_size=10)
    assert lists[0].persons == [2, 1, 3]


def h(hours: float) -> datetime.datetime:
    return T0 + datetime.timedelta(hours=hours)


def test_nobody_is_escalated_before_an_unanswered_try():
    assert not should_escalate([], max_tries=3, within_hours=4, now=h(10))


def test_two_unanswered_tries_within_the_window_wait():
    assert not should_escalate([h(0), h(1)], max_tries=3, within_hours=4, now=h(1))


def test_the_third_unanswered_try_within_four_hours_escalates():
    assert should_escalate([h(0), h(1), h(3.5)], max_tries=3, within_hours=4, now=h(3.5))


def test_three_tries_spread_beyond_the_window_do_not_count_together():
    # the third try came after the window: it is the clock, not the count, that escalates
    assert should_escalate([h(0), h(1), h(5)], max_tries=3, within_hours=4, now=h(5))
    assert not should_escalate([h(0), h(1)], max_tries=3, within_hours=4, now=h(3.99))


def test_a_single_unanswered_try_escalates_when_the_window_has_passed():
    assert not should_escalate([h(0)], max_tries=3, within_hours=4, now=h(3))
    assert should_escalate([h(0)], max_tries=3, within_hours=4, now=h(4))


def test_the_tenants_values_drive_the_ladder():
    tries = [h(0), h(0.5)]
    assert should_escalate(tries, max_tries=2, within_hours=1, now=h(0.5))
    assert not should_escalate(tries, max_tries=5, within_hours=12, now=h(0.5))


def test_the_index_on_a_hand_made_grid():
    # cell: (at-risk persons, persons served); thermal 0–1
    social = {"a": (10, 40), "b": (5, 20), "c": (0, 0), "d": (10, 0)}
    thermal = {"a": 1.0, "b": 0.5, "c": 0.9, "e": 0.3}
    rows = {r.cell: r for r in dual_index(social, thermal, critical=0.25)}
    # a: social (10/10 + 40/40)/2 = 1.0, thermal 1.0 → 1.0
    assert (rows["a"].social, rows["a"].thermal, rows["a"].index, rows["a"].critical) == (1.0, 1.0, 1.0, True)
    # b: social (5/10 + 20/40)/2 = 0.5, thermal 0.5 → 0.25 (critical from 0.25)
    assert (rows["b"].social, rows["b"].index, rows["b"].critical) == (0.5, 0.25, True)
    # c: hot but nobody vulnerable → 0
    assert (rows["c"].social, rows["c"].index, rows["c"].critical) == (0.0, 0.0, False)
    # d: vulnerable (social 0.5) but no heat → 0
    assert (rows["d"].social, rows["d"].thermal, rows["d"].index) == (0.5, 0.0, 0.0)
    # e: a heat cell with nobody → listed with index 0
    assert rows["e"].index == 0.0
    assert [r.cell for r in dual_index(social, thermal, critical=0.25)][:2] == ["a", "b"]


def test_cells_under_five_persons_are_suppressed_when_published():
    rows = {r.cell: r for r in dual_index({"a": (4, 1), "b": (5, 1)}, {"a": 1.0, "b": 1.0}, critical=0.5)}
    assert rows["a"].public_at_risk is None
    assert rows["b"].public_at_risk == 5
