"""Cooling and warming centres linked to their place in the directory: the centre shows the address the
provider keeps there (on the staff page and the public banner); the coordinator edits a centre; who may not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from carenet.campaigns import services
from carenet.campaigns.models import Centre
from carenet.testing.factories import LocationFactory
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hall(org_a):
    return LocationFactory(organisation=org_a, name="Sala Polivalentă", address_1="Str. Victoriei 2", city="Baia Mare")


@pytest.fixture
def centre(coordinator, baia_mare):
    return services.centre_save(actor=coordinator, municipality=baia_mare, kind="cooling", name="Centru de răcire")


def test_a_centre_linked_to_the_directory_shows_its_places_address(coordinator, baia_mare, hall, centre):
    response = _client(coordinator).post(
        reverse("campaigns:centre_edit", args=[centre.pk]),
        {
            "kind": "cooling",
            "name": "Centru de răcire",
            "location": hall.pk,
            "capacity": 40,
            "hours": "10-20",
            "is_open": "on",
        },
    )
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.location == hall and centre.display_address == "Str. Victoriei 2, Baia Mare"
    assert not centre.facts_missing
    page = _client(coordinator).get(reverse("campaigns:centres")).content.decode()
    assert "Str. Victoriei 2, Baia Mare" in page


def test_a_typed_address_wins_over_the_directorys(coordinator, baia_mare, hall):
    saved = services.centre_save(
        actor=coordinator, municipality=baia_mare, kind="cooling", name="C", location=hall, address="Intrarea B"
    )
    assert saved.display_address == "Intrarea B"


def test_a_place_of_the_other_municipality_is_refused_naming_the_field(coordinator, baia_mare, balti_org):
    elsewhere = LocationFactory(organisation=balti_org, name="Sala din Bălți")
    with pytest.raises(ValidationError) as refused:
        services.centre_save(actor=coordinator, municipality=baia_mare, kind="cooling", name="C", location=elsewhere)
    assert "location" in refused.value.message_dict
    assert not Centre.objects.for_tenant(baia_mare).exists()


def test_the_edit_form_offers_only_this_municipalitys_places(coordinator, centre, hall, balti_org):
    elsewhere = LocationFactory(organisation=balti_org, name="Sala din Bălți")
    response = _client(coordinator).post(
        reverse("campaigns:centre_edit", args=[centre.pk]), {"kind": "cooling", "name": "C", "location": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "location" in response.context["form"].errors


def test_bad_input_is_400_naming_the_field(coordinator, centre):
    response = _client(coordinator).post(
        reverse("campaigns:centre_edit", args=[centre.pk]), {"kind": "tepid", "name": "", "capacity": 0}
    )
    assert response.status_code == 400
    assert {"kind", "name", "capacity"} <= set(response.context["form"].errors)


def test_refusals_of_the_centre_edit(centre, caseworker_a, auditor, other_tenant_user):
    url = reverse("campaigns:centre_edit", args=[centre.pk])
    assert_refused(Client(), url, LOGIN_REDIRECT)
    assert_refused(_client(other_tenant_user), url, NOT_FOUND)
    assert_refused(_client(caseworker_a), url, NOT_FOUND)  # the centres are the network's, not a provider's
    assert_refused(_client(auditor), url, FORBIDDEN)  # reads the centres, changes none
