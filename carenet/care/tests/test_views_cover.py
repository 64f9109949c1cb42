"""The pages of a visit needing cover: the coordinator's list and one visit's substitutes with their reasons,
the family's page, the caregiver's "I cannot come on …" and the substitute's answer (the address only after
they confirm); each refusal with its one status code."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carenet.care import services
from carenet.care.models import Cover, CoverStatus, Side
from carenet.testing.factories import UserFactory
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

from .conftest import TUESDAY_MORNING, caregiver

pytestmark = pytest.mark.django_db


def next_tuesday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


@pytest.fixture
def booking(care_request, org_a, hand_made, family_user, caregiver_user):
    care_request.organisation = org_a  # handled by provider A
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


def slug_url(name: str, baia_mare, **kwargs) -> str:
    return reverse(f"care_public:{name}", kwargs={"municipality_slug": baia_mare.slug, **kwargs})


# --- the coordinator ----------------------------------------------------------------------------------------------


def test_the_coordinator_lists_the_visits_needing_cover_and_sees_substitutes_with_reasons(
    client, coordinator, cover, irina
):
    client.force_login(coordinator)
    listing = client.get(reverse("care:covers")).content.decode()
    assert "Kovács Ilona" in listing and "Caregiver cannot come" in listing
    page = client.get(reverse("care:cover", args=[cover.pk])).content.decode()
    assert "Why proposed:" in page and "0.1 km away along the streets" in page and "fever" in page
    assert "Ana T." not in page and "Elena" not in page


def test_a_missed_visit_is_on_the_list_as_soon_as_it_is_opened(client, coordinator, booking, monkeypatch, baia_mare):
    tuesday = next_tuesday()
    monkeypatch.setattr(
        timezone, "now", lambda: timezone.make_aware(datetime.datetime.combine(tuesday, datetime.time(11)))
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tuesday)
    client.force_login(coordinator)
    assert "Visit missed" in client.get(reverse("care:covers")).content.decode()
    assert Cover.objects.for_tenant(baia_mare).get().reason == "missed"


def test_the_coordinator_chooses_a_substitute(client, coordinator, cover, irina):
    client.force_login(coordinator)
    response = client.post(reverse("care:cover_choose", args=[cover.pk, irina.pk]))
    assert response.status_code == 302
    cover.refresh_from_db()
    assert (cover.status, cover.substitute) == (CoverStatus.PROPOSED, irina)


def test_choosing_one_not_proposed_is_refused_with_the_reason(client, coordinator, cover, hand_made):
    client.force_login(coordinator)
    response = client.post(reverse("care:cover_choose", args=[cover.pk, hand_made["too_far"].pk]), follow=True)
    assert "Choose a caregiver from the proposed list." in response.content.decode()
    cover.refresh_from_db()
    assert cover.status == CoverStatus.NEEDED


def test_the_cases_social_worker_chooses_too(client, caseworker_a, cover, irina):
    client.force_login(caseworker_a)
    client.post(reverse("care:cover_choose", args=[cover.pk, irina.pk]))
    cover.refresh_from_db()
    assert cover.substitute == irina


def test_staff_cover_refusals(client, cover, irina, caseworker_b, other_tenant_user, auditor, citizen):
    page, choose = reverse("care:cover", args=[cover.pk]), reverse("care:cover_choose", args=[cover.pk, irina.pk])
    assert_refused(client, page, LOGIN_REDIRECT)
    assert_refused(client, reverse("care:covers"), LOGIN_REDIRECT)
    assert_refused(client, choose, LOGIN_REDIRECT, method="post")
    client.force_login(citizen)
    assert_refused(client, reverse("care:covers"), FORBIDDEN)
    assert_refused(client, page, FORBIDDEN)
    client.force_login(auditor)  # reads the network, never chooses
    assert client.get(page).status_code == 200
    assert_refused(client, choose, FORBIDDEN, method="post")
    for outsider in (caseworker_b, other_tenant_user):
        client.force_login(outsider)
        assert_refused(client, page, NOT_FOUND)
        assert_refused(client, choose, NOT_FOUND, method="post")
        assert "Kovács" not in client.get(reverse("care:covers")).content.decode()
    cover.refresh_from_db()
    assert cover.status == CoverStatus.NEEDED


# --- the family -------------------------------------------------------------------------------------------------


def test_the_family_sees_the_visit_and_picks_a_substitute(client, family_user, cover, irina, baia_mare, booking):
    client.force_login(family_user)
    request_page = client.get(slug_url("request", baia_mare, request_id=booking.request_id)).content.decode()
    assert slug_url("family_cover", baia_mare, cover_id=cover.pk) in request_page
    page = client.get(slug_url("family_cover", baia_mare, cover_id=cover.pk)).content.decode()
    assert "Irina T." in page and "fever" not in page  # the caregiver's note is for the coordinator
    client.post(slug_url("family_cover_pick", baia_mare, cover_id=cover.pk, caregiver_id=irina.pk))
    cover.refresh_from_db()
    assert cover.substitute == irina


def test_family_cover_refusals(client, cover, irina, baia_mare, citizen, other_tenant_user, caregiver_user):
    page = slug_url("family_cover", baia_mare, cover_id=cover.pk)
    pick = slug_url("family_cover_pick", baia_mare, cover_id=cover.pk, caregiver_id=irina.pk)
    assert_refused(client, page, LOGIN_REDIRECT)
    assert_refused(client, pick, LOGIN_REDIRECT, method="post")
    for outsider in (citizen, other_tenant_user, caregiver_user):
        client.force_login(outsider)
        assert_refused(client, page, NOT_FOUND)
        assert_refused(client, pick, NOT_FOUND, method="post")
    cover.refresh_from_db()
    assert cover.status == CoverStatus.NEEDED


# --- the caregiver and the substitute ------------------------------------------------------------------------------


def test_the_caregiver_says_they_cannot_come(client, caregiver_user, booking, baia_mare):
    client.force_login(caregiver_user)
    url = slug_url("caregiver_absent", baia_mare, booking_id=booking.pk)
    client.post(url, {"date": next_tuesday().isoformat(), "note": "ill"})
    assert Cover.objects.for_tenant(baia_mare).get().status == CoverStatus.NEEDED
    page = client.get(slug_url("caregiver", baia_mare)).content.decode()
    assert "Days I cannot come" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": ""}, "I cannot come on: This field is required."),
        ({"date": "31.02.2026"}, "I cannot come on: Enter a valid date."),
        ({"date": "WEDNESDAY"}, "There is no visit of this booking on that day."),
    ],
)
def test_a_bad_absence_is_refused_naming_the_field(client, caregiver_user, booking, baia_mare, data, message):
    if data["date"] == "WEDNESDAY":
        data = {"date": (next_tuesday() + datetime.timedelta(days=1)).isoformat()}
    client.force_login(caregiver_user)
    response = client.post(slug_url("caregiver_absent", baia_mare, booking_id=booking.pk), data, follow=True)
    assert message in response.content.decode()
    assert not Cover.objects.for_tenant(baia_mare).exists()


def test_absence_refusals(client, booking, baia_mare, citizen, family_user):
    url = slug_url("caregiver_absent", baia_mare, booking_id=booking.pk)
    data = {"date": next_tuesday().isoformat()}
    assert_refused(client, url, LOGIN_REDIRECT, method="post", data=data)
    for outsider in (citizen, family_user):
        client.force_login(outsider)
        assert_refused(client, url, NOT_FOUND, method="post", data=data)
    assert not Cover.objects.for_tenant(baia_mare).exists()


def test_the_substitute_sees_the_address_only_after_confirming(
    client, coordinator, cover, irina, substitute_user, baia_mare
):
    services.cover_choose(actor=coordinator, cover=cover, caregiver=irina)
    client.force_login(substitute_user)
    page = slug_url("caregiver", baia_mare)
    before = client.get(page).content.decode()
    assert "Visits I am asked to cover" in before
    assert "Strada Progresului" not in before and "Kovács" not in before and "plimbare" not in before
    client.post(slug_url("caregiver_cover_confirm", baia_mare, cover_id=cover.pk))
    after = client.get(page).content.decode()
    assert "Strada Progresului 10" in after and "Kovács Ilona" in after


def test_the_substitute_declines_and_the_visit_needs_cover_again(
    client, coordinator, cover, irina, substitute_user, baia_mare
):
    services.cover_choose(actor=coordinator, cover=cover, caregiver=irina)
    client.force_login(substitute_user)
    client.post(slug_url("caregiver_cover_decline", baia_mare, cover_id=cover.pk))
    cover.refresh_from_db()
    assert (cover.status, cover.substitute) == (CoverStatus.NEEDED, None)


def test_substitute_answer_refusals(client, coordinator, cover, irina, baia_mare, caregiver_user, family_user):
    services.cover_choose(actor=coordinator, cover=cover, caregiver=irina)
    for name in ("caregiver_cover_confirm", "caregiver_cover_decline"):
        url = slug_url(name, baia_mare, cover_id=cover.pk)
        client.logout()
        assert_refused(client, url, LOGIN_REDIRECT, method="post")
        for outsider in (caregiver_user, family_user):  # the absent caregiver is not the substitute
            client.force_login(outsider)
            assert_refused(client, url, NOT_FOUND, method="post")
    cover.refresh_from_db()
    assert cover.status == CoverStatus.PROPOSED
