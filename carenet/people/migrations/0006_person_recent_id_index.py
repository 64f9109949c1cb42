from django.db import migrations, models

from carenet.core.db.operations import AddIndexWithoutLock


class Migration(migrations.Migration):
    # PostgreSQL builds the index CONCURRENTLY (no write lock on the registry), outside a transaction.
    atomic = False

    dependencies = [
        ("people", "0005_linkage"),
    ]

    operations = [
        AddIndexWithoutLock(
            model_name="person",
            index=models.Index(fields=["municipality", "-updated_at", "-id"], name="person_recent_id"),
        ),
    ]
