"""Named areas of the seeds (no geometry yet: coordinators draw or upload it, issue on GIS)."""

from typing import Any

from carenet.core.models import Municipality
from carenet.core.seeds import load_seed

from .models import Area, AreaKind


def load(*, stdout: Any = None) -> None:
    data = load_seed("baia_mare_services")
    municipality = Municipality.objects.get(slug="baia-mare")
    count = 0
    for zone in data["zone_marginalizate"]:
        Area.objects.for_tenant(municipality).get_or_create(
            kind=AreaKind.MARGINALISED,
            name=zone["zona"],
            defaults={"municipality": municipality, "source_note": f"Strategia Baia Mare, linia {zone['linie']}"},
        )
        count += 1
    for loc in data["localitati_componente"]:
        Area.objects.for_tenant(municipality).get_or_create(
            kind=AreaKind.LOCALITY,
            name=loc["localitate"],
            defaults={
                "municipality": municipality,
                "population": loc.get("populatie"),
                "source_note": "Strategia Baia Mare (localități componente)",
            },
        )
        count += 1
    if stdout:
        stdout.write(f"  areas: {count}")


def load_population(*, stdout: Any = None) -> None:
    """Bălți's population table (the only seed with ages and sexes)."""
    from .population import population_load_balti_seed

    municipality = Municipality.objects.filter(slug="balti").first()
    if municipality is None:
        return
    rows = population_load_balti_seed(municipality=municipality)
    if stdout:
        stdout.write(f"  population rows: {rows}")
