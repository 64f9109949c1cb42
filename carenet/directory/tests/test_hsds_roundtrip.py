"""Issue 15: any conforming HSDS 3.0 package in, everything back out.

The package (hsds_package.py) covers every field CareNet reads, with organisations of five countries. Import →
export gives back every field unchanged (ids become ``uuid5(municipality, source id)``: ids are global keys),
a second import of the same package changes nothing, and the export imported elsewhere gives the same again.
"""

import copy
import uuid

import pytest
from django.utils import translation

from carenet.core.models import Organisation
from carenet.directory.datapackage import export_tables, import_file, tables_to_zip
from carenet.directory.datapackage.schema import UUID_FIELDS
from carenet.directory.models import HsdsSource, OrganisationIdentifier, Service, Taxonomy

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
