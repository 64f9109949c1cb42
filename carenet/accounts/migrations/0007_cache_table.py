"""The table of Django's database cache (decision 0012): the shared cache where REDIS_URL is not set.

Made here so that `migrate` (`make run`, the test databases) creates it; the same as `createcachetable`.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "carenet_cache"


def create(apps, schema_editor):
    if TABLE not in schema_editor.connection.introspection.table_names():
        command = CreateCacheTable()
        command.verbosity = 0
        command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_user_sessions")]
    operations = [migrations.RunPython(create, drop)]
