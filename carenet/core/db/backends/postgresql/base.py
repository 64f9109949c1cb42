"""Django's PostgreSQL backend, with the tenant schema rules and test databases that work on Citus.

Identical to ``django.db.backends.postgresql`` but for a one-to-one between tenant rows (unique together with
the municipality, ``..schema``) and GROUP BY of tenant rows (by every selected column, ``.features``: their
primary key is composite). When the server preloads Citus, a test database is created on the
coordinator and on every worker, with the extension and the nodes registered, migrated on the coordinator,
then distributed (``carenet.core.db.citus.distribute``).
"""

from django.db.backends.postgresql import base

from .creation import DatabaseCreation
from .features import DatabaseFeatures
from .schema import DatabaseSchemaEditor


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
