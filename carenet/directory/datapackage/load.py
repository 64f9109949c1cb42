"""Load: validated tables written into a municipality's directory, all in one transaction or nothing.

One loader per HSDS resource, run in the order of ``LOADERS`` (a record before the records that refer to
it). A loader reads its own table — and the side tables only it uses (an organisation's identifiers, a
location's address and accessibility, a service's languages) — and writes its rows. Imported records get
new ids, ``uuid5(target municipality, source id)``: ids are global primary keys, so the same package can be
loaded into several tenants. Taxonomies and terms that are shared reference data, or the importing
municipality's own, keep their ids; any other (another municipality's too) becomes the importer's own.

To read one more resource: write ``load_<resource>(job)`` and add it to ``LOADERS`` after what it refers to.

Who may import is decided in ``carenet.directory.permissions.can_import_directory`` (a coordinator of the
municipality); ``actor=None`` is the platform's own command line (``manage.py import_hsds``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.jobs import failpoint
from carenet.core.models import Municipality, Organisation, OrganisationKind

from .. import hsds
from ..models import (
    Contact,
    CostOption,
    Funding,
    HsdsSource,
    Location,
    OrganisationIdentifier,
    OrganisationProfile,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    Taxonomy,
    TaxonomyTerm,
)
from ..permissions import can_import_directory
from ..services import directory_bulk_write, service_reindex
from .diff import snapshot_of
from .read import ImportRefused, check_size, read_json, read_zip
from .schema import Table, Tables
from .validate import OWNERS, held_taxonomies, message, validate_tables

KIND_OF = {v: k for k, v in hsds.LEGAL_STATUS.items()}
SCHEME_COUNTRY = {"RO-CUI": "RO", "RO-CIF": "RO", "MD-IDNO": "MD"}
# A model field's HSDS column, where the names differ (for the messages naming the field).
COLUMN_OF = {
    "organisation": "organization_id",
    "service": "service_id",
    "location": "location_id",
    "contact": "contact_id",
    "service_at_location": "service_at_location_id",
    "program": "program_id",
    "taxonomy": "taxonomy_id",
    "taxonomy_term": "taxonomy_term_id",
    "parent": "parent_id",
    "short_name": "alternate_name",
    "legal_identifier": "tax_id",
    "last_verified_at": "assured_date",
    "accessibility": "description",
    "accessibility_details": "details",
    "accessibility_url": "url",
}


# A job's progress: (resource, rows written so far, rows of that resource). Called every PROGRESS_EVERY rows.
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 250


class _Refused(Exception):
    """Raised inside the transaction once every row is tried: nothing of the file is kept."""


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportJob:
    """What the loaders share: the target municipality, the tables, the translations by record, the errors
    that full model validation finds (every row is tried, then the transaction is rolled back if any)."""

    municipality: Municipality
    tables: Tables
    translations: dict[tuple[str, str], dict[str, dict[str, str]]] = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Taxonomies and terms used as they are, under their own ids: shared reference data, or this municipality's
    # own (validate.held_taxonomies). Any other (another municipality's too) becomes this municipality's own.
    kept_taxonomies: set[str] = field(default_factory=set)
    kept_terms: set[str] = field(default_factory=set)
    progress: Progress | None = None

    def __post_init__(self) -> None:
        for row in self.tables["carenet_translation"]:
            record = self.translations.setdefault((row["record_type"], row["record_id"]), {})
            record.setdefault(row["language"], {})[row["field"]] = row["value"]

    def new_id(self, old: str | None) -> uuid.UUID | None:
        """The id of the imported record in this municipality (None for no source id)."""
        return uuid.uuid5(self.municipality.pk, old) if old else None

    def taxonomy_id(self, old: str) -> Any:
        """A shared taxonomy or this municipality's own keeps its id; any other becomes this municipality's own."""
        return old if old in self.kept_taxonomies else self.new_id(old)

    def term_id(self, old: str) -> Any:
        return old if old in self.kept_terms else self.new_id(old)

    def rows(self, resource: str) -> Table:
        return self.tables.get(resource, [])

    def keys(self, row: dict[str, str], **links: str) -> dict[str, Any]:
        """The imported record's id and municipality, and its links (``service_id="service_id"``: the column
        holding the source id of the linked record) turned into the imported ids."""
        return {
            "id": self.new_id(row["id"]),
            "municipality": self.municipality,
            **{name: self.new_id(row.get(column)) for name, column in links.items()},
        }

    def translated(self, record_type: str, source_id: str) -> dict[str, dict[str, str]]:
        return self.translations.get((record_type, source_id), {})

    def save(self, obj: Any, resource: str, row: dict[str, str], line: int, **columns: str) -> bool:
        """Full model validation, then the write (an update when the record was imported before). A refused
        row is an error naming its file and row (or JSON path) and the field; nothing is written for it."""
        if self.progress is not None:
            total = len(self.rows(resource))
            if (line - 1) % PROGRESS_EVERY == 0 or line - 1 == total:
                self.progress(resource, line - 1, total)
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
            _check_constraints(obj)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = columns.get(name) or COLUMN_OF.get(name, name)
                for text in messages:
                    self.errors.append(message(resource, line, row, "" if column == "__all__" else column, text))
            return False
        model = type(obj)
        existing = model._base_manager.filter(pk=obj.pk).first() if obj.pk else None
        if existing is not None:  # imported before: an UPDATE (a model with a pk default would INSERT)
            obj._state.adding = False
            for f in model._meta.concrete_fields:
                if getattr(f, "auto_now_add", False):
                    setattr(obj, f.attname, getattr(existing, f.attname))
        try:
            with transaction.atomic():
                obj.save()
        except (IntegrityError, DataError) as exc:
            self.errors.append(message(resource, line, row, "id", _("cannot be written: %(error)s") % {"error": exc}))
            return False
        return True


def _check_constraints(obj: Any) -> None:
    """The model's check constraints (age range, opening before closing, amount ≥ 0) on the unsaved row."""
    from django.db.models import CheckConstraint

    for constraint in obj._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            constraint.validate(type(obj), obj)  # type: ignore[attr-defined]  # Django 4.1+, not in the stubs


