"""Contracts at their edges: the boundaries that hand-made mutants slipped past (issue 15).

Each test pins a limit from both sides, so loosening or tightening it by one step fails.
"""

from __future__ import annotations

import copy
import json

import pytest
from _ids import slug as _slug

from geo import coords, geojson, model, store, summary
from geo.errors import CoordinateError, ValidationError

SQUARE = [[125.3300, 43.8400], [125.3310, 43.8400], [125.3310, 43.8407], [125.3300, 43.8407], [125.3300, 43.8400]]
HOLE_CW = [[125.3303, 43.8402], [125.3303, 43.8404], [125.3306, 43.8404], [125.3306, 43.8402], [125.3303, 43.8402]]


@pytest.mark.parametrize(("lon", "lat"), [(180, 90), (-180, -90), (180.0, -90.0), (0, 0)])
def test_the_ends_of_the_lon_lat_ranges_are_allowed(lon, lat):
    assert coords.check_lonlat(lon, lat) == []


@pytest.mark.parametrize(
    ("lon", "lat", "fragment"),
    [
        (180.000001, 0, "longitude must be in [-180, 180]"),
        (-180.000001, 0, "longitude must be in [-180, 180]"),
        (100, 90.000001, "latitude must be in [-90, 90]"),
        (100, -90.000001, "latitude must be in [-90, 90]"),
        (45, 90.5, "(lat, lon) order given?"),  # |lon| <= 90: probably swapped
    ],
)
def test_just_past_the_ends_is_refused(lon, lat, fragment):
    found = coords.check_lonlat(lon, lat, field="pos")
    assert len(found) == 1 and fragment in str(found[0]) and str(found[0]).startswith("pos: ")
    assert found[0].field == "pos"


def _place(valid_path, ident):
    data = json.loads(valid_path.read_text(encoding="utf-8"))
    return next(f for f in data["features"] if f["properties"]["id"] == ident)


def test_uncertainty_zero_is_exact_and_below_zero_is_refused(valid_path):
    place = _place(valid_path, "test-gcj-park")
    place["properties"]["uncertainty_m"] = 0
    assert [p for p in model.check_feature(place) if "uncertainty" in str(p)] == []
    place["properties"]["uncertainty_m"] = -0.001
    found = [p for p in model.check_feature(place) if getattr(p, "field", "") == "uncertainty_m"]
    assert len(found) == 1 and "must be a number >= 0" in str(found[0])


def test_a_converted_point_must_match_its_original_to_a_tenth_of_a_metre(valid_path):
    place = _place(valid_path, "test-gcj-park")
    lon, lat = coords.to_wgs84(*place["properties"]["coord_original"], "gcj02")
    place["geometry"]["coordinates"] = [round(lon, 7), round(lat, 7)]  # the stored precision
    assert model.check_feature(place) == []
    # 1e-5 degree (about a metre) away from the conversion is refused; the tolerance is 1e-6 degree.
    place["geometry"]["coordinates"] = [lon + 1e-5, lat]
    found = [p for p in model.check_feature(place) if "is not coord_original" in str(p)]
    assert len(found) == 1 and found[0].field == "geometry" and found[0].kind == "conflict"
    place["geometry"]["coordinates"] = [lon + 2e-6, lat]
    assert any("is not coord_original" in str(p) for p in model.check_feature(place))
    place["geometry"]["coordinates"] = [lon + 5e-7, lat]
    assert model.check_feature(place) == []


def test_a_hole_must_turn_clockwise_in_stored_data_and_is_rewound_on_input():
    good = {"type": "Polygon", "coordinates": [SQUARE, HOLE_CW]}
    assert geojson.check_geometry(good, "f") == []
    wrong_hole = {"type": "Polygon", "coordinates": [SQUARE, list(reversed(HOLE_CW))]}
    found = geojson.check_geometry(wrong_hole, "f")
    assert len(found) == 1 and "must be clockwise" in str(found[0]) and found[0].field == "geometry"
    read = geojson.parse_geometry(copy.deepcopy(wrong_hole), "f")
    assert read.problems == [] and read.value["coordinates"][1] == HOLE_CW
    assert geojson.signed_area(read.value["coordinates"][1]) < 0 < geojson.signed_area(read.value["coordinates"][0])


