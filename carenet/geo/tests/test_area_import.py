import io
import json

import pytest

from carenet.audit.models import AuditEvent
from carenet.geo.models import Area

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[23.55, 47.64], [23.57, 47.64], [23.57, 47.66], [23.55, 47.66], [23.55, 47.64]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[23.55, 47.64], [23.57, 47.66], [23.57, 47.64], [23.55, 47.66], [23.55, 47.64]]],
}


def _upload(client, features, kind="marginalised", **headers):
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    upload = io.BytesIO(data)
    upload.name = "zones.geojson"
    return client.post(
        "/geo/areas/", {"kind": kind, "file": upload, "source_note": "desenat de coordonator"}, **headers
    )


def _feature(name, geometry=SQUARE, **props):
    return {"type": "Feature", "properties": {"name": name, **props}, "geometry": geometry}


def test_a_coordinator_imports_zones_and_it_is_audited(client, coordinator):
    client.force_login(coordinator)
    response = _upload(client, [_feature("Craica", population=1200), _feature("Pirită")])
    assert response.status_code == 302
    assert set(Area.objects.for_tenant(coordinator.municipality).values_list("name", flat=True)) == {"Craica", "Pirită"}
    assert AuditEvent.objects.filter(action="area.import", actor=coordinator).exists()


def test_an_import_with_one_bad_feature_is_refused_whole_naming_it(client, coordinator):
    client.force_login(coordinator)
    response = _upload(client, [_feature("Craica"), _feature("Ferneziu", BOWTIE)], HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Feature 2, geometry: the shape is not valid" in html
    assert Area.objects.for_tenant(coordinator.municipality).count() == 0


def test_not_json_gets_a_clear_error(client, coordinator):
    client.force_login(coordinator)
    upload = io.BytesIO(b"<xml/>")
    upload.name = "x.geojson"
    response = client.post("/geo/areas/", {"kind": "zone", "file": upload})
    assert 'class="field-error"' in response.content.decode()
    assert Area.objects.for_tenant(coordinator.municipality).count() == 0


def test_a_caseworker_cannot_import_areas(client, caseworker_a):
    client.force_login(caseworker_a)
    assert _upload(client, [_feature("Craica")]).status_code == 403


def test_areas_of_the_other_municipality_are_not_listed_or_downloaded(client, coordinator, balti):
    Area.objects.create(municipality=balti, name="Dacia", kind="neighbourhood", geometry=SQUARE)
    client.force_login(coordinator)
    assert "Dacia" not in client.get("/geo/areas/").content.decode()
    assert client.get("/geo/areas.geojson").json()["features"] == []


def test_the_areas_pages_send_an_anonymous_visitor_to_sign_in(client, baia_mare):
    for response in (client.get("/geo/areas/"), client.get("/geo/areas.geojson"), _upload(client, [_feature("X")])):
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_other_municipalitys_coordinator_cannot_import_into_this_one(client, other_tenant_user, coordinator):
    from django.core.exceptions import PermissionDenied

    from carenet.geo.services import area_import_geojson

    collection = {"type": "FeatureCollection", "features": [_feature("Craica")]}
    with pytest.raises(PermissionDenied):
        area_import_geojson(
            municipality=coordinator.municipality, data=collection, kind="marginalised", actor=other_tenant_user
        )
    assert not Area.objects.for_tenant(coordinator.municipality).exists()


def test_a_platform_administrator_without_a_municipality_works_in_the_platform_administration(client, db):
    from carenet.accounts.models import User

    root = User.objects.create_superuser(username="root", password="correct-horse-battery", email="r@test.local")
    client.force_login(root)
    assert client.get("/geo/areas/").status_code == 403
    assert client.get("/geo/areas.geojson").status_code == 403
