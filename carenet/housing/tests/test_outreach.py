"""The cold-night outreach list: a caseworker's open cases whose person the last social inquiry found homeless
and who has no bed tonight in any residence — on the home page on a declared cold night, audited like every list
of persons, never another provider's or municipality's clients."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from carenet.audit.models import AuditEvent
from carenet.cases import services as cases_services
from carenet.housing import services
from carenet.testing import factories
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, assert_refused

from .conftest import TODAY, bed

URL = "/housing/places/outreach/"


def found(caseworker: Any, org: Any, municipality: Any, last_name: str, housing: str = "homeless") -> Any:
    """An open case of ``org`` whose social inquiry of today found the person ``housing``."""
    person = factories.make_person(municipality, org, last=last_name)
    case = factories.CaseFactory(municipality=municipality, organisation=org, person=person, caseworker=caseworker)
    cases_services.inquiry_record(
        actor=caseworker,
        case=case,
        expected_version=case.version,
        visited_on=TODAY,
        household_size=1,
        housing=housing,
        conclusions="Evaluare.",
    )
    return case


@pytest.fixture
def clients_of_a(caseworker_a: Any, org_a: Any, baia_mare: Any, shelter: Any) -> dict[str, Any]:
    street = found(caseworker_a, org_a, baia_mare, "Stradă")
    sheltered = found(caseworker_a, org_a, baia_mare, "Adăpostit")
    services.stay_check_in(
        actor=caseworker_a, residence=shelter, bed=bed(shelter, "P1"), person=sheltered.person, check_in=TODAY
    )
    renting = found(caseworker_a, org_a, baia_mare, "Chiriaș", housing="rented")
    return {"street": street, "sheltered": sheltered, "renting": renting}


def test_the_list_holds_the_homeless_client_without_a_bed_tonight_only(
    client: Any, caseworker_a: Any, clients_of_a: dict[str, Any]
) -> None:
    client.force_login(caseworker_a)
    page = client.get(URL).content.decode()
    assert "Stradă" in page
    assert "Adăpostit" not in page  # has a bed tonight
    assert "Chiriaș" not in page  # the last inquiry found a rented home


def test_reading_the_list_is_audited_with_the_persons_shown(
    client: Any, caseworker_a: Any, clients_of_a: dict[str, Any]
) -> None:
    client.force_login(caseworker_a)
    client.get(URL)
    event = AuditEvent.objects.get(action="person.list_view", object_type="housing.outreach")
    assert event.changes["subject_ids"] == [str(clients_of_a["street"].person_id)]


def test_another_provider_sees_none_of_as_clients(
    client: Any, caseworker_b: Any, org_b: Any, baia_mare: Any, clients_of_a: dict[str, Any]
) -> None:
    own = found(caseworker_b, org_b, baia_mare, "Clientul-B")
    client.force_login(caseworker_b)
    page = client.get(URL).content.decode()
    assert "Clientul-B" in page and own.reference in page
    assert "Stradă" not in page


def test_the_other_municipality_sees_none_of_baia_mares_clients(
    client: Any, other_tenant_user: Any, clients_of_a: dict[str, Any]
) -> None:
    client.force_login(other_tenant_user)
    page = client.get(URL)
    assert page.status_code == 200 and "Stradă" not in page.content.decode()


def test_a_signed_in_citizen_is_refused(client: Any, citizen: Any, clients_of_a: dict[str, Any]) -> None:
    client.force_login(citizen)
    assert_refused(client, URL, FORBIDDEN)


def test_an_anonymous_visitor_goes_to_the_login(client: Any, clients_of_a: dict[str, Any]) -> None:
    assert_refused(client, URL, LOGIN_REDIRECT)


def test_a_declared_cold_night_puts_the_list_on_the_home_page(
    client: Any, caseworker_a: Any, coordinator: Any, baia_mare: Any, housing_rule: Any, clients_of_a: dict[str, Any]
) -> None:
    client.force_login(caseworker_a)
    assert "Cold night: clients without a bed tonight" not in client.get(reverse("core:dashboard")).content.decode()
    services.cold_night_declare(actor=coordinator, municipality=baia_mare, night=TODAY, temperature=Decimal("-15"))
    home = client.get(reverse("core:dashboard")).content.decode()
    assert "Cold night: clients without a bed tonight" in home and "Stradă" in home
    assert reverse("housing:outreach") in home
