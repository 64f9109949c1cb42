"""The public service finder (issue 3)."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenet.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    TaxonomyTerm,
)
from carenet.directory.services import service_reindex
from carenet.directory.taxonomy_data import term_uuid


def _service(municipality, org, name, lat=None, lon=None, terms=(), **extra):
    service = Service.plain.create(municipality=municipality, organisation=org, name=name, **extra)
    if lat is not None:
        location = Location.plain.create(
            municipality=municipality, organisation=org, name=f"Sediu {name}", latitude=lat, longitude=lon
        )
        ServiceAtLocation.plain.create(municipality=municipality, service=service, location=location)
    for taxonomy, code in terms:
        ServiceAttribute.plain.create(
            municipality=municipality,
            service=service,
            taxonomy_term=TaxonomyTerm.objects.get(id=term_uuid(taxonomy, code)),
        )
    service_reindex(service=service)
    return service


@pytest.fixture
def services(baia_mare, org_a, org_b, balti, balti_org):
    home_care = _service(
        baia_mare,
        org_b,
        "Îngrijiri la domiciliu pentru bătrâni",
        47.66,
        23.58,
        terms=[("carenet-needs", "ingrijire-domiciliu"), ("carenet-target-groups", "varstnici")],
        description="Ajutor acasă.",
        minimum_age=60,
    )
    ServiceArea.plain.create(municipality=baia_mare, service=home_care, name="Centru")
    day_centre = _service(
        baia_mare,
        org_a,
        "Centru de zi pentru copii",
        47.70,
        23.70,
        terms=[("carenet-needs", "centru-de-zi"), ("carenet-target-groups", "copii")],
        maximum_age=17,
    )
    balti_service = _service(balti, balti_org, "Îngrijire la domiciliu Bălți")
    return {"home_care": home_care, "day_centre": day_centre, "balti": balti_service}


def _names(response):
    assert response.status_code == 200
    return [item["name"] for item in response.context["items"]]


def url(slug="baia-mare"):
    return reverse("finder:search", args=[slug])


def test_batrani_finds_batrani_with_diacritics(client, services):
    assert _names(client.get(url(), {"q": "batrani"})) == ["Îngrijiri la domiciliu pentru bătrâni"]
    assert _names(client.get(url(), {"q": "BĂTRÂNI"})) == ["Îngrijiri la domiciliu pentru bătrâni"]


def test_hungarian_words_find_the_service_through_its_categories(client, services):
    assert _names(client.get(url(), {"q": "otthoni gondozás"})) == ["Îngrijiri la domiciliu pentru bătrâni"]


def test_the_other_municipality_services_never_show(client, services):
    assert "Îngrijire la domiciliu Bălți" not in _names(client.get(url(), {"q": "domiciliu"}))


def test_filters_by_need_group_age_and_area(client, services):
    need = term_uuid("carenet-needs", "centru-de-zi")
    assert _names(client.get(url(), {"need": need})) == ["Centru de zi pentru copii"]
    group = term_uuid("carenet-target-groups", "varstnici")
    assert _names(client.get(url(), {"group": group})) == ["Îngrijiri la domiciliu pentru bătrâni"]
    assert _names(client.get(url(), {"age": "8"})) == ["Centru de zi pentru copii"]
    assert _names(client.get(url(), {"area": "Centru"})) == ["Îngrijiri la domiciliu pentru bătrâni"]


def test_distance_from_a_point_orders_and_limits_the_results(client, services):
    names = _names(client.get(url(), {"lat": "47.70", "lon": "23.70"}))
    assert names == ["Centru de zi pentru copii", "Îngrijiri la domiciliu pentru bătrâni"]
    assert _names(client.get(url(), {"lat": "47.70", "lon": "23.70", "radius": "2"})) == ["Centru de zi pentru copii"]


def test_open_now_keeps_only_services_open_at_this_moment(client, services, baia_mare):
    from zoneinfo import ZoneInfo

    now = timezone.localtime(timezone=ZoneInfo(baia_mare.time_zone))
    day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][now.weekday()]
    Schedule.plain.create(
        municipality=baia_mare,
        service=services["home_care"],
        byday=day,
        opens_at=time(0, 0),
        closes_at=time(23, 59, 59),
    )
    other = "SU" if day != "SU" else "MO"
    Schedule.plain.create(
        municipality=baia_mare,
        service=services["day_centre"],
        byday=other,
        opens_at=time(0, 0),
        closes_at=time(23, 59, 59),
    )
    assert _names(client.get(url(), {"open_now": "on"})) == ["Îngrijiri la domiciliu pentru bătrâni"]


def test_bad_input_is_named_and_no_search_runs(client, services):
    response = client.get(url(), {"age": "-3", "lat": "47"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"age", "lon"}
    assert response.context["items"] == []


def test_the_service_page_shows_how_to_apply_and_falls_back_to_romanian(client, services):
    service = services["home_care"]
    response = client.get(reverse("finder:service", args=["baia-mare", service.pk]), HTTP_ACCEPT_LANGUAGE="hu")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ro"' in html
    assert "Îngrijiri la domiciliu pentru bătrâni" in html


def test_a_location_phone_shows_under_the_location_and_a_location_schedule_is_not_the_service_hours(
    client, services, baia_mare
):
    service = services["day_centre"]
    location = service.service_at_locations.get().location
    Phone.plain.create(municipality=baia_mare, location=location, number="0262 555 123")
    Schedule.plain.create(municipality=baia_mare, location=location, byday="SA", opens_at=time(9), closes_at=time(10))
    response = client.get(reverse("finder:service", args=["baia-mare", service.pk]))
    assert response.status_code == 200
    assert "0262 555 123" in response.content.decode()
    assert response.context["schedules"] == [] and response.context["has_direct_contact"]
    assert _names(client.get(url(), {"open_now": "on"})) == []


def test_another_municipality_service_id_is_404(client, services):
    assert client.get(reverse("finder:service", args=["baia-mare", services["balti"].pk])).status_code == 404
    assert client.get(reverse("finder:service", args=["nowhere", services["balti"].pk])).status_code == 404


def test_the_result_list_runs_few_queries(client, services, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        client.get(url(), {"q": "domiciliu"})


def test_the_map_works_without_tiles(client, services, settings):
    settings.MAP_TILE_URL = ""
    html = client.get(url()).content.decode()
    assert 'id="finder-map"' in html and 'data-tile-url=""' in html
    assert 'id="finder-points"' in html


def _many(baia_mare, org, count, prefix="Cantina socială"):
    return [
        _service(
            baia_mare,
            org,
            f"{prefix} {i:02d}",
            47.6 + i / 100,
            23.5,
            terms=[("carenet-needs", "ingrijire-domiciliu"), ("carenet-target-groups", "varstnici")],
        )
        for i in range(count)
    ]


def _queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(), params).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_query_count_does_not_grow_with_the_results(client, baia_mare, org_a, settings):
    settings.CARENET_HSDS_CACHE_SECONDS = 0  # count the search itself, not the cached page
    _many(baia_mare, org_a, 2)
    few = _queries(client, {"q": "cantina"})
    _many(baia_mare, org_a, 30, prefix="Cantina mare")
    assert len(_names(client.get(url(), {"q": "cantina"}))) == 20
    assert _queries(client, {"q": "cantina"}) == few
    assert _queries(client, {"q": "cantina", "lat": "47.6", "lon": "23.5"}) <= few + 1


def test_the_results_come_in_pages_of_twenty(client, baia_mare, org_a):
    _many(baia_mare, org_a, 25)
    first = client.get(url(), {"q": "cantina"})
    html = first.content.decode()
    assert _names(first) == [f"Cantina socială {i:02d}" for i in range(20)]
    assert "25 de servicii găsite" in html or "25 services found" in html
    assert 'href="?q=cantina&amp;page=2"' in html and 'rel="next"' in html and 'rel="prev"' not in html
    second = client.get(url(), {"q": "cantina", "page": "2"})
    assert _names(second) == [f"Cantina socială {i:02d}" for i in range(20, 25)]
    assert 'href="?q=cantina&amp;page=1"' in second.content.decode() and 'rel="next"' not in second.content.decode()
    assert _names(client.get(url(), {"q": "cantina", "page": "x"})) == _names(first)  # not a page: the first
    assert _names(client.get(url(), {"q": "cantina", "page": "99"})) == _names(second)  # past the end: the last
    # the map beside the list marks the services of this page; the full-page map keeps the best 100
    assert len(first.context["points"]) == 20
    assert len(client.get(reverse("finder:map", args=["baia-mare"]), {"q": "cantina"}).context["items"]) == 25


def test_a_cached_page_shows_an_edit_at_once(client, services):
    first = client.get(url(), {"q": "domiciliu"})
    assert _names(first) == ["Îngrijiri la domiciliu pentru bătrâni"]
    again = client.get(url(), {"q": "domiciliu"})  # from the cache: the same page
    assert again.content.decode().count("Îngrijiri la domiciliu pentru bătrâni") == 1
    service = services["home_care"]
    service.name = "Îngrijiri la domiciliu (nou)"
    service.save()
    service_reindex(service=service)
    assert _names(client.get(url(), {"q": "domiciliu"})) == ["Îngrijiri la domiciliu (nou)"]
