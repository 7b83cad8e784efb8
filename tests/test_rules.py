"""Issue 26: one declared rule set for a place's properties, and everything derived from it.

A rule changed in ``geo.rules.RULES`` changes the full check, the fast path for one place, the column-wise
path for many, add-park's option checks and the editor form's choices alike; the published JSON Schema is
the rule set's, accepts the bundled data and refuses what the model refuses (for the rules a schema can say).
"""

import ast
import copy
import fnmatch
import json
from pathlib import Path

import jsonschema
import pytest

from geo import model, places, rules
from geo.errors import ValidationError

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
SCHEMA_FILE = ROOT / "geo" / "data" / "locations.schema.json"


@pytest.fixture
def collection():
    return json.loads((DATA / "places_valid.geojson").read_text(encoding="utf-8"))


def _feature(collection, ident, **changes):
    feature = copy.deepcopy(next(f for f in collection["features"] if f["properties"]["id"] == ident))
    if "geometry" in changes:
        feature["geometry"] = changes.pop("geometry")
    feature["properties"].update(changes)
    return feature


def _schema_errors(schema, features):
    validator = jsonschema.Draft202012Validator(schema)
    return list(validator.iter_errors({"type": "FeatureCollection", "features": features}))


# ---- the vocabularies the model exports are the rule set's


def test_the_models_vocabularies_and_order_are_the_rule_sets():
    assert rules.RULES.names == model.PROPERTY_ORDER
    assert model.STATUSES == rules.RULES.choices("status") == ("open", "under_construction", "planned", "unknown")
    assert list(model.PARK_CLASSES) == list(rules.RULES.choices("park_class"))
    assert model.PARK_CLASSES["游园"] == "pocket park"
    assert model.INPUT_DATUMS == ("wgs84", "gcj02", "bd09", "unknown")
    assert rules.RULES.required == ("id", "name", "category", "status", "location_method", "precision")


def test_a_rule_that_cannot_be_checked_is_refused_when_declared():
    with pytest.raises(ValueError, match="kind must be one of"):
        rules.FieldRule("x", "colour", "a colour")
    with pytest.raises(ValueError, match="choices are given for, and only for, a choice"):
        rules.FieldRule("x", "choice", "no choices")
    with pytest.raises(ValueError, match="source names no field"):
        rules.RULES.replace("status", source="status_origin")
    with pytest.raises(ValueError, match="declared once each"):
        rules.RuleSet((*rules.RULES.fields, rules.RULES["name"]))


@pytest.mark.parametrize(
    ("value", "admitted"), [(0, False), (0.5, True), (rules.MAX_AREA_M2, True), (rules.MAX_AREA_M2 * 1.01, False),
                            (float("nan"), False), (float("inf"), False), (-1, False)],
)  # fmt: skip
def test_a_range_admits_finite_numbers_inside_it_only(value, admitted):
    assert rules.RULES["stated_area_m2"].admits(value) is admitted


# ---- a rule changed in one place changes every derived check


@pytest.fixture
def suspended(monkeypatch):
    """The rule set with one more status, ``suspended``, as a project extending its vocabulary would declare it."""
    wider = rules.RULES.replace("status", choices=(*rules.RULES.choices("status"), "suspended"))
    monkeypatch.setattr(rules, "RULES", wider)
    return wider


def _all_checks_accept(feature):
    return (
        model.check_feature(feature) == [],
        model._plainly_valid(feature),
        bool(model.plainly_valid([feature])[0]),
        model.check_collection({"type": "FeatureCollection", "features": [feature]}) == [],
    )


def test_a_new_status_is_refused_by_every_check_until_the_rule_set_declares_it(collection, monkeypatch):
    feature = _feature(collection, "test-mall", status="suspended")
    assert _all_checks_accept(feature) == (False, False, False, False)
    assert "status must be one of open, under_construction, planned, unknown" in str(model.check_feature(feature)[0])
    with pytest.raises(ValidationError) as info:
        places.make_park("测试园", area_m2=500, lonlat="125.33,43.85", status="suspended", source="测试来源")
    assert [(p.field, p.code) for p in info.value.problems] == [("status", "choice")]
    assert "suspended" not in rules.form_choices()["statuses"]
    assert _schema_errors(rules.json_schema(), [feature])

    wider = rules.RULES.replace("status", choices=(*rules.RULES.choices("status"), "suspended"))
    monkeypatch.setattr(rules, "RULES", wider)
    assert _all_checks_accept(feature) == (True, True, True, True)
    park, _ = places.make_park("测试园", area_m2=500, lonlat="125.33,43.85", status="suspended", source="测试来源")
    assert park["properties"]["status"] == "suspended"
    assert rules.form_choices({"open": "已开放 open"})["statuses"] == {
        "open": "已开放 open", "under_construction": "under_construction", "planned": "planned",
        "unknown": "unknown", "suspended": "suspended"}  # fmt: skip
    assert _schema_errors(rules.json_schema(), [feature]) == []


