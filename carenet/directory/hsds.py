"""Mapping of the directory to Open Referral HSDS 3.0 objects (API, datapackage export, import).

Text fields are given in one language (HSDS has one language per record): the requested one,
falling back to Romanian. Ids of objects CareNet stores as lists on the service (languages) are
uuid5 of the service id, so they are stable across exports.
"""

from __future__ import annotations

import functools
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet, Window

from carenet.core.models import Organisation, OrganisationKind

from .models import (
    SOURCE_LANGUAGE,
    Contact,
    Location,
    OrganisationProfile,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    Taxonomy,
    TaxonomyTerm,
    TranslatedMixin,
)
from .taxonomy_data import NAMESPACE

LANGUAGE_NAMES = {
    "ro": "Română",
    "ru": "Русский",
    "hu": "Magyar",
    "uk": "Українська",
    "en": "English",
}
REQUIRED_TEXT = {"name", "description"}
OPENAPI_PATH = Path(__file__).resolve().parent / "standards" / "hsds-3.0" / "schema" / "openapi.json"
# The scheme CareNet gives the validated legal identifier of an organisation of each country (org-id.guide).
COUNTRY_SCHEME = {"RO": ("RO-CUI", "CIF"), "MD": ("MD-IDNO", "IDNO")}
# What ``organisation_json(full=True)`` reads of an organisation, beside its profile.
ORGANISATION_PREFETCH = ("programs", "hsds_identifiers", "directory_phones", "directory_contacts__phones")
LEGAL_STATUS: dict[str, str] = {
    OrganisationKind.PUBLIC: "public institution",
    OrganisationKind.NGO: "non-governmental organisation",
    OrganisationKind.PRIVATE: "private company",
    OrganisationKind.FAITH: "faith-based organisation",
    OrganisationKind.INTERNATIONAL: "international organisation",
}


def clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional values: HSDS types forbid null, and '' is not a valid uri or e-mail."""
    return {k: v for k, v in obj.items() if v is not None and (v != "" or k in REQUIRED_TEXT)}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def language_id(service_id: Any, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"language:{service_id}:{code}"))


def identifier_id(organisation_id: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, f"identifier:{organisation_id}"))


def taxonomy_json(taxonomy: Taxonomy) -> dict[str, Any]:
    return clean(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    )


def term_json(term: TaxonomyTerm, lang: str | None = None, *, detail: bool = False) -> dict[str, Any]:
    data = clean(
        {
            "id": str(term.id),
            "code": term.code,
            "name": term.name_in(lang),
            "description": term.description,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy_id),
            "language": lang if lang and lang in (term.names or {}) else (getattr(term, "language", "") or "ro"),
            "term_uri": getattr(term, "term_uri", ""),
        }
    )
    if detail:
        data["taxonomy_detail"] = taxonomy_json(term.taxonomy)
    return data


def organisation_json(org: Organisation, lang: str | None = None, *, full: bool = False) -> dict[str, Any]:
    profile: OrganisationProfile | None = getattr(org, "directory_profile", None)
    description = profile.text_in("description", lang) if profile else ""
    data = clean(
        {
            "id": str(org.id),
            "name": (profile.text_in("name", lang) if profile and (profile.translations or {}).get(lang or "") else "")
            or org.name,
            "alternate_name": org.short_name,
            "description": description,
            "email": org.email,
            "website": org.website,
            "tax_status": getattr(profile, "tax_status", ""),
            "tax_id": getattr(profile, "tax_id", "") or org.legal_identifier,
            "year_incorporated": profile.year_incorporated if profile else None,
            "legal_status": getattr(profile, "legal_status", "") or LEGAL_STATUS.get(org.kind, org.kind),
            "logo": getattr(profile, "logo", ""),
            "uri": getattr(profile, "uri", ""),
            "parent_organization_id": str(org.parent_id) if org.parent_id else None,
        }
    )
    if full:
        data["organization_identifiers"] = organisation_identifiers_json(org)
        data["phones"] = organisation_phones_json(org)
        data["contacts"] = [contact_json(c) for c in org.directory_contacts.all()]  # reverse FK from directory
        data["programs"] = [
            clean(
                {
                    "id": str(p.id),
                    "organization_id": str(org.id),
                    "name": p.text_in("name", lang),
                    "alternate_name": p.alternate_name,
                    "description": p.text_in("description", lang),
                }
            )
            for p in org.programs.all()  # reverse FK from directory
        ]
        data["services"] = [service_json(s, lang, full=False, with_organisation=False) for s in org.services.all()]
        data["metadata"] = []
    return data


def organisation_phone_id(organisation_id: Any) -> str:
    """The id of the HSDS phone made of an organisation's own phone field: the same on every export."""
    return str(uuid.uuid5(NAMESPACE, f"org-phone:{organisation_id}"))


