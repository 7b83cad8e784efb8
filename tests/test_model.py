import copy
import json
import math
import unicodedata
from pathlib import Path

import pytest
from _ids import slug as _slug

from geo import model
from geo.errors import ValidationError

DATA = Path(__file__).parent / "data"


@pytest.fixture
def collection():
    return json.loads((DATA / "places_valid.geojson").read_text(encoding="utf-8"))


def _feature(collection, ident):
    return next(f for f in collection["features"] if f["properties"]["id"] == ident)


def test_valid_fixture_has_no_problems(collection):
    assert model.check_collection(collection) == []
    places = model.validate_collection(collection)
    assert [p.id for p in places][:2] == ["test-mall", "test-square-park"]


def _set(path, value):
    def change(f):
        target = f
        *head, last = path
        for key in head:
            target = target[key]
        target[last] = value

    return change


SQUARE_CW = [[125.33, 43.85], [125.33, 43.8509], [125.33125, 43.8509], [125.33125, 43.85], [125.33, 43.85]]
BOWTIE = [[125.33, 43.85], [125.331, 43.851], [125.331, 43.85], [125.33, 43.851], [125.33, 43.85]]

CASES = [
    ("test-mall", _set(("properties", "name"), "  "), "name must be non-empty text"),
    ("test-mall", _set(("properties", "name"), None), "name is required"),
    ("test-mall", _set(("properties", "id"), "Bad Id"), "id must be lower-case ASCII"),
    ("test-mall", _set(("properties", "category"), "zoo"), "category must be one of"),
    ("test-mall", _set(("properties", "status"), "closed"), "status must be one of"),
    ("test-mall", _set(("properties", "park_class"), "游园"), "park_class is set but category is 'commerce'"),
    ("test-square-park", _set(("properties", "park_class"), "大公园"), "park_class must be one of"),
    ("test-square-park", _set(("properties", "stated_area_m2"), -5), "stated_area_m2 must be > 0"),
    ("test-square-park", _set(("properties", "stated_area_m2"), 0), "stated_area_m2 must be > 0"),
    ("test-square-park", _set(("properties", "stated_area_m2"), "big"), "must be a finite number"),
    ("test-square-park", _set(("properties", "stated_area_m2"), 1e12), "at most"),
    ("test-square-park", _set(("properties", "figures"), {"x": "many"}), "figures.x must be a finite number"),
    ("test-mall", _set(("geometry", "coordinates"), [43.8767, 125.3195]), "(lat, lon) order"),
    ("test-mall", _set(("geometry", "coordinates"), [116.4, 39.9]), "outside the district's extent"),
    ("test-mall", _set(("geometry", "type"), "LineString"), "geometry type must be one of"),
    ("test-mall", _set(("properties", "location_source"), None), "location_source is required"),
    ("test-mall", _set(("properties", "uncertainty_m"), -1), "uncertainty_m must be a number >= 0"),
    ("test-mall", _set(("properties", "precision"), "none"), "precision is 'none' but the place has a geometry"),
    ("test-mall", _set(("properties", "datum_in"), "mars"), "datum_in must be one of"),
    ("test-mall", _set(("properties", "outline"), "drawn"), "outline must be null for a Point"),
    ("test-gcj-park", _set(("properties", "coord_original"), [125.335, 43.9]), "is not coord_original"),
    ("test-gcj-park", _set(("properties", "coord_original"), None), "coord_original must be"),
    ("test-unlocated-park", _set(("properties", "location_method"), "gazetteer"), "location_method must be 'none'"),
    ("test-square-park", _set(("geometry", "coordinates"), [SQUARE_CW]), "must be counter-clockwise"),
    ("test-square-park", _set(("geometry", "coordinates"), [SQUARE_CW[:-1]]), "is not closed"),
    ("test-square-park", _set(("geometry", "coordinates"), [SQUARE_CW[:3]]), "at least 4 positions"),
    ("test-square-park", _set(("geometry", "coordinates"), [BOWTIE]), "not a valid Polygon"),
    ("test-square-park", _set(("properties", "outline"), None), "outline must be one of"),
    ("test-gcj-park", _set(("properties", "quote_source"), None), "quote_source is required"),
    ("test-mall", _set(("properties", "aliases"), ["ok", ""]), "aliases must be a list"),
]


