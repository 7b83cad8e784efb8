import json
import math
import warnings
from pathlib import Path

import eviltransform
import numpy as np
import prcoords
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import coords
from geo.errors import CoordinateError

# Mainland China, roughly (the oracle libraries agree only inside the shift box).
china_lon = st.floats(min_value=73.5, max_value=134.8)
china_lat = st.floats(min_value=18.2, max_value=53.5)


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_forward_matches_prcoords_and_eviltransform(lon, lat):
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    oracle = prcoords.wgs_gcj((lat, lon))
    assert abs(glon - oracle.lon) < 1e-6 and abs(glat - oracle.lat) < 1e-6
    elat, elon = eviltransform.wgs2gcj(lat, lon)
    assert abs(glon - elon) < 1e-6 and abs(glat - elat) < 1e-6
    blon, blat = coords.wgs84_to_bd09(lon, lat)
    boracle = prcoords.wgs_bd((lat, lon))
    assert abs(blon - boracle.lon) < 1e-6 and abs(blat - boracle.lat) < 1e-6


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_round_trips_are_exact_to_a_centimetre(lon, lat):
    for forward, inverse in (
        (coords.wgs84_to_gcj02, coords.gcj02_to_wgs84),
        (coords.wgs84_to_bd09, coords.bd09_to_wgs84),
        (coords.gcj02_to_bd09, coords.bd09_to_gcj02),
    ):
        back = inverse(*forward(lon, lat))
        assert coords.distance_m(lon, lat, *back) < 0.01


def test_inverse_beats_the_one_step_inverse():
    # The one-step inverse (subtract the shift at the shifted point) is off by 1-2 m.
    lon, lat = 125.3195, 43.8767
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    one_step = prcoords.gcj_wgs((glat, glon))
    exact = coords.gcj02_to_wgs84(glon, glat)
    assert coords.distance_m(lon, lat, one_step.lon, one_step.lat) > 0.1
    assert coords.distance_m(lon, lat, *exact) < 0.001


def test_changchun_shift_is_about_520_m_east_270_m_north():
    lon, lat = 125.33, 43.86
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    east = coords.distance_m(lon, lat, glon, lat)
    north = coords.distance_m(lon, lat, lon, glat)
    assert 480 < east < 560 and 240 < north < 300
    assert glon > lon and glat > lat


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(2.35, 48.85), (-74.0, 40.7), (151.2, -33.9), (139.9, 35.7)],
    ids=["paris", "nyc", "sydney", "tokyo-east"],
)
def test_no_shift_outside_china(lon, lat):
    assert coords.wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert coords.gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_vectorised_matches_scalar():
    rng = np.random.default_rng(0)
    lon = rng.uniform(100, 130, 1000)
    lat = rng.uniform(20, 50, 1000)
    vx, vy = coords.gcj02_to_wgs84(lon, lat)
    assert isinstance(vx, np.ndarray) and vx.shape == (1000,)
    for i in (0, 499, 999):
        sx, sy = coords.gcj02_to_wgs84(float(lon[i]), float(lat[i]))
        assert sx == pytest.approx(vx[i], abs=1e-12) and sy == pytest.approx(vy[i], abs=1e-12)


def test_shape_mismatch_is_refused():
    with pytest.raises(CoordinateError, match="same shape"):
        coords.wgs84_to_gcj02([1.0, 2.0], [3.0])


@pytest.mark.parametrize(
    ("pair", "fragment"),
    [
        ((43.87, 125.32), "(lat, lon) order"),
        ((200.0, 10.0), "longitude must be in [-180, 180]"),
        ((10.0, -95.0), "(lat, lon) order"),
        ((math.nan, 10.0), "finite"),
        ((math.inf, 10.0), "finite"),
        (("125", 43.0), "two numbers"),
        ((True, 43.0), "two numbers"),
    ],
    ids=["swapped", "lon-range", "lat-range", "nan", "inf", "string", "bool"],
)
def test_check_lonlat_names_the_problem(pair, fragment):
    problems = coords.check_lonlat(*pair)
    assert problems and fragment in str(problems[0])


def test_parse_lonlat():
    assert coords.parse_lonlat("125.33, 43.84") == (125.33, 43.84)
    assert coords.parse_lonlat("125.33，43.84") == (125.33, 43.84)
    with pytest.raises(CoordinateError, match="'LON,LAT'"):
        coords.parse_lonlat("125.33")
    with pytest.raises(CoordinateError, match="order"):
        coords.parse_lonlat("43.84,125.33")