def contact_phone_id(contact_id: Any) -> str:
    """The id of the HSDS phone made of a contact's own phone field: the same on every export."""
    return str(uuid.uuid5(NAMESPACE, f"contact-phone:{contact_id}"))


def dialled(number: str) -> str:
    """A phone number as it is dialled (its digits and a leading +): "0262 211-000" is "0262211000"."""
    number = (number or "").strip()
    digits = "".join(c for c in number if c.isdigit())
    if not digits:
        return number
    return ("+" if number.startswith("+") else "") + digits


def organisation_phones_json(org: Organisation) -> list[dict[str, Any]]:
    """The organisation's phones (HSDS keeps phones only in the phone table): those of the directory, and the
    organisation's own phone field as one more (a stable id, ``organisation_phone_id``) unless a directory phone
    of the organisation already has that number."""
    kept = list(org.directory_phones.all())  # reverse FK from directory
    phones = [phone_json(p) for p in kept]
    if org.phone and dialled(org.phone) not in {dialled(p.number) for p in kept}:
        phones.append({"id": organisation_phone_id(org.id), "organization_id": str(org.id), "number": org.phone})
    return phones


def organisation_identifiers_json(org: Organisation) -> list[dict[str, Any]]:
    """The identifiers as imported (any scheme), else the validated legal identifier under its country's scheme."""
    kept = [
        clean(
            {
                "id": str(i.id),
                "organization_id": str(org.id),
                "identifier_scheme": i.identifier_scheme,
                "identifier_type": i.identifier_type,
                "identifier": i.identifier,
            }
        )
        for i in org.hsds_identifiers.all()  # reverse FK from directory
    ]
    if kept or not org.legal_identifier:
        return kept
    scheme, kind = COUNTRY_SCHEME.get(org.municipality.country, COUNTRY_SCHEME["RO"])
    return [
        {
            "id": identifier_id(org.id),
            "organization_id": str(org.id),
            "identifier_scheme": scheme,
            "identifier_type": kind,
            "identifier": org.legal_identifier,
        }
    ]


def _link(value: Any) -> str | None:
    return str(value) if value else None


def phone_json(phone: Phone) -> dict[str, Any]:
    """An HSDS phone with every link it has (organisation, service, location, contact, service at a location)."""
    return clean(
        {
            "id": str(phone.id),
            "organization_id": _link(phone.organisation_id),
            "service_id": _link(phone.service_id),
            "location_id": _link(phone.location_id),
            "contact_id": _link(phone.contact_id),
            "service_at_location_id": _link(phone.service_at_location_id),
            "number": phone.number,
            "extension": phone.extension,
            "type": phone.type,
            "description": phone.description,
        }
    )


def contact_json(contact: Contact) -> dict[str, Any]:
    """An HSDS contact with its links and its own phones (``phones`` prefetched along ``contacts``)."""
    data = clean(
        {
            "id": str(contact.id),
            "organization_id": _link(contact.organisation_id),
            "service_id": _link(contact.service_id),
            "location_id": _link(contact.location_id),
            "service_at_location_id": _link(contact.service_at_location_id),
            "name": contact.name,
            "title": contact.title,
            "department": contact.department,
            "email": contact.email,
        }
    )
    data["phones"] = contact_phones_json(contact)
    return data


def contact_phones_json(contact: Contact) -> list[dict[str, Any]]:
    """The contact's phones: those of the directory, and the contact's own phone field as one more (a stable
    id, ``contact_phone_id``) unless one of them already has that number (as for an organisation)."""
    kept = list(contact.phones.all())
    phones = [phone_json(p) for p in kept]
    if contact.phone and dialled(contact.phone) not in {dialled(p.number) for p in kept}:
        phones.append({"id": contact_phone_id(contact.id), "contact_id": str(contact.id), "number": contact.phone})
    return phones


def _owned(owner: Any) -> dict[str, Any]:
    """The phones, contacts and schedules of a location or a service at a location (HSDS nests them there)."""
    return {
        "phones": [phone_json(p) for p in owner.phones.all()],
        "contacts": [contact_json(c) for c in owner.contacts.all()],
        "schedules": [schedule_json(s) for s in owner.schedules.all()],
    }


