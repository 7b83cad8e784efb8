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
    pyproj's own per-geometry figure (GeographicLib, holes off, parts added): to 1e-9 relative, give or take
    coords.SMALL_RING_TOLERANCE_M2 for each ring small enough to be measured at once."""
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
    expected = np.asarray([geod.geometry_area_perimeter(shapely.orient_polygons(g))[0] for g in polygonal])
    rings = np.asarray([len(shapely.get_rings(shapely.get_parts(g))) for g in polygonal])
    allowed = 1e-9 * np.abs(expected) + coords.SMALL_RING_TOLERANCE_M2 * rings
    assert (np.abs(given_rings - expected) <= allowed).all(), (given_rings, expected)


def _box_ring(lon, lat, width_m, height_m, corners):
    """A closed ring through some corners of a box ``width_m`` by ``height_m`` centred on (lon, lat)."""
    half_w = width_m / 2 / (111_320 * math.cos(math.radians(lat)))
    half_h = height_m / 2 / 110_540
    box = [
        (lon - half_w, lat - half_h),
        (lon + half_w, lat - half_h),
        (lon + half_w, lat + half_h),
        (lon - half_w, lat + half_h),
    ]
    ring = [box[k] for k in corners]
    return np.asarray([*ring, ring[0]], dtype=float)


@settings(max_examples=300, deadline=None)
@given(
    lon=st.floats(-179.0, 179.0),
    lat=st.floats(-88.9, 88.9),
    width=st.floats(0.5, 690.0),
    height=st.floats(0.5, 690.0),
    corners=st.sampled_from([(0, 1, 2), (0, 1, 3), (1, 2, 3), (0, 1, 2, 3)]),
    vertices=st.integers(0, 60),
)
def test_small_rings_are_geographiclibs_area_to_the_stated_tolerance(lon, lat, width, height, corners, vertices):
    """coords.small_ring_areas, the at-once measure of rings under coords.SMALL_RING_M across (long straight
    edges through a box's corners, or a ring of many short ones), is within SMALL_RING_TOLERANCE_M2 of
    GeographicLib's geodesic area anywhere on the ellipsoid, and geodesic_areas uses it for exactly those."""
    from pyproj import Geod
    from shapely.geometry import Polygon

    ring = _box_ring(lon, lat, width, height, corners)
    if vertices:  # the same box's inscribed ellipse, as a ring of many short edges
        t = np.linspace(0, 2 * math.pi, vertices + 4)[:-1]
        ring = np.column_stack(
            [
                lon + width / 2 * np.cos(t) / (111_320 * math.cos(math.radians(lat))),
                lat + height / 2 * np.sin(t) / 110_540,
            ]
        )
        ring = np.vstack([ring, ring[:1]])
    ring = ring.round(7)
    expected = abs(Geod(ellps="WGS84").polygon_area_perimeter(ring[:, 0], ring[:, 1])[0])
    got = coords.small_ring_areas(ring, [0, len(ring)])
    assert got.shape == (1,)
    assert abs(got[0] - expected) <= coords.SMALL_RING_TOLERANCE_M2, (got[0], expected)
    assert abs(coords.geodesic_areas([Polygon(ring)])[0] - expected) <= coords.SMALL_RING_TOLERANCE_M2


def test_rings_too_big_near_a_pole_or_across_the_antimeridian_are_geographiclibs_own():
    """A ring wider or taller than coords.SMALL_RING_M, one reaching past 89° and one across the antimeridian
    are measured by GeographicLib itself (the same bits), beside small rings in the same call."""
    import shapely
    from pyproj import Geod
    from shapely.geometry import Polygon

    big = [
        _box_ring(125.3, 43.8, 800, 100, (0, 1, 2, 3)),
        _box_ring(125.3, 43.8, 100, 800, (0, 1, 2)),
        _box_ring(10.0, 89.2, 100, 100, (0, 1, 2, 3)),
        np.asarray([(179.9995, 0.0), (-179.9995, 0.0), (-179.9995, 0.001), (179.9995, 0.0)]),
    ]
    small = [_box_ring(125.3, 43.8, 300, 200, (0, 1, 2, 3)), _box_ring(-70.0, -30.0, 50, 600, (0, 2, 3))]
    polygons = [Polygon(r) for r in [small[0], *big, small[1]]]
    got = coords.geodesic_areas(polygons)
    geod = Geod(ellps="WGS84")
    exact = [abs(geod.polygon_area_perimeter(*shapely.get_coordinates(p.exterior).T)[0]) for p in polygons]
    assert got[1:5].tolist() == exact[1:5]
    assert np.abs(got[[0, 5]] - np.asarray(exact)[[0, 5]]).max() <= coords.SMALL_RING_TOLERANCE_M2
    assert got[[0, 5]].tolist() != np.asarray(exact)[[0, 5]].tolist()  # measured at once, not by GeographicLib


def test_small_ring_areas_keep_each_ring_apart_in_blocks(monkeypatch):
    """Rings measured a block at a time (a few rings a block, an empty ring among them) get the
    areas they get alone: no edge joins one ring to the next."""
    rings = [_box_ring(125.3 + k * 0.01, 43.8, 50 + 40 * k, 30 + 10 * k, (0, 1, 2, 3)) for k in range(5)]
    alone = [coords.small_ring_areas(r, [0, len(r)])[0] for r in rings]
    xy = np.vstack(rings)
    offsets = np.concatenate([[0, 0], np.cumsum([len(r) for r in rings])])  # an empty ring first
    monkeypatch.setattr(coords, "_CHUNK_VERTICES", 11)  # two rings of five vertices a block
    together = coords.small_ring_areas(xy, offsets)
    assert together[0] == 0.0
    np.testing.assert_allclose(together[1:], alone, rtol=1e-12)
    assert min(alone) > 1_000.0


@pytest.mark.parametrize("holes", [False, True])
def test_ring_arrays_list_every_ring_in_order_with_or_without_holes(holes):
    """coords.ring_arrays gives each ring's coordinates in shapely's order (a polygon's exterior, then its holes;
    a multi-polygon's parts in turn) and the counts per ring, polygon and geometry: read from the polygons
    themselves when none has a hole or a second part, through their parts and rings otherwise."""
    from shapely.geometry import MultiPolygon, Polygon

    geoms = [Polygon(_box_ring(125.3 + k * 0.01, 43.8, 40 + k, 30, (0, 1, 2, 3))) for k in range(4)]
    geoms[2] = Polygon(_box_ring(125.32, 43.8, 100, 80, (0, 1, 2)))
    if holes:
        geoms[1] = Polygon(
            _box_ring(125.31, 43.8, 200, 200, (0, 1, 2, 3)), [_box_ring(125.31, 43.8, 50, 50, (3, 2, 1, 0))]
        )
        geoms[3] = MultiPolygon([geoms[0], Polygon(_box_ring(125.5, 43.9, 60, 60, (0, 1, 2, 3)))])
    rings = [r for g in geoms for p in getattr(g, "geoms", [g]) for r in [p.exterior, *p.interiors]]
    got = coords.ring_arrays(geoms)
    np.testing.assert_array_equal(got["xy"], np.vstack([np.asarray(r.coords) for r in rings]))
    assert np.diff(got["offsets"]).tolist() == [len(r.coords) for r in rings]
    assert got["parts"].tolist() == [len(getattr(g, "geoms", [g])) for g in geoms]
    assert got["rings"].tolist() == [1 + len(p.interiors) for g in geoms for p in getattr(g, "geoms", [g])]
