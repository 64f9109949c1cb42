"""What the activities tests add to the shared fixtures: the municipalities' kinds and age bands, and one
activity of provider A (Baia Mare)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carenet.activities import services
from carenet.activities.models import KindCategory
from carenet.activities.services import ActivityInput
from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)

DAY = datetime.date(2025, 10, 1)


def kinds_and_bands(municipality: Any) -> dict[str, Any]:
    kinds = {
        code: services.activity_kind_save(municipality=municipality, code=code, name=name, category=category)
        for code, name, category in (
            ("training", "Instruire", KindCategory.TRAINING),
            ("campaign", "Campanie de informare", KindCategory.CAMPAIGN),
            ("event", "Eveniment comunitar", KindCategory.EVENT),
        )
    }
    for order, (code, low, high) in enumerate((("0-17", 0, 17), ("18-64", 18, 64), ("65+", 65, None))):
        services.age_band_save(municipality=municipality, code=code, low=low, high=high, order=order)
    return kinds


@pytest.fixture
def bm_kinds(baia_mare: Any) -> dict[str, Any]:
    return kinds_and_bands(baia_mare)


@pytest.fixture
def balti_kinds(balti: Any) -> dict[str, Any]:
    return kinds_and_bands(balti)


@pytest.fixture
def activity_a(caseworker_a: Any, org_a: Any, org_b: Any, baia_mare: Any, bm_kinds: dict[str, Any]) -> Any:
    """Provider A's community event on 1 October 2025 (the day of the elderly), provider B a partner."""
    return services.activity_create(
        actor=caseworker_a,
        municipality=baia_mare,
        data=ActivityInput(
            kind=bm_kinds["event"],
            title="Ziua persoanelor vârstnice",
            starts_on=DAY,
            organiser=org_a,
            place="Sala de festivități",
            locality="Baia Mare",
            partners=(org_b,),
        ),
    )


@pytest.fixture
def activity_b(caseworker_b: Any, org_b: Any, baia_mare: Any, bm_kinds: dict[str, Any]) -> Any:
    """Provider B's own training (provider A is not a partner)."""
    return services.activity_create(
        actor=caseworker_b,
        municipality=baia_mare,
        data=ActivityInput(
            kind=bm_kinds["training"], title="Instruire voluntari", starts_on=DAY, organiser=org_b, modules=2
        ),
    )


@pytest.fixture
def balti_activity(other_tenant_user: Any, balti_org: Any, balti: Any, balti_kinds: dict[str, Any]) -> Any:
    return services.activity_create(
        actor=other_tenant_user,
        municipality=balti,
        data=ActivityInput(kind=balti_kinds["training"], title="Seminar", starts_on=DAY, organiser=balti_org),
    )