def location_json(location: Location, lang: str | None = None, *, links: bool = False) -> dict[str, Any]:
    """A location; ``links``: with its own phones, contacts and schedules (prefetch ``LOCATION_PREFETCH``)."""
    data = clean(
        {
            "id": str(location.id),
            "location_type": location.location_type,
            "organization_id": str(location.organisation_id) if location.organisation_id else None,
            "url": location.url,
            "name": location.text_in("name", lang),
            "alternate_name": location.alternate_name,
            "description": location.text_in("description", lang),
            "transportation": location.transportation,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "external_identifier": location.external_identifier
            or ("approximate" if location.coordinates_approximate else None),
            "external_identifier_type": location.external_identifier_type
            or ("carenet:coordinates_precision" if location.coordinates_approximate else None),
        }
    )
    data["addresses"] = (
        [
            clean(
                {
                    "id": (location.hsds_ids or {}).get("address")
                    or str(uuid.uuid5(NAMESPACE, f"address:{location.id}")),
                    "location_id": str(location.id),
                    "attention": location.attention,
                    "address_1": location.address_1,
                    "address_2": location.address_2,
                    "city": location.city,
                    "region": location.region,
                    "state_province": location.state_province,
                    "postal_code": location.postal_code,
                    "country": location.country,
                    "address_type": location.address_type or "physical",
                }
            )
        ]
        if location.address_1
        else []
    )
    data["accessibility"] = (
        [
            clean(
                {
                    "id": (location.hsds_ids or {}).get("accessibility")
                    or str(uuid.uuid5(NAMESPACE, f"accessibility:{location.id}")),
                    "location_id": str(location.id),
                    "description": location.accessibility,
                    "details": location.accessibility_details,
                    "url": location.accessibility_url,
                }
            )
        ]
        if location.accessibility or location.accessibility_details or location.accessibility_url
        else []
    )
    if links:
        data.update(_owned(location))
    return data


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    return clean(
        {
            "id": str(schedule.id),
            "service_id": _link(schedule.service_id),
            "location_id": _link(schedule.location_id),
            "service_at_location_id": _link(schedule.service_at_location_id),
            "freq": schedule.freq,
            "byday": schedule.byday,
            "opens_at": _time(schedule.opens_at),
            "closes_at": _time(schedule.closes_at),
            "valid_from": _iso(schedule.valid_from),
            "valid_to": _iso(schedule.valid_to),
            "dtstart": schedule.dtstart,
            "timezone": schedule.timezone,
            "until": schedule.until,
            "count": schedule.count,
            "wkst": schedule.wkst,
            "interval": schedule.interval,
            "byweekno": schedule.byweekno,
            "bymonthday": schedule.bymonthday,
            "byyearday": schedule.byyearday,
            "description": schedule.description,
            "schedule_link": schedule.schedule_link,
            "attending_type": schedule.attending_type,
            "notes": schedule.notes,
        }
    )


