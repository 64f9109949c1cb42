"""The finder's full-page map, and the map tiles: none in development and tests (nothing reaches outside the
repository), OpenStreetMap's by default in production, a municipality's own server when configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from carenet.directory.taxonomy_data import term_uuid

from .test_finder import services  # noqa: F401  (the fixture: two Baia Mare services and one of Bălți)

ROOT = Path(__file__).resolve().parents[3]


def map_url(slug="baia-mare"):
    return reverse("finder:map", args=[slug])


def _names(response):
    assert response.status_code == 200
    return [item["name"] for item in response.context["items"]]


def test_the_full_page_map_opens_for_an_anonymous_visitor_with_the_list_beside_it(client, services):  # noqa: F811
    response = client.get(map_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="finder-map"' in html and "data-full-page" in html and 'role="region"' in html
    assert 'id="finder-points"' in html and 'id="map-results"' in html  # the results as a list too
    assert sorted(_names(response)) == ["Centru de zi pentru copii", "Îngrijiri la domiciliu pentru bătrâni"]


def test_the_full_page_map_takes_the_finders_filters(client, services):  # noqa: F811
    need = term_uuid("carenet-needs", "centru-de-zi")
    response = client.get(map_url(), {"need": need})
    assert _names(response) == ["Centru de zi pentru copii"]
    points = response.context["points"]
    assert [p["name"] for p in points] == ["Centru de zi pentru copii"]
    # The way back to the list keeps the search.
    assert f'href="/baia-mare/services/?need={need}"' in response.content.decode()


def test_the_other_municipalitys_services_are_not_on_the_map(client, services):  # noqa: F811
    html = client.get(map_url(), {"q": "domiciliu"}).content.decode()
    assert "Îngrijire la domiciliu Bălți" not in html
    assert _names(client.get(map_url("balti"))) == ["Îngrijire la domiciliu Bălți"]


def test_bad_filters_are_named_and_no_search_runs(client, services):  # noqa: F811
    response = client.get(map_url(), {"age": "200"})
    assert response.status_code == 200 and _names(response) == []
    assert "age" in response.context["form"].errors


def test_the_finder_links_its_results_to_the_full_page_map(client, services):  # noqa: F811
    html = client.get(reverse("finder:search", args=["baia-mare"]), {"q": "copii"}).content.decode()
    assert 'href="/baia-mare/services/map/?q=copii"' in html


def test_tests_draw_no_tiles_and_the_map_keeps_its_markers(client, services):  # noqa: F811
    assert django_settings.MAP_TILE_URL == ""
    html = client.get(map_url()).content.decode()
    assert 'data-tile-url=""' in html and "47.66" in html


def _production(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAP_TILE")}
    clean.update(SECRET_KEY="p" * 50, **env)
    script = (
        "import json, config.settings.production as p; "
        "print(json.dumps([p.MAP_TILE_URL, p.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "p.MAP_TILE_ATTRIBUTION]))"
    )
    out = subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "tiles", "origin"),
    [
        ({}, "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        (
            {"MAP_TILE_URL": "https://harti.baiamare.ro/tiles/{z}/{x}/{y}.png"},
            "https://harti.baiamare.ro/tiles/{z}/{x}/{y}.png",
            "https://harti.baiamare.ro",
        ),
        ({"MAP_TILE_URL": ""}, "", "'self'"),
    ],
)
def test_production_draws_openstreetmap_tiles_unless_the_municipality_names_its_own(env, tiles, origin):
    url, img_src, attribution = _production(**env)
    assert url == tiles
    assert img_src == ["'self'", "data:", origin]
    assert "OpenStreetMap</a> contributors" in attribution and "openstreetmap.org/copyright" in attribution