def test_to_wgs84_dispatch_and_unknown_datum():
    assert coords.to_wgs84(125.0, 43.0, "wgs84") == (125.0, 43.0)
    assert coords.to_wgs84(125.0, 43.0, "gcj02") == coords.gcj02_to_wgs84(125.0, 43.0)
    with pytest.raises(CoordinateError, match="datum must be one of"):
        coords.to_wgs84(125.0, 43.0, "mars")


def test_axis_helpers_swap_once():
    assert coords.to_latlon(125.3, 43.8) == [43.8, 125.3]
    assert coords.bounds_to_leaflet((125.2, 43.5, 125.6, 43.9)) == [[43.5, 125.2], [43.9, 125.6]]


def test_offset_point_moves_the_stated_distance():
    lon, lat = coords.offset_point(125.33, 43.86, 90, 500)
    assert coords.distance_m(125.33, 43.86, lon, lat) == pytest.approx(500, abs=1e-6)
    assert lon > 125.33 and lat == pytest.approx(43.86, abs=1e-4)


#: Shared with the page's datum.js (tests/js/datum.test.mjs): one list of vectors for both implementations.
VECTORS = json.loads((Path(__file__).parent / "data" / "gcj02_vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=[v["name"] for v in VECTORS["vectors"]])
def test_shared_gcj02_vectors(vector):
    (lon, lat), (glon, glat), tol = vector["wgs84"], vector["gcj02"], VECTORS["tolerance_deg"]
    got = coords.wgs84_to_gcj02(lon, lat)
    assert abs(got[0] - glon) <= tol and abs(got[1] - glat) <= tol, (got, vector)
    back = coords.gcj02_to_wgs84(glon, glat)
    assert abs(back[0] - lon) <= tol and abs(back[1] - lat) <= tol, (back, vector)


def test_shared_gcj02_vectors_are_prcoords_values():
    # The file's values come from the outside oracle (tools/make_gcj02_vectors.py), not from geo.coords.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # prcoords warns for the points outside China
        for v in VECTORS["vectors"]:
            oracle = prcoords.wgs_gcj((v["wgs84"][1], v["wgs84"][0]))
            assert v["gcj02"] == [oracle.lon, oracle.lat], v["name"]


def _random_outline(data):
    """A valid polygon or multi-polygon near Nanguan: star-shaped rings from metres to kilometres, some with a hole."""
    from shapely.geometry import MultiPolygon, Polygon

    def ring(lon, lat, radius, n):
        steps = sorted(data.draw(st.lists(st.floats(0, 2 * math.pi), min_size=n, max_size=n, unique=True)))
        scale = data.draw(st.lists(st.floats(0.6, 1.0), min_size=n, max_size=n))
        return [
            (lon + radius * k * math.cos(t) / 80_000, lat + radius * k * math.sin(t) / 111_000)
            for t, k in zip(steps, scale, strict=True)
        ]

    parts = []
    for _ in range(data.draw(st.integers(1, 3))):
        lon = data.draw(st.floats(125.1, 125.6))
        lat = data.draw(st.floats(43.6, 44.0))
        radius = data.draw(st.sampled_from([5.0, 80.0, 900.0, 6_000.0]))
        shell = ring(lon, lat, radius, data.draw(st.integers(3, 40)))
        holes = [ring(lon, lat, radius * 0.3, 6)] if data.draw(st.booleans()) else []
        parts.append(Polygon(shell, holes).buffer(0) if holes else Polygon(shell))
    parts = [p for p in parts if p.geom_type == "Polygon" and p.is_valid]
    whole = MultiPolygon(parts) if len(parts) > 1 else None
    return whole if whole is not None and whole.is_valid else (parts[0] if parts else Polygon())


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_geodesic_areas_from_given_rings_are_pyprojs_per_geometry(data):
    """The rings a caller gathered (coords.ring_arrays, as the payload does) give the very areas, and both are
    pyproj's own per-geometry figure (GeographicLib, holes off, parts added) to 1e-9 relative."""
    import shapely
    from pyproj import Geod
    from shapely.geometry import Point

    geoms = [_random_outline(data) for _ in range(data.draw(st.integers(1, 4)))]
    polygonal = np.asarray([g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty])
    given_rings = coords.geodesic_areas(polygonal, rings=coords.ring_arrays(polygonal))
    gathered = coords.geodesic_areas([*polygonal, None, Point(125.3, 43.8)])
    assert given_rings.tobytes() == gathered[: len(polygonal)].tobytes()
    assert np.isnan(gathered[len(polygonal) :]).all()
    geod = Geod(ellps="WGS84")  # pyproj signs a ring by its winding: each polygon counter-clockwise, holes not
    expected = [geod.geometry_area_perimeter(shapely.orient_polygons(g))[0] for g in polygonal]
    np.testing.assert_allclose(given_rings, expected, rtol=1e-9)
