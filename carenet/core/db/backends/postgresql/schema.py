from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgreSQLSchemaEditor

from ..schema import TenantSchemaEditorMixin


class DatabaseSchemaEditor(TenantSchemaEditorMixin, PostgreSQLSchemaEditor):
    pass
