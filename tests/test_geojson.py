"""The one GeoJSON parser: every malformed input gives clear lines, never a traceback, and the data file is untouched."""

import hashlib
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import coords, geojson
from geo.cli import main
from geo.errors import ValidationError

# ~80 m squares in the district (WGS-84), counter-clockwise and as Leaflet's rectangle writes them (SW, NW, NE, SE).
SQUARE = [[125.3300, 43.8400], [125.3310, 43.8400], [125.3310, 43.8407], [125.3300, 43.8407], [125.3300, 43.8400]]
LEAFLET_RECT = [[125.3300, 43.8400], [125.3300, 43.8407], [125.3310, 43.8407], [125.3310, 43.8400], [125.3300, 43.8400]]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _poly(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def _feature(geometry, **props):
    return {"type": "Feature", "geometry": geometry, "properties": {"name": "测试园", "area": 6400, **props}}


# ------------------------------------------------------------------ decoding


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xff\xfe{}", "is not UTF-8 text"),
        (b'{"type": "Feature", "x": NaN}', "NaN is not a JSON number"),
        (b'{"a": Infinity}', "Infinity is not a JSON number"),
        (b'{"a": 1e400}', "infinity"),
        (b'{"type": "Feature"} trailing', "not valid JSON"),
        (b'{"type": "Feature", "type": "FeatureCollection"}', "duplicate key 'type'"),
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (b"[" * 70 + b"]" * 70, "nested deeper than 64"),
        (b"", "not valid JSON"),
    ],
    ids=["non-utf8", "nan", "infinity", "huge-number", "trailing", "duplicate-key", "deep-5000", "deep-70", "empty"],
)
def test_decode_refuses_what_json_refuses(data, fragment):
    with pytest.raises(ValidationError, match=fragment) as err:
        geojson.decode(data, label="in.geojson")
    assert "\n" not in str(err.value) and str(err.value).startswith("in.geojson")


def test_decode_accepts_a_bom_with_a_note():
    obj, notes = geojson.decode(b'\xef\xbb\xbf{"type": "Point"}')
    assert obj == {"type": "Point"} and "byte order mark" in notes[0]


# ------------------------------------------------------------------ geometries


@pytest.mark.parametrize(
    ("geom", "fragment"),
    [
        ({"type": "Polygon", "coordinates": [[[125.33, 43.84], [125.331, 43.84, 5.0], [125.331, 43.8407], [125.33, 43.84]]]}, None),
        ({"type": "MultiPolygon", "coordinates": [[[[125.33, 43.84], [125.331, 43.84, 1], [125.331], [125.33, 43.84]]]]}, "position must be [lon, lat]"),
        ({"type": "Polygon", "coordinates": [[["125.33", 43.84], [125.331, 43.84], [125.331, 43.8407], [125.33, 43.84]]]}, "numbers only, got '125.33'"),
        ({"type": "Polygon", "coordinates": [[[True, 43.84], [125.331, 43.84], [125.331, 43.8407], [125.33, 43.84]]]}, "numbers only, got True"),
        ({"type": "Polygon", "coordinates": [SQUARE[0]]}, "a ring must be a list of positions"),
        ({"type": "Polygon", "coordinates": SQUARE}, "a ring must be a list of positions"),
        ({"type": "Polygon", "coordinates": []}, "non-empty list of rings"),
        ({"type": "Polygon"}, "non-empty list of rings"),
        ({"type": "MultiPolygon", "coordinates": 5}, "non-empty list of polygons"),
        ({"type": "GeometryCollection", "geometries": []}, "GeometryCollection is not supported"),
        ({"type": "LineString", "coordinates": SQUARE}, "geometry type must be one of"),
        ({"type": None}, "geometry type must be one of"),
        ("Polygon", "geometry must be an object"),
        ({"type": "Point", "coordinates": [43.84, 125.33]}, "lat"),
        ({"type": "Point", "coordinates": [125.33, 43.84, 1, 2]}, "[lon, lat] or [lon, lat, height]"),
        ({"type": "Polygon", "coordinates": [[[125.33, 43.84]] * 250_001]}, "more than 200,000 positions"),
    ],
    ids=["3d-ragged-ok", "ragged-short", "string-number", "bool", "ring-of-numbers", "wrong-nesting", "no-rings",
         "no-coordinates", "multipolygon-number", "collection", "linestring", "null-type", "string", "swapped",
         "4d", "huge"],
)  # fmt: skip
def test_parse_geometry_gives_a_value_or_clear_lines(geom, fragment):
    read = geojson.parse_geometry(geom, "feature[0]")
    if fragment is None:
        assert read.problems == [] and read.value is not None
        assert all(len(p) == 2 for p in read.value["coordinates"][0])
        assert any("third ordinate" in n for n in read.notes)
    else:
        assert read.value is None
        assert any(fragment in str(p) for p in read.problems), read.problems
        assert all(str(p).startswith("feature[0]: ") and "\n" not in str(p) for p in read.problems)


