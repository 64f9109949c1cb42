"""``OutsideValue`` moves from the former ``analytics`` app to ``dashboards`` with its rows (decision 0010).

A database migrated on the code before the split ran ``analytics.0001_initial``: its figures are in the
table ``analytics_outsidevalue``. That table is renamed ``dashboards_outsidevalue`` (a rename moves no row;
indexes and constraints go with it) and its content type follows it. A new database has no such table, so
it is created. Either way the model's state is created here (``SeparateDatabaseAndState``), so Django's
state and the schema agree.

Unapplying renames the table back to ``analytics_outsidevalue`` (rows kept), so the code from before the
split finds its figures again after ``migrate dashboards zero``.
"""

import django.db.models.deletion
import django.db.models.manager
import uuid
from django.conf import settings
from django.db import migrations, models


OLD_TABLE = "analytics_outsidevalue"


def adopt_or_create_table(apps, schema_editor):
    model = apps.get_model("dashboards", "OutsideValue")
    if OLD_TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.alter_db_table(model, OLD_TABLE, model._meta.db_table)
    else:
        schema_editor.create_model(model)


def give_table_back(apps, schema_editor):
    model = apps.get_model("dashboards", "OutsideValue")
    schema_editor.alter_db_table(model, model._meta.db_table, OLD_TABLE)


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label="dashboards", model="outsidevalue").exists():
        types.filter(app_label="analytics", model="outsidevalue").update(app_label="dashboards")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label="analytics", model="outsidevalue").exists():
        types.filter(app_label="dashboards", model="outsidevalue").update(app_label="analytics")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The state: the model as it is, under its new app.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutsideValue',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('key', models.CharField(max_length=80, verbose_name='indicator')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('value', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='value')),
                        ('source', models.CharField(max_length=300, verbose_name='source')),
                        ('source_date', models.DateField(verbose_name='date of the source')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                        ('entered_at', models.DateTimeField(auto_now=True)),
                        ('entered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.municipality')),
                    ],
                    options={
                        'verbose_name': 'figure from outside CareNet',
                        'verbose_name_plural': 'figures from outside CareNet',
                        'ordering': ['key', 'year'],
                        'abstract': False,
                        'default_manager_name': 'plain',
                        'constraints': [models.UniqueConstraint(fields=('municipality', 'key', 'year'), name='outside_value_unique_year'), models.CheckConstraint(condition=models.Q(('year__gte', 1990), ('year__lte', 2100)), name='outside_value_year_range')],
                    },
                    managers=[
                        ('plain', django.db.models.manager.Manager()),
                    ],
                ),
            ],
            database_operations=[],
        ),
        # The table: the existing one (with its rows) renamed, or a new one.
        migrations.RunPython(adopt_or_create_table, give_table_back),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
