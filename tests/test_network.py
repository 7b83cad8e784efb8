"""Walking access on a synthetic street network whose every distance is known by hand (to 1 m)."""

import json
import math
import shutil

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from geo import network, summary
from geo.cli import main
from geo.errors import StoreError

from _osm import CRS, metric, river_grid_xml
from _server import REPO

SHIPPED = REPO / "tests" / "data" / "synthetic_river_grid.osm"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    path, _ = network.import_osm(SHIPPED, tmp_path_factory.mktemp("net") / "network.graphml")
    return network.load_network(path)


def _frame(rows):
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def _pt(x, y):
    return Point(*metric(x, y))


# osmnx simplifies the graph: only junctions and dead ends stay nodes (the grid's corners go), so
# every place below sits next to a node that stays, and each expected walk is counted edge by edge.
# The park: a point 10 m south of the junction (100, 0), which it enters with a 10 m step.
PARK = {"id": "park", "name": "测试园", "category": "park", "geometry": _pt(100, -10)}
HOMES = [
    # across the river: 10 on at (100, 300), 500 east, 100 over the bridge, 500 west, 200 south, 10 off
    {"id": "north", "name": "北岸", "category": "residential", "geometry": _pt(100, 310),
     "walk": 10 + 500 + 100 + 500 + 200 + 10, "straight": 320.0},
    # same bank: 5 on at (200, 100), 100 south, 100 west, 10 off
    {"id": "south", "name": "南岸", "category": "residential", "geometry": _pt(200, 105),
     "walk": 5 + 200 + 10, "straight": math.hypot(100, 115)},
    # in the walled compound: 5 on at the lane's end (400, -100), 200 along the lane to the gate, 200 west, 10 off
    {"id": "compound", "name": "大院", "category": "residential", "geometry": _pt(400, -95),
     "walk": 5 + 200 + 200 + 10, "straight": math.hypot(300, 85)},
    # on the island: no route at all
    {"id": "island", "name": "孤岛", "category": "residential", "geometry": _pt(1050, 5),
     "walk": None, "straight": math.hypot(950, 15)},
    {"id": "nowhere", "name": "未定位", "category": "residential", "geometry": None, "walk": None, "straight": None},
]  # fmt: skip


def test_shipped_synthetic_network_is_the_generator_output_and_says_so():
    assert SHIPPED.read_text(encoding="utf-8") == river_grid_xml()
    assert "SYNTHETIC" in SHIPPED.read_text(encoding="utf-8")[:300]


def test_import_keeps_walkable_ways_and_records_provenance(tmp_path):
    path, facts = network.import_osm(SHIPPED, data_path=tmp_path / "locations.geojson")
    assert path == tmp_path / "network.graphml"
    g = network.load_network(data_path=tmp_path / "locations.geojson")
    names = [d.get("name") for _, _, d in g.edges(data=True)]
    flat = {n for v in names for n in (v if isinstance(v, list) else [v])}
    assert "Synthetic footbridge" in flat and "Synthetic compound lane" in flat
    assert not any("motorway" in str(n) or "Closed footway" in str(n) for n in flat)
    assert facts["extract_date"] == "2026-11-29T00:00:00Z" and "SYNTHETIC" in facts["source"]
    assert g.graph["geo_source"] == facts["source"]
    # Simplified: the long rows keep only their junctions; the island is kept though disconnected.
    assert facts["graph_nodes"] < facts["osm_nodes"]


def test_pbf_and_xml_give_the_same_network(tmp_path):
    import osmium

    pbf = tmp_path / "grid.osm.pbf"
    writer = osmium.SimpleWriter(str(pbf))
    for obj in osmium.FileProcessor(str(SHIPPED)):
        if obj.is_node():
            writer.add_node(obj)
        elif obj.is_way():
            writer.add_way(obj)
    writer.close()
    _, from_xml = network.import_osm(SHIPPED, tmp_path / "a.graphml")
    _, from_pbf = network.import_osm(pbf, tmp_path / "b.graphml")
    for key in ("walkable_ways", "osm_nodes", "graph_nodes", "graph_edges"):
        assert from_xml[key] == from_pbf[key], key