def test_rewinding_follows_the_right_hand_rule():
    hole = [[125.3303, 43.8402], [125.3306, 43.8402], [125.3306, 43.8404], [125.3303, 43.8404], [125.3303, 43.8402]]
    read = geojson.parse_geometry(_poly(list(reversed(SQUARE)), hole), "f")
    assert read.problems == []
    outer, inner = read.value["coordinates"]
    assert geojson.signed_area(outer) > 0 > geojson.signed_area(inner)
    assert "rewound 2 ring(s)" in read.notes[0]
    # The stored-data rule does not rewind: it reports.
    assert any(
        "must be counter-clockwise" in str(p) for p in geojson.check_geometry(_poly(list(reversed(SQUARE))), "f")
    )


def test_repair_is_explicit_and_named_in_refusals():
    unclosed = _poly(SQUARE[:-1])
    assert "a repair fixes it" in str(geojson.parse_geometry(unclosed, "f").problems[0])
    assert geojson.parse_geometry(unclosed, "f").problems[0].values == {"repairable": True}
    read = geojson.parse_geometry(unclosed, "f", repair=True)
    assert read.value["coordinates"][0][0] == read.value["coordinates"][0][-1]
    bowtie = _poly([[125.33, 43.84], [125.331, 43.8407], [125.331, 43.84], [125.33, 43.8407], [125.33, 43.84]])
    assert "a repair fixes it" in str(geojson.parse_geometry(bowtie, "f").problems[0])
    mended = geojson.parse_geometry(bowtie, "f", repair=True)
    assert mended.value["type"] == "MultiPolygon" and "make_valid" in mended.notes[-1]


# ------------------------------------------------------------------ through the command line


def test_the_map_draw_tool_exports_import(runner, valid_path, tmp_path):
    """A Leaflet rectangle (clockwise) drawn on the Amap basemap, exported with its datum, imports."""
    gcj = [list(coords.wgs84_to_gcj02(x, y)) for x, y in LEAFLET_RECT]
    export = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"datum": "gcj02"}, "geometry": _poly(gcj)}]}  # fmt: skip
    path = tmp_path / "export.geojson"
    path.write_text(json.dumps(export), encoding="utf-8")
    result = runner.invoke(main, ["import", str(path), "--name", "草图园", "--area", "6400", "--data", str(valid_path)])
    assert result.exit_code == 0, result.output
    assert "rewound 1 ring(s)" in result.output and "converted the outline from gcj02" in result.output
    park = next(f for f in json.loads(valid_path.read_text())["features"] if f["properties"]["name"] == "草图园")
    ring = park["geometry"]["coordinates"][0]
    assert geojson.signed_area(ring) > 0
    got, want = sorted(map(tuple, ring[:-1])), sorted(map(tuple, LEAFLET_RECT[:-1]))
    # pytest.approx compares flat sequences of numbers (9.2 refuses nested ones): compare position by position.
    assert len(got) == len(want)
    assert all(g == pytest.approx(w, abs=1e-7) for g, w in zip(got, want, strict=True)), (got, want)