def service_json(
    service: Service, lang: str | None = None, *, full: bool = True, with_organisation: bool = True
) -> dict[str, Any]:
    sid = str(service.id)
    data = clean(
        {
            "id": sid,
            "organization_id": str(service.organisation_id),
            "program_id": str(service.program_id) if service.program_id else None,
            "name": service.text_in("name", lang),
            "alternate_name": service.alternate_name,
            "description": service.text_in("description", lang),
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "interpretation_services": service.interpretation_services,
            "application_process": service.text_in("application_process", lang),
            "fees_description": service.fees_description,
            "wait_time": service.wait_time,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "eligibility_description": service.text_in("eligibility_description", lang),
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _iso(service.last_verified_at.date()) if service.last_verified_at else None,
            "assurer_email": service.assurer_email,
            "licenses": service.licenses,
            "alert": service.alert,
            "last_modified": _iso(service.updated_at),
        }
    )
    if with_organisation:
        data["organization"] = organisation_json(service.organisation, lang)
    if service.program_id and service.program is not None:
        data["program"] = clean(
            {
                "id": str(service.program.id),
                "organization_id": str(service.program.organisation_id),
                "name": service.program.text_in("name", lang),
                "description": service.program.text_in("description", lang),
            }
        )
    if not full:
        return data
    data["phones"] = [phone_json(p) for p in service.phones.all()]
    data["schedules"] = [schedule_json(s) for s in service.schedules.all()]
    data["service_areas"] = [
        clean(
            {
                "id": str(a.id),
                "service_id": sid,
                "name": a.name,
                "description": a.description,
                "extent": a.extent,
                "extent_type": a.extent_type,
                "uri": a.uri,
            }
        )
        for a in service.service_areas.all()
    ]
    data["service_at_locations"] = [
        {
            **clean(
                {
                    "id": str(sal.id),
                    "service_id": sid,
                    "location_id": str(sal.location_id),
                    "description": sal.description,
                    "location": location_json(sal.location, lang, links=True),
                }
            ),
            **_owned(sal),
        }
        for sal in service.service_at_locations.all()
    ]
    data["languages"] = [languages_json(service, code) for code in service.languages or []]
    data["funding"] = [{"id": str(f.id), "service_id": sid, "source": f.source} for f in service.funding.all()]
    data["cost_options"] = [
        clean(
            {
                "id": str(c.id),
                "service_id": sid,
                "option": c.option,
                "amount": _number(c.amount),
                "currency": c.currency,
                "amount_description": c.amount_description,
                "valid_from": _iso(c.valid_from),
                "valid_to": _iso(c.valid_to),
            }
        )
        for c in service.cost_options.all()
    ]
    data["required_documents"] = [
        clean({"id": str(d.id), "service_id": sid, "document": d.document, "uri": d.uri})
        for d in service.required_documents.all()
    ]
    data["contacts"] = [contact_json(c) for c in service.contacts.all()]
    data["attributes"] = [
        clean(
            {
                "id": str(a.id),
                "link_id": sid,
                "link_type": a.link_type or "service",
                "link_entity": "service",
                "taxonomy_term_id": str(a.taxonomy_term_id),
                "value": a.value,
                "taxonomy_term": term_json(a.taxonomy_term, lang),
            }
        )
        for a in service.attributes.all()
    ]
    data["metadata"] = []
    return data


def languages_json(service: Any, code: str) -> dict[str, Any]:
    """One language of a service: an imported one keeps its id, name and note; CareNet's own get stable ids."""
    detail = (getattr(service, "language_details", None) or {}).get(code, {})
    return clean(
        {
            "id": detail.get("id") or language_id(service.id, code),
            "service_id": str(service.id),
            "code": code,
            "name": detail.get("name") or LANGUAGE_NAMES.get(code, code),
            "note": detail.get("note", ""),
        }
    )


def service_minimal_json(service: Service) -> dict[str, Any]:
    """``minimal=true``: just enough to know what changed (id and last modification), and the required fields."""
    return clean(
        {
            "id": str(service.id),
            "name": service.name,
            "status": service.status,
            "last_modified": _iso(service.updated_at),
        }
    )


def service_at_location_json(sal: ServiceAtLocation, lang: str | None = None, *, full: bool = False) -> dict[str, Any]:
    data = clean(
        {
            "id": str(sal.id),
            "service_id": str(sal.service_id),
            "location_id": str(sal.location_id),
            "description": sal.description,
            "location": location_json(sal.location, lang, links=full),
            "service": service_json(sal.service, lang, full=full),
        }
    )
    if full:
        data.update(_owned(sal))
        data["attributes"], data["metadata"] = [], []
    return data


def with_sal_relations(qs: QuerySet[ServiceAtLocation]) -> QuerySet[ServiceAtLocation]:
    """A service-at-location with its service fully nested (``full=true`` and the detail)."""
    return qs.select_related(
        "location", "service", "service__organisation", "service__organisation__directory_profile", "service__program"
    ).prefetch_related(
        *_lookups(
            [
                *OWNED_PREFETCH,
                *(f"location__{name}" for name in OWNED_PREFETCH),
                *(f"service__{name}" for name in SERVICE_PREFETCH),
            ]
        )
    )


def with_hsds_relations(qs: QuerySet[Service], *, full: bool) -> QuerySet[Service]:
    qs = qs.select_related("organisation", "organisation__directory_profile", "program")
    if not full:
        return qs
    # SERVICE_PREFETCH, with the locations and the terms joined rather than fetched on their own
    lookups = _lookups(
        [
            Prefetch("service_at_locations", queryset=ServiceAtLocation.plain.select_related("location")),
            *(name for name in SERVICE_PREFETCH if name != "service_at_locations__location" and name != TERMS),
            Prefetch("attributes", queryset=ServiceAttribute.plain.select_related("taxonomy_term__taxonomy")),
        ]
    )
    return qs.prefetch_related(*lookups)