def _whole(value: str | None) -> int | None:
    return int(Decimal(value)) if value else None


def _num(value: str) -> Any:
    return Decimal(value) if value else None


def _date(value: str | None) -> Any:
    return parse_date(value) if value else None


def _time(value: str | None) -> Any:
    return parse_time(value) if value else None


def _rows(job: ImportJob, resource: str) -> Any:
    return enumerate(job.rows(resource), start=2)


# --- one loader per resource --------------------------------------------------------------------------


def load_taxonomies(job: ImportJob) -> None:
    """A taxonomy already shared (CareNet's own, a national nomenclature) or this municipality's own is used as it
    is; any other — another municipality's too — becomes this municipality's own (never shown in another tenant's
    feed), updated on re-import. A taxonomy a term names but the file does not give (nested JSON: a service's
    term carries its taxonomy's name and id only) is made from the term."""
    held = held_taxonomies(job.tables, job.municipality)
    job.kept_taxonomies, job.kept_terms = held.taxonomies_kept, held.terms_kept
    for line, row in _rows(job, "taxonomy"):
        if row["id"] in job.kept_taxonomies:
            continue
        new_id = job.taxonomy_id(row["id"])
        taxonomy = Taxonomy(
            id=new_id,
            code=f"t-{new_id}",
            name=row["name"],
            description=row.get("description", ""),
            uri=row.get("uri", ""),
            version=row.get("version", ""),
            municipality=job.municipality,
        )
        job.save(taxonomy, "taxonomy", row, line)
    given = {r["id"] for r in job.rows("taxonomy")}
    for line, row in _rows(job, "taxonomy_term"):
        source_id = row["taxonomy_id"]
        if row["id"] in job.kept_terms or source_id in given or held.has_taxonomy(source_id):
            continue
        given.add(source_id)
        new_id = job.taxonomy_id(source_id)
        taxonomy = Taxonomy(
            id=new_id,
            code=f"t-{new_id}",
            name=row["taxonomy"].strip(),
            description=_("Imported from an HSDS 3.0 package"),
            municipality=job.municipality,
        )
        job.save(taxonomy, "taxonomy_term", row, line, name="taxonomy", id="taxonomy_id")


