"""Isolation of care matching, generated from the URL resolver (issue 26, "Must show").

Every URL pattern of ``care:`` (the staff's pages) and ``care_public:`` (the family's and the caregiver's
portal pages) is filled with records built by the care fixtures: the family's request (handled by provider A),
a request a caseworker of A entered for A's person, A's caregiver, a booking confirmed by both with a visit,
ratings, a complaint, and a visit the caregiver cannot come to with a substitute asked (its id fills the
substitute's answer and the covered visit's start and end, ``care_public:caregiver_cover_*``, which no one but
the substitute reaches). The record's own side (A's caseworker and manager, the coordinator, the family user,
the caregiver user) only chooses a filling that opens; then those who must be refused request it:

* the other municipality (Bălți's coordinator), an anonymous visitor and a signed-in citizen who is neither
  the family nor the caregiver — every pattern (for the family's request and the booking, the citizen is the
  attacker that matters: ``permissions.family_request_for`` / ``family_booking_for`` /
  ``caregiver_booking_for`` reach only the signed-in user's own rows);
* another provider of Baia Mare (B's caseworker and manager) — every staff page: requests, caregivers and
  bookings are seen only by the staff of the organisation handling them (``permissions._by_organisation``),
  and A's person only by A (``people.permissions.person_for``);
* a lower role: A's caseworker and the auditor on the complaints, which only the coordinator reads
  (``can_handle_complaints``);
* the other side of the booking: the caregiver on the family's pages and the family on the caregiver's.

The care home (``care_public:home``) answers everyone — it explains the service and lists only the
signed-in family's own requests — so it stays in the crawl, where any answer naming the family's person is a
leak. Most actions are POST only and answer a GET with 405, for everyone.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest

from carenet.care import services
from carenet.care.models import Side
from carenet.people.services import consent_record
from carenet.testing.isolation import Attacker, crawl, outsiders

from .conftest import CENTRE

pytestmark = pytest.mark.isolation

CARE = re.compile(r"^(care|care_public):")
STAFF = re.compile(r"^care:")
COMPLAINTS = re.compile(r"^care:complaint")
FAMILY_PAGES = re.compile(r"^care_public:(request$|pick|family_)")
CAREGIVER_PAGES = re.compile(r"^care_public:(caregiver|availability|visit_)")


@pytest.fixture
def care_records(
    baia_mare: Any,
    org_a: Any,
    person_a: Any,
    caseworker_a: Any,
    coordinator: Any,
    family_user: Any,
    caregiver_user: Any,
    hand_made: Any,
    care_request: Any,
) -> dict[str, list[Any]]:
    # The family's request, handled by provider A (as the staff tests do).
    care_request.organisation = org_a
    care_request.save(update_fields=["organisation"])
    # A request a caseworker of A entered for A's person, who consented.
    consent_record(actor=caseworker_a, person=person_a, purpose="case_management", given_on=datetime.date.today())
    staff_request = services.care_request_create(
        actor=caseworker_a,
        municipality=baia_mare,
        data=services.RequestInput(
            cared_for_name=f"{person_a.first_name} {person_a.last_name}",
            kind="household",
            weekdays=[1],
            start_time=datetime.time(10),
            hours=Decimal("2"),
            address=person_a.address,
            latitude=CENTRE[0],
            longitude=CENTRE[1],
            consent=True,
            person=person_a,
            organisation=org_a,
        ),
    )
    near = hand_made["near"]
    booking = services.booking_choose(actor=family_user, request=care_request, caregiver=near, by_family=True)
    booking = services.booking_confirm(actor=caregiver_user, booking=booking, side=Side.CAREGIVER)
    visit = services.visit_start(actor=caregiver_user, booking=booking)
    services.visit_end(actor=caregiver_user, visit=visit, at=visit.started_at + datetime.timedelta(hours=3))
    services.rating_give(actor=family_user, booking=booking, side=Side.FAMILY, score=5)
    services.rating_give(actor=caregiver_user, booking=booking, side=Side.CAREGIVER, score=4)
    complaint = services.complaint_file(actor=family_user, booking=booking, side=Side.FAMILY, text="Late twice")
    # A visit the caregiver cannot come to, and the substitute the coordinator asked for it.
    today = datetime.date.today()
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    cover = services.cover_report_absence(actor=caregiver_user, booking=booking, on=tuesday, note="Febră mare")
    services.cover_choose(actor=coordinator, cover=cover, caregiver=hand_made["farther"])
    return {
        "municipality_slug": [baia_mare.slug],
        "request_id": [care_request.pk, staff_request.pk],
        "person_id": [person_a.pk],
        "caregiver_id": [near.pk],
        "booking_id": [booking.pk],
        "complaint_id": [complaint.pk],
        "cover_id": [cover.pk],
    }


def test_no_care_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    baia_mare: Any,
    person_a: Any,
    caseworker_a: Any,
    manager_a: Any,
    caseworker_b: Any,
    manager_b: Any,
    coordinator: Any,
    auditor: Any,
    other_tenant_user: Any,
    citizen: Any,
    family_user: Any,
    caregiver_user: Any,
    hand_made: Any,
    care_records: dict[str, list[Any]],
) -> None:
    result = crawl(
        include=CARE,
        municipality=baia_mare,
        owners=[caseworker_a, manager_a, coordinator, family_user, caregiver_user],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("other provider (caseworker)", caseworker_b, STAFF),
            Attacker("other provider (manager)", manager_b, STAFF),
            Attacker("lower role (A's caseworker)", caseworker_a, COMPLAINTS),
            Attacker("lower role (auditor)", auditor, COMPLAINTS),
            Attacker("the caregiver, on the family's pages", caregiver_user, FAMILY_PAGES),
            Attacker("the family, on the caregiver's pages", family_user, CAREGIVER_PAGES),
        ],
        markers=[
            "Kovács Ilona",
            "Strada Progresului",
            person_a.last_name,
            str(person_a.pk),
            str(hand_made["near"]),
            "Late twice",
            "Febră mare",
        ],
        candidates=care_records,
        app_labels=("care",),
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    assert not result.unfilled, result.report()
