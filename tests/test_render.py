import itertools
import json
import math
import re

import pytest

from geo import render
from geo.errors import StoreError, ValidationError
from geo.model import CATEGORIES

XSS = '<img src=x onerror="window.__xss=1;alert(1)">'


def _decode(deltas):
    out, acc = [], 0
    for d in deltas:
        acc += d
        out.append(acc / 1e6)
    return out


def _payload(html):
    match = re.search(r'<script[^>]* id="atlas-data-[^"]+"[^>]*>(.*?)</script>', html, re.S)
    assert match, "payload script element missing"
    return render.unpack_payload(json.loads(match.group(1)))


def test_payload_round_trips_places(places_gdf):
    payload = render.encode_payload(places_gdf)
    assert payload["n"] == 5
    assert payload["categories"] == list(CATEGORIES)
    assert payload["kind"] == [1, 2, 1, 0, 0]
    xs, ys = _decode(payload["points"]["x"]), _decode(payload["points"]["y"])
    pts = places_gdf.geometry[places_gdf.geometry.geom_type == "Point"]
    assert xs == pytest.approx(list(pts.x), abs=1e-6) and ys == pytest.approx(list(pts.y), abs=1e-6)
    names = [payload["strings"][k] for k in payload["columns"]["name"]]
    assert names == list(places_gdf["name"])
    # The 100 m x 100 m drawn square: its mapped (geodesic) area is reported.
    mapped = payload["numbers"]["mapped_area_m2"]
    assert math.isnan(mapped[0]) and mapped[1] == pytest.approx(10_033, rel=0.01)
    written = json.loads(render.json_for_script(payload["numbers"]))  # NaN is written as null, numbers as floats
    assert written["mapped_area_m2"][0] is None and written["mapped_area_m2"][1] == pytest.approx(10_033, rel=0.01)
    assert written["stated_area_m2"] == [None if math.isnan(v) else v for v in places_gdf["stated_area_m2"]]
    lons, lats = (_decode(d) for d in payload["polygons"][0][1][0][0])
    assert (lons[0], lats[0]) == pytest.approx((125.33, 43.85), abs=1e-6)
    assert len(lons) == len(lats) == 5


def test_strings_are_shared(places_gdf):
    payload = render.encode_payload(places_gdf)
    assert len(payload["strings"]) == len(set(payload["strings"]))
    sources = payload["columns"]["location_source"]
    assert sources[0] == sources[1]  # same text, one entry


def test_map_has_layers_controls_and_escaped_data(places_gdf, tmp_path):
    gdf = places_gdf.copy()
    gdf.loc[0, "name"] = XSS
    gdf.loc[1, "quote"] = "</script><script>alert(1)</script>"
    m = render.build_map(gdf)
    html = m.get_root().render()
    assert XSS not in html and "</script><script>alert(1)" not in html
    payload = _payload(html)
    assert XSS in payload["strings"]
    for fragment in (
        "L.control.fullscreen",
        "L.Control.Measure",
        "L.Control.MiniMap",
        "L.control.scale",
        "L.Control.Draw",
        "L.control.layers",
        "nanguanAtlas(",
        "Gaode.com",
        "OpenStreetMap",
    ):
        assert fragment in html, fragment
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js" in html
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()


def test_build_map_refuses_frames_without_crs(places_gdf):
    gdf = places_gdf.copy()
    gdf = gdf.set_crs(None, allow_override=True)
    with pytest.raises(ValidationError, match="CRS is required"):
        render.build_map(gdf)


