"""Demo directory: the REAL services of the two documents (no invented services).

* Baia Mare: every DAS structure of ``structuri_DAS`` becomes one service of its organisation
  (created by core.demo with the code ``<id with '_' → '-'>``); its description is the document's
  purpose and list of services, with the source line. Every NGO of ``furnizori_ONG`` gets one
  service per item of its listed services.
* Bălți: every existing service and facility the action plan names (its actions and its analysis),
  with the plan's action reference, the responsible structures and partners as written, and Russian
  translations: ``data/balti_services.json`` (quotes verbatim, with the seed's line numbers).

The documents state no phone, e-mail, street address, opening hours or capacity of any service:
those stay empty and the service page flags them "to be filled by the provider", offering the
portal's request for help as the way to reach the service meanwhile.

The documents give no street addresses: each site is placed near the municipality's centre by
a deterministic offset and flagged ``coordinates_approximate``. No opening hours are invented.
Run by ``manage.py load_demo`` after core.demo; idempotent (ids are uuid5 of the source).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from carenet.core.models import Municipality, Organisation
from carenet.core.seeds import load_seed

from .models import (
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceStatus,
    TaxonomyTerm,
)
from .services import directory_bulk_write, service_reindex
from .taxonomy_data import NAMESPACE, term_uuid
from .text import normalise

CENTRES = {"baia-mare": (47.6567, 23.5719), "balti": (47.7615, 27.9290)}
APPROXIMATE_NOTE = "Coordonată aproximativă: documentul sursă nu dă adresa; punctul este lângă centrul municipiului."

# structuri_DAS id → (HG 867/2015 code or None, needs, target groups, min age, max age, site)
# Classification of the documented services; "copil" = under 18 (strategy, line 388).
BAIA_MARE_UNITS: dict[str, tuple[str | None, list[str], list[str], int | None, int | None, str]] = {
    "azil_noapte": (
        "8790 CR-PFA-I",
        ["adapost", "hrana"],
        ["fara-adapost"],
        18,
        None,
        "Centrul Social Multifuncțional",
    ),
    "centru_agresori": ("8899 CZ-VD-III", ["consiliere-psihologica", "protectie-violenta"], ["agresori"], 18, None, ""),
    "centru_antidrog": ("8899 CZ-A-I", ["prevenire-adictii", "consiliere-psihologica"], ["adictii"], None, None, ""),
    "cantina_sociala": ("8899 CPS-I", ["hrana"], ["saracie", "varstnici", "copii"], None, None, ""),
    "serviciul_copil_familie": (None, ["consiliere", "protectie-violenta"], ["copii", "familii"], None, None, ""),
    "cz_risc_separare_1": ("8891 CZ-C-I", ["centru-de-zi", "educatie"], ["copii", "familii"], None, 17, ""),
    "centru_violenta_domestica": (
        "8899 CZ-VD-I",
        ["protectie-violenta", "consiliere-psihologica"],
        ["victime-violenta"],
        None,
        None,
        "",
    ),
    "centru_tranzit_tineri": (None, ["adapost", "consiliere"], ["tineri"], 18, None, ""),
    "luchian_copii": (
        "8891 CZ-C-II",
        ["centru-de-zi", "recuperare"],
        ["copii", "dizabilitati"],
        None,
        None,
        "Centrul Social Luchian",
    ),
    "luchian_adulti": (
        "8810 CZ-D-I",
        ["centru-de-zi", "recuperare"],
        ["dizabilitati"],
        18,
        None,
        "Centrul Social Luchian",
    ),
    "luchian_risc_separare": (
        "8891 CZ-C-I",
        ["centru-de-zi", "educatie"],
        ["copii", "familii"],
        None,
        17,
        "Centrul Social Luchian",
    ),
    "phoenix_copii": (
        "8891 CZ-C-II",
        ["centru-de-zi", "recuperare"],
        ["copii", "dizabilitati"],
        None,
        17,
        "Centrul Social Phoenix",
    ),
    "phoenix_adulti": (
        "8810 CZ-D-I",
        ["centru-de-zi", "recuperare"],
        ["dizabilitati"],
        18,
        None,
        "Centrul Social Phoenix",
    ),
    "caspev": (
        "8810 CZ-V-II",
        ["socializare", "centru-de-zi", "consiliere"],
        ["varstnici"],
        None,
        None,
        "Serviciul Social Vârstnici",
    ),
    "centrul_voluntariat": (
        None,
        ["voluntariat", "socializare"],
        ["varstnici"],
        None,
        None,
        "Serviciul Social Vârstnici",
    ),
    "rivulus_varstnici": (
        "8810 CZ-V-II",
        ["socializare", "centru-de-zi"],
        ["varstnici"],
        None,
        None,
        "Centrul Social Multifuncțional Rivulus Pueris",
    ),
    "rivulus_tineri": (
        None,
        ["socializare", "educatie"],
        ["tineri"],
        None,
        None,
        "Centrul Social Multifuncțional Rivulus Pueris",
    ),
    "rivulus_copii": (
        "8891 CZ-C-I",
        ["centru-de-zi", "educatie"],
        ["copii", "familii"],
        None,
        None,
        "Centrul Social Multifuncțional Rivulus Pueris",
    ),
    "regina_maria": ("8810 CZ-V-II", ["socializare"], ["varstnici"], None, None, ""),
    "ingrijiri_domiciliu_varstnici": (
        "8810 ID-I",
        ["ingrijire-domiciliu", "sanatate", "recuperare"],
        ["varstnici"],
        None,
        None,
        "",
    ),
    "compartiment_consiliere_analiza": (
        "8899 CZ-PN-I",
        ["consiliere", "acte-beneficii"],
        ["saracie", "varstnici"],
        None,
        None,
        "",
    ),
    "cmr_adulti": (
        None,
        ["ocupare", "consiliere"],
        ["romi", "comunitati-marginalizate"],
        18,
        None,
        "Centrul Multifuncțional Romani",
    ),
    "cmr_cz_copii": (
        "8891 CZ-C-I",
        ["centru-de-zi", "educatie"],
        ["copii", "romi"],
        None,
        17,
        "Centrul Multifuncțional Romani",
    ),
    "ccm_cz_copii": (
        "8891 CZ-C-I",
        ["centru-de-zi", "educatie"],
        ["copii", "familii"],
        None,
        17,
        "Centrul Comunitar Multifuncțional",
    ),
    "ccm_consiliere_informare": (
        "8899 CZ-PN-I",
        ["consiliere"],
        ["comunitati-marginalizate"],
        None,
        None,
        "Centrul Comunitar Multifuncțional",
    ),
    "cz_parinti_copii": (
        "8899 CZ-F-I",
        ["consiliere", "educatie"],
        ["familii", "copii"],
        None,
        None,
        "Centrul Comunitar Multifuncțional",
    ),
}

# Keywords (normalised) of NGO service items → needs / target groups.
_KEYWORDS: list[tuple[str, str, str]] = [
    ("domiciliu", "carenet-needs", "ingrijire-domiciliu"),
    ("masa", "carenet-needs", "hrana"),
    ("cantina", "carenet-needs", "hrana"),
    ("cazare", "carenet-needs", "adapost"),
    ("gazduire", "carenet-needs", "adapost"),
    ("camin", "carenet-needs", "adapost"),
    ("case de tip familial", "carenet-needs", "adapost"),
    ("centru de zi", "carenet-needs", "centru-de-zi"),
    ("recuperator", "carenet-needs", "recuperare"),
    ("after school", "carenet-needs", "educatie"),
    ("stomatolog", "carenet-needs", "sanatate"),
    ("munca", "carenet-needs", "ocupare"),
    ("post detentie", "carenet-needs", "consiliere"),
    ("comunitare", "carenet-needs", "consiliere"),
    ("dizabil", "carenet-target-groups", "dizabilitati"),
    ("autism", "carenet-target-groups", "dizabilitati"),
    ("batrani", "carenet-target-groups", "varstnici"),
    ("copii", "carenet-target-groups", "copii"),
    ("tineri", "carenet-target-groups", "tineri"),
    ("cantina", "carenet-target-groups", "saracie"),
]

BALTI_DATA = Path(__file__).resolve().parent / "data" / "balti_services.json"


@cache
def balti_services() -> list[dict[str, Any]]:
    """The services and facilities Bălți's plan names (carenet/directory/data/balti_services.json)."""
    with BALTI_DATA.open(encoding="utf-8") as fh:
        return list(json.load(fh)["services"])


