import pytest

from carenet.geo.geometry import MIN_CELL, cells_geojson, count_on_cells, coverage, critical_zones, haversine_km

# Baia Mare centre and Firiza (a component locality north of the city).
CENTRE = (47.6567, 23.5850)
FIRIZA = (47.7290, 23.5960)


def test_haversine_matches_a_known_distance():
    assert haversine_km(*CENTRE, *FIRIZA) == pytest.approx(8.1, abs=0.2)


def test_cells_with_fewer_than_five_persons_are_suppressed():
    points = [CENTRE] * 7 + [FIRIZA] * 4
    cells = count_on_cells(points, resolution=8)
    counts = sorted((c.count for c in cells), key=lambda v: -1 if v is None else v)
    assert counts == [None, 7]
    geojson = cells_geojson(cells)
    assert {f["properties"]["persons"] for f in geojson["features"]} == {None, 7}
    assert all((f["properties"]["persons"] or MIN_CELL) >= MIN_CELL for f in geojson["features"]), (
        "no published count under 5"
    )


def test_coverage_counts_the_persons_beyond_the_distance():
    points = [CENTRE] * 10 + [FIRIZA] * 6
    result = coverage(points, [CENTRE], beyond_km=5)
    assert (result.persons_total, result.persons_beyond) == (16, 6)
    assert result.share_beyond == pytest.approx(6 / 16)
    far = next(r for r in result.rows if r.nearest_km > 5)
    assert far.persons == 6


def test_coverage_with_no_service_puts_everyone_beyond():
    result = coverage([CENTRE] * 5, [], beyond_km=50)
    assert result.persons_beyond == 5


def test_critical_zones_overlay_heat_islands_with_vulnerable_cells():
    lat, lon = CENTRE
    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - 0.01, lat - 0.01],
                [lon + 0.01, lat - 0.01],
                [lon + 0.01, lat + 0.01],
                [lon - 0.01, lat + 0.01],
                [lon - 0.01, lat - 0.01],
            ]
        ],
    }
    cells = count_on_cells([CENTRE] * 8 + [FIRIZA] * 9, resolution=9)
    assert critical_zones({"Centru": square}, cells) == [("Centru", 8)]