def load_taxonomy_terms(job: ImportJob) -> None:
    pending_parents = []
    for line, row in _rows(job, "taxonomy_term"):
        if row["id"] in job.kept_terms:
            continue
        term = TaxonomyTerm(
            id=job.term_id(row["id"]),
            taxonomy_id=job.taxonomy_id(row["taxonomy_id"]),
            code=row.get("code") or row["id"],
            name=row["name"],
            description=row.get("description", ""),
            term_uri=row.get("term_uri", ""),
            language=row.get("language", ""),
        )
        if job.save(term, "taxonomy_term", row, line, code="code") and row.get("parent_id"):
            pending_parents.append((term, row, line))
    for term, row, line in pending_parents:
        term.parent_id = job.term_id(row["parent_id"])
        job.save(term, "taxonomy_term", row, line)


def _legal_identifier(job: ImportJob, identifiers: list[dict[str, str]]) -> str:
    """The validated Romanian/Moldovan identifier of the municipality's country, when a row gives one."""
    for row in identifiers:
        if SCHEME_COUNTRY.get((row.get("identifier_scheme") or "").upper()) == job.municipality.country:
            return row["identifier"].strip()
    return ""


def load_organizations(job: ImportJob) -> None:
    """Organisations (with their identifiers, any scheme, and profile), then their parents once all exist."""
    identifiers: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, r in _rows(job, "organization_identifier"):
        identifiers.setdefault(r.get("organization_id", ""), []).append((line, r))
    for line, row in _rows(job, "organization"):
        own = identifiers.get(row["id"], [])
        org = Organisation(
            **job.keys(row),
            code=f"hsds-{row['id']}"[:80],  # the whole source id: ids sharing a prefix never collide
            name=row["name"],
            short_name=row.get("alternate_name", ""),
            kind=KIND_OF.get(row.get("legal_status", ""), OrganisationKind.NGO),
            email=row.get("email", ""),
            website=row.get("website", ""),
            legal_identifier=_legal_identifier(job, [r for _line, r in own]),
            source_note=_("Imported from an HSDS 3.0 package"),
        )
        if not job.save(org, "organization", row, line, short_name="alternate_name", legal_identifier="tax_id"):
            continue
        profile = OrganisationProfile.plain.filter(organisation=org).first() or OrganisationProfile(
            municipality=job.municipality, organisation=org
        )
        profile.description = row.get("description", "")
        profile.year_incorporated = _whole(row.get("year_incorporated"))
        profile.translations = job.translated("organization", row["id"])
        profile.tax_status = row.get("tax_status", "")
        profile.tax_id = row.get("tax_id", "")
        profile.legal_status = row.get("legal_status", "")
        profile.logo = row.get("logo", "")
        profile.uri = row.get("uri", "")
        job.save(profile, "organization", row, line)
        for id_line, ident in own:
            job.save(
                OrganisationIdentifier(
                    **job.keys(ident),
                    organisation=org,
                    identifier_scheme=ident.get("identifier_scheme", ""),
                    identifier_type=ident["identifier_type"],
                    identifier=ident["identifier"],
                ),
                "organization_identifier",
                ident,
                id_line,
            )
    for _line, row in _rows(job, "organization"):
        Organisation.plain.filter(pk=job.new_id(row["id"])).update(
            parent_id=job.new_id(row.get("parent_organization_id"))
        )


def load_programs(job: ImportJob) -> None:
    for line, row in _rows(job, "program"):
        program = Program(
            **job.keys(row, organisation_id="organization_id"),
            name=row["name"],
            alternate_name=row.get("alternate_name", ""),
            description=row.get("description", ""),
        )
        job.save(program, "program", row, line)