def test_walking_distances_are_exact(graph):
    homes = _frame([{k: v for k, v in h.items() if k not in ("walk", "straight")} for h in HOMES])
    result = network.walking_access(homes, _frame([PARK]), graph, radii=(300, 500, 1600))
    got = {h["id"]: h for h in result["homes"]}
    for home in HOMES:
        if home["geometry"] is None:
            assert home["id"] not in got  # unlocated: unknown, not measured
            continue
        row = got[home["id"]]
        assert row["straight_m"] == pytest.approx(home["straight"], abs=1.0), home["id"]
        if home["walk"] is None:
            assert row["walk_m"] is None and row["reachable"] is False
        else:
            assert row["walk_m"] == pytest.approx(home["walk"], abs=1.0), home["id"]
            assert row["detour_index"] == pytest.approx(home["walk"] / home["straight"], rel=0.01)
    by_radius = {r["radius_m"]: r for r in result["rows"]}
    # 300 m: straight lines and walking both reach the south home only. 500 m: straight lines add the
    # compound (312 m) and the north bank (320 m over the river); walking adds the compound (415 m) only.
    assert (by_radius[300]["within_straight"], by_radius[300]["within_walk"]) == (1, 1)
    assert (by_radius[500]["within_straight"], by_radius[500]["within_walk"]) == (3, 2)
    assert (by_radius[1600]["within_walk"], by_radius[1600]["no_route"]) == (3, 1)
    assert by_radius[500]["residential_unknown"] == 1 and by_radius[500]["residential_total"] == 5
    # One home unlocated: no single share, only the range it leaves open (2 or 3 of 5 walk within 500 m).
    assert by_radius[500]["share_walk"] is None and by_radius[500]["share_straight"] is None
    assert (by_radius[500]["share_walk_min"], by_radius[500]["share_walk_max"]) == (0.4, 0.6)
    assert (by_radius[500]["share_straight_min"], by_radius[500]["share_straight_max"]) == (0.6, 0.8)


def test_an_outlined_park_enters_at_every_node_near_its_outline(graph):
    # A park between rows 100 and 200 and columns 400 and 500: its edge touches four nodes.
    square = Polygon([metric(400, 100), metric(500, 100), metric(500, 200), metric(400, 200)])
    park = {"id": "sq", "name": "方园", "category": "park", "geometry": square}
    home = {"id": "h", "name": "家", "category": "residential", "geometry": _pt(600, 95)}
    result = network.walking_access(_frame([home]), _frame([park]), graph)
    # 5 on at (600, 100), west 100 to (500, 100): a corner of the park, so no step off.
    assert result["homes"][0]["walk_m"] == pytest.approx(105.0, abs=1.0)


def test_summarize_reports_walking_beside_straight_lines(graph):
    rows = [PARK, *({k: v for k, v in h.items() if k not in ("walk", "straight")} for h in HOMES)]
    frame = _frame(rows)
    for col, value in (("park_class", None), ("stated_area_m2", None), ("uncertainty_m", None), ("precision", "exact")):
        frame[col] = value
    result = summary.summarize(frame, radii=(300, 500), network=graph)
    walking = {r["radius_m"]: r for r in result["walking"]["rows"]}
    straight = {r["radius_m"]: r for r in result["access"]}
    assert walking[500]["within_walk"] == 2 and walking[500]["within_straight"] == 3
    assert straight[500]["residential_within"] == walking[500]["within_straight"]  # one straight-line measure
    text = summary.format_summary(result, "table")
    assert "Access (walking, street network)" in text and "no route" in text


def test_service_areas_follow_the_streets(graph):
    areas = network.service_areas(_frame([PARK]), graph, radii=(300,))
    assert len(areas) == 1 and areas.crs.to_epsg() == 4326
    shape = areas.to_crs(CRS).geometry.iloc[0]
    # 290 m are left after the 10 m step on: (100, 100) is 100 m along, (0, 150) 250 m round the corner.
    assert shape.contains(_pt(100, 100)) and shape.contains(_pt(0, 150))
    assert not shape.contains(_pt(100, 310))  # across the river: 320 m straight, 1,320 m on foot
    assert not shape.contains(_pt(400, 100))  # 400 m on foot, though 319 m straight


def test_cli_network_import_then_summary(runner, tmp_path):
    data = tmp_path / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", data)
    result = runner.invoke(main, ["network", "import", str(SHIPPED), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "network.graphml" in result.output and "SYNTHETIC" in result.output
    result = runner.invoke(main, ["summary", "--data", str(data), "--network", "--format", "json"])
    assert result.exit_code == 0, result.output
    walking = json.loads(result.output)["walking"]
    # The bundled homes have no location: walking access is unknown for every one, never covered.
    assert all(r["residential_unknown"] == r["residential_total"] == 3 for r in walking["rows"])
    assert all(r["within_walk"] == 0 for r in walking["rows"])
    assert all(r["share_walk"] is None and r["share_walk_max"] == 1.0 for r in walking["rows"])  # never 0 %
    table = runner.invoke(main, ["summary", "--data", str(data), "--network"])
    assert table.exit_code == 0, table.output
    walk_lines = [line for line in table.output.splitlines() if "unknown: 0 of 3 homes located" in line]
    assert len(walk_lines) >= 2 and "0.00%" not in "".join(walk_lines)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("not osm at all", "cannot read"), ('<?xml version="1.0"?><osm version="0.6"></osm>', "no walkable ways")],
    ids=["garbage", "empty"],
)
def test_bad_extracts_are_refused_in_one_line(runner, tmp_path, content, fragment):
    bad = tmp_path / "bad.osm"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["network", "import", str(bad), "--out", str(tmp_path / "n.graphml")])
    assert result.exit_code == 1 and fragment in result.output, result.output
    assert not (tmp_path / "n.graphml").exists()


