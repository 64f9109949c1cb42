"""Migrations stay safe on a live database: a new migration's risky operation (a table rewritten or locked,
a column renamed or removed under running code, a step that cannot be undone) must be accepted with a reason;
``upgrade_check`` lists what an upgrade will run and refuses to start without a recent backup."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import migrations, models
from django.utils import timezone

from carenet.ops.migration_safety import project_migrations, released, risks_of, unreleased_risks
from carenet.ops.models import BackupRecord


def test_no_new_migration_has_an_unaccepted_risky_operation():
    assert unreleased_risks() == [], "\n".join(str(r) for r in unreleased_risks())


def test_every_migration_of_carenet_is_either_released_or_checked():
    assert released() <= set(project_migrations())


def _migration(*operations):
    migration = migrations.Migration("0099_example", "people")
    migration.operations = list(operations)
    return migration


def test_the_risky_operations_are_named():
    migration = _migration(
        migrations.AlterField("person", "first_name", models.TextField()),
        migrations.RemoveField("person", "phone"),
        migrations.RenameField("person", "email", "mail"),
        migrations.AddIndex("person", models.Index(fields=["phone"], name="person_phone_idx")),
        migrations.RunPython(lambda apps, schema: None),
        migrations.RunSQL("UPDATE people_person SET phone = ''"),
    )
    found = [r.operation for r in risks_of("people", "0099_example", migration)]
    assert found == ["AlterField", "RemoveField", "RenameField", "AddIndex", "RunPython", "RunSQL"]


def test_safe_operations_are_not_flagged():
    migration = _migration(
        migrations.CreateModel("Note", [("id", models.AutoField(primary_key=True))]),
        migrations.AddIndex("note", models.Index(fields=["id"], name="note_idx")),  # a table made here: empty
        migrations.AddField("person", "nickname", models.CharField(max_length=20, blank=True, default="")),
        migrations.RunPython(lambda apps, schema: None, migrations.RunPython.noop),
    )
    assert risks_of("people", "0099_example", migration) == []


@pytest.mark.django_db
def test_upgrade_check_refuses_without_a_recent_backup_and_passes_with_one():
    with pytest.raises(CommandError, match="take a backup first"):
        call_command("upgrade_check", stdout=StringIO())
    now = timezone.now()
    BackupRecord.objects.create(started_at=now - datetime.timedelta(hours=1), finished_at=now, ok=True)
    out = StringIO()
    call_command("upgrade_check", stdout=out)
    assert "No migration to apply" in out.getvalue() and "Ready to upgrade." in out.getvalue()
