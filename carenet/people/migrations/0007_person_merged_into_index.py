from django.db import migrations, models

from carenet.core.db.operations import AddIndexWithoutLock


class Migration(migrations.Migration):
    # PostgreSQL builds the index CONCURRENTLY (no write lock on the registry), outside a transaction.
    atomic = False

    dependencies = [
        ("core", "0005_job_crash_recovery"),
        ("geo", "0005_population_bands_disjoint"),
        ("people", "0006_person_recent_id_index"),
    ]

    operations = [
        AddIndexWithoutLock(
            model_name="person",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["municipality", "merged_into"],
                name="person_merged_into",
            ),
        ),
    ]
