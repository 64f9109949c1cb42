"""Cursor (keyset) pages of the /api/v1/ lists (issue 23): the same rows, in the same order, as the page
numbers; every page one query for its rows whatever its depth; a bad cursor a 400 naming ``cursor``; the
scope of the user applies to every page, whoever made the cursor; no surname ever written into a URL."""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carenet.api.pagination import CURSOR_SALT, ListPagination
from carenet.audit.models import AuditEvent
from carenet.cases.services import case_open, delivery_record
from carenet.people.tests.conftest import make_person

TODAY = datetime.date.today()
SURNAMES = ["Rusu", "Popa", "Rusu", "Ionescu", "Rusu", "Zamfir", "Albu"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(ListPagination, "page_size", 2)


@pytest.fixture
def rows(baia_mare, org_a, org_b, caseworker_a, caseworker_b, service_a, service_b):
    """Provider A: seven persons, a case each, nine deliveries over three days (ties on every day).
    Provider B: one person, one case, two deliveries on the same days."""
    persons = [make_person(baia_mare, org_a, first=f"Ana{i}", last=last) for i, last in enumerate(SURNAMES)]
    for i, person in enumerate(persons):
        case_open(
            actor=caseworker_a,
            person=person,
            organisation=org_a,
            channel="in_person",
            opened_on=TODAY - datetime.timedelta(days=i % 3),
        )
    for i in range(9):
        delivery_record(
            actor=caseworker_a,
            person=persons[i % 7],
            service=service_a,
            delivered_on=TODAY - datetime.timedelta(days=i % 3),
        )
    other = make_person(baia_mare, org_b, first="Maria", last="Rusu")
    case_open(actor=caseworker_b, person=other, organisation=org_b, channel="phone", opened_on=TODAY)
    for days in range(2):
        delivery_record(
            actor=caseworker_b, person=other, service=service_b, delivered_on=TODAY - datetime.timedelta(days=days)
        )
    return persons


def _cursor(link):
    return parse_qs(urlsplit(link).query)["cursor"][0]


def _walk(api, path):
    """Every page from ``path`` by the next links: (ids in order, the pages' bodies)."""
    pages = [api.get(path).json()]
    while pages[-1]["next"]:
        assert len(pages) < 50, "the walk does not end"
        pages.append(api.get(pages[-1]["next"]).json())
    return [row["id"] for page in pages for row in page["results"]], pages


def _by_numbers(api, path):
    sep = "&" if "?" in path else "?"
    first = api.get(f"{path}{sep}page=1").json()
    ids, page = [row["id"] for row in first["results"]], first
    while page["next"]:
        page = api.get(page["next"]).json()
        ids += [row["id"] for row in page["results"]]
    return ids


@pytest.mark.parametrize("path", ["/api/v1/deliveries/", "/api/v1/cases/?status=all", "/api/v1/persons/"])
def test_cursor_pages_hold_the_rows_of_the_page_numbers_in_their_order(api, small_pages, caseworker_a, rows, path):
    api.force_authenticate(caseworker_a)
    ids, pages = _walk(api, path)
    assert len(ids) == len(set(ids)), "a row on two pages"
    assert ids == _by_numbers(api, path)
    assert all("cursor=" in page["next"] and "page=" not in page["next"] for page in pages[:-1])
    assert pages[0]["previous"] is None and pages[-1]["next"] is None


def test_the_ties_on_a_day_are_broken_by_the_id_newest_day_first(api, small_pages, caseworker_a, rows):
    from carenet.cases.models import ServiceDelivery

    api.force_authenticate(caseworker_a)
    ids, _ = _walk(api, "/api/v1/deliveries/")
    days = dict(ServiceDelivery.objects.for_tenant(rows[0].municipality_id).values_list("id", "delivered_on"))
    keys = [(days[uuid.UUID(i)], i) for i in ids]
    assert keys == sorted(keys, reverse=True) and len(ids) == 9


def test_the_previous_links_walk_back_through_the_same_pages(api, small_pages, caseworker_a, rows):
    api.force_authenticate(caseworker_a)
    _, pages = _walk(api, "/api/v1/deliveries/")
    back = [pages[-1]]
    while back[-1]["previous"]:
        back.append(api.get(back[-1]["previous"]).json())
    assert [p["results"] for p in reversed(back)] == [p["results"] for p in pages]
    assert back[-1]["previous"] is None and back[-1]["next"]


def test_a_search_is_paged_by_surname_and_the_cursor_holds_no_name(api, small_pages, caseworker_a, rows):
    api.force_authenticate(caseworker_a)
    ids, pages = _walk(api, "/api/v1/persons/?q=Rusu")
    assert sorted(ids) == sorted(str(p.pk) for p in rows if p.last_name == "Rusu")
    assert ids == _by_numbers(api, "/api/v1/persons/?q=Rusu")
    cursor = _cursor(pages[0]["next"])
    payload = signing.loads(cursor, salt=CURSOR_SALT)
    assert "Rusu" not in str(payload) and "Ana" not in str(payload)


def test_the_total_is_counted_when_asked(api, small_pages, caseworker_a, rows):
    api.force_authenticate(caseworker_a)
    assert api.get("/api/v1/deliveries/").json()["count"] is None
    first = api.get("/api/v1/deliveries/?count=true").json()
    assert first["count"] == 9
    assert "count=true" in first["next"]
    assert api.get(first["next"]).json()["count"] == 9
    assert api.get("/api/v1/deliveries/?page=2").json()["count"] == 9  # page numbers count as before


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "", "eyJvIjpbXX0:1abcde:xyz", signing.dumps({"o": ["-delivered_on", "-id"]}, salt="another")],
    # Named, not shown: a signed value carries the time, and pytest-xdist's workers must collect the same ids.
    ids=["nonsense", "empty", "unsigned", "signed-for-another-use"],
)
def test_a_bad_cursor_is_a_400_naming_the_cursor(api, caseworker_a, rows, cursor):
    api.force_authenticate(caseworker_a)
    response = api.get(f"/api/v1/deliveries/?cursor={cursor}")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


