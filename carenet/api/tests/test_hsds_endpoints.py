"""Every endpoint and query parameter of HSDS 3.0's openapi.json (issue 15): each answers, each filters for
real, an unknown parameter is a 400 naming it, ``format`` is HSDS's, and every response validates against
the compiled schemas on data that exercises every nested object."""

import json
from datetime import time, timedelta

import jsonschema
import pytest
from django.utils import timezone

from carenet.api.tests.test_hsds import SCHEMAS, _load, _page, _valid, full_service, service_b, validators
from carenet.directory.models import (
    Funding,
    Location,
    OrganisationIdentifier,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    Taxonomy,
    TaxonomyTerm,
)
from carenet.directory.services import service_reindex

__all__ = ["full_service", "service_b", "validators"]  # fixtures

OPENAPI = json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))


@pytest.fixture
def sal_validator(validators):
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resources(
        (p.name, Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT202012))
        for p in SCHEMAS.glob("*.json")
        if p.name != "openapi.json"
    )
    return jsonschema.Draft202012Validator(
        _load("compiled/service_at_location.json"), registry=registry, format_checker=jsonschema.FormatChecker()
    )


@pytest.fixture
def rich(full_service, baia_mare, org_a):
    """full_service with the nested objects it lacks: funding, areas, an RRULE schedule, a foreign identifier,
    an imported taxonomy with a parent and a child term."""
    Funding.plain.create(municipality=baia_mare, service=full_service, source="Bugetul local")
    ServiceArea.plain.create(
        municipality=baia_mare, service=full_service, name="430000", extent="430000 430001", extent_type="text"
    )
    Schedule.plain.create(
        municipality=baia_mare,
        service=full_service,
        freq="MONTHLY",
        byday="1MO",
        interval=1,
        dtstart="2025-01-06",
        until="2026-12-31",
        timezone=2,
        wkst="MO",
        bymonthday="1,15",
        opens_at=time(9),
        closes_at=time(12),
        schedule_link="https://example.org/orar",
        attending_type="in person",
        notes="Doar cu programare.",
    )
    OrganisationIdentifier.plain.create(
        municipality=baia_mare,
        organisation=org_a,
        identifier_scheme="GB-CHC",
        identifier_type="Charity",
        identifier="1",
    )
    taxonomy = Taxonomy.objects.create(code="bm-local", name="Local", description="d", municipality=baia_mare)
    top = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="A", name="Top", description="t")
    child = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="A1", name="Child", description="c", parent=top)
    ServiceAttribute.plain.create(municipality=baia_mare, service=full_service, taxonomy_term=child)
    service_reindex(service=full_service)
    return {"service": full_service, "taxonomy": taxonomy, "top": top, "child": child}


def test_the_root_endpoint_gives_version_profile_and_the_openapi_url(client, baia_mare):
    for url in ("/api/hsds/", "/api/hsds/baia-mare/"):
        body = client.get(url).json()
        assert body["version"] == "3.0"
        assert body["profile"].startswith("https://")
        assert body["openapi_url"].endswith("/api/hsds/openapi.json")
    spec = client.get("/api/hsds/openapi.json").json()
    assert spec == OPENAPI


def test_every_openapi_path_answers_200(client, rich):
    sal = ServiceAtLocation.plain.filter(service=rich["service"]).first()
    concrete = {
        "/services/{id}": f"/services/{rich['service'].pk}",
        "/organizations/{id}": f"/organizations/{rich['service'].organisation_id}",
        "/service_at_locations/{id}": f"/service_at_locations/{sal.pk}",
        "/taxonomies/{id}": f"/taxonomies/{rich['taxonomy'].pk}",
        "/taxonomy_terms/{id}": f"/taxonomy_terms/{rich['child'].pk}",
    }
    for openapi_path in OPENAPI["paths"]:
        url = "/api/hsds/baia-mare" + concrete.get(openapi_path, openapi_path)
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:200])


