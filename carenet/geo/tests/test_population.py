"""Population denominators: Bălți's table loaded as written, summed into CareNet's age bands, and flagged."""

import pytest

from carenet.geo.models import PopulationBand, PopulationRowKind
from carenet.geo.population import (
    denominators,
    parse_age_label,
    population_flags,
    population_load_balti_seed,
    rate_per_1000,
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("0-6 (7) ani", (0, 6)),
        ("25-35 ani", (25, 35)),
        ("64 si...ani", (64, None)),
        ("copii cu vârsta 0-18 ani", (0, 18)),
    ],
)
def test_age_labels_as_written_are_read(label, expected):
    assert parse_age_label(label) == expected


def test_balti_table_is_loaded_and_summed_into_bands(balti):
    population_load_balti_seed(municipality=balti)
    rows = PopulationBand.objects.for_tenant(balti)
    assert rows.filter(kind=PopulationRowKind.TABLE).count() == 7
    assert rows.filter(kind=PopulationRowKind.TEXT).count() == 4
    year, bands = denominators(balti, 2025)
    assert year == 2024
    assert bands["0-18"].total == 7753 + 12964 + 4550 == 25267
    assert bands["64+"].total == 27602 and bands["64+"].women == 17264
    assert sum(b.total for b in bands.values()) == 136563


def test_loading_twice_replaces_the_year(balti):
    population_load_balti_seed(municipality=balti)
    population_load_balti_seed(municipality=balti)
    assert PopulationBand.objects.for_tenant(balti).count() == 11


def test_the_seed_inconsistencies_are_flagged(balti):
    population_load_balti_seed(municipality=balti)
    flags = population_flags(balti, 2024)
    texts = " ".join(f.message for f in flags)
    assert "27682" in texts and "27602" in texts  # V01
    assert "24387" in texts and "25267" in texts  # V02
    assert sum("27602" in f.message and "27682" in f.message for f in flags) == 2  # V01: against the table and by sex


def test_rates_per_1000():
    assert rate_per_1000(2, 1000) == 2.0
    assert rate_per_1000(5, None) is None
    assert rate_per_1000(None, 100) is None


def test_another_municipality_has_no_denominators(balti, baia_mare):
    population_load_balti_seed(municipality=balti)
    assert denominators(baia_mare, 2025) == (None, {})


def test_age_bands_never_overlap_after_loading_balti_table(balti):
    from carenet.geo.population import age_band_overlaps

    population_load_balti_seed(municipality=balti)
    table = PopulationBand.objects.for_tenant(balti).filter(kind=PopulationRowKind.TABLE).order_by("age_from")
    assert age_band_overlaps([(r.label, r.age_from, r.age_to) for r in table]) == []
    young = table.get(label="19-25 ani")
    assert (young.age_from, young.age_to) == (19, 24)  # 25 is counted once, in "25-35 ani"
    assert "documentul scrie „19-25 ani”" in young.source_note
    assert young.total == 8742  # the figures stay as written


def test_overlapping_bands_are_named():
    from carenet.geo.population import age_band_overlaps, without_overlaps

    assert age_band_overlaps([("19-25", 19, 25), ("25-35", 25, 35), ("64+", 64, None)]) == [("19-25", "25-35")]
    assert without_overlaps([(19, 25), (25, 35), (36, 63), (64, None)]) == [(19, 24), (25, 35), (36, 63), (64, None)]


def test_the_migration_makes_stored_rows_disjoint(balti):
    import importlib

    from django.apps import apps

    population_load_balti_seed(municipality=balti)
    table = PopulationBand.objects.for_tenant(balti).filter(kind=PopulationRowKind.TABLE)
    table.filter(label="19-25 ani").update(age_to=25)  # as stored before the fix
    importlib.import_module("carenet.geo.migrations.0005_population_bands_disjoint").forwards(apps, None)
    assert table.get(label="19-25 ani").age_to == 24
