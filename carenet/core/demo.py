"""Demo tenants and their real organisations, from the seeds stored in the project."""

from typing import Any

from .models import Municipality, Organisation, OrganisationKind, Sector
from .seeds import load_seed

MUNICIPALITIES: list[dict[str, Any]] = [
    {
        "slug": "balti",
        "name": "Municipiul Bălți",
        "country": "MD",
        "official_languages": ["ro", "ru"],
        "currency": "MDL",
        "time_zone": "Europe/Chisinau",
        "statistical_code": "0300",  # CUATM
        "population": 136563,  # balti_action_plan.json context_statistics.population_text.total (2024)
        "emergency_contacts": [
            {"label": "Serviciul național unic pentru apelurile de urgență", "phone": "112"},
            {"label": "Telefonul copilului", "phone": "116 111"},
            {"label": "Telefonul de încredere pentru femei și fete (violență)", "phone": "0 8008 8008"},
        ],
    },
    {
        "slug": "baia-mare",
        "name": "Municipiul Baia Mare",
        "country": "RO",
        "official_languages": ["ro", "hu"],
        "currency": "RON",
        "time_zone": "Europe/Bucharest",
        "statistical_code": "106318",  # SIRUTA
        "population": 108759,  # strategy, line 74 (census 2021)
        "emergency_contacts": [
            {"label": "Numărul unic pentru apeluri de urgență", "phone": "112"},
            {"label": "Telefonul copilului", "phone": "116 111"},
            {"label": "Linia telefonică pentru victimele violenței domestice", "phone": "0800 500 333"},
            {"label": "Telefonul vârstnicului", "phone": "0800 460 001"},
        ],
    },
]

# Bălți: organisations_derived of the action plan; generic bodies are kept and marked.
_BALTI_GENERIC = {
    "MASS_MEDIA_LOCALA",
    "MASS_MEDIA",
    "SERVICII_LOCALE",
    "ASISTENT_SOCIAL",
    "DIASPORA",
    "PARTENERI_DEZVOLTARE",
    "ONG",
    "DONATORI",
    "PARTENERI",
    "IMSP",
    "IM",
}


def _balti_kind(kind_text: str) -> tuple[str, str]:
    text = kind_text.lower()
    if "international" in text:
        return OrganisationKind.INTERNATIONAL, Sector.SOCIAL
    if "ngo" in text or "foundation" in text:
        return OrganisationKind.NGO, Sector.SOCIAL
    if "medical" in text or "mental-health" in text or "medico" in text:
        return OrganisationKind.PUBLIC, Sector.HEALTH
    if "police" in text or "migration" in text:
        return OrganisationKind.PUBLIC, Sector.POLICE
    if "cultural" in text:
        return OrganisationKind.PUBLIC, Sector.CULTURE
    if "social" in text:
        return OrganisationKind.PUBLIC, Sector.SOCIAL
    if "local public authority" in text or "directorate" in text or "youth council" in text:
        return OrganisationKind.PUBLIC, Sector.LOCAL_AUTHORITY
    return OrganisationKind.PUBLIC, Sector.OTHER


_BALTI_SECTOR_OVERRIDES = {"DITS": Sector.EDUCATION, "DIR_SANATATE": Sector.HEALTH, "DIR_CULTURA": Sector.CULTURE}
# Every body the directory lists a service of (directory/data/balti_services.json) provides services.
_BALTI_PROVIDERS = {
    "PRIMARIA",
    "DITS",
    "DIR_SANATATE",
    "DIR_CULTURA",
    "PALATUL",
    "CLT",
    "IM",
    "INFONET",
    "CCSM",
    "REBECA",
    "ATAS",
    "STAS",
    "CNPAC",
    "AO_AUTISM_HOPE",
    "AO_DIASPORA",
    "PIN",
    "TDH",
    "IMSP_CMF",
}


def balti_organisations() -> list[dict[str, Any]]:
    rows = []
    for org in load_seed("balti_action_plan")["organisations_derived"]:
        kind, sector = _balti_kind(org["kind"])
        rows.append(
            {
                "code": org["id"].lower().replace("_", "-"),
                "name": org["name"],
                "kind": kind,
                "sector": _BALTI_SECTOR_OVERRIDES.get(org["id"], sector),
                "is_generic": org["id"] in _BALTI_GENERIC,
                "is_provider": org["id"] in _BALTI_PROVIDERS,
                "source_note": "Plan de acțiuni Bălți 2025-2027 (organisations_derived)",
            }
        )
    return rows


def baia_mare_organisations() -> list[dict[str, Any]]:
    data = load_seed("baia_mare_services")
    das = data["furnizor_public"]
    rows: list[dict[str, Any]] = [
        {
            "code": "primaria",
            "name": "Primăria Municipiului Baia Mare",
            "kind": OrganisationKind.PUBLIC,
            "sector": Sector.LOCAL_AUTHORITY,
            "is_provider": False,
            "source_note": "Strategia de dezvoltare a serviciilor sociale a Municipiului Baia Mare",
        },
        {
            "code": "das",
            "name": das["denumire"],
            "short_name": "DAS Baia Mare",
            "kind": OrganisationKind.PUBLIC,
            "sector": Sector.SOCIAL,
            "source_note": f"Strategia Baia Mare, liniile {', '.join(map(str, das['linii']))}",
        },
    ]
    for unit in data["structuri_DAS"]:
        rows.append(
            {
                "code": unit["id"].replace("_", "-"),
                "name": unit["denumire"],
                "kind": OrganisationKind.PUBLIC,
                "sector": Sector.SOCIAL,
                "parent_code": "das",
                "source_note": f"Strategia Baia Mare, linia {unit['linie']} (structură DAS)",
            }
        )
    for ngo in data["furnizori_ONG"]:
        rows.append(
            {
                "code": "ong-" + _slug(ngo["denumire"]),
                "name": ngo["denumire"],
                "kind": OrganisationKind.NGO,
                "sector": Sector.SOCIAL,
                "source_note": f"Strategia Baia Mare, linia {ngo['linie']} (furnizor ONG: {ngo['servicii']})",
            }
        )
    return rows


def _slug(text: str) -> str:
    from anyascii import anyascii
    from django.utils.text import slugify

    return slugify(anyascii(text))[:60]


def load(*, stdout: Any = None) -> None:
    for spec in MUNICIPALITIES:
        municipality, _ = Municipality.objects.update_or_create(slug=spec["slug"], defaults=spec)
        rows = balti_organisations() if spec["slug"] == "balti" else baia_mare_organisations()
        by_code: dict[str, Organisation] = {}
        for row in rows:
            row = dict(row)
            parent_code = row.pop("parent_code", None)
            row["parent"] = by_code.get(parent_code) if parent_code else None
            org, _ = Organisation.objects.for_tenant(municipality).update_or_create(
                code=row.pop("code"), defaults={**row, "municipality": municipality}
            )
            by_code[org.code] = org
        if stdout:
            stdout.write(f"  {municipality.name}: {len(by_code)} organisations")
