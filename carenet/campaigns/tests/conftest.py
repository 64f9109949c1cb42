"""What the campaigns tests add to the shared fixtures: areas with outlines, a heat layer, the ladder
(3 tries within 4 hours), rules, a register of provider A's persons, a volunteer, and a campaign."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from carenet.campaigns import services
from carenet.campaigns.models import LegalGround
from carenet.core.roles import Role
from carenet.geo.models import Area, AreaKind
from carenet.people.models import Household, HouseholdMember, SensitiveProfile
from carenet.testing.factories import make_person, make_user
from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)

TODAY = datetime.date(2026, 7, 1)
LAW = "Legea 292/2011"


def box(lat0: float, lon0: float, lat1: float, lon1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]}


HOT = box(47.640, 23.520, 47.672, 23.560)  # contains the "Vest" area below


@pytest.fixture
def areas(baia_mare: Any) -> dict[str, Area]:
    return {
        "vest": Area.objects.create(
            municipality=baia_mare, name="Vest", kind=AreaKind.ZONE, geometry=box(47.65, 23.53, 47.66, 23.54)
        ),
        "est": Area.objects.create(
            municipality=baia_mare, name="Est", kind=AreaKind.ZONE, geometry=box(47.65, 23.60, 47.66, 23.61)
        ),
    }


@pytest.fixture
def heat_layer(baia_mare: Any) -> Any:
    return services.heat_layer_import(
        actor=None,
        municipality=baia_mare,
        name="Test layer",
        content={
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"name": "Vest", "intensity": 0.9}, "geometry": HOT}],
        },
        check_actor=False,
    )


@pytest.fixture
def ladder(baia_mare: Any) -> Any:
    return services.campaign_settings_save(
        actor=None,
        municipality=baia_mare,
        valid_from=datetime.date(2026, 1, 1),
        max_tries=3,
        within_hours=4,
        list_size=3,
        check_actor=False,
    )


def rule(municipality: Any, code: str, **conditions: Any) -> Any:
    return services.risk_rule_save(
        actor=None,
        municipality=municipality,
        code=code,
        name=code,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis=LAW,
        valid_from=datetime.date(2026, 1, 1),
        check_actor=False,
        **conditions,
    )


def alone(person: Any) -> None:
    household = Household.objects.create(municipality_id=person.municipality_id, name=person.last_name)
    HouseholdMember.objects.create(
        municipality_id=person.municipality_id, household=household, person=person, role="head"
    )


def with_disability(person: Any) -> None:
    SensitiveProfile.objects.create(municipality_id=person.municipality_id, person=person, disability_degree="severe")


@pytest.fixture
def volunteer(org_a: Any, baia_mare: Any) -> Any:
    return make_user("vol_a", baia_mare, org_a, Role.CAMPAIGN_VOLUNTEER)


@pytest.fixture
def register_of_six(baia_mare: Any, org_a: Any, areas: dict[str, Area], ladder: Any) -> list[Any]:
    """Six persons aged 80 living alone (four in Vest, two in Est), on the register by the rule age75-alone."""
    persons = []
    for i in range(6):
        p = make_person(
            baia_mare,
            org_a,
            first=f"P{i}",
            last="Pop",
            born=datetime.date(1946, 1, 1),
            area=areas["vest" if i < 4 else "est"],
            address=f"Strada {i}",
            phone=f"07000000{i:02d}",
        )
        alone(p)
        persons.append(p)
    rule(baia_mare, "age75-alone", min_age=75, living_alone=True)
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    return persons


@pytest.fixture
def campaign(baia_mare: Any, register_of_six: list[Any], caseworker_a: Any, volunteer: Any) -> Any:
    now = timezone.now()
    return services.campaign_declare(
        actor=None,
        municipality=baia_mare,
        kind="heat",
        alert_code="orange",
        title="Heat",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=2),
        worker_ids=[caseworker_a.pk, volunteer.pk],
        check_actor=False,
    )


@pytest.fixture(autouse=True)
def empty_outbox() -> Any:
    """The locmem gateway's outbox (config/settings/test.py) starts empty in every test."""
    from carenet.core import messaging

    messaging.outbox.clear()
    yield messaging.outbox
    messaging.outbox.clear()


@pytest.fixture
def messaging_on(baia_mare: Any, ladder: Any) -> Any:
    """SMS and voice in use from the ladder's first day, two calls at most, no quiet hours."""
    return services.messaging_settings_save(
        actor=None,
        municipality=baia_mare,
        valid_from=datetime.date(2026, 1, 1),
        sms_enabled=True,
        voice_enabled=True,
        voice_attempts=2,
        check_actor=False,
    )