@pytest.mark.parametrize(("ident", "change", "fragment"), CASES, ids=[_slug(c[2]) for c in CASES])
def test_each_invalid_record_is_reported(collection, ident, change, fragment):
    feature = copy.deepcopy(_feature(collection, ident))
    change(feature)
    problems = model.check_feature(feature)
    assert any(fragment in str(p) for p in problems), problems
    # The line names the feature, so a user can find it.
    assert all(str(p).startswith((ident, "feature", "Bad Id")) for p in problems)
    with pytest.raises(ValidationError):
        model.validate_place(feature)


def test_every_problem_is_reported_at_once(collection):
    feature = copy.deepcopy(_feature(collection, "test-square-park"))
    feature["properties"].update(name="", stated_area_m2=math.nan, status="gone", category="zoo")
    problems = model.check_feature(feature)
    assert len(problems) >= 4


def test_collection_rules(collection):
    dup = copy.deepcopy(collection)
    dup["features"].append(copy.deepcopy(dup["features"][0]))
    assert any("id is not unique" in str(p) for p in model.check_collection(dup))
    crs = dict(collection, crs={"type": "name"})
    assert any("crs member is not allowed" in str(p) for p in model.check_collection(crs))
    assert [str(p) for p in model.check_collection({"type": "Feature"})] == [
        "file: type must be 'FeatureCollection', got 'Feature'"
    ]
    assert [str(p) for p in model.check_collection([])] == ["file: type must be 'FeatureCollection', got 'list'"]
    assert "features must be a list" in str(model.check_collection({"type": "FeatureCollection"})[0])
    no_geom = copy.deepcopy(collection)
    del no_geom["features"][0]["geometry"]
    assert any("geometry member is required" in str(p) for p in model.check_collection(no_geom))


def test_normalize_properties_orders_and_keeps_extras():
    props = model.normalize_properties({"zzz": 1, "name": "x", "id": "a"})
    assert list(props)[:2] == ["id", "name"]
    assert list(props)[-1] == "zzz"
    assert set(model.PROPERTY_ORDER) <= set(props)


def test_place_to_feature_round_trip(collection):
    feature = _feature(collection, "test-gcj-park")
    place = model.validate_place(feature)
    assert place.to_feature() == feature
    assert place.name == "火星公园"


# ---- the fast path never accepts what the full check refuses

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_values = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["park", "open", "none", "exact", "manual", "wgs84", "gcj02", "游园", "x", " ", "Bad Id"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 10**10),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=2),
)
_keys = st.sampled_from(model.PROPERTY_ORDER)
_geometries = st.one_of(
    st.none(),
    st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, st.floats(120, 130), st.floats(40, 45)),
    st.builds(
        lambda x, y: {"type": "Point", "coordinates": [x, y]}, st.floats(allow_nan=True), st.floats(allow_nan=True)
    ),
    st.just({"type": "Point", "coordinates": [125.3, 43.8, 0.0]}),
    st.just({"type": "LineString", "coordinates": [[125.3, 43.8], [125.31, 43.81]]}),
)


@settings(max_examples=600, deadline=None)
@given(
    base=st.sampled_from(["test-mall", "test-unlocated-park", "test-home"]),
    changes=st.dictionaries(_keys, _values, max_size=4),
    geom=_geometries,
    swap_geom=st.booleans(),
)
def test_fast_path_never_accepts_an_invalid_feature(base, changes, geom, swap_geom):
    fc = json.loads((DATA / "places_valid.geojson").read_text(encoding="utf-8"))
    feature = copy.deepcopy(next(f for f in fc["features"] if f["properties"]["id"] == base))
    feature["properties"].update(changes)
    if swap_geom:
        feature["geometry"] = geom
    if model._plainly_valid(feature):
        assert model.check_feature(feature) == [], feature


def test_fast_path_accepts_the_common_cases(collection):
    plain = [f["properties"]["id"] for f in collection["features"] if model._plainly_valid(f)]
    assert plain == [
        "test-mall",
        "test-unlocated-park",
        "test-home",
    ]  # the polygon and the GCJ-02 point take the full check


def _mall_with(collection, **changes):
    feature = copy.deepcopy(_feature(collection, "test-mall"))
    geometry = changes.pop("geometry", feature["geometry"])
    feature["geometry"] = geometry
    feature["properties"].update(changes)
    return feature


_W, _S, _E, _N = model.DISTRICT_BBOX