def test_patch_refuses_an_added_place_whose_id_is_taken(valid_path):
    before = valid_path.read_bytes()
    twin = _place(valid_path, "test-gcj-park")
    twin["properties"]["name"] = "另一个火星公园"
    with pytest.raises(ValidationError) as caught:
        store.patch(valid_path, lambda features: store.Changes(add=[twin]))
    unique = [p for p in caught.value.problems if "id is not unique" in str(p)]
    assert len(unique) == 1 and unique[0].field == "id" and unique[0].kind == "duplicate"
    assert valid_path.read_bytes() == before
    # Two new places with one new id are refused too, and a new id is accepted.
    first = copy.deepcopy(twin)
    first["properties"]["id"] = "test-new-park"
    second = copy.deepcopy(first)
    second["properties"]["name"] = "第三个火星公园"
    with pytest.raises(ValidationError, match="id is not unique"):
        store.patch(valid_path, lambda features: store.Changes(add=[first, second]))
    assert valid_path.read_bytes() == before
    store.patch(valid_path, lambda features: store.Changes(add=[first]))
    assert "test-new-park" in valid_path.read_text(encoding="utf-8")


def test_exactly_eight_square_metres_per_person_meets_the_standard(places_gdf):
    parks = summary.park_area_summary(places_gdf, district_area_m2=1e8)
    stated = parks["stated_area_m2"]
    assert stated > 0
    at = summary.park_area_summary(places_gdf, district_area_m2=1e8, population=stated / 8)["per_capita"]
    assert at["stated_area_m2_per_person"] == pytest.approx(8) and at["meets_standard"] is True
    below = summary.park_area_summary(places_gdf, district_area_m2=1e8, population=stated / 7.99)["per_capita"]
    assert below["meets_standard"] is False


@pytest.mark.parametrize(
    "convert",
    [
        coords.wgs84_to_gcj02,
        coords.gcj02_to_wgs84,
        coords.gcj02_to_bd09,
        coords.bd09_to_gcj02,
        coords.wgs84_to_bd09,
        coords.bd09_to_wgs84,
    ],
    ids=lambda f: f.__name__,
)
def test_numbers_in_numbers_out_arrays_in_arrays_out(convert):
    import numpy as np

    lon, lat = convert(125.3245, 43.8868)
    assert type(lon) is float and type(lat) is float
    lons, lats = convert(np.array([125.3245, 125.33]), np.array([43.8868, 43.84]))
    assert isinstance(lons, np.ndarray) and lons.shape == (2,) and isinstance(lats, np.ndarray)
    assert (float(lons[0]), float(lats[0])) == pytest.approx((lon, lat), abs=1e-12)


def test_distance_is_a_number_for_numbers_and_an_array_for_arrays():
    import numpy as np

    d = coords.distance_m(125.3, 43.8, 125.31, 43.8)
    assert type(d) is float and d == pytest.approx(804.5, abs=2)
    many = coords.distance_m(
        np.array([125.3, 125.3]), np.array([43.8, 43.8]), np.array([125.31, 125.3]), np.array([43.8, 43.8])
    )
    assert isinstance(many, np.ndarray) and many[1] == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("睦邻园", "睦邻园\u200b"),  # zero-width space
        ("睦邻园", "睦\u200d邻园"),  # zero-width joiner
        ("睦邻园", "\u202e睦邻园"),  # a bidi override
        ("Mulin  Park", " mulin park "),  # spaces collapsed, case folded
        ("ＭＵＬＩＮ", "mulin"),  # full-width letters (NFKC)
        ("睦邻园", "睦邻园\x07"),  # a control character
    ],
)
def test_names_a_reader_cannot_tell_apart_have_one_key(a, b):
    assert model.text_key(a) == model.text_key(b)


