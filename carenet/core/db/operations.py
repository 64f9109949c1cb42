"""Migration operations that move existing tables to the tenant key shape (decision 0011) without losing a row.

* :class:`IntegerKeysToUUID` — a bigint/identity primary key becomes a UUID. Each row's new id keeps its
  old number (:func:`carenet.core.ids.uuid_from_int`), so every column that referenced the key, in any
  table, is rewritten with the same function: no mapping table, no join.
* :class:`FillMunicipality` — a child table that had no ``municipality_id`` takes its parent's.
* :class:`TenantKeyShape` — the changes of one model (foreign keys that become ``TenantForeignKey``,
  unique constraints that gain the municipality, the composite key and foreign keys) as one step: on
  SQLite one rebuild of the table instead of one per change; on PostgreSQL the changes in order.
* :class:`AddIndexWithoutLock` — an index built CONCURRENTLY on PostgreSQL, so a large table keeps taking
  writes while it builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import NotSupportedError, models
from django.db.migrations.operations import AddIndex
from django.db.migrations.operations.base import Operation

from carenet.core.ids import CONVERTED_PREFIX, uuid7


def _uuid_from_int_sql(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"('{CONVERTED_PREFIX}' || lpad(to_hex({column}), 12, '0'))::uuid"
    # SQLite: Django stores a UUID as 32 hex digits without dashes.
    return f"printf('{CONVERTED_PREFIX.replace('-', '')}%012x', CAST({column} AS INTEGER))"


def _referencing_fields(model: type[models.Model]) -> list[models.Field]:
    """Every concrete foreign key or one-to-one (hidden ones too) that points at ``model``'s primary key.

    Found by label over every model of the state (not through ``_meta.related_objects``, which a model
    re-rendered alone by a key-shape step does not know)."""
    label = model._meta.label_lower
    found = []
    for other in model._meta.apps.get_models():
        for field in other._meta.local_fields:
            if (
                field.is_relation
                and field.related_model is not None
                and field.concrete
                and field.related_model._meta.label_lower == label  # type: ignore[union-attr]
                and field.target_field.primary_key  # type: ignore[attr-defined]
            ):
                found.append(field)
    return found


@contextmanager
def _one_reload(state: Any, app_label: str, model_name: str, *, alone: bool = False) -> Iterator[None]:
    """Re-render the model once, after all its changes: alone, or with its directly related models.

    Rendering the historical models dominates the time of these migrations (Django re-renders every
    model related to the changed one, recursively, after every change). None of these changes points
    a relation at another model; a key-shape step changes neither a table name nor a key type, so the
    other models need no new rendering (and :func:`_referencing_fields` finds references by label).
    """
    state.reload_model = lambda *args, **kwargs: None
    try:
        yield
    finally:
        del state.reload_model
    if alone:
        if "apps" in state.__dict__:
            state._reload({(app_label, model_name.lower())})
    else:
        state.reload_model(app_label, model_name.lower(), delay=True)


class IntegerKeysToUUID(Operation):
    """Replace a model's integer primary key by a UUID, rewriting every referencing column."""

    reversible = False

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [], {"model_name": self.model_name}

    def state_forwards(self, app_label: str, state: Any) -> None:
        field = models.UUIDField(primary_key=True, default=uuid7, editable=False, serialize=False)  # type: ignore[var-annotated]
        with _one_reload(state, app_label, self.model_name):
            state.alter_field(app_label, self.model_name.lower(), "id", field, True)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        from_model = from_state.apps.get_model(app_label, self.model_name)
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return
        vendor = schema_editor.connection.vendor
        qn = schema_editor.quote_name
        pk = from_model._meta.pk.column
        refs = _referencing_fields(from_model)

        def to_state_model(model: type[models.Model]) -> type[models.Model]:
            return to_state.apps.get_model(model._meta.app_label, model._meta.model_name)

        if vendor == "postgresql":
            for field in refs:
                for name in schema_editor._constraint_names(field.model, [field.column], foreign_key=True):
                    schema_editor.execute(schema_editor._delete_fk_sql(field.model, name))
            table = qn(from_model._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {qn(pk)} DROP IDENTITY IF EXISTS")
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {qn(pk)} DROP DEFAULT")  # a serial's sequence
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN {qn(pk)} TYPE uuid USING {_uuid_from_int_sql(vendor, qn(pk))}"
            )
            for field in refs:
                col = qn(field.column)
                schema_editor.execute(
                    f"ALTER TABLE {qn(field.model._meta.db_table)} ALTER COLUMN {col} TYPE uuid "
                    f"USING {_uuid_from_int_sql(vendor, col)}"
                )
            for field in refs:  # one-column constraints that are still wanted come back
                new_model = to_state_model(field.model)
                new_field = new_model._meta.get_field(field.name)
                if new_field.db_constraint:  # type: ignore[union-attr]
                    schema_editor.execute(
                        schema_editor._create_fk_sql(new_model, new_field, "_fk_%(to_table)s_%(to_column)s")
                    )
        elif vendor == "sqlite":
            # Rebuild the table and every table pointing at it with the new column types, then rewrite.
            schema_editor._remake_table(to_model)
            for model in {field.model for field in refs} - {from_model}:
                schema_editor._remake_table(to_state_model(model))
            table = qn(from_model._meta.db_table)
            schema_editor.execute(f"UPDATE {table} SET {qn(pk)} = {_uuid_from_int_sql(vendor, qn(pk))}")  # noqa: S608
            for field in refs:
                col = qn(field.column)
                schema_editor.execute(
                    f"UPDATE {qn(field.model._meta.db_table)} SET {col} = {_uuid_from_int_sql(vendor, col)} "  # noqa: S608
                    f"WHERE {col} IS NOT NULL"
                )
        else:  # pragma: no cover
            raise NotImplementedError(f"IntegerKeysToUUID on {vendor}")

    def database_backwards(self, *args: Any) -> None:  # pragma: no cover
        raise NotImplementedError("integer keys are not restored")

    def describe(self) -> str:
        return f"Integer keys of {self.model_name} to UUIDs (old numbers kept inside the ids)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_uuid"


