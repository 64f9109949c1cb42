"""The public HSDS API answers from a cache keyed on the directory's data version (docs/performance.md):
never stale after an edit, never another municipality's, 304 for a matching ETag, errors never cached."""

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from carenet.directory.models import DataVersion, Location, Schedule, Service, TaxonomyTerm
from carenet.directory.selectors import directory_version
from carenet.directory.services import directory_bulk_write, location_update, schedule_add
from carenet.directory.tests.conftest import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_a(baia_mare, org_a):
    return make_service(baia_mare, org_a, "Centru de zi pentru copii", translations={"hu": {"name": "Nappali központ"}})


def _names(response):
    assert response.status_code == 200, response.content
    return [s["name"] for s in response.json()["contents"]]


def test_after_a_provider_edits_a_service_the_next_answer_shows_the_new_name(client, manager_a, service_a):
    url = "/api/hsds/baia-mare/services"
    assert _names(client.get(url, {"search": "copii"})) == ["Centru de zi pentru copii"]
    assert _names(client.get(url, {"search": "copii"})) == ["Centru de zi pentru copii"]  # from the cache
    client.force_login(manager_a)
    response = client.post(
        reverse("directory:service_edit", args=[service_a.pk]),
        {"name": "Centrul de zi «Copii»", "status": "active", "update_frequency_days": "180"},
    )
    assert response.status_code == 302
    client.logout()
    assert _names(client.get(url, {"search": "copii"})) == ["Centrul de zi «Copii»"]


def test_the_version_is_read_from_the_database_so_every_worker_process_agrees(client, baia_mare, service_a):
    url = "/api/hsds/baia-mare/services"
    assert _names(client.get(url)) == ["Centru de zi pentru copii"]
    # A write this process never saw (another worker, another server): the row changes without a signal …
    Service.plain.filter(pk=service_a.pk).update(name="Centrul nou")
    assert _names(client.get(url)) == ["Centru de zi pentru copii"]  # … the cached answer stands until …
    # … that writer commits its version bump, as carenet.directory.services.directory_changed does.
    DataVersion.objects.filter(scope=DataVersion.scope_of(baia_mare)).update(version=F("version") + 1)
    assert _names(client.get(url)) == ["Centrul nou"]


def test_an_answer_cached_for_one_municipality_is_never_served_for_the_other(client, service_a, balti_service):
    for _ in range(2):
        assert _names(client.get("/api/hsds/baia-mare/services")) == ["Centru de zi pentru copii"]
        assert _names(client.get("/api/hsds/balti/services")) == ["Centru de zi pentru copii din Bălți"]
        assert _names(client.get("/api/hsds/services", {"municipality": "balti"})) == [
            "Centru de zi pentru copii din Bălți"
        ]


def test_staff_of_each_municipality_get_their_own_feed_on_the_same_address(
    client, manager_a, other_tenant_user, service_a, balti_service
):
    for _ in range(2):
        client.force_login(manager_a)
        assert _names(client.get("/api/hsds/services")) == ["Centru de zi pentru copii"]
        client.force_login(other_tenant_user)
        assert _names(client.get("/api/hsds/services")) == ["Centru de zi pentru copii din Bălți"]
        client.logout()
        assert sorted(_names(client.get("/api/hsds/services"))) == [
            "Centru de zi pentru copii",
            "Centru de zi pentru copii din Bălți",
        ]


def test_an_answer_cached_in_one_language_is_not_served_in_another(client, service_a):
    url = "/api/hsds/baia-mare/services"
    assert _names(client.get(url, HTTP_ACCEPT_LANGUAGE="hu")) == ["Nappali központ"]
    assert _names(client.get(url, HTTP_ACCEPT_LANGUAGE="ro")) == ["Centru de zi pentru copii"]
    assert _names(client.get(url, {"lang": "hu"}, HTTP_ACCEPT_LANGUAGE="ro")) == ["Nappali központ"]