def test_offline_site_uses_local_assets(places_gdf, tmp_path):
    fake = tmp_path / "node_modules"
    for package, version, path in render.ASSETS.values():
        (fake / package / path).parent.mkdir(parents=True, exist_ok=True)
        (fake / package / path).write_text("/* stub */", encoding="utf-8")
        (fake / package / "package.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    (fake / "leaflet.fullscreen" / "icon-fullscreen.svg").write_text("<svg/>", encoding="utf-8")
    (fake / "leaflet.fullscreen" / "LICENSE").write_text("MIT", encoding="utf-8")
    m = render.build_map(places_gdf, asset_base="lib")
    index = render.write_site(m, tmp_path / "site", offline=True, node_modules=fake)
    html = index.read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html
    for package, version, path in render.ASSETS.values():
        assert f"lib/{package}@{version}/{path}" in html
        assert (tmp_path / "site" / "lib" / f"{package}@{version}" / path).exists()


def test_offline_site_needs_npm_ci(places_gdf, tmp_path):
    m = render.build_map(places_gdf, asset_base="lib")
    with pytest.raises(StoreError, match="run `npm ci`"):
        render.write_site(m, tmp_path / "site", offline=True, node_modules=tmp_path / "missing")


def test_cli_build_writes_site(runner, valid_path, tmp_path):
    from geo.cli import main

    result = runner.invoke(main, ["build", "--data", str(valid_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8"' in html.lower() or "charset=utf-8" in html.lower()
    assert len(_payload(html)["kind"]) == 5


def test_radii_of_outlines_cost_the_page_nothing(places_gdf):
    """Outlined parks' radii are grown in the page when the layer is on (tests/test_browser.py): the page
    carries the radii in metres and the outlines once, never the grown outlines."""

    def options(radii):
        html = render.build_map(places_gdf, boundary=False, radii=radii).get_root().render()
        return html, json.loads(re.search(r"Object\.assign\((\{.*?\}), \{control:", html, re.S).group(1))

    html, grown = options((300, 500))
    bare, none = options(())
    assert grown["radii"] == [300, 500] and none["radii"] == []
    assert "Straight-line radii" in grown["radiiLabel"]
    assert "radiiOutlines" not in grown
    assert _payload(html) == _payload(bare)  # the same places' payload, whatever the radii
    assert abs(len(html) - len(bare)) < 200  # only the radii and their label differ


def _areas_and_polygons(geoms):
    import numpy as np

    from geo import payload
    from geo.coords import geodesic_areas, ring_arrays

    arrays = ring_arrays(np.asarray(geoms, dtype=object))
    return geodesic_areas(geoms), payload._encode_polygons(np.arange(len(geoms)), arrays)


def _equal_area_m2(ring):
    """A ring's area in the WGS-84 ellipsoid's cylindrical equal-area projection (Snyder 1987, eqs. 3-12,
    10-15, 10-16), standard parallel through the ring: an independent check of the geodesic areas (the
    projection keeps every area; only its straight edges differ from geodesics, by hundredths of a m²)."""
    import math

    a, e2 = 6_378_137.0, 0.00669437999014
    e = math.sqrt(e2)
    lats = [lat for _, lat in ring]
    lat0 = math.radians((min(lats) + max(lats)) / 2)
    k0 = math.cos(lat0) / math.sqrt(1 - e2 * math.sin(lat0) ** 2)

    def xy(lon, lat):
        s = math.sin(math.radians(lat))
        q = (1 - e2) * (s / (1 - e2 * s * s) - math.log((1 - e * s) / (1 + e * s)) / (2 * e))
        return a * k0 * math.radians(lon - ring[0][0]), a * q / (2 * k0)

    pts = [xy(lon, lat) for lon, lat in ring]
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(pts)) / 2)


def test_mapped_areas_are_geodesic_for_holes_and_multipolygons():
    """The one area function (pyproj's Geod over every ring) takes holes off and adds parts up, and agrees
    with an equal-area projection worked out by hand."""
    from shapely.geometry import MultiPolygon, Polygon

    def square(x, y, d):
        return [(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)]

    hole = square(125.302, 43.852, 0.003)
    holed = Polygon(square(125.30, 43.85, 0.01), [hole[::-1]])
    small = Polygon(square(125.40, 43.80, 0.0002))  # about 16 m x 22 m
    multi = MultiPolygon([small, holed])
    far = Polygon(square(125.70, 44.10, 0.001))  # beyond the district
    wrong_way = Polygon(square(125.30, 43.85, 0.01), [hole])  # a hole wound like its exterior is still a hole
    geoms = [holed, small, multi, far, wrong_way, None]
    areas, _ = _areas_and_polygons(geoms)
    outer, inner = _equal_area_m2(square(125.30, 43.85, 0.01)), _equal_area_m2(hole)
    expected = [outer - inner, _equal_area_m2(small.exterior.coords), outer - inner + _equal_area_m2(small.exterior.coords),
                _equal_area_m2(far.exterior.coords), outer - inner]  # fmt: skip
    assert areas[:5].tolist() == pytest.approx(expected, abs=0.06)  # shown to 0.1 m²
    assert math.isnan(areas[5])


def test_page_and_summary_show_the_same_mapped_area(places_gdf):
    from geo import summary

    mapped = render.encode_payload(places_gdf)["numbers"]["mapped_area_m2"]
    parks = summary.park_area_summary(places_gdf, district_area_m2=1e8)
    outlined = [m for m, c in zip(mapped, places_gdf["category"], strict=True) if not math.isnan(m) and c == "park"]
    assert outlined and parks["mapped_area_m2"] == pytest.approx(round(sum(outlined), 1), abs=0.05)


def test_polygons_are_encoded_per_ring_with_holes_and_parts():
    from shapely.geometry import MultiPolygon, Polygon

    outer = [(125.3, 43.85), (125.31, 43.85), (125.31, 43.86), (125.3, 43.86), (125.3, 43.85)]
    hole = [(125.302, 43.852), (125.302, 43.855), (125.305, 43.855), (125.302, 43.852)]
    other = [(125.4, 43.8), (125.4012345, 43.8), (125.4, 43.8012345), (125.4, 43.8)]
    geoms = [Polygon(outer, [hole]), MultiPolygon([Polygon(other), Polygon(outer)])]
    _, polygons = _areas_and_polygons(geoms)
    assert [entry[0] for entry in polygons] == [0, 1]
    got = [[[list(zip(_decode(r[0]), _decode(r[1]), strict=True)) for r in part] for part in entry[1]]
           for entry in polygons]  # fmt: skip
    want = [[[outer, hole]], [[other], [outer]]]
    for g, w in zip(got, want, strict=True):
        assert len(g) == len(w)
        for gp, wp in zip(g, w, strict=True):
            assert [len(r) for r in gp] == [len(r) for r in wp]
            for gr, wr in zip(gp, wp, strict=True):
                assert [c for pt in gr for c in pt] == pytest.approx([c for pt in wr for c in pt], abs=1e-6)


# ---- search keys: pypinyin once per distinct word, the same keys as pypinyin on the whole name


from geo import payload  # noqa: E402


def _whole_name_pinyin(text):
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(text, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return f"{full}|{initials}" if full else ""


def test_search_keys_of_the_bundled_names_are_pypinyins():
    from geo.store import load_collection

    features = load_collection(render.settings.locations_path)["features"]
    names = [f["properties"]["name"] for f in features]
    names += [a for f in features for a in f["properties"].get("aliases") or []]
    assert [payload._pinyin(n) for n in names] == [_whole_name_pinyin(n) for n in names]
    assert payload._pinyin("长春重庆路") == "changchunchongqinglu|cccql"  # phrases read as a whole
    assert payload._pinyin("Mall 3") == ""


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Pieces that make pypinyin's segmentation matter: polyphonic characters, phrases that change them, digits,
#: Latin letters, 〇 and a traditional character.
_PIECES = ["长", "春", "重", "庆", "长春", "重庆", "行", "银行", "乐", "音乐", "的", "目的", "〇", "長", "3", "a", " ",
           "公园", "南关区", "睦邻园", "都", "首都", "大", "大夫"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8))
def test_search_keys_equal_pypinyin_on_the_whole_name(pieces):
    text = "".join(pieces)
    assert payload._pinyin(text) == _whole_name_pinyin(text)


def _outlines_frame(places_gdf):
    """The hand-made places three times over, with holes and multipolygons among their seven outlines."""
    import geopandas as gpd
    import pandas as pd
    import shapely
    import shapely.affinity

    square = places_gdf.geometry[places_gdf.geometry.geom_type == "Polygon"].iloc[0]
    hole = shapely.affinity.scale(square, 0.3, 0.3).exterior.coords[::-1]
    holed = shapely.Polygon(square.exterior.coords, [hole])
    multi = shapely.MultiPolygon([square, shapely.affinity.translate(holed, 0.01, 0.0)])
    gdf = pd.concat([places_gdf] * 3, ignore_index=True)
    geoms = gdf.geometry.to_numpy().copy()
    geoms[[0, 2, 6, 7]] = [holed, multi, shapely.affinity.translate(square, 0.0, 0.01), multi]
    gdf["geometry"] = gpd.GeoSeries(geoms, crs=gdf.crs)
    return gdf


def test_the_payload_is_the_same_whatever_run_of_outlines_is_gathered_at_a_time(places_gdf, monkeypatch):
    """encode_payload gathers the rings a run of outlines at a time: runs of 2 give the payload of one run."""
    import numpy as np
    import orjson
    import shapely

    from geo import payload

    gdf = _outlines_frame(places_gdf)
    option = orjson.OPT_SERIALIZE_NUMPY
    whole = payload.encode_payload(gdf)
    monkeypatch.setattr(payload, "OUTLINE_RUN", 2)
    runs = payload.encode_payload(gdf)
    assert len(whole["polygons"]) == int(np.isin(shapely.get_type_id(gdf.geometry), (3, 6)).sum()) >= 5
    assert orjson.dumps(runs, option=option) == orjson.dumps(whole, option=option)


def test_the_payloads_json_is_written_a_column_at_a_time(places_gdf):
    """Never the whole JSON at once: a member, and each column of columns/numbers/points, is its own piece."""
    import orjson

    from geo import payload

    places = payload.encode_payload(places_gdf)
    pieces = list(payload._json_pieces(places))
    assert b"".join(pieces) == orjson.dumps(places, option=orjson.OPT_SERIALIZE_NUMPY)
    assert len(pieces) > len(places) + len(places["columns"]) + len(places["numbers"])
    columns = orjson.dumps(places["columns"], option=orjson.OPT_SERIALIZE_NUMPY)
    assert columns not in b"".join(p for p in pieces if len(p) >= len(columns))  # never written in one piece
    assert b',"pinyin":' + orjson.dumps(places["columns"]["pinyin"], option=orjson.OPT_SERIALIZE_NUMPY) in pieces
    for odd in ({}, {"columns": {}}, [1, 2]):
        assert b"".join(payload._json_pieces(odd)) == orjson.dumps(odd)


def test_the_packed_payload_is_the_same_whatever_run_of_outlines_is_written_at_a_time(places_gdf, monkeypatch):
    """pack_payload writes the outlines' JSON a run at a time: the same JSON, size and packed text as at once."""
    import orjson

    from geo import payload

    places = payload.encode_payload(_outlines_frame(places_gdf))
    whole = payload.pack_payload(places)
    monkeypatch.setattr(payload, "JSON_OUTLINES", 2)
    runs = payload.pack_payload(places)
    assert b"".join(payload._json_pieces(places)) == orjson.dumps(places, option=orjson.OPT_SERIALIZE_NUMPY)
    assert runs == whole and payload.unpack_payload(runs) == orjson.loads(
        orjson.dumps(places, option=orjson.OPT_SERIALIZE_NUMPY)
    )
