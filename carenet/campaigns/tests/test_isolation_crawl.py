"""The campaigns' isolation crawl (issue 26, "Must show"): every ``campaigns:`` URL pattern, filled with
records built by the campaigns' own fixtures and services, requested by those who must be refused.

The records: the register of six persons of provider A (aged 80, living alone), a heat campaign declared
on it with call lists for A's caseworker and a volunteer, and a cooling centre. They are opened by their
own side (the coordinator, A's caseworker and the volunteer on their own lists) only to choose a filling
that opens; then requested by:

* a user of the other municipality (Bălți's coordinator), an anonymous visitor and a signed-in citizen
  with no staff role — every URL (the campaigns have no public page: the alert banner is the portal's);
* another provider (B's caseworker and manager, callers with no list in the campaign) — every URL: the
  register, the rules, heat layers and centres are the coordinator's (the auditor reads), a campaign is
  seen only through one's own list and a call list only by its assignee (``permissions._lists_visible``);
  the home answers them with their own (empty) lists and must not name a person of the register;
* a lower role: the campaign's callers (A's caseworker, the volunteer) on the coordinator's pages — the
  register, the rules, the campaign's dashboard, the heat map and the centres (``can_read_campaigns``,
  the "dashboard" rule);
* another worker: the volunteer on A's caseworker's call list (a list is its assignee's alone); on the SMS and
  voice page the volunteer sees their own list's persons and none of A's caseworker's (asserted below);
* the gateway's callbacks (``hook_*``, public): every attacker posts unsigned and is refused (403), nothing
  recorded; the coordinator's own side answers them 405 to a GET, so they are crawled as actions.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carenet.campaigns import services
from carenet.campaigns.models import CallList, Contact, OutboundMessage, RegisterEntry
from carenet.testing.isolation import Attacker, crawl, outsiders

pytestmark = pytest.mark.isolation

CAMPAIGNS = re.compile(r"^campaigns:")
# The coordinator's pages (the auditor reads): everything but the home, a caller's own list, the SMS and voice
# page (a caller sees their own list's persons there) and the gateway's callbacks (public, signed: 403 unsigned).
COORDINATOR_ONLY = re.compile(r"^campaigns:(?!home$|list$|checkin$|messages$|hook_)")
# A call list and its check-in: the assignee's alone.
CALL_LIST = re.compile(r"^campaigns:(list|checkin)$")


@pytest.fixture
def campaigns_records(
    baia_mare: Any, coordinator: Any, caseworker_a: Any, campaign: Any, register_of_six: list[Any], messaging_on: Any
) -> dict[str, Any]:
    centre = services.centre_save(actor=coordinator, municipality=baia_mare, kind="cooling", name="Sala Polivalentă")
    services.messages_prepare(campaign=campaign)
    services.messages_send_queued(campaign=campaign)
    own_list = CallList.objects.for_tenant(baia_mare).get(campaign=campaign, assignee=caseworker_a)
    on_list = [
        c.person for c in Contact.objects.for_tenant(baia_mare).filter(call_list=own_list).select_related("person")
    ]
    entry = RegisterEntry.objects.for_tenant(baia_mare).filter(person=on_list[0]).first()
    message = OutboundMessage.objects.for_tenant(baia_mare).filter(contact__call_list=own_list).first()
    return {
        "persons": on_list,
        "candidates": {
            "entry_id": [entry.pk],
            "campaign_id": [campaign.pk],
            "list_id": [own_list.pk],
            "centre_id": [centre.pk],
            "message_id": [message.pk],
        },
    }


def test_no_campaigns_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    baia_mare: Any,
    caseworker_a: Any,
    caseworker_b: Any,
    manager_b: Any,
    volunteer: Any,
    coordinator: Any,
    other_tenant_user: Any,
    citizen: Any,
    campaigns_records: dict[str, Any],
) -> None:
    persons = campaigns_records["persons"]
    assert persons, "A's caseworker has a call list with persons on it"
    # The markers are what the owner's side reads on the records' pages: their absence elsewhere means something.
    caller = Client()
    caller.force_login(caseworker_a)
    own_list = caller.get(reverse("campaigns:list", args=[campaigns_records["candidates"]["list_id"][0]]))
    assert persons[0].phone in own_list.content.decode()
    result = crawl(
        include=CAMPAIGNS,
        municipality=baia_mare,
        owners=[coordinator, caseworker_a, volunteer],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("other provider (B's caseworker)", caseworker_b, CAMPAIGNS),
            Attacker("other provider (B's manager)", manager_b, CAMPAIGNS),
            Attacker("lower role (A's caseworker, a caller)", caseworker_a, COORDINATOR_ONLY),
            Attacker("lower role (the volunteer)", volunteer, COORDINATOR_ONLY),
            Attacker("another worker (the volunteer, on A's caseworker's list)", volunteer, CALL_LIST),
        ],
        markers=[m for p in persons for m in (str(p.pk), p.phone) if m],
        candidates=campaigns_records["candidates"],
        app_labels=("campaigns",),
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    # The SMS and voice page answers a caller with their own list only: nothing of A's caseworker's persons.
    other_worker = Client()
    other_worker.force_login(volunteer)
    page = other_worker.get(reverse("campaigns:messages", args=[campaigns_records["candidates"]["campaign_id"][0]]))
    assert page.status_code == 200
    assert not [p for p in persons if p.full_name in page.content.decode()]
    assert not result.unfilled, result.report()
