"""The two database constraints of a tenant-owned table (docs/decisions/0011-citus-key-shape.md).

* :class:`TenantKey` — the composite key ``(id, municipality_id)``: the PRIMARY KEY on PostgreSQL (what
  Citus needs to distribute the table by ``municipality_id``), a UNIQUE constraint on SQLite (whose
  tables keep Django's one-column key; the constraint is what the composite foreign keys point at).
  Django keeps ``id`` as the model's primary key: lookups by id alone still use the key's index.
* :class:`TenantForeignKeyConstraint` — ``(municipality_id, x_id) REFERENCES t (municipality_id, id)``,
  deferrable: a row can only point at a row of its own municipality, and the two rows always sit on
  the same Citus shard.

Both are added to every tenant-owned model by ``carenet.core.tenancy`` (one ``TenantKey`` per model, one
``TenantForeignKeyConstraint`` per ``TenantForeignKey``), so ``makemigrations`` writes them into a new
app's first migration without anyone listing them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import BaseConstraint

MAX_NAME = 63  # PostgreSQL's identifier limit


def constraint_name(table: str, suffix: str, *parts: str) -> str:
    """``<table>_<parts>_<suffix>``, shortened with a digest when PostgreSQL would truncate it."""
    name = "_".join((table, *parts, suffix))
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_NAME - len(suffix) - 10]}_{digest}_{suffix}"


def default_pkey_name(table: str) -> str:
    """The name PostgreSQL gives an inline PRIMARY KEY (``<table>_pkey``, the table name cut to fit)."""
    return table.encode()[: MAX_NAME - len("_pkey")].decode(errors="ignore") + "_pkey"


def _is_postgresql(schema_editor: Any) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class TenantKey(BaseConstraint):
    """``(pk, municipality_id)``: PRIMARY KEY on PostgreSQL, UNIQUE elsewhere."""

    def __init__(self, *, name: str, fields: tuple[str, ...] | list[str] = ("id", "municipality"), **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self.fields = tuple(fields)

    def _columns(self, model: Any, schema_editor: Any) -> str:
        return ", ".join(schema_editor.quote_name(model._meta.get_field(f).column) for f in self.fields)

    def _pk_column(self, model: Any, schema_editor: Any) -> str:
        return schema_editor.quote_name(model._meta.get_field(self.fields[0]).column)

    def _swap_sql(self, model: Any, schema_editor: Any, old_pk: str | None) -> str:
        table = schema_editor.quote_name(model._meta.db_table)
        drop = f"DROP CONSTRAINT {schema_editor.quote_name(old_pk)}, " if old_pk else ""
        return (
            f"ALTER TABLE {table} {drop}ADD CONSTRAINT {schema_editor.quote_name(self.name)} "
            f"PRIMARY KEY ({self._columns(model, schema_editor)})"
        )

    def constraint_sql(self, model: Any, schema_editor: Any) -> str | None:  # type: ignore[override]
        if _is_postgresql(schema_editor):
            from .citus import distribution_on_create

            # CREATE TABLE declares Django's one-column PRIMARY KEY inline; swap it once the table exists,
            # before the foreign keys and indexes of the migration (and, on a distributed Citus
            # coordinator, distribute the new table right after).
            table = model._meta.db_table
            column = model._meta.get_field(self.fields[1]).column
            schema_editor.deferred_sql[0:0] = [
                self._swap_sql(model, schema_editor, default_pkey_name(table)),
                *distribution_on_create(table, column, schema_editor),
            ]
            return None
        return f"CONSTRAINT {schema_editor.quote_name(self.name)} UNIQUE ({self._columns(model, schema_editor)})"

    def create_sql(self, model: Any, schema_editor: Any) -> str:
        if _is_postgresql(schema_editor):
            try:
                names = schema_editor._constraint_names(model, primary_key=True)
            except Exception:  # sqlmigrate on a table that does not exist yet
                names = [default_pkey_name(model._meta.db_table)]
            return self._swap_sql(model, schema_editor, names[0] if names else None)
        table = schema_editor.quote_name(model._meta.db_table)
        return (
            f"ALTER TABLE {table} ADD CONSTRAINT {schema_editor.quote_name(self.name)} "
            f"UNIQUE ({self._columns(model, schema_editor)})"
        )

    def remove_sql(self, model: Any, schema_editor: Any) -> str:
        table = schema_editor.quote_name(model._meta.db_table)
        sql = f"ALTER TABLE {table} DROP CONSTRAINT {schema_editor.quote_name(self.name)}"
        if _is_postgresql(schema_editor):
            # Unapplying a migration removes this key before the tenant foreign keys of the same migration that
            # reference it (they are created after it, deferred, whatever their place among the operations):
            # they go with it, and their own removal then finds them gone (IF EXISTS).
            sql += f" CASCADE, ADD PRIMARY KEY ({self._pk_column(model, schema_editor)})"
        return sql

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: Any = None) -> None:
        """Nothing to check in Python: the primary key is unique on its own."""

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs["fields"] = self.fields
        return path, args, kwargs  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TenantKey):
            return self.name == other.name and self.fields == other.fields
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash((self.__class__, self.name, self.fields))

    def __repr__(self) -> str:
        return f"<TenantKey: fields={self.fields!r} name={self.name!r}>"


class TenantForeignKeyConstraint(BaseConstraint):
    """``(municipality_id, <field>_id) REFERENCES <target> (municipality_id, <pk>)``, deferrable."""

    def __init__(self, *, name: str, field: str, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self.field = field

    def _sql(self, model: Any, schema_editor: Any) -> str:
        qn = schema_editor.quote_name
        field = model._meta.get_field(self.field)
        target = field.related_model._meta
        municipality = model._meta.get_field("municipality").column
        target_municipality = target.get_field("municipality").column
        return (
            f"CONSTRAINT {qn(self.name)} FOREIGN KEY ({qn(municipality)}, {qn(field.column)}) "
            f"REFERENCES {qn(target.db_table)} ({qn(target_municipality)}, {qn(field.target_field.column)}) "
            f"DEFERRABLE INITIALLY DEFERRED"
        )

    def constraint_sql(self, model: Any, schema_editor: Any) -> str | None:  # type: ignore[override]
        if _is_postgresql(schema_editor):
            # The target's composite key is itself added after CREATE TABLE (TenantKey): add this after it.
            schema_editor.deferred_sql.append(self.create_sql(model, schema_editor))
            return None
        return self._sql(model, schema_editor)

    def create_sql(self, model: Any, schema_editor: Any) -> str:
        return f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} ADD {self._sql(model, schema_editor)}"

    def remove_sql(self, model: Any, schema_editor: Any) -> str:
        qn = schema_editor.quote_name
        return f"ALTER TABLE {qn(model._meta.db_table)} DROP CONSTRAINT IF EXISTS {qn(self.name)}"

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: Any = None) -> None:
        """Checked by the database at commit; forms validate the choice through the field's queryset."""

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TenantForeignKeyConstraint):
            return self.name == other.name and self.field == other.field
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash((self.__class__, self.name, self.field))

    def __repr__(self) -> str:
        return f"<TenantForeignKeyConstraint: field={self.field!r} name={self.name!r}>"
