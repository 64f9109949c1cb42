"""Read: an HSDS 3.0 datapackage (zip of CSVs) or JSON feed into tables of rows, one table per resource.

Reading checks only the file's shape; every value is checked by ``validate`` before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .schema import EXTRA_FILES, RESOURCES, WHERE, Tables, row_of


def max_bytes() -> int:
    """The largest package (zip, uncompressed) or JSON file an import reads: a setting, 20 MB by default."""
    return int(getattr(settings, "CARENET_HSDS_IMPORT_MAX_BYTES", 20_000_000))


def check_size(size: int, name: str = "") -> None:
    if size <= max_bytes():
        return
    figures = {"size": round(size / 1_000_000, 1), "limit": round(max_bytes() / 1_000_000, 1), "file": name}
    if name:
        raise ImportRefused(_("%(file)s is too large: %(size)s MB; an import reads at most %(limit)s MB.") % figures)
    raise ImportRefused(_("The file is too large: %(size)s MB; an import reads at most %(limit)s MB.") % figures)


def read_limited(stream: IO[bytes], name: str) -> bytes:
    """All of ``stream``, but never more than the limit (plus one byte, to know it was more): a file or a zip
    member whose header lies about its size is refused as it is read, naming it."""
    data = stream.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise ImportRefused(
            _("%(file)s is too large: an import reads at most %(limit)s MB.")
            % {"file": name, "limit": round(max_bytes() / 1_000_000, 1)}
        )
    return data


def _stream(content: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(content) if isinstance(content, (bytes, bytearray)) else content


class ImportRefused(ValidationError):
    pass


def _member(archive: zipfile.ZipFile, path: str, budget: list[int]) -> str:
    """One member's text, read within what is left of the limit (``budget``): the headers' sizes are checked
    first, and the bytes themselves as they are inflated."""
    try:
        with archive.open(path) as member:
            data = member.read(budget[0] + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ImportRefused(_("%(file)s cannot be read: %(error)s") % {"file": path, "error": exc}) from None
    if len(data) > budget[0]:
        raise ImportRefused(
            _("%(file)s is too large: an import reads at most %(limit)s MB.")
            % {"file": path, "limit": round(max_bytes() / 1_000_000, 1)}
        )
    budget[0] -= len(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("%(file)s is not UTF-8 text.") % {"file": path}) from None


def read_zip(content: bytes | IO[bytes]) -> Tables:
    """A datapackage zip, from bytes or an open file (read in place: an upload is never held in memory whole)."""
    try:
        archive = zipfile.ZipFile(_stream(content))
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportRefused(_("The file is not a zip archive (an HSDS datapackage is a zip of CSV files).")) from None
    names = set(archive.namelist())
    if "datapackage.json" not in names:
        raise ImportRefused(_("datapackage.json is missing from the archive."))
    for info in archive.infolist():
        check_size(info.file_size, info.filename)
    check_size(sum(info.file_size for info in archive.infolist()))  # uncompressed: no zip bomb gets read
    budget = [max_bytes()]
    tables: Tables = {}
    for resource, (path, _columns) in RESOURCES.items():
        if path not in names:
            tables[resource] = []
            continue
        text = _member(archive, path, budget)
        try:
            tables[resource] = list(csv.DictReader(io.StringIO(text)))
        except csv.Error as exc:
            raise ImportRefused(_("%(file)s is not valid CSV: %(error)s") % {"file": path, "error": exc}) from None
    for resource, path in EXTRA_FILES.items():  # metadata.csv, meta_table_descriptions.csv: kept with the source
        rows = csv.DictReader(io.StringIO(_member(archive, path, budget))) if path in names else []
        tables[resource] = [{k: v for k, v in row.items() if k and v} for row in rows]
    return tables


# The lists of a service object read as resources of their own (each row gets the service's id).
NESTED = {
    "phones": "phone",
    "schedules": "schedule",
    "service_areas": "service_area",
    "languages": "language",
    "funding": "funding",
    "cost_options": "cost_option",
    "required_documents": "required_document",
}
# What an organisation, a location or a service at a location may hold (contacts, with their phones, apart).
OWNED = {"phones": "phone", "schedules": "schedule"}


def _objects(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ImportRefused(_("“%(field)s” must be a list of objects.") % {"field": where})
    return value


class _Rows:
    """The tables being filled from nested objects; an object met twice (same resource, same id) once."""

    def __init__(self) -> None:
        self.tables: Tables = {name: [] for name in RESOURCES}
        self.seen: set[tuple[str, str]] = set()

    def add(self, resource: str, obj: dict[str, Any], where: str, **implied: Any) -> None:
        """One object at the JSON path ``where``; ``implied``: the foreign keys its nesting gives (an object's
        own value wins when it has one)."""
        obj = {k: v for k, v in obj.items() if not isinstance(v, (dict, list))}
        for name, value in implied.items():
            if obj.get(name) in (None, "") and value:
                obj[name] = value
        key = (resource, str(obj.get("id")))
        if key in self.seen:
            return
        self.seen.add(key)
        row = row_of(resource, obj)
        row[WHERE] = where
        self.tables[resource].append(row)


def _kind(obj: dict[str, Any]) -> str:
    """What a top-level object is: an organisation (organization_full), a service-at-location, or a service."""
    if "organization_identifiers" in obj or ("services" in obj and "status" not in obj):
        return "organization"
    if isinstance(obj.get("service"), dict) or ("location_id" in obj and "service_id" in obj and "name" not in obj):
        return "service_at_location"
    return "service"


def read_json(content: bytes | IO[bytes], name: str = "") -> Tables:
    """HSDS 3.0 JSON: service_full, organization_full or service_at_location_full objects — one, a list, or a
    page of them ({"contents": [...]}). Foreign keys implied by the nesting are filled in; each row remembers
    its JSON path for the error messages. ``content``: bytes or an open file, read up to the limit."""
    if isinstance(content, (bytes, bytearray)):
        check_size(len(content), name)
        raw = bytes(content)
    else:
        raw = read_limited(content, name or "JSON")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ImportRefused(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
    return read_json_data(data)


def read_json_data(data: Any) -> Tables:
    """Parsed HSDS JSON (see ``read_json``) as tables; a remote API's pages arrive here joined."""
    root = "$.contents" if isinstance(data, dict) and "contents" in data else "$"
    items = data.get("contents") if isinstance(data, dict) and "contents" in data else data
    if isinstance(items, dict):
        items, root = [items], ""
    if not isinstance(items, list):
        raise ImportRefused(_("Expected HSDS objects: a service, an organisation, a service at a location, or a list."))
    rows = _Rows()
    for index, item in enumerate(items):
        where = f"{root}[{index}]" if root else "$"
        if not isinstance(item, dict):
            raise ImportRefused(_("%(where)s must be an HSDS object.") % {"where": where})
        kind = _kind(item)
        if kind == "organization":
            _read_organisation(rows, item, where)
        elif kind == "service_at_location":
            _read_sal(rows, item, where, service_id=None)
        else:
            _read_service(rows, item, where)
    return rows.tables


