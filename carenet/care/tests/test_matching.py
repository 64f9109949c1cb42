"""Matching: a caregiver outside their availability or beyond the distance is never proposed; a closer,
available, qualified caregiver ranks first on a hand-made case; the reasons are shown."""

from __future__ import annotations

import datetime

import pytest

from carenet.care import matching, selectors
from carenet.care.reasons import reasons_text

pytestmark = pytest.mark.django_db


def test_only_the_available_trained_caregivers_within_reach_are_proposed(care_request, hand_made):
    proposed = [p.caregiver.first_name for p in selectors.proposals(request=care_request)]
    assert proposed == ["Ana", "Bianca"]


def test_the_closer_available_qualified_caregiver_ranks_first_with_reasons(care_request, hand_made):
    first = selectors.proposals(request=care_request)[0]
    assert first.caregiver == hand_made["near"]
    assert first.distance_km == 0.5
    assert reasons_text(first.reasons) == [
        "0.5 km away along the streets",
        "free for the whole visit on Tuesday",
        "speaks Romanian",
        "completed the caregiver training",
    ]


def test_a_slot_that_ends_before_the_visit_ends_is_not_availability():
    need = matching.Need("companionship", (1,), datetime.time(10), 3.0, 47.0, 23.0)
    assert matching.slack_minutes(need, [(1, datetime.time(9), datetime.time(12, 59))]) is None
    assert matching.slack_minutes(need, [(1, datetime.time(10), datetime.time(13))]) == 0


def test_every_requested_day_must_be_covered():
    need = matching.Need("companionship", (1, 3), datetime.time(10), 2.0, 47.0, 23.0)
    assert matching.slack_minutes(need, [(1, datetime.time(8), datetime.time(14))]) is None


def test_language_outranks_a_small_distance():
    need = matching.Need("companionship", (1,), datetime.time(10), 2.0, 47.0, 23.0, language="hu")
    slots = ((1, datetime.time(8), datetime.time(14)),)

    def cand(i, km, langs):
        return matching.Candidate(
            id=i,
            kinds=("companionship",),
            languages=langs,
            trained=True,
            qualified=False,
            latitude=47.0 + km / matching.KM_PER_DEGREE_LAT,
            longitude=23.0,
            travel_km=10,
            slots=slots,
        )

    ranked = matching.rank(need, [cand("ro", 0.5, ("ro",)), cand("hu", 1.0, ("ro", "hu"))], max_distance_km=5)
    assert [p.candidate.id for p in ranked] == ["hu", "ro"]


def test_the_street_grid_distance_is_never_shorter_than_the_straight_line():
    from carenet.geo.geometry import haversine_km

    a, b = (47.6567, 23.5850), (47.6700, 23.6050)
    assert matching.grid_km(*a, *b) >= haversine_km(*a, *b)
