"""Issue 15: any conforming HSDS 3.0 package in, everything back out.

The package (hsds_package.py) covers every field CareNet reads, with organisations of five countries. Import →
export gives back every field unchanged (ids become ``uuid5(municipality, source id)``: ids are global keys),
a second import of the same package changes nothing, and the export imported elsewhere gives the same again.
"""

import copy
import json
import uuid

import jsonschema
import pytest
from django.utils import translation

from carenet.core.models import Organisation
from carenet.directory.datapackage import export_tables, import_file, tables_to_zip
from carenet.directory.datapackage.schema import UUID_FIELDS
from carenet.directory.models import Contact, HsdsSource, OrganisationIdentifier, Phone, Schedule, Service, Taxonomy
from carenet.testing import HSDS_SCHEMAS

from .hsds_package import package, uid

METADATA = [
    {
        "id": uid("meta-1"),
        "resource_id": uid("service-ro"),
        "resource_type": "service",
        "last_action_date": "2025-03-04",
        "last_action_type": "update",
        "field_name": "name",
        "previous_value": "Meals",
        "replacement_value": "Hot meals ro",
        "updated_by": "editor@example.org",
    }
]
DESCRIPTIONS = [{"id": uid("mtd-1"), "name": "services", "language": "en", "character_set": "UTF-8"}]


def _mapped(tables, municipality):
    """The package as CareNet must give it back from ``municipality``: every id mapped, everything else equal."""
    out = copy.deepcopy(tables)
    for resource, rows in out.items():
        if resource in ("metadata", "meta_table_description"):
            continue
        for row in rows:
            for column in UUID_FIELDS & set(row):
                if row[column]:
                    row[column] = str(uuid.uuid5(municipality.pk, row[column]))
    return out


def _sorted(rows):
    return sorted(rows, key=lambda r: sorted(r.items()))


def _import(municipality, tables):
    with translation.override("en"):
        report = import_file(
            actor=None, municipality=municipality, content=tables_to_zip(tables, name="p"), filename="p.zip"
        )
    assert report.ok, report.errors[:5]
    return report


@pytest.fixture
def source():
    tables = package()
    tables["metadata"] = copy.deepcopy(METADATA)
    tables["meta_table_description"] = copy.deepcopy(DESCRIPTIONS)
    return tables


def _assert_same(expected, exported):
    for resource, rows in expected.items():
        if resource == "carenet_translation":
            continue
        assert _sorted(exported.get(resource, [])) == _sorted(rows), resource


def test_every_field_of_every_country_comes_back_unchanged(baia_mare, source):
    _import(baia_mare, source)
    exported = export_tables(municipality=baia_mare)
    _assert_same(_mapped(source, baia_mare), exported)


def test_a_second_import_of_the_same_package_changes_nothing(baia_mare, source):
    _import(baia_mare, source)
    first = export_tables(municipality=baia_mare)
    counts = (Service.objects.for_tenant(baia_mare).count(), Organisation.objects.for_tenant(baia_mare).count())
    _import(baia_mare, source)
    assert export_tables(municipality=baia_mare) == first
    assert (Service.objects.for_tenant(baia_mare).count(), Organisation.objects.for_tenant(baia_mare).count()) == counts


def test_the_export_imported_elsewhere_gives_the_same_again(baia_mare, balti, source):
    _import(baia_mare, source)
    first = export_tables(municipality=baia_mare)
    first["carenet_translation"] = []
    _import(balti, first)
    _assert_same(_mapped(first, balti), export_tables(municipality=balti))


def test_foreign_identifiers_keep_their_scheme_and_the_local_one_is_the_legal_identifier(baia_mare, balti, source):
    _import(baia_mare, source)
    schemes = set(OrganisationIdentifier.objects.for_tenant(baia_mare).values_list("identifier_scheme", flat=True))
    assert schemes == {"RO-CUI", "MD-IDNO", "GB-COH", "FR-RCS", "US-EIN"}
    ro = Organisation.objects.for_tenant(baia_mare).get(pk=uuid.uuid5(baia_mare.pk, uid("org-ro")))
    gb = Organisation.objects.for_tenant(baia_mare).get(pk=uuid.uuid5(baia_mare.pk, uid("org-gb")))
    assert ro.legal_identifier == "18547290" and gb.legal_identifier == ""
    _import(balti, source)
    md = Organisation.objects.for_tenant(balti).get(pk=uuid.uuid5(balti.pk, uid("org-md")))
    assert md.legal_identifier == "1003600000006"


