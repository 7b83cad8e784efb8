"""The bundled data: valid, complete against the report, and honest about locations."""

import json
import re
from pathlib import Path

import pytest

from geo import coords, model
from geo.store import load_collection

PATH = Path(__file__).parent.parent / "data" / "locations.geojson"

# Every place the report names, from our reading of it (body text and photo captions).
REPORT_PLACES = [
    "东北亚国际金融中心",
    "鸿泰瑞景",
    "清南科技",
    "联东U谷",
    "长春市中心医院",
    "睦邻园",
    "创意园",
    "永春医药城",
    "赛浦生物",
    "金赛药业",
    "软通动力工业互联网",
    "万象城慢闪街区",
    "西游记主题乐园",
    "长春市人工智能创新基地",
    "幸福科创产业园",
    "南城家园小区",
    "中铁十三局小区",
    "祥和佳苑小区",
    "西三小学",
    "实验园分园",
    "回族小学幼儿园",
    "恒大御景幼儿园",
    "光复路南老旧街区",
    "东岭南街",
    "翠泉源地块",
    "南溪湿地公园",
    "长春动植物公园",
    "长春市万象城",
    "南四环路与前进大街交会处",
]


@pytest.fixture(scope="module")
def fc():
    return load_collection(PATH)


def _names(feature):
    p = feature["properties"]
    return [p["name"], *(p.get("aliases") or [])]


def test_dataset_is_valid(fc):
    assert model.check_collection(fc) == []


@pytest.mark.parametrize("name", REPORT_PLACES)
def test_every_report_place_is_a_feature_with_its_quote(fc, name):
    hits = [f for f in fc["features"] if any(name in n for n in _names(f))]
    assert hits, f"{name} is missing from the data"
    for f in hits:
        quote = f["properties"]["quote"]
        assert quote and f["properties"]["quote_source"]
        assert name in quote or any(n in quote for n in _names(f))


def test_report_figures_are_recorded(fc):
    by_name = {f["properties"]["name"]: f["properties"] for f in fc["features"]}
    assert by_name["睦邻园"]["stated_area_m2"] == 7373
    assert by_name["创意园"]["stated_area_m2"] == 7804
    assert by_name["睦邻园"]["park_class"] == by_name["创意园"]["park_class"] == "游园"
    assert by_name["长春动植物公园"]["park_class"] == "专类公园"
    assert by_name["幸福科创产业园"]["figures"] == {"registered_companies": 50, "intellectual_property_items": 270}
    assert by_name["万象城慢闪街区"]["figures"] == {"first_stores": 13}


def test_every_coordinate_has_source_datum_and_uncertainty(fc):
    located = [f for f in fc["features"] if f["geometry"] is not None]
    assert located, "some places are located"
    for f in located:
        p = f["properties"]
        assert p["location_source"] and p["datum_in"] in model.INPUT_DATUMS
        assert p["uncertainty_m"] > 0
        assert p["precision"] in ("exact", "intersection", "street", "approximate", "district")
        if p["datum_in"] in ("gcj02", "bd09"):
            lon, lat = coords.to_wgs84(*p["coord_original"], p["datum_in"])
            assert f["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-7)


def test_no_invented_outlines(fc):
    for f in fc["features"]:
        if f["geometry"] and f["geometry"]["type"] != "Point":
            assert f["properties"]["outline"] in ("surveyed", "drawn", "schematic")


def test_unlocated_places_are_visible_as_null(fc):
    unlocated = [f for f in fc["features"] if f["geometry"] is None]
    assert len(unlocated) >= 20  # public sources locate only a few places
    assert all(f["properties"]["precision"] == "none" for f in unlocated)


def test_located_points_lie_inside_the_district_polygon(fc):
    from shapely.geometry import shape

    from geo.district import boundary_wgs84

    district = boundary_wgs84().buffer(0.002)  # ~200 m: points on the boundary road
    for f in fc["features"]:
        if f["geometry"]:
            assert district.contains(shape(f["geometry"])), f["properties"]["id"]


def test_file_is_in_canonical_form():
    from geo.store import dumps_collection

    text = PATH.read_text(encoding="utf-8")
    assert dumps_collection(json.loads(text)) == text


def test_ids_are_ascii_slugs(fc):
    assert all(re.fullmatch(r"[a-z0-9-]+", f["properties"]["id"]) for f in fc["features"])