@pytest.mark.parametrize(("a", "b"), [("睦邻园", "睦邻圆"), ("Mulin Park", "Mulin Parks"), ("a b", "ab")])
def test_different_names_keep_different_keys(a, b):
    assert model.text_key(a) != model.text_key(b)


def test_district_figures_are_checked_whatever_else_the_metadata_holds():
    good = {"key": "k", "value": 31, "subject": "s", "source": "report", "quote": "q", "quote_source": "qs"}
    assert model.check_district_figures({"district_figures": [good]}) == []
    assert model.check_district_figures({"title": "t"}) == []
    assert model.check_district_figures(None) == []
    assert "must be a list" in str(model.check_district_figures({"district_figures": {"k": 1}})[0])
    bad = dict(good, value=float("nan"))
    assert any(
        "value must be a finite number" in str(p) for p in model.check_district_figures({"district_figures": [bad]})
    )
    twice = model.check_district_figures({"district_figures": [good, dict(good)]})
    assert any("is repeated" in str(p) for p in twice)
    for key in ("subject", "source", "quote", "quote_source"):
        found = model.check_district_figures({"district_figures": [dict(good, **{key: " "})]})
        assert any(f"{key} must be non-empty text" in str(p) for p in found), key


@pytest.mark.parametrize(
    "hidden", ["\ue000", "\U000f0000", "\ud800", "\u200b", "\x1b"], ids=["Co", "Co-plane15", "Cs", "Cf", "Cc"]
)
def test_every_kind_of_invisible_character_is_dropped_from_the_key(hidden):
    assert model.text_key(f"睦邻{hidden}园") == model.text_key("睦邻园") == "睦邻园"


def test_district_figure_problems_name_the_figure_the_field_and_the_kind():
    good = {"key": "k", "value": 31, "subject": "s", "source": "report", "quote": "q", "quote_source": "qs"}
    found = model.check_district_figures({"district_figures": [good, "oops", dict(good, key="j", value="31")]})
    assert [(str(p), p.field, p.kind) for p in found] == [
        ("metadata.district_figures[1]: must be an object, got 'oops'", "district_figures", "invalid"),
        ("metadata.district_figures[2]: value must be a finite number, got '31'", "value", "invalid"),
    ]
    twice = model.check_district_figures({"district_figures": [good, dict(good)]})
    assert [(str(p), p.field, p.kind) for p in twice] == [
        ("metadata.district_figures[1]: key 'k' is repeated", "key", "duplicate")
    ]
    blank = model.check_district_figures({"district_figures": [dict(good, subject="")]})
    assert [(str(p), p.field, p.kind) for p in blank] == [
        ("metadata.district_figures[0]: subject must be non-empty text, got ''", "subject", "invalid")
    ]


def test_an_unlocated_place_must_not_claim_a_method_or_precision(valid_path):
    data = json.loads(valid_path.read_text(encoding="utf-8"))
    place = next(f for f in data["features"] if f["geometry"] is None)
    assert model.check_feature(place) == []
    ident = place["properties"]["id"]
    place["properties"].update(location_method="manual", precision="exact")
    found = [(str(p), p.field, p.kind) for p in model.check_feature(place) if "without geometry" in str(p)]
    where = str(next(p for p in model.check_feature(place))).split(": ")[0]
    assert ident in where
    assert found == [
        (f"{where}: location_method must be 'none' without geometry, got 'manual'", "location_method", "invalid"),
        (f"{where}: precision must be 'none' without geometry, got 'exact'", "precision", "invalid"),
    ]


