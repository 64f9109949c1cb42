"""What both engines' schema editors do differently for tenant-owned tables (decision 0011).

A ``TenantOneToOneField`` is unique for Django's ORM (a one-to-one: ``select_related`` follows it back) but
not in the database on its own column: there its uniqueness is ``UNIQUE (column, municipality_id)``, which
Citus can distribute. The column gets the plain index a foreign key gets.
"""

from __future__ import annotations

import copy
from typing import Any


def _db_view(field: Any) -> Any:
    from carenet.core.tenancy import TenantOneToOneField

    if isinstance(field, TenantOneToOneField) and not field.primary_key and field._unique:  # type: ignore[attr-defined]
        field = copy.copy(field)
        field._unique = False
    return field


class TenantSchemaEditorMixin:
    def _iter_column_sql(
        self, column_db_type: Any, params: Any, model: Any, field: Any, *args: Any, **kwargs: Any
    ) -> Any:
        return super()._iter_column_sql(column_db_type, params, model, _db_view(field), *args, **kwargs)

    def _field_should_be_indexed(self, model: Any, field: Any) -> bool:
        return super()._field_should_be_indexed(model, _db_view(field))

    def _alter_field(self, model: Any, old_field: Any, new_field: Any, *args: Any, **kwargs: Any) -> Any:
        return super()._alter_field(model, _db_view(old_field), _db_view(new_field), *args, **kwargs)

    def add_constraint(self, model: Any, constraint: Any) -> None:
        from carenet.core.db.constraints import TenantForeignKeyConstraint

        if isinstance(constraint, TenantForeignKeyConstraint) and self.connection.vendor == "postgresql":  # type: ignore[attr-defined]
            # A composite foreign key needs its target's composite key, which makemigrations may add by a later
            # AddConstraint of the same migration (a new app's tables): add it with the migration's deferred SQL,
            # after every operation, as the CreateModel path does (TenantForeignKeyConstraint.constraint_sql).
            self.deferred_sql.append(constraint.create_sql(model, self))  # type: ignore[attr-defined]
            return
        super().add_constraint(model, constraint)