def test_a_matching_etag_gets_304_and_an_edit_changes_the_etag(client, manager_a, service_a):
    url = f"/api/hsds/baia-mare/services/{service_a.pk}"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    client.force_login(manager_a)
    client.post(
        reverse("directory:service_edit", args=[service_a.pk]),
        {"name": "Centrul de zi «Copii»", "status": "active", "update_frequency_days": "180"},
    )
    client.logout()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["name"] == "Centrul de zi «Copii»"


def test_the_cached_answer_is_byte_for_byte_the_computed_one(client, settings, service_a):
    url = "/api/hsds/baia-mare/services"
    cached = [client.get(url, {"search": "copii"}) for _ in range(2)]
    settings.CARENET_HSDS_CACHE_SECONDS = 0
    computed = client.get(url, {"search": "copii"})
    assert cached[0].content == cached[1].content == computed.content
    assert cached[0]["ETag"] == cached[1]["ETag"] == computed["ETag"]
    assert cached[1]["Content-Type"] == computed["Content-Type"] == "application/json"


def test_bad_parameters_still_get_the_translated_400_naming_the_parameter_and_are_never_cached(client, service_a):
    with translation.override("ro"):
        romanian = translation.gettext("Must be a whole number.")
    assert romanian != "Must be a whole number."
    for _ in range(2):
        response = client.get("/api/hsds/baia-mare/services", {"per_page": "abc"}, HTTP_ACCEPT_LANGUAGE="ro")
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": "per_page", "message": romanian}]
    assert client.get("/api/hsds/baia-mare/services/00000000-0000-4000-8000-000000000000").status_code == 404


def test_unknown_municipality_is_still_404(client, service_a):
    assert client.get("/api/hsds/nowhere/services").status_code == 404
    assert client.get("/api/hsds/services", {"municipality": "nowhere"}).status_code == 404


def test_every_write_to_public_directory_data_changes_its_municipalitys_version(
    baia_mare, balti, manager_a, service_a, balti_service
):
    def versions():
        return directory_version(municipality=baia_mare), directory_version(municipality=balti)

    location = Location.plain.create(municipality=baia_mare, organisation=service_a.organisation, name="Sediul")
    writes = [
        lambda: location_update(actor=manager_a, location=location, data={"accessibility": "Rampă."}),
        lambda: schedule_add(actor=manager_a, service=service_a, byday="MO", opens_at="08:00", closes_at="12:00"),
        lambda: Schedule.plain.filter(service=service_a).first().delete(),
        lambda: service_a.organisation.save(),
        lambda: Service.plain.get(pk=service_a.pk).delete(),
    ]
    for write in writes:
        before = versions()
        write()
        after = versions()
        assert after[0] > before[0] and after[1] == before[1]
    # the shared taxonomies are in every municipality's answers
    before = versions()
    TaxonomyTerm.objects.first().save()
    assert all(a > b for a, b in zip(versions(), before, strict=True))


def test_an_import_changes_the_version_once_at_the_end(baia_mare, org_a):
    before = directory_version(municipality=baia_mare)
    with directory_bulk_write():
        make_service(baia_mare, org_a, "Unu")
        make_service(baia_mare, org_a, "Doi")
        assert directory_version(municipality=baia_mare) == before
    assert directory_version(municipality=baia_mare) > before


def test_a_taxonomy_filter_counts_each_service_once(client, baia_mare, service_a):
    from carenet.directory.models import ServiceAttribute

    terms = list(TaxonomyTerm.objects.filter(taxonomy__code="carenet-needs")[:2])
    for term in terms:
        ServiceAttribute.plain.create(municipality=baia_mare, service=service_a, taxonomy_term=term)
    body = client.get("/api/hsds/baia-mare/services", {"taxonomy_id": str(terms[0].taxonomy_id)}).json()
    assert body["total_items"] == 1 and body["size"] == 1
    body = client.get("/api/hsds/baia-mare/services", {"page": 2, "per_page": 1}).json()
    assert body["total_items"] == 1 and body["size"] == 0 and body["empty"] is False
