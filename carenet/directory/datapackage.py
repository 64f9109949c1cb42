"""HSDS 3.0 tabular datapackage: export (zip of CSVs + datapackage.json) and import.

Import is validated whole before anything is written: one bad row refuses the whole file, and
every error names the file, the row and the field. Imported records get new ids,
``uuid5(target municipality, source id)``: ids are global primary keys, so the same package can be
loaded into several tenants; taxonomies and terms (shared reference data) keep their ids.
CareNet's translations travel in an extra resource, ``carenet_translations.csv``.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.identifiers import validate_org_identifier
from carenet.core.models import Municipality, Organisation, OrganisationKind

from . import hsds
from .models import (
    Contact,
    CostOption,
    Funding,
    Location,
    LocationType,
    OrganisationProfile,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from .selectors import public_organisations
from .services import directory_bulk_write, service_reindex

# resource name → (file, columns); columns are the scalar fields of HSDS 3.0 schema/compiled/tabular.json.
RESOURCES: dict[str, tuple[str, list[str]]] = {
    "organization": (
        "organizations.csv",
        [
            "id",
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
            "tax_status",
            "tax_id",
            "year_incorporated",
            "legal_status",
            "logo",
            "uri",
            "parent_organization_id",
        ],
    ),
    "organization_identifier": (
        "organization_identifiers.csv",
        ["id", "organization_id", "identifier_scheme", "identifier_type", "identifier"],
    ),
    "program": ("programs.csv", ["id", "organization_id", "name", "alternate_name", "description"]),
    "service": (
        "services.csv",
        [
            "id",
            "organization_id",
            "program_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "fees",
            "accreditations",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "licenses",
            "alert",
            "last_modified",
        ],
    ),
    "location": (
        "locations.csv",
        [
            "id",
            "location_type",
            "url",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
            "external_identifier",
            "external_identifier_type",
        ],
    ),
    "address": (
        "addresses.csv",
        [
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ],
    ),
    "accessibility": ("accessibility.csv", ["id", "location_id", "description", "details", "url"]),
    "service_at_location": ("service_at_location.csv", ["id", "service_id", "location_id", "description"]),
    "phone": (
        "phones.csv",
        [
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
            "number",
            "extension",
            "type",
            "description",
        ],
    ),
    "contact": (
        "contacts.csv",
        [
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ],
    ),
    "schedule": (
        "schedules.csv",
        [
            "id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "valid_from",
            "valid_to",
            "dtstart",
            "timezone",
            "until",
            "count",
            "wkst",
            "freq",
            "interval",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ],
    ),
    "funding": ("funding.csv", ["id", "organization_id", "service_id", "source"]),
    "service_area": ("service_areas.csv", ["id", "service_id", "name", "description", "extent", "extent_type", "uri"]),
    "required_document": ("required_documents.csv", ["id", "service_id", "document", "uri"]),
    "language": ("languages.csv", ["id", "service_id", "location_id", "phone_id", "name", "code", "note"]),
    "cost_option": (
        "cost_options.csv",
        ["id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"],
    ),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "uri", "version"]),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        ["id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri"],
    ),
    "attribute": ("attributes.csv", ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"]),
    "carenet_translation": ("carenet_translations.csv", ["record_type", "record_id", "language", "field", "value"]),
}
REQUIRED: dict[str, list[str]] = {
    "organization": ["id", "name"],  # description: a required column, may be empty
    "organization_identifier": ["id", "identifier_type", "identifier"],
    "program": ["id", "organization_id", "name"],
    "service": ["id", "organization_id", "name", "status"],
    "location": ["id", "location_type"],
    "address": ["id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
    "accessibility": ["id", "location_id"],
    "service_at_location": ["id", "service_id", "location_id"],
    "phone": ["id", "number"],
    "contact": ["id", "service_id"],
    "schedule": ["id", "service_id"],
    "funding": ["id", "service_id", "source"],
    "service_area": ["id", "service_id", "name"],
    "required_document": ["id", "service_id", "document"],
    "language": ["id", "service_id", "code"],
    "cost_option": ["id", "service_id"],
    "taxonomy": ["id", "name"],
    "taxonomy_term": ["id", "name", "taxonomy_id"],
    "attribute": ["id", "link_id", "taxonomy_term_id"],
    "carenet_translation": ["record_type", "record_id", "language", "field", "value"],
}
UUID_FIELDS = {
    "id",
    "organization_id",
    "program_id",
    "service_id",
    "location_id",
    "taxonomy_id",
    "taxonomy_term_id",
    "parent_id",
    "link_id",
    "parent_organization_id",
    "record_id",
}
NUMBER_FIELDS = {"minimum_age", "maximum_age", "latitude", "longitude", "amount", "extension", "year_incorporated"}
KIND_OF = {v: k for k, v in hsds.LEGAL_STATUS.items()}
TRANSLATED = {
    "service": ("name", "description", "application_process", "eligibility_description"),
    "location": ("name", "description"),
}


# --- export ---------------------------------------------------------------------------------------


def _row(resource: str, obj: dict[str, Any]) -> dict[str, str]:
    columns = RESOURCES[resource][1]
    return {c: _cell(obj.get(c)) for c in columns}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def export_tables(*, municipality: Municipality) -> dict[str, list[dict[str, str]]]:
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in RESOURCES}
    services = list(hsds.with_hsds_relations(Service.objects.for_tenant(municipality), full=True).order_by("id"))
    org_ids = {s.organisation_id for s in services}
    organisations = {
        o.pk: o
        for o in Organisation.objects.for_tenant(municipality)
        .select_related("directory_profile", "municipality")
        .prefetch_related("programs")
    }
    listed = set(public_organisations(municipality=municipality).values_list("pk", flat=True)) | org_ids
    pending = list(listed)
    while pending:  # parents too, so parent_organization_id always resolves
        parent_id = organisations[pending.pop()].parent_id
        if parent_id and parent_id not in listed:
            listed.add(parent_id)
            pending.append(parent_id)
    seen_locations: set[str] = set()
    term_ids: set[Any] = set()
    for org_id in sorted(listed, key=str):
        org = organisations[org_id]
        data = hsds.organisation_json(org, None, full=True)
        tables["organization"].append(_row("organization", data))
        tables["organization_identifier"].extend(
            _row("organization_identifier", i) for i in data["organization_identifiers"]
        )
        tables["program"].extend(_row("program", p) for p in data["programs"])
        profile = getattr(org, "directory_profile", None)
        if profile is not None:
            _translations(tables, "organization", org.pk, profile.translations)
    for service in services:
        data = hsds.service_json(service, None, full=True)
        tables["service"].append(_row("service", data))
        for key, resource in (
            ("phones", "phone"),
            ("schedules", "schedule"),
            ("service_areas", "service_area"),
            ("languages", "language"),
            ("funding", "funding"),
            ("cost_options", "cost_option"),
            ("required_documents", "required_document"),
            ("contacts", "contact"),
            ("attributes", "attribute"),
        ):
            tables[resource].extend(_row(resource, item) for item in data[key])
        term_ids.update(a.taxonomy_term_id for a in service.attributes.all())
        for sal in data["service_at_locations"]:
            tables["service_at_location"].append(_row("service_at_location", sal))
            location = sal["location"]
            if location["id"] in seen_locations:
                continue
            seen_locations.add(location["id"])
            tables["location"].append(_row("location", location))
            tables["address"].extend(_row("address", a) for a in location["addresses"])
            tables["accessibility"].extend(_row("accessibility", a) for a in location["accessibility"])
        _translations(tables, "service", service.pk, service.translations)
        for sal in service.service_at_locations.all():
            if str(sal.location_id) in seen_locations:
                _translations(tables, "location", sal.location_id, sal.location.translations)
    terms = list(TaxonomyTerm.objects.filter(pk__in=term_ids).select_related("taxonomy").order_by("id"))
    for taxonomy in sorted({t.taxonomy for t in terms}, key=lambda t: str(t.id)):
        tables["taxonomy"].append(_row("taxonomy", hsds.taxonomy_json(taxonomy)))
    tables["taxonomy_term"] = [_row("taxonomy_term", hsds.term_json(t)) for t in terms]
    for name in tables:
        key = RESOURCES[name][1][0] if name != "carenet_translation" else "record_id"
        tables[name].sort(key=lambda r, k=key: (r[k], json.dumps(r, sort_keys=True)))  # type: ignore[misc]
    # a location shared by two services is exported once with its translations once
    unique: dict[str, dict[str, str]] = {json.dumps(r, sort_keys=True): r for r in tables["carenet_translation"]}
    tables["carenet_translation"] = list(unique.values())
    return tables


def _translations(
    tables: dict[str, list[dict[str, str]]], record_type: str, record_id: Any, translations: dict[str, Any]
) -> None:
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


def tables_to_zip(tables: dict[str, list[dict[str, str]]], *, name: str) -> bytes:
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for resource, (path, columns) in RESOURCES.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables.get(resource, []))
            archive.writestr(path, out.getvalue())
            resources.append(
                {
                    "name": resource,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {"fields": [{"name": c, "type": "string"} for c in columns]},
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


# --- import ---------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValidationError):
    pass


def read_zip(content: bytes) -> dict[str, list[dict[str, str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ImportRefused(_("The file is not a zip archive (an HSDS datapackage is a zip of CSV files).")) from None
    names = set(archive.namelist())
    if "datapackage.json" not in names:
        raise ImportRefused(_("datapackage.json is missing from the archive."))
    tables: dict[str, list[dict[str, str]]] = {}
    for resource, (path, _columns) in RESOURCES.items():
        if path not in names:
            tables[resource] = []
            continue
        try:
            text = archive.read(path).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(_("%(file)s is not UTF-8 text.") % {"file": path}) from None
        tables[resource] = list(csv.DictReader(io.StringIO(text)))
    return tables


NESTED = {
    "phones": "phone",
    "schedules": "schedule",
    "service_areas": "service_area",
    "languages": "language",
    "funding": "funding",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "contacts": "contact",
}


def _objects(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ImportRefused(_("“%(field)s” must be a list of objects.") % {"field": where})
    return value


def read_json(content: bytes) -> dict[str, list[dict[str, str]]]:
    """HSDS 3.0 JSON: a list of full service objects, or a page of them ({"contents": [...]})."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
    services = data.get("contents") if isinstance(data, dict) else data
    if isinstance(data, dict) and "contents" not in data:
        services = [data]
    if not isinstance(services, list):
        raise ImportRefused(_("Expected a list of HSDS services."))
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in RESOURCES}
    seen: set[tuple[str, str]] = set()

    def add(resource: str, obj: dict[str, Any]) -> None:
        obj = {k: v for k, v in obj.items() if not isinstance(v, (dict, list))}
        key = (resource, str(obj.get("id")))
        if key in seen:
            return
        seen.add(key)
        tables[resource].append(_row(resource, obj))

    for service in services:
        if not isinstance(service, dict):
            raise ImportRefused(_("Every item must be an HSDS service object."))
        if isinstance(service.get("organization"), dict):
            add("organization", service["organization"])
        if isinstance(service.get("program"), dict):
            add("program", service["program"])
        add("service", service)
        for key, resource in NESTED.items():
            for item in _objects(service.get(key), key):
                add(resource, {"service_id": service.get("id"), **item})
        for sal in _objects(service.get("service_at_locations"), "service_at_locations"):
            add("service_at_location", {"service_id": service.get("id"), **sal})
            location = sal.get("location")
            if isinstance(location, dict):
                add("location", location)
                for address in _objects(location.get("addresses"), "addresses"):
                    add("address", {"location_id": location.get("id"), **address})
                for access in _objects(location.get("accessibility"), "accessibility"):
                    add("accessibility", {"location_id": location.get("id"), **access})
        for attribute in _objects(service.get("attributes"), "attributes"):
            add("attribute", {"link_id": service.get("id"), **attribute})
            term = attribute.get("taxonomy_term")
            if isinstance(term, dict):
                add("taxonomy_term", term)
    # A feed of services carries their organisations, not necessarily the parents of those.
    org_ids = {row["id"] for row in tables["organization"]}
    for row in tables["organization"]:
        if row.get("parent_organization_id") not in org_ids:
            row["parent_organization_id"] = ""
    return tables


