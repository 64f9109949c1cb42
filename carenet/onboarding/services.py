"""A new municipality from its own documents (issue 24): its row, organisations, directory, staff and plan.

Every import reads the whole file and checks every row before it writes anything (two passes); an error names
the file, the row and the column. The writes and their audit events are one transaction, and
``municipality_onboard`` puts the four files in one more: a refused file leaves nothing of the others.

Only the platform administrator onboards: the tenant does not exist yet, so no coordinator can own it.
"""

from __future__ import annotations

import io
import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carenet.accounts.models import User
from carenet.accounts.services import membership_grant, user_create
from carenet.audit.services import audit_record
from carenet.core.identifiers import validate_cif, validate_idno
from carenet.core.models import Country, Currency, Municipality, Organisation, OrganisationKind, Sector
from carenet.core.roles import Role
from carenet.directory.datapackage import import_file as hsds_import_file
from carenet.directory.models import Location, Phone, Service, Taxonomy, TaxonomyTerm
from carenet.directory.services import service_create, service_link_location, service_update
from carenet.plans.models import Plan
from carenet.plans.table_import import (
    FIELD_LABELS,
    plan_table_guess_mapping,
    plan_table_import,
    plan_table_preview,
    plan_table_read,
)

from .columns import ORGANISATION_COLUMNS, SERVICE_COLUMNS, USER_COLUMNS
from .tabular import OnboardingRefused, RowError, Table, content_of, normalise_header, read_table

CURRENCY_OF = {Country.ROMANIA: Currency.RON, Country.MOLDOVA: Currency.MDL}
PROFILE_FILE = "profile.json"


def _require_platform_admin(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_superuser:
        raise PermissionDenied


def _key(text: Any) -> str:
    """Names compared as an officer would: no case, diacritics or punctuation."""
    return normalise_header(text)


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": list(exc.messages)}


# --- the municipality -------------------------------------------------------------------------------------


def municipality_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    country: str,
    official_languages: list[str],
    currency: str,
    time_zone: str,
    statistical_code: str,
    population: int | None = None,
    emergency_contacts: list[dict[str, str]] | None = None,
) -> Municipality:
    """A new tenant. Its country sets its legal framework: the national registers and taxonomies of that country
    apply to it (directory taxonomies by ``country``), and its identifiers are checked by that country's rules
    (CUI/CIF in Romania, IDNO in Moldova). Its rules (canteen, campaigns, housing, retention …) start at the
    platform's defaults until its coordinator sets them on the rules pages (docs/admin-guide.md)."""
    _require_platform_admin(actor)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    slug = (slug or "").strip()
    if not name:
        errors["name"] = _("Give the municipality's name.")
    if not slug or slug != slugify(slug):
        errors["slug"] = _("Use lower-case letters, digits and hyphens, for example “valea-verde”.")
    elif Municipality.objects.filter(slug=slug).exists():
        errors["slug"] = _("A municipality with this slug already exists; it is onboarded once.")
    if country not in Country.values:
        errors["country"] = _("Choose RO (Romania) or MD (Republic of Moldova).")
    elif currency != CURRENCY_OF[Country(country)]:
        errors["currency"] = _("The currency of %(country)s is %(currency)s.") % {
            "country": Country(country).label,
            "currency": CURRENCY_OF[Country(country)],
        }
    languages = dict(settings.LANGUAGES)
    if not official_languages or any(code not in languages for code in official_languages):
        errors["official_languages"] = _("Give one or more of these language codes: %(codes)s.") % {
            "codes": ", ".join(languages)
        }
    if time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Give a time zone such as Europe/Bucharest or Europe/Chisinau.")
    statistical_code = str(statistical_code or "").strip()
    if not statistical_code.isdigit() or len(statistical_code) > 12:
        errors["statistical_code"] = _("Give the SIRUTA (Romania) or CUATM (Moldova) code: digits only.")
    if population is not None and (not isinstance(population, int) or population <= 0):
        errors["population"] = _("Give the population as a whole positive number, or leave it out.")
    contacts = emergency_contacts or []
    if not isinstance(contacts, list) or any(
        not isinstance(c, dict) or not str(c.get("label", "")).strip() or not str(c.get("phone", "")).strip()
        for c in contacts
    ):
        errors["emergency_contacts"] = _("Each emergency contact needs a label and a phone number.")
    if errors:
        raise ValidationError(errors)
    municipality = Municipality(
        name=name,
        slug=slug,
        country=country,
        official_languages=list(official_languages),
        currency=currency,
        time_zone=time_zone,
        statistical_code=statistical_code,
        population=population,
        emergency_contacts=[{"label": c["label"].strip(), "phone": c["phone"].strip()} for c in contacts],
    )
    municipality.full_clean()
    with transaction.atomic():
        municipality.save()
        audit_record(
            action="municipality.create",
            actor=actor,
            obj=municipality,
            municipality=municipality,
            changes={"country": country, "languages": list(official_languages)},
        )
    return municipality


