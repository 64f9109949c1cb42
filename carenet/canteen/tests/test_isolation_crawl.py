"""The canteen's isolation crawl (issue 26, "Must show"): every ``canteen:`` URL pattern, filled with records
built by the canteen's own fixtures and services, requested by those who must be refused.

The records are person_a's: an application handled by provider A (the office, DAS) for the unit run by the
canteen's own organisation, its approval (the decision and the meal card it issues), the month's nominal
list generated and sent to the unit then a new version still in draft, and a season of aid in kind with an allocation to person_a. They are
opened by their own side (A's caseworker and manager, the unit's cook, the coordinator) only to choose a
filling that opens; then requested by:

* a user of the other municipality (Bălți's coordinator), an anonymous visitor and a signed-in citizen
  with no staff role — every URL (the canteen has no public page);
* another provider of the same municipality (B's caseworker and manager) — every URL: the applications,
  decisions, units, lists, cards and counter are the office's and the unit's (``permissions.py`` filters
  them by ``organisation``/``office``), aid in kind is the coordinator's; the pages with no record (home,
  rules, reports) answer B with B's own part and must not name person_a;
* a lower role: the unit's cook on the application and the decision (the unit is never told they exist)
  and on the month's list, a draft the unit sees only once sent (the crawl's list is the draft), and on
  planning a home-delivery round (it drives the rounds; its manager and the office's plan them);
* a lower role: A's caseworker and manager on aid in kind (the coordinator's and the auditor's only).

The figures (URL patterns, tries, leaks, patterns no record could fill) are printed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carenet.canteen import services
from carenet.canteen.models import Decision, MealCard
from carenet.testing.isolation import Attacker, crawl, outsiders

pytestmark = pytest.mark.isolation

CANTEEN = re.compile(r"^canteen:")
# The application, its decision and their documents: the office's, never the unit's (incomes, inquiry).
OFFICE_ONLY = re.compile(r"^canteen:(application|decision)")
# A draft list (the crawl's list is the month's draft): the office's until it is sent to the unit.
DRAFT_LIST = re.compile(r"^canteen:list(_export|_send)?$")
# Planning a round (who, in which order): the unit's and the office's managers, never the unit's cook.
ROUND_PLANNING = re.compile(r"^canteen:round_stop_(add|move|remove)$")
# Aid in kind: the coordinator's (the auditor reads) — above a provider's caseworker and manager.
AID = re.compile(r"^canteen:aid")


@pytest.fixture
def canteen_records(
    baia_mare: Any, coordinator: Any, manager_a: Any, person_a: Any, unit: Any, approved_a: Any
) -> dict[str, list[Any]]:
    today = timezone.localdate()
    card = MealCard.objects.for_tenant(baia_mare).get(decision=approved_a)
    sent = services.nominal_list_send(
        actor=manager_a, nominal_list=services.nominal_list_generate(actor=manager_a, unit=unit, month=today)
    )
    # The month's next version, still a draft: the office's alone until sent (the unit's cook must not see it).
    draft = services.nominal_list_generate(actor=manager_a, unit=unit, month=today)
    season = services.aid_season_create(
        actor=coordinator, municipality=baia_mare, name="Iarna", starts_on=today, ends_on=today
    )
    allocation = services.aid_allocate(
        actor=coordinator, season=season, person=person_a, item="coal", quantity=Decimal("2"), unit="t"
    )
    # person_a's meals carried home by a round of the unit (set up by the office's manager).
    Decision.objects.for_tenant(baia_mare).filter(pk=approved_a.pk).update(home_delivery=True)
    approved_a.refresh_from_db()
    delivery_round = services.delivery_round_save(actor=manager_a, unit=unit, name="Centru")
    stop = services.round_stop_add(actor=manager_a, delivery_round=delivery_round, decision=approved_a)
    return {
        "application_id": [approved_a.application_id],
        "decision_id": [approved_a.pk],
        "unit_id": [unit.pk],
        "list_id": [draft.pk, sent.pk],
        "card_id": [card.pk],
        "season_id": [season.pk],
        "allocation_id": [allocation.pk],
        "round_id": [delivery_round.pk],
        "stop_id": [stop.pk],
        "fmt": ["pdf", "xlsx", "docx"],
    }


def test_no_canteen_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    baia_mare: Any,
    person_a: Any,
    caseworker_a: Any,
    manager_a: Any,
    caseworker_b: Any,
    manager_b: Any,
    cook: Any,
    coordinator: Any,
    other_tenant_user: Any,
    citizen: Any,
    canteen_records: dict[str, list[Any]],
) -> None:
    # The markers are what the owner's side reads on the records' pages: their absence elsewhere means something.
    office = Client()
    office.force_login(manager_a)
    draft = canteen_records["list_id"][0]
    assert person_a.last_name in office.get(reverse("canteen:list", args=[draft])).content.decode()
    result = crawl(
        include=CANTEEN,
        municipality=baia_mare,
        owners=[caseworker_a, manager_a, cook, coordinator],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("other provider (caseworker)", caseworker_b, CANTEEN),
            Attacker("other provider (manager)", manager_b, CANTEEN),
            Attacker("the unit (cook)", cook, OFFICE_ONLY),
            Attacker("the unit (cook), on a draft list", cook, DRAFT_LIST),
            Attacker("the unit (cook), planning a round", cook, ROUND_PLANNING),
            Attacker("lower role (A's caseworker)", caseworker_a, AID),
            Attacker("lower role (A's manager)", manager_a, AID),
        ],
        markers=[str(person_a.pk), person_a.last_name],
        candidates=canteen_records,
        app_labels=("canteen",),
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    assert not result.unfilled, result.report()
