from django.db import migrations, models

from carenet.core.db.operations import AddIndexWithoutLock


class Migration(migrations.Migration):
    # PostgreSQL builds the index CONCURRENTLY (no write lock on the deliveries), outside a transaction.
    atomic = False

    dependencies = [
        ("cases", "0010_assessment_domains_plan_return"),
    ]

    operations = [
        AddIndexWithoutLock(
            model_name="servicedelivery",
            index=models.Index(fields=["municipality", "-delivered_on", "-id"], name="delivery_recent"),
        ),
    ]