# --- organisations ------------------------------------------------------------------------------------------


def _kind_of(text: str) -> str | None:
    """An organisation kind by its code or its label in Romanian or English (and the usual abbreviations)."""
    wanted = _key(text)
    extra = {"ong": OrganisationKind.NGO, "ngo": OrganisationKind.NGO, "asociatie": OrganisationKind.NGO}
    extra |= {"fundatie": OrganisationKind.NGO, "institutie publica": OrganisationKind.PUBLIC}
    extra |= {
        "privat": OrganisationKind.PRIVATE,
        "firma": OrganisationKind.PRIVATE,
        "companie": OrganisationKind.PRIVATE,
    }
    extra |= {"confesional": OrganisationKind.FAITH, "cult": OrganisationKind.FAITH}
    if wanted in extra:
        return extra[wanted]
    return _choice_of(OrganisationKind, wanted)


def _choice_of(choices: Any, wanted: str) -> str | None:
    for value, label in choices.choices:
        names = {_key(value)}
        for language in ("ro", "en", "hu", "ru", "uk"):
            with translation.override(language):
                names.add(_key(str(label)))
        if wanted in names:
            return value
    return None


def _check_tax_id(municipality: Municipality, value: str) -> None:
    """The identifier of the municipality's country: CUI/CIF in Romania, IDNO in Moldova."""
    if municipality.country == Country.MOLDOVA:
        validate_idno(value)
    else:
        validate_cif(value)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


def _refuse_if(errors: list[RowError]) -> None:
    if errors:
        raise OnboardingRefused(errors)


def organisations_import(*, actor: Any, municipality: Municipality, file: Any, filename: str) -> ImportResult:
    """The municipality's organisations; a row whose code exists already updates that organisation."""
    _require_platform_admin(actor)
    table = read_table(file=file, filename=filename, columns=ORGANISATION_COLUMNS)
    existing = {o.code: o for o in Organisation.objects.for_tenant(municipality)}
    errors: list[RowError] = []
    planned: list[tuple[int, dict[str, str], Organisation]] = []
    seen: dict[str, int] = {}
    for number, row in table.rows:
        code = row["code"] or slugify(anyascii(row["name"]))[:80]
        if code in seen:
            errors.append(table.error(number, "code", _("The same code as row %(row)s.") % {"row": seen[code]}))
            continue
        seen[code] = number
        kind = _kind_of(row["kind"])
        if kind is None:
            errors.append(
                table.error(
                    number,
                    "kind",
                    _("Unknown kind “%(value)s”; use one of: %(choices)s.")
                    % {"value": row["kind"], "choices": ", ".join(str(label) for label in OrganisationKind.labels)},
                )
            )
        sector = _choice_of(Sector, _key(row["sector"])) if row["sector"] else Sector.SOCIAL
        if sector is None:
            errors.append(
                table.error(
                    number,
                    "sector",
                    _("Unknown sector “%(value)s”; use one of: %(choices)s.")
                    % {"value": row["sector"], "choices": ", ".join(str(label) for label in Sector.labels)},
                )
            )
        if row["tax_id"]:
            try:
                _check_tax_id(municipality, row["tax_id"])
            except ValidationError as exc:
                errors.extend(table.error(number, "tax_id", m) for m in exc.messages)
        org = existing.get(code) or Organisation(municipality=municipality, code=code)
        org.name = row["name"]
        org.short_name = row["short_name"]
        org.kind = kind or ""
        org.sector = sector or ""
        org.legal_identifier = row["tax_id"].upper().removeprefix("RO").strip() if row["tax_id"] else ""
        org.email = row["email"]
        org.phone = row["phone"]
        org.website = row["website"]
        org.source_note = org.source_note or _("Onboarding: %(file)s") % {"file": filename[:200]}
        try:
            org.full_clean(
                exclude=["municipality", "parent", "kind", "sector", "legal_identifier"], validate_unique=False
            )
        except ValidationError as exc:
            for name, messages in _messages(exc).items():
                errors.extend(table.error(number, name if name in row else "name", m) for m in messages)
        planned.append((number, row, org))
    codes = set(existing) | set(seen)
    for number, row, _org in planned:
        parent = row["parent"]
        if parent and slugify(anyascii(parent)) not in codes and parent not in codes:
            errors.append(
                table.error(number, "parent", _("No organisation with this code: “%(value)s”.") % {"value": parent})
            )
    _refuse_if(errors)
    result = ImportResult()
    with transaction.atomic():
        by_code: dict[str, Organisation] = dict(existing)
        for _number, _row, org in planned:
            if org.code in existing:
                result.updated += 1
            else:
                result.created += 1
            org.save()
            by_code[org.code] = org
        for _number, row, org in planned:
            if row["parent"]:
                parent_org = by_code.get(row["parent"]) or by_code[slugify(anyascii(row["parent"]))]
                Organisation.objects.for_tenant(municipality).filter(pk=org.pk).update(parent=parent_org)
            if row["address"]:
                _location_for(municipality=municipality, organisation=org, name=org.name, address=row["address"])
        audit_record(
            action="onboarding.organisations.import",
            actor=actor,
            municipality=municipality,
            object_type="onboarding.file",
            object_label=filename[:200],
            changes=result.counts(),
        )
    return result


