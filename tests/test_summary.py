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


def _ground_m2(grid_m2, x, y=Y0 + 50):
    """A UTM square's area on the ground: its grid area over UTM's areal scale where it lies (pyproj's factors).

    Summaries measure outlines on the ellipsoid (geo.coords.geodesic_areas); 140 km east of zone 51N's
    central meridian a square metre of the grid is 1.0003 m² on the ground.
    """
    from pyproj import Proj

    lon, lat = Proj(UTM)(x, y, inverse=True)
    return grid_m2 / Proj(UTM).get_factors(lon, lat).areal_scale


SMALL_M2 = _ground_m2(2_500, X0 + 2025, Y0 + 25)  # small-square's 50 m x 50 m of grid: 2,500.76 m²


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
    assert parks["disagreements"][0]["relative_gap"] == pytest.approx((3000 - SMALL_M2) / 3000, abs=1e-4)


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
    # One home is unlocated: the share of all homes is not known, only its range (3 of 4 to 4 of 4).
    assert rows[500]["residential_share"] is None
    assert (rows[500]["residential_share_min"], rows[500]["residential_share_max"]) == (0.75, 1.0)
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
    located = sum(1 for r in rows if r["category"] == "residential" and r["geometry"] is not None)
    for row in result["access"]:
        assert row["residential_total"] == homes
        assert row["residential_within"] == 0
        # 0 % only when every home is located and none is within reach; an unlocated home makes it unknown.
        assert row["residential_share"] == (0.0 if homes and located == homes else None)
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
    text = summary.format_summary(summary.summarize(known, district_share=False), fmt, table="nearest")
    # Every format carries the places and the figures: the id, the stated area, the pocket-park class.
    assert "big-square" in text
    if fmt == "json":
        out = json.loads(text)
        assert out["parks"]["count"] == 3
        assert next(r for r in out["parks"]["by_class"] if r["class"] == "游园")["stated_area_m2"] == 10_373
    elif fmt == "csv":
        classes = summary.format_summary(summary.summarize(known, district_share=False), fmt, table="park_classes")
        assert "游园,pocket park" in classes
    else:
        assert "游园 pocket park" in text
    if fmt == "csv":
        assert text.splitlines()[0].startswith("id,name,nearest_park_id,nearest_park,distance_m")
    if fmt == "table":
        assert "straight-line" in text and "20,373.0" in text
    if fmt == "markdown":
        assert f"| 游园 pocket park | 2 | 2 | 10,373.0 | {SMALL_M2:,.1f} |" in text


# ---- the output's columns are an interface (spreadsheets, scripts): each one, and where its value comes from

#: Every table the summary can print, its columns in order, and (for the sections built by hand
#: below) the summary key each column shows.
TABLES = {
    "Parks": ["count", "located", "unlocated", "stated area m²", "of it from the report m²", "mapped area m²",
              "share of district (stated)"],
    "Park area by class (CJJ/T 85-2017)": ["class", "count", "located", "stated area m²", "mapped area m²"],
    "Places by category": ["category", "count", "located", "stated area m²", "mapped area m²"],
    "Pocket parks: the report against the data": ["reported", "in data", "not in data"],
    "Access (straight-line)": ["radius m", "parks", "homes", "located", "unknown", "within", "share",
                               "district area within"],
    "Mapped and stated areas disagree": ["id", "name", "stated m²", "mapped m²", "gap"],
    "Park area per resident (GB 55014-2021: 8 m²)": ["population", "m² per person", "meets 8 m²"],
    "Access (walking, street network)": ["radius m", "homes", "located", "unknown", "within walk",
                                         "within straight line", "no route", "share walk", "share straight"],
    "Walking and straight-line distance of each home": ["id", "name", "walk m", "straight m", "detour index"],
    "Figures for the district as a whole": ["figure", "value", "subject", "source"],
    "Nearest park of each residential place": ["id", "name", "nearest park", "distance m"],
}  # fmt: skip
WALK_ROW = {"radius_m": 300.0, "residential_total": 9, "residential_located": 7, "residential_unknown": 2,
            "within_walk": 3, "within_straight": 5, "no_route": 1, "share_walk": 3 / 7, "share_straight": 5 / 7}  # fmt: skip
