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
from carenet.directory import hsds
from carenet.directory.datapackage import export_tables, import_file, tables_to_zip
from carenet.directory.datapackage.schema import UUID_FIELDS
from carenet.directory.models import (
    Contact,
    HsdsSource,
    OrganisationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceAttribute,
    Taxonomy,
    TaxonomyTerm,
)
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
    feed = json.dumps(pages["service"] + pages["organization"]).encode()  # terms of baia_mare's own taxonomy too
    first = export_tables(municipality=baia_mare)
    for _time in range(2):
        with translation.override("en"):
            report = import_file(actor=None, municipality=balti, content=feed, filename="feed.json")
        assert report.ok, report.errors[:5]
        again = export_tables(municipality=balti)
        expected = _mapped(first, balti)
        for resource in LINKS:
            assert _sorted(again[resource]) == _sorted(expected[resource]), resource


# --- an organisation's own phone (Organisation.phone): HSDS keeps phones only in the phone table -------------


def _phones_of(tables, organisation):
    return [r for r in tables["phone"] if r["organization_id"] == str(organisation.pk)]


def test_an_organisations_own_phone_is_exported_as_its_phone_under_an_id_every_export_repeats(baia_mare, org_a):
    org_a.phone = "0262 211 000"
    org_a.save()
    first = export_tables(municipality=baia_mare)
    assert _phones_of(first, org_a) == [
        {
            **dict.fromkeys(first["phone"][0], ""),
            "id": hsds.organisation_phone_id(org_a.pk),
            "organization_id": str(org_a.pk),
            "number": "0262 211 000",
        }
    ]
    assert export_tables(municipality=baia_mare)["phone"] == first["phone"]


def test_an_organisations_phone_imported_elsewhere_fills_its_phone_field_and_exports_the_same_again(
    baia_mare, balti, org_a
):
    org_a.phone = "0262 211 000"
    org_a.save()
    first = export_tables(municipality=baia_mare)
    _import(balti, first)
    copy_of_a = Organisation.objects.for_tenant(balti).get(pk=uuid.uuid5(balti.pk, str(org_a.pk)))
    assert copy_of_a.phone == "0262 211 000"
    assert _sorted(export_tables(municipality=balti)["phone"]) == _sorted(_mapped(first, balti)["phone"])


def test_an_organisations_phone_that_is_already_one_of_its_directory_phones_is_exported_once(baia_mare, org_a):
    org_a.phone = "0262 211 000"
    org_a.save()
    kept = Phone.objects.create(municipality=baia_mare, organisation=org_a, number="0262 211-000", type="voice")
    assert [r["id"] for r in _phones_of(export_tables(municipality=baia_mare), org_a)] == [str(kept.pk)]
    assert [p["id"] for p in hsds.organisation_json(org_a, full=True)["phones"]] == [str(kept.pk)]


def test_a_contacts_own_phone_is_exported_and_imported_back_into_its_field(baia_mare, balti, org_a):
    contact = Contact.objects.create(municipality=baia_mare, organisation=org_a, name="Ana Pop", phone="0744 000 111")
    first = export_tables(municipality=baia_mare)
    assert [r["number"] for r in first["phone"] if r.get("contact_id") == str(contact.pk)] == ["0744 000 111"]
    _import(balti, first)
    copy = Contact.objects.for_tenant(balti).get(pk=uuid.uuid5(balti.pk, str(contact.pk)))
    assert copy.phone == "0744 000 111"
    assert _sorted(export_tables(municipality=balti)["phone"]) == _sorted(_mapped(first, balti)["phone"])


def test_a_contacts_phone_that_is_already_one_of_its_phones_is_exported_once(baia_mare, org_a):
    contact = Contact.objects.create(municipality=baia_mare, organisation=org_a, name="Ana Pop", phone="0744 000 111")
    kept = Phone.objects.create(municipality=baia_mare, contact=contact, number="0744-000-111", type="voice")
    rows = [r for r in export_tables(municipality=baia_mare)["phone"] if r.get("contact_id") == str(contact.pk)]
    assert [r["id"] for r in rows] == [str(kept.pk)]


# --- taxonomy terms in nested JSON: each municipality resolves or makes them in its own tenant ----------------


