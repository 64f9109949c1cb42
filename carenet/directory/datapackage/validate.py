"""Validate: every row of every table checked before anything is written; each error names file, row and field."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

from carenet.core.identifiers import validate_cif, validate_idno
from carenet.core.models import Municipality

from ..models import LocationType, ServiceStatus
from ..selectors import taxonomies_usable, taxonomy_terms_usable
from .schema import EXTRA_FILES, NUMBER_FIELDS, REQUIRED, RESOURCES, UUID_FIELDS, WHERE, Tables

# Identifier schemes (org-id.guide) whose check digits CareNet verifies; every other scheme is kept as given.
CHECKED_SCHEMES: dict[str, Callable[[str], None]] = {
    "RO-CUI": validate_cif,
    "RO-CIF": validate_cif,
    "MD-IDNO": validate_idno,
}
# Bounds of numbers, beyond what the column holds: coordinates, ages, amounts, years.
NUMBER_BOUNDS = {
    "latitude": (-90, 90),
    "longitude": (-180, 180),
    "minimum_age": (0, 150),
    "maximum_age": (0, 150),
    "amount": (0, 99_999_999),
    "extension": (0, 2_147_483_647),
    "year_incorporated": (1000, 9999),
    "timezone": (-12, 14),
    "count": (0, 100_000),
    "interval": (0, 32_767),
}
# HSDS 3.0: a phone, a contact, a schedule belongs to any of these records (one at least).
OWNERS = {
    "phone": ("organization_id", "service_id", "location_id", "contact_id", "service_at_location_id"),
    "contact": ("organization_id", "service_id", "location_id", "service_at_location_id"),
    "schedule": ("service_id", "location_id", "service_at_location_id"),
}
# (resource, field, resource the field refers to): the reference must be a record of the same file.
# An optional reference that is not in the file (OPTIONAL_REFERENCES) is a warning: the link is dropped.
REFERENCES = (
    ("service", "organization_id", "organization"),
    ("service", "program_id", "program"),
    ("program", "organization_id", "organization"),
    ("service_at_location", "service_id", "service"),
    ("service_at_location", "location_id", "location"),
    ("address", "location_id", "location"),
    ("accessibility", "location_id", "location"),
    ("phone", "organization_id", "organization"),
    ("phone", "service_id", "service"),
    ("phone", "location_id", "location"),
    ("phone", "contact_id", "contact"),
    ("phone", "service_at_location_id", "service_at_location"),
    ("contact", "organization_id", "organization"),
    ("contact", "service_id", "service"),
    ("contact", "location_id", "location"),
    ("contact", "service_at_location_id", "service_at_location"),
    ("schedule", "service_id", "service"),
    ("schedule", "location_id", "location"),
    ("schedule", "service_at_location_id", "service_at_location"),
    ("funding", "service_id", "service"),
    ("service_area", "service_id", "service"),
    ("required_document", "service_id", "service"),
    ("language", "service_id", "service"),
    ("cost_option", "service_id", "service"),
    ("attribute", "link_id", "service"),
    ("organization", "parent_organization_id", "organization"),
    ("location", "organization_id", "organization"),
    ("organization_identifier", "organization_id", "organization"),
)
OPTIONAL_REFERENCES = {
    ("organization", "parent_organization_id"),
    ("location", "organization_id"),
    ("service", "program_id"),
    ("attribute", "link_id"),
    *((resource, column) for resource, columns in OWNERS.items() for column in columns),
}


@dataclass
class Checked:
    """What validation found: errors refuse the import; warnings are reported and the rest is imported."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


Error = Callable[[str, int, str, str], None]


@dataclass
class HeldTaxonomies:
    """The taxonomies and terms a file refers to that the importing municipality already holds. ``kept``: used as
    they are, under their own ids (shared reference data, or the municipality's own); ``imported``: imported into
    it before, under ``uuid5(municipality, source id)``. Another municipality's taxonomy is neither: the import
    makes its own copy (ids are global keys, so the file's ids may well be another tenant's)."""

    taxonomies_kept: set[str] = field(default_factory=set)
    taxonomies_imported: set[str] = field(default_factory=set)
    terms_kept: set[str] = field(default_factory=set)
    terms_imported: set[str] = field(default_factory=set)

    def has_taxonomy(self, source_id: str) -> bool:
        return source_id in self.taxonomies_kept or source_id in self.taxonomies_imported

    def has_term(self, source_id: str) -> bool:
        return source_id in self.terms_kept or source_id in self.terms_imported