def load_locations(job: ImportJob) -> None:
    """Locations, each with its (first) address and accessibility folded in."""
    addresses = {r["location_id"]: r for r in job.rows("address")}
    access = {r["location_id"]: r for r in job.rows("accessibility")}
    for line, row in _rows(job, "location"):
        address = addresses.get(row["id"], {})
        accessible = access.get(row["id"], {})
        location = Location(
            **job.keys(row, organisation_id="organization_id"),
            location_type=row["location_type"],
            url=row.get("url", ""),
            name=row.get("name", ""),
            alternate_name=row.get("alternate_name", ""),
            description=row.get("description", ""),
            transportation=row.get("transportation", ""),
            latitude=float(row["latitude"]) if row.get("latitude") else None,
            longitude=float(row["longitude"]) if row.get("longitude") else None,
            coordinates_approximate=row.get("external_identifier") == "approximate",
            external_identifier=row.get("external_identifier", ""),
            external_identifier_type=row.get("external_identifier_type", ""),
            attention=address.get("attention", ""),
            address_1=address.get("address_1", ""),
            address_2=address.get("address_2", ""),
            city=address.get("city", ""),
            region=address.get("region", ""),
            state_province=address.get("state_province", ""),
            postal_code=address.get("postal_code", ""),
            country=address.get("country", ""),
            address_type=address.get("address_type") or "physical",
            accessibility=accessible.get("description", ""),
            accessibility_details=accessible.get("details", ""),
            accessibility_url=accessible.get("url", ""),
            hsds_ids={
                k: str(job.new_id(r["id"]))
                for k, r in (("address", address), ("accessibility", accessible))
                if r.get("id")
            },
            translations=job.translated("location", row["id"]),
        )
        job.save(location, "location", row, line, url="url")


def load_services(job: ImportJob) -> None:
    """Services, each with its languages folded in; kept on the job for the search index at the end."""
    languages: dict[str, list[str]] = {}
    details: dict[str, dict[str, dict[str, str]]] = {}
    for row in job.rows("language"):
        languages.setdefault(row["service_id"], []).append(row["code"])
        details.setdefault(row["service_id"], {})[row["code"]] = {
            "id": str(job.new_id(row["id"])),
            **{k: row[k] for k in ("name", "note") if row.get(k)},
        }
    for line, row in _rows(job, "service"):
        assured = _date(row.get("assured_date"))
        service = Service(
            **job.keys(row, organisation_id="organization_id", program_id="program_id"),
            name=row["name"],
            alternate_name=row.get("alternate_name", ""),
            description=row.get("description", ""),
            url=row.get("url", ""),
            email=row.get("email", ""),
            status=row["status"],
            interpretation_services=row.get("interpretation_services", ""),
            application_process=row.get("application_process", ""),
            fees_description=row.get("fees_description", ""),
            fees=row.get("fees", ""),
            wait_time=row.get("wait_time", ""),
            accreditations=row.get("accreditations", ""),
            eligibility_description=row.get("eligibility_description", ""),
            minimum_age=_whole(row.get("minimum_age")),
            maximum_age=_whole(row.get("maximum_age")),
            assurer_email=row.get("assurer_email", ""),
            licenses=row.get("licenses", ""),
            alert=row.get("alert", ""),
            languages=languages.get(row["id"], []),
            language_details=details.get(row["id"], {}),
            translations=job.translated("service", row["id"]),
            last_verified_at=datetime.combine(assured, time(12, 0), tzinfo=UTC) if isinstance(assured, date) else None,
            source_note=_("Imported from an HSDS 3.0 package"),
        )
        if job.save(service, "service", row, line):
            job.services.append(service)


def load_service_at_locations(job: ImportJob) -> None:
    for line, row in _rows(job, "service_at_location"):
        sal = ServiceAtLocation(
            **job.keys(row, service_id="service_id", location_id="location_id"),
            description=row.get("description", ""),
        )
        job.save(sal, "service_at_location", row, line)


def _owned(row: dict[str, str], resource: str) -> bool:
    """A phone, contact or schedule linked to some record (validation warned about the others: left out)."""
    return any(row.get(column) for column in OWNERS[resource])


