"""Deleting a person checks, key by key, that nothing still points at it. Each of those checks must find its
rows through an index, also once the database has statistics: on SQLite, ANALYZE counted the NULLs of the plain
index on ``merged_into`` (almost every person) as one value shared by every row, and the planner then checked
"no record is merged into this one" by scanning the municipality's persons — 50 ms a deletion at 165,000
persons, a wipe of 100,000 imported records in over an hour (docs/performance.md)."""

import pytest
from django.db import connection

from carenet.people.models import Person
from carenet.testing.factories import make_person

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's statistics only: PostgreSQL keeps the share of NULLs apart (null_frac) and estimates the key alone",
)


def _plan(sql: str, params: list[object]) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_merged_into_check_of_a_deletion_uses_an_index_after_analyze(baia_mare, org_a):
    people = [make_person(baia_mare, org_a, first=f"Ana{number}", last="Pop") for number in range(30)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    table = Person._meta.db_table
    municipality = Person._meta.get_field("municipality").get_db_prep_value(baia_mare.pk, connection)
    deleted = Person._meta.pk.get_db_prep_value(people[0].pk, connection)

    plan = _plan(
        f"SELECT 1 FROM {table} WHERE municipality_id = %s AND merged_into_id = %s",  # noqa: S608
        [municipality, deleted],
    )

    assert "merged_into_id=?" in plan, plan