#: Plainly valid variations of a located place: the fast path must take them (declining one would
#: only cost time, but the fast path is what makes loading 100k places quick).
PLAIN = {
    "unknown status, no status source": {"status": "unknown", "status_source": None},
    "a quote with its source": {"quote": "测试商场开业。", "quote_source": "report"},
    "an area under one square metre": {"stated_area_m2": 0.5, "stated_area_source": "report"},
    "the largest area allowed": {"stated_area_m2": model.MAX_AREA_M2, "stated_area_source": "report"},
    "a park class on a park": {"category": "park", "park_class": "游园"},
    "on the district's west edge": {"geometry": {"type": "Point", "coordinates": [_W, 43.8767]}},
    "on the district's east edge": {"geometry": {"type": "Point", "coordinates": [_E, 43.8767]}},
    "on the district's south edge": {"geometry": {"type": "Point", "coordinates": [125.3195, _S]}},
    "on the district's north edge": {"geometry": {"type": "Point", "coordinates": [125.3195, _N]}},
    "uncertainty zero": {"uncertainty_m": 0},
    "uncertainty as a float": {"uncertainty_m": 12.5},
    "datum unknown": {"datum_in": "unknown"},
}


@pytest.mark.parametrize("changes", PLAIN.values(), ids=[_slug(k) for k in PLAIN])
def test_fast_path_takes_plainly_valid_places(collection, changes):
    feature = _mall_with(collection, **changes)
    assert model.check_feature(feature) == []
    assert model._plainly_valid(feature)


#: One wrong thing each, of the kinds the fast path looks at: it must hand every one to the full check.
NOT_PLAIN = {
    "another type of object": {"type": "Thing"},
    "a control character in the name": {"name": "测试\x07商场"},
    "an empty name": {"name": ""},
    "a blank name": {"name": "  "},
    "an empty status source": {"status_source": ""},
    "a blank status source": {"status_source": " "},
    "a number as status source": {"status_source": 5},
    "a quote without its source": {"quote": "测试商场开业。"},
    "a quote with an empty source": {"quote": "测试商场开业。", "quote_source": ""},
    "a quote with a blank source": {"quote": "测试商场开业。", "quote_source": " "},
    "a quote with a number as source": {"quote": "测试商场开业。", "quote_source": 7},
    "area zero": {"stated_area_m2": 0, "stated_area_source": "report"},
    "area above the largest": {"stated_area_m2": model.MAX_AREA_M2 * 1.01, "stated_area_source": "report"},
    "an empty area source": {"stated_area_m2": 100, "stated_area_source": ""},
    "a blank area source": {"stated_area_m2": 100, "stated_area_source": "  "},
    "an unknown precision": {"precision": "roughly"},
    "an unknown method": {"location_method": "guessed"},
    "a point with no location method": {"location_method": "none"},
    "a point with no precision": {"precision": "none"},
    "no geometry but a method": {"geometry": None, "location_method": "manual", "precision": "none"},
    "no geometry but a precision": {"geometry": None, "location_method": "none", "precision": "exact"},
    "a line with a point's coordinates": {"geometry": {"type": "LineString", "coordinates": [125.3195, 43.8767]}},
    "coordinates as text": {"geometry": {"type": "Point", "coordinates": "125.3195,43.8767"}},
    "a longitude as text": {"geometry": {"type": "Point", "coordinates": ["125.3195", 43.8767]}},
    "a latitude as text": {"geometry": {"type": "Point", "coordinates": [125.3195, "43.8767"]}},
    "west of the district": {"geometry": {"type": "Point", "coordinates": [_W - 0.01, 43.8767]}},
    "east of the district": {"geometry": {"type": "Point", "coordinates": [_E + 0.01, 43.8767]}},
    "south of the district": {"geometry": {"type": "Point", "coordinates": [125.3195, _S - 0.01]}},
    "north of the district": {"geometry": {"type": "Point", "coordinates": [125.3195, _N + 0.01]}},
    "a negative uncertainty": {"uncertainty_m": -1},
    "no location source": {"location_source": None},
    "a blank location source": {"location_source": " "},
    "a datum from Amap without the original": {"datum_in": "gcj02"},
}


@pytest.mark.parametrize("changes", NOT_PLAIN.values(), ids=[_slug(k) for k in NOT_PLAIN])
def test_fast_path_hands_every_wrong_place_to_the_full_check(collection, changes):
    if "type" in changes:
        feature = copy.deepcopy(_feature(collection, "test-mall"))
        feature.update(changes)
    else:
        feature = _mall_with(collection, **changes)
    assert model.check_feature(feature), "the full check must refuse this"
    assert not model._plainly_valid(feature)


# ---- one text rule for every name, alias, English name, source and free text