def load_contacts(job: ImportJob) -> None:
    """Contacts of organisations, services, locations and services at a location (before their phones)."""
    for line, row in _rows(job, "contact"):
        if not _owned(row, "contact"):
            continue
        contact = Contact(
            **job.keys(
                row,
                organisation_id="organization_id",
                service_id="service_id",
                location_id="location_id",
                service_at_location_id="service_at_location_id",
            ),
            name=row.get("name", ""),
            title=row.get("title", ""),
            department=row.get("department", ""),
            email=row.get("email", ""),
        )
        job.save(contact, "contact", row, line)


def _of_alone(row: dict[str, str], owner: str) -> bool:
    """The phone belongs to this one owner (an organisation, a contact) and to nothing else."""
    return bool(row.get(owner)) and not any(row.get(column) for column in OWNERS["phone"] if column != owner)


def load_phones(job: ImportJob) -> None:
    """Phones of organisations, services, locations, contacts and services at a location.

    A phone of an organisation alone also fills the organisation's own phone field (``Organisation.phone``, which
    HSDS keeps only in the phone table), and a contact's alone the contact's (``Contact.phone``): the phone exported from that field (``hsds.organisation_phone_id``) when
    the file has it, else the organisation's first. The export gives it once (a directory phone of the
    organisation with the same number), so export → import → export gives the same phones."""
    own: dict[str, tuple[bool, str]] = {}  # source organisation id → (exported from the field, number)
    contacts_own: dict[str, tuple[bool, str]] = {}  # the same for a contact's own phone field
    for line, row in _rows(job, "phone"):
        if not _owned(row, "phone"):
            continue
        phone = Phone(
            **job.keys(
                row,
                organisation_id="organization_id",
                service_id="service_id",
                location_id="location_id",
                contact_id="contact_id",
                service_at_location_id="service_at_location_id",
            ),
            number=row["number"],
            extension=_whole(row.get("extension")),
            type=row.get("type", ""),
            description=row.get("description", ""),
        )
        if not job.save(phone, "phone", row, line):
            continue
        for owner, stable_id, found in (
            ("organization_id", hsds.organisation_phone_id, own),
            ("contact_id", hsds.contact_phone_id, contacts_own),
        ):
            if _of_alone(row, owner):
                source = row[owner]
                from_field = row["id"] == stable_id(source)
                if source not in found or (from_field and not found[source][0]):
                    found[source] = (from_field, phone.number)
    for organisation, (_from_field, number) in own.items():
        Organisation.objects.for_tenant(job.municipality).filter(pk=job.new_id(organisation)).update(phone=number)
    for contact, (_from_field, number) in contacts_own.items():
        Contact.objects.for_tenant(job.municipality).filter(pk=job.new_id(contact)).update(phone=number)


def load_schedules(job: ImportJob) -> None:
    """Schedules of services, locations and services at a location."""
    for line, row in _rows(job, "schedule"):
        if not _owned(row, "schedule"):
            continue
        schedule = Schedule(
            **job.keys(
                row, service_id="service_id", location_id="location_id", service_at_location_id="service_at_location_id"
            ),
            freq=row.get("freq") or "WEEKLY",
            byday=row.get("byday", ""),
            opens_at=_time(row.get("opens_at")),
            closes_at=_time(row.get("closes_at")),
            valid_from=_date(row.get("valid_from")),
            valid_to=_date(row.get("valid_to")),
            dtstart=row.get("dtstart", ""),
            timezone=_whole(row.get("timezone")),
            until=row.get("until", ""),
            count=_whole(row.get("count")),
            wkst=row.get("wkst", ""),
            interval=_whole(row.get("interval")),
            byweekno=row.get("byweekno", ""),
            bymonthday=row.get("bymonthday", ""),
            byyearday=row.get("byyearday", ""),
            description=row.get("description", ""),
            schedule_link=row.get("schedule_link", ""),
            attending_type=row.get("attending_type", ""),
            notes=row.get("notes", ""),
        )
        job.save(schedule, "schedule", row, line)


def load_funding(job: ImportJob) -> None:
    for line, row in _rows(job, "funding"):
        job.save(Funding(**job.keys(row, service_id="service_id"), source=row["source"]), "funding", row, line)


