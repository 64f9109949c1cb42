"""The public HSDS 3.0 feed: every response validates against the official compiled schemas."""

import json
from datetime import time

import jsonschema
import pytest

from carenet.directory.models import (
    Contact,
    CostOption,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    TaxonomyTerm,
)
from carenet.directory.services import service_reindex
from carenet.directory.taxonomy_data import term_uuid
from carenet.testing import HSDS_SCHEMAS

SCHEMAS = HSDS_SCHEMAS  # vendored: carenet/directory/standards/hsds-3.0/


def _load(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validators():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resources(
        (p.name, Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT202012))
        for p in SCHEMAS.glob("*.json")
        if p.name != "openapi.json"
    )

    def make(schema):
        return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())

    return {
        "service": make(_load("compiled/service.json")),
        "service_list": make(_load("compiled/service_list.json")),
        "organization": make(_load("compiled/organization.json")),
        "organization_list": make(_load("compiled/organization_list.json")),
        "service_at_location_list": make(_load("compiled/service_at_location_list.json")),
        "taxonomy": make(_load("taxonomy.json")),
        "taxonomy_term": make(_load("taxonomy_term.json")),
    }


@pytest.fixture
def service_b(baia_mare, org_b):
    service = Service.plain.create(municipality=baia_mare, organisation=org_b, name="Cantină socială")
    service_reindex(service=service)
    return service


def test_the_validators_really_check(validators):
    assert list(validators["service"].iter_errors({"id": "x", "name": "n"}))


