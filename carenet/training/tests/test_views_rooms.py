"""Rooms lent for free places: the staff of a public institution register a room and lend it to a commercial
trainer; the bargain's balance shows on the page; who may not is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from carenet.core.models import OrganisationKind
from carenet.testing.factories import make_org
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, assert_refused
from carenet.training import services
from carenet.training.models import Room, RoomOffer

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(baia_mare):
    return make_org(baia_mare, "firma-it", "SC Cursuri IT SRL", kind=OrganisationKind.PRIVATE, is_provider=False)


@pytest.fixture
def room_a(caseworker_a, org_a):
    return services.room_create(actor=caseworker_a, owner=org_a, name="Sala de curs", capacity=20)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _lend(client, room, trainer, **extra):
    data = {
        "offer-room": room.pk,
        "offer-trainer": trainer.pk,
        "offer-free_places_owed": 3,
        "offer-valid_from": "2026-09-01",
    }
    data.update(extra)
    return client.post(reverse("training:room_lend"), data)


def test_a_public_institution_registers_a_room_and_lends_it_for_free_places(caseworker_a, org_a, firm, baia_mare):
    client = _client(caseworker_a)
    page = client.get(reverse("training:rooms")).content.decode()
    assert "Register a room" in page
    response = client.post(
        reverse("training:room_create"),
        {"room-owner": org_a.pk, "room-name": "Sala mică", "room-capacity": 12, "room-step_free": "on"},
    )
    assert response.status_code == 302
    room = Room.objects.for_tenant(baia_mare).get(name="Sala mică")
    assert room.step_free and room.capacity == 12
    assert _lend(client, room, firm).status_code == 302
    offer = RoomOffer.objects.for_tenant(baia_mare).get()
    assert (offer.trainer, offer.free_places_owed) == (firm, 3)
    assert "SC Cursuri IT SRL" in client.get(reverse("training:rooms")).content.decode()


def test_a_room_is_lent_only_to_a_commercial_trainer_naming_the_field(caseworker_a, room_a, org_b, baia_mare):
    response = _lend(_client(caseworker_a), room_a, org_b)
    assert response.status_code == 400
    assert "trainer" in response.context["offer_form"].errors
    assert not RoomOffer.objects.for_tenant(baia_mare).exists()


def test_bad_input_is_400_naming_the_field_and_nothing_is_saved(caseworker_a, room_a, firm, baia_mare):
    client = _client(caseworker_a)
    response = _lend(client, room_a, firm, **{"offer-free_places_owed": 0, "offer-valid_to": "2026-01-01"})
    assert response.status_code == 400
    assert {"free_places_owed"} <= set(response.context["offer_form"].errors)
    empty = client.post(reverse("training:room_create"), {"room-owner": room_a.owner_id, "room-name": ""})
    assert empty.status_code == 400 and "name" in empty.context["room_form"].errors
    assert not RoomOffer.objects.for_tenant(baia_mare).exists()
    assert Room.objects.for_tenant(baia_mare).count() == 1


def test_an_end_before_the_start_is_refused_naming_the_end(caseworker_a, room_a, firm):
    response = _lend(_client(caseworker_a), room_a, firm, **{"offer-valid_to": "2026-01-01"})
    assert response.status_code == 400
    assert "valid_to" in response.context["offer_form"].errors


def test_another_provider_cannot_lend_a_room_it_does_not_own(caseworker_b, room_a, firm, baia_mare):
    # the NGO owns no public room: it has nothing to lend (403); the room is not its choice either
    assert_refused(_client(caseworker_b), reverse("training:room_lend"), FORBIDDEN, method="post", data={})
    assert not RoomOffer.objects.for_tenant(baia_mare).exists()


def test_a_company_lends_no_public_room(csr, room_a, firm, baia_mare):
    assert_refused(_client(csr), reverse("training:room_create"), FORBIDDEN, method="post", data={})
    assert_refused(_client(csr), reverse("training:room_lend"), FORBIDDEN, method="post", data={})


def test_the_other_municipality_cannot_lend_baia_mares_room(other_tenant_user, room_a, balti):
    trainer = make_org(balti, "firma-md", "SRL Moldova", kind=OrganisationKind.PRIVATE, is_provider=False)
    response = _lend(_client(other_tenant_user), room_a, trainer)
    assert response.status_code == 400  # Baia Mare's room is not a choice in Bălți
    assert "room" in response.context["offer_form"].errors
    assert not RoomOffer.objects.all_tenants().exists()


def test_an_auditor_lends_nothing(auditor):
    assert_refused(_client(auditor), reverse("training:room_lend"), FORBIDDEN, method="post", data={})


def test_an_anonymous_visitor_is_sent_to_login():
    assert_refused(Client(), reverse("training:room_create"), LOGIN_REDIRECT, method="post", data={})
    assert_refused(Client(), reverse("training:rules"), LOGIN_REDIRECT)