def _lookups(items: list[Any]) -> list[Any]:
    """Prefetch lookups as a plain list (the type checker's Django plugin cannot follow computed ones)."""
    return items


# The phones, contacts (with theirs) and schedules of a location or a service at a location.
OWNED_PREFETCH = ("phones", "contacts__phones", "schedules")
TERMS = "attributes__taxonomy_term__taxonomy"
SERVICE_PREFETCH = (
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations__location",
    *(f"service_at_locations__{name}" for name in OWNED_PREFETCH),
    *(f"service_at_locations__location__{name}" for name in OWNED_PREFETCH),
    "funding",
    "cost_options",
    "required_documents",
    "contacts__phones",
    TERMS,
)


# --- the service list (full=false) from narrow rows ------------------------------------------------

# What ``service_json(full=False)`` reads, and nothing else: one query, plain values instead of four
# wide model objects (service, organisation, profile, programme) per row.
_SERVICE_COLUMNS = (
    "id",
    "organisation_id",
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
    "last_verified_at",
    "assurer_email",
    "licenses",
    "alert",
    "updated_at",
    "translations",
)
_RELATED_COLUMNS = {
    "organisation__name": "o_name",
    "organisation__short_name": "o_short_name",
    "organisation__email": "o_email",
    "organisation__website": "o_website",
    "organisation__legal_identifier": "o_legal_identifier",
    "organisation__kind": "o_kind",
    "organisation__parent_id": "o_parent_id",
    "organisation__directory_profile__description": "p_description",
    "organisation__directory_profile__translations": "p_translations",
    "organisation__directory_profile__year_incorporated": "p_year_incorporated",
    "organisation__directory_profile__tax_status": "p_tax_status",
    "organisation__directory_profile__tax_id": "p_tax_id",
    "organisation__directory_profile__legal_status": "p_legal_status",
    "organisation__directory_profile__logo": "p_logo",
    "organisation__directory_profile__uri": "p_uri",
    "program__organisation_id": "g_organisation_id",
    "program__name": "g_name",
    "program__description": "g_description",
    "program__translations": "g_translations",
}


class _Row:
    """Attribute access over plain values, with the models' ``text_in``: what the *_json functions read."""

    text_in = TranslatedMixin.text_in

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _service_row(v: dict[str, Any]) -> Any:
    organisation = _Row(
        id=v["organisation_id"],
        name=v["o_name"],
        short_name=v["o_short_name"],
        email=v["o_email"],
        website=v["o_website"],
        legal_identifier=v["o_legal_identifier"],
        kind=v["o_kind"],
        parent_id=v["o_parent_id"],
        directory_profile=None
        if v["p_description"] is None  # a NOT NULL column: None only when the LEFT JOIN found no profile
        else _Row(
            name=v["o_name"],
            description=v["p_description"],
            translations=v.get("p_translations", {}),
            year_incorporated=v["p_year_incorporated"],
            tax_status=v["p_tax_status"],
            tax_id=v["p_tax_id"],
            legal_status=v["p_legal_status"],
            logo=v["p_logo"],
            uri=v["p_uri"],
        ),
    )
    program = (
        None
        if v["program_id"] is None
        else _Row(
            id=v["program_id"],
            organisation_id=v["g_organisation_id"],
            name=v["g_name"],
            description=v["g_description"],
            translations=v.get("g_translations", {}),
        )
    )
    return _Row(
        **{c: v.get(c, {}) for c in _SERVICE_COLUMNS},  # only "translations" may be left out
        organisation=organisation,
        program=program,
    )


def service_list_page(
    qs: QuerySet[Service], *, offset: int, limit: int, lang: str | None = None
) -> tuple[int, list[Any]]:
    """The total and one page of ``qs`` (in its order) for ``service_json(row, lang, full=False)``: the same
    output as from model objects, from ONE query (the total is a window count of the same scan)."""
    fields: list[str] = list(_SERVICE_COLUMNS)
    related = dict(_RELATED_COLUMNS)
    if not lang or lang == SOURCE_LANGUAGE:  # Romanian is in the plain columns: no JSON to read
        fields.remove("translations")
        related = {path: alias for path, alias in related.items() if not alias.endswith("_translations")}
    columns = {alias: F(path) for path, alias in related.items()}
    if qs.query.distinct:  # a window counts the rows before DISTINCT: count on its own
        total = qs.count()
        return total, [_service_row(v) for v in qs.values(*fields, **columns)[offset : offset + limit]]
    values = qs.annotate(_total=Window(Count("pk"))).values("_total", *fields, **columns)
    page = list(values[offset : offset + limit])
    # an empty page: nothing found, or past the last page (then the total is counted on its own)
    total = page[0]["_total"] if page else (qs.count() if offset else 0)
    return total, [_service_row(v) for v in page]


