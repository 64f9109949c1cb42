"""Isolation crawl of the activities and network registers (issue 26): every ``activities:`` URL, filled with
provider A's records, requested by those who must be refused (engine: ``carenet.testing.isolation``).

* the other municipality, an anonymous visitor and a signed-in citizen: every URL;
* a provider that is neither the organiser nor a partner (C): the activity's pages and its sign-in sheet
  (attendance names persons) — an activity is seen by its organiser, its partners and the network readers;
* provider B's manager: A's staff member (a staff register is its organisation's own) and the follow-up forms
  of A's recommendation and sub-plan (recorded by A's managers or the coordinator); the register lists, read
  by every staff member, must not show A's staff member;
* A's own caseworker (a lower role): the staff register and the follow-up forms, which are for managers.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest

from carenet.accounts.models import Role
from carenet.activities import services
from carenet.activities.services import ActivityInput
from carenet.testing.factories import make_org, make_user
from carenet.testing.isolation import Attacker, crawl, outsiders

pytestmark = pytest.mark.isolation

DAY = datetime.date(2025, 10, 1)
REGISTERS = ["staff", "agreements", "media", "recommendations", "accessibility", "subplans"]
ACTIVITY_PAGES = re.compile(r"^activities:(detail|edit|sheet|sheet_submit|sheet_persons)$")
MANAGERS_ONLY = re.compile(r"^activities:(staff_detail|recommendation_status|sub_plan_assess|register)$")
FOLLOW_UP = re.compile(r"^activities:(staff_detail|recommendation_status|sub_plan_assess)$")


@pytest.fixture
def records(
    baia_mare: Any, org_a: Any, caseworker_a: Any, manager_a: Any, person_a: Any, bm_kinds: dict[str, Any]
) -> dict[str, list[Any]]:
    activity = services.activity_create(
        actor=caseworker_a,
        municipality=baia_mare,
        data=ActivityInput(kind=bm_kinds["event"], title="Ziua vârstnicilor", starts_on=DAY, organiser=org_a),
    )
    services.attendance_record(actor=caseworker_a, activity=activity, key=uuid.uuid4(), person_id=person_a.pk)
    member = services.staff_member_create(
        actor=manager_a,
        organisation=org_a,
        full_name="Zenovia Crawlescu",
        profession="social_assistant",
        employed_from=datetime.date(2020, 1, 1),
    )
    recommendation = services.recommendation_create(
        actor=manager_a, organisation=org_a, source="platform", text="Rampă de acces", formulated_on=DAY
    )
    sub_plan = services.sub_plan_create(
        actor=manager_a, organisation=org_a, kind="library", title="Planul bibliotecii", year=2025, indicators=("x",)
    )
    return {
        "activity_id": [activity.pk],
        "member_id": [member.pk],
        "record_id": [recommendation.pk, sub_plan.pk],
        "register": REGISTERS,
    }


def test_no_activities_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    baia_mare: Any,
    records: dict[str, list[Any]],
    person_a: Any,
    caseworker_a: Any,
    manager_a: Any,
    manager_b: Any,
    coordinator: Any,
    other_tenant_user: Any,
    citizen: Any,
) -> None:
    caseworker_c = make_user(
        "caseworker_c", baia_mare, make_org(baia_mare, "provider-c", "Furnizorul C"), Role.CASEWORKER
    )
    result = crawl(
        include=re.compile(r"^activities:"),
        municipality=baia_mare,
        app_labels=("activities",),
        owners=[caseworker_a, manager_a, coordinator],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("other provider, not a partner (caseworker)", caseworker_c, ACTIVITY_PAGES),
            Attacker("other provider (manager)", manager_b, MANAGERS_ONLY),
            Attacker("lower role (A's caseworker)", caseworker_a, FOLLOW_UP),
        ],
        markers=[str(person_a.pk), person_a.last_name, "Zenovia Crawlescu"],
        candidates=records,
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    assert not result.unfilled, result.report()