def _check_value(resource: str, name: str, value: str) -> str | None:
    if name in UUID_FIELDS and value:
        try:
            uuid.UUID(value)
        except ValueError:
            return _("must be a UUID")
    if name in NUMBER_FIELDS and value:
        try:
            Decimal(value)
        except InvalidOperation:
            return _("must be a number")
    if resource == "service" and name == "status" and value not in ServiceStatus.values:
        return _("must be one of: %(values)s") % {"values": ", ".join(ServiceStatus.values)}
    if resource == "location" and name == "location_type" and value not in LocationType.values:
        return _("must be one of: %(values)s") % {"values": ", ".join(LocationType.values)}
    if name in ("assured_date", "valid_from", "valid_to") and value and parse_date(value) is None:
        return _("must be a date (YYYY-MM-DD)")
    if name == "last_modified" and value and parse_datetime(value) is None:
        return _("must be a date-time (ISO 8601)")
    if name in ("opens_at", "closes_at") and value and parse_time(value) is None:
        return _("must be a time (HH:MM)")
    if resource == "organization" and name == "tax_id" and value:
        try:
            validate_org_identifier(value)
        except ValidationError as exc:
            return "; ".join(exc.messages)
    if name in ("minimum_age", "maximum_age") and value:
        try:
            if not 0 <= Decimal(value) <= 150:
                return _("must be between 0 and 150")
        except InvalidOperation:
            return _("must be a number")
    return None


