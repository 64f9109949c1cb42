"""Named areas of the seeds, with APPROXIMATE demo outlines (flagged in ``source_note``): the seeds name
Baia Mare's marginalised zones and component localities but give no geometry; Bălți's plan names no zone,
so the demo draws five sectors around its centre. Coordinators replace the outlines with drawn or
uploaded ones (the GIS pages). Also Baia Mare's 2021 census population by sex (its strategy states no
table by age: the age distribution is only a figure)."""

import hashlib
from typing import Any

from carenet.core.models import Municipality
from carenet.core.seeds import load_seed

from .models import Area, AreaKind, PopulationBand, PopulationRowKind

APPROXIMATE = "Contur aproximativ (demo): sursa nu dă geometria; de înlocuit cu conturul desenat."
CENTRES = {"baia-mare": (47.6567, 23.5719), "balti": (47.7615, 27.9290)}
# Bălți: sectors around the centre (lat, lon offsets in degrees), named by position, not official districts.
BALTI_SECTORS = [
    ("Sector Centru", 0.0, 0.0),
    ("Sector Nord", 0.016, 0.0),
    ("Sector Sud", -0.016, 0.0),
    ("Sector Est", 0.0, 0.024),
    ("Sector Vest", 0.0, -0.024),
]


def square(lat: float, lon: float, half_lat: float = 0.006, half_lon: float = 0.009) -> dict[str, Any]:
    ring = [
        [round(lon - half_lon, 5), round(lat - half_lat, 5)],
        [round(lon + half_lon, 5), round(lat - half_lat, 5)],
        [round(lon + half_lon, 5), round(lat + half_lat, 5)],
        [round(lon - half_lon, 5), round(lat + half_lat, 5)],
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def approximate_outline(slug: str, name: str, spread: float = 0.02) -> dict[str, Any]:
    """A small square at a stable position near the centre (the seed gives no geometry)."""
    lat0, lon0 = CENTRES[slug]
    digest = hashlib.sha256(f"{slug}:{name}".encode()).digest()
    lat = lat0 + (digest[0] / 255 - 0.5) * spread
    lon = lon0 + (digest[1] / 255 - 0.5) * spread * 1.5
    return square(lat, lon, 0.003, 0.0045)


def _outline(area: Area, geometry: dict[str, Any]) -> None:
    if area.geometry is None:  # never overwrite an outline someone drew
        Area.objects.for_tenant(area.municipality_id).filter(pk=area.pk).update(
            geometry=geometry, source_note=f"{area.source_note} · {APPROXIMATE}"[:300]
        )


def load(*, stdout: Any = None) -> None:
    data = load_seed("baia_mare_services")
    municipality = Municipality.objects.get(slug="baia-mare")
    count = 0
    for zone in data["zone_marginalizate"]:
        area, _ = Area.objects.for_tenant(municipality).get_or_create(
            kind=AreaKind.MARGINALISED,
            name=zone["zona"],
            defaults={"municipality": municipality, "source_note": f"Strategia Baia Mare, linia {zone['linie']}"},
        )
        _outline(area, approximate_outline("baia-mare", zone["zona"]))
        count += 1
    for loc in data["localitati_componente"]:
        area, _ = Area.objects.for_tenant(municipality).get_or_create(
            kind=AreaKind.LOCALITY,
            name=loc["localitate"],
            defaults={
                "municipality": municipality,
                "population": loc.get("populatie"),
                "source_note": "Strategia Baia Mare (localități componente)",
            },
        )
        _outline(area, approximate_outline("baia-mare", loc["localitate"], spread=0.12))
        count += 1
    balti = Municipality.objects.filter(slug="balti").first()
    if balti is not None:
        lat0, lon0 = CENTRES["balti"]
        for name, dlat, dlon in BALTI_SECTORS:
            area, _ = Area.objects.for_tenant(balti).get_or_create(
                kind=AreaKind.ZONE,
                name=name,
                defaults={"municipality": balti, "source_note": "Sector demo (nu este o diviziune oficială)"},
            )
            _outline(area, square(lat0 + dlat, lon0 + dlon))
            count += 1
    if stdout:
        stdout.write(f"  areas: {count}")


# Baia Mare's strategy, line 74: "conform recensământului din anul 2021, 108.759 locuitori (57.533 femei și
# 51.226 bărbați)". Its age distribution is a figure ("Figura 2"), not text: no row by age is loaded.
BAIA_MARE_CENSUS_2021 = {"total": 108759, "women": 57533, "men": 51226, "line": 74}


def load_population(*, stdout: Any = None) -> None:
    """Bălți's population table (the only seed with ages and sexes) and Baia Mare's 2021 census by sex."""
    from .population import population_load_balti_seed

    rows = 0
    municipality = Municipality.objects.filter(slug="balti").first()
    if municipality is not None:
        rows += population_load_balti_seed(municipality=municipality)
    baia_mare = Municipality.objects.filter(slug="baia-mare").first()
    if baia_mare is not None:
        census = BAIA_MARE_CENSUS_2021
        PopulationBand.objects.for_tenant(baia_mare).update_or_create(
            year=2021,
            kind=PopulationRowKind.TEXT,
            age_from=0,
            age_to=None,
            defaults={
                "municipality": baia_mare,
                "label": "total (recensământ 2021)",
                "women": census["women"],
                "men": census["men"],
                "total": census["total"],
                "source_note": f"Strategia Baia Mare, linia {census['line']} (RPL 2021; pe vârste doar figură)",
            },
        )
        rows += 1
    if stdout:
        stdout.write(f"  population rows: {rows}")
