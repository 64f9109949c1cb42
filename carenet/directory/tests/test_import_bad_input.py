"""Issue 15, bad input: every kind of bad value is refused whole and clearly (file, row or JSON path, field),
nothing is half-saved, and the public API never answers 500 afterwards."""

import copy
import json

import pytest
from django.utils import translation

from carenet.directory.datapackage import import_file, tables_to_zip
from carenet.directory.models import Location, Service

from .hsds_package import package, uid


def _zip(tables):
    return tables_to_zip(tables, name="p")


def _run(municipality, tables, filename="p.zip"):
    content = _zip(tables) if filename.endswith(".zip") else tables
    with translation.override("en"):
        return import_file(actor=None, municipality=municipality, content=content, filename=filename)


def _nothing_saved(municipality):
    assert Service.objects.for_tenant(municipality).count() == 0
    assert Location.objects.for_tenant(municipality).count() == 0


@pytest.mark.parametrize(
    "resource,field,value,words",
    [
        ("service", "assured_date", "2023-02-30", "real date"),
        ("schedule", "opens_at", "25:99", "real time"),
        ("service", "name", "x" * 5000, "at most 300"),
        ("cost_option", "amount", "1e30", "between"),
        ("organization", "year_incorporated", "1e10", "between"),
        ("location", "latitude", "1000", "between"),
        ("location", "latitude", "NaN", "finite"),
        ("location", "longitude", "Infinity", "finite"),
        ("service", "email", "not-an-email", "valid email"),
        ("service", "url", "not a url", "valid URL"),
        ("contact", "email", "ana@", "valid email"),
        ("schedule", "dtstart", "2025-13-45", "date"),
        ("schedule", "wkst", "XX", "not a valid choice"),
        ("organization_identifier", "identifier", "18547291", "control digit"),
    ],
)
def test_a_bad_value_is_refused_whole_naming_file_row_and_field(client, baia_mare, resource, field, value, words):
    tables = package()
    if resource == "organization_identifier":
        tables[resource][0]["identifier_scheme"] = "RO-CUI"
    tables[resource][0][field] = value
    report = _run(baia_mare, tables)
    assert not report.ok
    joined = " ".join(report.errors)
    assert f"“{field}”" in joined and "row 2" in joined and words in joined, report.errors
    _nothing_saved(baia_mare)
    for path in ("services?full=true", "service_at_locations?full=true", "organizations?full=true", "taxonomies"):
        assert client.get(f"/api/hsds/baia-mare/{path}").status_code == 200


def test_a_bad_value_in_json_is_named_by_its_json_path(baia_mare):
    feed = [
        {
            "id": uid("s"),
            "name": "S",
            "status": "active",
            "organization": {"id": uid("o"), "name": "O", "description": ""},
            "phones": [{"id": uid("p1"), "number": "1"}, {"id": uid("p2"), "number": "2", "extension": "NaN"}],
        }
    ]
    with translation.override("en"):
        report = import_file(actor=None, municipality=baia_mare, content=json.dumps(feed).encode(), filename="f.json")
    assert report.errors == ["$[0].phones[1], field “extension”: must be a finite number"]
    _nothing_saved(baia_mare)


def test_nested_json_needs_no_foreign_keys_the_nesting_gives(baia_mare):
    organisation = {
        "id": uid("org-nested"),
        "name": "Nested",
        "description": "",
        "organization_identifiers": [
            {"id": uid("i"), "identifier_type": "Company", "identifier_scheme": "GB-COH", "identifier": "1"}
        ],
        "services": [
            {
                "id": uid("svc-nested"),
                "name": "Nested service",
                "status": "active",
                "schedules": [{"id": uid("sch"), "byday": "MO", "opens_at": "09:00", "closes_at": "10:00"}],
                "service_at_locations": [
                    {"id": uid("sal-n"), "location": {"id": uid("loc-n"), "location_type": "virtual", "name": "Online"}}
                ],
            }
        ],
    }
    with translation.override("en"):
        report = import_file(
            actor=None,
            municipality=baia_mare,
            content=json.dumps({"contents": [organisation]}).encode(),
            filename="o.json",
        )
    assert report.ok, report.errors
    assert Service.objects.for_tenant(baia_mare).get().name == "Nested service"


def test_a_dangling_optional_reference_is_a_warning_and_the_rest_is_imported(baia_mare):
    tables = package()
    tables["organization"][1]["parent_organization_id"] = uid("nowhere")
    tables["attribute"][0]["link_id"] = uid("a-location-not-in-the-file")
    report = _run(baia_mare, tables)
    assert report.ok, report.errors
    assert len(report.warnings) == 2
    assert any("parent_organization_id" in w and "organizations.csv, row 3" in w for w in report.warnings)
    assert Service.objects.for_tenant(baia_mare).count() == 5


def test_a_missing_required_reference_still_refuses(baia_mare):
    tables = package()
    tables["service"][0]["organization_id"] = uid("nowhere")
    report = _run(baia_mare, tables)
    assert not report.ok and "organization_id" in report.errors[0]
    _nothing_saved(baia_mare)


def test_a_package_over_the_size_limit_is_refused_before_reading(baia_mare, settings):
    settings.CARENET_HSDS_IMPORT_MAX_BYTES = 1000
    report = _run(baia_mare, package())
    assert not report.ok and "too large" in report.errors[0]
    _nothing_saved(baia_mare)


def test_tax_id_is_free_text(baia_mare):
    tables = package()
    tables["organization"][0]["tax_id"] = "any text at all, 123"
    assert _run(baia_mare, copy.deepcopy(tables)).ok