def validate_tables(tables: dict[str, list[dict[str, str]]]) -> list[str]:
    errors: list[str] = []

    def error(resource: str, line: int, name: str, message: str) -> None:
        errors.append(
            _("%(file)s, row %(row)s, field “%(field)s”: %(message)s")
            % {"file": RESOURCES[resource][0], "row": line, "field": name, "message": message}
        )

    ids: dict[str, set[str]] = {}
    for resource, rows in tables.items():
        ids[resource] = set()
        for index, row in enumerate(rows, start=2):  # row 1 is the header
            for name in REQUIRED[resource]:
                if not (row.get(name) or "").strip():
                    error(resource, index, name, _("is required"))
            for name, value in row.items():
                if name is None:
                    error(resource, index, "", _("has more cells than the header"))
                    continue
                problem = _check_value(resource, name, (value or "").strip())
                if problem:
                    error(resource, index, name, problem)
            if row.get("id"):
                if row["id"] in ids[resource]:
                    error(resource, index, "id", _("is used twice"))
                ids[resource].add(row["id"])
    known_terms = ids["taxonomy_term"] | {str(i) for i in TaxonomyTerm.objects.values_list("id", flat=True)}
    known_taxonomies = ids["taxonomy"] | {str(i) for i in Taxonomy.objects.values_list("id", flat=True)}
    references = [
        ("service", "organization_id", "organization"),
        ("service", "program_id", "program"),
        ("program", "organization_id", "organization"),
        ("service_at_location", "service_id", "service"),
        ("service_at_location", "location_id", "location"),
        ("address", "location_id", "location"),
        ("accessibility", "location_id", "location"),
        ("phone", "service_id", "service"),
        ("contact", "service_id", "service"),
        ("schedule", "service_id", "service"),
        ("funding", "service_id", "service"),
        ("service_area", "service_id", "service"),
        ("required_document", "service_id", "service"),
        ("language", "service_id", "service"),
        ("cost_option", "service_id", "service"),
        ("attribute", "link_id", "service"),
        ("organization", "parent_organization_id", "organization"),
        ("location", "organization_id", "organization"),
    ]
    for resource, name, target in references:
        for index, row in enumerate(tables[resource], start=2):
            value = (row.get(name) or "").strip()
            if value and value not in ids[target]:
                error(resource, index, name, _("refers to a record that is not in the file"))
    for index, row in enumerate(tables["attribute"], start=2):
        if row.get("taxonomy_term_id") and row["taxonomy_term_id"] not in known_terms:
            error("attribute", index, "taxonomy_term_id", _("unknown taxonomy term"))
    for index, row in enumerate(tables["taxonomy_term"], start=2):
        if row.get("taxonomy_id") and row["taxonomy_id"] not in known_taxonomies:
            error("taxonomy_term", index, "taxonomy_id", _("unknown taxonomy"))
    for index, row in enumerate(tables["service"], start=2):
        low, high = row.get("minimum_age"), row.get("maximum_age")
        try:
            if low and high and Decimal(low) > Decimal(high):
                error("service", index, "maximum_age", _("is lower than minimum_age"))
        except InvalidOperation:
            pass
    for index, row in enumerate(tables["carenet_translation"], start=2):
        if row.get("record_type") not in ("service", "location", "organization"):
            error("carenet_translation", index, "record_type", _("must be service, location or organization"))
    return errors


