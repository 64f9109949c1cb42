"""Population table rows whose age bands overlap ("19-25 ani", "25-35 ani" both held 25) end the year
before the next band starts; the row keeps its label as written and its note says so (issue 16)."""

from django.db import migrations


def forwards(apps, schema_editor):
    band = apps.get_model("geo", "PopulationBand")
    rows = list(band._base_manager.filter(kind="table").order_by("municipality_id", "year", "age_from"))
    groups: dict = {}
    for row in rows:
        groups.setdefault((row.municipality_id, row.year), []).append(row)
    for group in groups.values():
        fixed = [(r.age_from, r.age_to) for r in group]
        for i in range(len(fixed) - 1):  # as geo.population.without_overlaps
            low, high = fixed[i]
            if high is None or high >= fixed[i + 1][0]:
                fixed[i] = (low, fixed[i + 1][0] - 1)
        for row, (low, high) in zip(group, fixed, strict=True):
            if (low, high) != (row.age_from, row.age_to):
                note = f"{row.source_note} (documentul scrie „{row.label.strip()}”; vârsta {row.age_to} e numărată în rândul următor)"
                band._base_manager.filter(pk=row.pk, municipality_id=row.municipality_id).update(
                    age_to=high, source_note=note[:300]
                )


class Migration(migrations.Migration):
    dependencies = [("geo", "0004_tenant_keys")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