def _read_organisation(rows: _Rows, org: dict[str, Any], where: str) -> None:
    oid = org.get("id")
    rows.add("organization", org, where)
    for i, ident in enumerate(_objects(org.get("organization_identifiers"), f"{where}.organization_identifiers")):
        rows.add("organization_identifier", ident, f"{where}.organization_identifiers[{i}]", organization_id=oid)
    for i, program in enumerate(_objects(org.get("programs"), f"{where}.programs")):
        rows.add("program", program, f"{where}.programs[{i}]", organization_id=oid)
    for i, service in enumerate(_objects(org.get("services"), f"{where}.services")):
        _read_service(rows, service, f"{where}.services[{i}]", organization_id=oid)
    for i, location in enumerate(_objects(org.get("locations"), f"{where}.locations")):
        _read_location(rows, location, f"{where}.locations[{i}]", organization_id=oid)
    _read_owned(rows, org, where, ("phones",), organization_id=oid)


def _read_service(rows: _Rows, service: dict[str, Any], where: str, organization_id: Any = None) -> None:
    sid = service.get("id")
    if isinstance(service.get("organization"), dict):
        rows.add("organization", service["organization"], f"{where}.organization")
        organization_id = organization_id or service["organization"].get("id")
    if isinstance(service.get("program"), dict):
        rows.add("program", service["program"], f"{where}.program", organization_id=organization_id)
    rows.add("service", service, where, organization_id=organization_id)
    for key, resource in NESTED.items():
        for i, item in enumerate(_objects(service.get(key), f"{where}.{key}")):
            rows.add(resource, item, f"{where}.{key}[{i}]", service_id=sid)
    _read_owned(rows, service, where, (), service_id=sid)
    for i, sal in enumerate(_objects(service.get("service_at_locations"), f"{where}.service_at_locations")):
        _read_sal(rows, sal, f"{where}.service_at_locations[{i}]", service_id=sid)
    for i, attribute in enumerate(_objects(service.get("attributes"), f"{where}.attributes")):
        _read_attribute(rows, attribute, f"{where}.attributes[{i}]", link_id=sid)


