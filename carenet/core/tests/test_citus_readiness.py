"""Citus-readiness, on every engine: every table has a placement Citus accepts (decision 0010, issues 23 and 25).

A tenant-owned table can be hash-distributed by ``municipality_id`` only if its primary key and unique
constraints include the column, its references to other tenant rows carry it (composite foreign keys),
it has no identity column, its many-to-many tables are tenant-owned, and it has no row triggers.
"""

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from carenet.core.db import citus
from carenet.core.db.constraints import TenantForeignKeyConstraint, TenantKey
from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel


def test_every_table_can_be_placed_on_citus():
    assert citus.problems() == []


def test_every_tenant_owned_table_is_distributed_by_municipality():
    tenant = [p for p in citus.placements() if issubclass(p.model, TenantOwnedModel)]
    assert len(tenant) >= 80
    assert {(p.kind, p.column) for p in tenant} == {("distributed", "municipality_id")}


def test_platform_tables_are_reference_or_coordinator_local_tables():
    kinds = {p.label: p.kind for p in citus.placements()}
    assert kinds["core.municipality"] == kinds["accounts.user"] == kinds["directory.taxonomyterm"] == "reference"
    assert kinds["sessions.session"] == kinds["axes.accessattempt"] == "local"
    assert kinds["audit.auditevent"] == "distributed"


@pytest.mark.django_db
def test_no_row_triggers_on_distributed_tables_but_the_audit_guard():
    distributed = {p.table for p in citus.placements() if p.kind == "distributed"}
    triggers = {table: names for table, names in citus.row_triggers(connection).items() if table in distributed}
    allowed = set(citus.TRIGGERS_ALLOWED)
    if connection.vendor == "sqlite":
        allowed |= set(citus.SQLITE_ONLY_TRIGGERS)
    assert set(triggers) <= allowed


def test_the_script_places_reference_tables_before_the_tenant_tables_they_are_referenced_by():
    script = citus.ddl_script(shard_count=32)
    reference = [line for line in script if "create_reference_table" in line]
    distributed = [line for line in script if "create_distributed_table" in line]
    assert script.index(reference[-1]) < script.index(distributed[0])
    assert reference.index("SELECT create_reference_table('django_content_type');") < reference.index(
        "SELECT create_reference_table('auth_permission');"
    )
    assert reference.index("SELECT create_reference_table('core_municipality');") < reference.index(
        "SELECT create_reference_table('accounts_user');"
    )
    assert (
        distributed[0] == "SELECT create_distributed_table('core_organisation', 'municipality_id', shard_count => 32);"
    )
    assert all("colocate_with => 'core_organisation'" in line for line in distributed[1:])


def test_the_script_drops_the_composite_foreign_keys_while_distributing_and_adds_them_back():
    script = citus.ddl_script()
    drop = 'ALTER TABLE "cases_case" DROP CONSTRAINT IF EXISTS "cases_case_person_id_tfk";'
    add = next(
        line for line in script if line.startswith('ALTER TABLE "cases_case" ADD CONSTRAINT "cases_case_person_id_tfk"')
    )
    distribute = (
        "SELECT create_distributed_table('cases_case', 'municipality_id', colocate_with => 'core_organisation');"
    )
    assert script.index(drop) < script.index(distribute) < script.index(add)
    assert 'FOREIGN KEY ("municipality_id", "person_id") REFERENCES "people_person" ("municipality_id", "id")' in add


# --- the checker itself, on models it must refuse -------------------------------------------------------


def _problems(*model_classes):
    by_label = {p.label: p for p in citus.placements()}
    for model in model_classes:
        by_label[model._meta.label_lower] = citus.placement_of(model)
    return [
        problem for model in model_classes for problem in citus.problems_of(by_label[model._meta.label_lower], by_label)
    ]


@isolate_apps("carenet.core")
def test_the_checker_refuses_a_plain_foreign_key_between_tenant_rows():
    class Parent(TenantOwnedModel):
        class Meta(TenantOwnedModel.Meta):
            app_label = "core"

    class Child(TenantOwnedModel):
        parent = models.ForeignKey(Parent, on_delete=models.CASCADE)

        class Meta(TenantOwnedModel.Meta):
            app_label = "core"

    assert _problems(Parent, Child) == [
        "core.child.parent: reference to a tenant row without the municipality (TenantForeignKey)"
    ]


@isolate_apps("carenet.core")
def test_the_checker_refuses_a_unique_constraint_without_the_municipality():
    class Coded(TenantOwnedModel):
        code = models.CharField(max_length=10, unique=True)
        name = models.CharField(max_length=10)

        class Meta(TenantOwnedModel.Meta):
            app_label = "core"
            constraints = [models.UniqueConstraint(fields=["name"], name="coded_name_unique")]

    assert _problems(Coded) == [
        "core.coded.code: unique without municipality (a UniqueConstraint with it)",
        "core.coded: unique constraint coded_name_unique without municipality",
    ]


@isolate_apps("carenet.core")
def test_the_checker_refuses_an_identity_column_and_an_auto_many_to_many():
    class Other(TenantOwnedModel):
        class Meta(TenantOwnedModel.Meta):
            app_label = "core"

    class Numbered(TenantOwnedModel):
        id = models.BigAutoField(primary_key=True)  # type: ignore[assignment]
        others = models.ManyToManyField(Other)

        class Meta(TenantOwnedModel.Meta):
            app_label = "core"

    found = _problems(Other, Numbered)
    assert "core.numbered.id: identity column (make the id a UUID: TenantOwnedModel)" in found
    assert "core.numbered.others: many-to-many without a tenant-owned through model" in found


@isolate_apps("carenet.core")
def test_a_new_tenant_model_gets_its_composite_key_and_foreign_keys_without_listing_them():
    class Box(TenantOwnedModel):
        class Meta(TenantOwnedModel.Meta):
            app_label = "core"

    class Item(TenantOwnedModel):
        box = TenantForeignKey(Box, on_delete=models.CASCADE)

        class Meta(TenantOwnedModel.Meta):
            app_label = "core"

    constraints = {c.name: c for c in Item._meta.constraints}
    assert constraints["core_item_tkey"] == TenantKey(name="core_item_tkey", fields=("id", "municipality"))
    assert constraints["core_item_box_id_tfk"] == TenantForeignKeyConstraint(name="core_item_box_id_tfk", field="box")
    assert _problems(Box, Item) == []