def test_an_altered_cursor_or_another_lists_cursor_is_a_400(api, small_pages, caseworker_a, rows):
    api.force_authenticate(caseworker_a)
    deliveries_next = api.get("/api/v1/deliveries/").json()["next"]
    cursor = _cursor(deliveries_next)
    payload = signing.loads(cursor, salt=CURSOR_SALT)
    payload["v"][0] = "2000-01-01"
    forged = signing.dumps(payload, salt="x")  # not signed with the list's salt: refused
    altered = cursor[:-3] + ("AAA" if cursor[-3:] != "AAA" else "BBB")
    for path in (
        f"/api/v1/deliveries/?cursor={forged}",
        f"/api/v1/cases/?cursor={cursor}",  # ordered by opening date, not delivery date
        f"/api/v1/deliveries/?cursor={altered}",
        f"/api/v1/persons/?q=Rusu&cursor={_cursor(api.get('/api/v1/persons/').json()['next'])}",
        "/api/v1/deliveries/?count=maybe",
    ):
        response = api.get(path)
        assert response.status_code == 400, path
        assert [e["field"] for e in response.json()["errors"]] in (["cursor"], ["count"]), path


def test_a_cursor_carries_no_right_the_scope_of_the_reader_applies(api, small_pages, caseworker_a, caseworker_b, rows):
    api.force_authenticate(caseworker_a)
    next_a = api.get("/api/v1/deliveries/").json()["next"]
    search_next_a = api.get("/api/v1/persons/?q=Rusu").json()["next"]
    api.force_authenticate(caseworker_b)
    seen = api.get(next_a).json()["results"]
    assert {row["organisation"] for row in seen} <= {str(caseworker_b.memberships.first().organisation_id)}
    # The surname of A's position row is read through B's scope: nothing to read, nothing shown.
    assert api.get(search_next_a).json()["results"] == []
    api.force_authenticate(None)
    assert api.get(next_a).status_code == 401