WALK_COLUMNS = dict(zip(TABLES["Access (walking, street network)"], WALK_ROW, strict=True))
HOME = {"id": "h-1", "name": "某小区", "walk_m": 812.5, "straight_m": 640.25, "detour_index": 1.269}
HOME_COLUMNS = dict(zip(TABLES["Walking and straight-line distance of each home"], HOME, strict=True))
FIGURES = [
    {"key": "green_area_m2", "value": 123456, "subject": "绿地", "source": "report"},
    {"key": "population", "value": 330000, "subject": "常住人口", "source": "statistics bureau 2021"},
]


def _full_summary(known):
    result = summary.summarize(known, population=2000, district_share=False)
    result["walking"] = {"rows": [WALK_ROW], "homes": [HOME], "notes": ["walked on a test network"]}
    result["district_figures"] = FIGURES
    return result


#: Every tidy table's columns, in order (a CSV file each).
TIDY = {
    "parks": ["count", "located", "unlocated", "stated_area_m2", "stated_area_report_m2", "mapped_area_m2",
              "district_area_m2", "share_of_district_stated", "share_of_district_mapped"],
    "park_classes": ["class", "class_en", "count", "located", "stated_area_m2", "stated_area_report_m2",
                     "mapped_area_m2"],
    "categories": ["category", "count", "located", "stated_area_m2", "stated_area_report_m2", "mapped_area_m2"],
    "pocket_parks": ["reported_pocket_parks", "pocket_parks_in_data", "not_in_data"],
    "access": ["radius_m", "large_parks_only", "parks_counted", "residential_total", "residential_located",
               "residential_unknown", "residential_within", "residential_share", "residential_share_min",
               "residential_share_max", "residential_share_of_located", "district_area_share"],
    "disagreements": ["id", "name", "stated_area_m2", "mapped_area_m2", "relative_gap"],
    "per_capita": ["population", "stated_area_m2_per_person", "standard_m2_per_person", "meets_standard"],
    "walking": list(WALK_ROW),
    "walking_homes": list(HOME),
    "district_figures": ["key", "value", "subject", "source"],
    "nearest": ["id", "name", "nearest_park_id", "nearest_park", "distance_m"],
}  # fmt: skip


def test_csv_is_one_tidy_table_per_file_with_numbers_as_numbers(known, tmp_path):
    import pandas as pd

    written = summary.write_summary_tables(_full_summary(known), tmp_path / "tables")
    assert [p.stem for p in written] == list(TIDY) == list(summary.TABLES)
    for path in written:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the Chinese
        frame = pd.read_csv(path, encoding="utf-8-sig")
        assert list(frame.columns) == TIDY[path.stem], path.stem
    access = pd.read_csv(tmp_path / "tables" / "access.csv", encoding="utf-8-sig")
    assert access["residential_share"].isna().all()  # 1 of 4 homes unlocated: unknown, an empty cell
    assert access["residential_share_min"].dtype.kind == "f" and access["residential_share_max"].tolist() == [0.5, 1.0]
    walking = pd.read_csv(tmp_path / "tables" / "walking.csv", encoding="utf-8-sig")
    assert walking["share_walk"].iloc[0] == pytest.approx(3 / 7)  # a fraction, not "42.86%"
    figures = pd.read_csv(tmp_path / "tables" / "district_figures.csv", encoding="utf-8-sig")
    assert figures["value"].tolist() == [123456, 330000] and figures["subject"].tolist() == ["绿地", "常住人口"]
    gap = pd.read_csv(tmp_path / "tables" / "disagreements.csv", encoding="utf-8-sig")
    assert gap.iloc[0].tolist() == [
        "small-square",
        "small-square",
        3000.0,
        round(SMALL_M2, 1),
        pytest.approx((3000 - SMALL_M2) / 3000, abs=1e-4),
    ]


def test_the_command_line_names_the_same_tables():
    from geo.cli import SUMMARY_TABLES

    assert list(SUMMARY_TABLES) == list(summary.TABLES)


def test_csv_text_is_one_named_table_and_refuses_without_one(known):
    result = _full_summary(known)
    with pytest.raises(ValidationError, match="one table per file"):
        summary.format_summary(result, "csv")
    with pytest.raises(ValidationError, match="table must be one of"):
        summary.format_summary(result, "csv", table="everything")
    assert summary.format_summary(result, "csv", table="per_capita").splitlines() == [
        "population,stated_area_m2_per_person,standard_m2_per_person,meets_standard",
        "2000,10.1865,8.0,True",
    ]