def _new_id(municipality: Municipality, old: str | None) -> uuid.UUID | None:
    return uuid.uuid5(municipality.pk, old) if old else None


def _num(value: str) -> Any:
    return Decimal(value) if value else None


def import_tables(*, actor: Any, municipality: Municipality, tables: dict[str, list[dict[str, str]]]) -> ImportReport:
    """Validate everything, then write everything in one transaction (or nothing)."""
    errors = validate_tables(tables)
    if errors:
        return ImportReport(errors=errors)
    nid = lambda old: _new_id(municipality, old)  # noqa: E731
    tr: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    for row in tables["carenet_translation"]:
        tr.setdefault((row["record_type"], row["record_id"]), {}).setdefault(row["language"], {})[row["field"]] = row[
            "value"
        ]
    m = municipality
    with transaction.atomic(), directory_bulk_write():
        for row in tables["taxonomy"]:
            Taxonomy.objects.get_or_create(
                id=row["id"],
                defaults={
                    "code": slugify(row["name"])[:40] or row["id"][:8],
                    "name": row["name"],
                    "description": row["description"],
                    "uri": row.get("uri", ""),
                    "version": row.get("version", ""),
                },
            )
        for row in tables["taxonomy_term"]:
            TaxonomyTerm.objects.get_or_create(
                id=row["id"],
                defaults={
                    "taxonomy_id": row["taxonomy_id"],
                    "code": row.get("code") or row["id"][:8],
                    "name": row["name"],
                    "description": row.get("description", ""),
                },
            )
        identifiers = {
            r["organization_id"]: r["identifier"] for r in tables["organization_identifier"] if r.get("organization_id")
        }
        orgs: dict[str, Organisation] = {}
        for row in tables["organization"]:
            org = Organisation(
                id=nid(row["id"]),
                municipality=m,
                code=f"hsds-{row['id'][:8]}",
                name=row["name"],
                short_name=row.get("alternate_name", "")[:80],
                kind=KIND_OF.get(row.get("legal_status", ""), OrganisationKind.NGO),
                email=row.get("email", ""),
                website=row.get("website", ""),
                legal_identifier=row.get("tax_id") or identifiers.get(row["id"], ""),
                source_note=_("Imported from an HSDS 3.0 package"),
            )
            org.save()
            orgs[row["id"]] = org
            if row.get("description") or row.get("year_incorporated") or tr.get(("organization", row["id"])):
                OrganisationProfile.plain.create(
                    municipality=m,
                    organisation=org,
                    description=row.get("description", ""),
                    year_incorporated=int(Decimal(row["year_incorporated"])) if row.get("year_incorporated") else None,
                    translations=tr.get(("organization", row["id"]), {}),
                )
        for row in tables["organization"]:
            if row.get("parent_organization_id"):
                Organisation.plain.filter(pk=nid(row["id"])).update(parent_id=nid(row["parent_organization_id"]))
        for row in tables["program"]:
            Program.plain.create(
                id=nid(row["id"]),
                municipality=m,
                organisation_id=nid(row["organization_id"]),
                name=row["name"],
                alternate_name=row.get("alternate_name", ""),
                description=row["description"],
            )
        addresses = {r["location_id"]: r for r in tables["address"]}
        access = {r["location_id"]: r for r in tables["accessibility"]}
        for row in tables["location"]:
            address = addresses.get(row["id"], {})
            Location.plain.create(
                id=nid(row["id"]),
                municipality=m,
                organisation_id=nid(row.get("organization_id")),
                location_type=row["location_type"],
                name=row.get("name", ""),
                description=row.get("description", ""),
                transportation=row.get("transportation", ""),
                latitude=float(row["latitude"]) if row.get("latitude") else None,
                longitude=float(row["longitude"]) if row.get("longitude") else None,
                coordinates_approximate=row.get("external_identifier") == "approximate",
                address_1=address.get("address_1", ""),
                city=address.get("city", ""),
                state_province=address.get("state_province", ""),
                postal_code=address.get("postal_code", ""),
                country=address.get("country", "")[:2],
                accessibility=access.get(row["id"], {}).get("description", ""),
                translations=tr.get(("location", row["id"]), {}),
            )
        languages: dict[str, list[str]] = {}
        for row in tables["language"]:
            languages.setdefault(row["service_id"], []).append(row["code"])
        services: list[Service] = []
        for row in tables["service"]:
            assured = parse_date(row["assured_date"]) if row.get("assured_date") else None
            service = Service(
                id=nid(row["id"]),
                municipality=m,
                organisation_id=nid(row["organization_id"]),
                program_id=nid(row.get("program_id")),
                name=row["name"],
                alternate_name=row.get("alternate_name", ""),
                description=row.get("description", ""),
                url=row.get("url", ""),
                email=row.get("email", ""),
                status=row["status"],
                interpretation_services=row.get("interpretation_services", ""),
                application_process=row.get("application_process", ""),
                fees_description=row.get("fees_description", ""),
                wait_time=row.get("wait_time", ""),
                accreditations=row.get("accreditations", ""),
                eligibility_description=row.get("eligibility_description", ""),
                minimum_age=int(Decimal(row["minimum_age"])) if row.get("minimum_age") else None,
                maximum_age=int(Decimal(row["maximum_age"])) if row.get("maximum_age") else None,
                licenses=row.get("licenses", ""),
                alert=row.get("alert", ""),
                languages=languages.get(row["id"], []),
                translations=tr.get(("service", row["id"]), {}),
                last_verified_at=datetime.combine(assured, time(12, 0), tzinfo=UTC)
                if isinstance(assured, date)
                else None,
                source_note=_("Imported from an HSDS 3.0 package"),
            )
            service.save()
            services.append(service)
        for row in tables["service_at_location"]:
            ServiceAtLocation.plain.create(
                id=nid(row["id"]),
                municipality=m,
                service_id=nid(row["service_id"]),
                location_id=nid(row["location_id"]),
                description=row.get("description", ""),
            )
        for row in tables["phone"]:
            if row.get("service_id"):
                Phone.plain.create(
                    id=nid(row["id"]),
                    municipality=m,
                    service_id=nid(row["service_id"]),
                    number=row["number"],
                    extension=int(Decimal(row["extension"])) if row.get("extension") else None,
                    type=row.get("type", ""),
                    description=row.get("description", ""),
                )
        for row in tables["contact"]:
            Contact.plain.create(
                id=nid(row["id"]),
                municipality=m,
                service_id=nid(row["service_id"]),
                name=row.get("name", ""),
                title=row.get("title", ""),
                department=row.get("department", ""),
                email=row.get("email", ""),
            )
        for row in tables["schedule"]:
            Schedule.plain.create(
                id=nid(row["id"]),
                municipality=m,
                service_id=nid(row["service_id"]),
                freq=row.get("freq") or "WEEKLY",
                byday=row.get("byday", ""),
                opens_at=parse_time(row["opens_at"]) if row.get("opens_at") else None,
                closes_at=parse_time(row["closes_at"]) if row.get("closes_at") else None,
                valid_from=parse_date(row["valid_from"]) if row.get("valid_from") else None,
                valid_to=parse_date(row["valid_to"]) if row.get("valid_to") else None,
                description=row.get("description", ""),
            )
        for row in tables["funding"]:
            Funding.plain.create(
                id=nid(row["id"]), municipality=m, service_id=nid(row["service_id"]), source=row["source"]
            )
        for row in tables["service_area"]:
            ServiceArea.plain.create(
                id=nid(row["id"]),
                municipality=m,
                service_id=nid(row["service_id"]),
                name=row["name"],
                description=row.get("description", ""),
            )
        for row in tables["required_document"]:
            RequiredDocument.plain.create(
                id=nid(row["id"]),
                municipality=m,
                service_id=nid(row["service_id"]),
                document=row["document"],
                uri=row.get("uri", ""),
            )
        for row in tables["cost_option"]:
            CostOption.plain.create(
                id=nid(row["id"]),
                municipality=m,
                service_id=nid(row["service_id"]),
                option=row.get("option", ""),
                amount=_num(row.get("amount", "")),
                currency=row.get("currency", ""),
                amount_description=row.get("amount_description", ""),
            )
        for row in tables["attribute"]:
            ServiceAttribute.plain.create(
                id=nid(row["id"]),
                municipality=m,
                service_id=nid(row["link_id"]),
                taxonomy_term_id=row["taxonomy_term_id"],
                value=row.get("value", ""),
            )
        for service in services:
            service_reindex(service=service)
        # keep the source's modification times (auto_now would stamp "now" on every record)
        for row in tables["service"]:
            if row.get("last_modified"):
                Service.plain.filter(pk=nid(row["id"])).update(updated_at=parse_datetime(row["last_modified"]))
        counts = {name: len(rows) for name, rows in tables.items() if rows}
        audit_record(
            action="directory.import",
            actor=actor,
            municipality=m,
            object_type="hsds.datapackage",
            changes={"rows": counts},
        )
    return ImportReport(counts=counts)


def import_file(*, actor: Any, municipality: Municipality, content: bytes, filename: str) -> ImportReport:
    try:
        tables = read_json(content) if filename.lower().endswith(".json") else read_zip(content)
    except ImportRefused as exc:
        return ImportReport(errors=list(exc.messages))
    return import_tables(actor=actor, municipality=municipality, tables=tables)
