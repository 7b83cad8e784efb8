"""Contracts at their edges: the boundaries that hand-made mutants slipped past (issue 15).

Each test pins a limit from both sides, so loosening or tightening it by one step fails.
"""

from __future__ import annotations

import copy
import json

import pytest

from geo import coords, geojson, model, store, summary
from geo.errors import ValidationError

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
    assert len(found) == 1 and fragment in found[0] and found[0].startswith("pos: ")
    assert found[0].field == "pos"


def _place(valid_path, ident):
    data = json.loads(valid_path.read_text(encoding="utf-8"))
    return next(f for f in data["features"] if f["properties"]["id"] == ident)


def test_uncertainty_zero_is_exact_and_below_zero_is_refused(valid_path):
    place = _place(valid_path, "test-gcj-park")
    place["properties"]["uncertainty_m"] = 0
    assert [p for p in model.check_feature(place) if "uncertainty" in p] == []
    place["properties"]["uncertainty_m"] = -0.001
    found = [p for p in model.check_feature(place) if getattr(p, "field", "") == "uncertainty_m"]
    assert len(found) == 1 and "must be a number >= 0" in found[0]


def test_a_converted_point_must_match_its_original_to_a_tenth_of_a_metre(valid_path):
    place = _place(valid_path, "test-gcj-park")
    lon, lat = coords.to_wgs84(*place["properties"]["coord_original"], "gcj02")
    place["geometry"]["coordinates"] = [round(lon, 7), round(lat, 7)]  # the stored precision
    assert model.check_feature(place) == []
    # 1e-5 degree (about a metre) away from the conversion is refused; the tolerance is 1e-6 degree.
    place["geometry"]["coordinates"] = [lon + 1e-5, lat]
    found = [p for p in model.check_feature(place) if "is not coord_original" in p]
    assert len(found) == 1 and found[0].field == "geometry" and found[0].kind == "conflict"
    place["geometry"]["coordinates"] = [lon + 2e-6, lat]
    assert any("is not coord_original" in p for p in model.check_feature(place))
    place["geometry"]["coordinates"] = [lon + 5e-7, lat]
    assert model.check_feature(place) == []


def test_a_hole_must_turn_clockwise_in_stored_data_and_is_rewound_on_input():
    good = {"type": "Polygon", "coordinates": [SQUARE, HOLE_CW]}
    assert geojson.check_geometry(good, "f") == []
    wrong_hole = {"type": "Polygon", "coordinates": [SQUARE, list(reversed(HOLE_CW))]}
    found = geojson.check_geometry(wrong_hole, "f")
    assert len(found) == 1 and "must be clockwise" in found[0] and found[0].field == "geometry"
    read = geojson.parse_geometry(copy.deepcopy(wrong_hole), "f")
    assert read.problems == [] and read.value["coordinates"][1] == HOLE_CW
    assert geojson.signed_area(read.value["coordinates"][1]) < 0 < geojson.signed_area(read.value["coordinates"][0])


def test_patch_refuses_an_added_place_whose_id_is_taken(valid_path):
    before = valid_path.read_bytes()
    twin = _place(valid_path, "test-gcj-park")
    twin["properties"]["name"] = "另一个火星公园"
    with pytest.raises(ValidationError) as caught:
        store.patch(valid_path, lambda features: store.Changes(add=[twin]))
    unique = [p for p in caught.value.problems if "id is not unique" in p]
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
