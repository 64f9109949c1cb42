"""Django's SQLite backend with the tenant schema rules (``..schema``)."""

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.schema import DatabaseSchemaEditor as SQLiteSchemaEditor

from ..schema import TenantSchemaEditorMixin


class DatabaseSchemaEditor(TenantSchemaEditorMixin, SQLiteSchemaEditor):
    pass


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