def test_a_status_taken_out_of_the_rule_set_is_refused_everywhere(collection, monkeypatch):
    feature = _feature(collection, "test-mall", status="planned")
    assert _all_checks_accept(feature) == (True, True, True, True)
    narrower = rules.RULES.replace("status", choices=("open", "under_construction", "unknown"))
    monkeypatch.setattr(rules, "RULES", narrower)
    assert _all_checks_accept(feature) == (False, False, False, False)
    with pytest.raises(ValidationError, match="must be one of open, under_construction, unknown"):
        places.make_park("测试园", area_m2=500, lonlat="125.33,43.85", status="planned", source="测试来源")


def test_a_park_class_declared_once_is_offered_by_the_form_and_accepted_by_the_checks(collection, monkeypatch):
    feature = _feature(collection, "test-square-park", park_class="郊野公园")
    assert model.check_feature(feature) and not model._plainly_valid(feature, [], 0)
    classes = (*rules.RULES.choices("park_class"), "郊野公园")
    monkeypatch.setattr(rules, "RULES", rules.RULES.replace("park_class", choices=classes, labels=()))
    assert model.check_feature(feature) == [] and model._plainly_valid(feature, [], 0)
    assert rules.form_choices()["parkClasses"][-1] == "郊野公园"
    mall = _feature(collection, "test-mall", park_class="郊野公园")  # still only on a park: the rule's category
    assert [(p.field, p.kind) for p in model.check_feature(mall)] == [("park_class", "conflict")]


def test_a_range_changed_in_the_rule_set_moves_the_check_the_fast_paths_and_the_option_check(collection, monkeypatch):
    feature = _feature(collection, "test-mall", stated_area_m2=2000, stated_area_source="report")
    assert _all_checks_accept(feature) == (True, True, True, True)
    monkeypatch.setattr(rules, "RULES", rules.RULES.replace("stated_area_m2", maximum=1000))
    assert _all_checks_accept(feature) == (False, False, False, False)
    assert "stated_area_m2 must be at most 1000 m², got 2000" in str(model.check_feature(feature)[0])
    area, problems = places.parse_area("2000")
    assert area is None and [p.code for p in problems] == ["area_too_large"]


def test_the_editor_form_offers_the_rule_sets_choices(monkeypatch):
    from geo.render import build_map
    from geo.store import load_locations

    gdf = load_locations(DATA / "places_valid.geojson")
    form = rules.form_choices({"open": "已开放 open"})
    assert form["parkClasses"] == ["综合公园", "社区公园", "专类公园", "游园"]
    assert list(form["statuses"]) == list(rules.RULES.choices("status"))
    assert '"suspended"' not in build_map(gdf, editor={"api": "/api"}).get_root().render()
    monkeypatch.setattr(
        rules, "RULES", rules.RULES.replace("status", choices=(*rules.RULES.choices("status"), "suspended"))
    )
    page = build_map(gdf, editor={"api": "/api"}).get_root().render()
    assert '"suspended":"suspended"' in page.replace(" ", ""), "the form's statuses come from the rule set"


# ---- the published JSON Schema


def test_the_published_schema_is_the_rule_sets_and_ships_in_the_package():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == rules.schema_text(), "run python3 tools/write_schema.py"
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    line = next(
        x for x in (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines() if x.startswith('"geo.data"')
    )
    patterns = ast.literal_eval(line.split("=", 1)[1].strip())
    assert any(fnmatch.fnmatch(SCHEMA_FILE.name, p) for p in patterns), patterns


def test_the_bundled_data_and_the_valid_fixture_obey_the_schema(collection):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    bundled = json.loads((ROOT / "data" / "locations.geojson").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bundled)] == []
    assert _schema_errors(schema, collection["features"]) == []