# --- the service list (full=false) in hand-written SQL ---------------------------------------------
#
# The default HSDS answer (``/services`` and its search, without ``full``/``minimal``/``ndjson``) is asked far
# more than any other. Built through the ORM (``filter_services`` + ``service_list_page``), about three quarters
# of its time went into composing the query (five joins, a rank of one CASE per word, a subquery per filter) and
# into building the JSON through ``_Row`` objects. Here the same statement is written out once, and each row of
# it goes straight to its HSDS dict. ``service_search_page`` must answer exactly what
# ``service_list_page`` + ``service_json(full=False)`` answer for ``filter_services``'s rows: the tests compare
# both for every filter, language and page (carenet/api/tests/test_hsds_fast.py).

_SQL_SERVICE_COLUMNS = (
    "s.id, s.organisation_id, s.program_id, s.name, s.alternate_name, s.description, s.url, s.email, s.status, "
    "s.interpretation_services, s.application_process, s.fees_description, s.wait_time, s.fees, s.accreditations, "
    "s.eligibility_description, s.minimum_age, s.maximum_age, s.last_verified_at, s.assurer_email, s.licenses, "
    "s.alert, s.updated_at, o.name, o.short_name, o.email, o.website, o.legal_identifier, o.kind, o.parent_id, "
    "p.description, p.year_incorporated, p.tax_status, p.tax_id, p.legal_status, p.logo, p.uri, "
    "g.organisation_id, g.name, g.description"
)
_SQL_TRANSLATION_COLUMNS = ", s.translations, p.translations, g.translations"


@functools.cache
def _tables() -> dict[str, str]:
    from .models import Program, SearchToken

    return {
        "service": Service._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "profile": OrganisationProfile._meta.db_table,
        "program": Program._meta.db_table,
        "attribute": ServiceAttribute._meta.db_table,
        "term": TaxonomyTerm._meta.db_table,
        "token": SearchToken._meta.db_table,
    }


def _uuid_text(value: Any) -> str:
    """A UUID column as ``str(uuid.UUID)`` writes it: SQLite holds 32 hex digits, PostgreSQL gives UUIDs."""
    if isinstance(value, str) and len(value) == 32:
        value = value.lower()
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value) if isinstance(value, uuid.UUID) else str(uuid.UUID(str(value)))


def _json_value(value: Any) -> Any:
    """A JSON column as ``JSONField`` reads it (text on both backends here, a dict if the driver decoded it)."""
    import json

    if isinstance(value, str):
        return json.loads(value)
    return value if value is not None else {}


def _translated(translations: Any, lang: str, field: str, base: Any) -> str:
    """``TranslatedMixin.text_in`` for a language other than the source one."""
    return (translations or {}).get(lang, {}).get(field, "") or base or ""