#: Characters a reader cannot see (or that reorder what they see): each must be refused wherever text goes.
HIDDEN = {
    "variation selector 16": "\ufe0f",
    "variation selector 1": "\ufe00",
    "combining grapheme joiner": "\u034f",
    "hangul filler": "\u3164",
    "hangul choseong filler": "\u115f",
    "hangul jungseong filler": "\u1160",
    "halfwidth hangul filler": "\uffa0",
    "braille blank": "\u2800",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "right-to-left override": "\u202e",
    "first strong isolate": "\u2068",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "mongolian variation selector": "\u180b",
    "ideographic variation selector": "\U000e0100",
    "tag character": "\U000e0041",
    "nul": "\x00",
    "escape": "\x1b",
    "newline": "\n",
    "tab": "\t",
    "delete": "\x7f",
    "private use": "\ue000",
}


@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=[_slug(k) for k in HIDDEN])
@pytest.mark.parametrize("key", ["name", "name_en", "address", "notes", "status_source", "location_source"])
def test_every_text_field_refuses_hidden_characters_and_names_them(collection, key, hidden):
    feature = _mall_with(collection, **{key: f"测试{hidden}商场"})
    problems = model.check_feature(feature)
    code = f"U+{ord(hidden):04X}"
    assert [(p.field, p.kind) for p in problems] == [(key, "invalid")], problems
    assert f"{key} must not contain invisible or control characters ({code})" in str(problems[0]), problems
    assert not model._plainly_valid(feature)


@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=[_slug(k) for k in HIDDEN])
def test_aliases_and_sources_follow_the_same_rule(collection, hidden):
    for key in ("aliases", "sources"):
        feature = _mall_with(collection, **{key: ["测试商场", f"测试{hidden}"]})
        problems = model.check_feature(feature)
        assert [p.field for p in problems] == [key] and f"{key}[1] must not contain" in str(problems[0]), problems
        assert not model._plainly_valid(feature)


@pytest.mark.parametrize("marks", ["\u0301", "\u0301\u0308", " \u20dd", "\u0903"], ids=["one", "two", "spaced", "mc"])
def test_a_text_made_only_of_combining_marks_is_refused(collection, marks):
    for key in ("name", "name_en", "notes"):
        problems = model.check_feature(_mall_with(collection, **{key: marks}))
        assert [p.field for p in problems] == [key] and "combining mark" in str(problems[0]), problems


def test_ordinary_text_with_marks_spaces_and_punctuation_passes(collection):
    ok = {"name": "Café 睦邻\u3000园", "name_en": "Mulin Park (café, e\u0301)", "notes": "面积 7373 m²；\u00a0ok",
          "aliases": ["睦邻园口袋公园"], "sources": ["https://example.org/a?b=1"]}  # fmt: skip
    feature = _mall_with(collection, **ok)
    assert model.check_feature(feature) == []


def test_the_fast_path_takes_plain_aliases_and_sources(collection):
    feature = _mall_with(collection, aliases=["测试广场", "Test Plaza"], sources=["site visit"])
    assert model.check_feature(feature) == [] and model._plainly_valid(feature)
    assert not model._plainly_valid(_mall_with(collection, aliases=["测试广场", ""]))
    assert not model._plainly_valid(_mall_with(collection, aliases="测试广场"))


@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=[_slug(k) for k in HIDDEN])
def test_names_are_compared_without_any_hidden_character(hidden):
    assert model.text_key(f"睦邻园{hidden}") == model.text_key("睦邻园") == "睦邻园"
    assert model.hidden_characters(f"睦邻园{hidden}") == [f"U+{ord(hidden):04X}"]


def test_the_bundled_data_obeys_the_text_rule():
    from geo.store import load_collection

    collection = load_collection(Path(__file__).parent.parent / "data" / "locations.geojson")
    assert model.check_collection(collection) == []


_texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)


@settings(max_examples=400, deadline=None)
@given(text=_texts)
def test_the_fast_text_check_never_accepts_what_the_rule_refuses(text):
    if model._plain_text(text):
        assert model.text_problem(text, "name") is None and text.strip()
        assert not any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp") for c in text)


# ---- the column-wise fast path (large files) never accepts what the full check refuses either


def _changed_rows(geometries):
    """Up to six rows of (a valid test place, property changes, a geometry, whether to swap it in)."""
    places = st.sampled_from(["test-square-park", "test-mall", "test-unlocated-park", "test-home"])
    row = st.tuples(places, st.dictionaries(_keys, _values, max_size=3), geometries, st.booleans())
    return st.lists(row, min_size=1, max_size=6)