def test_ragged_multipolygon_import_is_one_line_not_a_traceback(runner, valid_path, tmp_path):
    geom = {"type": "MultiPolygon", "coordinates": [[[[125.33, 43.84], [125.331, 43.84, 3.0], [125.331, 43.8407],
                                                       [125.33, 43.8407, 1.0, 2.0], [125.33, 43.84]]]]}  # fmt: skip
    path = tmp_path / "ragged.geojson"
    path.write_text(json.dumps(_feature(geom)), encoding="utf-8")
    digest = _digest(valid_path)
    result = runner.invoke(main, ["import", str(path), "--no-input", "--data", str(valid_path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "[lon, lat] or [lon, lat, height]" in result.output
    assert _digest(valid_path) == digest


def test_validate_and_import_refuse_the_same_geometry_with_the_same_words(runner, valid_path, tmp_path):
    bad = _poly([[125.33, 43.84], ["x", 43.84], [125.331, 43.8407], [125.33, 43.84]])
    doc = json.loads(valid_path.read_text())
    doc["features"][0]["geometry"] = bad
    broken = tmp_path / "broken.geojson"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    validated = runner.invoke(main, ["validate", "--data", str(broken)])
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(_feature(bad)), encoding="utf-8")
    imported = runner.invoke(main, ["import", str(path), "--no-input", "--data", str(valid_path)])
    assert validated.exit_code == imported.exit_code == 1
    assert "a position holds numbers only, got 'x'" in validated.output
    assert "a position holds numbers only, got 'x'" in imported.output


@pytest.mark.parametrize(
    "content",
    [
        b'\xef\xbb\xbf{"type": "Feature", "properties": {"name": "BOM\xe5\x9b\xad", "area": 6400}, "geometry": {"type": "Point", "coordinates": [125.334, 43.841]}}',
        b'{"type": "Point", "coordinates": [125.334, 43.841]}',
    ],
    ids=["bom", "bare-geometry"],
)
def test_lenient_inputs_import(runner, valid_path, tmp_path, content):
    path = tmp_path / "in.geojson"
    path.write_bytes(content)
    result = runner.invoke(main, ["import", str(path), "--no-input", "--name", "宽容园", "--area", "6400",
                                  "--data", str(valid_path)] if b"BOM" not in content else
                           ["import", str(path), "--no-input", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ({"type": "Feature", "properties": [1, 2], "geometry": {"type": "Point", "coordinates": [125.334, 43.841]}}, "properties must be an object"),
        ({"type": "Feature", "properties": {"name": 5, "area": 100}, "geometry": {"type": "Point", "coordinates": [125.334, 43.841]}}, "name must be text, got 5"),
        ({"type": "Feature", "properties": {"name": "园", "area": 100, "status": ["open"]}, "geometry": {"type": "Point", "coordinates": [125.334, 43.841]}}, "status must be text"),
        ({"type": "Feature", "properties": {"name": "园", "area": 100}, "geometry": {"type": "Point", "coordinates": "125.334,43.841"}}, "got '125.334,43.841'"),
        ({"type": "FeatureCollection", "features": [None, 3]}, "type must be 'Feature'"),
        ({"type": "FeatureCollection", "features": {}}, "features must be a list"),
        ({"type": "Feature", "properties": {}, "geometry": None}, "name is missing"),
        ({"type": "GeometryCollection", "geometries": []}, "GeometryCollection is not supported"),
        ([1, 2, 3], "not GeoJSON"),
    ],
    ids=["props-list", "name-number", "status-list", "coords-string", "features-not-objects", "features-object",
         "null-geometry-no-name", "collection", "array"],
)  # fmt: skip
def test_wrong_types_are_refused_by_name(runner, valid_path, tmp_path, doc, fragment):
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    digest = _digest(valid_path)
    result = runner.invoke(main, ["import", str(path), "--no-input", "--data", str(valid_path)])
    assert result.exit_code == 1, result.output
    assert fragment in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert _digest(valid_path) == digest


# ------------------------------------------------------------------ malformed input, generated

_number = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=120, max_value=130),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**20), 10**20),
    st.text(max_size=4),
    st.booleans(),
    st.none(),
)
_position = st.lists(_number, max_size=4)
_ring = st.one_of(st.lists(_position, max_size=6), _position, _number)
_coordinates = st.one_of(
    _position, st.lists(_ring, max_size=3), st.lists(st.lists(_ring, max_size=2), max_size=2), _number
)
_geometry = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Point", "Polygon", "MultiPolygon", "GeometryCollection", "LineString", "x"])},
        optional={"coordinates": _coordinates, "geometries": st.lists(st.none(), max_size=1)},
    ),
    _number,
)
_properties = st.one_of(
    st.dictionaries(st.sampled_from(["name", "area", "status", "class", "datum", "quote", "名称", "x"]), _number | st.text(max_size=8), max_size=5),
    _number,
    st.lists(_number, max_size=2),
)  # fmt: skip
_feature_st = st.fixed_dictionaries(
    {"type": st.sampled_from(["Feature", "feature", "Point"])},
    optional={"geometry": _geometry, "properties": _properties, "id": _number},
)
_document = st.one_of(
    st.fixed_dictionaries({"type": st.just("FeatureCollection"), "features": st.lists(_feature_st, max_size=3)}),
    _feature_st,
    _geometry,
)