def test_a_place_round_trips_to_a_feature_with_its_own_properties(valid_path):
    data = json.loads(valid_path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"]["x_extra"] = "kept"
        again = model.validate_place(feature).to_feature()
        assert again["geometry"] == feature["geometry"]
        assert again["properties"] == {**model.normalize_properties(feature["properties"])}
        assert again["properties"]["x_extra"] == "kept" and again["properties"]["name"] == feature["properties"]["name"]
        assert list(again["properties"])[: len(model.PROPERTY_ORDER)] == list(model.PROPERTY_ORDER)


def test_the_gcj02_box_includes_its_edges_and_nothing_past_them():
    import numpy as np

    w, s, e, n = coords._CHINA_BOX
    for lon, lat in [(w, s), (e, n), (w, n), (e, s)]:
        assert coords.in_china(lon, lat) is True
    for lon, lat in [(w - 1e-9, s), (e + 1e-9, n), (w, s - 1e-9), (e, n + 1e-9)]:
        assert coords.in_china(lon, lat) is False
    inside = coords.in_china(np.array([w, e + 1.0]), np.array([s, n]))
    assert isinstance(inside, np.ndarray) and inside.tolist() == [True, False]


@pytest.mark.parametrize("name", ["   ", "\u3000", ""], ids=["spaces", "ideographic-space", "empty"])
def test_the_fast_path_never_lets_a_blank_name_through(valid_path, name):
    data = json.loads(valid_path.read_text(encoding="utf-8"))
    point = next(f for f in data["features"] if f["geometry"] and f["geometry"]["type"] == "Point")
    point["properties"]["name"] = name
    found = [p for p in model.check_collection(data) if "name must be non-empty text" in str(p)]
    assert len(found) == 1 and found[0].field == "name"


def test_the_collection_check_reports_where_each_problem_is(valid_path):
    data = json.loads(valid_path.read_text(encoding="utf-8"))
    n = len(data["features"])
    twin = copy.deepcopy(data["features"][0])
    ident = twin["properties"]["id"]
    broken = copy.deepcopy(data["features"][1])
    broken["properties"]["stated_area_m2"] = -1
    del broken["properties"]["id"]  # without an id, a problem says where the place is by its index
    data["features"] += [twin, broken]
    data["metadata"] = {"district_figures": ["oops"]}
    found = [str(p) for p in model.check_collection(data)]
    assert f"{ident}: id is not unique (features 0 and {n})" in found
    assert f"feature[{n + 1}]: stated_area_m2 must be > 0, got -1" in found
    assert "metadata.district_figures[0]: must be an object, got 'oops'" in found
    assert [str(p) for p in model.check_collection({"type": "FeatureCollection", "features": {}})] == [
        "file: features must be a list, got dict"
    ]
    with pytest.raises(ValidationError) as caught:
        model.validate_collection(data)
    assert [str(p) for p in caught.value.problems] == found


def test_validating_a_collection_gives_its_places_with_their_geometry(valid_path):
    data = json.loads(valid_path.read_text(encoding="utf-8"))
    places = model.validate_collection(data)
    assert [p.geometry for p in places] == [f["geometry"] for f in data["features"]]
    assert [p.properties["id"] for p in places] == [f["properties"]["id"] for f in data["features"]]


def test_a_name_key_keeps_single_spaces_between_words():
    assert model.text_key("  Mulin \t Park ") == "mulin park"


# ---- the store's reading and rounding, the datum dispatch


def test_read_file_takes_exactly_the_limit_and_says_what_is_wrong(tmp_path):
    from geo.errors import StoreError

    path = tmp_path / "ten.json"
    path.write_bytes(b"0123456789")
    assert store.read_file(path, label="ten:", max_bytes=10) == b"0123456789"
    with pytest.raises(StoreError) as info:
        store.read_file(path, label="ten:", max_bytes=9)
    assert str(info.value) == "ten: has 10 bytes, more than 9; split it"
    with pytest.raises(StoreError) as info:
        store.read_file(tmp_path, label="folder:")
    assert str(info.value) == "folder: is not a regular file (a pipe or a device would block or never end)"


def test_read_file_reports_an_os_error_by_its_reason(tmp_path, monkeypatch):
    from geo.errors import StoreError

    path = tmp_path / "x.json"
    path.write_bytes(b"{}")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", refuse)
    with pytest.raises(StoreError) as info:
        store.read_file(path, label="x:")
    assert str(info.value) == "x: cannot be read: Permission denied"


def test_an_invalid_data_file_is_named_in_the_error(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]}), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        store.load_collection(path)
    assert str(info.value.problems[0]).startswith(f"{path}: ") and "problem" in str(info.value.problems[0])