def _location_for(*, municipality: Municipality, organisation: Organisation, name: str, address: str) -> Location:
    """The site at ``address`` of the organisation (one per address: a second service there shares it).

    Written here because the directory has no service creating a location yet; its audit is the import's."""
    location = Location.objects.for_tenant(municipality).filter(organisation=organisation, address_1=address).first()
    if location is None:
        location = Location(municipality=municipality, organisation=organisation, name=name[:300], address_1=address)
        location.full_clean(validate_unique=False)
        location.save()
    return location


# --- services ------------------------------------------------------------------------------------------------


def _organisation_index(municipality: Municipality) -> dict[str, Organisation]:
    """Organisations by code, name and short name (compared as an officer would write them)."""
    index: dict[str, Organisation] = {}
    for org in Organisation.objects.for_tenant(municipality):
        for name in (org.short_name, org.name, org.code):
            if name:
                index.setdefault(_key(name), org)
    return index


def _term_index(municipality: Municipality) -> dict[str, list[TaxonomyTerm]]:
    """Terms of the taxonomies that apply to the municipality (shared, its country's, its own) by code and name."""
    from django.db.models import Q

    taxonomies = Taxonomy.objects.filter(
        Q(municipality__isnull=True, country__in=["", municipality.country]) | Q(municipality=municipality)
    )
    index: dict[str, list[TaxonomyTerm]] = {}
    for term in TaxonomyTerm.objects.filter(taxonomy__in=taxonomies).order_by("taxonomy__code", "code"):
        for name in {term.code, *term.all_names()}:
            index.setdefault(_key(name), []).append(term)
    return index


def _language_codes(text: str) -> tuple[list[str], list[str]]:
    """Language codes from "ro, hu" or "română; maghiară" (ISO 639-1 or the language's name): (codes, unknown)."""
    names: dict[str, str] = {}
    for iso, label in settings.LANGUAGES:
        names[_key(iso)] = iso
        for language in ("ro", "en", "hu", "ru", "uk"):
            with translation.override(language):
                names[_key(str(label))] = iso
    names |= {"romana": "ro", "maghiara": "hu", "rusa": "ru", "ucraineana": "uk", "engleza": "en", "magyar": "hu"}
    codes: list[str] = []
    unknown: list[str] = []
    for part in [p.strip() for p in text.replace(";", ",").replace("/", ",").split(",") if p.strip()]:
        code: str | None = names.get(_key(part))
        if code is None and len(part) == 2 and part.isalpha():
            code = part.lower()  # any other ISO 639-1 code: a service may speak a language the platform does not
        (codes if code else unknown).append(code or part)
    return list(dict.fromkeys(codes)), unknown


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\n", ";").replace("|", ";").split(";") if p.strip()]