def load_service_areas(job: ImportJob) -> None:
    for line, row in _rows(job, "service_area"):
        area = ServiceArea(
            **job.keys(row, service_id="service_id"),
            name=row["name"],
            description=row.get("description", ""),
            extent=row.get("extent", ""),
            extent_type=row.get("extent_type", ""),
            uri=row.get("uri", ""),
        )
        job.save(area, "service_area", row, line)


def load_required_documents(job: ImportJob) -> None:
    for line, row in _rows(job, "required_document"):
        document = RequiredDocument(
            **job.keys(row, service_id="service_id"), document=row["document"], uri=row.get("uri", "")
        )
        job.save(document, "required_document", row, line)


def load_cost_options(job: ImportJob) -> None:
    for line, row in _rows(job, "cost_option"):
        option = CostOption(
            **job.keys(row, service_id="service_id"),
            option=row.get("option", ""),
            amount=_num(row.get("amount", "")),
            currency=row.get("currency", ""),
            amount_description=row.get("amount_description", ""),
            valid_from=_date(row.get("valid_from")),
            valid_to=_date(row.get("valid_to")),
        )
        job.save(option, "cost_option", row, line)


def load_attributes(job: ImportJob) -> None:
    """A service's taxonomy terms (HSDS attributes linked to a service; links to records not in the file were
    left out, with a warning, by validation)."""
    for line, row in _rows(job, "attribute"):
        if not row.get("link_id"):
            continue
        attribute = ServiceAttribute(
            **job.keys(row, service_id="link_id"),
            taxonomy_term_id=job.term_id(row["taxonomy_term_id"]),
            value=row.get("value", ""),
            link_type=row.get("link_type", ""),
        )
        job.save(attribute, "attribute", row, line, service="link_id")


Loader = Callable[[ImportJob], None]

# The loaders, in the order they run: a record is written before the records that refer to it. The resources
# without a loader of their own are read by the loader named beside them.
LOADERS: tuple[tuple[str, Loader], ...] = (
    ("taxonomy", load_taxonomies),
    ("taxonomy_term", load_taxonomy_terms),
    ("organization", load_organizations),  # with organization_identifier
    ("program", load_programs),
    ("location", load_locations),  # with address, accessibility
    ("service", load_services),  # with language
    ("service_at_location", load_service_at_locations),
    ("contact", load_contacts),
    ("phone", load_phones),  # after the contacts they may belong to
    ("schedule", load_schedules),
    ("funding", load_funding),
    ("service_area", load_service_areas),
    ("required_document", load_required_documents),
    ("cost_option", load_cost_options),
    ("attribute", load_attributes),
)


def _finish_services(job: ImportJob) -> None:
    """Once every row is in: the services' search index, and the source's modification times (auto_now
    would stamp "now" on every record)."""
    for service in job.services:
        service_reindex(service=service)
    for row in job.rows("service"):
        if row.get("last_modified"):
            Service.plain.filter(pk=job.new_id(row["id"])).update(updated_at=parse_datetime(row["last_modified"]))


# Records a pull may remove (the feed no longer has them), by resource. Organisations, taxonomies and the rows
# folded into another record (an address, a language) are not removed: a pull only adds and updates them.
REMOVABLE: dict[str, type[Any]] = {
    "service": Service,
    "location": Location,
    "program": Program,
    "service_at_location": ServiceAtLocation,
    "contact": Contact,
    "phone": Phone,
    "schedule": Schedule,
    "funding": Funding,
    "service_area": ServiceArea,
    "required_document": RequiredDocument,
    "cost_option": CostOption,
    "attribute": ServiceAttribute,
}


def _remove_gone(job: ImportJob, gone: dict[str, list[str]], warnings: list[str]) -> dict[str, int]:
    """Delete the records the feed no longer has (a pull's "gone"); a service still referred to elsewhere (a
    referral) is kept as defunct instead, with a warning."""
    from django.db.models import ProtectedError

    removed: dict[str, int] = {}
    for resource, _load in reversed(LOADERS):  # the records that refer to others first
        model = REMOVABLE.get(resource)
        if model is None or not gone.get(resource):
            continue
        for source_id in gone[resource]:
            obj = model._base_manager.filter(pk=job.new_id(source_id), municipality=job.municipality).first()
            if obj is None:
                continue
            try:
                with transaction.atomic():
                    obj.delete()
            except (ProtectedError, IntegrityError):
                if isinstance(obj, Service):
                    obj.status = "defunct"
                    obj.save(update_fields=["status"])
                warnings.append(
                    _("%(resource)s %(id)s is no longer in the feed but is still referred to: kept%(defunct)s.")
                    % {"resource": resource, "id": source_id, "defunct": _(", as defunct") if model is Service else ""}
                )
                continue
            removed[resource] = removed.get(resource, 0) + 1
    return removed