def _encode(doc, mangle):
    text = json.dumps(doc, ensure_ascii=False, allow_nan=True).encode("utf-8")
    if mangle == "bom":
        return b"\xef\xbb\xbf" + text
    if mangle == "truncate":
        return text[: len(text) // 2]
    if mangle == "garbage":
        return text + b" }"
    if mangle == "latin1":
        return json.dumps(doc, ensure_ascii=False).encode("utf-8", "replace").replace(b"\xe5", b"\xff")
    return text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=_document, mangle=st.sampled_from(["plain", "plain", "bom", "truncate", "garbage", "latin1"]))
def test_no_input_gives_a_traceback_or_changes_the_file(valid_path, tmp_path, doc, mangle):
    """Thousands of malformed documents through the parser and `geo import`: clear lines or a valid place."""
    data = _encode(doc, mangle)
    try:
        read = geojson.read_source(data, label="in.geojson")
    except ValidationError as err:
        assert all(str(line) and "\n" not in str(line) for line in err.problems)
    else:
        for f in read.features:
            parsed = geojson.parse_geometry(f["geometry"], "f", repair=True)
            assert (parsed.value is None) == bool(parsed.problems)
    from geo.places import import_features

    before = valid_path.read_bytes()
    path = tmp_path / "in.geojson"
    path.write_bytes(data)
    try:
        import_features(path, valid_path, dry_run=False)
    except ValidationError as err:  # every refusal is a ValidationError with one line per problem
        assert all(str(line) and "\n" not in str(line) for line in err.problems)
        assert valid_path.read_bytes() == before
    else:
        from geo.store import load_collection

        load_collection(valid_path)  # what was accepted is a valid place
        valid_path.write_bytes(before)


# ---- outlines checked all at once (geojson.plain_outlines): never accepts what the full check refuses


def _outline(x=125.33, y=43.85, d=0.001):
    return [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]


def _outline_cases():
    """(label, geometry) pairs: plain outlines and each way one can break a rule."""
    hole = _outline(125.3303, 43.8503, 0.0002)[::-1]
    ring = _outline()
    bowtie = [[125.33, 43.85], [125.331, 43.851], [125.331, 43.85], [125.33, 43.851], [125.33, 43.85]]
    cases = {
        "plain": {"type": "Polygon", "coordinates": [ring]},
        "with a hole": {"type": "Polygon", "coordinates": [ring, hole]},
        "multi": {"type": "MultiPolygon", "coordinates": [[ring], [_outline(125.34, 43.86)]]},
        "int numbers": {"type": "Polygon", "coordinates": [[[125, 44], [126, 44], [126, 45], [125, 44]]]},
        "clockwise": {"type": "Polygon", "coordinates": [ring[::-1]]},
        "hole counter-clockwise": {"type": "Polygon", "coordinates": [ring, hole[::-1]]},
        "unclosed": {"type": "Polygon", "coordinates": [[*ring[:-1], [125.3301, 43.85]]]},
        "three positions": {"type": "Polygon", "coordinates": [[ring[0], ring[1], ring[0]]]},
        "a text number": {"type": "Polygon", "coordinates": [[["125.33", 43.85], *ring[1:-1], ["125.33", 43.85]]]},
        "a null": {"type": "Polygon", "coordinates": [[ring[0], [None, 43.85], *ring[2:]]]},
        "a boolean": {"type": "Polygon", "coordinates": [[ring[0], [True, 43.85], *ring[2:]]]},
        "heights": {"type": "Polygon", "coordinates": [[[*pos, 3.0] for pos in ring]]},
        "a short position": {"type": "Polygon", "coordinates": [[ring[0], [125.331], *ring[2:]]]},
        "a number for a position": {"type": "Polygon", "coordinates": [[ring[0], 125.331, *ring[2:]]]},
        "NaN": {"type": "Polygon", "coordinates": [[ring[0], [math.nan, 43.85], *ring[2:]]]},
        "outside the district": {"type": "Polygon", "coordinates": [_outline(121.0, 31.0)]},
        "self-intersecting": {"type": "Polygon", "coordinates": [bowtie]},
        "overlapping parts": {"type": "MultiPolygon", "coordinates": [[ring], [ring]]},
        "a bbox member": {"type": "Polygon", "coordinates": [ring], "bbox": [125.33, 43.85, 125.331, 43.851]},
        "empty": {"type": "Polygon", "coordinates": []},
        "a point": {"type": "Point", "coordinates": [125.33, 43.85]},
        "not an object": [ring],
    }
    return list(cases.items())


