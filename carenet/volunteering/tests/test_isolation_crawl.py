"""Isolation of volunteering, generated from the URL resolver (issue 26, "Must show").

Every URL pattern of ``volunteering:`` (the organisers', the coordinator's and the partner's pages) and
``volunteering_public:`` (the volunteer's portal pages) is filled with records built by the volunteering
fixtures: provider A's opportunity, the approved volunteer (a citizen) confirmed on it, two turns (one
confirmed, one waiting for the organiser), the reward offered by partner B and a code the volunteer redeemed.
The record's own side (A's caseworker and manager, the coordinator, the volunteer, B's partner user) only
chooses a filling that opens; then those who must be refused request it:

* the other municipality (Bălți's coordinator), an anonymous visitor and a signed-in citizen who is not the
  volunteer — every pattern (the volunteer's own turns and codes are reached only through
  ``selectors.volunteer_of``, the signed-in user's own record);
* another provider of Baia Mare (B's caseworker and manager) — every organiser's and coordinator's page:
  opportunities, applications and turns are seen only by the offering organisation's staff, and a volunteer
  only by the organisations they applied to (``permissions._volunteers_visible``); the partner pages are
  B's own here (B offers the reward);
* another partner (A's caseworker and manager) — the partner pages, which show B's reward codes to B only
  (``permissions.partner_organisation_ids``);
* a lower role: the auditor (reads the network, organises nothing) on the contract and the coordinator's
  actions; A's caseworker on the coordinator's actions (approve, suspend, background check, certificate).

The portal's pages without a record (the volunteer home with the open opportunities, the sign-up form, the
reward catalogue, the certificate check that shows initials only) answer everyone by design; they stay in the
crawl, where any answer naming the volunteer or their code is a leak. Most actions are POST only and answer a
GET with 405, for everyone.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from carenet.testing.isolation import Attacker, crawl, outsiders
from carenet.volunteering import services

pytestmark = pytest.mark.isolation

VOLUNTEERING = re.compile(r"^(volunteering|volunteering_public):")
PARTNER = re.compile(r"^volunteering:(partner|reward_create)")
ORGANISER = re.compile(r"^volunteering:(?!partner|reward_create)")
COORDINATOR_ONLY = re.compile(r"^volunteering:volunteer_(approve|suspend|check|certificate)")
ABOVE_AUDITOR = re.compile(rf"^volunteering:contract|{COORDINATOR_ONLY.pattern}")


def _turn(application: Any, *, days_ago: int, hours: int) -> Any:
    start = timezone.now().replace(hour=8, minute=0) - datetime.timedelta(days=days_ago)
    user = application.volunteer.user
    attendance = services.attendance_check_in(actor=user, application=application, at=start)
    return services.attendance_check_out(actor=user, attendance=attendance, at=start + datetime.timedelta(hours=hours))


@pytest.fixture
def volunteering_records(
    baia_mare: Any, caseworker_a: Any, opportunity: Any, volunteer: Any, application: Any, reward: Any
) -> dict[str, Any]:
    confirmed = _turn(application, days_ago=2, hours=3)
    services.attendance_confirm(actor=caseworker_a, attendance=confirmed)
    waiting = _turn(application, days_ago=1, hours=2)
    redemption = services.reward_redeem(volunteer=volunteer, reward=reward)
    return {
        "candidates": {
            "municipality_slug": [baia_mare.slug],
            "opportunity_id": [opportunity.pk],
            "application_id": [application.pk],
            "attendance_id": [waiting.pk, confirmed.pk],
            "volunteer_id": [volunteer.pk],
            "reward_id": [reward.pk],
        },
        "code": redemption.code,
    }


def test_no_volunteering_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    baia_mare: Any,
    caseworker_a: Any,
    manager_a: Any,
    caseworker_b: Any,
    manager_b: Any,
    coordinator: Any,
    auditor: Any,
    other_tenant_user: Any,
    citizen: Any,
    volunteer_user: Any,
    volunteer: Any,
    partner_user: Any,
    volunteering_records: dict[str, Any],
) -> None:
    result = crawl(
        include=VOLUNTEERING,
        municipality=baia_mare,
        owners=[caseworker_a, manager_a, coordinator, volunteer_user, partner_user],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("other provider (caseworker)", caseworker_b, ORGANISER),
            Attacker("other provider (manager)", manager_b, ORGANISER),
            Attacker("other partner (A's caseworker)", caseworker_a, PARTNER),
            Attacker("other partner (A's manager)", manager_a, PARTNER),
            Attacker("lower role (auditor)", auditor, ABOVE_AUDITOR),
            Attacker("lower role (A's caseworker)", caseworker_a, COORDINATOR_ONLY),
        ],
        markers=[str(volunteer), volunteer_user.email, str(volunteer.pk), volunteering_records["code"]],
        candidates=volunteering_records["candidates"],
        app_labels=("volunteering",),
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    assert not result.unfilled, result.report()