def _service_search_sql(
    connection: Any,
    *,
    municipality_id: Any,
    words: list[str],
    taxonomy_term_ids: list[Any],
    taxonomy_ids: list[Any],
    organisation_ids: list[Any],
    modified_after: Any,
) -> tuple[str, list[Any]]:
    """The WHERE clause of ``filter_services`` over ``s`` (the service table), with its parameters."""
    from .text import prefix_upper_bound

    t = _tables()
    native = connection.features.has_native_uuid_field

    def key(value: Any) -> Any:
        value = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        return value if native else value.hex

    where: list[str] = []
    params: list[Any] = []
    if municipality_id is not None:
        where.append("s.municipality_id = %s")
        params.append(key(municipality_id))
    for term_id in taxonomy_term_ids:  # each term (an attribute is unique per service and term: a join is EXISTS)
        where.append(
            f"EXISTS (SELECT 1 FROM {t['attribute']} a WHERE a.service_id = s.id"  # noqa: S608
            " AND a.municipality_id = s.municipality_id AND a.taxonomy_term_id = %s)"
        )
        params.append(key(term_id))
    if taxonomy_ids:  # any of them
        marks = ", ".join(["%s"] * len(taxonomy_ids))
        where.append(
            f"s.id IN (SELECT a.service_id FROM {t['attribute']} a INNER JOIN {t['term']} tt"  # noqa: S608
            f" ON a.taxonomy_term_id = tt.id WHERE tt.taxonomy_id IN ({marks}))"
        )
        params += [key(i) for i in taxonomy_ids]
    if organisation_ids:
        where.append(f"s.organisation_id IN ({', '.join(['%s'] * len(organisation_ids))})")
        params += [key(i) for i in organisation_ids]
    if modified_after is not None:
        where.append("s.updated_at >= %s")
        params.append(connection.ops.adapt_datetimefield_value(modified_after))
    if words:
        # selectors._narrow_by_words: the rarest word by its tokens, the others on the search text
        token_where, token_params = "", []
        if municipality_id is not None:
            token_where, token_params = "municipality_id = %s AND ", [key(municipality_id)]
        ranges: list[tuple[str, list[Any]]] = []
        for word in words:
            bound = prefix_upper_bound(word)
            ranges.append(
                (
                    token_where + "token >= %s" + (" AND token < %s" if bound else ""),
                    [*token_params, word, *([bound] if bound else [])],
                )
            )
        rarest = 0
        if len(words) > 1:
            counts = ", ".join(f"(SELECT COUNT(*) FROM {t['token']} WHERE {cond})" for cond, _ in ranges)  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {counts}", [p for _, ps in ranges for p in ps])
                found = list(cursor.fetchone())
            rarest = found.index(min(found))  # the first of the rarest, as min() over the words
        where.append(f"s.id IN (SELECT service_id FROM {t['token']} WHERE {ranges[rarest][0]})")  # noqa: S608
        params += ranges[rarest][1]
        for i, word in enumerate(words):
            if i != rarest and word != words[rarest]:
                where.append("(s.search_text LIKE %s OR s.search_text LIKE %s)")
                params += [word + "%", "% " + word + "%"]
    return (" AND ".join(where) or "1 = 1"), params


def service_search_page(
    *,
    municipality_id: Any,
    search: str = "",
    taxonomy_term_ids: list[Any] | None = None,
    taxonomy_ids: list[Any] | None = None,
    organisation_ids: list[Any] | None = None,
    modified_after: Any = None,
    offset: int,
    limit: int,
    lang: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """The total and one page of the public services of a municipality (its id; None: every municipality)
    matching the HSDS ``/services`` filters, as ``service_json(…, full=False)`` dicts, in the order of
    ``filter_services``: one statement (two for a search of several words: their tokens counted first)."""
    from django.db import connections, router
    from django.utils import timezone

    from .text import normalise, tokens

    connection = connections[router.db_for_read(Service)]  # the database the ORM would read these rows from
    words = tokens(search)
    where, params = _service_search_sql(
        connection,
        municipality_id=municipality_id,
        words=words,
        taxonomy_term_ids=taxonomy_term_ids or [],
        taxonomy_ids=taxonomy_ids or [],
        organisation_ids=organisation_ids or [],
        modified_after=modified_after,
    )
    if words:
        phrase = normalise(search)
        cases = [f"CASE WHEN s.search_name LIKE %s THEN {len(words) + 1} ELSE 0 END"]
        cases += ["CASE WHEN s.search_name LIKE %s THEN 1 ELSE 0 END"] * len(words)
        order, order_params = f"({' + '.join(cases)}) DESC, s.name ASC, s.id ASC", [f"%{w}%" for w in (phrase, *words)]
    else:
        order, order_params = "s.name ASC, s.id ASC", []
    translated = bool(lang) and lang != SOURCE_LANGUAGE
    t = _tables()
    sql = (
        f"SELECT COUNT(s.id) OVER (), {_SQL_SERVICE_COLUMNS}{_SQL_TRANSLATION_COLUMNS if translated else ''} "  # noqa: S608
        f"FROM {t['service']} s "
        f"INNER JOIN {t['organisation']} o ON s.organisation_id = o.id AND o.municipality_id = s.municipality_id "
        f"LEFT OUTER JOIN {t['profile']} p ON o.id = p.organisation_id AND o.municipality_id = p.municipality_id "
        f"LEFT OUTER JOIN {t['program']} g ON s.program_id = g.id AND g.municipality_id = s.municipality_id "
        f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *order_params, int(limit), int(offset)])
        rows = cursor.fetchall()
        if rows:
            total = int(rows[0][0])
        elif offset:  # past the last page: counted on its own
            cursor.execute(f"SELECT COUNT(*) FROM {t['service']} s WHERE {where}", params)  # noqa: S608
            total = int(cursor.fetchone()[0])
        else:
            total = 0
    zone = connection.timezone
    return total, [_service_search_json(row, lang if translated else None, zone, timezone) for row in rows]


