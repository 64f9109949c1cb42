"""A missed visit is reassigned at once: a visit not started by its start plus the grace is missed; the
caregiver can say ahead they cannot come; substitutes are proposed by the matching rules restricted to that
one date — never the absent caregiver, one unavailable that weekday, out of reach or already busy then."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.care import selectors, services
from carenet.care.models import Cover, CoverReason, CoverStatus, Side
from carenet.care.tasks import mark_missed_visits
from carenet.testing.factories import UserFactory

from .conftest import CENTRE, TUESDAY_MORNING, T, caregiver

pytestmark = pytest.mark.django_db


def next_tuesday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def booking(care_request, hand_made, family_user, caregiver_user):
    b = services.booking_choose(actor=family_user, request=care_request, caregiver=hand_made["near"], by_family=True)
    return services.booking_confirm(actor=caregiver_user, booking=b, side=Side.CAREGIVER)


@pytest.fixture
def cover(booking, caregiver_user):
    return services.cover_report_absence(actor=caregiver_user, booking=booking, on=next_tuesday(), note="ill")


def names(proposed) -> list[str]:
    return [p.caregiver.first_name for p in proposed]


# --- missed ---------------------------------------------------------------------------------------------------


def test_a_visit_not_started_by_its_start_plus_the_grace_is_missed(booking, baia_mare, coordinator):
    tuesday = next_tuesday()
    assert services.visits_mark_missed(municipality=baia_mare, now=at(tuesday, 10, 29)) == 0
    assert services.visits_mark_missed(municipality=baia_mare, now=at(tuesday, 10, 31)) == 1
    cover = Cover.objects.for_tenant(baia_mare).get()
    assert (cover.booking, cover.date, cover.reason, cover.status) == (booking, tuesday, "missed", "needed")
    assert AuditEvent.objects.filter(action="cover.missed").count() == 1
    assert services.visits_mark_missed(municipality=baia_mare, now=at(tuesday, 11)) == 0  # once


def test_a_visit_started_in_time_is_not_missed(booking, baia_mare, caregiver_user):
    tuesday = next_tuesday()
    services.visit_start(actor=caregiver_user, booking=booking, at=at(tuesday, 10, 20))
    assert services.visits_mark_missed(municipality=baia_mare, now=at(tuesday, 12)) == 0


def test_no_visit_is_due_on_a_day_the_request_does_not_name(booking, baia_mare):
    wednesday = next_tuesday() + datetime.timedelta(days=1)
    assert services.visits_mark_missed(municipality=baia_mare, now=at(wednesday, 12)) == 0


def test_the_grace_is_the_municipalitys_rule_in_force(booking, baia_mare, bm_rule):
    bm_rule.visit_grace_minutes = 60
    bm_rule.save(update_fields=["visit_grace_minutes"])
    tuesday = next_tuesday()
    assert services.visits_mark_missed(municipality=baia_mare, now=at(tuesday, 10, 45)) == 0
    assert services.visits_mark_missed(municipality=baia_mare, now=at(tuesday, 11, 1)) == 1


def test_the_scheduled_task_marks_missed_visits_and_tells_the_coordinator(
    booking, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    tuesday = next_tuesday()
    monkeypatch.setattr(timezone, "now", lambda: at(tuesday, 11))
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_missed_visits.call() == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "was not started" in mail.outbox[0].body and "Kovács" not in mail.outbox[0].body


def test_the_expected_visits_follow_the_requests_days(booking):
    monday = next_tuesday() - datetime.timedelta(days=1)
    assert selectors.expected_dates(booking=booking, start=monday, days=14) == [
        monday + datetime.timedelta(days=1),
        monday + datetime.timedelta(days=8),
    ]


# --- the caregiver says ahead ---------------------------------------------------------------------------------


def test_the_caregiver_says_ahead_and_that_visit_needs_cover_at_once(cover, coordinator, baia_mare):
    assert (cover.reason, cover.status) == (CoverReason.ABSENT, CoverStatus.NEEDED)
    assert list(selectors.covers_needed(user=coordinator)) == [cover]
    assert AuditEvent.objects.filter(action="cover.report").count() == 1


def test_an_absence_said_a_week_ahead_is_listed_at_once_and_a_window_narrows_the_list(
    booking, caregiver_user, coordinator
):
    week_ahead = timezone.localdate() + datetime.timedelta(days=7)
    while week_ahead.weekday() != 1:  # the booking's visits are on Tuesdays
        week_ahead += datetime.timedelta(days=1)
    far = services.cover_report_absence(actor=caregiver_user, booking=booking, on=week_ahead)
    assert list(selectors.covers_needed(user=coordinator)) == [far]
    assert list(selectors.covers_needed(user=coordinator, days=7)) == []


@pytest.mark.parametrize(
    ("day", "field", "message"),
    [
        (lambda: next_tuesday() + datetime.timedelta(days=1), "date", "There is no visit of this booking on that day."),
        # a past visit day: a week before the next Tuesday is today when today is a Tuesday
        (lambda: next_tuesday() - datetime.timedelta(days=14), "date", "Choose today or a later date."),
    ],
)
def test_a_bad_absence_is_refused_naming_the_date_and_nothing_is_saved(
    booking, caregiver_user, baia_mare, day, field, message
):
    with pytest.raises(ValidationError) as exc:
        services.cover_report_absence(actor=caregiver_user, booking=booking, on=day())
    assert exc.value.message_dict == {field: [message]}
    assert not Cover.objects.for_tenant(baia_mare).exists()


def test_the_same_day_is_reported_once(cover, booking, caregiver_user):
    with pytest.raises(ValidationError) as exc:
        services.cover_report_absence(actor=caregiver_user, booking=booking, on=cover.date)
    assert "date" in exc.value.message_dict


# --- substitutes ------------------------------------------------------------------------------------------------


def test_only_trained_available_carers_within_reach_are_proposed_never_the_absent_one(cover):
    # Ana is absent; Carmen's slot is too short, Dana is free on Wednesdays only, Elena is too far, Flavia
    # untrained, Gina travels 1 km only.
    proposed = selectors.substitutes(cover=cover)
    assert names(proposed) == ["Bianca"]
    assert [code for code, _params in proposed[0].reasons][:2] == ["distance", "available"]


def test_the_rules_are_restricted_to_that_one_date(baia_mare, org_a, family_user, hand_made):
    """A carer free on Tuesdays only is never proposed for a Tuesday-and-Thursday booking, but may cover
    one Tuesday of it."""
    request = services.care_request_submit(
        municipality=baia_mare,
        user=family_user,
        data=services.RequestInput(
            cared_for_name="Szabó Anna",
            kind="companionship",
            weekdays=[1, 3],
            start_time=T(10),
            hours=Decimal("2"),
            address="Strada Victoriei 3",
            latitude=CENTRE[0],
            longitude=CENTRE[1],
            consent=True,
        ),
    )
    thursday_too = caregiver(baia_mare, org_a, "Hanna", 1.0, [(1, T(8), T(14)), (3, T(8), T(14))])
    assert "Bianca" not in names(selectors.proposals(request=request))
    b = services.booking_choose(actor=family_user, request=request, caregiver=thursday_too, by_family=True)
    b.caregiver_confirmed_at = b.family_confirmed_at
    b.status = "confirmed"
    b.save()
    cover = services.cover_report_absence(actor=None, booking=b, on=next_tuesday())
    assert "Bianca" in names(selectors.substitutes(cover=cover))


def _request(municipality, user, name, *, start, hours, weekdays=(1,)):
    return services.care_request_submit(
        municipality=municipality,
        user=user,
        data=services.RequestInput(
            cared_for_name=name,
            kind="companionship",
            weekdays=list(weekdays),
            start_time=start,
            hours=Decimal(hours),
            address="Strada Unirii 1",
            latitude=CENTRE[0],
            longitude=CENTRE[1],
            consent=True,
        ),
    )


def test_a_substitute_already_booked_then_is_not_proposed(cover, baia_mare, hand_made):
    family_two = UserFactory(username="family.two")
    other = _request(baia_mare, family_two, "Pop Ion", start=T(11), hours="1")
    services.booking_choose(actor=family_two, request=other, caregiver=hand_made["farther"], by_family=True)
    assert "Bianca" not in names(selectors.substitutes(cover=cover))


def test_a_substitute_covering_another_visit_then_is_not_proposed(cover, baia_mare, org_a, coordinator):
    irina = caregiver(baia_mare, org_a, "Irina", 0.1, TUESDAY_MORNING)
    assert names(selectors.substitutes(cover=cover)) == ["Irina", "Bianca"]
    # Another family's Tuesday visit at 11:00, whose caregiver cannot come that day either: Irina covers it.
    family_two = UserFactory(username="family.two")
    other = _request(baia_mare, family_two, "Pop Ion", start=T(11), hours="1")
    hanna = caregiver(baia_mare, org_a, "Hanna", 1.0, TUESDAY_MORNING)
    b = services.booking_choose(actor=family_two, request=other, caregiver=hanna, by_family=True)
    b = services.booking_confirm(actor=None, booking=b, side=Side.CAREGIVER)
    other_cover = services.cover_report_absence(actor=None, booking=b, on=cover.date)
    services.cover_choose(actor=coordinator, cover=other_cover, caregiver=irina)
    assert "Irina" not in names(selectors.substitutes(cover=cover))


def test_choosing_asks_the_substitute_and_tells_the_family(
    cover, coordinator, hand_made, family_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        chosen = services.cover_choose(actor=coordinator, cover=cover, caregiver=hand_made["farther"])
    assert (chosen.status, chosen.substitute) == (CoverStatus.PROPOSED, hand_made["farther"])
    assert [m.to for m in mail.outbox] == [[family_user.email]]
    assert "Bianca is asked to come instead" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="cover.choose").count() == 1


def test_a_caregiver_not_proposed_is_refused_and_nothing_is_saved(cover, coordinator, hand_made, baia_mare):
    for name in ("near", "wrong_day", "too_far"):
        with pytest.raises(ValidationError) as exc:
            services.cover_choose(actor=coordinator, cover=cover, caregiver=hand_made[name])
        assert exc.value.message_dict == {"caregiver": ["Choose a caregiver from the proposed list."]}
    cover.refresh_from_db()
    assert (cover.status, cover.substitute) == (CoverStatus.NEEDED, None)
    assert not AuditEvent.objects.filter(action="cover.choose").exists()


def test_a_declined_cover_needs_cover_again(cover, coordinator, hand_made):
    services.cover_choose(actor=coordinator, cover=cover, caregiver=hand_made["farther"])
    declined = services.cover_decline(actor=None, cover=cover)
    assert (declined.status, declined.substitute) == (CoverStatus.NEEDED, None)
    with pytest.raises(ValidationError) as exc:
        services.cover_confirm(actor=None, cover=declined)
    assert "status" in exc.value.message_dict


def test_a_confirmed_cover_is_not_marked_missed(cover, coordinator, hand_made, baia_mare):
    services.cover_choose(actor=coordinator, cover=cover, caregiver=hand_made["farther"])
    services.cover_confirm(actor=None, cover=cover)
    assert services.visits_mark_missed(municipality=baia_mare, now=at(cover.date, 12)) == 0
    assert Cover.objects.for_tenant(baia_mare).get().status == CoverStatus.CONFIRMED