def test_rounding_never_writes_minus_zero():
    import math

    zero = store._round(-1e-12, 7)
    assert zero == 0 and math.copysign(1, zero) == 1
    assert store._round(-0.25, 1) == -0.2 and store._round(1.23456789, 7) == 1.2345679


def test_to_wgs84_dispatches_bd09_and_names_the_datums_it_knows():
    assert coords.to_wgs84(125.34, 43.85, "bd09") == coords.bd09_to_wgs84(125.34, 43.85)
    assert coords.to_wgs84(125.34, 43.85, "bd09") != coords.to_wgs84(125.34, 43.85, "gcj02")
    with pytest.raises(CoordinateError) as info:
        coords.to_wgs84(125.34, 43.85, "wgs72")
    assert str(info.value) == "datum must be one of wgs84, gcj02, bd09, got 'wgs72'"


# ---- each model problem, whole: its text, the field it is about and its kind

_BOX = "(125.2436, 43.5113, 125.5713, 43.9142)"
MODEL_PROBLEMS = {
    "bd09 point off its original": ("test-mall", {"datum_in": "bd09", "coord_original": [125.0, 43.0]}, [
        (("test-mall: geometry [125.3195, 43.8767] is not coord_original [125.0, 43.0] converted from bd09 to WGS-84 "
         "(124.9872837, 42.9919117)"), "geometry", "conflict")]),
    "an original on an outline": ("test-square-park", {"coord_original": [125.33, 43.85]}, [
        ("test-square-park: coord_original is only kept for points, got [125.33, 43.85]", "coord_original", "invalid")]),
    "no location method": ("test-mall", {"location_method": None}, [
        ("test-mall: location_method is required", "location_method", "missing")]),
    "no precision": ("test-mall", {"precision": None}, [("test-mall: precision is required", "precision", "missing")]),
    "an unknown precision": ("test-mall", {"precision": "roughly"}, [
        ("test-mall: precision must be one of exact, intersection, street, approximate, district, none, got 'roughly'", "precision", "invalid")]),
    "no uncertainty": ("test-mall", {"uncertainty_m": None}, [
        ("test-mall: uncertainty_m must be a number >= 0 for a located place, got None", "uncertainty_m", "invalid")]),
    "two provenance problems": ("test-square-park", {"outline": "guessed", "uncertainty_m": -1}, [
        ("test-square-park: uncertainty_m must be a number >= 0 for a located place, got -1", "uncertainty_m", "invalid"),
        ("test-square-park: outline must be one of surveyed, drawn, schematic, got 'guessed'", "outline", "invalid")]),
    "no entrances listed": ("test-square-park", {"entrances": []}, [
        ("test-square-park: entrances must be a non-empty list of [lon, lat] positions, got []", "entrances", "invalid")]),
    "an entrance of one number": ("test-square-park", {"entrances": [[1]]}, [
        ("test-square-park: entrances[0] must be [lon, lat], got [1]", "entrances", "invalid")]),
    "an entrance off the globe": ("test-square-park", {"entrances": [[125.3, 200.0]]}, [
        ("test-square-park: entrances[0]: latitude must be in [-90, 90], got 200.0", "entrances", "invalid")]),
    "a park class on a mall": ("test-mall", {"park_class": "游园"}, [
        ("test-mall: park_class is set but category is 'commerce'", "park_class", "conflict")]),
    "a lone surrogate in the name": ("test-mall", {"name": "a\ud800b"}, [
        ("test-mall: name holds bytes that are not UTF-8 text, got 'a\\ud800b'", "name", "invalid")]),
    "east of the district": ("test-mall", {"geometry": {"type": "Point", "coordinates": [126.0, 43.8]}}, [
        (f"test-mall: geometry (126.0, 43.8) is outside the district's extent {_BOX} (lon, lat WGS-84)", "geometry",
         "outside")]),
    "no name": ("test-mall", {"name": None}, [("test-mall: name is required", "name", "missing")]),
    "an area source without an area": ("test-mall", {"stated_area_source": "report"}, [
        ("test-mall: stated_area_source is set but stated_area_m2 is null, got 'report'", "stated_area_source",
         "conflict")]),
    "an open place without a status source": ("test-mall", {"status_source": None}, [
        ("test-mall: status_source is required", "status_source", "missing")]),
    "figure sources as text": ("test-mall", {"figures": {"a": 1}, "figure_sources": "report"}, [
        ("test-mall: figure_sources must be an object of texts, got 'report'", "figure_sources", "invalid")]),
    "a figure without a source": ("test-mall", {"figures": {"a": 1}}, [
        ('test-mall: figure_sources.a is required ("report" or the source of figures.a)', "figure_sources",
         "missing")]),
    "a source without a figure": ("test-mall", {"figures": {"a": 1}, "figure_sources": {"a": "report", "b": "report"}}, [
        ("test-mall: figure_sources.b names no figure", "figure_sources", "invalid")]),
    "a blank figure source": ("test-mall", {"figures": {"a": 1}, "figure_sources": {"a": " "}}, [
        ("test-mall: figure_sources.a must be non-empty text, got ' '", "figure_sources", "invalid")]),
    "an entrance outside the district": ("test-square-park", {"entrances": [[126.0, 43.8]]}, [
        (f"test-square-park: entrances[0] [126.0, 43.8] is outside the district's extent {_BOX}", "entrances",
         "outside")]),
}  # fmt: skip