def test_missing_network_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="geo network import"):
        network.load_network(data_path=tmp_path / "locations.geojson")


def test_build_with_a_network_draws_service_areas_beside_straight_radii(runner, tmp_path, graph):
    """`geo build --network`: the page carries each park's walking areas, labelled apart from straight radii."""
    import re

    from geo.render import build_map
    from geo.store import places_to_frame

    parks = _frame([PARK])
    areas = network.service_areas(parks, graph, radii=(300, 500))
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(parks.to_crs(4326).geometry.iloc[0].coords[0])},
               "properties": {"id": "park", "name": "测试园", "category": "park", "status": "unknown",
                              "location_method": "manual", "location_source": "test", "datum_in": "wgs84",
                              "precision": "exact", "uncertainty_m": 5}}  # fmt: skip
    html = build_map(places_to_frame([feature]), boundary=False, service_areas=areas).get_root().render()
    options = json.loads(
        re.search(r"Object\.assign\((\{.*?\}), \{control:", html, re.S).group(1).replace("\\u003c", "<")
    )
    served = options["serviceAreas"]
    assert sorted(a["radius_m"] for a in served) == [300.0, 500.0]
    assert "Straight-line radii" in options["radiiLabel"] and "along streets" in options["text"]["serviceArea"]
    lon, lat = parks.to_crs(4326).geometry.iloc[0].coords[0]
    ring = served[0]["polygons"][0][0]
    assert min(abs(x - lon) for x, _ in ring) < 0.01 and min(abs(y - lat) for _, y in ring) < 0.01


@pytest.mark.parametrize("npartitions", [1, 3])
def test_dask_partitions_homes_and_agrees_with_memory(graph, npartitions):
    from geo.dask_engine import summarize_dask

    rows = [PARK, *({k: v for k, v in h.items() if k not in ("walk", "straight")} for h in HOMES)]
    frame = _frame(rows)
    for col, value in (("park_class", None), ("stated_area_m2", None), ("uncertainty_m", None), ("precision", "exact")):
        frame[col] = value
    frame["stated_area_m2"] = frame["stated_area_m2"].astype("float64")
    frame["uncertainty_m"] = frame["uncertainty_m"].astype("float64")
    memory = summary.summarize(frame, radii=(300, 500), network=graph)["walking"]
    dask = summarize_dask(frame, radii=(300, 500), network=graph, npartitions=npartitions)["walking"]
    assert dask["rows"] == memory["rows"]
    assert sorted(dask["homes"], key=lambda h: h["id"]) == sorted(memory["homes"], key=lambda h: h["id"])
    assert {h["id"] for h in dask["homes"]} == {"north", "south", "compound", "island"}


def test_places_off_the_network_enter_nothing(graph):
    far_park = {"id": "far", "name": "远园", "category": "park", "geometry": _pt(100, -2000)}
    home = {"id": "south", "name": "南岸", "category": "residential", "geometry": _pt(200, 105)}
    far_home = {"id": "far-home", "name": "远家", "category": "residential", "geometry": _pt(100, 3000)}
    # A park 2 km from every street is no entry: nobody walks to it along this network.
    alone = network.walking_access(_frame([home]), _frame([far_park]), graph)
    assert alone["homes"][0]["reachable"] is False and alone["rows"][0]["no_route"] == 1
    # A home 2.6 km from every street has no route, though a park is on the network.
    both = network.walking_access(_frame([home, far_home]), _frame([PARK]), graph)
    got = {h["id"]: h for h in both["homes"]}
    assert got["south"]["walk_m"] == pytest.approx(215, abs=1) and got["far-home"]["reachable"] is False


def test_a_park_with_entrances_is_entered_only_there(graph):
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(CRS, 4326, always_xy=True)
    # The same square park as above, but its only gate is on its north side at (450, 200).
    square = Polygon([metric(400, 100), metric(500, 100), metric(500, 200), metric(400, 200)])
    gate = [list(to_lonlat.transform(*metric(450, 200)))]
    park = {"id": "sq", "name": "方园", "category": "park", "geometry": square, "entrances": gate}
    home = {"id": "h", "name": "家", "category": "residential", "geometry": _pt(600, 95)}
    result = network.walking_access(_frame([home]), _frame([park]), graph)
    # 5 on at (600, 100), 100 north to (600, 200), 100 west to (500, 200), then the gate's 50 m step
    # to its nearest node: (400, 200) and (500, 200) are both 50 m away, so the walk is 205 + 50 either way.
    assert result["homes"][0]["walk_m"] == pytest.approx(255.0, abs=1.0)
    without = network.walking_access(_frame([home]), _frame([{**park, "entrances": None}]), graph)
    assert without["homes"][0]["walk_m"] == pytest.approx(105.0, abs=1.0)  # any corner will do
