"""Dashboards and maps in a real browser: charts drawn from the tables, maps drawn with no tiles,
no JavaScript errors, no serious or critical axe-core violations; screenshots in ro and ru."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(lat, lon, half=0.006):
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.fixture
def synthetic_network(baia_mare, org_a, org_b, coordinator):
    """~150 synthetic persons in four test zones (outlines are synthetic squares, not real boundaries)."""
    from carenet.cases.models import ServiceDelivery
    from carenet.directory.models import Location, Service, ServiceAtLocation
    from carenet.geo.models import Area, AreaKind
    from carenet.people.models import Person, SensitiveProfile

    m = baia_mare
    rng = random.Random(3)
    note = "synthetic test outline"
    zones = [
        Area.objects.create(
            municipality=m, name=f"Zona test {c}", kind=kind, geometry=square(lat, lon), source_note=note
        )
        for c, kind, lat, lon in [
            ("A", AreaKind.MARGINALISED, 47.665, 23.555),
            ("B", AreaKind.NEIGHBOURHOOD, 47.655, 23.585),
            ("C", AreaKind.NEIGHBOURHOOD, 47.645, 23.600),
            ("D", AreaKind.LOCALITY, 47.700, 23.640),
        ]
    ]
    Area.objects.create(
        municipality=m,
        name="Insulă de căldură test",
        kind=AreaKind.HEAT_ISLAND,
        geometry=square(47.655, 23.585, 0.02),
        source_note=note,
    )
    services = []
    for i, (org, lat, lon) in enumerate([(org_a, 47.662, 23.560), (org_b, 47.652, 23.590), (org_a, 47.646, 23.602)]):
        s = Service.objects.create(municipality=m, organisation=org, name=f"Serviciu test {i + 1}")
        loc = Location.objects.create(
            municipality=m, organisation=org, name=f"Sediu {i + 1}", latitude=lat, longitude=lon
        )
        ServiceAtLocation.objects.create(municipality=m, service=s, location=loc)
        services.append(s)
    year = dt.date.today().year
    for i in range(150):
        p = Person.objects.create(
            municipality=m,
            first_name=f"T{i}",
            last_name="Sintetic",
            sex=rng.choice("FFMMU"),
            birth_date=dt.date(1935 + rng.randrange(85), 3, 1),
            area=rng.choice(zones),
            is_synthetic=True,
        )
        if i % 7 == 0:
            SensitiveProfile.objects.create(municipality=m, person=p, disability_degree="medium")
        for _k in range(1 + rng.randrange(4)):
            s = rng.choice(services)
            ServiceDelivery.objects.create(
                municipality=m,
                person=p,
                service=s,
                organisation=s.organisation,
                is_synthetic=True,
                quantity=Decimal(1),
                delivered_on=dt.date(year, 1 + rng.randrange(min(dt.date.today().month, 12)), 1 + rng.randrange(27)),
            )
    return m


def _open_in(page, live_url, path, language):
    page.goto(live_url + path)
    if language != "ro":
        with page.expect_navigation():
            page.select_option("#lang-select", language)
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["ro", "ru"])
def test_coordinator_dashboard_draws_charts_and_is_accessible(
    new_page, live_url, axe_check, screenshot, synthetic_network, language
):
    page = new_page(width=1280, height=900)
    sign_in(page, live_url, "coord")
    page.wait_for_url(f"{live_url}/dashboard/")
    _open_in(page, live_url, "/dashboards/network/", language)
    assert page.locator("figure[data-chart] canvas").count() >= 5
    page.wait_for_function("() => Chart.instances && Object.keys(Chart.instances).length >= 5")
    assert page.locator("table.chart__table").count() >= 5
    assert axe_check(page) == []
    screenshot(page, f"dashboard-network-{language}-1280")
    assert page.js_errors == []


@pytest.mark.parametrize("language", ["ro", "ru"])
def test_coverage_map_draws_without_tiles_and_is_accessible(
    new_page, live_url, axe_check, screenshot, synthetic_network, language
):
    page = new_page(width=1280, height=900)
    sign_in(page, live_url, "coord")
    page.wait_for_url(f"{live_url}/dashboard/")
    _open_in(page, live_url, "/dashboards/network/maps/coverage/?km=1", language)
    page.wait_for_selector(".leaflet-overlay-pane path")
    assert page.locator(".leaflet-tile").count() == 0  # MAP_TILE_URL is empty: GeoJSON only
    assert axe_check(page) == []
    screenshot(page, f"map-coverage-{language}-1280")
    assert page.js_errors == []


def test_dashboard_and_critical_map_at_360_px(new_page, live_url, axe_check, screenshot, synthetic_network):
    page = new_page(width=360, height=740)
    sign_in(page, live_url, "coord")
    page.wait_for_url(f"{live_url}/dashboard/")
    page.goto(live_url + "/dashboards/network/maps/critical/")
    page.wait_for_selector(".leaflet-overlay-pane path")
    assert axe_check(page) == []
    screenshot(page, "map-critical-ro-360")
    page.goto(live_url + "/dashboards/network/")
    assert axe_check(page) == []
    screenshot(page, "dashboard-network-ro-360")
    assert page.js_errors == []


def test_public_dashboard_is_accessible(page, live_url, axe_check, screenshot, synthetic_network):
    page.goto(live_url + "/baia-mare/dashboard/")
    page.wait_for_function("() => Chart.instances && Object.keys(Chart.instances).length >= 3")
    assert axe_check(page) == []
    screenshot(page, "dashboard-public-ro-1280")
    assert page.js_errors == []


def test_every_other_dashboard_page_is_accessible(new_page, live_url, axe_check, screenshot, synthetic_network):
    page = new_page(width=1280, height=900)
    sign_in(page, live_url, "coord")
    page.wait_for_url(f"{live_url}/dashboard/")
    for name, path in [
        ("kpis", "/dashboards/network/kpis/"),
        ("population", "/dashboards/population/"),
        ("trends", "/dashboards/trends/"),
        ("figure-form", "/dashboards/figures/bm15/"),  # entered by hand (bm08 and bm11 are counted from the registers)
        ("map-services", "/dashboards/network/maps/services/"),
        ("map-beneficiaries", "/dashboards/network/maps/beneficiaries/"),
    ]:
        page.goto(live_url + path)
        assert axe_check(page) == [], name
        screenshot(page, f"dashboard-{name}-ro-1280")
    assert page.js_errors == []