def _valid(validator, obj):
    errors = sorted(validator.iter_errors(obj), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def _page(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    return body


@pytest.fixture
def full_service(baia_mare, org_a):
    org_a.legal_identifier = ""
    service = Service.plain.create(
        municipality=baia_mare,
        organisation=org_a,
        name="Îngrijire la domiciliu pentru bătrâni",
        description="Ajutor acasă pentru persoane vârstnice.",
        application_process="Cerere la DAS.",
        minimum_age=60,
        languages=["ro", "hu"],
        translations={"hu": {"name": "Otthoni gondozás idősöknek"}},
        email="ingrijire@example.org",
        url="https://example.org/ingrijire",
    )
    location = Location.plain.create(
        municipality=baia_mare,
        organisation=org_a,
        name="Sediul DAS",
        address_1="Str. Exemplu 1",
        city="Baia Mare",
        state_province="Maramureș",
        postal_code="430000",
        country="RO",
        latitude=47.65,
        longitude=23.57,
        accessibility="Rampă la intrare.",
    )
    ServiceAtLocation.plain.create(municipality=baia_mare, service=service, location=location)
    Phone.plain.create(municipality=baia_mare, service=service, number="0262 000 000", type="voice")
    Contact.plain.create(municipality=baia_mare, service=service, name="Birou", email="birou@example.org")
    Schedule.plain.create(
        municipality=baia_mare, service=service, byday="MO,TU,WE,TH,FR", opens_at=time(8), closes_at=time(16)
    )
    CostOption.plain.create(municipality=baia_mare, service=service, option="gratuit", amount=0, currency="RON")
    RequiredDocument.plain.create(municipality=baia_mare, service=service, document="Carte de identitate")
    term = TaxonomyTerm.objects.get(id=term_uuid("carenet-needs", "ingrijire-domiciliu"))
    ServiceAttribute.plain.create(municipality=baia_mare, service=service, taxonomy_term=term)
    service_reindex(service=service)
    return service


def test_every_service_list_item_and_full_item_validates(client, full_service, validators):
    for full in ("false", "true"):
        body = _page(client.get("/api/hsds/services", {"full": full, "municipality": "baia-mare"}))
        assert body["total_items"] == 1
        for item in body["contents"]:
            _valid(validators["service" if full == "true" else "service_list"], item)


def test_service_detail_validates_and_is_fully_nested(client, full_service, validators):
    response = client.get(f"/api/hsds/services/{full_service.pk}")
    assert response.status_code == 200
    body = response.json()
    _valid(validators["service"], body)
    assert body["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Baia Mare"
    assert body["schedules"][0]["byday"] == "MO,TU,WE,TH,FR"


def test_organizations_validate(client, full_service, validators):
    body = _page(client.get("/api/hsds/baia-mare/organizations"))
    assert body["total_items"] >= 1
    for item in body["contents"]:
        _valid(validators["organization_list"], item)
    detail = client.get(f"/api/hsds/organizations/{full_service.organisation_id}")
    assert detail.status_code == 200
    _valid(validators["organization"], detail.json())


def test_service_at_locations_validate(client, full_service, validators):
    body = _page(client.get("/api/hsds/baia-mare/service_at_locations"))
    assert body["total_items"] == 1
    for item in body["contents"]:
        _valid(validators["service_at_location_list"], item)


def test_taxonomies_and_terms_validate(client, db, validators):
    body = _page(client.get("/api/hsds/taxonomies"))
    assert body["total_items"] == 4
    for item in body["contents"]:
        _valid(validators["taxonomy"], item)
    body = _page(client.get("/api/hsds/taxonomy_terms", {"per_page": 200}))
    assert any(t["code"] == "8790 CR-D-I" for t in body["contents"])
    for item in body["contents"]:
        _valid(validators["taxonomy_term"], item)


def test_search_is_diacritics_insensitive_and_works_in_hungarian(client, full_service):
    assert _page(client.get("/api/hsds/services", {"search": "batrani"}))["total_items"] == 1
    assert _page(client.get("/api/hsds/services", {"search": "otthoni gondozas"}))["total_items"] == 1
    assert _page(client.get("/api/hsds/services", {"search": "adapost"}))["total_items"] == 0


def test_taxonomy_term_filter_pagination_and_modified_after(client, full_service, service_b):
    term = term_uuid("carenet-needs", "ingrijire-domiciliu")
    assert _page(client.get("/api/hsds/services", {"taxonomy_term_id": str(term)}))["total_items"] == 1
    body = _page(client.get("/api/hsds/services", {"per_page": 1, "page": 2}))
    assert body["total_items"] == 2 and body["size"] == 1 and body["last_page"] and not body["first_page"]
    assert _page(client.get("/api/hsds/services", {"modified_after": "2999-01-01"}))["total_items"] == 0


def test_the_hungarian_text_falls_back_to_romanian(client, full_service):
    body = client.get(f"/api/hsds/services/{full_service.pk}", {"lang": "hu"}).json()
    assert body["name"] == "Otthoni gondozás idősöknek"
    assert body["description"] == "Ajutor acasă pentru persoane vârstnice."


@pytest.mark.parametrize(
    "params,field",
    [
        ({"page": "0"}, "page"),
        ({"per_page": "abc"}, "per_page"),
        ({"per_page": "5000"}, "per_page"),
        ({"modified_after": "yesterday"}, "modified_after"),
        ({"taxonomy_term_id": "not-a-uuid"}, "taxonomy_term_id"),
        ({"full": "maybe"}, "full"),
    ],
)
def test_bad_parameters_get_400_naming_the_parameter(client, db, params, field):
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_a_balti_user_gets_404_for_a_baia_mare_service(client, other_tenant_user, full_service):
    client.force_login(other_tenant_user)
    assert client.get(f"/api/hsds/services/{full_service.pk}").status_code == 404
    assert client.get(f"/api/hsds/balti/services/{full_service.pk}").status_code == 404
    assert _page(client.get("/api/hsds/services"))["total_items"] == 0


def test_unknown_municipality_is_404(client, db):
    assert client.get("/api/hsds/nowhere/services").status_code == 404


def test_the_service_list_runs_a_constant_number_of_queries(
    client, full_service, service_b, django_assert_max_num_queries
):
    # one query per nested list, whatever the number of services; the phones, contacts and schedules of the
    # services at a location and of their locations (HSDS nests them there) are seven of them
    with django_assert_max_num_queries(21):
        _page(client.get("/api/hsds/services", {"full": "true"}))


def test_the_datapackage_export_is_a_zip_and_is_audited(client, full_service):
    import io
    import zipfile

    from carenet.audit.models import AuditEvent

    response = client.get("/api/hsds/baia-mare/datapackage.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "datapackage.json" in names and "services.csv" in names
    assert AuditEvent.objects.filter(action="export", object_type="hsds.datapackage").exists()


def test_the_service_list_is_the_same_as_from_the_model_objects_in_every_language(
    client, full_service, org_b, validators
):
    """The list reads narrow rows (carenet.directory.hsds.service_list_rows), not model objects: same answer."""
    from django.utils import timezone

    from carenet.directory import hsds
    from carenet.directory.models import OrganisationProfile, Program

    org = full_service.organisation
    org.short_name, org.website, org.parent, org.legal_identifier = "DAS", "https://das.example.org", org_b, ""
    org.save()
    OrganisationProfile.plain.create(
        municipality=org.municipality,
        organisation=org,
        description="Serviciul public de asistență socială.",
        year_incorporated=2004,
        translations={"hu": {"name": "Szociális szolgálat", "description": "Közszolgálat."}},
    )
    program = Program.plain.create(
        municipality=org.municipality,
        organisation=org,
        name="Programul vârstnici",
        description="Pentru vârstnici.",
        translations={"en": {"name": "Elderly programme"}},
    )
    Service.plain.filter(pk=full_service.pk).update(
        program=program, last_verified_at=timezone.now(), alert="Închis vineri", wait_time="o zi"
    )
    stored = hsds.with_hsds_relations(Service.plain.filter(pk=full_service.pk), full=False).get()
    for lang in ("ro", "hu", "en", "ru", "uk"):
        for params in ({}, {"search": "batrani"}):
            body = _page(client.get("/api/hsds/baia-mare/services", {"lang": lang, **params}))
            assert body["contents"] == [hsds.service_json(stored, lang, full=False)]
            _valid(validators["service_list"], body["contents"][0])
    assert body["contents"][0]["program"]["name"] == "Programul vârstnici"
    assert body["contents"][0]["organization"]["parent_organization_id"] == str(org_b.pk)