def _service_search_json(r: Any, lang: str | None, zone: Any, timezone: Any) -> dict[str, Any]:
    """One row of ``service_search_page`` as ``service_json(…, full=False)`` gives it (same keys, same order)."""
    (
        _total,
        sid,
        organisation_id,
        program_id,
        name,
        alternate_name,
        description,
        url,
        email,
        status,
        interpretation_services,
        application_process,
        fees_description,
        wait_time,
        fees,
        accreditations,
        eligibility_description,
        minimum_age,
        maximum_age,
        last_verified_at,
        assurer_email,
        licenses,
        alert,
        updated_at,
        o_name,
        o_short_name,
        o_email,
        o_website,
        o_legal_identifier,
        o_kind,
        o_parent_id,
        p_description,
        p_year_incorporated,
        p_tax_status,
        p_tax_id,
        p_legal_status,
        p_logo,
        p_uri,
        g_organisation_id,
        g_name,
        g_description,
    ) = r[:41]
    if lang is None:
        name, description = name or "", description or ""
        application_process, eligibility_description = application_process or "", eligibility_description or ""
        o_description = p_description or ""
        g_name, g_description = g_name or "", g_description or ""
    else:
        s_tr, p_tr, g_tr = (_json_value(v) for v in r[41:44])
        name = _translated(s_tr, lang, "name", name)
        description = _translated(s_tr, lang, "description", description)
        application_process = _translated(s_tr, lang, "application_process", application_process)
        eligibility_description = _translated(s_tr, lang, "eligibility_description", eligibility_description)
        o_description = _translated(p_tr, lang, "description", p_description) if p_description is not None else ""
        if p_description is not None and (p_tr or {}).get(lang):
            o_name = _translated(p_tr, lang, "name", o_name) or o_name
        g_name = _translated(g_tr, lang, "name", g_name)
        g_description = _translated(g_tr, lang, "description", g_description)
    if updated_at is not None:
        if isinstance(updated_at, str):
            from django.utils.dateparse import parse_datetime

            updated_at = parse_datetime(updated_at)
        if timezone.is_naive(updated_at):
            updated_at = timezone.make_aware(updated_at, zone)
    if isinstance(last_verified_at, str):
        from django.utils.dateparse import parse_datetime

        last_verified_at = parse_datetime(last_verified_at)
    if last_verified_at is not None and timezone.is_naive(last_verified_at):
        last_verified_at = timezone.make_aware(last_verified_at, zone)
    organisation_id = _uuid_text(organisation_id)
    profile = p_description is not None  # a NOT NULL column: None only when the LEFT JOIN found no profile
    data = clean(
        {
            "id": _uuid_text(sid),
            "organization_id": organisation_id,
            "program_id": _uuid_text(program_id) if program_id else None,
            "name": name,
            "alternate_name": alternate_name,
            "description": description,
            "url": url,
            "email": email,
            "status": status,
            "interpretation_services": interpretation_services,
            "application_process": application_process,
            "fees_description": fees_description,
            "wait_time": wait_time,
            "fees": fees,
            "accreditations": accreditations,
            "eligibility_description": eligibility_description,
            "minimum_age": minimum_age,
            "maximum_age": maximum_age,
            "assured_date": last_verified_at.date().isoformat() if last_verified_at else None,
            "assurer_email": assurer_email,
            "licenses": licenses,
            "alert": alert,
            "last_modified": updated_at.isoformat() if updated_at is not None else None,
        }
    )
    data["organization"] = clean(
        {
            "id": organisation_id,
            "name": o_name,
            "alternate_name": o_short_name,
            "description": o_description,
            "email": o_email,
            "website": o_website,
            "tax_status": p_tax_status if profile else "",
            "tax_id": (p_tax_id if profile else "") or o_legal_identifier,
            "year_incorporated": p_year_incorporated if profile else None,
            "legal_status": (p_legal_status if profile else "") or LEGAL_STATUS.get(o_kind, o_kind),
            "logo": p_logo if profile else "",
            "uri": p_uri if profile else "",
            "parent_organization_id": _uuid_text(o_parent_id) if o_parent_id else None,
        }
    )
    if program_id:
        data["program"] = clean(
            {
                "id": _uuid_text(program_id),
                "organization_id": _uuid_text(g_organisation_id) if g_organisation_id is not None else "None",
                "name": g_name,
                "description": g_description,
            }
        )
    return data