class FillMunicipality(Operation):
    """``municipality_id`` of a child table from its parent (the rows that have none yet)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, from_field: str):
        self.model_name = model_name
        self.from_field = from_field

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [], {"model_name": self.model_name, "from_field": self.from_field}

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        qn = schema_editor.quote_name
        field = model._meta.get_field(self.from_field)
        parent = field.related_model._meta
        table = qn(model._meta.db_table)
        schema_editor.execute(
            f"UPDATE {table} SET {qn('municipality_id')} = (SELECT p.{qn('municipality_id')} "  # noqa: S608
            f"FROM {qn(parent.db_table)} p WHERE p.{qn(field.target_field.column)} = {table}.{qn(field.column)}) "
            f"WHERE {qn('municipality_id')} IS NULL"
        )

    def database_backwards(self, *args: Any) -> None:
        pass

    def describe(self) -> str:
        return f"Municipality of {self.model_name} from its {self.from_field}"


class TenantKeyShape(Operation):
    """The key-shape changes of one model, applied as one step (one table rebuild on SQLite)."""

    reversible = True

    def __init__(self, model_name: str, operations: list[Operation]):
        self.model_name = model_name
        self.operations = operations

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [], {"model_name": self.model_name, "operations": self.operations}

    def state_forwards(self, app_label: str, state: Any) -> None:
        with _one_reload(state, app_label, self.model_name, alone=True):
            for operation in self.operations:
                operation.state_forwards(app_label, state)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "sqlite":
            schema_editor._remake_table(model)
            return
        # Each change touches its own field or constraint once: the states before and after the whole
        # step serve every change (no intermediate state to render).
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "sqlite":
            schema_editor._remake_table(model)
            return
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Tenant key shape of {self.model_name} ({len(self.operations)} changes)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_tenant_key"


class AddIndexWithoutLock(AddIndex):
    """``CREATE INDEX CONCURRENTLY`` on PostgreSQL (and Citus), which does not block writes while it builds;
    a plain ``CREATE INDEX`` elsewhere (SQLite, where one process writes anyway). The migration that uses it
    must say ``atomic = False``: PostgreSQL builds such an index outside a transaction."""

    atomic = False

    def describe(self) -> str:
        return f"Create index {self.index.name} on {self.model_name} without blocking writes"

    def _concurrently(self, schema_editor: Any) -> bool:
        if schema_editor.connection.vendor != "postgresql":
            return False
        if schema_editor.connection.in_atomic_block:
            raise NotSupportedError("AddIndexWithoutLock needs a migration with atomic = False.")
        return True

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            if self._concurrently(schema_editor):
                schema_editor.add_index(model, self.index, concurrently=True)
            else:
                schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            if self._concurrently(schema_editor):
                schema_editor.remove_index(model, self.index, concurrently=True)
            else:
                schema_editor.remove_index(model, self.index)