def _uuid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "demo:" + ":".join(parts))


def approximate_point(slug: str, key: str) -> tuple[float, float]:
    """A stable point within about 1.5 km of the municipality's centre."""
    lat0, lon0 = CENTRES[slug]
    digest = hashlib.sha256(f"{slug}:{key}".encode()).digest()
    dlat = (digest[0] / 255 - 0.5) * 0.026
    dlon = (digest[1] / 255 - 0.5) * 0.038
    return round(lat0 + dlat, 5), round(lon0 + dlon, 5)


def _clean(text: str) -> str:
    return text.strip().strip(";,.").strip()


def _describe_unit(unit: dict[str, Any]) -> str:
    parts = []
    if unit.get("scop"):
        parts.append(unit["scop"])
    for group in unit.get("grupuri_servicii", []):
        items = [_clean(s["text"]) for s in group["servicii"]]
        parts.append(f"{group['grup'].rstrip(':')}:\n" + "\n".join(f"- {i}" for i in items if i))
    return "\n\n".join(parts)


def _terms(pairs: list[tuple[str, str]]) -> list[TaxonomyTerm]:
    ids = [term_uuid(t, c) for t, c in pairs]
    return list(TaxonomyTerm.objects.filter(id__in=ids))


def _location(municipality: Municipality, org: Organisation, site: str) -> Location:
    lat, lon = approximate_point(municipality.slug, site)
    location, _ = Location.plain.update_or_create(
        id=_uuid(municipality.slug, "location", site),
        municipality=municipality,  # the row is locked on its tenant's shard (Citus)
        defaults={
            "organisation": org,
            "name": site,
            "city": municipality.name.replace("Municipiul ", ""),
            "country": municipality.country,
            "latitude": lat,
            "longitude": lon,
            "coordinates_approximate": True,
            "description": APPROXIMATE_NOTE,
        },
    )
    return location