@dataclass
class _ServiceRow:
    number: int
    row: dict[str, str]
    organisation: Organisation
    data: dict[str, Any]
    terms: list[TaxonomyTerm]
    existing: Service | None


def _check_service_row(
    table: Table, number: int, row: dict[str, str], org: Organisation, terms: dict[str, list[TaxonomyTerm]]
) -> tuple[dict[str, Any], list[TaxonomyTerm], list[RowError]]:
    errors: list[RowError] = []
    data: dict[str, Any] = {
        "name": row["name"],
        "description": row["description"],
        "email": row["email"],
        "url": row["website"],
    }
    languages, unknown = _language_codes(row["languages"])
    data["languages"] = languages
    if unknown:
        errors.append(
            table.error(number, "languages", _("Unknown languages: %(names)s.") % {"names": ", ".join(unknown)})
        )
    if row["capacity"]:
        if row["capacity"].isdigit():
            data["places_total"] = int(row["capacity"])
        else:
            errors.append(table.error(number, "capacity", _("Give the number of places as a whole number.")))
    chosen: list[TaxonomyTerm] = []
    for name in _split(row["categories"]):
        found = terms.get(_key(name))
        if not found:
            errors.append(
                table.error(
                    number, "categories", _("No category with this code or name: “%(value)s”.") % {"value": name}
                )
            )
        else:
            chosen.append(found[0])
    if row["email"]:
        try:
            EmailValidator()(row["email"])
        except ValidationError as exc:
            errors.extend(table.error(number, "email", m) for m in exc.messages)
    if row["website"]:
        try:
            URLValidator()(row["website"])
        except ValidationError as exc:
            errors.extend(table.error(number, "website", m) for m in exc.messages)
    probe = Service(municipality_id=org.municipality_id, organisation=org, **data)
    try:
        probe.full_clean(exclude=["email", "url", "languages"], validate_unique=False)
    except ValidationError as exc:
        column_of = {"name": "name", "description": "description", "places_total": "capacity"}
        for name, messages in _messages(exc).items():
            errors.extend(table.error(number, column_of.get(name, "name"), m) for m in messages)
    return data, list(dict.fromkeys(chosen)), errors


def services_import(*, actor: Any, municipality: Municipality, file: Any, filename: str) -> ImportResult:
    """The municipality's directory: an HSDS 3.0 package (.zip/.json, through the directory's own importer) or a
    spreadsheet of services. A row naming an organisation's service that exists already updates it. Empty cells
    stay empty: no contact is invented."""
    _require_platform_admin(actor)
    if filename.lower().endswith((".zip", ".json")):
        report = hsds_import_file(actor=actor, municipality=municipality, content=content_of(file), filename=filename)
        if not report.ok:
            raise OnboardingRefused(report.errors)
        return ImportResult(created=report.counts.get("service", 0), notes=report.warnings)
    table = read_table(file=file, filename=filename, columns=SERVICE_COLUMNS)
    orgs = _organisation_index(municipality)
    terms = _term_index(municipality)
    errors: list[RowError] = []
    planned: list[_ServiceRow] = []
    seen: dict[tuple[Any, str], int] = {}
    for number, row in table.rows:
        org = orgs.get(_key(row["organisation"]))
        if org is None:
            errors.append(
                table.error(
                    number,
                    "organisation",
                    _("No organisation with this code or name: “%(value)s”.") % {"value": row["organisation"]},
                )
            )
            continue
        same = (org.pk, _key(row["name"]))
        if same in seen:
            errors.append(table.error(number, "name", _("The same service as row %(row)s.") % {"row": seen[same]}))
            continue
        seen[same] = number
        data, chosen, row_errors = _check_service_row(table, number, row, org, terms)
        errors.extend(row_errors)
        existing = next(
            (s for s in Service.objects.for_tenant(municipality).filter(organisation=org) if _key(s.name) == same[1]),
            None,
        )
        planned.append(_ServiceRow(number, row, org, data, chosen, existing))
    _refuse_if(errors)
    result = ImportResult()
    with transaction.atomic():
        for item in planned:
            if item.existing is not None:
                service = service_update(actor=actor, service=item.existing, data=item.data, terms=item.terms)
                result.updated += 1
            else:
                service = service_create(actor=actor, organisation=item.organisation, data=item.data, terms=item.terms)
                result.created += 1
            if item.row["address"]:
                location = _location_for(
                    municipality=municipality,
                    organisation=item.organisation,
                    name=service.name,
                    address=item.row["address"],
                )
                service_link_location(actor=actor, service=service, location=location)
            if (
                item.row["phone"]
                and not Phone.objects.for_tenant(municipality)
                .filter(service=service, number=item.row["phone"])
                .exists()
            ):
                phone = Phone(municipality=municipality, service=service, number=item.row["phone"], type="voice")
                phone.full_clean(validate_unique=False)
                phone.save()
        audit_record(
            action="onboarding.services.import",
            actor=actor,
            municipality=municipality,
            object_type="onboarding.file",
            object_label=filename[:200],
            changes=result.counts(),
        )
    return result