def test_the_unknown_case_in_every_format(known):
    # Every home unlocated: no format may say 0 %.
    known.loc[known["category"] == "residential", "geometry"] = None
    result = summary.summarize(known, district_share=False)
    row = result["access"][0]
    assert row["residential_share"] is None and row["residential_share_of_located"] is None
    assert (row["residential_located"], row["residential_total"]) == (0, 4)
    assert (row["residential_share_min"], row["residential_share_max"]) == (0.0, 1.0)
    data = json.loads(summary.format_summary(result, "json"))
    assert data["access"][0]["residential_share"] is None and data["access"][0]["residential_unknown"] == 4
    for fmt in ("table", "markdown"):
        block = summary.format_summary(result, fmt).split("Access (straight-line)")[1][:700]
        assert "unknown: 0 of 4 homes located" in block, fmt
        assert "0.00%" not in block, fmt
    csv_text = summary.format_summary(result, "csv", table="access")
    head, first = csv_text.splitlines()[:2]
    cells = dict(zip(head.split(","), first.split(","), strict=True))
    assert (
        cells["residential_share"] == "" and cells["residential_located"] == "0" and cells["residential_total"] == "4"
    )


def test_cli_csv_writes_a_folder_of_tables_or_prints_one(runner, bundled_path, tmp_path):
    result = runner.invoke(main, ["summary", "--data", str(bundled_path), "--format", "csv"])
    assert result.exit_code == 2 and "--out FOLDER" in result.output
    result = runner.invoke(
        main, ["summary", "--data", str(bundled_path), "--format", "csv", "--out", str(tmp_path / "t")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t" / "access.csv").is_file() and (tmp_path / "t" / "park_classes.csv").is_file()
    result = runner.invoke(main, ["summary", "--data", str(bundled_path), "--format", "csv", "--table", "access"])
    assert result.exit_code == 0 and result.output.startswith("radius_m,")
    assert ",,0.0,1.0,," in result.output  # 0 of 3 homes located: share unknown, between 0 and 1


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_formats_print_every_table_and_the_walking_notes(known, fmt):
    text = summary.format_summary(_full_summary(known), fmt)
    for title, columns in TABLES.items():
        assert title in text, title
        assert all(column in text for column in columns), title
    assert "Note: walked on a test network" in text
    assert "报道 report" in text and "某小区" in text


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


# ---- figures that only a precise test notices


def test_report_areas_are_kept_apart_from_other_sources(known):
    known["stated_area_source"] = ["report", "encyclopedia", "report", None, None, None, None, None]
    parks = summary.park_area_summary(known, district_area_m2=1e8)
    assert parks["stated_area_m2"] == 20_373.0 and parks["stated_area_report_m2"] == 17_373.0
    assert parks["stated_area_note"] == (
        "stated_area_m2 (20,373 m²) adds the areas sources state: 17,373 m² from the report itself "
        "and 3,000 m² from other sources (each place's stated_area_source names it)"
    )


def test_areas_are_rounded_to_a_tenth_and_gaps_to_a_ten_thousandth(known):
    known.loc[known["id"] == "small-square", "stated_area_m2"] = 3_000.46
    known.loc[known["id"] == "point-park", "stated_area_m2"] = 7_373.07
    parks = summary.park_area_summary(known, district_area_m2=1e8, population=3)
    assert parks["stated_area_m2"] == 20_373.5  # 20,373.53 to a tenth
    gap = parks["disagreements"][0]
    assert gap["stated_area_m2"] == 3_000.5 and gap["mapped_area_m2"] == round(SMALL_M2, 1) == 2_500.8
    want = (3000.46 - SMALL_M2) / 3000.46
    assert gap["relative_gap"] == round(want, 4) and gap["relative_gap"] != round(want, 5)
    assert parks["per_capita"]["stated_area_m2_per_person"] == round(20_373.5 / 3, 4) == 6791.1667


def test_shares_of_the_district_and_its_area(known):
    parks = summary.park_area_summary(known, district_area_m2=1e6)
    assert parks["district_area_m2"] == 1e6
    drawn = round(_ground_m2(10_000, X0 + 50) + SMALL_M2, 1)  # 12,500 m² of UTM grid: 12,503.9 m² on the ground
    assert (
        parks["share_of_district"]
        == {"stated": 0.020373, "mapped": round(drawn / 1e6, 10)}
        == {"stated": 0.020373, "mapped": 0.0125039}
    )
    assert summary.park_area_summary(known, district_area_m2=0)["share_of_district"] == {"stated": None, "mapped": None}


def test_more_pocket_parks_than_reported_leaves_none_missing(known):
    parks = summary.park_area_summary(known, district_area_m2=1e8, reported_pocket_parks=1)
    assert parks["inventory"] == {"reported_pocket_parks": 1, "pocket_parks_in_data": 2, "not_in_data": 0}
    parks = summary.park_area_summary(known, district_area_m2=1e8, reported_pocket_parks=5)
    assert parks["inventory"]["not_in_data"] == 3


def test_a_multipolygon_park_is_measured():
    two = box(X0, Y0, X0 + 10, Y0 + 10).union(box(X0 + 100, Y0, X0 + 120, Y0 + 10))
    frame = _frame([_place("twin", "park", two, park_class="游园", stated_area_m2=300)])
    parks = summary.park_area_summary(frame, district_area_m2=1e8)
    assert two.geom_type == "MultiPolygon" and parks["disagreements"] == []
    assert (
        parks["mapped_area_m2"]
        == round(_ground_m2(100, X0 + 5, Y0 + 5) + _ground_m2(200, X0 + 110, Y0 + 5), 1)
        == 300.1
    )


def test_geographic_frames_use_their_own_utm_zone_ignoring_empty_geometries():
    from shapely.geometry import GeometryCollection

    beijing = [_place("p", "park", Point(116.40, 39.90)), _place("q", "park", GeometryCollection()),
               _place("r", "residential", None)]  # fmt: skip
    assert summary.project(_frame(beijing, crs="EPSG:4326")).crs.to_epsg() == 32650  # zone 50N, not Changchun's 51N


def test_catchments_name_their_parks_and_count_homes_as_integers(known):
    result = summary.access_summary(known, (500,), district_share=False)
    catch = {c["id"]: c for c in result["catchments"]}
    assert catch["point-park"] == {"id": "point-park", "name": "point-park", "within_500_m": 2}
    assert all(type(c["within_500_m"]) is int for c in result["catchments"])
    assert result["crs"] == UTM


def test_a_home_equally_near_two_large_parks_counts_once():
    rows = [
        _place("west", "park", box(X0 - 200, Y0, X0 - 100, Y0 + 100), stated_area_m2=10_000),
        _place("east", "park", box(X0 + 100, Y0, X0 + 200, Y0 + 100), stated_area_m2=10_000),
        _place("pocket", "park", Point(X0 + 5000, Y0), stated_area_m2=500),
        _place("between", "residential", Point(X0, Y0 + 50)),  # 100 m from both large parks
        _place("far", "residential", Point(X0, Y0 + 3000)),
    ]
    result = summary.access_summary(_frame(rows), (500,), large_park_radii=(500,), district_share=False)
    assert result["access"][0]["parks_counted"] == 2
    assert result["access"][0]["residential_within"] == 1


def test_no_park_near_the_district_covers_none_of_it(known):
    far = box(X0 + 50_000, Y0 + 50_000, X0 + 60_000, Y0 + 60_000)
    assert summary.access_summary(known, (500,), district=far)["access"][0]["district_area_share"] == 0.0


def test_access_notes_say_what_was_and_was_not_counted(known):
    notes = summary.access_summary(known, (300, 500), large_park_radii=(500,), district_share=False)["notes"]
    assert notes == [
        summary.NOTE_DISTANCE,
        summary.NOTE_UNKNOWN,
        "At 500 m only parks of at least 1 ha count (GB/T 51346-2019).",
    ]


def test_summarize_passes_its_radii_and_district_choice_on(known):
    result = summary.summarize(known, radii=(250,), district_share=False)
    assert [r["radius_m"] for r in result["access"]] == [250.0]
    assert result["access"][0]["district_area_share"] is None


def test_text_cells_for_missing_values_and_yes_no(known):
    result = summary.summarize(known, population=2000, district_share=False)
    table = summary.format_summary(result, "table")
    row = table.split("Park area per resident (GB 55014-2021: 8 m²)\n")[1].splitlines()[1].split()
    assert row == ["2000", "10.2", "yes"]
    result["parks"]["per_capita"]["meets_standard"] = False
    result["access"][0]["residential_share"] = None
    table = summary.format_summary(result, "table")
    assert table.split("Park area per resident (GB 55014-2021: 8 m²)\n")[1].splitlines()[1].split()[-1] == "no"
    assert "75.00%–100.00% (3 of 4 homes located)" in table.split("Access (straight-line)\n")[1].splitlines()[2]
    result["nearest"][0]["distance_m"] = None
    csv_text = summary.format_summary(result, "csv", table="nearest")
    assert csv_text.splitlines()[1].endswith(",")  # an unknown distance is an empty cell


def test_markdown_cells_escape_every_character_markdown_reads(known):
    known.loc[known["id"] == "home-at-300", "name"] = "a|b (c) [d] <e> *f* _g_ `h` #i !j \\k"
    text = summary.format_summary(summary.summarize(known, district_share=False), "markdown")
    line = next(x for x in text.splitlines() if x.startswith("| home-at-300 |"))
    assert "a\\|b \\(c\\) \\[d\\] \\<e\\> \\*f\\* \\_g\\_ \\`h\\` \\#i \\!j \\\\k" in line
    assert line.count(" | ") == 3  # four cells: the name's pipe stays inside its cell


def test_table_columns_line_up_with_chinese_names_counted_double_width(known):
    known.loc[known["id"] == "home-at-300", "name"] = "长长的小区名字"
    text = summary.format_summary(summary.summarize(known, district_share=False), "table")
    block = text.split("Nearest park of each residential place\n")[1].split("\n\n")[0].splitlines()
    import unicodedata

    def columns(text):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    starts = {columns(line[: line.index("point-park")]) for line in block if "point-park" in line}
    assert len(starts) == 1, block  # the nearest-park column starts at one display column on every row


def test_the_figure_shows_both_charts_with_their_legends(known):
    result = summary.summarize(known, district_share=False)
    fig = summary.summary_figure(result)
    area, access = fig.axes
    assert area.get_position().x1 < access.get_position().x0  # side by side
    assert summary.cjk_font() == "WenQuanYi Micro Hei"  # Debian's fonts-wqy-microhei, found by its family name
    assert area.get_title() == "公园面积（按分类，CJJ/T 85-2017）\nPark area by class"
    assert access.get_title().startswith("可达公园的住宅")
    assert [t.get_text() for t in area.get_legend().get_texts()] == ["资料面积 stated", "轮廓量算 mapped outline"]
    assert [t.get_text() for t in access.get_legend().get_texts()] == [
        "可达 within reach", "不可达 not within", "位置未知 location unknown"]  # fmt: skip
    # Classes are rows (their names never overlap), areas on a log axis: a pocket park shows beside a wetland.
    assert [t.get_text() for t in area.get_yticklabels()] == [
        f"{r['class']}\n{r['class_en']}" for r in result["parks"]["by_class"]]  # fmt: skip
    assert area.get_xscale() == "log"
    stated, mapped = area.containers
    assert [round(b.get_width(), 4) for b in stated] == [r["stated_area_m2"] / 1e4 for r in result["parks"]["by_class"]]
    positive = [b.get_width() for b in stated if b.get_width() > 0]
    assert area.get_xlim()[0] < min(positive) and area.get_xlim()[1] > max(positive)
    from matplotlib.colors import to_rgba

    assert {b.get_facecolor() for b in stated} == {to_rgba("#2e7d32")}  # dark green: stated
    assert {b.get_facecolor() for b in mapped} == {to_rgba("#a5d6a7")}  # light green: drawn
    assert mapped[0].get_height() < stated[0].get_height()  # the outline's bar sits inside the stated one
    within, outside, unknown = access.containers
    assert [round(b.get_height(), 4) for b in within] == [25.0, 75.0]  # 1 and 3 of the 4 homes, at 300 and 500 m
    assert [round(b.get_height(), 4) for b in unknown] == [25.0] * len(result["access"])  # 1 of 4 homes unlocated
    assert [round(b.get_height(), 4) for b in outside] == [50.0, 0.0]
    assert len({b.get_facecolor() for b in (within[0], outside[0], unknown[0])}) == 3


def test_a_pocket_park_shows_beside_a_wetland(known):
    result = summary.summarize(known, district_share=False)
    classes = result["parks"]["by_class"]
    classes[2]["stated_area_m2"], classes[3]["stated_area_m2"] = 3_840_000.0, 7_000.0  # 384 ha and 0.7 ha
    area = summary.summary_figure(result).axes[0]
    low, high = area.get_xlim()
    assert low < 0.7 and high > 384
    # On the log axis the pocket park's bar is more than a tenth of the wetland's length (on a linear one, 0.2 %).
    import math

    span = math.log10(high) - math.log10(low)
    assert (math.log10(0.7) - math.log10(low)) / span > 0.1


def test_the_figure_falls_back_to_english_without_a_cjk_font(known, monkeypatch, caplog):
    monkeypatch.setattr(summary, "cjk_font", lambda: None)
    fig = summary.summary_figure(summary.summarize(known, district_share=False))
    assert fig.axes[0].get_title() == "Park area by class (CJJ/T 85-2017)"
    assert "no CJK font found" in caplog.text


def test_the_png_is_1100_by_440_pixels(known, tmp_path):
    import struct

    path = tmp_path / "s.png"
    summary.plot_summary(summary.summarize(known, district_share=False), path)
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    assert (width, height) == (1100, 440)


def test_missing_values_print_as_unknown_in_tables(known):
    result = summary.summarize(known, district_share=False)
    result["nearest"] = [{"id": "h", "name": "某小区", "nearest_park": None, "distance_m": None}]
    block = summary.format_summary(result, "table").split("Nearest park of each residential place\n")[1]
    assert block.splitlines()[1].split() == ["h", "某小区", "unknown", "unknown"]


def test_large_point_parks_count_by_their_stated_area_and_outlines_by_their_own():
    rows = [
        _place("stated-big", "park", Point(X0, Y0), stated_area_m2=20_000),
        _place("drawn-big", "park", box(X0 + 5000, Y0, X0 + 5120, Y0 + 100), stated_area_m2=500),  # 12,000 m² drawn
        _place("home-a", "residential", Point(X0, Y0 + 400)),
        _place("home-b", "residential", Point(X0 + 5060, Y0 + 500)),
    ]
    result = summary.access_summary(_frame(rows), (500,), large_park_radii=(500,), district_share=False)
    assert result["access"][0]["parks_counted"] == 2 and result["access"][0]["residential_within"] == 2
    no_column = _frame(rows).drop(columns="stated_area_m2")
    result = summary.access_summary(no_column, (500,), large_park_radii=(500,), district_share=False)
    assert result["access"][0]["parks_counted"] == 1  # without stated areas only the outline can be measured


def test_summarize_walks_from_the_homes_to_the_located_parks(known, monkeypatch):
    seen = {}

    def walking_access(homes, parks, network, radii):
        seen.update(homes=sorted(homes["id"]), parks=sorted(parks["id"]), network=network, radii=tuple(radii),
                    crs=homes.crs)  # fmt: skip
        return {"rows": [], "homes": [], "notes": []}

    monkeypatch.setattr(summary, "walking_access", walking_access)  # where summarize looks it up
    known.loc[len(known)] = {"id": "lost-park", "name": "lost-park", "category": "park", "park_class": None,
                             "stated_area_m2": None, "uncertainty_m": 5.0, "geometry": None}  # fmt: skip
    result = summary.summarize(known, radii=(400,), district_share=False, network="the graph")
    assert result["walking"] == {"rows": [], "homes": [], "notes": []}
    assert seen == {"homes": ["home-at-300", "home-at-400", "home-near-big", "home-unlocated"],
                    "parks": ["big-square", "point-park", "small-square"], "network": "the graph",
                    "radii": (400,), "crs": known.crs}  # fmt: skip


def test_disagreements_are_the_parks_off_by_more_than_the_tolerance_in_order():
    """Computed over the columns at once: the same records, in the frame's order, as one park at a time."""
    import numpy as np
    import pandas as pd

    from geo.summary import _disagreements

    rng = np.random.default_rng(4)
    n = 400
    index = pd.Index(rng.permutation(10 * n)[:n])  # an index that is not 0..n-1
    metric = pd.DataFrame({"id": [f"p{i}" for i in range(n)], "name": [f"园{i}" for i in range(n)]}, index=index)
    is_park = pd.Series(rng.random(n) < 0.8, index=index)
    stated = pd.Series(np.where(rng.random(n) < 0.2, np.nan, rng.uniform(100, 9000, n)), index=index)
    mapped = pd.Series(np.where(rng.random(n) < 0.2, np.nan, stated * rng.uniform(0.7, 1.3, n)), index=index)
    expected = []
    for i in index:
        if is_park[i] and pd.notna(mapped[i]) and pd.notna(stated[i]):
            gap = abs(mapped[i] - stated[i]) / stated[i]
            if gap > 0.1:
                expected.append({"id": metric.at[i, "id"], "name": metric.at[i, "name"],
                                 "stated_area_m2": round(float(stated[i]), 1),
                                 "mapped_area_m2": round(float(mapped[i]), 1), "relative_gap": round(float(gap), 4)})  # fmt: skip
    got = _disagreements(metric, is_park, mapped, stated.astype(object).where(stated.notna(), None), 0.1)
    assert got == expected and 50 < len(got) < n


def test_catchments_count_the_homes_dwithin_each_radius_from_one_search():
    """One search at the largest radius, then each radius's own pairs: the counts GEOS's dwithin gives per radius."""
    import numpy as np
    import shapely

    rng = np.random.default_rng(9)
    rows = []
    for k in range(150):  # boxes, triangles and points as parks; points and small squares as homes
        x, y = X0 + rng.uniform(0, 3000), Y0 + rng.uniform(0, 3000)
        side = rng.uniform(10, 160)
        shape = [
            box(x, y, x + side, y + side),
            shapely.Polygon([(x, y), (x + side, y), (x, y + 2 * side)]),
            Point(x, y),
        ]
        rows.append(_place(f"park-{k}", "park", shape[k % 3], stated_area_m2=float(side * side)))
    for k in range(600):
        x, y = X0 + rng.uniform(-500, 3500), Y0 + rng.uniform(-500, 3500)
        rows.append(_place(f"home-{k}", "residential", box(x, y, x + 8, y + 8) if k % 4 == 0 else Point(x, y)))
    rows.append(_place("home-at-200", "residential", Point(rows[2]["geometry"].x + 200, rows[2]["geometry"].y)))
    frame = _frame(rows)
    radii = (200.0, 300.0, 500.0, 800.0)
    got = summary.access_summary(frame, radii, large_park_radii=(500.0,), district_share=False)["catchments"]
    parks, homes = frame.geometry.to_numpy()[:150], frame.geometry.to_numpy()[150:]
    size = summary._park_size(frame.iloc[:150], summary._mapped_areas(frame.iloc[:150])).to_numpy()
    for r in radii:
        keep = size >= summary.LARGE_PARK_M2 if r == 500.0 else np.ones(150, dtype=bool)
        pairs = shapely.STRtree(homes).query(parks[keep], predicate="dwithin", distance=r)
        expected = np.zeros(150, dtype=int)
        expected[keep] = np.bincount(pairs[0], minlength=int(keep.sum()))
        assert [c[f"within_{r:g}_m"] for c in got] == expected.tolist(), r
    assert got[2]["within_200_m"] >= 1 and 0 < sum(c["within_500_m"] for c in got) < sum(c["within_800_m"] for c in got)


def test_pair_distances_are_the_same_whatever_run_of_pairs_is_measured_at_a_time(monkeypatch):
    import numpy as np
    import shapely

    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 5000, 300), rng.uniform(0, 5000, 300)
    parks = shapely.box(x, y, x + 50, y + 50)
    homes = shapely.points(rng.uniform(0, 5000, 3000), rng.uniform(0, 5000, 3000))
    pairs = shapely.STRtree(homes).query(parks, predicate="dwithin", distance=500.0)
    whole = summary._pair_distances(parks, homes, pairs, 300.0)
    monkeypatch.setattr(summary, "PAIR_RUN", 777)
    runs = summary._pair_distances(parks, homes, pairs, 300.0)
    assert np.array_equal(whole, runs) and 1_000 < np.isfinite(runs).sum() < pairs.shape[1]
    exact = shapely.distance(parks[pairs[0]], homes[pairs[1]])
    assert np.array_equal(runs[np.isfinite(runs)], exact[np.isfinite(runs)])  # measured pairs: GEOS's distance
    assert (exact[~np.isfinite(runs)] > 300.0).all()  # skipped pairs: farther than the radius
