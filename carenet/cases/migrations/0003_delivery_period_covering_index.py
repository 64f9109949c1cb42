"""Covering index for period aggregations over service deliveries (dashboards, annual report).

Counting distinct persons per period and provider reads only (municipality, date, person, organisation):
with this index PostgreSQL answers from the index alone. SQLite has no INCLUDE, so the columns are keys.
"""

from django.db import migrations

PG = (
    "CREATE INDEX IF NOT EXISTS delivery_period_covering ON cases_servicedelivery "
    "(municipality_id, delivered_on) INCLUDE (person_id, organisation_id)"
)
SQLITE = (
    "CREATE INDEX IF NOT EXISTS delivery_period_covering ON cases_servicedelivery "
    "(municipality_id, delivered_on, person_id, organisation_id)"
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute("DROP INDEX IF EXISTS delivery_period_covering")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_list_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