def _upsert_service(
    municipality: Municipality,
    org: Organisation,
    key: str,
    fields: dict[str, Any],
    terms: list[TaxonomyTerm],
    site: str,
) -> Service:
    service, _ = Service.plain.update_or_create(
        id=_uuid(municipality.slug, "service", key),
        municipality=municipality,  # the row is locked on its tenant's shard (Citus)
        defaults={
            "organisation": org,
            "status": ServiceStatus.ACTIVE,
            "languages": ["ro"],
            # Loaded from a document, never checked by the provider: the page says "never", the
            # coordinator's freshness list asks the provider to verify it.
            "last_verified_at": None,
            **fields,
        },
    )
    ServiceAttribute.plain.filter(service=service).exclude(taxonomy_term__in=terms).delete()
    for term in terms:
        ServiceAttribute.plain.get_or_create(municipality=municipality, service=service, taxonomy_term=term)
    if org.parent_id or org.code == "das":
        # DAS and its structures are municipal services: they serve the whole municipality.
        ServiceArea.plain.get_or_create(municipality=municipality, service=service, name=municipality.name)
    location = _location(municipality, org, site)
    ServiceAtLocation.plain.get_or_create(municipality=municipality, service=service, location=location)
    service_reindex(service=service)
    return service


def _keyword_terms(text: str) -> list[tuple[str, str]]:
    norm = normalise(text)
    pairs = []
    for keyword, taxonomy, code in _KEYWORDS:
        if keyword in norm and (taxonomy, code) not in pairs:
            pairs.append((taxonomy, code))
    return pairs


