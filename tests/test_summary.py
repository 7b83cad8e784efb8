"""Summaries on hand-made frames whose answers are known exactly."""

import json
import math

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo import summary
from geo.cli import main
from geo.errors import ValidationError

UTM = "EPSG:32651"
X0, Y0 = 640_000.0, 4_855_000.0  # inside Nanguan, UTM 51N metres


def _place(ident, category, geometry, **props):
    base = {"id": ident, "name": ident, "category": category, "park_class": None, "stated_area_m2": None,
            "uncertainty_m": 5.0, "geometry": geometry}  # fmt: skip
    base.update(props)
    return base


def _frame(rows, crs=UTM):
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


@pytest.fixture
def known():
    """Three parks and four homes at known distances (metres, UTM 51N)."""
    rows = [
        _place("big-square", "park", box(X0, Y0, X0 + 100, Y0 + 100), park_class="社区公园", stated_area_m2=10_000),
        _place("small-square", "park", box(X0 + 2000, Y0, X0 + 2050, Y0 + 50), park_class="游园", stated_area_m2=3_000),
        _place("point-park", "park", Point(X0 + 5000, Y0), park_class="游园", stated_area_m2=7_373),
        _place("home-at-300", "residential", Point(X0 + 5000, Y0 + 300)),  # exactly at the radius of point-park
        _place("home-at-400", "residential", Point(X0 + 5400, Y0)),  # 400 m from point-park (< 1 ha)
        _place("home-near-big", "residential", Point(X0 + 100 + 450, Y0 + 50)),  # 450 m from big-square's edge
        _place("home-unlocated", "residential", None),
        _place("a-mall", "commerce", Point(X0, Y0 + 5000)),
    ]
    return _frame(rows)


def test_areas_by_class_to_a_tenth_of_a_percent(known):
    wgs = known.to_crs(4326)  # measured after a round trip through degrees
    parks = summary.park_area_summary(wgs, district_area_m2=1e8)
    assert parks["count"] == 3 and parks["located"] == 3 and parks["unlocated"] == 0
    assert parks["mapped_area_m2"] == pytest.approx(12_500, rel=1e-3)
    assert parks["stated_area_m2"] == pytest.approx(20_373)
    by_class = {r["class"]: r for r in parks["by_class"]}
    assert by_class["社区公园"]["mapped_area_m2"] == pytest.approx(10_000, rel=1e-3)
    assert by_class["游园"]["count"] == 2 and by_class["游园"]["stated_area_m2"] == pytest.approx(10_373)
    assert by_class["游园"]["mapped_area_m2"] == pytest.approx(2_500, rel=1e-3)
    assert parks["share_of_district"]["stated"] == pytest.approx(20_373 / 1e8)
    assert parks["inventory"] == {"reported_pocket_parks": 98, "pocket_parks_in_data": 2, "not_in_data": 96}


def test_disagreeing_areas_are_listed(known):
    parks = summary.park_area_summary(known, district_area_m2=1e8)
    assert [d["id"] for d in parks["disagreements"]] == ["small-square"]
    assert parks["disagreements"][0]["relative_gap"] == pytest.approx(500 / 3000, abs=1e-4)


def test_per_capita_against_gb_55014(known):
    parks = summary.park_area_summary(known, district_area_m2=1e8, population=2000)
    assert parks["per_capita"]["stated_area_m2_per_person"] == pytest.approx(20_373 / 2000)
    assert parks["per_capita"]["meets_standard"] is True
    assert (
        summary.park_area_summary(known, district_area_m2=1e8, population=3000)["per_capita"]["meets_standard"] is False
    )
    with pytest.raises(ValidationError, match="population"):
        summary.park_area_summary(known, district_area_m2=1e8, population=0)


def test_access_counts_are_exact(known):
    result = summary.access_summary(known, (300, 400, 500), district=box(X0 - 1000, Y0 - 1000, X0 + 9000, Y0 + 9000))
    rows = {r["radius_m"]: r for r in result["access"]}
    assert rows[300]["residential_within"] == 1  # a point exactly at the radius counts
    assert rows[400]["residential_within"] == 2
    assert rows[500]["residential_within"] == 3
    for r in rows.values():
        assert r["residential_total"] == 4 and r["residential_unknown"] == 1 and r["residential_located"] == 3
    assert rows[500]["residential_share"] == pytest.approx(3 / 4)
    assert rows[500]["residential_share_of_located"] == pytest.approx(1.0)
    catch = {c["id"]: c for c in result["catchments"]}
    assert catch["point-park"]["within_300_m"] == 1 and catch["point-park"]["within_400_m"] == 2
    assert catch["big-square"]["within_500_m"] == 1 and catch["small-square"]["within_500_m"] == 0
    nearest = {n["id"]: n for n in result["nearest"]}
    assert nearest["home-at-300"]["nearest_park_id"] == "point-park" and nearest["home-at-300"]["distance_m"] == 300.0
    assert (
        nearest["home-near-big"]["nearest_park_id"] == "big-square" and nearest["home-near-big"]["distance_m"] == 450.0
    )
    assert nearest["home-unlocated"]["distance_m"] is None and nearest["home-unlocated"]["nearest_park_id"] is None