def held_taxonomies(tables: Tables, municipality: Municipality | None) -> HeldTaxonomies:
    """What of the file's taxonomies and terms (rows, and references from terms and attributes) ``municipality``
    holds (None: only shared reference data counts)."""
    taxonomy_ids = {r.get("id", "") for r in tables.get("taxonomy", [])}
    taxonomy_ids |= {r.get("taxonomy_id", "") for r in tables.get("taxonomy_term", [])}
    term_ids = {r.get(c, "") for r in tables.get("taxonomy_term", []) for c in ("id", "parent_id")}
    term_ids |= {r.get("taxonomy_term_id", "") for r in tables.get("attribute", [])}
    held = HeldTaxonomies(
        taxonomies_kept=taxonomies_usable(municipality=municipality, ids=taxonomy_ids),
        terms_kept=taxonomy_terms_usable(municipality=municipality, ids=term_ids),
    )
    if municipality is not None:
        taxonomies = _imported_ids(municipality, taxonomy_ids - held.taxonomies_kept)
        held.taxonomies_imported = {taxonomies[i] for i in taxonomies_usable(municipality=municipality, ids=taxonomies)}
        terms = _imported_ids(municipality, term_ids - held.terms_kept)
        held.terms_imported = {terms[i] for i in taxonomy_terms_usable(municipality=municipality, ids=terms)}
    return held


def _imported_ids(municipality: Municipality, source_ids: set[str]) -> dict[str, str]:
    """The id an import into ``municipality`` gives each source id (``ImportJob.new_id``) → the source id."""
    out = {}
    for source_id in source_ids:
        try:
            uuid.UUID(source_id)
        except ValueError:
            continue
        out[str(uuid.uuid5(municipality.pk, source_id))] = source_id
    return out


def _check_type(name: str, value: str) -> str | None:
    """A non-empty value of a typed field (UUID, number, date, date-time, time)."""
    if name in UUID_FIELDS:
        try:
            uuid.UUID(value)
        except ValueError:
            return _("must be a UUID")
    if name in NUMBER_FIELDS:
        return _check_number(name, value)
    parsers: dict[str, Callable[[str], Any]] = {
        "assured_date": parse_date,
        "valid_from": parse_date,
        "valid_to": parse_date,
    }
    parsers.update({"last_modified": parse_datetime, "opens_at": parse_time, "closes_at": parse_time})
    if name in parsers:
        try:
            parsed = parsers[name](value)
        except ValueError:  # well formed but impossible: 2023-02-30, 25:99
            parsed = None
        if parsed is None:
            messages: dict[Any, str] = {
                parse_date: _("must be a real date (YYYY-MM-DD)"),
                parse_datetime: _("must be a real date-time (ISO 8601)"),
                parse_time: _("must be a real time of day (HH:MM)"),
            }
            return messages[parsers[name]]
    return None


def _check_number(name: str, value: str) -> str | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return _("must be a number")
    if not number.is_finite() or not math.isfinite(float(number)):
        return _("must be a finite number")
    bounds = NUMBER_BOUNDS.get(name)
    if bounds is not None and not bounds[0] <= number <= bounds[1]:
        low, high = bounds
        return _("must be between %(low)s and %(high)s") % {"low": low, "high": high}
    return None


def _check_choice(resource: str, name: str, value: str) -> str | None:
    """A value of a closed list (checked even when empty)."""
    if resource == "service" and name == "status" and value not in ServiceStatus.values:
        return _("must be one of: %(values)s") % {"values": ", ".join(ServiceStatus.values)}
    if resource == "location" and name == "location_type" and value not in LocationType.values:
        return _("must be one of: %(values)s") % {"values": ", ".join(LocationType.values)}
    return None


def _check_identifier(row: dict[str, str]) -> str | None:
    """A Romanian or Moldovan identifier is checked when its scheme says it is one; any other scheme is kept."""
    check = CHECKED_SCHEMES.get((row.get("identifier_scheme") or "").strip().upper())
    if check is None:
        return None
    try:
        check((row.get("identifier") or "").strip())
    except ValidationError as exc:
        return "; ".join(exc.messages)
    return None


def _check_value(resource: str, name: str, value: str) -> str | None:
    if value:
        problem = _check_type(name, value)
        if problem:
            return problem
    problem = _check_choice(resource, name, value)
    return problem


def message(resource: str, line: int, row: dict[str, str], name: str, text: str) -> str:
    """ "services.csv, row 3, field “email”: …" — or, for a row read from JSON, its JSON path."""
    where = row.get(WHERE)
    if where:
        return _("%(where)s, field “%(field)s”: %(message)s") % {"where": where, "field": name, "message": text}
    return _("%(file)s, row %(row)s, field “%(field)s”: %(message)s") % {
        "file": RESOURCES[resource][0],
        "row": line,
        "field": name,
        "message": text,
    }


