"""Issue 26 (decision 0015): every stored column enters an event's hash, and signed daily checkpoints.

* ``hash_version`` — the events already written keep their hash and are marked version 1 (the first
  ten columns); new events are version 2 (every column but the hash). Nothing is rehashed.
* ``AuditCheckpoint`` — append-only like the events (its own triggers), distributed by ``chain``.
"""

import carenet.core.db.constraints
import carenet.core.ids
from django.db import migrations, models

from carenet.audit.triggers import (
    CHECKPOINT_PG_CREATE,
    CHECKPOINT_PG_DROP,
    CHECKPOINT_SQLITE_DROP,
    CHECKPOINT_SQLITE_TRIGGERS,
    PG_CREATE,
    PG_DROP,
    SQLITE_DROP,
    SQLITE_TRIGGERS,
)


def _run(schema_editor, postgresql, sqlite):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


def drop_event_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, PG_DROP, SQLITE_DROP)


def create_event_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, PG_CREATE, SQLITE_TRIGGERS)


def create_checkpoint_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, CHECKPOINT_PG_CREATE, CHECKPOINT_SQLITE_TRIGGERS)


def drop_checkpoint_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, CHECKPOINT_PG_DROP, CHECKPOINT_SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chains_for_citus")]

    operations = [
        migrations.RunPython(drop_event_triggers, create_event_triggers),
        # The events already written are version 1; the default for new ones is 2.
        migrations.AddField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.RunPython(create_event_triggers, drop_event_triggers),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=carenet.core.ids.uuid7, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("chain", models.UUIDField(editable=False)),
                ("number", models.PositiveBigIntegerField(editable=False)),
                ("made_at", models.DateTimeField(editable=False)),
                ("seq", models.PositiveBigIntegerField(editable=False)),
                ("head_hash", models.CharField(editable=False, max_length=64)),
                ("prev_signature", models.CharField(editable=False, max_length=64)),
                ("key_id", models.CharField(editable=False, max_length=16)),
                ("signature", models.CharField(editable=False, max_length=64)),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["chain", "number"],
                "constraints": [
                    carenet.core.db.constraints.TenantKey(fields=("id", "chain"), name="audit_auditcheckpoint_tkey"),
                    models.UniqueConstraint(fields=("chain", "number"), name="audit_checkpoint_number_unique"),
                ],
            },
        ),
        migrations.RunPython(create_checkpoint_triggers, drop_checkpoint_triggers),
    ]