def load_baia_mare(municipality: Municipality) -> int:
    data = load_seed("baia_mare_services")
    orgs = {o.code: o for o in Organisation.objects.for_tenant(municipality)}
    count = 0
    for unit in data["structuri_DAS"]:
        org = orgs.get(unit["id"].replace("_", "-"))
        if org is None:
            continue
        hg, needs, groups, min_age, max_age, site = BAIA_MARE_UNITS.get(unit["id"], (None, [], [], None, None, ""))
        pairs = [("carenet-needs", n) for n in needs] + [("carenet-target-groups", g) for g in groups]
        if hg:
            pairs.append(("ro-hg-867-2015", hg))
        fields: dict[str, Any] = {
            "name": unit["denumire"],
            "description": _describe_unit(unit),
            "eligibility_description": "; ".join(unit.get("grup_tinta", [])),
            "minimum_age": min_age,
            "maximum_age": max_age,
            "source_note": f"Strategia Baia Mare, linia {unit['linie']}",
        }
        if unit.get("eligibilitate_legea_208_1997"):
            fields["eligibility_description"] = "\n".join(
                t["text"] for t in unit["eligibilitate_legea_208_1997"]["text"]
            )
        admission = unit.get("procedura_admitere_phoenix")
        if isinstance(admission, list):
            fields["application_process"] = "\n".join(f"- {_clean(a['text'])}" for a in admission)
        elif admission and unit["id"] == "phoenix_adulti":
            source = next(u for u in data["structuri_DAS"] if u["id"] == "phoenix_copii")
            fields["application_process"] = "\n".join(
                f"- {_clean(a['text'])}" for a in source["procedura_admitere_phoenix"]
            )
        _upsert_service(municipality, org, unit["id"], fields, _terms(pairs), site or unit["denumire"])
        count += 1
    for ngo in data["furnizori_ONG"]:
        org = next((o for o in orgs.values() if o.name == ngo["denumire"]), None)
        if org is None:
            continue
        for index, item in enumerate(i for i in ngo["servicii"].split(",") if i.strip()):
            name = _clean(item)
            name = name[0].upper() + name[1:]
            _upsert_service(
                municipality,
                org,
                f"{org.code}:{index}",
                {
                    "name": name,
                    "description": f"{org.name}: {ngo['servicii']}.",
                    "source_note": f"Strategia Baia Mare, linia {ngo['linie']} (furnizori ONG)",
                },
                _terms(_keyword_terms(name)),
                org.name,
            )
            count += 1
    return count


def _balti_actions() -> dict[str, dict[str, Any]]:
    data = load_seed("balti_action_plan")
    return {
        action["code"]: action
        for area in data["areas"]
        for general in area["general_objectives"]
        for specific in general["specific_objectives"]
        for action in specific["actions"]
    }


def _balti_texts(spec: dict[str, Any], actions: dict[str, dict[str, Any]]) -> tuple[str, str, str]:
    """(Romanian description, Russian description, source note) of one Bălți service."""
    ro = [spec["summary"]["ro"]]
    ru = [spec["summary"]["ru"]]
    if spec.get("quote"):
        ro.append(f"Din analiza planului: „{spec['quote']}”")
    for code in spec["actions"]:
        action = actions[code]
        ro.append(
            f"Planul de acțiuni 2025-2027, acțiunea {code}: „{action['title']}”. "
            f"Responsabili: {' '.join(action['responsible_raw'].split())}. "
            f"Parteneri: {' '.join(action['partners_raw'].split())}."
        )
    if spec["actions"]:
        ru.append("План действий муниципия Бэлць на 2025–2027 гг., действия: " + ", ".join(spec["actions"]) + ".")
    if not spec.get("provider_named_in_plan", True):
        ro.append("Planul numește serviciul, dar nu și prestatorul: Primăria este indicată până la completare.")
        ru.append("План называет услугу, но не её поставщика: до уточнения указана примэрия.")
    lines = ", ".join(str(n) for n in spec["source_lines"])
    codes = ", ".join(spec["actions"])
    note = "Planul de acțiuni Bălți 2025-2027" + (f", acțiunea {codes}" if codes else "")
    note += f" (liniile {lines})" if lines else ""
    return "\n\n".join(ro), "\n\n".join(ru), note[:300]


def load_balti(municipality: Municipality) -> int:
    orgs = {o.code: o for o in Organisation.objects.for_tenant(municipality)}
    actions = _balti_actions()
    count = 0
    for spec in balti_services():
        org = orgs.get(spec["org"])
        if org is None:
            continue
        description, description_ru, note = _balti_texts(spec, actions)
        _upsert_service(
            municipality,
            org,
            spec["key"],
            {
                "name": spec["name"]["ro"],
                "description": description,
                "translations": {"ru": {"name": spec["name"]["ru"], "description": description_ru}},
                "minimum_age": spec.get("minimum_age"),
                "maximum_age": spec.get("maximum_age"),
                "source_note": note,
            },
            _terms([(t, c) for t, c in spec["terms"]]),
            org.name,
        )
        count += 1
    return count


def load(*, stdout: Any = None) -> None:
    with transaction.atomic(), directory_bulk_write():
        for municipality in Municipality.objects.filter(slug__in=["baia-mare", "balti"]):
            count = load_baia_mare(municipality) if municipality.slug == "baia-mare" else load_balti(municipality)
            if stdout:
                stdout.write(f"  {municipality.name}: {count} services in the directory")