def _changed_features(rows) -> list[dict]:
    """Copies of the valid test places, each with hypothesis's property changes and, if drawn, its geometry swapped."""
    fc = json.loads((DATA / "places_valid.geojson").read_text(encoding="utf-8"))
    by_id = {f["properties"]["id"]: f for f in fc["features"]}
    features = []
    for base, changes, geom, swap_geom in rows:
        feature = copy.deepcopy(by_id[base])
        feature["properties"].update(changes)
        if swap_geom:
            feature["geometry"] = geom
        features.append(feature)
    return features


@settings(max_examples=400, deadline=None)
@given(rows=_changed_rows(_geometries))
def test_column_fast_path_never_accepts_an_invalid_feature(rows):
    features = _changed_features(rows)
    plain = model.plainly_valid(features)
    assert len(plain) == len(features)
    for feature, ok in zip(features, plain.tolist(), strict=True):
        if ok:
            assert model.check_feature(feature) == [], feature
        # Column by column or place by place, the fast path says the same of each place.
        assert ok == model._plainly_valid(feature), feature


_outlines = st.one_of(
    _geometries,
    st.just(
        {"type": "Polygon", "coordinates": [[[125.33, 43.85], [125.331, 43.85], [125.331, 43.851], [125.33, 43.85]]]}
    ),
    st.just(
        {"type": "Polygon", "coordinates": [[[125.33, 43.85], [125.33, 43.851], [125.331, 43.851], [125.33, 43.85]]]}
    ),
    st.just(
        {
            "type": "MultiPolygon",
            "coordinates": [[[[125.33, 43.85], [125.331, 43.85], [125.33, 43.851], [125.33, 43.85]]]],
        }
    ),
    st.just({"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.0], [121.1, 31.1], [121.0, 31.0]]]}),
    st.just({"type": "Polygon", "coordinates": []}),
)


@settings(max_examples=400, deadline=None)
@given(rows=_changed_rows(_outlines))
def test_column_fast_path_with_outlines_never_accepts_an_invalid_feature(rows):
    """The columnar reader's route: outlines whose properties pass, then their geometries checked together."""
    from geo.geojson import checked_outlines

    features = _changed_features(rows)
    outlines: list[int] = []
    col = model.property_columns([f["properties"] for f in features])
    plain = model.plainly_valid_columns(col, [f["geometry"] for f in features], outlines=outlines)
    shapes_ok = checked_outlines([features[i]["geometry"] for i in outlines], model.DISTRICT_BBOX)[0]
    plain[outlines] &= shapes_ok
    for i, (feature, ok) in enumerate(zip(features, plain.tolist(), strict=True)):
        if ok:
            assert model.check_feature(feature) == [], feature
        # The same verdict as the per-place fast path with its outline check.
        found: list[int] = []
        alone = model._plainly_valid(feature, found, 0)
        if found:
            alone = bool(model.plain_outlines([feature["geometry"]], model.DISTRICT_BBOX)[0])
        assert ok == alone, feature
        assert (i in outlines) == bool(found), feature
    assert model.plainly_valid_columns(col, [f["geometry"] for f in features]).sum() <= plain.sum()


def test_no_invisible_character_is_ascii():
    """The column check skips the search of an ASCII column (str.isascii): it may only while this holds."""
    assert not [c for c in range(128) if model._INVISIBLE.match(chr(c))]
    assert model._plain_strings(["Park", "Square"]) and not model._plain_strings(["Park", "Sq\u00aduare"])


def test_column_fast_path_takes_the_common_cases_and_hands_on_every_wrong_one(collection):
    plain = [_mall_with(collection, **changes) for changes in PLAIN.values()]
    assert model.plainly_valid(plain).all()
    wrong = [_mall_with(collection, **changes) for k, changes in NOT_PLAIN.items() if "type" not in changes]
    # Among plain neighbours (a column fails as a whole; then each place is looked at alone).
    mixed = [x for pair in zip(plain * 3, wrong, strict=False) for x in pair]
    verdict = model.plainly_valid(mixed).tolist()
    assert verdict == [f in plain for f in mixed]
    for key, hidden in (("name", "\u200b"), ("notes", "\ufe0f"), ("aliases", ["x", "\x07"])):
        assert model.plainly_valid([plain[0], _mall_with(collection, **{key: hidden})]).tolist() == [True, False]


def test_property_columns_take_every_key_or_say_what_is_missing(collection):
    props = [f["properties"] for f in collection["features"]]
    col = model.property_columns(props)
    assert list(col) == list(model.PROPERTY_ORDER)
    assert list(col["id"]) == [p["id"] for p in props]
    del props[1]["notes"]
    assert model.property_columns(props)["notes"][1] is None
    with pytest.raises(KeyError):
        model.property_columns(props, complete=True)
