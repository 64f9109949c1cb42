"""What the care tests add to the shared fixtures: Baia Mare's matching rule (5 km, trained caregivers
only) and a hand-made case around a family near the centre that wants 3 hours of companionship on
Tuesdays from 10:00."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from carenet.care import services
from carenet.care.models import MatchingRule
from carenet.testing.factories import UserFactory
from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)

CENTRE = (47.6567, 23.5850)
KM_LAT = 1 / 110.574  # one kilometre north, in degrees
T = datetime.time


def north(km: float) -> tuple[float, float]:
    return CENTRE[0] + km * KM_LAT, CENTRE[1]


@pytest.fixture
def bm_rule(baia_mare: Any) -> Any:
    return MatchingRule.objects.for_tenant(baia_mare).create(
        municipality=baia_mare,
        max_distance_km=5,
        require_training=True,
        proposals=5,
        valid_from=datetime.date(2024, 1, 1),
    )


def caregiver(
    municipality: Any,
    org: Any,
    name: str,
    km: float,
    slots: list,
    *,
    trained: bool = True,
    travel: str = "10",
    languages=("ro",),
    user: Any = None,
    qualifications: str = "",
) -> Any:
    lat, lon = north(km)
    c = services.caregiver_create(
        actor=None,
        municipality=municipality,
        data=services.CaregiverInput(
            first_name=name,
            last_name="Test",
            latitude=lat,
            longitude=lon,
            kinds=["companionship", "household"],
            languages=list(languages),
            training_completed=trained,
            travel_km=Decimal(travel),
            organisation=org,
            user=user,
            qualifications=qualifications,
        ),
    )
    services.caregiver_set_slots(caregiver=c, slots=slots, actor=None)
    return c


TUESDAY_MORNING = [(1, T(8, 0), T(14, 0))]


@pytest.fixture
def caregiver_user(db: Any) -> Any:
    return UserFactory(username="carer.ana", email="carer@test.local")


@pytest.fixture
def family_user(db: Any) -> Any:
    return UserFactory(username="family.kovacs", email="family@test.local")


@pytest.fixture
def hand_made(baia_mare: Any, org_a: Any, bm_rule: Any, caregiver_user: Any) -> dict[str, Any]:
    return {
        "near": caregiver(baia_mare, org_a, "Ana", 0.5, TUESDAY_MORNING, user=caregiver_user),
        "farther": caregiver(baia_mare, org_a, "Bianca", 2.0, TUESDAY_MORNING),
        "busy": caregiver(baia_mare, org_a, "Carmen", 0.3, [(1, T(9, 0), T(11, 0))]),
        "wrong_day": caregiver(baia_mare, org_a, "Dana", 0.2, [(2, T(8, 0), T(14, 0))]),
        "too_far": caregiver(baia_mare, org_a, "Elena", 8.0, TUESDAY_MORNING),
        "untrained": caregiver(baia_mare, org_a, "Flavia", 0.4, TUESDAY_MORNING, trained=False),
        "short_reach": caregiver(baia_mare, org_a, "Gina", 3.0, TUESDAY_MORNING, travel="1"),
    }


@pytest.fixture
def care_request(baia_mare: Any, family_user: Any, hand_made: Any) -> Any:
    return services.care_request_submit(
        municipality=baia_mare,
        user=family_user,
        data=services.RequestInput(
            cared_for_name="Kovács Ilona",
            kind="companionship",
            weekdays=[1],
            start_time=T(10, 0),
            hours=Decimal("3"),
            address="Strada Progresului 10",
            latitude=CENTRE[0],
            longitude=CENTRE[1],
            needs="Companie, plimbare scurtă",
            language="ro",
            consent=True,
            organisation=None,
        ),
    )
