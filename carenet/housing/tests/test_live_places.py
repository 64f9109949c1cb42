"""A residence's beds are the live capacity of its directory service (carenet.core.capacity): the directory, the
referral form and the public finder show the beds free tonight instead of the provider's typed counter, and a
referral to a full shelter cannot be accepted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carenet.housing import services
from carenet.referrals.services.capacity import take_place
from carenet.testing import factories

from .conftest import TODAY, bed


@pytest.fixture
def shelter_service(shelter: Any, service_a: Any, caseworker_a: Any, baia_mare: Any, org_a: Any) -> Any:
    """Provider A's shelter runs service_a (typed: 10 of 10 free); one of its 3 beds is taken tonight."""
    service_a.places_total, service_a.places_available = 10, 10
    service_a.save(update_fields=["places_total", "places_available"])
    shelter.service = service_a
    shelter.save(update_fields=["service"])
    person = factories.make_person(baia_mare, org_a)
    services.stay_check_in(actor=caseworker_a, residence=shelter, bed=bed(shelter, "P1"), person=person, check_in=TODAY)
    return service_a


def test_the_directory_shows_the_shelters_beds_free_tonight(
    client: Any, caseworker_b: Any, shelter_service: Any, english: Any
) -> None:
    client.force_login(caseworker_b)
    page = client.get(reverse("directory:service", args=[shelter_service.pk])).content.decode()
    assert "2 available of 3" in page and "tonight, counted from the beds" in page
    assert "10 available of 10" not in page


def test_the_referral_form_offers_the_shelter_with_its_free_beds(
    client: Any, caseworker_b: Any, org_b: Any, baia_mare: Any, shelter_service: Any, english: Any
) -> None:
    case = factories.CaseFactory(
        municipality=baia_mare, organisation=org_b, person=factories.make_person(baia_mare, org_b)
    )
    client.force_login(caseworker_b)
    page = client.get(reverse("referrals:new", args=[case.pk])).content.decode()
    assert "2 places available" in page  # the service's option in the form
    assert "10 places available" not in page


def test_the_public_finder_shows_the_beds_free_tonight(
    client: Any, shelter_service: Any, baia_mare: Any, english: Any
) -> None:
    url = reverse("finder:service", kwargs={"municipality_slug": baia_mare.slug, "service_id": shelter_service.pk})
    page = client.get(url).content.decode()
    assert "2 places free of 3" in page and "(tonight)" in page


def test_a_referral_to_a_shelter_with_no_bed_free_tonight_cannot_be_accepted(
    shelter: Any, shelter_service: Any, caseworker_a: Any, baia_mare: Any, org_a: Any, org_b: Any, english: Any
) -> None:
    for code in ("P2", "P3"):
        person = factories.make_person(baia_mare, org_a)
        services.stay_check_in(
            actor=caseworker_a, residence=shelter, bed=bed(shelter, code), person=person, check_in=TODAY
        )
    case = factories.CaseFactory(
        municipality=baia_mare, organisation=org_b, person=factories.make_person(baia_mare, org_b)
    )
    referral = factories.ReferralFactory(case=case, to_service=shelter_service, to_organisation=org_a)
    with pytest.raises(ValidationError, match="no bed free tonight"):
        take_place(referral)
    shelter_service.refresh_from_db()
    assert shelter_service.places_available == 10  # the typed counter is not what a shelter's beds use


def test_a_referral_to_a_shelter_with_a_bed_free_takes_no_typed_place(
    shelter_service: Any, baia_mare: Any, org_a: Any, org_b: Any
) -> None:
    case = factories.CaseFactory(
        municipality=baia_mare, organisation=org_b, person=factories.make_person(baia_mare, org_b)
    )
    referral = factories.ReferralFactory(case=case, to_service=shelter_service, to_organisation=org_a)
    assert take_place(referral) is False  # the bed is taken at check-in
    shelter_service.refresh_from_db()
    assert shelter_service.places_available == 10
