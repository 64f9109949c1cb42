"""Russian and Ukrainian synonyms of the target-group and need terms (Bălți's citizens search in Russian)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from carenet.directory.taxonomy_data import load_taxonomies

    load_taxonomies(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_tenant_keys")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
