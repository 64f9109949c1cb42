"""Residential places: a residence's staff see its own residents only; check-in, check-out and the waiting
list from the page; refusals with their one status code."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from carenet.housing import services
from carenet.housing.models import Stay
from carenet.testing.factories import make_person
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

from .conftest import TODAY, bed


@pytest.fixture
def residents(
    baia_mare: Any, org_a: Any, org_b: Any, caseworker_a: Any, caseworker_b: Any, shelter: Any, centre_b: Any
) -> tuple[Any, Any]:
    in_a = make_person(baia_mare, org_a, first="Ionel", last="Adăpostit")
    in_b = make_person(baia_mare, org_b, first="Maria", last="Rezidentă")
    services.stay_check_in(actor=caseworker_a, residence=shelter, bed=bed(shelter, "P1"), person=in_a, check_in=TODAY)
    services.stay_check_in(actor=caseworker_b, residence=centre_b, bed=bed(centre_b, "B1"), person=in_b, check_in=TODAY)
    return in_a, in_b


def test_a_residential_centre_sees_its_own_residents_only(client, caseworker_a, shelter, centre_b, residents):
    in_a, in_b = residents
    client.force_login(caseworker_a)
    listing = client.get(reverse("housing:residences")).text
    assert shelter.name in listing and centre_b.name not in listing
    page = client.get(reverse("housing:residence", args=[shelter.pk]))
    assert page.status_code == 200 and in_a.last_name in page.text and in_b.last_name not in page.text
    assert_refused(client, reverse("housing:residence", args=[centre_b.pk]), NOT_FOUND)
    stay_b = Stay.objects.for_tenant(centre_b.municipality_id).get(residence=centre_b)
    assert_refused(
        client,
        reverse("housing:stay_check_out", args=[stay_b.pk]),
        NOT_FOUND,
        method="post",
        data={"on": TODAY.isoformat()},
    )


def test_the_other_municipality_gets_404(client, other_tenant_user, shelter, residents):
    client.force_login(other_tenant_user)
    assert_refused(client, reverse("housing:residence", args=[shelter.pk]), NOT_FOUND)
    assert_refused(client, reverse("housing:residence_check_in", args=[shelter.pk]), NOT_FOUND, method="post", data={})


def test_the_auditor_reads_but_does_not_check_in(client, auditor, shelter, residents, baia_mare, org_a):
    client.force_login(auditor)
    assert client.get(reverse("housing:residence", args=[shelter.pk])).status_code == 200
    person = make_person(baia_mare, org_a, first="Nou")
    data = {"bed": bed(shelter, "P2").pk, "person": person.pk, "check_in": TODAY.isoformat(), "key": str(uuid.uuid4())}
    assert_refused(
        client, reverse("housing:residence_check_in", args=[shelter.pk]), FORBIDDEN, method="post", data=data
    )
    assert_refused(
        client,
        reverse("housing:cold_night_declare"),
        FORBIDDEN,
        method="post",
        data={"night": TODAY.isoformat(), "temperature": "-10"},
    )


def test_anonymous_is_sent_to_login(client, shelter):
    assert_refused(client, reverse("housing:residences"), LOGIN_REDIRECT)
    assert_refused(client, reverse("housing:residence", args=[shelter.pk]), LOGIN_REDIRECT)


def test_a_citizen_without_a_role_is_refused(client, citizen, shelter):
    client.force_login(citizen)
    assert_refused(client, reverse("housing:residences"), FORBIDDEN)


def test_check_in_from_the_page_is_recorded_once_when_sent_twice(client, caseworker_a, shelter, baia_mare, org_a):
    person = make_person(baia_mare, org_a, first="Nou")
    client.force_login(caseworker_a)
    data = {"bed": bed(shelter, "P2").pk, "person": person.pk, "check_in": TODAY.isoformat(), "key": str(uuid.uuid4())}
    url = reverse("housing:residence_check_in", args=[shelter.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Stay.objects.for_tenant(baia_mare).filter(person=person).count() == 1


def test_a_taken_bed_is_refused_with_a_message_naming_the_bed(
    client, caseworker_a, shelter, residents, baia_mare, org_a
):
    person = make_person(baia_mare, org_a, first="Nou")
    client.force_login(caseworker_a)
    data = {"bed": bed(shelter, "P1").pk, "person": person.pk, "check_in": TODAY.isoformat(), "key": str(uuid.uuid4())}
    response = client.post(reverse("housing:residence_check_in", args=[shelter.pk]), data, follow=True)
    assert "The bed is taken on one of these nights." in response.text
    assert not Stay.objects.for_tenant(baia_mare).filter(person=person).exists()


def test_the_phones_queued_check_in_is_recorded_once_and_refusals_name_the_field(
    client, caseworker_a, shelter, residents, baia_mare, org_a
):
    import json

    person = make_person(baia_mare, org_a, first="Telefon")
    client.force_login(caseworker_a)
    url = reverse("housing:residence_check_in", args=[shelter.pk])
    payload = {
        "key": str(uuid.uuid4()),
        "bed": str(bed(shelter, "P3").pk),
        "person": str(person.pk),
        "check_in": TODAY.isoformat(),
    }
    first = client.post(url, json.dumps(payload), content_type="application/json")
    again = client.post(url, json.dumps(payload), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["free"] == 1 and again.json()["status"] == "duplicate"
    taken = dict(payload, key=str(uuid.uuid4()), person=str(make_person(baia_mare, org_a, first="Altul").pk))
    refused = client.post(url, json.dumps(taken), content_type="application/json")
    assert refused.status_code == 400 and "bed" in refused.json()["errors"]
    assert client.post(url, b"[", content_type="application/json").status_code == 400