def test_plain_outlines_agree_with_the_full_check():
    from geo import model

    cases = _outline_cases()
    for k in range(len(cases)):
        # Each case alone, and among plain ones (one bad outline must not spoil or hide in a batch).
        batch = [cases[0][1], cases[k][1], cases[1][1]]
        got = geojson.plain_outlines(batch, model.DISTRICT_BBOX).tolist()
        label, geom = cases[k]
        full = model._check_geometry(geom, "x") if isinstance(geom, dict) else ["not an object"]
        outline = isinstance(geom, dict) and geom.get("type") in ("Polygon", "MultiPolygon")
        assert got[0] and got[2], label
        assert not (got[1] and full), f"{label}: accepted, the full check says {full}"
        if label in ("plain", "with a hole", "multi"):
            assert got[1] and full == [], label
        assert not (got[1] and not outline), label
    assert geojson.plain_outlines([], model.DISTRICT_BBOX).tolist() == []


def test_a_file_of_outlines_gets_the_same_problems_as_one_checked_feature_by_feature(valid_path):
    """check_collection takes the outline fast path, yet lists exactly the full check's problems, in order."""
    import copy

    from geo import model

    fc = json.loads(valid_path.read_text(encoding="utf-8"))
    square = next(f for f in fc["features"] if f["properties"]["id"] == "test-square-park")
    features = []
    for k, (_label, geom) in enumerate(_outline_cases()):
        f = copy.deepcopy(square)
        f["properties"]["id"] = f"outline-{k}"
        f["geometry"] = copy.deepcopy(geom)
        features.append(f)
    fc["features"] = [*fc["features"], *features]
    expected = []
    for i, f in enumerate(fc["features"]):
        expected += model.check_feature(f, i)
    got = model.check_collection(fc)
    assert got == expected and len(got) >= 15


def test_checked_outlines_build_what_outline_shapes_build_and_only_for_those_accepted():
    import shapely

    from geo import model

    geoms = [g for _, g in _outline_cases()]
    ok, built = geojson.checked_outlines(geoms, model.DISTRICT_BBOX)
    assert ok.tolist() == geojson.plain_outlines(geoms, model.DISTRICT_BBOX).tolist() and ok.sum() >= 3
    assert [b is None for b in built.tolist()] == (~ok).tolist()
    expected = geojson.outline_shapes([g for g, good in zip(geoms, ok.tolist(), strict=True) if good])
    assert bool(shapely.equals_exact(built[ok], expected, 0).all())
    assert [g.geom_type for g in built[ok]] == [g.geom_type for g in expected]
    assert geojson.checked_outlines([], model.DISTRICT_BBOX)[0].tolist() == []


def test_checked_outlines_read_a_boolean_as_no_number_even_where_0_and_1_lie_in_the_box():
    """Values of 0 and 1 (what a boolean reads as) take the ring-by-ring way, which refuses the boolean."""
    import shapely

    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    floats = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    flagged = [[0.0, 0.0], [True, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    geoms = [{"type": "Polygon", "coordinates": [r]} for r in (square, floats, flagged)]
    ok, built = geojson.checked_outlines(geoms, (-10.0, -10.0, 10.0, 10.0))
    assert ok.tolist() == [True, True, False]
    assert bool(shapely.equals_exact(built[0], shapely.Polygon(floats), 0)) and built[1].area == 1.0
    assert built[2] is None
    assert [parse.problems != [] for parse in (geojson.parse_geometry(g) for g in geoms)] == [False, False, True]


def test_outline_shapes_are_the_geometries_shapely_reads():
    import shapely

    plain = [g for label, g in _outline_cases() if label in ("plain", "with a hole", "multi", "int numbers")]
    heights = [g for label, g in _outline_cases() if label == "heights"]
    for batch in (plain, plain + heights):
        got = geojson.outline_shapes(batch)
        expected = shapely.from_geojson([json.dumps(g) for g in batch])
        assert len(got) == len(batch) and bool(shapely.equals_exact(got, expected, 0).all())
    assert [g.geom_type for g in geojson.outline_shapes(plain)] == ["Polygon", "Polygon", "MultiPolygon", "Polygon"]
