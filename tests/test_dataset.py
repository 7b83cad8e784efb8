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


# ------------------------------------------------------------------ every figure, stated area and status names its source

# How the report writes each of its own figures, so a figure's quote can be checked to contain it.
REPORT_WORDING = {
    7373: "7373平方米", 7804: "7804平方米", 13: "13家首店", 1000000: "突破百万", 50: "注册企业达50家",
    270: "知识产权270项", 700: "700余个", 31: "31场", 2456: "2456人", 380000: "38万平方米",
    3000000: "300万元", 34630000: "3463万元",
}  # fmt: skip


def _sourced(fc):
    """Yield (where, value, source, quote) for every stated area, figure and district figure."""
    for f in fc["features"]:
        p = f["properties"]
        if p.get("stated_area_m2") is not None:
            yield p["id"], p["stated_area_m2"], p.get("stated_area_source"), p.get("quote")
        for key, value in (p.get("figures") or {}).items():
            yield f"{p['id']}.{key}", value, (p.get("figure_sources") or {}).get(key), p.get("quote")
    for figure in fc["metadata"]["district_figures"]:
        yield f"district.{figure['key']}", figure["value"], figure.get("source"), figure.get("quote")


def test_every_figure_and_stated_area_names_its_source(fc):
    rows = list(_sourced(fc))
    assert len(rows) >= 14
    for where, value, source, quote in rows:
        assert isinstance(source, str) and source.strip(), f"{where} = {value} has no source"
        if source == model.REPORT:
            # A figure credited to the report is written in the report's sentence stored with it.
            assert value in REPORT_WORDING and REPORT_WORDING[value] in quote, f"{where}: {value} is not in its quote"
        else:
            assert len(source) > 10, f"{where}: name the source, not just {source!r}"


def test_every_known_status_names_its_source(fc):
    for f in fc["features"]:
        p = f["properties"]
        if p["status"] != "unknown":
            assert isinstance(p.get("status_source"), str) and p["status_source"].strip(), p["id"]


def test_figures_sit_where_the_report_puts_them(fc):
    by_id = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    district = {d["key"]: d for d in fc["metadata"]["district_figures"]}
    # 医联体 activities are the district medical alliance's, not the hospital's.
    assert by_id["changchun-central-hospital"]["figures"] is None
    assert (
        district["medical_alliance_activities"]["value"] == 31
        and "医联体" in district["medical_alliance_activities"]["subject"]
    )
    assert district["medical_alliance_people_served"]["value"] == 2456
    # The hoarding clean-up released 380,000 m² across the district, not on 东岭南街 alone.
    assert by_id["dongling-south-street-hoarding"]["figures"] is None
    assert district["hoarding_space_released_m2"]["value"] == 380000
    # The report's own areas are told apart from other sources'.
    assert (
        by_id["mulin-pocket-park"]["stated_area_source"]
        == by_id["chuangyi-pocket-park"]["stated_area_source"]
        == "report"
    )
    for ident in ("nanxi-wetland-park", "changchun-zoo-botanical-park", "yongchun-pharma-city"):
        assert by_id[ident]["stated_area_source"] != "report", ident


def test_the_theme_park_is_placed_with_the_zoo_and_covers_it(fc):
    features = {f["properties"]["id"]: f for f in fc["features"]}
    zoo, theme = features["changchun-zoo-botanical-park"], features["journey-to-the-west-theme-park"]
    assert theme["geometry"] == zoo["geometry"]
    assert theme["properties"]["uncertainty_m"] >= zoo["properties"]["uncertainty_m"]
    assert theme["properties"]["precision"] == "approximate" and theme["properties"]["datum_in"] == "unknown"
    assert "长春市动植物公园的西游主题乐园" in theme["properties"]["location_source"]
    # The radius covers the whole 74 ha park (half-width about 485 m) plus a datum offset (about 600 m).
    half_width = (zoo["properties"]["stated_area_m2"] / 3.14159) ** 0.5
    assert zoo["properties"]["uncertainty_m"] >= half_width + 600


def test_statuses_public_reports_settle(fc):
    by_id = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    ring = by_id["south-4th-ring-qianjin-street"]
    assert ring["status"] == "open" and "2025-05-30" in ring["status_source"]
    assert any("前进大街至硅谷大街段高架桥" in s for s in ring["sources"])
    for ident in ("qingnan-technology", "liandong-u-valley"):
        assert by_id[ident]["status"] == "open" and "落位" in by_id[ident]["status_source"]
        assert "落位" in by_id[ident]["quote"]
