"""What the volunteering tests add to the shared fixtures: Baia Mare's volunteering rules (ages, points,
levels and badges), a volunteering kind in the activities register, an opportunity of provider A, an
approved volunteer (a citizen) confirmed on it, and a reward offered by provider B."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carenet.activities import services as activities_services
from carenet.activities.models import KindCategory
from carenet.testing.factories import UserFactory
from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)
from carenet.volunteering import services
from carenet.volunteering.models import (
    PointsReason,
    PointsRule,
    Recognition,
    RecognitionKind,
    Skill,
    VolunteeringPolicy,
    VolunteerStatus,
)

START = datetime.date(2024, 1, 1)


def volunteering_rules(municipality: Any, *, points_per_hour: int = 10, daily_cap: int = 50) -> None:
    VolunteeringPolicy.objects.for_tenant(municipality).create(
        municipality=municipality,
        adult_age=18,
        minimum_age=15,
        gamification=True,
        legal_basis="Legea 78/2014",
        valid_from=START,
    )
    for code, name in (("elderly", "Sprijin vârstnici"), ("children", "Lucru cu copiii"), ("events", "Evenimente")):
        Skill.objects.for_tenant(municipality).create(municipality=municipality, code=code, name=name)
    PointsRule.objects.for_tenant(municipality).create(
        municipality=municipality,
        reason=PointsReason.HOURS,
        points=points_per_hour,
        daily_cap=daily_cap,
        valid_from=START,
    )
    PointsRule.objects.for_tenant(municipality).create(
        municipality=municipality, reason=PointsReason.CIVIC, points=20, daily_cap=daily_cap, valid_from=START
    )
    for kind, code, name, threshold in (
        (RecognitionKind.LEVEL, "bronze", "Bronz", 10),
        (RecognitionKind.LEVEL, "silver", "Argint", 100),
        (RecognitionKind.BADGE, "first-hours", "Primele ore", 1),
    ):
        Recognition.objects.for_tenant(municipality).create(
            municipality=municipality, kind=kind, code=code, name=name, threshold=threshold, valid_from=START
        )
    activities_services.activity_kind_save(
        municipality=municipality, code="volunteering", name="Voluntariat", category=KindCategory.VOLUNTEERING
    )


@pytest.fixture
def bm_rules(baia_mare: Any) -> None:
    volunteering_rules(baia_mare)


@pytest.fixture
def opportunity(bm_rules: Any, baia_mare: Any, org_a: Any, caseworker_a: Any) -> Any:
    return services.opportunity_create(
        actor=caseworker_a,
        municipality=baia_mare,
        data=services.OpportunityInput(
            organisation=org_a,
            title="Însoțire vârstnici la plimbare",
            starts_on=datetime.date.today(),
            ends_on=datetime.date.today() + datetime.timedelta(days=60),
            kind="recurring",
            weekdays=[1],
            spots=2,
            skills=["elderly"],
        ),
    )


@pytest.fixture
def volunteer_user(db: Any) -> Any:
    return UserFactory(username="ana.volunteer", email="ana@test.local")


@pytest.fixture
def volunteer(bm_rules: Any, baia_mare: Any, volunteer_user: Any) -> Any:
    v = services.volunteer_sign_up(
        municipality=baia_mare,
        user=volunteer_user,
        data=services.SignUp(
            first_name="Ana", last_name="Pop", birth_date=datetime.date(1990, 5, 1), skills=["elderly"]
        ),
    )
    v.status = VolunteerStatus.ACTIVE
    v.save(update_fields=["status"])
    return v


@pytest.fixture
def application(volunteer: Any, opportunity: Any, caseworker_a: Any) -> Any:
    a = services.application_submit(volunteer=volunteer, opportunity=opportunity)
    return services.application_decide(actor=caseworker_a, application=a, confirm=True)


@pytest.fixture
def partner_user(org_b: Any, baia_mare: Any) -> Any:
    from carenet.core.roles import Role
    from carenet.testing.factories import make_user

    return make_user("partner_b", baia_mare, org_b, Role.PROVIDER_MANAGER)


@pytest.fixture
def reward(baia_mare: Any, org_b: Any, partner_user: Any, bm_rules: Any) -> Any:
    return services.reward_create(
        actor=partner_user, municipality=baia_mare, partner=org_b, title="Bilet la teatru", cost=20, stock=3
    )