def test_metadata_files_are_kept_with_the_source(baia_mare, source):
    _import(baia_mare, source)
    kept = HsdsSource.objects.for_tenant(baia_mare).get()
    assert kept.metadata == METADATA and kept.table_descriptions == DESCRIPTIONS


def test_imported_taxonomies_belong_to_the_importing_municipality(baia_mare, balti, source):
    _import(baia_mare, source)
    taxonomy = Taxonomy.objects.get(pk=uuid.uuid5(baia_mare.pk, uid("taxonomy")))
    assert taxonomy.municipality_id == baia_mare.pk
    _import(balti, source)  # the same package elsewhere: its own copy, no collision
    assert Taxonomy.objects.filter(name="Open Eligibility").count() == 2


def test_ids_sharing_their_first_eight_hex_digits_do_not_collide(baia_mare, source):
    twin = copy.deepcopy(source["organization"][0])
    twin["id"] = twin["id"][:8] + str(uuid.uuid4())[8:]
    twin["name"] = "Twin"
    twin["parent_organization_id"] = ""
    source["organization"].append(twin)
    _import(baia_mare, source)
    assert (
        Organisation.objects.for_tenant(baia_mare).filter(name__in=["Twin", source["organization"][0]["name"]]).count()
        == 2
    )


# --- phones, contacts and schedules of organisations, locations, contacts and services at a location --------

LINKS = {
    "phone": ("organization_id", "service_id", "location_id", "contact_id", "service_at_location_id"),
    "contact": ("organization_id", "service_id", "location_id", "service_at_location_id"),
    "schedule": ("service_id", "location_id", "service_at_location_id"),
}
MODEL_FIELD = {
    "organization_id": "organisation_id",
    "service_id": "service_id",
    "location_id": "location_id",
    "contact_id": "contact_id",
    "service_at_location_id": "service_at_location_id",
}
MODELS = {"phone": Phone, "contact": Contact, "schedule": Schedule}
OWNED = [
    ("phone", "phone-org-ro", "organization_id", "org-ro"),
    ("phone", "phone-location-ro", "location_id", "location-ro"),
    ("phone", "phone-contact-ro", "contact_id", "contact-ro"),
    ("phone", "phone-sal-ro", "service_at_location_id", "sal-ro"),
    ("contact", "contact-org-ro", "organization_id", "org-ro"),
    ("contact", "contact-location-ro", "location_id", "location-ro"),
    ("contact", "contact-sal-ro", "service_at_location_id", "sal-ro"),
    ("schedule", "schedule-location-ro", "location_id", "location-ro"),
    ("schedule", "schedule-sal-ro", "service_at_location_id", "sal-ro"),
]
RULES = [
    "a phone of an organisation comes back on the organisation",
    "a phone of a location comes back on the location",
    "a phone of a contact comes back on the contact",
    "a phone of a service at a location comes back on the service at a location",
    "a contact of an organisation comes back on the organisation",
    "a contact of a location comes back on the location",
    "a contact of a service at a location comes back on the service at a location",
    "a schedule of a location comes back on the location",
    "a schedule of a service at a location comes back on the service at a location",
]


def _new(municipality, key):
    return str(uuid.uuid5(municipality.pk, uid(key)))


@pytest.mark.parametrize(("resource", "key", "column", "owner"), OWNED, ids=RULES)
def test_a_phone_contact_or_schedule_comes_back_on_what_it_belongs_to(baia_mare, source, resource, key, column, owner):
    _import(baia_mare, source)
    stored = MODELS[resource].objects.for_tenant(baia_mare).get(pk=_new(baia_mare, key))
    assert str(getattr(stored, MODEL_FIELD[column])) == _new(baia_mare, owner)
    assert all(getattr(stored, MODEL_FIELD[other]) is None for other in LINKS[resource] if other != column)
    (row,) = [r for r in export_tables(municipality=baia_mare)[resource] if r["id"] == _new(baia_mare, key)]
    assert {c: row[c] for c in LINKS[resource] if row[c]} == {column: _new(baia_mare, owner)}


