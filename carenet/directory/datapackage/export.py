"""Export: a municipality's directory as an HSDS 3.0 tabular datapackage (a zip of CSVs + datapackage.json)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.utils.text import slugify

from carenet.core.models import Municipality, Organisation

from .. import hsds
from ..models import HsdsSource, Service, TaxonomyTerm
from ..selectors import public_organisations
from .schema import EXTRA_FILES, RESOURCES, Tables, row_of

TABULAR = hsds.OPENAPI_PATH.parent / "compiled" / "tabular.json"

# The lists of a full HSDS service object that are resources of their own.
SERVICE_LISTS = (
    ("phones", "phone"),
    ("schedules", "schedule"),
    ("service_areas", "service_area"),
    ("languages", "language"),
    ("funding", "funding"),
    ("cost_options", "cost_option"),
    ("required_documents", "required_document"),
    ("contacts", "contact"),
    ("attributes", "attribute"),
)
# What an organisation, a location or a service at a location owns (HSDS nests them under it).
OWNED_LISTS = (("phones", "phone"), ("contacts", "contact"), ("schedules", "schedule"))


def export_tables(*, municipality: Municipality) -> Tables:
    tables: Tables = {name: [] for name in RESOURCES}
    services = list(hsds.with_hsds_relations(Service.objects.for_tenant(municipality), full=True).order_by("id"))
    _export_organisations(tables, municipality=municipality, service_org_ids={s.organisation_id for s in services})
    term_ids = _export_services(tables, services)
    _export_taxonomies(tables, term_ids)
    tables["metadata"], tables["meta_table_description"] = [], []
    for source in HsdsSource.objects.for_tenant(municipality).order_by("name"):
        tables["metadata"].extend(source.metadata or [])
        tables["meta_table_description"].extend(source.table_descriptions or [])
    for name in ("phone", "contact", "schedule"):  # a row with two owners is nested under both: once
        tables[name] = list({row["id"]: row for row in tables[name]}.values())
    for name in RESOURCES:
        key = RESOURCES[name][1][0] if name != "carenet_translation" else "record_id"
        tables[name].sort(key=lambda r, k=key: (r[k], json.dumps(r, sort_keys=True)))
    # a location shared by two services is exported once with its translations once
    unique: dict[str, dict[str, str]] = {json.dumps(r, sort_keys=True): r for r in tables["carenet_translation"]}
    tables["carenet_translation"] = list(unique.values())
    return tables


def _export_organisations(tables: Tables, *, municipality: Municipality, service_org_ids: set[Any]) -> None:
    """The public providers and those running a service, with their parents (so parent_organization_id resolves)."""
    organisations = {
        o.pk: o
        for o in Organisation.objects.for_tenant(municipality)
        .select_related("directory_profile", "municipality")
        .prefetch_related(*hsds.ORGANISATION_PREFETCH)
    }
    listed = set(public_organisations(municipality=municipality).values_list("pk", flat=True)) | service_org_ids
    pending = list(listed)
    while pending:
        parent_id = organisations[pending.pop()].parent_id
        if parent_id and parent_id not in listed:
            listed.add(parent_id)
            pending.append(parent_id)
    for org_id in sorted(listed, key=str):
        org = organisations[org_id]
        data = hsds.organisation_json(org, None, full=True)
        tables["organization"].append(row_of("organization", data))
        tables["organization_identifier"].extend(
            row_of("organization_identifier", i) for i in data["organization_identifiers"]
        )
        tables["program"].extend(row_of("program", p) for p in data["programs"])
        # its phones: the directory's, and Organisation.phone unless one of them has its number
        _owned(tables, data)
        profile = getattr(org, "directory_profile", None)
        if profile is not None:
            _translations(tables, "organization", org.pk, profile.translations)


def _export_services(tables: Tables, services: list[Service]) -> set[Any]:
    """Services, their lists and their locations (each location once); the ids of the terms they use."""
    seen_locations: set[str] = set()
    term_ids: set[Any] = set()
    for service in services:
        data = hsds.service_json(service, None, full=True)
        tables["service"].append(row_of("service", data))
        for key, resource in SERVICE_LISTS:
            tables[resource].extend(row_of(resource, item) for item in data[key])
        tables["phone"].extend(row_of("phone", p) for c in data["contacts"] for p in c["phones"])
        term_ids.update(a.taxonomy_term_id for a in service.attributes.all())
        for sal in data["service_at_locations"]:
            tables["service_at_location"].append(row_of("service_at_location", sal))
            _owned(tables, sal)
            location = sal["location"]
            if location["id"] in seen_locations:
                continue
            seen_locations.add(location["id"])
            tables["location"].append(row_of("location", location))
            tables["address"].extend(row_of("address", a) for a in location["addresses"])
            tables["accessibility"].extend(row_of("accessibility", a) for a in location["accessibility"])
            _owned(tables, location)
        _translations(tables, "service", service.pk, service.translations)
        for sal in service.service_at_locations.all():
            if str(sal.location_id) in seen_locations:
                _translations(tables, "location", sal.location_id, sal.location.translations)
    return term_ids


def _owned(tables: Tables, data: dict[str, Any]) -> None:
    """The phones, contacts (with their phones) and schedules nested in an HSDS object, as rows."""
    for key, resource in OWNED_LISTS:
        tables[resource].extend(row_of(resource, item) for item in data.get(key, []))
    tables["phone"].extend(row_of("phone", p) for c in data.get("contacts", []) for p in c["phones"])


def _export_taxonomies(tables: Tables, term_ids: set[Any]) -> None:
    """The terms the services use, and their taxonomies."""
    terms = list(TaxonomyTerm.objects.filter(pk__in=term_ids).select_related("taxonomy").order_by("id"))
    known = {t.pk for t in terms}
    pending = [t.parent_id for t in terms if t.parent_id and t.parent_id not in known]
    while pending:  # the ancestors of the terms used, so every parent_id resolves in the package
        parents = list(TaxonomyTerm.objects.filter(pk__in=pending).select_related("taxonomy"))
        terms += [p for p in parents if p.pk not in known]
        known |= {p.pk for p in parents}
        pending = [p.parent_id for p in parents if p.parent_id and p.parent_id not in known]
    terms.sort(key=lambda t: str(t.id))
    for taxonomy in sorted({t.taxonomy for t in terms}, key=lambda t: str(t.id)):
        tables["taxonomy"].append(row_of("taxonomy", hsds.taxonomy_json(taxonomy)))
    tables["taxonomy_term"] = [row_of("taxonomy_term", hsds.term_json(t)) for t in terms]


def _translations(tables: Tables, record_type: str, record_id: Any, translations: dict[str, Any]) -> None:
    for language, fields in sorted((translations or {}).items()):
        for name, value in sorted(fields.items()):
            if value:
                tables["carenet_translation"].append(
                    {
                        "record_type": record_type,
                        "record_id": str(record_id),
                        "language": language,
                        "field": name,
                        "value": value,
                    }
                )


def _tabular() -> dict[str, Any]:
    return {name: spec["items"] for name, spec in json.loads(TABULAR.read_text(encoding="utf-8"))["properties"].items()}


def _field(column: str, spec: dict[str, Any] | None) -> dict[str, Any]:
    """A Table Schema field from the HSDS tabular schema: its type (number, integer, date, datetime, time,
    string) and format (uuid, email, uri)."""
    spec = spec or {}
    kind, fmt = spec.get("type", "string"), spec.get("format")
    if kind == "string" and fmt in ("date", "time"):
        return {"name": column, "type": fmt}
    if kind == "string" and fmt == "date-time":
        return {"name": column, "type": "datetime"}
    out: dict[str, Any] = {"name": column, "type": kind if kind in ("number", "integer", "boolean") else "string"}
    if out["type"] == "string" and fmt in ("uuid", "email", "uri"):
        out["format"] = fmt
    return out


def _foreign_keys(resource: str) -> list[dict[str, Any]]:
    from .validate import REFERENCES

    return [
        {"fields": column, "reference": {"resource": target, "fields": "id"}}
        for source, column, target in REFERENCES
        if source == resource
    ]


def tables_to_zip(tables: Tables, *, name: str) -> bytes:
    """The tables as a datapackage: each CSV declared with its field types, primary key and foreign keys."""
    buffer = io.BytesIO()
    resources = []
    tabular = _tabular()
    files = {**{r: (path, cols) for r, (path, cols) in RESOURCES.items()}}
    for resource, path in EXTRA_FILES.items():
        properties = tabular[resource]["properties"]
        files[resource] = (path, [c for c, spec in properties.items() if spec.get("type") not in ("array", "object")])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for resource, (path, columns) in files.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(tables.get(resource, []))
            archive.writestr(path, out.getvalue())
            properties = tabular.get(resource, {}).get("properties", {})
            schema: dict[str, Any] = {"fields": [_field(c, properties.get(c)) for c in columns]}
            if "id" in columns:
                schema["primaryKey"] = "id"
            if _foreign_keys(resource):
                schema["foreignKeys"] = _foreign_keys(resource)
            resources.append(
                {
                    "name": resource,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": schema,
                }
            )
        archive.writestr(
            "datapackage.json",
            json.dumps(
                {
                    "name": slugify(name),
                    "profile": "tabular-data-package",
                    "title": f"HSDS 3.0 — {name}",
                    "version": "3.0",
                    "resources": resources,
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
    return buffer.getvalue()


def export_zip(*, municipality: Municipality) -> tuple[bytes, int]:
    tables = export_tables(municipality=municipality)
    return tables_to_zip(tables, name=f"carenet-{municipality.slug}"), sum(len(v) for v in tables.values())