def _read_attribute(rows: _Rows, attribute: dict[str, Any], where: str, link_id: Any) -> None:
    term = attribute.get("taxonomy_term")
    term_id = term.get("id") if isinstance(term, dict) else None
    rows.add("attribute", attribute, where, link_id=link_id, taxonomy_term_id=term_id)
    if isinstance(term, dict):
        if isinstance(term.get("taxonomy_detail"), dict):
            rows.add("taxonomy", term["taxonomy_detail"], f"{where}.taxonomy_term.taxonomy_detail")
        rows.add("taxonomy_term", term, f"{where}.taxonomy_term")


def _read_sal(rows: _Rows, sal: dict[str, Any], where: str, service_id: Any) -> None:
    location = sal.get("location")
    service = sal.get("service")
    if isinstance(service, dict):
        _read_service(rows, service, f"{where}.service")
        service_id = service_id or service.get("id")
    location_id = location.get("id") if isinstance(location, dict) else None
    rows.add("service_at_location", sal, where, service_id=service_id, location_id=location_id)
    _read_owned(rows, sal, where, tuple(OWNED), service_at_location_id=sal.get("id"))
    if isinstance(location, dict):
        _read_location(rows, location, f"{where}.location")


def _read_location(rows: _Rows, location: dict[str, Any], where: str, organization_id: Any = None) -> None:
    lid = location.get("id")
    rows.add("location", location, where, organization_id=organization_id)
    for i, address in enumerate(_objects(location.get("addresses"), f"{where}.addresses")):
        rows.add("address", address, f"{where}.addresses[{i}]", location_id=lid)
    for i, access in enumerate(_objects(location.get("accessibility"), f"{where}.accessibility")):
        rows.add("accessibility", access, f"{where}.accessibility[{i}]", location_id=lid)
    _read_owned(rows, location, where, tuple(OWNED), location_id=lid)


def _read_owned(rows: _Rows, owner: dict[str, Any], where: str, keys: tuple[str, ...], **link: Any) -> None:
    """The contacts (with their phones) of an HSDS object, and those of its ``keys`` (phones, schedules) that it
    holds: ``link`` is the owner's column and id (``location_id=…``)."""
    for key in keys:
        for i, item in enumerate(_objects(owner.get(key), f"{where}.{key}")):
            rows.add(OWNED[key], item, f"{where}.{key}[{i}]", **link)
    for i, contact in enumerate(_objects(owner.get("contacts"), f"{where}.contacts")):
        at = f"{where}.contacts[{i}]"
        rows.add("contact", contact, at, **link)
        for j, phone in enumerate(_objects(contact.get("phones"), f"{at}.phones")):
            rows.add("phone", phone, f"{at}.phones[{j}]", contact_id=contact.get("id"))
