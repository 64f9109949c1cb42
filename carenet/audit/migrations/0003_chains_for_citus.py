"""The audit log in the shape a Citus cluster can distribute (decision 0010), every event and hash kept.

* ``chain`` — the municipality, or the platform chain (all zeros) for events without one: Citus
  cannot store a NULL distribution column. The table is distributed by it, colocated with the tenants.
* ``seq`` — the position of the event in its chain, numbered here in the order of the old integer ids
  (the order the chains were written in); the application numbers new events under the chain's lock.
* ``id`` — a UUID that keeps the old number (``carenet.core.ids.uuid_from_int``); the key is (id, chain).
* ``hash`` — unique within its chain (a unique constraint must include the distribution column).

The hashes do not change: ``canonical()`` covers neither the id, nor the chain, nor the position.
The append-only triggers are lifted for the rewrite and put back after it.
"""

from django.db import migrations, models

import carenet.audit.models
import carenet.core.db.constraints
import carenet.core.db.operations
from carenet.audit.triggers import PG_CREATE, PG_DROP, SQLITE_DROP, SQLITE_TRIGGERS


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


NUMBER_CHAINS = """
    UPDATE audit_auditevent SET seq = numbered.seq
      FROM (SELECT id, row_number() OVER (PARTITION BY chain ORDER BY id) AS seq FROM audit_auditevent) numbered
     WHERE numbered.id = audit_auditevent.id
"""
PLATFORM_CHAIN = {"postgresql": "'00000000-0000-0000-0000-000000000000'::uuid", "sqlite": "'" + "0" * 32 + "'"}


def fill_chains(apps, schema_editor):  # type: ignore[no-untyped-def]
    platform = PLATFORM_CHAIN[schema_editor.connection.vendor]
    schema_editor.execute(f"UPDATE audit_auditevent SET chain = COALESCE(municipality_id, {platform})")
    schema_editor.execute(NUMBER_CHAINS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(model_name="auditevent", name="chain", field=models.UUIDField(editable=False, null=True)),
        migrations.AddField(
            model_name="auditevent", name="seq", field=models.PositiveBigIntegerField(editable=False, null=True)
        ),
        migrations.RunPython(fill_chains, migrations.RunPython.noop),
        carenet.core.db.operations.TenantKeyShape(
            model_name="auditevent",
            operations=[
                migrations.RemoveIndex(model_name="auditevent", name="audit_tenant_recent"),
                migrations.AlterField(model_name="auditevent", name="chain", field=models.UUIDField(editable=False)),
                migrations.AlterField(
                    model_name="auditevent", name="seq", field=models.PositiveBigIntegerField(editable=False)
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="changes",
                    field=models.JSONField(
                        blank=True, default=dict, encoder=carenet.audit.models.AuditJSONEncoder, verbose_name="details"
                    ),
                ),
                migrations.AlterField(model_name="auditevent", name="hash", field=models.CharField(max_length=64)),
                migrations.AddConstraint(
                    model_name="auditevent",
                    constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_chain_seq_unique"),
                ),
                migrations.AddConstraint(
                    model_name="auditevent",
                    constraint=models.UniqueConstraint(fields=("chain", "hash"), name="audit_chain_hash_unique"),
                ),
            ],
        ),
        carenet.core.db.operations.IntegerKeysToUUID(model_name="auditevent"),
        carenet.core.db.operations.TenantKeyShape(
            model_name="auditevent",
            operations=[
                migrations.AddConstraint(
                    model_name="auditevent",
                    constraint=carenet.core.db.constraints.TenantKey(fields=("id", "chain"), name="audit_auditevent_tkey"),
                ),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
