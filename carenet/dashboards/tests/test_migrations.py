"""The figures entered before the split of ``analytics`` survive the move of ``OutsideValue`` to ``dashboards``.

A database migrated on the code before the split holds them in ``analytics_outsidevalue``. Unapplying
``dashboards.0001`` gives that table back (what such a database looks like); applying it again must find
every row under the new app, and leave no table behind.
"""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from carenet.dashboards.models import OutsideValue


def _tables():
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_keeps_its_outside_values_when_they_move_to_dashboards(baia_mare):
    call_command("migrate", "dashboards", "zero", verbosity=0)
    assert "analytics_outsidevalue" in _tables() and "dashboards_outsidevalue" not in _tables()
    assert ContentType.objects.filter(app_label="analytics", model="outsidevalue").exists()

    # A figure entered on the code before the split, straight into its table.
    pk = uuid.uuid4()
    field = OutsideValue._meta.pk
    municipality_id = OutsideValue._meta.get_field("municipality").target_field.get_db_prep_value(
        baia_mare.pk, connection
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO analytics_outsidevalue (id, municipality_id, key, year, value, source, source_date, note,"
            " entered_at, entered_by_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL)",
            [
                field.get_db_prep_value(pk, connection),
                municipality_id,
                "trend.refugees",
                2024,
                "1007.00",
                "Plan de acțiuni Bălți 2025-2027",
                dt.date(2025, 1, 1),
                "",
                timezone.now(),
            ],
        )

    call_command("migrate", "dashboards", verbosity=0)
    # Unapplying dashboards unapplied every migration that depends on it (core's key shape and after): put the
    # whole schema back for the tests that follow on this worker.
    call_command("migrate", verbosity=0)

    assert "analytics_outsidevalue" not in _tables() and "dashboards_outsidevalue" in _tables()
    row = OutsideValue.objects.for_tenant(baia_mare).get(pk=pk)
    assert (row.key, row.year, row.value) == ("trend.refugees", 2024, Decimal("1007.00"))
    assert row.source == "Plan de acțiuni Bălți 2025-2027"
    assert ContentType.objects.filter(app_label="dashboards", model="outsidevalue").count() == 1
    assert not ContentType.objects.filter(app_label="analytics", model="outsidevalue").exists()