def test_detail_endpoints_validate_against_the_compiled_schemas(client, rich, validators, sal_validator):
    sal = ServiceAtLocation.plain.filter(service=rich["service"]).first()
    body = client.get(f"/api/hsds/baia-mare/service_at_locations/{sal.pk}").json()
    _valid(sal_validator, body)
    assert body["service"]["schedules"] and body["service"]["funding"] and body["service"]["service_areas"]
    _valid(validators["taxonomy"], client.get(f"/api/hsds/baia-mare/taxonomies/{rich['taxonomy'].pk}").json())
    term = client.get(f"/api/hsds/baia-mare/taxonomy_terms/{rich['child'].pk}").json()
    _valid(validators["taxonomy_term"], term)
    assert term["parent_id"] == str(rich["top"].pk)
    service = client.get(f"/api/hsds/baia-mare/services/{rich['service'].pk}").json()
    _valid(validators["service"], service)
    monthly = next(s for s in service["schedules"] if s.get("freq") == "MONTHLY")
    assert monthly["dtstart"] == "2025-01-06" and monthly["timezone"] == 2 and monthly["bymonthday"] == "1,15"
    org = client.get(f"/api/hsds/baia-mare/organizations/{rich['service'].organisation_id}?full_service=true").json()
    _valid(validators["organization"], org)
    assert {"GB-CHC"} <= {i.get("identifier_scheme") for i in org["organization_identifiers"]}
    assert org["services"][0]["schedules"], "full_service nests the services fully"


def test_full_lists_validate_item_by_item(client, rich, validators, sal_validator):
    for item in _page(client.get("/api/hsds/baia-mare/service_at_locations", {"full": "true"}))["contents"]:
        _valid(sal_validator, item)
        assert "phones" in item["service"]
    for item in _page(client.get("/api/hsds/baia-mare/organizations", {"full": "true"}))["contents"]:
        _valid(validators["organization"], item)
        assert "organization_identifiers" in item
    for item in _page(client.get("/api/hsds/baia-mare/services", {"minimal": "true"}))["contents"]:
        _valid(validators["service_list"], item)
        assert set(item) == {"id", "name", "status", "last_modified"}


def test_service_at_locations_filter_by_organisation_taxonomy_search_and_modified_after(
    client, rich, service_b, baia_mare, org_b
):
    other_place = Location.plain.create(municipality=baia_mare, name="Cantina", postal_code="430999")
    ServiceAtLocation.plain.create(municipality=baia_mare, service=service_b, location=other_place)
    url = "/api/hsds/baia-mare/service_at_locations"
    assert _page(client.get(url))["total_items"] == 2
    only_b = _page(client.get(url, {"organization_id": str(org_b.pk)}))
    assert [c["service_id"] for c in only_b["contents"]] == [str(service_b.pk)]
    by_taxonomy = _page(client.get(url, {"taxonomy_id": str(rich["taxonomy"].pk)}))
    assert [c["service_id"] for c in by_taxonomy["contents"]] == [str(rich["service"].pk)]
    assert _page(client.get(url, {"search": "cantina"}))["total_items"] == 1
    by_term = _page(client.get(url, {"taxonomy_term_id": str(rich["child"].pk)}))
    assert by_term["total_items"] == 1
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert _page(client.get(url, {"modified_after": future}))["total_items"] == 0


def test_modified_after_is_inclusive(client, full_service):
    stamp = Service.plain.get(pk=full_service.pk).updated_at
    body = _page(client.get("/api/hsds/baia-mare/services", {"modified_after": stamp.isoformat()}))
    assert [c["id"] for c in body["contents"]] == [str(full_service.pk)]


