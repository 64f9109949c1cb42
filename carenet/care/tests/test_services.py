"""Bookings: chosen from the proposals only, confirmed by both; the caregiver sees the address and the needs
only after both confirmed; visits, ratings both ways, complaints to the coordinator."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from carenet.care import selectors, services
from carenet.care.models import BookingStatus, RequestStatus, Side

pytestmark = pytest.mark.django_db


def test_a_caregiver_not_proposed_cannot_be_chosen(care_request, hand_made, family_user):
    with pytest.raises(ValidationError) as exc:
        services.booking_choose(actor=family_user, request=care_request, caregiver=hand_made["too_far"], by_family=True)
    assert "caregiver" in exc.value.message_dict


def test_the_caregiver_sees_the_address_and_needs_only_after_both_confirm(
    care_request, hand_made, family_user, caregiver_user
):
    booking = services.booking_choose(
        actor=family_user, request=care_request, caregiver=hand_made["near"], by_family=True
    )
    seen = selectors.caregiver_booking_view(booking=booking)
    assert (seen.address, seen.needs, seen.cared_for_name, seen.confirmed) == ("", "", "", False)
    booking = services.booking_confirm(actor=caregiver_user, booking=booking, side=Side.CAREGIVER)
    assert booking.status == BookingStatus.CONFIRMED
    care_request.refresh_from_db()
    assert care_request.status == RequestStatus.BOOKED
    seen = selectors.caregiver_booking_view(booking=booking)
    assert seen.address == "Strada Progresului 10" and seen.needs == "Companie, plimbare scurtă"


def test_one_live_booking_per_request(care_request, hand_made, family_user):
    services.booking_choose(actor=family_user, request=care_request, caregiver=hand_made["near"], by_family=True)
    with pytest.raises(ValidationError):
        services.booking_choose(actor=family_user, request=care_request, caregiver=hand_made["farther"], by_family=True)


def test_visits_ratings_and_complaints(care_request, hand_made, family_user, caregiver_user, coordinator):
    import uuid

    booking = services.booking_choose(
        actor=family_user, request=care_request, caregiver=hand_made["near"], by_family=True
    )
    with pytest.raises(ValidationError):
        services.visit_start(actor=caregiver_user, booking=booking)
    booking = services.booking_confirm(actor=caregiver_user, booking=booking, side=Side.CAREGIVER)
    key = uuid.uuid4()
    visit = services.visit_start(actor=caregiver_user, booking=booking, client_key=key)
    assert services.visit_start(actor=caregiver_user, booking=booking, client_key=key).pk == visit.pk
    services.visit_end(actor=caregiver_user, visit=visit)
    services.rating_give(actor=family_user, booking=booking, side=Side.FAMILY, score=5)
    services.rating_give(actor=caregiver_user, booking=booking, side=Side.CAREGIVER, score=4)
    with pytest.raises(ValidationError):
        services.rating_give(actor=family_user, booking=booking, side=Side.FAMILY, score=1)
    complaint = services.complaint_file(actor=family_user, booking=booking, side=Side.FAMILY, text="Late twice")
    assert list(selectors.complaint_list(user=coordinator)) == [complaint]
    services.complaint_resolve(actor=coordinator, complaint=complaint, resolution="Spoken with the caregiver")


def test_bad_request_input_names_the_fields(baia_mare, family_user, bm_rule):
    import datetime
    from decimal import Decimal

    with pytest.raises(ValidationError) as exc:
        services.care_request_submit(
            municipality=baia_mare,
            user=family_user,
            data=services.RequestInput(
                cared_for_name="",
                kind="massage",
                weekdays=[],
                start_time=datetime.time(22),
                hours=Decimal("5"),
                address="",
                latitude=None,
                longitude=None,
                consent=False,
            ),
        )
    assert {"cared_for_name", "kind", "weekdays", "hours", "address", "consent"} <= set(exc.value.message_dict)


def test_overlapping_slots_are_refused(hand_made):
    import datetime

    with pytest.raises(ValidationError):
        services.caregiver_set_slots(
            caregiver=hand_made["near"],
            slots=[(1, datetime.time(8), datetime.time(12)), (1, datetime.time(11), datetime.time(14))],
            actor=None,
        )


def test_a_merge_moves_the_duplicates_care_requests(coordinator, baia_mare, org_a, hand_made):
    import datetime
    from decimal import Decimal

    from carenet.care.models import CareRequest
    from carenet.people.services import person_merge
    from carenet.testing.factories import make_person

    kept = make_person(baia_mare, org_a, "Ilona", "Kovács")
    duplicate = make_person(baia_mare, org_a, "Ilona", "Kovacs")
    CareRequest.objects.for_tenant(baia_mare).create(
        municipality=baia_mare,
        person=duplicate,
        cared_for_name="Ilona Kovacs",
        kind="companionship",
        weekdays=[1],
        start_time=datetime.time(10),
        hours=Decimal("2"),
        address="x",
        latitude=47.6,
        longitude=23.5,
    )
    person_merge(actor=coordinator, survivor=kept, duplicate=duplicate, reason="same person")
    assert CareRequest.objects.for_tenant(baia_mare).get().person == kept
