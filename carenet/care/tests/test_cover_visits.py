"""The covered visit: the confirmed substitute records its start and end from their caregiver page, on the
cover's date, once (a resent key makes no second row); the booking's own caregiver no longer records that
date; the coordinator's cover page and the family's request page show the visit done by the substitute.
Each refusal with its one status code."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carenet.care import services
from carenet.care.models import Side, Visit
from carenet.testing.factories import UserFactory
from carenet.testing.refusals import LOGIN_REDIRECT, NOT_FOUND, assert_refused

from .conftest import TUESDAY_MORNING, caregiver
from .test_views_cover import next_tuesday, slug_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(care_request, org_a, hand_made, family_user, caregiver_user):
    care_request.organisation = org_a
    care_request.save(update_fields=["organisation"])
    b = services.booking_choose(actor=family_user, request=care_request, caregiver=hand_made["near"], by_family=True)
    return services.booking_confirm(actor=caregiver_user, booking=b, side=Side.CAREGIVER)


@pytest.fixture
def cover(booking, caregiver_user):
    return services.cover_report_absence(actor=caregiver_user, booking=booking, on=next_tuesday(), note="fever")


@pytest.fixture
def substitute_user(db):
    return UserFactory(username="carer.irina", email="irina@test.local")


@pytest.fixture
def irina(baia_mare, org_a, substitute_user, hand_made):
    return caregiver(baia_mare, org_a, "Irina", 0.1, TUESDAY_MORNING, user=substitute_user)


@pytest.fixture
def confirmed(coordinator, cover, irina, substitute_user):
    services.cover_choose(actor=coordinator, cover=cover, caregiver=irina)
    return services.cover_confirm(actor=substitute_user, cover=cover)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def clock(monkeypatch):
    """Set the time of day on the cover's Tuesday (or another day)."""

    def set_to(moment: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: timezone.localtime(moment).date())

    return set_to


def start_url(baia_mare, cover) -> str:
    return slug_url("caregiver_cover_visit_start", baia_mare, cover_id=cover.pk)


def end_url(baia_mare, cover) -> str:
    return slug_url("caregiver_cover_visit_end", baia_mare, cover_id=cover.pk)


def test_the_substitute_records_the_start_and_the_end(client, substitute_user, confirmed, baia_mare, clock):
    tuesday = next_tuesday()
    clock(at(tuesday, 10, 2))
    client.force_login(substitute_user)
    page = client.get(slug_url("caregiver", baia_mare)).content.decode()
    assert start_url(baia_mare, confirmed) in page
    client.post(start_url(baia_mare, confirmed), {"client_key": str(uuid.uuid4())})
    clock(at(tuesday, 13, 1))
    client.post(end_url(baia_mare, confirmed))
    visit = Visit.objects.for_tenant(baia_mare).get()
    assert (visit.booking_id, visit.cover_id) == (confirmed.booking_id, confirmed.pk)
    assert (timezone.localtime(visit.started_at).time(), timezone.localtime(visit.ended_at).time()) == (
        datetime.time(10, 2),
        datetime.time(13, 1),
    )
    assert "Visit recorded: 10:02–13:01" in client.get(slug_url("caregiver", baia_mare)).content.decode()


def test_the_bookings_caregiver_cannot_record_the_covered_date(
    client,
    caregiver_user,
    confirmed,
    booking,
    baia_mare,
    clock,
):
    clock(at(next_tuesday(), 10))
    client.force_login(caregiver_user)
    response = client.post(
        slug_url("visit_start", baia_mare, booking_id=booking.pk), {"client_key": str(uuid.uuid4())}, follow=True
    )
    assert "A substitute covers this day&#x27;s visit; they record it." in response.content.decode()
    assert not Visit.objects.for_tenant(baia_mare).exists()


def test_the_bookings_caregiver_never_ends_the_substitutes_visit(
    client,
    caregiver_user,
    substitute_user,
    confirmed,
    booking,
    baia_mare,
    clock,
):
    clock(at(next_tuesday(), 10))
    services.cover_visit_start(actor=substitute_user, cover=confirmed)
    client.force_login(caregiver_user)
    response = client.post(slug_url("visit_end", baia_mare, booking_id=booking.pk), follow=True)
    assert "No visit is under way." in response.content.decode()
    assert Visit.objects.for_tenant(baia_mare).get().ended_at is None