def test_every_cursor_page_is_one_audit_event_naming_its_persons(api, small_pages, caseworker_a, rows):
    api.force_authenticate(caseworker_a)
    _, pages = _walk(api, "/api/v1/persons/")
    events = AuditEvent.objects.filter(actor=caseworker_a, action="person.list_view", object_type="api.persons.list")
    events = events.order_by("seq")
    assert events.count() == len(pages)
    for event, page in zip(events, pages, strict=True):
        assert sorted(event.changes["subject_ids"]) == sorted(row["id"] for row in page["results"])


@pytest.mark.parametrize("path", ["/api/v1/deliveries/", "/api/v1/cases/?status=all", "/api/v1/persons/"])
def test_the_first_page_and_a_deep_cursor_page_issue_the_same_number_of_queries(
    api, small_pages, caseworker_a, rows, path
):
    api.force_authenticate(caseworker_a)
    _, pages = _walk(api, path)
    assert len(pages) >= 3
    deep = pages[-2]["next"]  # the last page: its cursor is the deepest position
    counts = []
    for url in (path, deep):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with CaptureQueriesContext(connection) as ctx:
        api.get(deep + "&count=true")
    assert len(ctx.captured_queries) == counts[1] + 1  # the total: one more query, asked for


def test_page_numbers_still_answer_as_before(api, small_pages, caseworker_a, rows):
    api.force_authenticate(caseworker_a)
    body = api.get("/api/v1/deliveries/?page=2").json()
    assert body["count"] == 9 and len(body["results"]) == 2
    assert "page=3" in body["next"] and "cursor" not in body["next"]
    assert api.get("/api/v1/deliveries/?page=99").status_code == 404


def test_the_openapi_schema_documents_the_cursor_the_count_and_the_400(api, caseworker_a):
    api.force_authenticate(caseworker_a)
    schema = api.get("/api/schema/?format=json").json()
    for path in ("/api/v1/persons/", "/api/v1/cases/", "/api/v1/deliveries/"):
        operation = schema["paths"][path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"cursor", "count", "page", "page_size"} <= names, path
        assert "400" in operation["responses"], path
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        count = schema["components"]["schemas"][body]["properties"]["count"]
        assert count["nullable"] is True, path


@pytest.fixture
def manager_of_both(baia_mare, org_a, org_b):
    """A provider manager of provider A and of provider B: their deliveries are read one provider at a time."""
    from carenet.accounts.models import Membership
    from carenet.core.roles import Role
    from carenet.testing.factories import make_user

    user = make_user("mgr_ab", baia_mare, org_a, Role.PROVIDER_MANAGER)
    Membership.objects.create(user=user, organisation=org_b, municipality=baia_mare, role=Role.PROVIDER_MANAGER)
    return user


def test_a_manager_of_two_providers_pages_through_both_providers_deliveries_in_one_order(
    api, small_pages, manager_of_both, rows
):
    from carenet.cases.permissions import deliveries_visible_to

    api.force_authenticate(manager_of_both)
    ids, pages = _walk(api, "/api/v1/deliveries/")
    expected = deliveries_visible_to(manager_of_both).order_by("-delivered_on", "-id").values_list("id", flat=True)
    assert [uuid.UUID(i) for i in ids] == list(expected) and len(ids) == 11
    back = [pages[-1]]
    while back[-1]["previous"]:
        back.append(api.get(back[-1]["previous"]).json())
    assert [p["results"] for p in reversed(back)] == [p["results"] for p in pages]


def test_a_page_of_a_manager_of_two_providers_costs_one_query_more_than_a_page_of_one_provider(
    api, small_pages, manager_of_both, caseworker_a, rows
):
    counts = []
    for user in (caseworker_a, manager_of_both):
        api.force_authenticate(user)
        api.get("/api/v1/deliveries/")
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/deliveries/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[1] == counts[0] + 1, counts