# --- users ---------------------------------------------------------------------------------------------------

MUNICIPAL_ROLES = [role for role in Role if role != Role.PLATFORM_ADMIN]


def _role_of(text: str) -> str | None:
    wanted = _key(text)
    for role in MUNICIPAL_ROLES:
        names = {_key(role.value)}
        for language in ("ro", "en", "hu", "ru", "uk"):
            with translation.override(language):
                names.add(_key(str(role.label)))
        if wanted in names:
            return role.value
    return None


def _local_authority(municipality: Municipality) -> Organisation | None:
    """Where municipal staff (no organisation named) hold their roles: the one local-authority organisation."""
    found = list(
        Organisation.objects.for_tenant(municipality).filter(sector=Sector.LOCAL_AUTHORITY, is_generic=False)[:2]
    )
    return found[0] if len(found) == 1 else None


@dataclass
class _UserRow:
    number: int
    row: dict[str, str]
    organisation: Organisation
    role: str
    language: str
    existing: User | None


@dataclass
class UsersResult(ImportResult):
    memberships: int = 0
    new_usernames: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "roles": self.memberships}


def users_import(*, actor: Any, municipality: Municipality, file: Any, filename: str) -> UsersResult:
    """The municipality's staff and their roles. An account gets no password: its owner sets one through
    "Forgot your password" with the e-mail address of the row. A username may repeat for a second role; an
    account of this municipality that exists already only gains the roles."""
    _require_platform_admin(actor)
    table = read_table(file=file, filename=filename, columns=USER_COLUMNS)
    orgs = _organisation_index(municipality)
    town_hall = _local_authority(municipality)
    languages = dict(settings.LANGUAGES)
    errors: list[RowError] = []
    planned: list[_UserRow] = []
    first_row: dict[str, dict[str, str]] = {}
    for number, row in table.rows:
        username = row["username"]
        existing = User.objects.filter(username__iexact=username).first()
        if existing is not None and existing.municipality_id != municipality.pk:
            errors.append(table.error(number, "username", _("This username is already taken.")))
            continue
        if row["organisation"]:
            org = orgs.get(_key(row["organisation"]))
            if org is None:
                errors.append(
                    table.error(
                        number,
                        "organisation",
                        _("No organisation with this code or name: “%(value)s”.") % {"value": row["organisation"]},
                    )
                )
                continue
        elif town_hall is None:
            errors.append(
                table.error(
                    number,
                    "organisation",
                    _(
                        "Name the organisation: the municipality has no single local-authority organisation for its own staff."
                    ),
                )
            )
            continue
        else:
            org = town_hall
        role = _role_of(row["role"])
        if role is None:
            errors.append(
                table.error(
                    number,
                    "role",
                    _("Unknown role “%(value)s”; use one of: %(choices)s.")
                    % {"value": row["role"], "choices": ", ".join(str(r.label) for r in MUNICIPAL_ROLES)},
                )
            )
        language = row["language"] or municipality.official_languages[0]
        codes, _unknown = _language_codes(language)
        language = codes[0] if len(codes) == 1 and codes[0] in languages else ""
        if not language:
            errors.append(
                table.error(
                    number, "language", _("Give one of these languages: %(codes)s.") % {"codes": ", ".join(languages)}
                )
            )
        key = username.lower()
        if key in first_row:
            if _key(first_row[key]["email"]) != _key(row["email"]):
                errors.append(
                    table.error(number, "email", _("The same username with another e-mail address than above."))
                )
        else:
            first_row[key] = row
            probe = User(
                username=username,
                email=row["email"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                municipality=municipality,
                preferred_language=language,
            )
            try:
                probe.full_clean(exclude=["password"], validate_unique=False)
                EmailValidator()(row["email"])
            except ValidationError as exc:
                for name, messages in _messages(exc).items():
                    errors.extend(table.error(number, name if name in row else "email", m) for m in messages)
        planned.append(_UserRow(number, row, org, role or "", language, existing))
    _refuse_if(errors)
    result = UsersResult()
    with transaction.atomic():
        accounts: dict[str, User] = {}
        for item in planned:
            key = item.row["username"].lower()
            user = accounts.get(key) or item.existing
            if user is None:
                user = user_create(
                    actor=actor,
                    username=item.row["username"],
                    email=item.row["email"],
                    municipality=municipality,
                    first_name=item.row["first_name"],
                    last_name=item.row["last_name"],
                    preferred_language=item.language,
                )
                result.created += 1
                result.new_usernames.append(user.username)
            elif key not in accounts:
                result.updated += 1
            accounts[key] = user
            membership_grant(actor=actor, user=user, organisation=item.organisation, role=item.role)
            result.memberships += 1
        audit_record(
            action="onboarding.users.import",
            actor=actor,
            municipality=municipality,
            object_type="onboarding.file",
            object_label=filename[:200],
            changes=result.counts(),
        )
    return result


# --- the action plan -----------------------------------------------------------------------------------------


def _plan_refusal(exc: ValidationError, filename: str) -> OnboardingRefused:
    errors: list[RowError | str] = []
    for name, messages in _messages(exc).items():
        column = "" if name == "__all__" else str(FIELD_LABELS.get(name, name))
        errors.extend(RowError(filename, None, column, m) for m in messages)
    return OnboardingRefused(errors)


def plan_mapping_read(*, file: Any, filename: str) -> dict[str, int]:
    """A column mapping given as JSON: {"action": 2, "responsible": 4, …} (plan field → column, from 0)."""
    try:
        data = json.loads(content_of(file).decode("utf-8-sig"))
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in data.items()):
            raise ValueError
    except (ValueError, UnicodeDecodeError) as exc:
        raise OnboardingRefused(
            [RowError(filename, None, "", _("Give the mapping as a JSON object of plan field → column number."))]
        ) from exc
    unknown = sorted(set(data) - set(FIELD_LABELS))
    if unknown:
        raise OnboardingRefused(
            [RowError(filename, None, "", _("Unknown plan fields: %(names)s.") % {"names": ", ".join(unknown)})]
        )
    return data


