"""Housing's isolation crawl (issue 26, "Must show"): every ``housing:`` URL pattern, filled with records
built by the housing fixtures and services, requested by those who must be refused.

The records: an applicant registered by the housing office, scored on the council's grid, on the year's
list (drawn by the officer, approved by the coordinator), with an appeal, offered the dwelling, who
accepted and signed the contract; and person_a's stay in provider A's night shelter. They are opened by
their own side (the housing officer, the coordinator, A's caseworker for A's shelter) only to choose a
filling that opens; then requested by:

* a user of the other municipality (Bălți's coordinator), an anonymous visitor and a signed-in citizen
  with no staff role — every URL;
* the housing part (applications, appeals, grids, lists, dwellings, offers, contracts and their rent, the
  arrears list, the home): only the housing office's staff, the coordinator and the auditor read it
  (``permissions._reads_housing``), so
  the staff of providers A and B, who are not the housing office, are refused every record; the home
  answers them (they run residences) with capacity only, never naming the applicant;
* residential places: a residence's stays and waiting list are its organisation's (``_residences_visible``
  filters by ``organisation``), so B's caseworker and manager, who run another centre, and the housing
  officer are another provider there;
* a lower role: the housing officer on the coordinator's pages (approving the list, declaring a cold night).

The public ranking (``housing_public:ranking``, under the municipality's slug) is another namespace and is
not crawled here: it is the list the law requires to be published, without names.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carenet.housing import services
from carenet.housing.tests.conftest import TODAY, answers, bed
from carenet.testing.isolation import Attacker, crawl, outsiders

pytestmark = pytest.mark.isolation

HOUSING = re.compile(r"^housing:")
# The housing office's records and pages (the providers' staff are not the housing office).
HOUSING_OFFICE = re.compile(r"^housing:(home|application|appeal|grid|list|dwelling|consumption|offer|contract|arrears)")
# A residence's beds, stays and waiting list: the organisation that runs it.
PLACES = re.compile(r"^housing:(residence|stay|cold_night)")
# Above a housing officer: the coordinator's approval of the list and cold-night declaration.
COORDINATOR_ONLY = re.compile(r"^housing:(list_approve|cold_night_declare)$")


@pytest.fixture
def housing_records(
    applicant_factory: Any,
    officer: Any,
    coordinator: Any,
    caseworker_a: Any,
    grid: Any,
    dwelling: Any,
    shelter: Any,
    centre_b: Any,
    person_a: Any,
) -> dict[str, Any]:
    application = applicant_factory(filed_on=TODAY - datetime.timedelta(days=30))
    services.application_score(
        actor=officer, application=application, answers=answers(grid, conditions=10, household=2, disability=0)
    )
    ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
    services.ranked_list_approve(actor=coordinator, ranked_list=ranked_list)
    appeal = services.appeal_file(actor=officer, application=application, filed_on=TODAY, grounds="Punctaj greșit")
    offer = services.offer_make(actor=officer, dwelling=dwelling)
    services.offer_accept(actor=officer, offer=offer)
    contract = services.contract_sign(
        actor=officer, offer=offer, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=365), rent=Decimal("120")
    )
    stay = services.stay_check_in(
        actor=caseworker_a, residence=shelter, bed=bed(shelter, "P1"), person=person_a, check_in=TODAY
    ).stay
    return {
        "applicant": application.applicant,
        "candidates": {
            "application_id": [application.pk],
            "appeal_id": [appeal.pk],
            "grid_id": [grid.pk],
            "list_id": [ranked_list.pk],
            "dwelling_id": [dwelling.pk],
            "offer_id": [offer.pk],
            "contract_id": [contract.pk],
            "residence_id": [shelter.pk],
            "stay_id": [stay.pk],
        },
    }


def test_no_housing_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    baia_mare: Any,
    person_a: Any,
    caseworker_a: Any,
    manager_a: Any,
    caseworker_b: Any,
    manager_b: Any,
    officer: Any,
    coordinator: Any,
    other_tenant_user: Any,
    citizen: Any,
    housing_records: dict[str, Any],
) -> None:
    applicant = housing_records["applicant"]
    # The markers are what the owner's side reads on the records' pages: their absence elsewhere means something.
    candidates = housing_records["candidates"]
    office, shelter_staff = Client(), Client()
    office.force_login(officer)
    shelter_staff.force_login(caseworker_a)
    application_page = office.get(reverse("housing:application", args=[candidates["application_id"][0]]))
    assert applicant.last_name in application_page.content.decode()
    residence_page = shelter_staff.get(reverse("housing:residence", args=[candidates["residence_id"][0]]))
    assert person_a.last_name in residence_page.content.decode()
    result = crawl(
        include=HOUSING,
        municipality=baia_mare,
        owners=[officer, coordinator, caseworker_a],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("not the housing office (A's caseworker)", caseworker_a, HOUSING_OFFICE),
            Attacker("not the housing office (A's manager)", manager_a, HOUSING_OFFICE),
            Attacker(
                "other provider (B's caseworker)",
                caseworker_b,
                re.compile(f"{HOUSING_OFFICE.pattern}|{PLACES.pattern}"),
            ),
            Attacker(
                "other provider (B's manager)", manager_b, re.compile(f"{HOUSING_OFFICE.pattern}|{PLACES.pattern}")
            ),
            Attacker("other provider (the housing officer, on A's shelter)", officer, PLACES),
            Attacker("lower role (the housing officer)", officer, COORDINATOR_ONLY),
        ],
        markers=[str(applicant.pk), applicant.last_name, str(person_a.pk), person_a.last_name],
        candidates=candidates,
        app_labels=("housing",),
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    assert not result.unfilled, result.report()