@pytest.mark.parametrize(("ident", "changes", "want"), MODEL_PROBLEMS.values(), ids=list(MODEL_PROBLEMS))
def test_each_model_problem_has_its_text_field_and_kind(valid_path, ident, changes, want):
    fc = json.loads(valid_path.read_text(encoding="utf-8"))
    feature = copy.deepcopy(next(f for f in fc["features"] if f["properties"]["id"] == ident))
    changes = dict(changes)
    if "geometry" in changes:
        feature["geometry"] = changes.pop("geometry")
    feature["properties"].update(changes)
    got = [(str(p), p.field, p.kind) for p in model.check_feature(feature)]
    assert got == want


# ---- coordinate pairs: every message whole, and the edges between them

LONLAT_PROBLEMS = [
    (("125.3", 43.8), "pos: expected two numbers (lon, lat), got ('125.3', 43.8)"),
    ((float("nan"), 43.8), "pos: coordinates must be finite, got (nan, 43.8)"),
    ((640000.0, 4855000.0), ("pos: coordinates look projected (metres?); GeoJSON must be WGS-84 lon/lat degrees, "
                            "got (640000.0, 4855000.0)")),
    ((200.0, 90.0), "pos: longitude must be in [-180, 180], got 200.0"),  # 90° is a latitude, not a projection
    ((90.0, 90.5), ("pos: latitude 90.5 is out of [-90, 90]; (lat, lon) order given? GeoJSON wants (lon, lat), "
                   "got (90.0, 90.5)")),
    ((90.5, 91.0), "pos: latitude must be in [-90, 90], got 91.0"),  # |lon| > 90: not a swapped pair
]  # fmt: skip


