"""Age bands of a disaggregation set that overlap (Bălți's "19-25" and "25-35" both held 25) are made
disjoint ("19-24"), in the set and in every stored value's cell key (issue 16)."""

from django.db import migrations


def _parse(code):
    text = code.strip().replace("–", "-")
    try:
        if text.endswith("+"):
            return int(text[:-1]), None
        low, high = text.split("-", 1)
        return int(low), int(high)
    except ValueError:
        return None


def _renames(options):
    parsed = [_parse(o["code"]) for o in options]
    if any(p is None for p in parsed):
        return {}
    fixed = list(parsed)
    for i in range(len(fixed) - 1):  # as geo.population.without_overlaps
        low, high = fixed[i]
        if high is None or high >= fixed[i + 1][0]:
            fixed[i] = (low, fixed[i + 1][0] - 1)
    renames = {}
    for option, (low, high), old in zip(options, fixed, parsed, strict=True):
        if (low, high) != old:
            renames[option["code"]] = f"{low}-{high}" if high is not None else f"{low}+"
    return renames


def forwards(apps, schema_editor):
    dset_model = apps.get_model("plans", "DisaggregationSet")
    value_model = apps.get_model("plans", "IndicatorValue")
    indicator_model = apps.get_model("plans", "Indicator")
    for dset in dset_model._base_manager.all():
        dimensions = dset.dimensions or []
        renames = {}
        for dimension in dimensions:
            if dimension.get("code") == "age":
                renames = _renames(dimension["options"])
                for option in dimension["options"]:
                    if option["code"] in renames:
                        new = renames[option["code"]]
                        option["label"] = new if option.get("label") == option["code"] else option.get("label")
                        option["code"] = new
        if not renames:
            continue
        dset_model._base_manager.filter(pk=dset.pk, municipality_id=dset.municipality_id).update(dimensions=dimensions)
        indicators = indicator_model._base_manager.filter(
            municipality_id=dset.municipality_id, disaggregation_id=dset.pk
        ).values_list("pk", flat=True)
        for old, new in renames.items():
            for value in value_model._base_manager.filter(
                municipality_id=dset.municipality_id, indicator_id__in=list(indicators), combo__contains=f"age={old}"
            ):
                parts = [f"age={new}" if p == f"age={old}" else p for p in value.combo.split("|")]
                value_model._base_manager.filter(pk=value.pk, municipality_id=value.municipality_id).update(
                    combo="|".join(parts)
                )


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_indicator_computation_filters")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