def test_a_phone_contact_or_schedule_whose_only_owner_is_not_in_the_file_is_left_out_with_a_warning(baia_mare, source):
    source["phone"][-1]["contact_id"] = uid("nowhere")
    report = _import(baia_mare, source)
    assert any("phones.csv" in w and "contact_id" in w for w in report.warnings), report.warnings
    assert any("left out" in w for w in report.warnings)
    assert not Phone.objects.for_tenant(baia_mare).filter(pk=_new(baia_mare, "phone-contact-org-us")).exists()


def _validator(name):
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resources(
        (p.name, Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT202012))
        for p in HSDS_SCHEMAS.glob("*.json")
        if p.name != "openapi.json"
    )
    schema = json.loads((HSDS_SCHEMAS / "compiled" / f"{name}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def _valid(name, obj):
    errors = sorted(_validator(name).iter_errors(obj), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    return obj


def _feed(client, municipality):
    """The municipality's whole feed as HSDS 3.0 JSON (services, organisations and services at a location, fully
    nested), each item checked against its compiled schema."""
    base = f"/api/hsds/{municipality.slug}"
    pages = {}
    for name, endpoint in (
        ("service", "services"),
        ("organization", "organizations"),
        ("service_at_location", "service_at_locations"),
    ):
        page = client.get(f"{base}/{endpoint}", {"full": "true", "per_page": 200}).json()
        assert page["contents"] and page["total_items"] == len(page["contents"])
        pages[name] = [_valid(name, item) for item in page["contents"]]
    return pages


def test_the_nested_phones_contacts_and_schedules_validate_against_the_hsds_schemas(client, baia_mare, source):
    _import(baia_mare, source)
    pages = _feed(client, baia_mare)
    ro = _new(baia_mare, "org-ro")
    (org,) = [o for o in pages["organization"] if o["id"] == ro]
    assert [p["id"] for p in org["phones"]] == [_new(baia_mare, "phone-org-ro")]
    (contact,) = org["contacts"]
    assert contact["organization_id"] == ro
    assert [p["contact_id"] for p in contact["phones"]] == [contact["id"]]
    (service,) = [s for s in pages["service"] if s["organization_id"] == ro]
    (sal,) = service["service_at_locations"]
    location = sal["location"]
    assert [p["location_id"] for p in location["phones"]] == [location["id"]]
    assert [c["location_id"] for c in location["contacts"]] == [location["id"]]
    assert [s["location_id"] for s in location["schedules"]] == [location["id"]]
    for key in ("phones", "contacts", "schedules"):
        assert [item["service_at_location_id"] for item in sal[key]] == [sal["id"]], key
    assert [p["contact_id"] for c in service["contacts"] for p in c["phones"]] == [service["contacts"][0]["id"]]
    (detail,) = [s for s in pages["service_at_location"] if s["id"] == sal["id"]]
    assert {k: detail[k] for k in ("phones", "contacts", "schedules")} == {
        k: sal[k] for k in ("phones", "contacts", "schedules")
    }
    one = client.get(f"/api/hsds/{baia_mare.slug}/service_at_locations/{sal['id']}").json()
    _valid("service_at_location", one)
    assert [p["id"] for p in one["location"]["phones"]] == [p["id"] for p in location["phones"]]


def test_the_nested_json_feed_imported_elsewhere_keeps_every_link_and_again_changes_nothing(
    client, baia_mare, balti, source
):
    _import(baia_mare, source)
    pages = _feed(client, baia_mare)
    services = [{**s, "attributes": []} for s in pages["service"]]  # the terms are baia_mare's own taxonomy's
    feed = json.dumps(services + pages["organization"]).encode()
    first = export_tables(municipality=baia_mare)
    for _time in range(2):
        with translation.override("en"):
            report = import_file(actor=None, municipality=balti, content=feed, filename="feed.json")
        assert report.ok, report.errors[:5]
        again = export_tables(municipality=balti)
        expected = _mapped(first, balti)
        for resource in LINKS:
            assert _sorted(again[resource]) == _sorted(expected[resource]), resource