def _refuse_unless_may_import(actor: Any, municipality: Municipality) -> None:
    if actor is not None and not can_import_directory(actor, municipality):
        raise PermissionDenied


def _keep_source(job: ImportJob, *, source: str, counts: dict[str, int], warnings: list[str]) -> None:
    """The source registry: the feed's metadata files (kept as given), what the last import wrote and found."""
    from django.utils import timezone

    HsdsSource.plain.update_or_create(
        municipality=job.municipality,
        name=source[:200],
        defaults={
            "metadata": job.rows("metadata"),
            "table_descriptions": job.rows("meta_table_description"),
            "counts": counts,
            "warnings": warnings,
            "last_imported_at": timezone.now(),
            "snapshot": snapshot_of(job.tables),
        },
    )


def import_tables(
    *,
    actor: Any,
    municipality: Municipality,
    tables: Tables,
    source: str = "",
    progress: Progress | None = None,
    gone: dict[str, list[str]] | None = None,
) -> ImportReport:
    """Validate everything, then write everything in one transaction (or nothing). Every row runs the model's
    full validation; a second import of the same package updates the same records (ids are stable).

    ``progress`` is told how far the write is, resource by resource; ``gone`` (a pull's diff) names the
    records, by resource and source id, the feed no longer has: they are removed in the same transaction."""
    _refuse_unless_may_import(actor, municipality)
    checked = validate_tables(tables, municipality=municipality)
    if checked.errors:
        return ImportReport(errors=checked.errors, warnings=checked.warnings)
    job = ImportJob(municipality=municipality, tables=tables, progress=progress)
    counts = {name: len(rows) for name, rows in tables.items() if rows}
    try:
        with transaction.atomic(), directory_bulk_write():
            for _resource, load in LOADERS:
                load(job)
            failpoint("hsds.import.written")  # every row written, nothing committed (the crash tests)
            if job.errors:
                raise _Refused
            if gone:
                removed = _remove_gone(job, gone, checked.warnings)
                counts.update({f"{name} (removed)": n for name, n in removed.items()})
            _finish_services(job)
            _keep_source(job, source=source or _("HSDS import"), counts=counts, warnings=checked.warnings)
            audit_record(
                action="directory.import",
                actor=actor,
                municipality=municipality,
                object_type="hsds.datapackage",
                changes={"rows": counts, "warnings": len(checked.warnings)},
            )
    except _Refused:
        return ImportReport(errors=job.errors, warnings=checked.warnings)
    except (IntegrityError, DataError) as exc:  # a database rule the model does not know: nothing is written
        return ImportReport(errors=[_("The package could not be written: %(error)s") % {"error": exc}])
    return ImportReport(counts=counts, warnings=checked.warnings)


def read_file(*, content: bytes | IO[bytes], filename: str) -> Tables:
    """A zip datapackage or a JSON feed, from bytes or an open file (refused with ``ImportRefused``)."""
    if isinstance(content, (bytes, bytearray)):
        check_size(len(content), filename)
    return read_json(content, filename) if filename.lower().endswith(".json") else read_zip(content)


def import_file(
    *,
    actor: Any,
    municipality: Municipality,
    content: bytes | IO[bytes],
    filename: str,
    source: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Read, check and write a file (bytes, or an open file: the background import reads the stored upload)."""
    _refuse_unless_may_import(actor, municipality)
    try:
        tables = read_file(content=content, filename=filename)
    except ImportRefused as exc:
        return ImportReport(errors=list(exc.messages))
    return import_tables(
        actor=actor, municipality=municipality, tables=tables, source=source or filename, progress=progress
    )