_SQUARE_CW = [[125.33, 43.85], [125.33, 43.8509], [125.33125, 43.8509], [125.33125, 43.85], [125.33, 43.85]]
#: Bad places of every kind a schema can say: check_feature refuses each, and so must the schema.
BAD = {
    "blank name": ("test-mall", {"name": "  "}),
    "no name": ("test-mall", {"name": None}),
    "id with a space": ("test-mall", {"id": "Bad Id"}),
    "id with a newline at the end": ("test-mall", {"id": "test-mall\n"}),
    "unknown category": ("test-mall", {"category": "zoo"}),
    "unknown status": ("test-mall", {"status": "closed"}),
    "park class on a mall": ("test-mall", {"park_class": "游园"}),
    "unknown park class": ("test-square-park", {"park_class": "大公园"}),
    "negative area": ("test-square-park", {"stated_area_m2": -5}),
    "zero area": ("test-square-park", {"stated_area_m2": 0}),
    "area as text": ("test-square-park", {"stated_area_m2": "big"}),
    "area over the district": ("test-square-park", {"stated_area_m2": 1e12}),
    "area without a source": ("test-square-park", {"stated_area_source": None}),
    "area source without an area": ("test-mall", {"stated_area_source": "report"}),
    "figure as text": ("test-square-park", {"figures": {"x": "many"}}),
    "known status without a source": ("test-mall", {"status_source": None}),
    "quote without its source": ("test-mall", {"quote": "测试商场开业。", "quote_source": None}),
    "alias list with a blank": ("test-mall", {"aliases": ["ok", ""]}),
    "alias not a list": ("test-mall", {"aliases": "测试"}),
    "zero-width space in a name": ("test-mall", {"name": "测试\u200b商场"}),
    "bell in notes": ("test-mall", {"notes": "响\x07铃"}),
    "variation selector in an English name": ("test-mall", {"name_en": "Mall\ufe0f"}),
    "tag character in an address": ("test-mall", {"address": "某路\U000e0041"}),
    "private use in a source": ("test-mall", {"status_source": "\ue000报道"}),
    "name made of a combining mark": ("test-mall", {"name": "\u0301"}),
    "(lat, lon) order": ("test-mall", {"geometry": {"type": "Point", "coordinates": [43.8767, 125.3195]}}),
    "outside the district": ("test-mall", {"geometry": {"type": "Point", "coordinates": [116.4, 39.9]}}),
    "a line": ("test-mall", {"geometry": {"type": "LineString", "coordinates": [[125.33, 43.85], [125.34, 43.86]]}}),
    "located without a source": ("test-mall", {"location_source": None}),
    "negative uncertainty": ("test-mall", {"uncertainty_m": -1}),
    "located without an uncertainty": ("test-mall", {"uncertainty_m": None}),
    "located with precision none": ("test-mall", {"precision": "none"}),
    "located with method none": ("test-mall", {"location_method": "none"}),
    "unknown datum": ("test-mall", {"datum_in": "mars"}),
    "located without a datum": ("test-mall", {"datum_in": None}),
    "outline on a point": ("test-mall", {"outline": "drawn"}),
    "converted point without its original": ("test-gcj-park", {"coord_original": None}),
    "original kept for an outline": ("test-square-park", {"coord_original": [125.33, 43.85]}),
    "unlocated with a method": ("test-unlocated-park", {"location_method": "gazetteer"}),
    "unlocated with a precision": ("test-unlocated-park", {"precision": "exact"}),
    "ring of three positions": ("test-square-park", {"geometry": {"type": "Polygon", "coordinates": [_SQUARE_CW[:3]]}}),
    "polygon without an outline kind": ("test-square-park", {"outline": None}),
    "unknown outline kind": ("test-square-park", {"outline": "guessed"}),
    "entrance outside the district": ("test-square-park", {"entrances": [[116.4, 39.9]]}),
    "entrances empty": ("test-square-park", {"entrances": []}),
    "unknown precision": ("test-mall", {"precision": "roughly"}),
    "unknown method": ("test-mall", {"location_method": "guessed"}),
}


@pytest.mark.parametrize(("ident", "changes"), BAD.values(), ids=list(BAD))
def test_the_schema_refuses_what_the_model_refuses(collection, ident, changes):
    feature = _feature(collection, ident, **changes)
    assert model.check_feature(feature), "the model must refuse this"
    assert _schema_errors(rules.json_schema(), [feature]), "the schema must refuse it too"


def test_the_schema_refuses_a_collection_the_model_refuses(collection):
    schema = rules.json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    for bad in ({**collection, "crs": {"type": "name"}}, {**collection, "type": "Feature"},
                {**collection, "metadata": {"district_figures": [{"key": "x", "value": "many"}]}}):  # fmt: skip
        assert model.check_collection(bad) and list(validator.iter_errors(bad))


#: Valid variations (the model accepts each): the schema must not refuse them either.
GOOD = {
    "unknown status without a source": ("test-mall", {"status": "unknown", "status_source": None}),
    "a status source for an unknown status": ("test-mall", {"status": "unknown"}),
    "ideographic space and marks inside": ("test-mall", {"name": "Café 睦邻\u3000园", "name_en": "e\u0301"}),
    "a height on a point": ("test-mall", {"geometry": {"type": "Point", "coordinates": [125.3195, 43.8767, 200.0]}}),
    "a quote source without a quote": ("test-mall", {"quote_source": "report"}),
    "entrances inside": ("test-square-park", {"entrances": [[125.33, 43.85]]}),
    "a figure with its source": ("test-mall", {"figures": {"shops": 12}, "figure_sources": {"shops": "report"}}),
}


@pytest.mark.parametrize(("ident", "changes"), GOOD.values(), ids=list(GOOD))
def test_the_schema_accepts_what_the_model_accepts(collection, ident, changes):
    feature = _feature(collection, ident, **changes)
    assert model.check_feature(feature) == []
    assert [e.message for e in _schema_errors(rules.json_schema(), [feature])] == []