def test_large_parks_only_at_500(known):
    result = summary.access_summary(known, (300, 500), large_park_radii=(500,), district_share=False)
    rows = {r["radius_m"]: r for r in result["access"]}
    assert rows[500]["large_parks_only"] and rows[500]["parks_counted"] == 1  # only big-square is >= 1 ha
    assert rows[500]["residential_within"] == 1  # home-near-big; the others are near a 0.74 ha park
    assert rows[300]["parks_counted"] == 3


def test_district_area_share(known):
    district = box(X0 + 3000, Y0 - 3000, X0 + 9000, Y0 + 3000)  # 36 km², holds only point-park
    result = summary.access_summary(known, (300,), district=district)
    # A 300 m circle, drawn with 32 segments, inside a 6 km x 6 km square.
    assert result["access"][0]["district_area_share"] == pytest.approx(math.pi * 300**2 / 36e6, rel=0.01)


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [_place("home", "residential", Point(X0, Y0))],
        [_place("park", "park", Point(X0, Y0), stated_area_m2=100)],
        [_place("park", "park", None, stated_area_m2=100), _place("home", "residential", None)],
    ],
    ids=["empty", "no-parks", "no-homes", "all-unlocated"],
)
def test_edge_cases(rows):
    frame = _frame(rows) if rows else gpd.GeoDataFrame({"id": [], "name": [], "category": [], "park_class": [],
                                                        "stated_area_m2": []}, geometry=[], crs=UTM)  # fmt: skip
    result = summary.summarize(frame, district_share=False)
    homes = sum(1 for r in rows if r["category"] == "residential")
    for row in result["access"]:
        assert row["residential_total"] == homes
        assert row["residential_within"] == 0
        assert row["residential_share"] == (0.0 if homes else None)
    json.dumps(result, allow_nan=False)
    assert summary.format_summary(result, "markdown").startswith("### Parks")


def test_refuses_frames_without_crs_and_bad_radii(known):
    with pytest.raises(ValidationError, match="CRS is required"):
        summary.park_area_summary(known.set_crs(None, allow_override=True))
    with pytest.raises(ValidationError, match="radius must be a positive number"):
        summary.access_summary(known, (-5,))


def test_geographic_frames_are_projected_not_measured_in_degrees(known):
    wgs = known.to_crs(4326)
    assert summary.project(wgs).crs.to_epsg() == 32651
    assert summary.project(known).crs == known.crs


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_every_format(known, fmt):
    text = summary.format_summary(summary.summarize(known, district_share=False), fmt)
    # Every format carries the places and the figures: the id, the stated area, the pocket-park class.
    assert "big-square" in text
    if fmt == "json":
        out = json.loads(text)
        assert out["parks"]["count"] == 3
        assert next(r for r in out["parks"]["by_class"] if r["class"] == "游园")["stated_area_m2"] == 10_373
    else:
        assert "游园 pocket park" in text
    if fmt == "csv":
        assert text.splitlines()[0] == "table,row,column,value"
        assert "Parks,0,stated area m²,20373.0" in text.splitlines()
    if fmt == "table":
        assert "straight-line" in text and "20,373.0" in text
    if fmt == "markdown":
        assert "| 游园 pocket park | 2 | 2 | 10,373.0 | 2,500.0 |" in text


def test_cli_summary_json_schema_on_bundled_data(runner, bundled_path, tmp_path):
    plot = tmp_path / "chart.png"
    result = runner.invoke(main, ["summary", "--data", str(bundled_path), "--format", "json", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    parks = out["parks"]
    assert {"count", "stated_area_m2", "mapped_area_m2", "by_class"} <= set(parks)
    assert {"class", "count", "stated_area_m2", "mapped_area_m2"} <= set(parks["by_class"][0])
    assert [r["radius_m"] for r in out["access"]] == [300.0, 500.0]
    keys = {"radius_m", "residential_total", "residential_within", "residential_share", "district_area_share"}
    assert keys <= set(out["access"][0])
    # 睦邻园 and 创意园 are the report's two pocket parks; both are unlocated in the bundled data.
    pocket = next(r for r in parks["by_class"] if r["class"] == "游园")
    assert pocket["count"] == 2 and pocket["stated_area_m2"] == 7373 + 7804 and pocket["located"] == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_summary_table_and_out_file(runner, bundled_path, tmp_path):
    result = runner.invoke(main, ["summary", "--data", str(bundled_path)])
    assert result.exit_code == 0 and "Park area by class" in result.output and "Access (straight-line)" in result.output
    out = tmp_path / "s.md"
    result = runner.invoke(main, ["summary", "--data", str(bundled_path), "--format", "markdown", "--out", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("### Parks")