def test_cover_visit_refusals(
    client, confirmed, baia_mare, caregiver_user, family_user, other_tenant_user, org_a, clock
):
    clock(at(next_tuesday(), 10))
    olga = UserFactory(username="carer.olga", email="olga@test.local")
    caregiver(baia_mare, org_a, "Olga", 0.2, TUESDAY_MORNING, user=olga)
    for url in (start_url(baia_mare, confirmed), end_url(baia_mare, confirmed)):
        client.logout()
        assert_refused(client, url, LOGIN_REDIRECT, method="post", data={"client_key": str(uuid.uuid4())})
        # another caregiver, the booking's own caregiver, the family, another municipality's user
        for outsider in (olga, caregiver_user, family_user, other_tenant_user):
            client.force_login(outsider)
            assert_refused(client, url, NOT_FOUND, method="post", data={"client_key": str(uuid.uuid4())})
    assert not Visit.objects.for_tenant(baia_mare).exists()


def test_a_cover_not_yet_confirmed_is_refused_naming_why(
    client,
    coordinator,
    cover,
    irina,
    substitute_user,
    baia_mare,
    clock,
):
    services.cover_choose(actor=coordinator, cover=cover, caregiver=irina)
    clock(at(next_tuesday(), 10))
    client.force_login(substitute_user)
    response = client.post(start_url(baia_mare, cover), {"client_key": str(uuid.uuid4())}, follow=True)
    assert "Confirm the visit before recording it." in response.content.decode()
    assert not Visit.objects.for_tenant(baia_mare).exists()


def test_a_declined_cover_is_no_longer_the_substitutes(client, substitute_user, confirmed, baia_mare, clock):
    services.cover_decline(actor=substitute_user, cover=confirmed)
    clock(at(next_tuesday(), 10))
    client.force_login(substitute_user)
    assert_refused(client, start_url(baia_mare, confirmed), NOT_FOUND, method="post")
    assert not Visit.objects.for_tenant(baia_mare).exists()


def test_the_visit_is_recorded_only_on_its_date(client, substitute_user, confirmed, baia_mare, clock):
    clock(at(next_tuesday() - datetime.timedelta(days=1), 10))
    client.force_login(substitute_user)
    response = client.post(start_url(baia_mare, confirmed), {"client_key": str(uuid.uuid4())}, follow=True)
    assert "record it that day." in response.content.decode()
    assert not Visit.objects.for_tenant(baia_mare).exists()


def test_a_resent_start_makes_no_second_row_and_the_visit_is_recorded_once(
    client, substitute_user, confirmed, baia_mare, clock
):
    tuesday = next_tuesday()
    clock(at(tuesday, 10))
    client.force_login(substitute_user)
    key = str(uuid.uuid4())
    client.post(start_url(baia_mare, confirmed), {"client_key": key})
    client.post(start_url(baia_mare, confirmed), {"client_key": key})  # the phone's offline resend
    assert Visit.objects.for_tenant(baia_mare).count() == 1
    again = client.post(start_url(baia_mare, confirmed), {"client_key": str(uuid.uuid4())}, follow=True)
    assert "This visit is already recorded." in again.content.decode()
    clock(at(tuesday, 13))
    client.post(end_url(baia_mare, confirmed))
    client.post(start_url(baia_mare, confirmed), {"client_key": key})  # a resend after the end: the same row
    assert Visit.objects.for_tenant(baia_mare).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.cover_visit_start(actor=substitute_user, cover=confirmed, client_key=uuid.uuid4())
    assert "cover" in refused.value.message_dict
    with pytest.raises(ValidationError) as late:  # the substitute cannot step back from a visit made
        services.cover_decline(actor=substitute_user, cover=confirmed)
    assert "status" in late.value.message_dict


def test_the_coordinator_and_the_family_see_the_visit_done_by_the_substitute(
    client,
    coordinator,
    family_user,
    substitute_user,
    confirmed,
    booking,
    baia_mare,
    clock,
):
    tuesday = next_tuesday()
    clock(at(tuesday, 10))
    visit = services.cover_visit_start(actor=substitute_user, cover=confirmed, client_key=uuid.uuid4())
    services.visit_end(actor=substitute_user, visit=visit, at=at(tuesday, 13))
    client.force_login(coordinator)
    page = client.get(reverse("care:cover", args=[confirmed.pk])).content.decode()
    assert "Done by Irina, 10:00–13:00" in page
    clock(at(tuesday + datetime.timedelta(days=1), 9))  # the next day the family still sees it
    client.force_login(family_user)
    request_page = client.get(slug_url("request", baia_mare, request_id=booking.request_id)).content.decode()
    assert "Done by Irina, 10:00–13:00" in request_page
