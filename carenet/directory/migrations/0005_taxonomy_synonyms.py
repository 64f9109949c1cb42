"""Synonyms of the target-group and need terms (indexed for search)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from carenet.directory.taxonomy_data import load_taxonomies

    load_taxonomies(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_search_tokens")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