def plan_import(
    *,
    actor: Any,
    municipality: Municipality,
    file: Any,
    filename: str,
    code: str,
    title: str,
    start_year: int,
    end_year: int,
    mapping: dict[str, int] | None = None,
) -> Plan:
    """The council's action plan from its own table (DOCX/XLSX/CSV), through the plans' guided table import:
    the columns are guessed from the headers unless a mapping is given; any row error refuses the plan."""
    _require_platform_admin(actor)
    try:
        table = plan_table_read(file=io.BytesIO(content_of(file)), filename=filename)
        mapping = mapping if mapping is not None else plan_table_guess_mapping(table=table)
        preview = plan_table_preview(
            municipality=municipality,
            table=table,
            mapping=mapping,
            code=code,
            title=title,
            start_year=start_year,
            end_year=end_year,
        )
        if preview.errors:
            raise OnboardingRefused(
                [RowError(filename, e.row or None, e.field_label, e.message) for e in preview.errors]
            )
        return plan_table_import(
            actor=actor,
            municipality=municipality,
            table=table,
            mapping=mapping,
            code=code,
            title=title,
            start_year=start_year,
            end_year=end_year,
        )
    except OnboardingRefused:
        raise
    except ValidationError as exc:  # the plans' ImportRefused: the file or the plan's fields
        raise _plan_refusal(exc, filename) from exc


# --- the whole onboarding ------------------------------------------------------------------------------------


@dataclass
class OnboardingSummary:
    municipality: Municipality
    counts: dict[str, dict[str, int]]
    new_usernames: list[str]
    plan: Plan | None
    dry_run: bool = False


class _DryRun(Exception):
    """Leaves the transaction of a dry run (or a refused onboarding) with nothing written."""


