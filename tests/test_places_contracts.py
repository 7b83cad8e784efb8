"""What each change to the data promises, pinned from both sides.

Every refusal is a :class:`geo.errors.Problem` whose text, ``field`` and ``kind`` are checked
(the editor places problems by ``field``); every optional argument is shown to matter.
"""

import copy

import pytest
from _ids import slug as _slug

from geo import places, store
from geo.errors import ConflictError, GeocodeError, ValidationError

MALL = [125.3195, 43.8767]  # test-mall, inside the district
OUTSIDE = [125.25, 43.52]  # inside the district's extent, about 4 km outside its boundary
SQUARE = [[125.3300, 43.8400], [125.3310, 43.8400], [125.3310, 43.8407], [125.3300, 43.8407], [125.3300, 43.8400]]


def _refusal(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return [(str(p), getattr(p, "field", None), getattr(p, "kind", None)) for p in info.value.problems]


class _Answer:
    def __init__(self, value=None, error=None):
        self.value, self.error = value, error

    def geocode(self, query):
        if self.error:
            raise self.error
        return self.value


# ---- make_park: every bad option is named as the form field it belongs to

GOOD = {"area_m2": 500, "lonlat": "125.3195,43.8767"}
BAD_OPTIONS = {
    "blank name": ({"name": "  "}, ("name: must be non-empty text, got '  '", "name", "invalid")),
    "no area": ({"area_m2": None}, ("--area: the park's stated area in m² is required", "--area", "missing")),
    "unknown class": ({"park_class": "zoo"}, ("--class", "--class", "invalid")),
    "unknown status": ({"status": "gone"}, ("--status", "--status", "invalid")),
    "unknown datum": ({"datum": "wgs72"}, ("--datum", "--datum", "invalid")),
    "unknown outline": ({"outline": "guessed"}, ("--outline", "--outline", "invalid")),
    "no location": (
        {"lonlat": None},
        ("location: give exactly one of --address, --lonlat or --geometry", "location", "missing"),
    ),
    "three numbers": ({"lonlat": [125.3, 43.8, 1.0]}, ("--lonlat: expected LON,LAT, got [125.3, 43.8, 1.0]", "--lonlat", "invalid")),
    "a number": ({"lonlat": 125}, ("--lonlat: expected LON,LAT, got 125", "--lonlat", "invalid")),
    "longitude out of range": ({"lonlat": [200.0, 43.8]}, ("--lonlat", "--lonlat", "invalid")),
    "blank address": ({"lonlat": None, "address": " "}, ("--address: must be non-empty text, got ' '", "--address", "invalid")),
}  # fmt: skip


@pytest.mark.parametrize(("changes", "want"), BAD_OPTIONS.values(), ids=[_slug(k) for k in BAD_OPTIONS])
def test_make_park_names_the_field_of_each_bad_option(changes, want):
    kwargs = {**GOOD, **changes}
    name = kwargs.pop("name", "测试园")
    problems = _refusal(places.make_park, name, **kwargs)
    text, field, kind = want
    matching = [p for p in problems if p[1] == field]
    assert matching, problems
    assert matching[0][0].startswith(text) and matching[0][2] == kind


def test_an_address_nobody_knows_and_a_failing_geocoder_are_refused_on_the_address():
    nobody = _refusal(places.make_park, "测试园", area_m2=500, address="某路", geocoder=_Answer())
    assert nobody == [("--address: no geocoder answer for '某路'", "--address", "invalid")]
    failing = _refusal(
        places.make_park, "测试园", area_m2=500, address="某路", geocoder=_Answer(error=GeocodeError("down"))
    )
    assert failing == [("--address: down", "--address", "invalid")]


def test_given_uncertainties_are_kept_and_defaults_differ_by_how_the_place_was_given():
    outline = {"type": "Polygon", "coordinates": [SQUARE]}
    drawn, _ = places.make_park("测试园", area_m2=6400, geometry=outline)
    drawn_sure, _ = places.make_park("测试园", area_m2=6400, geometry=outline, uncertainty_m=3)
    point, _ = places.make_park("测试园", area_m2=500, lonlat=MALL)
    point_sure, _ = places.make_park("测试园", area_m2=500, lonlat=MALL, uncertainty_m=4)
    got = [f["properties"]["uncertainty_m"] for f in (drawn, drawn_sure, point, point_sure)]
    assert got == [10.0, 3, 30.0, 4]


def test_a_point_in_gcj02_keeps_its_original_and_is_converted():
    feature, _ = places.make_park("测试园", area_m2=500, lonlat="125.335,43.842", datum="gcj02")
    props = feature["properties"]
    assert props["coord_original"] == [125.335, 43.842] and props["datum_in"] == "gcj02"
    lon, lat = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "Point" and abs(lon - 125.335) > 1e-3 and abs(lat - 43.842) > 1e-4


# ---- adding: the district, repeated ids and duplicates


def _park(name, lonlat=MALL, **kwargs):
    feature, _ = places.make_park(name, area_m2=500, lonlat=lonlat, **kwargs)
    return feature


def test_outside_the_district_is_refused_on_the_geometry_unless_allowed(valid_path):
    before = valid_path.read_bytes()
    feature = _park("城外园", OUTSIDE)
    (problem,) = _refusal(places.add_place, feature, valid_path)
    ident = feature["properties"]["id"]
    assert problem[0].startswith(f"{ident}: geometry: lies ") and problem[0].endswith(
        "m outside 南关区 (pass --allow-outside to keep it)"
    )
    assert problem[1:] == ("geometry", "outside")
    assert valid_path.read_bytes() == before
    assert places.add_place(feature, valid_path, allow_outside=True).written


def test_new_places_repeating_an_id_are_refused_on_the_id(valid_path):
    a, b = _park("甲园"), _park("乙园", [125.33, 43.85])
    b["properties"]["id"] = a["properties"]["id"]
    problems = _refusal(places.add_places, [a, b], valid_path, update=False, allow_outside=False,
                        confirm_area=False, dry_run=False, action="import")  # fmt: skip
    ident = a["properties"]["id"]
    assert problems == [(f"ids: the new places repeat an id: {[ident, ident]!r}", "id", "duplicate")]


def test_duplicates_are_refused_on_the_name_among_new_places_and_against_the_file(valid_path):
    a, b = _park("甲园"), _park("甲园", [125.33, 43.85], ident="jia-2")
    among = _refusal(places.add_places, [a, b], valid_path, update=False, allow_outside=False,
                     confirm_area=False, dry_run=False, action="import")  # fmt: skip
    assert [(p[1], p[2]) for p in among] == [("name", "duplicate")]
    assert among[0][0].startswith("jia-2: duplicate of another new place: name '甲园' is taken by")
    existing = _refusal(places.add_place, _park("测试商场", [125.33, 43.85]), valid_path)
    assert [(p[1], p[2]) for p in existing] == [("name", "duplicate")]
    assert existing[0][0].endswith("(pass --update to replace it)")


# ---- editing: fields, versions, positions, kept snapshots


def test_parse_changes_reads_null_clears_and_keeps_every_problem():
    fields, problems, _ = places.parse_changes({"uncertainty": "null", "name-en": None, "notes": "备注"})
    assert fields == {"uncertainty_m": None, "name_en": None, "notes": "备注"} and problems == []
    _, problems, _ = places.parse_changes({"colour": "red", "uncertainty": "far", "name-en": 5})
    assert [(p, p.field, p.kind) for p in problems][1:] == [
        ("--uncertainty: expected a number, got 'far'", "--uncertainty", "invalid"),
        ("--name-en: expected text, got 5", "--name-en", "invalid"),
    ]
    assert problems[0].startswith("--colour: cannot be updated (options: ") and problems[0].field == "--colour"


def test_renaming_onto_another_place_is_refused_on_the_name(valid_path):
    problems = _refusal(places.update_place, "test-home", {"name": "测试商场"}, valid_path)
    assert problems == [("name: '测试商场' is taken by 'test-mall'", "name", "duplicate")]


def test_an_edit_against_a_stale_version_is_a_conflict_and_a_current_one_lands(valid_path):
    current = store.load_collection(valid_path)["features"][0]
    version = store.version_of(current)
    before = valid_path.read_bytes()
    with pytest.raises(ConflictError) as info:
        places.update_place("test-mall", {"notes": "x"}, valid_path, expect_version="0" * 16)
    assert (info.value.ident, info.value.version) == ("test-mall", version)
    assert info.value.current == current and valid_path.read_bytes() == before
    places.update_place("test-mall", {"notes": "x"}, valid_path, expect_version=version)
    assert store.load_collection(valid_path)["features"][0]["properties"]["notes"] == "x"


def test_a_removed_place_restored_goes_back_to_its_position(valid_path):
    features = store.load_collection(valid_path)["features"]
    second = copy.deepcopy(features[1])
    places.remove_place(second["properties"]["id"], valid_path)
    places.restore_place(second["properties"]["id"], second, valid_path, expect_version=None, position=1)
    assert [f["properties"]["id"] for f in store.load_collection(valid_path)["features"]] == [
        f["properties"]["id"] for f in features
    ]


def test_edits_keep_a_kept_snapshot_current(valid_path):
    kept = store.snapshot(valid_path)
    places.remove_place("test-home", valid_path, state=kept)
    places.update_place("test-mall", {"notes": "x"}, valid_path, state=kept)
    fresh = store.snapshot(valid_path)
    assert kept.features == fresh.features and kept.signature == fresh.signature


# ---- outlines and imports


def test_a_point_is_not_an_outline_and_converts_as_a_point():
    from geo import coords
    from geo.places.outline import convert_geometry, read_outline

    geom, notes, problems = read_outline({"type": "Point", "coordinates": MALL}, "wgs84")
    assert (geom, notes) == (None, [])
    assert [(p, p.field) for p in problems] == [
        ("--geometry: must be a Polygon or MultiPolygon, got 'Point'", "geometry")
    ]
    got = convert_geometry({"type": "Point", "coordinates": [125.335, 43.842]}, "gcj02")
    assert got == {"type": "Point", "coordinates": list(map(float, coords.to_wgs84(125.335, 43.842, "gcj02")))}


def _source(tmp_path, properties, geometry=None):
    import json

    path = tmp_path / "in.geojson"
    feature = {
        "type": "Feature",
        "geometry": geometry or {"type": "Point", "coordinates": MALL},
        "properties": properties,
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return path


def _imported(valid_path):
    return store.load_collection(valid_path)["features"][-1]["properties"]


def test_import_options_override_the_file_and_ask_fills_gaps(tmp_path, valid_path):
    places.import_features(_source(tmp_path, {"name": "甲园", "stated_area_m2": 500}), valid_path, area_m2=700)
    assert _imported(valid_path)["stated_area_m2"] == 700
    asked = []

    def ask(field, index):
        asked.append((field, index))
        return 640

    places.import_features(_source(tmp_path, {"name": "乙园"}, {"type": "Point", "coordinates": [125.33, 43.85]}),
                           valid_path, ask=ask)  # fmt: skip
    assert asked == [("area", 0)] and _imported(valid_path)["stated_area_m2"] == 640


def test_an_imported_category_is_kept_and_a_wrong_one_refused_on_the_category(tmp_path, valid_path):
    places.import_features(
        _source(tmp_path, {"name": "甲楼", "category": "commerce", "park_class": "游园"}), valid_path
    )
    props = _imported(valid_path)
    assert (props["category"], props["park_class"]) == ("commerce", None)
    before = valid_path.read_bytes()
    src = _source(tmp_path, {"name": "乙楼", "category": "zoo"}, {"type": "Point", "coordinates": [125.33, 43.85]})
    problems = _refusal(places.import_features, src, valid_path)
    assert len(problems) == 1
    text, field, kind = problems[0]
    assert text.startswith("feature[0] (乙楼): category must be one of park, ") and text.endswith("got 'zoo'")
    assert (field, kind) == ("category", "invalid") and ", commerce, " in text
    assert valid_path.read_bytes() == before


def test_import_problems_name_the_feature(tmp_path, valid_path):
    bad_class = _refusal(places.import_features, _source(tmp_path, {"name": "甲园", "park_class": 5}), valid_path)
    assert bad_class[0][0].startswith("feature[0]: park_class") and bad_class[0][1] == "park_class"
    bad_point = _refusal(places.import_features,
                         _source(tmp_path, {"name": "甲园"}, {"type": "Point", "coordinates": [125.3, 200.0]}), valid_path)  # fmt: skip
    assert bad_point[0][0].startswith("feature[0]") and "200" in bad_point[0][0]


def test_import_passes_allow_outside_and_dry_run_on(tmp_path, valid_path):
    src = _source(tmp_path, {"name": "城外园", "stated_area_m2": 500}, {"type": "Point", "coordinates": OUTSIDE})
    before = valid_path.read_bytes()
    assert places.import_features(src, valid_path, allow_outside=True, dry_run=True).written is False
    assert valid_path.read_bytes() == before
    assert places.import_features(src, valid_path, allow_outside=True).written
    assert _imported(valid_path)["name"] == "城外园"
