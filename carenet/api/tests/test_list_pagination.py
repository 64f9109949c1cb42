"""The /api/v1/ lists page through exactly the rows the user may see, and their ``count`` is the number of them
(cursor pages count when asked, ``?count=true``; page numbers always).

The lists count without the ORDER BY (carenet.api.pagination) and the deliveries list reads no related rows:
the rows, their order and the count must stay those of the visibility rules.
"""

import datetime

import pytest

from carenet.api.pagination import ListPagination, count_without_ordering
from carenet.cases.permissions import deliveries_visible_to
from carenet.cases.services import delivery_record
from carenet.core.roles import Role
from carenet.directory.models import Service
from carenet.people.tests.conftest import make_person
from conftest import make_user

TODAY = datetime.date.today()


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(ListPagination, "page_size", 2)


@pytest.fixture
def deliveries(baia_mare, org_a, org_b, caseworker_a, caseworker_b, case_a, service_a):
    """Five deliveries of provider A on five days, two of provider B."""
    service_b = Service.objects.create(municipality=baia_mare, organisation=org_b, name="Îngrijire la domiciliu")
    person_b = make_person(baia_mare, org_b, first="Ana", last="Rusu")
    made = {"a": [], "b": []}
    for days in range(5):
        made["a"].append(
            delivery_record(
                actor=caseworker_a,
                person=case_a.person,
                service=service_a,
                delivered_on=TODAY - datetime.timedelta(days=days),
            ).pk
        )
    for days in range(2):
        made["b"].append(
            delivery_record(
                actor=caseworker_b,
                person=person_b,
                service=service_b,
                delivered_on=TODAY - datetime.timedelta(days=days),
            ).pk
        )
    return made


def _all_pages(api, path):
    """(count, ids in page order) over every page of a list (cursor pages; the total asked for)."""
    first = api.get(path + ("&" if "?" in path else "?") + "count=true").json()
    ids = [row["id"] for row in first["results"]]
    page = first
    while page["next"]:
        page = api.get(page["next"]).json()
        ids += [row["id"] for row in page["results"]]
    return first["count"], ids


def test_a_caseworker_pages_through_their_providers_deliveries_newest_first(api, small_pages, caseworker_a, deliveries):
    api.force_authenticate(caseworker_a)
    count, ids = _all_pages(api, "/api/v1/deliveries/")
    assert count == 5
    assert ids == [str(pk) for pk in deliveries["a"]]  # recorded from today backwards


def test_a_caseworker_of_another_provider_sees_neither_the_rows_nor_their_number(
    api, small_pages, caseworker_b, deliveries
):
    api.force_authenticate(caseworker_b)
    count, ids = _all_pages(api, "/api/v1/deliveries/")
    assert count == 2
    assert sorted(ids) == sorted(str(pk) for pk in deliveries["b"])


def test_a_user_of_the_other_municipality_sees_no_rows_and_a_count_of_zero(api, other_tenant_user, deliveries):
    api.force_authenticate(other_tenant_user)
    for name in ("persons", "cases", "deliveries"):
        for query in ("count=true", "page=1"):
            body = api.get(f"/api/v1/{name}/?{query}").json()
            assert (body["count"], body["results"]) == (0, [])


def test_a_manager_of_two_providers_sees_both_and_nothing_else(api, small_pages, baia_mare, org_a, org_b, deliveries):
    from carenet.accounts.models import Membership

    manager = make_user("manager_ab", baia_mare, org_a, Role.PROVIDER_MANAGER)
    Membership.objects.create(municipality=baia_mare, user=manager, organisation=org_b, role=Role.PROVIDER_MANAGER)
    no_provider_role = make_user("no_role", baia_mare)
    api.force_authenticate(manager)
    count, ids = _all_pages(api, "/api/v1/deliveries/")
    assert count == 7 and sorted(ids) == sorted(str(pk) for pk in deliveries["a"] + deliveries["b"])
    api.force_authenticate(no_provider_role)
    assert api.get("/api/v1/deliveries/?count=true").json()["count"] == 0


def test_the_coordinator_counts_the_municipalitys_persons_cases_and_deliveries(
    api, small_pages, coordinator, deliveries
):
    api.force_authenticate(coordinator)
    assert _all_pages(api, "/api/v1/deliveries/")[0] == 7
    persons = _all_pages(api, "/api/v1/persons/")
    assert persons[0] == len(persons[1]) == 2
    cases = _all_pages(api, "/api/v1/cases/")
    assert cases[0] == len(cases[1]) == 1


@pytest.mark.parametrize("window", [slice(None, 3), slice(2, 4), slice(4, 100), slice(6, 9), slice(None, 100)])
def test_the_count_without_ordering_is_the_number_of_rows_of_the_window(caseworker_b, coordinator, deliveries, window):
    for user in (coordinator, caseworker_b):
        visible = deliveries_visible_to(user).order_by("-delivered_on")[window]
        assert count_without_ordering(visible) == len(list(visible))
