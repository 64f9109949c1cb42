import csv
import io
import json
import uuid
import zipfile

import pytest
from django.utils import translation

from carenet.audit.models import AuditEvent
from carenet.core import demo as core_demo
from carenet.core.models import Municipality, Organisation
from carenet.directory import demo, hsds
from carenet.directory.datapackage import export_tables, export_zip, import_file, read_zip, tables_to_zip
from carenet.directory.models import Service, TaxonomyTerm

UUID_COLUMNS = {
    "id",
    "organization_id",
    "program_id",
    "service_id",
    "location_id",
    "link_id",
    "parent_organization_id",
    "record_id",
}


@pytest.fixture
def demo_tenants(db):
    core_demo.load()
    demo.load()
    baia_mare = Municipality.objects.get(slug="baia-mare")
    service = Service.objects.for_tenant(baia_mare).get(name__startswith="SERVICIU ÎNGRIJIRI")
    service.translations = {"hu": {"name": "Idősek otthoni gondozása"}}
    service.save()
    empty = Municipality.objects.create(
        slug="empty",
        name="Empty",
        country="RO",
        official_languages=["ro", "hu"],
        currency="RON",
        time_zone="Europe/Bucharest",
        statistical_code="1",
    )
    return baia_mare, empty


def _id_map(tables, target):
    """source id → id given by the import (uuid5 of the target), derived ids recomputed."""
    mapping = {}
    for name, rows in tables.items():
        if name in ("taxonomy", "taxonomy_term"):
            continue
        for row in rows:
            for column in UUID_COLUMNS & set(row):
                if row[column]:
                    mapping[row[column]] = str(uuid.uuid5(target.pk, row[column]))
    for row in tables["organization_identifier"]:
        mapping[row["id"]] = hsds.identifier_id(mapping[row["organization_id"]])
    for row in tables["address"] + tables["accessibility"]:
        kind = "address" if "address_1" in row else "accessibility"
        mapping[row["id"]] = str(uuid.uuid5(hsds.NAMESPACE, f"{kind}:{mapping[row['location_id']]}"))
    return mapping


def _canonical(tables, mapping=None):
    out = {}
    for name, rows in tables.items():
        converted = []
        for row in rows:
            converted.append({k: (mapping.get(v, v) if mapping and k in UUID_COLUMNS else v) for k, v in row.items()})
        out[name] = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in converted)
    return out


def test_round_trip_export_import_export_gives_identical_content(demo_tenants):
    baia_mare, empty = demo_tenants
    content, rows = export_zip(municipality=baia_mare)
    assert rows > 100
    first = read_zip(content)
    report = import_file(actor=None, municipality=empty, content=content, filename="bm.zip")
    assert report.ok, report.errors[:5]
    second = export_tables(municipality=empty)
    assert _canonical(first, _id_map(first, empty)) == _canonical(second)
    assert Service.objects.for_tenant(empty).count() == Service.objects.for_tenant(baia_mare).count()
    assert AuditEvent.objects.filter(action="directory.import", municipality_id=empty.pk).exists()


def test_the_zip_holds_a_datapackage_descriptor_and_csvs(demo_tenants):
    baia_mare, _ = demo_tenants
    content, _rows = export_zip(municipality=baia_mare)
    archive = zipfile.ZipFile(io.BytesIO(content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in descriptor["resources"]} <= set(archive.namelist())
    assert "services.csv" in archive.namelist()


def _with_bad_row(content, path, row_index, column, value):
    tables = read_zip(content)
    name = next(n for n, rows in tables.items() if rows and path.startswith(n))
    tables[name][row_index][column] = value
    return tables_to_zip(tables, name="bad")


def test_an_import_with_one_bad_row_is_refused_whole_naming_row_and_field(demo_tenants):
    baia_mare, empty = demo_tenants
    content, _rows = export_zip(municipality=baia_mare)
    bad = _with_bad_row(content, "service", 4, "status", "open-ish")
    with translation.override("en"):
        report = import_file(actor=None, municipality=empty, content=bad, filename="bad.zip")
    assert not report.ok
    assert len(report.errors) == 1
    assert "services.csv" in report.errors[0] and "row 6" in report.errors[0] and "status" in report.errors[0]
    assert Service.objects.for_tenant(empty).count() == 0
    assert Organisation.objects.for_tenant(empty).count() == 0
    with translation.override("ro"):
        report = import_file(actor=None, municipality=empty, content=bad, filename="bad.zip")
    assert report.errors == [
        "services.csv, rândul 6, câmpul „status”: trebuie să fie una dintre: "
        "active, inactive, defunct, temporarily closed"
    ]


def test_dangling_references_and_unknown_terms_are_named(demo_tenants):
    baia_mare, empty = demo_tenants
    content, _rows = export_zip(municipality=baia_mare)
    tables = read_zip(content)
    tables["service"][0]["organization_id"] = str(uuid.uuid4())
    tables["attribute"][0]["taxonomy_term_id"] = str(uuid.uuid4())
    with translation.override("en"):
        report = import_file(actor=None, municipality=empty, content=tables_to_zip(tables, name="x"), filename="x.zip")
    assert any("organization_id" in e and "services.csv, row 2" in e for e in report.errors)
    assert any("taxonomy_term_id" in e and "attributes.csv" in e for e in report.errors)
    assert Service.objects.for_tenant(empty).count() == 0


def test_an_hsds_json_file_from_another_system_is_imported(demo_tenants, client):
    _baia_mare, empty = demo_tenants
    body = client.get("/api/hsds/baia-mare/services", {"full": "true", "per_page": 200}).json()
    report = import_file(actor=None, municipality=empty, content=json.dumps(body).encode(), filename="feed.json")
    assert report.ok, report.errors[:3]
    assert Service.objects.for_tenant(empty).count() == body["total_items"]
    assert TaxonomyTerm.objects.exists()


def test_garbage_is_refused_with_a_clear_message(demo_tenants):
    _, empty = demo_tenants
    with translation.override("en"):
        assert "zip" in import_file(actor=None, municipality=empty, content=b"nope", filename="a.zip").errors[0]
        assert "JSON" in import_file(actor=None, municipality=empty, content=b"{", filename="a.json").errors[0]


def test_a_json_feed_of_the_wrong_shape_is_refused_not_crashed(demo_tenants):
    _, empty = demo_tenants
    feed = [{"id": str(uuid.uuid4()), "name": "X", "status": "active", "attributes": "oops"}]
    with translation.override("en"):
        report = import_file(actor=None, municipality=empty, content=json.dumps(feed).encode(), filename="f.json")
    assert report.errors == ["“$[0].attributes” must be a list of objects."]


def test_csv_cells_survive_commas_quotes_and_newlines(demo_tenants):
    baia_mare, _ = demo_tenants
    content, _rows = export_zip(municipality=baia_mare)
    rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(content)).read("services.csv").decode())))
    assert any("\n" in r["description"] for r in rows)
