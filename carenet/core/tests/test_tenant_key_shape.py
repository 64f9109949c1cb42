"""The tenant key shape (decision 0010): every query along a tenant relation carries the municipality.

Citus routes a query to one shard only when it filters on the distribution column and joins on it; these
tests read the SQL Django generates, on every engine.
"""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from carenet.cases.models import Case, CaseEvent
from carenet.core.ids import int_from_uuid, uuid7, uuid_from_int
from carenet.people.models import Consent, Person
from carenet.people.tests.conftest import make_person

pytestmark = pytest.mark.django_db


def _sql(queries):
    return [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def case(baia_mare, org_a, caseworker_a):
    person = make_person(baia_mare, org_a)
    return Case.objects.create(
        municipality=baia_mare,
        organisation=org_a,
        person=person,
        reference="BM-1",
        channel="in_person",
        caseworker=caseworker_a,
        opened_on=datetime.date(2025, 1, 10),
    )


def test_a_join_along_a_tenant_foreign_key_matches_the_municipalities(baia_mare):
    sql = str(Case.objects.for_tenant(baia_mare).filter(person__last_name="Pop").query)
    assert '"people_person"."municipality_id" = ("cases_case"."municipality_id")' in sql


def test_a_reverse_join_matches_the_municipalities_too(baia_mare):
    sql = str(Person.objects.for_tenant(baia_mare).filter(cases__status="active").query)
    assert '"people_person"."municipality_id" = ("cases_case"."municipality_id")' in sql


def test_select_related_joins_on_the_municipality(baia_mare):
    sql = str(Case.objects.for_tenant(baia_mare).select_related("person", "organisation").query)
    assert '"people_person"."municipality_id" = ("cases_case"."municipality_id")' in sql
    assert '"core_organisation"."municipality_id" = ("cases_case"."municipality_id")' in sql


def test_saving_a_row_updates_it_on_its_municipality_only(case):
    case.request_summary = "changed"
    with CaptureQueriesContext(connection) as queries:
        case.save(update_fields=["request_summary"])
    (update,) = _sql(queries)
    assert update.startswith('UPDATE "cases_case"') and '"cases_case"."municipality_id" = ' in update


def test_refreshing_a_row_reads_it_on_its_municipality(case):
    with CaptureQueriesContext(connection) as queries:
        case.refresh_from_db()
    assert '"cases_case"."municipality_id" = ' in _sql(queries)[0]


def test_a_related_manager_reads_within_the_municipality(case):
    with CaptureQueriesContext(connection) as queries:
        list(case.events.all())
    assert '"cases_caseevent"."municipality_id" = ' in _sql(queries)[0]


def test_a_forward_relation_is_fetched_within_the_municipality(case):
    fresh = Case.plain.get(pk=case.pk)
    with CaptureQueriesContext(connection) as queries:
        assert fresh.person.pk == case.person_id
    assert '"people_person"."municipality_id" = ' in _sql(queries)[0]


def test_prefetches_carry_the_municipality_and_count_as_scoped(case, baia_mare):
    with CaptureQueriesContext(connection) as queries:
        persons = list(
            Person.objects.for_tenant(baia_mare).prefetch_related(
                Prefetch("cases", queryset=Case.objects.order_by("reference")), "documents"
            )
        )
    assert [c.pk for c in persons[0].cases.all()] == [case.pk]
    cases_query, documents_query = _sql(queries)[1:]
    assert '"cases_case"."municipality_id" = ' in cases_query
    assert '"people_identitydocument"."municipality_id" = ' in documents_query


def test_a_many_to_many_reads_within_the_municipality_and_fills_the_through_row(baia_mare, org_a, org_b, caseworker_a):
    person = make_person(baia_mare, org_a)
    consent = Consent.objects.create(
        municipality=baia_mare,
        person=person,
        purpose="sharing",
        given_on=datetime.date(2025, 1, 1),
        recorded_by=caseworker_a,
        recorded_for=org_a,
    )
    consent.scope.set([org_b])
    with CaptureQueriesContext(connection) as queries:
        assert list(consent.scope.all()) == [org_b]
    assert '"core_organisation"."municipality_id" = ' in _sql(queries)[0]
    assert Consent.scope.through.plain.get().municipality_id == baia_mare.pk


def test_a_child_row_takes_the_municipality_of_its_parent(case):
    event = CaseEvent.plain.create(case=case, kind="note")
    assert event.municipality_id == case.municipality_id


def test_new_ids_are_time_ordered_uuids():
    ids = [uuid7() for _ in range(1000)]
    assert ids == sorted(ids) and len(set(ids)) == 1000
    assert {i.version for i in ids} == {7}


def test_a_converted_id_keeps_its_old_number_and_sorts_before_new_ids():
    assert uuid_from_int(42) == uuid.UUID("00000000-0000-7000-8000-00000000002a")
    assert int_from_uuid(uuid_from_int(42)) == 42 and int_from_uuid(uuid7()) is None
    assert uuid_from_int(2**47) < uuid7()