def test_postcode_and_proximity_filter_service_at_locations(client, rich, service_b, baia_mare):
    far = Location.plain.create(
        municipality=baia_mare, name="Departe", postal_code="430999", latitude=47.0, longitude=23.0
    )
    ServiceAtLocation.plain.create(municipality=baia_mare, service=service_b, location=far)
    url = "/api/hsds/baia-mare/service_at_locations"
    by_code = _page(client.get(url, {"postcode": "430999"}))
    assert [c["service_id"] for c in by_code["contents"]] == [str(service_b.pk)]
    # the service area names 430000: the first service covers it
    assert [c["service_id"] for c in _page(client.get(url, {"postcode": "430000"}))["contents"]] == [
        str(rich["service"].pk)
    ]
    near = _page(client.get(url, {"postcode": "430000", "proximity": "5000"}))
    assert [c["service_id"] for c in near["contents"]] == [str(rich["service"].pk)]
    assert _page(client.get(url, {"postcode": "430000", "proximity": "200000"}))["total_items"] == 2
    unknown = client.get(url, {"postcode": "999999", "proximity": "100"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "postcode"


def test_organisations_search_and_taxonomy_search(client, rich):
    assert _page(client.get("/api/hsds/baia-mare/organizations", {"search": "zzzz"}))["total_items"] == 0
    found = _page(client.get("/api/hsds/baia-mare/taxonomies", {"search": "Local"}))
    assert [t["id"] for t in found["contents"]] == [str(rich["taxonomy"].pk)]


def test_taxonomy_terms_top_only_and_parent_id(client, rich):
    url = "/api/hsds/baia-mare/taxonomy_terms"
    taxonomy = str(rich["taxonomy"].pk)
    top = _page(client.get(url, {"taxonomy_id": taxonomy, "top_only": "true"}))
    assert [t["id"] for t in top["contents"]] == [str(rich["top"].pk)]
    children = _page(client.get(url, {"parent_id": str(rich["top"].pk)}))
    assert [t["id"] for t in children["contents"]] == [str(rich["child"].pk)]
    assert _page(client.get(url, {"search": "Child", "taxonomy_id": taxonomy}))["total_items"] == 1


def test_an_imported_taxonomy_stays_in_its_municipality(client, rich, balti):
    assert client.get(f"/api/hsds/balti/taxonomies/{rich['taxonomy'].pk}").status_code == 404
    ids = {t["id"] for t in _page(client.get("/api/hsds/balti/taxonomies", {"per_page": 200}))["contents"]}
    assert str(rich["taxonomy"].pk) not in ids
    assert client.get(f"/api/hsds/balti/taxonomy_terms/{rich['child'].pk}").status_code == 404


@pytest.mark.parametrize(
    "path,param",
    [
        ("services", "colour"),
        ("services", "postcode"),  # a parameter of another endpoint
        ("organizations", "organization_id"),
        ("service_at_locations", "minimal"),
        ("taxonomies", "taxonomy_id"),
        ("taxonomy_terms", "full"),
        ("", "search"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it(client, baia_mare, path, param):
    response = client.get(f"/api/hsds/baia-mare/{path}", {param: "1"})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [param]


def test_format_is_hsds_ndjson_or_json_never_drf(client, full_service, service_b):
    response = client.get("/api/hsds/baia-mare/services", {"format": "ndjson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert {json.loads(line)["id"] for line in lines} == {str(full_service.pk), str(service_b.pk)}
    assert client.get("/api/hsds/baia-mare/services", {"format": "json"}).json()["total_items"] == 2
    for drf_format in ("api", "xml"):
        refused = client.get("/api/hsds/baia-mare/services", {"format": drf_format})
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "format"


def test_the_public_feed_allows_any_origin(client, full_service):
    response = client.get("/api/hsds/baia-mare/services", HTTP_ORIGIN="https://example.net")
    assert response["Access-Control-Allow-Origin"] == "*"
    detail = client.get(f"/api/hsds/baia-mare/services/{full_service.pk}", HTTP_ORIGIN="https://example.net")
    assert detail["Access-Control-Allow-Origin"] == "*"


def test_another_municipality_gets_404_for_each_detail(client, rich):
    sal = ServiceAtLocation.plain.filter(service=rich["service"]).first()
    for url in (
        f"/api/hsds/balti/service_at_locations/{sal.pk}",
        f"/api/hsds/balti/services/{rich['service'].pk}",
        f"/api/hsds/balti/organizations/{rich['service'].organisation_id}",
    ):
        assert client.get(url).status_code == 404, url
