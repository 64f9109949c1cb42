"""The HSDS 3.0 tabular resources CareNet reads and writes: file, columns, required fields, typed fields.

Columns are the scalar fields of HSDS 3.0 ``schema/compiled/tabular.json``; CareNet's translations travel
in an extra resource, ``carenet_translations.csv``.
"""

from __future__ import annotations

from typing import Any

Table = list[dict[str, str]]
Tables = dict[str, Table]

# The key under which a row read from JSON keeps its JSON path ("$[0].phones[1]"), for the error messages.
WHERE = "_where"
# HSDS files CareNet keeps with the source as they are (not loaded into the directory's tables).
EXTRA_FILES = {"metadata": "metadata.csv", "meta_table_description": "meta_table_descriptions.csv"}

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
    "phone": ["id", "number"],  # and one owner at least (validate.OWNERS)
    "contact": ["id"],  # and one owner at least (validate.OWNERS)
    "schedule": ["id"],
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
    "contact_id",
    "service_at_location_id",
    "taxonomy_id",
    "taxonomy_term_id",
    "parent_id",
    "link_id",
    "parent_organization_id",
    "record_id",
}
NUMBER_FIELDS = {
    "minimum_age",
    "maximum_age",
    "latitude",
    "longitude",
    "amount",
    "extension",
    "year_incorporated",
    "timezone",
    "count",
    "interval",
}


def row_of(resource: str, obj: dict[str, Any]) -> dict[str, str]:
    """One CSV row of ``resource`` from an HSDS object: its columns, as text."""
    columns = RESOURCES[resource][1]
    return {c: _cell(obj.get(c)) for c in columns}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)
