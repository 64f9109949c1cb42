"""Reference taxonomies (HG 867/2015, Moldovan social services, target groups, needs)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from carenet.directory.taxonomy_data import load_taxonomies

    load_taxonomies(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_hsds_models")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