def _nested_services(municipality):
    """The municipality's services as its public feed nests them (``full=true``): each with its terms."""
    services = hsds.with_hsds_relations(Service.objects.for_tenant(municipality), full=True).order_by("id")
    return json.dumps([hsds.service_json(s, None, full=True) for s in services]).encode()


def _import_json(municipality, content):
    with translation.override("en"):
        report = import_file(actor=None, municipality=municipality, content=content, filename="feed.json")
    assert report.ok, report.errors[:5]
    return report


def _terms_used(municipality):
    """(term, its taxonomy, the taxonomy's municipality) of every term the municipality's services use."""
    attributes = ServiceAttribute.objects.for_tenant(municipality).select_related("taxonomy_term__taxonomy")
    return {
        (a.taxonomy_term.name, a.taxonomy_term.taxonomy.name, a.taxonomy_term.taxonomy.municipality_id)
        for a in attributes
    }


def test_terms_of_a_taxonomy_another_municipality_imported_load_from_nested_json_as_the_importers_own(
    baia_mare, balti, source
):
    _import(baia_mare, source)
    baia_mare_terms = set(TaxonomyTerm.objects.filter(taxonomy__municipality=baia_mare).values_list("pk", flat=True))
    report = _import_json(balti, _nested_services(baia_mare))
    assert _terms_used(balti) == {("Meals", "Open Eligibility", balti.pk)}
    assert ServiceAttribute.objects.for_tenant(balti).count() == len(source["attribute"])
    assert not ServiceAttribute.objects.for_tenant(balti).filter(taxonomy_term__in=baia_mare_terms).exists()
    assert set(TaxonomyTerm.objects.filter(taxonomy__municipality=baia_mare).values_list("pk", flat=True)) == (
        baia_mare_terms
    )
    assert _terms_used(baia_mare) == {("Meals", "Open Eligibility", baia_mare.pk)}
    # "Food", the parent, is baia_mare's and not in the feed: the link is left out, not made to baia_mare's term
    (meals,) = TaxonomyTerm.objects.filter(taxonomy__municipality=balti)
    assert meals.parent_id is None
    assert any("parent_id" in w and "left out" in w for w in report.warnings), report.warnings


def test_a_municipality_importing_nested_json_again_resolves_the_terms_it_already_holds(baia_mare, balti, source):
    _import(baia_mare, source)
    feed = _nested_services(baia_mare)
    _import_json(balti, feed)
    held = set(TaxonomyTerm.objects.filter(taxonomy__municipality=balti).values_list("pk", "taxonomy_id"))
    _import_json(balti, feed)  # imported before: the same terms, updated
    assert set(TaxonomyTerm.objects.filter(taxonomy__municipality=balti).values_list("pk", "taxonomy_id")) == held
    baia_mare_terms = set(TaxonomyTerm.objects.filter(taxonomy__municipality=baia_mare).values_list("pk", flat=True))
    _import_json(baia_mare, feed)  # its own feed: its own terms, as they are
    assert set(TaxonomyTerm.objects.filter(taxonomy__municipality=baia_mare).values_list("pk", flat=True)) == (
        baia_mare_terms
    )
    used = ServiceAttribute.objects.for_tenant(baia_mare).values_list("taxonomy_term_id", flat=True)
    assert set(used) <= baia_mare_terms


def test_an_attribute_naming_another_municipalitys_term_by_id_alone_is_refused_never_attached_to_it(
    baia_mare, balti, source
):
    _import(baia_mare, source)
    (baia_mare_term,) = TaxonomyTerm.objects.filter(taxonomy__municipality=baia_mare, code="100-1")
    tables = package()
    tables["taxonomy"], tables["taxonomy_term"] = [], []
    for row in tables["attribute"]:
        row["taxonomy_term_id"] = str(baia_mare_term.pk)
    with translation.override("en"):
        report = import_file(actor=None, municipality=balti, content=tables_to_zip(tables, name="p"), filename="p.zip")
    assert any("attributes.csv" in e and "unknown taxonomy term" in e for e in report.errors), report.errors
    assert not Service.objects.for_tenant(balti).exists()