def validate_tables(tables: Tables, *, municipality: Municipality | None = None) -> Checked:
    """Every row checked; taxonomies and terms not in the file must be ones ``municipality`` holds (shared
    reference data, its own), never another municipality's."""
    checked = Checked()
    rows_of = {resource: rows for resource, rows in tables.items() if resource not in EXTRA_FILES}

    def error(resource: str, line: int, name: str, text: str) -> None:
        row = rows_of[resource][line - 2] if 0 <= line - 2 < len(rows_of[resource]) else {}
        checked.errors.append(message(resource, line, row, name, text))

    def warning(resource: str, line: int, name: str, text: str) -> None:
        row = rows_of[resource][line - 2]
        checked.warnings.append(message(resource, line, row, name, text))

    for resource in RESOURCES:
        rows_of.setdefault(resource, [])
    ids = {resource: _check_rows(resource, rows, error) for resource, rows in rows_of.items()}
    _check_references(rows_of, ids, error, warning)
    _check_taxonomy_references(rows_of, ids, held_taxonomies(rows_of, municipality), error, warning)
    _check_owners(rows_of, warning)
    _check_cross_row_rules(rows_of, error)
    return checked


def _check_rows(resource: str, rows: list[dict[str, str]], error: Error) -> set[str]:
    """Required fields, values and unique ids of one table; the ids it holds."""
    ids: set[str] = set()
    for index, row in enumerate(rows, start=2):  # row 1 is the header
        for name in REQUIRED[resource]:
            if not (row.get(name) or "").strip():
                error(resource, index, name, _("is required"))
        if resource == "organization_identifier":
            problem = _check_identifier(row)
            if problem:
                error(resource, index, "identifier", problem)
        for name, value in row.items():
            if name == WHERE:
                continue
            if name is None:
                error(resource, index, "", _("has more cells than the header"))
                continue
            problem = _check_value(resource, name, (value or "").strip())
            if problem:
                error(resource, index, name, problem)
        if row.get("id"):
            if row["id"] in ids:
                error(resource, index, "id", _("is used twice"))
            ids.add(row["id"])
    return ids


def _check_references(tables: Tables, ids: dict[str, set[str]], error: Error, warning: Error) -> None:
    """References to records of the file. An optional reference to a record not in the file is a warning and the
    link is left out."""
    for resource, name, target in REFERENCES:
        for index, row in enumerate(tables[resource], start=2):
            value = (row.get(name) or "").strip()
            if not value or value in ids[target]:
                continue
            if (resource, name) in OPTIONAL_REFERENCES:
                warning(resource, index, name, _("refers to a record that is not in the file: the link is left out"))
                row[name] = ""
            else:
                error(resource, index, name, _("refers to a record that is not in the file"))


def _check_taxonomy_references(
    tables: Tables, ids: dict[str, set[str]], held: HeldTaxonomies, error: Error, warning: Error
) -> None:
    """An attribute's term, a term's taxonomy and parent: of the file, or held by the importing municipality.
    A taxonomy the file only names (a nested term gives its taxonomy's name, not always its object) becomes the
    municipality's own; a parent term that is neither is left out with a warning."""
    for index, row in enumerate(tables["attribute"], start=2):
        term = row.get("taxonomy_term_id")
        if term and term not in ids["taxonomy_term"] and not held.has_term(term):
            error("attribute", index, "taxonomy_term_id", _("unknown taxonomy term"))
    for index, row in enumerate(tables["taxonomy_term"], start=2):
        taxonomy = row.get("taxonomy_id")
        named = (row.get("taxonomy") or "").strip()
        if taxonomy and taxonomy not in ids["taxonomy"] and not held.has_taxonomy(taxonomy) and not named:
            error("taxonomy_term", index, "taxonomy_id", _("unknown taxonomy"))
        parent = row.get("parent_id")
        if parent and parent not in ids["taxonomy_term"] and not held.has_term(parent):
            warning(
                "taxonomy_term",
                index,
                "parent_id",
                _("refers to a record that is not in the file: the link is left out"),
            )
            row["parent_id"] = ""


def _check_owners(tables: Tables, warning: Error) -> None:
    """A phone, contact or schedule linked to no record of the file (none given, or every link dangling) has
    nowhere to go: a warning, and the loader leaves it out (a phone of a contact left out goes with it)."""
    left_out: set[str] = set()
    for resource in ("contact", "phone", "schedule"):  # a contact before the phones that hang from it
        columns = OWNERS[resource]
        for index, row in enumerate(tables[resource], start=2):
            if resource == "phone" and row.get("contact_id") in left_out:
                row["contact_id"] = ""
            if not any((row.get(column) or "").strip() for column in columns):
                warning(resource, index, columns[0], _("belongs to no record of the file: it is left out"))
                left_out.add(row.get("id", ""))


def _check_cross_row_rules(tables: Tables, error: Error) -> None:
    """Rules between fields of a row: an age range that is a range, a translation of a known record type."""
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