def _name_of(file: Any, default: str) -> str:
    name = getattr(file, "name", "") or default
    return str(name).replace("\\", "/").rsplit("/", 1)[-1]


PROFILE_FIELDS = (
    "name",
    "slug",
    "country",
    "official_languages",
    "currency",
    "time_zone",
    "statistical_code",
    "population",
    "emergency_contacts",
)


def _profile_errors(profile: dict[str, Any]) -> list[RowError | str]:
    errors: list[RowError | str] = []
    plan = profile.get("plan")
    if not isinstance(plan, dict):
        errors.append(RowError(PROFILE_FILE, None, "plan", _("Give the plan's code, title, start_year and end_year.")))
    else:
        for key in ("code", "title", "start_year", "end_year"):
            if key not in plan:
                errors.append(RowError(PROFILE_FILE, None, f"plan.{key}", _("This field is missing.")))
            elif key.endswith("_year") and not str(plan[key]).isdigit():
                errors.append(RowError(PROFILE_FILE, None, f"plan.{key}", _("Give a year, for example 2026.")))
    unknown = sorted(set(profile) - set(PROFILE_FIELDS) - {"plan"})
    if unknown:
        errors.append(RowError(PROFILE_FILE, None, "", _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}))
    return errors


def municipality_onboard(
    *,
    actor: Any,
    profile: dict[str, Any],
    organisations: Any,
    services: Any,
    users: Any,
    plan: Any,
    plan_mapping: Any = None,
    dry_run: bool = False,
) -> OnboardingSummary:
    """The municipality (``profile``: its fields and its plan's code, title, years) and its four files, in one
    transaction: every file is tried, then a refusal lists the errors of all of them and nothing is kept (nor on
    a dry run). Each file is a Django ``File``/upload (its ``name`` names it in the errors) or an open file."""
    _require_platform_admin(actor)
    errors = _profile_errors(profile)
    if errors:
        raise OnboardingRefused(errors)
    plan_spec = profile["plan"]
    summary: OnboardingSummary | None = None
    try:
        with transaction.atomic():
            try:
                fields: dict[str, Any] = {k: profile.get(k) for k in PROFILE_FIELDS if k in profile}
                municipality = municipality_create(actor=actor, **fields)
            except ValidationError as exc:
                raise OnboardingRefused(
                    [RowError(PROFILE_FILE, None, k, m) for k, ms in _messages(exc).items() for m in ms]
                ) from exc
            counts: dict[str, dict[str, int]] = {}
            new_usernames: list[str] = []
            imported_plan: Plan | None = None
            mapping = None
            if plan_mapping is not None:
                try:
                    mapping = plan_mapping_read(file=plan_mapping, filename=_name_of(plan_mapping, "mapping.json"))
                except OnboardingRefused as exc:
                    errors.extend(exc.errors)
            steps: list[tuple[str, Any, Callable[..., Any]]] = [
                ("organisations", organisations, organisations_import),
                ("services", services, services_import),
                ("users", users, users_import),
            ]
            for key, file, step in steps:
                try:
                    with transaction.atomic():
                        result = step(
                            actor=actor, municipality=municipality, file=file, filename=_name_of(file, f"{key}.csv")
                        )
                    counts[key] = result.counts()
                    new_usernames += getattr(result, "new_usernames", [])
                except OnboardingRefused as exc:
                    errors.extend(exc.errors)
            try:
                with transaction.atomic():
                    imported_plan = plan_import(
                        actor=actor,
                        municipality=municipality,
                        file=plan,
                        filename=_name_of(plan, "plan.xlsx"),
                        code=str(plan_spec["code"]),
                        title=str(plan_spec["title"]),
                        start_year=int(plan_spec["start_year"]),
                        end_year=int(plan_spec["end_year"]),
                        mapping=mapping,
                    )
                counts["plan"] = {
                    "actions": imported_plan.actions.count(),
                    "indicators": imported_plan.indicators.count(),
                }
            except OnboardingRefused as exc:
                errors.extend(exc.errors)
            if errors:
                raise _DryRun
            audit_record(
                action="municipality.onboard",
                actor=actor,
                obj=municipality,
                municipality=municipality,
                changes={"counts": counts, "dry_run": dry_run},
            )
            summary = OnboardingSummary(municipality, counts, new_usernames, imported_plan, dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        if errors:
            raise OnboardingRefused(errors) from None
    assert summary is not None
    return summary
