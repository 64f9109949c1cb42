from typing import Any

from django.db.backends.postgresql.features import DatabaseFeatures as PostgreSQLFeatures


class DatabaseFeatures(PostgreSQLFeatures):
    def allows_group_by_selected_pks_on_model(self, model: Any) -> bool:
        """Django groups by a model's primary key alone when the database knows the other columns depend on
        it. A tenant table's PRIMARY KEY is ``(id, municipality_id)`` (``TenantKey``): grouping by ``id``
        alone, PostgreSQL refuses the other columns; such a model is grouped by every selected column."""
        if any(c.__class__.__name__ == "TenantKey" for c in model._meta.constraints):
            return False
        return super().allows_group_by_selected_pks_on_model(model)