@pytest.mark.parametrize(("pair", "line"), LONLAT_PROBLEMS, ids=[_slug(str(p)) for p, _ in LONLAT_PROBLEMS])
def test_each_coordinate_problem_names_the_field_whole(pair, line):
    assert [(str(p), p.field, p.kind) for p in coords.check_lonlat(*pair, field="pos")] == [(line, "pos", "invalid")]


def test_a_latitude_of_ninety_is_a_pole_not_a_problem():
    assert coords.check_lonlat(45.0, 90.0) == [] and coords.check_lonlat(-45.0, -90.0) == []


# ---- model problems of the feature itself

FEATURE_PROBLEMS = {
    "no geometry member": (lambda f: f.pop("geometry"), [
        ("test-mall: geometry member is required (null when unlocated)", "geometry", "missing"),
        ("test-mall: location_method must be 'none' without geometry, got 'manual'", "location_method", "invalid"),
        ("test-mall: precision must be 'none' without geometry, got 'exact'", "precision", "invalid")]),
    "figures as text": (lambda f: f["properties"].update(figures="many", figure_sources=None), [
        ("test-mall: figures must be an object of numbers, got 'many'", "figures", "invalid")]),
    "a figure as text": (lambda f: f["properties"].update(figures={"a": "1"}, figure_sources={"a": "report"}), [
        ("test-mall: figures.a must be a finite number, got '1'", "figures", "invalid")]),
    "sources as text": (lambda f: f["properties"].update(sources="report"), [
        ("test-mall: sources must be a list of non-empty texts, got 'report'", "sources", "invalid")]),
    "an upper-case id": (lambda f: f["properties"].update(id="Test-Mall"), [
        ("Test-Mall: id must be lower-case ASCII letters, digits and '-', got 'Test-Mall'", "id", "invalid")]),
    "a blank English name": (lambda f: f["properties"].update(name_en=" "), [
        ("test-mall: name_en must be non-empty text, got ' '", "name_en", "invalid")]),
    "a blank location source": (lambda f: f["properties"].update(location_source=" "), [
        ("test-mall: location_source must be non-empty text, got ' '", "location_source", "invalid")]),
    "a blank status source": (lambda f: f["properties"].update(status_source=" "), [
        ("test-mall: status_source must be non-empty text, got ' '", "status_source", "invalid")]),
    "a polygon reaching past the district": (lambda f: f.update(geometry={"type": "Polygon", "coordinates": [[
        [125.5, 43.85], [125.6, 43.85], [125.6, 43.86], [125.5, 43.86], [125.5, 43.85]]]}), "outside"),
}  # fmt: skip


@pytest.mark.parametrize(("change", "want"), FEATURE_PROBLEMS.values(), ids=[_slug(k) for k in FEATURE_PROBLEMS])
def test_each_feature_problem_whole(valid_path, change, want):
    fc = json.loads(valid_path.read_text(encoding="utf-8"))
    feature = copy.deepcopy(fc["features"][0])
    change(feature)
    got = [(str(p), p.field, p.kind) for p in model.check_feature(feature)]
    if want == "outside":
        assert [(p[1], p[2]) for p in got] == [("geometry", "outside")] and "reach outside" in got[0][0]
        assert got[0][0].startswith("test-mall: ")
    else:
        assert got == want


def test_a_coord_original_must_come_with_a_point_and_match_it(valid_path):
    fc = json.loads(valid_path.read_text(encoding="utf-8"))
    gcj = copy.deepcopy(next(f for f in fc["features"] if f["properties"]["id"] == "test-gcj-park"))
    gcj["properties"]["coord_original"] = [125.34, 43.842]
    (line,) = model.check_feature(gcj)
    assert (line.field, line.kind) == ("geometry", "conflict")
    gcj["properties"]["coord_original"] = None
    (line,) = model.check_feature(gcj)
    assert str(line) == "test-gcj-park: coord_original must be the [lon, lat] the source gave in gcj02, got None"
    assert line.field == "coord_original"
