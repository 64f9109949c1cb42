"""Issue 23: the /api/v1/ lists write their pages from ``.values()`` rows with the serializers' own fields
(``carenet/api/rows.py``): the same JSON as the serializers give for the model instances, key for key, on cursor
pages and page numbers; and a page of a list costs a fixed number of queries, whatever the pages read before."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carenet.api.pagination import ListPagination
from carenet.audit.models import AuditEvent
from carenet.cases.models import Case, ServiceDelivery
from carenet.cases.serializers import CaseSerializer, DeliverySerializer
from carenet.cases.services import delivery_record
from carenet.people.models import Person
from carenet.people.serializers import PersonSerializer
from carenet.people.tests.conftest import make_person

TODAY = datetime.date.today()


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(ListPagination, "page_size", 2)


@pytest.fixture
def rows(baia_mare, org_a, caseworker_a, case_a, service_a):
    for i in range(3):
        make_person(baia_mare, org_a, first=f"Ion{i}", last="Rusu", born=None)
    for days, quantity in ((0, Decimal("1")), (1, Decimal("2.5")), (2, Decimal("0.25"))):
        delivery_record(
            actor=caseworker_a,
            person=case_a.person,
            service=service_a,
            case=case_a if days else None,
            delivered_on=TODAY - datetime.timedelta(days=days),
            quantity=quantity,
        )


def _walk(api, path):
    results, page = [], api.get(path).json()
    results += page["results"]
    while page["next"]:
        page = api.get(page["next"]).json()
        results += page["results"]
    return results


@pytest.mark.parametrize(
    ("name", "model", "serializer"),
    [
        ("persons", Person, PersonSerializer),
        ("cases", Case, CaseSerializer),
        ("deliveries", ServiceDelivery, DeliverySerializer),
    ],
)
@pytest.mark.parametrize("query", ["", "?page=1&page_size=100"])
def test_the_rows_are_what_the_serializer_gives(api, small_pages, coordinator, rows, name, model, serializer, query):
    api.force_authenticate(coordinator)
    path = f"/api/v1/{name}/" + (query or "")
    shown = _walk(api, path)
    assert shown
    expected = {
        str(obj.pk): dict(serializer(obj).data)
        for obj in model.objects.for_tenant(coordinator.municipality_id).filter(pk__in=[r["id"] for r in shown])
    }
    assert len(expected) == len(shown)
    for row in shown:
        assert row == expected[row["id"]]
        assert list(row) == list(expected[row["id"]])  # the same keys in the same order


def test_a_delivery_without_a_case_and_a_case_without_a_caseworker_show_null(api, coordinator, rows, case_a):
    Case.objects.for_tenant(case_a.municipality_id).filter(pk=case_a.pk).update(caseworker=None)
    api.force_authenticate(coordinator)
    deliveries = api.get("/api/v1/deliveries/").json()["results"]
    assert [row["case"] is None for row in deliveries] == [True, False, False]
    assert [row["quantity"] for row in deliveries] == ["1.00", "2.50", "0.25"]
    [case] = api.get("/api/v1/cases/").json()["results"]
    assert case["caseworker"] is None


@pytest.mark.parametrize("name", ["persons", "cases", "deliveries"])
def test_a_list_page_costs_the_same_queries_after_many_pages(api, coordinator, rows, name, settings):
    """Session-free (force_authenticate): the page, the visibility's memberships, the audit event and its tally."""
    settings.CARENET_READ_ALERT_FLOOR = 100_000
    api.force_authenticate(coordinator)
    path = f"/api/v1/{name}/"
    api.get(path)  # the first read of the hour: the exact count, which seeds the tally
    with CaptureQueriesContext(connection) as first:
        assert api.get(path).status_code == 200
    for _ in range(20):
        api.get(path)
    with CaptureQueriesContext(connection) as later:
        assert api.get(path).status_code == 200
    assert len(first.captured_queries) == len(later.captured_queries) <= 12
    # one audit event per page, naming its persons
    events = AuditEvent.objects.filter(actor=coordinator, object_type=f"api.{name}.list")
    assert events.count() == 23
    assert all(event.changes["subject_ids"] for event in events)
