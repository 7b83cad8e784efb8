"""Adding, importing, updating and removing places: validated, and no data ever lost."""

import copy
import hashlib
import json
import math
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from _ids import slug as _slug
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import coords, geojson, places, render, store
from geo.cli import main
from geo.errors import ConflictError, GeocodeError, Problem, StoreError, ValidationError
from geo.model import PARK_CLASSES
from geo.store import dumps_collection, load_collection

# A square of about 80 m x 80 m (6,400 m²) in the district, counter-clockwise, WGS-84.
SQUARE = [[125.3300, 43.8400], [125.3310, 43.8400], [125.3310, 43.8407], [125.3300, 43.8407], [125.3300, 43.8400]]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_geojson(path, geometry, properties=None):
    path.write_text(
        json.dumps({"type": "Feature", "geometry": geometry, "properties": properties or {}}), encoding="utf-8"
    )
    return path


# ------------------------------------------------------------------ the three ways of adding


def test_add_by_address_by_gcj02_point_and_by_outline(runner, valid_path, tmp_path):
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "卫星园", "--area", "6200", "--address", "人民大街与卫星路交会处东侧200米",
                                  "--class", "游园", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "火星园", "--area", "5000", "--lonlat", "125.3341,43.8412", "--datum", "gcj02",
                                  "--name-en", "Mars Garden", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    outline = _write_geojson(tmp_path / "drawn.geojson", {"type": "Polygon", "coordinates": [SQUARE]})
    result = runner.invoke(
        main,
        [
            "add-park",
            "--source",
            "测试来源 test source",
            "方园",
            "--area",
            "6400",
            "--geometry",
            str(outline),
            "--data",
            str(valid_path),
        ],
    )
    assert result.exit_code == 0, result.output
    fc = load_collection(valid_path)
    by_name = {f["properties"]["name"]: f for f in fc["features"]}
    addr = by_name["卫星园"]
    assert addr["properties"]["location_method"] == "gazetteer" and addr["properties"]["precision"] == "approximate"
    mars = by_name["火星园"]
    assert mars["properties"]["id"] == "mars-garden" and mars["properties"]["datum_in"] == "gcj02"
    assert mars["geometry"]["coordinates"] == pytest.approx(list(coords.gcj02_to_wgs84(125.3341, 43.8412)), abs=1e-7)
    assert by_name["方园"]["geometry"]["type"] == "Polygon" and by_name["方园"]["properties"]["outline"] == "drawn"


def test_add_is_a_one_place_diff(runner, valid_path):
    before = valid_path.read_text(encoding="utf-8").splitlines()
    runner.invoke(
        main,
        [
            "add-park",
            "--source",
            "测试来源 test source",
            "火星园",
            "--area",
            "5000",
            "--lonlat",
            "125.3341,43.8412",
            "--data",
            str(valid_path),
        ],
    )
    after = valid_path.read_text(encoding="utf-8").splitlines()
    import difflib

    from geo.model import PROPERTY_ORDER

    diff = [d for d in difflib.ndiff(before, after) if d[:1] in "+-"]
    removed = [d for d in diff if d.startswith("-")]
    added = [d for d in diff if d.startswith("+")]
    # The previous last feature's closing brace gains a comma; the new feature is appended whole.
    assert len(removed) <= 1
    assert len(added) - len(removed) == len(PROPERTY_ORDER) + 6
    assert any("火星园" in d for d in added)


def test_dry_run_writes_nothing(runner, valid_path):
    digest = _digest(valid_path)
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "火星园", "--area", "5000", "--lonlat", "125.3341,43.8412", "--data",
                                  str(valid_path), "--dry-run"])  # fmt: skip
    assert result.exit_code == 0 and "nothing written" in result.output and '"火星园"' in result.output
    assert _digest(valid_path) == digest


# ------------------------------------------------------------------ every bad input, file untouched

BOWTIE = [[125.33, 43.84], [125.331, 43.841], [125.331, 43.84], [125.33, 43.841], [125.33, 43.84]]
BAD = [
    (["   ", "--area", "5000", "--lonlat", "125.334,43.841"], "name: must be non-empty"),
    (["园", "--area", "abc", "--lonlat", "125.334,43.841"], "--area: expected square metres"),
    (["园", "--area", "0", "--lonlat", "125.334,43.841"], "--area: must be > 0"),
    (["园", "--area", "-5", "--lonlat", "125.334,43.841"], "--area: must be > 0"),
    (["园", "--area", "nan", "--lonlat", "125.334,43.841"], "--area: must be finite"),
    (["园", "--area", "inf", "--lonlat", "125.334,43.841"], "--area: must be finite"),
    (["园", "--area", "1e12", "--lonlat", "125.334,43.841"], "larger than the whole district"),
    (["园", "--area", "5000", "--lonlat", "125.334,43.841", "--class", "大公园"], "--class: must be one of"),
    (["园", "--area", "5000", "--lonlat", "125.334,43.841", "--status", "closed"], "--status: must be one of"),
    (["园", "--area", "5000", "--lonlat", "43.841,125.334"], "(lat, lon) order"),
    (["园", "--area", "5000", "--lonlat", "200,43"], "longitude must be in [-180, 180]"),
    (["园", "--area", "5000", "--lonlat", "125.334"], "expected 'LON,LAT'"),
    (["园", "--area", "5000", "--lonlat", "116.40,39.90"], "outside the district's extent"),
    (["园", "--area", "5000", "--lonlat", "125.30,43.60"], "outside 南关区"),
    (["园", "--area", "5000", "--address", "华远路与前进大街交会处东侧"], "no gazetteer entry for the intersection"),
    (["园", "--area", "5000"], "give one of --address, --lonlat or --geometry"),
    (["测试商场", "--area", "5000", "--lonlat", "125.334,43.841"], "name '测试商场' is taken"),
    (["近园", "--area", "5000", "--lonlat", "125.3335001,43.8420001"], "practically the same spot"),
    (["园", "--area", "5000", "--lonlat", "125.334,43.841", "--id", "test-mall"], "id 'test-mall' is taken"),
    (["园", "--area", "5000", "--lonlat", "125.334,43.841", "--id", "Bad Id"], "id must be lower-case ASCII"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD, ids=[_slug(b[1]) for b in BAD])
def test_bad_input_is_refused_and_the_file_is_unchanged(runner, valid_path, args, fragment):
    fc = load_collection(valid_path)
    # Put a park exactly where the "same spot" case aims, 0.01 m away.
    near = next(f for f in fc["features"] if f["properties"]["id"] == "test-gcj-park")
    near["geometry"]["coordinates"] = [125.3335, 43.842]
    near["properties"]["datum_in"] = "wgs84"
    near["properties"]["coord_original"] = None
    valid_path.write_text(dumps_collection(fc), encoding="utf-8")
    digest = _digest(valid_path)
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", *args, "--data", str(valid_path)])
    assert result.exit_code == 1, result.output
    assert fragment in result.output
    assert "Traceback" not in result.output
    assert _digest(valid_path) == digest


def test_every_problem_is_reported_at_once(runner, valid_path):
    digest = _digest(valid_path)
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", " ", "--area", "-1", "--lonlat", "43.8,125.3", "--class", "大公园",
                                  "--status", "gone", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 1
    for fragment in ("name:", "--area:", "--class:", "--status:", "--lonlat:"):
        assert fragment in result.output
    assert _digest(valid_path) == digest


@pytest.mark.parametrize(
    ("ring", "extra", "fragment"),
    [
        (BOWTIE, [], "not a valid Polygon"),
        (SQUARE[:-1], [], "is not closed"),
        (SQUARE[:3], [], "at least 4 positions"),
        (SQUARE, ["--area", "20000"], "more than 10%"),
    ],
    ids=["self-intersecting", "unclosed", "too-few", "area-mismatch"],
)
def test_bad_outlines_are_refused(runner, valid_path, tmp_path, ring, extra, fragment):
    digest = _digest(valid_path)
    outline = _write_geojson(tmp_path / "o.geojson", {"type": "Polygon", "coordinates": [ring]})
    args = [
        "add-park",
        "--source",
        "测试来源 test source",
        "方园",
        "--geometry",
        str(outline),
        "--data",
        str(valid_path),
    ]
    result = runner.invoke(main, [*args, *(extra or ["--area", "6400"])])
    assert result.exit_code == 1 and fragment in result.output, result.output
    if fragment in ("not a valid Polygon", "is not closed"):
        assert "--repair fixes it" in result.output  # every refusal a repair would fix says so
    assert _digest(valid_path) == digest


def test_clockwise_outline_is_rewound_not_refused(runner, valid_path, tmp_path):
    outline = _write_geojson(tmp_path / "o.geojson", {"type": "Polygon", "coordinates": [list(reversed(SQUARE))]})
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "方园", "--area", "6400", "--geometry", str(outline),
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "rewound 1 ring(s) to the right-hand rule" in result.output
    park = next(f for f in json.loads(valid_path.read_text())["features"] if f["properties"]["name"] == "方园")
    ring = park["geometry"]["coordinates"][0]
    assert geojson.signed_area(ring) > 0  # stored counter-clockwise (RFC 7946)


def test_repair_and_confirm_are_explicit(runner, valid_path, tmp_path):
    outline = _write_geojson(tmp_path / "o.geojson", {"type": "Polygon", "coordinates": [list(reversed(SQUARE))[:-1]]})
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "方园", "--area", "6400", "--geometry", str(outline), "--repair",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "closed an unclosed ring" in result.output
    outline = _write_geojson(tmp_path / "p.geojson", {"type": "Polygon", "coordinates": [SQUARE]})
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "大方园", "--area", "20000", "--geometry", str(outline), "--confirm-area", "--reason", "测试理由 test reason",
                                  "--update", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "accepted: 测试理由 test reason" in result.output


def test_update_flag_replaces_a_duplicate(runner, valid_path):
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "测试商场", "--area", "5000", "--lonlat", "125.334,43.841", "--update",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    names = [f["properties"]["name"] for f in load_collection(valid_path)["features"]]
    assert names.count("测试商场") == 1 and len(names) == 5


def test_allow_outside_keeps_a_point_outside_the_polygon(runner, valid_path):
    args = [
        "add-park",
        "--source",
        "测试来源 test source",
        "界外园",
        "--area",
        "5000",
        "--lonlat",
        "125.30,43.60",
        "--data",
        str(valid_path),
    ]
    assert runner.invoke(main, args).exit_code == 1
    assert runner.invoke(main, [*args, "--allow-outside"]).exit_code == 0


# ------------------------------------------------------------------ import, update, remove


def test_import_a_drawn_gcj02_outline(runner, valid_path, tmp_path):
    # What the page's draw tool exports after sketching on the Amap basemap.
    gcj_ring = [list(coords.wgs84_to_gcj02(x, y)) for x, y in SQUARE]
    export = tmp_path / "new_park.geojson"
    export.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"datum": "gcj02"}, "geometry": {"type": "Polygon", "coordinates": [gcj_ring]}}
    ]}), encoding="utf-8")  # fmt: skip
    result = runner.invoke(main, ["import", str(export), "--name", "草图园", "--area", "6400", "--no-input",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    park = next(f for f in load_collection(valid_path)["features"] if f["properties"]["name"] == "草图园")
    ring = park["geometry"]["coordinates"][0]
    assert [c for p in ring for c in str(p)] == pytest.approx([c for p in SQUARE for c in str(p)], abs=1e-7)
    assert park["properties"]["datum_in"] == "gcj02"


def test_import_maps_properties_and_reports_missing(runner, valid_path, tmp_path):
    path = tmp_path / "parks.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"名称": "甲园", "面积": 5000, "class": "游园", "color": "red"},
         "geometry": {"type": "Point", "coordinates": [125.334, 43.841]}},
        {"type": "Feature", "properties": {"name": "乙园"}, "geometry": {"type": "Point", "coordinates": [125.336, 43.843]}},
    ]}), encoding="utf-8")  # fmt: skip
    result = runner.invoke(main, ["import", str(path), "--no-input", "--data", str(valid_path)])
    assert result.exit_code == 0, result.output
    assert "ignored properties color" in result.output
    assert "乙园): stated_area_m2 is missing" in result.output
    by_name = {f["properties"]["name"]: f["properties"] for f in load_collection(valid_path)["features"]}
    assert by_name["甲园"]["stated_area_m2"] == 5000 and by_name["甲园"]["park_class"] == "游园"
    assert by_name["乙园"]["stated_area_m2"] is None


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{broken", "is not valid JSON"),
        (
            '{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[500000, 4850000], [500100, 4850000], [500100, 4850100], [500000, 4850000]]]}}',
            "look projected",
        ),
        (
            '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32651"}}, "features": []}',
            "crs must be WGS-84",
        ),
        ('{"type": "FeatureCollection", "features": []}', "no features to import"),
        ('{"type": "Topology"}', "expected a Feature"),
        (
            '{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [125.334, 43.841]}}',
            "name is missing",
        ),
    ],
    ids=["json", "projected", "crs", "empty", "topology", "no-name"],
)
def test_import_refuses_bad_files_and_leaves_data_unchanged(runner, valid_path, tmp_path, content, fragment):
    digest = _digest(valid_path)
    path = tmp_path / "in.geojson"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["import", str(path), "--no-input", "--area", "5000", "--data", str(valid_path)]
                           if "name is missing" not in fragment else ["import", str(path), "--no-input", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 1 and fragment in result.output, result.output
    assert _digest(valid_path) == digest


def test_import_unreadable_file(runner, valid_path, tmp_path):
    result = runner.invoke(main, ["import", str(tmp_path / "missing.geojson"), "--no-input", "--data", str(valid_path)])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_update_and_remove_undo_mistakes(runner, valid_path):
    result = runner.invoke(main, ["update", "test-square-park", "--status", "planned", "--stated_area_m2", "9,800",
                                  "--area-source", "测试", "--status-source", "测试", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    props = next(
        f["properties"] for f in load_collection(valid_path)["features"] if f["properties"]["id"] == "test-square-park"
    )
    assert props["status"] == "planned" and props["stated_area_m2"] == 9800
    digest = _digest(valid_path)
    for args, fragment in (
        (["update", "test-square-park", "--status", "gone"], "status must be one of"),
        (["update", "test-square-park", "--colour", "red"], "--colour: cannot be updated"),
        (["update", "nope", "--status", "open", "--status-source", "测试"], "no place has id 'nope'"),
        (["update", "test-square-park", "--status", "open"], "--status-source: say where the status comes from"),
        (["update", "test-square-park", "--stated_area_m2", "-3"], "must be > 0"),
        (["remove", "nope"], "no place has id 'nope'"),
    ):
        result = runner.invoke(main, [*args, "--data", str(valid_path)])
        assert result.exit_code == 1 and fragment in result.output, (args, result.output)
        assert _digest(valid_path) == digest
    assert runner.invoke(main, ["remove", "test-square-park", "--data", str(valid_path)]).exit_code == 0
    assert "test-square-park" not in valid_path.read_text(encoding="utf-8")


def test_update_shares_add_parks_options_and_old_spellings_still_work(runner, valid_path):
    result = runner.invoke(main, ["update", "test-square-park", "--class", "游园", "--area", "7,373",
                                  "--area-source", "测试", "--name-en", "Square Park", "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "deprecated" not in result.output and "geo build" in result.output
    props = next(
        f["properties"] for f in load_collection(valid_path)["features"] if f["properties"]["id"] == "test-square-park"
    )
    assert (props["park_class"], props["stated_area_m2"], props["name_en"]) == ("游园", 7373, "Square Park")
    result = runner.invoke(main, ["update", "test-square-park", "--park_class", "社区公园", "--data", str(valid_path)])
    assert result.exit_code == 0 and "--park_class is deprecated; use --class" in result.output, result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--area", "1,5"], "expected square metres as a number, got '1,5'"),
        (["--uncertainty", "-5"], "must be a finite number >= 0"),
        (["--uncertainty", "nan"], "must be a finite number >= 0"),
    ],
    ids=["decimal-comma", "negative-uncertainty", "nan-uncertainty"],
)
def test_update_refuses_numbers_that_are_not(runner, valid_path, args, fragment):
    digest = _digest(valid_path)
    result = runner.invoke(main, ["update", "test-square-park", *args, "--data", str(valid_path)])
    assert result.exit_code == 1 and fragment in result.output, result.output
    assert _digest(valid_path) == digest


def test_names_are_compared_as_people_read_them(runner, valid_path):
    name = load_collection(valid_path)["features"][0]["properties"]["name"]
    digest = _digest(valid_path)
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", name + "\u3000", "--area", "5000", "--lonlat", "125.36,43.80",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 1 and "is taken by" in result.output, result.output  # an ideographic space
    for hidden in ("\u200b", "\u202e", "\x07"):  # zero-width space, right-to-left override, a control
        result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", name + hidden, "--area", "5000", "--lonlat", "125.36,43.80",
                                      "--data", str(valid_path)])  # fmt: skip
        assert result.exit_code == 1 and f"U+{ord(hidden):04X}" in result.output, result.output
    other = load_collection(valid_path)["features"][1]["properties"]["id"]
    result = runner.invoke(main, ["update", other, "--name", " " + name, "--data", str(valid_path)])
    assert result.exit_code == 1 and "is taken by" in result.output, result.output
    assert _digest(valid_path) == digest


# ------------------------------------------------------------------ property-based

names = st.text(min_size=0, max_size=12)
areas = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10**10), st.text(max_size=8))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, area=areas, lon=st.floats(-200, 200), lat=st.floats(-100, 100))
def test_make_park_accepts_only_what_the_model_accepts(name, area, lon, lat):
    try:
        feature, _ = places.make_park(name, area_m2=area, lonlat=(lon, lat), source="测试来源 test source")
    except ValidationError as err:
        assert err.problems and all(isinstance(p, Problem) and "\n" not in str(p) for p in err.problems)
        return
    props = feature["properties"]
    assert props["name"].strip() == props["name"] and props["name"]
    assert math.isfinite(props["stated_area_m2"]) and 0 < props["stated_area_m2"] <= 6e8
    x, y = feature["geometry"]["coordinates"]
    assert 125.2436 <= x <= 125.5713 and 43.5113 <= y <= 43.9142


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(alphabet="园公林绿湖春南关ab1 ", min_size=1, max_size=6), area=st.integers(1, 10**6))
def test_add_then_remove_restores_the_file(valid_path, name, area):
    digest = _digest(valid_path)
    try:
        feature, _ = places.make_park(
            name, area_m2=area, lonlat=(125.3345, 43.8455), ident="hypothesis-park", source="测试来源 test source"
        )
        places.add_place(feature, valid_path)
    except ValidationError:
        assert _digest(valid_path) == digest
        return
    assert len(load_collection(valid_path)["features"]) == 6
    places.remove_place("hypothesis-park", valid_path)
    assert _digest(valid_path) == digest


# ------------------------------------------------------------------ concurrency and crashes


def test_concurrent_add_park_processes_all_land(valid_path):
    procs = []
    for i in range(4):
        lon = 125.330 + 0.002 * i
        cmd = [sys.executable, "-m", "geo", "add-park", "--source", "测试来源 test source", f"并发园{i}", "--area", "5000", "--lonlat", f"{lon},43.845",
               "--id", f"concurrent-{i}", "--data", str(valid_path)]  # fmt: skip
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    ids = {f["properties"]["id"] for f in load_collection(valid_path)["features"]}
    assert {f"concurrent-{i}" for i in range(4)} <= ids
    assert len(ids) == 9


WRITER = """
import json, sys
from geo.store import save_collection
fc = json.load(open(sys.argv[2], encoding="utf-8"))
print("ready", flush=True)
while True:
    save_collection(fc, sys.argv[1], overwrite=True)
"""


def test_killed_writer_leaves_old_or_new_file(tmp_path, valid_path):
    # A big collection so a write takes long enough to be interrupted.
    fc = load_collection(valid_path)
    template = fc["features"][0]
    big = dict(fc, features=[json.loads(json.dumps(template)) for _ in range(6000)])
    for i, f in enumerate(big["features"]):
        f["properties"]["id"] = f"p-{i}"
        f["properties"]["notes"] = "长" * 200
    new_path = tmp_path / "new.json"
    new_path.write_text(json.dumps(big, ensure_ascii=False), encoding="utf-8")
    old_text = valid_path.read_bytes()
    new_text = dumps_collection(big).encode("utf-8")
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(valid_path), str(new_path)], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        assert valid_path.read_bytes() in (old_text, new_text)
    leftovers = [p.name for p in valid_path.parent.iterdir() if p.name.endswith(".tmp")]
    # A killed writer may leave its temporary file behind, never a broken data file.
    assert all(name.startswith(".places.geojson.") for name in leftovers)


def test_end_to_end_add_build_summary(runner, bundled_path, tmp_path):
    import re

    args = ["add-park", "--source", "测试来源 test source", "新绿园", "--area", "6200", "--lonlat", "125.3341,43.8412", "--datum", "gcj02", "--class", "游园",
            "--name-en", "Xinlv Pocket Park", "--data", str(bundled_path)]  # fmt: skip
    assert runner.invoke(main, args).exit_code == 0
    site = tmp_path / "site"
    assert runner.invoke(main, ["build", "--data", str(bundled_path), "--out", str(site)]).exit_code == 0
    html = (site / "index.html").read_text(encoding="utf-8")
    payload = render.unpack_payload(
        json.loads(re.search(r'<script[^>]* id="atlas-data-[^"]+"[^>]*>(.*?)</script>', html, re.S).group(1))
    )
    i = [payload["strings"][k] for k in payload["columns"]["name"]].index("新绿园")
    assert payload["categories"][payload["category"][i]] == "park" and payload["kind"][i] == 1
    result = runner.invoke(main, ["summary", "--data", str(bundled_path), "--format", "json"])
    parks = json.loads(result.output)["parks"]
    pocket = next(r for r in parks["by_class"] if r["class"] == "游园")
    assert pocket["count"] == 3 and pocket["located"] == 1 and pocket["stated_area_m2"] == 7373 + 7804 + 6200


def _point_outside_by(lo, hi):
    """A WGS-84 point between lo and hi metres outside the district polygon."""
    from geo.district import boundary_geojson, distance_outside_m
    from geo.model import DISTRICT_BBOX

    w, s, e, n = DISTRICT_BBOX
    ring = boundary_geojson()["coordinates"][0][0]
    for lon, lat in ring[::50]:
        for bearing in range(0, 360, 45):
            for dist in range(10, 400, 10):
                x, y = coords.offset_point(lon, lat, bearing, dist)
                inside_extent = w + 0.001 < x < e - 0.001 and s + 0.001 < y < n - 0.001
                if inside_extent and lo < distance_outside_m({"type": "Point", "coordinates": [x, y]}) < hi:
                    return x, y
    raise AssertionError("no such point")


def test_geocoder_and_add_park_share_one_district_rule(runner, valid_path):
    from geopy.location import Location

    from geo.errors import OutsideDistrictError
    from geo.geocode import check_in_district

    near = _point_outside_by(20, 80)
    far = _point_outside_by(130, 250)
    assert check_in_district(Location("near", (near[1], near[0]), {})) > 0
    with pytest.raises(OutsideDistrictError):
        check_in_district(Location("far", (far[1], far[0]), {}))
    ok = runner.invoke(
        main,
        [
            "add-park",
            "--source",
            "测试来源 test source",
            "边园",
            "--area",
            "5000",
            "--lonlat",
            f"{near[0]},{near[1]}",
            "--data",
            str(valid_path),
        ],
    )
    assert ok.exit_code == 0, ok.output
    digest = _digest(valid_path)
    refused = runner.invoke(
        main,
        [
            "add-park",
            "--source",
            "测试来源 test source",
            "界园",
            "--area",
            "5000",
            "--lonlat",
            f"{far[0]},{far[1]}",
            "--data",
            str(valid_path),
        ],
    )
    assert refused.exit_code == 1 and "outside 南关区" in refused.output
    assert _digest(valid_path) == digest


def test_import_refuses_duplicates_within_the_file_and_dry_run_agrees(runner, valid_path, tmp_path):
    path = tmp_path / "twice.geojson"
    point = {"type": "Point", "coordinates": [125.334, 43.841]}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "甲园", "area": 5000}, "geometry": point},
        {"type": "Feature", "properties": {"name": "乙园", "area": 5000}, "geometry": point},
    ]}, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    digest = _digest(valid_path)
    for extra in ([], ["--dry-run"], ["--update"]):
        result = runner.invoke(main, ["import", str(path), "--no-input", "--data", str(valid_path), *extra])
        assert result.exit_code == 1 and "duplicate of another new place" in result.output, (extra, result.output)
        assert _digest(valid_path) == digest
    taken = tmp_path / "taken.geojson"
    taken.write_text(json.dumps({"type": "Feature", "properties": {"name": "测试商场", "area": 100}, "geometry": point},
                                ensure_ascii=False), encoding="utf-8")  # fmt: skip
    dry = runner.invoke(main, ["import", str(taken), "--no-input", "--dry-run", "--data", str(valid_path)])
    assert dry.exit_code == 1 and "name '测试商场' is taken" in dry.output


# ================================================================== contracts, pinned from both sides
# Every refusal is a geo.errors.Problem whose text, field and kind are checked (the editor places
# problems by field); every optional argument is shown to matter.

MALL = [125.3195, 43.8767]  # test-mall, inside the district
OUTSIDE = [125.25, 43.52]  # inside the district's extent, about 4 km outside its boundary


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

GOOD = {"area_m2": 500, "lonlat": "125.3195,43.8767", "source": "测试来源 test source"}
_CLASSES = ", ".join(PARK_CLASSES)
BAD_OPTIONS = {
    "blank name": ({"name": "  "}, ("name: must be non-empty text, got '  '", "name", "invalid")),
    "no area": ({"area_m2": None}, ("stated_area_m2: the park's stated area in m² is required", "stated_area_m2", "missing")),
    "unknown class": ({"park_class": "zoo"}, (f"park_class: must be one of {_CLASSES}, got 'zoo'", "park_class", "invalid")),
    "unknown status": ({"status": "gone"}, ("status: must be one of open, under_construction, planned, unknown, got 'gone'", "status", "invalid")),
    "unknown datum": ({"datum": "wgs72"}, ("datum: must be one of wgs84, gcj02, bd09, got 'wgs72'", "datum", "invalid")),
    "unknown outline": ({"outline": "guessed"}, ("outline: must be one of surveyed, drawn, schematic, got 'guessed'", "outline", "invalid")),
    "no location": (
        {"lonlat": None},
        ("geometry: give exactly one location: a position, an address or an outline", "geometry", "missing"),
    ),
    "three numbers": ({"lonlat": [125.3, 43.8, 1.0]}, ("lonlat: expected LON,LAT, got [125.3, 43.8, 1.0]", "lonlat", "invalid")),
    "a number": ({"lonlat": 125}, ("lonlat: expected LON,LAT, got 125", "lonlat", "invalid")),
    "longitude out of range": ({"lonlat": [200.0, 43.8]}, ("lonlat", "lonlat", "invalid")),
    "blank address": ({"lonlat": None, "address": " "}, ("address: must be non-empty text, got ' '", "address", "invalid")),
    "no source": ({"source": None}, ("location_source: say how you know where it is", "location_source", "missing")),
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
    nobody = _refusal(places.make_park, "测试园", area_m2=500, address="某路", geocoder=_Answer(), source="测试")
    assert nobody == [("address: no geocoder answer for '某路'", "address", "invalid")]
    failing = _refusal(
        places.make_park,
        "测试园",
        area_m2=500,
        address="某路",
        geocoder=_Answer(error=GeocodeError("down")),
        source="测试",
    )
    assert failing == [("address: down", "address", "invalid")]


def test_given_uncertainties_are_kept_and_defaults_differ_by_how_the_place_was_given():
    outline = {"type": "Polygon", "coordinates": [SQUARE]}
    drawn, _ = places.make_park("测试园", area_m2=6400, geometry=outline, source="测试来源 test source")
    drawn_sure, _ = places.make_park(
        "测试园", area_m2=6400, geometry=outline, uncertainty_m=3, source="测试来源 test source"
    )
    point, _ = places.make_park("测试园", area_m2=500, lonlat=MALL, source="测试来源 test source")
    point_sure, _ = places.make_park("测试园", area_m2=500, lonlat=MALL, uncertainty_m=4, source="测试来源 test source")
    got = [f["properties"]["uncertainty_m"] for f in (drawn, drawn_sure, point, point_sure)]
    assert got == [10.0, 3, 30.0, 4]


def test_a_point_in_gcj02_keeps_its_original_and_is_converted():
    feature, _ = places.make_park(
        "测试园", area_m2=500, lonlat="125.335,43.842", datum="gcj02", source="测试来源 test source"
    )
    props = feature["properties"]
    assert props["coord_original"] == [125.335, 43.842] and props["datum_in"] == "gcj02"
    lon, lat = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "Point" and abs(lon - 125.335) > 1e-3 and abs(lat - 43.842) > 1e-4


# ---- adding: the district, repeated ids and duplicates


def _park(name, lonlat=MALL, **kwargs):
    feature, _ = places.make_park(name, area_m2=500, lonlat=lonlat, **{"source": "测试来源 test source", **kwargs})
    return feature


def test_outside_the_district_is_refused_on_the_geometry_unless_allowed(valid_path):
    before = valid_path.read_bytes()
    feature = _park("城外园", OUTSIDE)
    (problem,) = _refusal(places.add_place, feature, valid_path)
    ident = feature["properties"]["id"]
    assert problem[0].startswith(f"{ident}: geometry: lies ") and problem[0].endswith("m outside 南关区")
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
    assert existing[0][0].startswith("测试园") or "duplicate: " in existing[0][0]


# ---- editing: fields, versions, positions, kept snapshots


def test_parse_changes_reads_null_clears_and_keeps_every_problem():
    fields, problems, _ = places.parse_changes({"uncertainty": "null", "name-en": None, "notes": "备注"})
    assert fields == {"uncertainty_m": None, "name_en": None, "notes": "备注"} and problems == []
    _, problems, _ = places.parse_changes({"colour": "red", "uncertainty": "far", "name-en": 5})
    assert [(str(p), p.field, p.kind) for p in problems][1:] == [
        ("uncertainty_m: expected a number, got 'far'", "uncertainty_m", "invalid"),
        ("name_en: expected text, got 5", "name_en", "invalid"),
    ]
    assert str(problems[0]).startswith("colour: cannot be updated (it may be one of ") and problems[0].field == "colour"
    assert problems[0].code == "cannot_update"


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
    assert [(str(p), p.field) for p in problems] == [
        ("geometry: must be a Polygon or MultiPolygon, got 'Point'", "geometry")
    ]
    got = convert_geometry({"type": "Point", "coordinates": [125.335, 43.842]}, "gcj02")
    assert got == {"type": "Point", "coordinates": list(map(float, coords.to_wgs84(125.335, 43.842, "gcj02")))}


def _source(tmp_path, properties, geometry=None):
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


def test_import_problems_stay_on_one_line_whatever_the_name_holds(tmp_path, valid_path):
    """A name with a line break or a tab is quoted where the problem names the feature (found by Hypothesis)."""
    before = valid_path.read_bytes()
    for name, shown in (("\n", "'\\n'"), ("甲\n园", "'甲\\n园'"), ("甲\t园", "'甲\\t园'")):
        for geometry in ({"type": "Point", "coordinates": [125.3, 200.0]}, 120.0):
            path = tmp_path / "in.geojson"
            feature = {"type": "Feature", "geometry": geometry, "properties": {"name": name}}
            path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
            problems = _refusal(places.import_features, path, valid_path)
            assert problems and all("\n" not in text and "\t" not in text for text, _, _ in problems)
            assert any(text.startswith(f"feature[0] ({shown})") for text, _, _ in problems), problems
    assert valid_path.read_bytes() == before


def test_import_passes_allow_outside_and_dry_run_on(tmp_path, valid_path):
    src = _source(tmp_path, {"name": "城外园", "stated_area_m2": 500}, {"type": "Point", "coordinates": OUTSIDE})
    before = valid_path.read_bytes()
    assert places.import_features(src, valid_path, allow_outside=True, dry_run=True).written is False
    assert valid_path.read_bytes() == before
    assert places.import_features(src, valid_path, allow_outside=True).written
    assert _imported(valid_path)["name"] == "城外园"


def test_an_unknown_status_has_no_status_source_and_model_problems_keep_their_field_without_the_id():
    feature, _ = places.make_park("测试园", status="unknown", **GOOD)
    assert feature["properties"]["status_source"] is None
    problems = _refusal(places.make_park, "测试\x07园", **GOOD)
    assert problems == [
        ("name must not contain invisible or control characters (U+0007), got '测试\\x07园'", "name", "invalid")
    ]


def test_names_that_are_not_text_or_hold_a_lone_surrogate_are_refused_not_crashed():
    assert _refusal(places.make_park, None, **GOOD)[0][:2] == ("name: must be non-empty text, got None", "name")
    problems = _refusal(places.make_park, "公园\ud800", **GOOD)
    assert [p[1] for p in problems] == ["name"] and "not UTF-8" in problems[0][0]


def test_a_new_place_without_an_id_is_named_by_its_name_in_problems(valid_path):
    feature = _park("城外园", OUTSIDE)
    feature["properties"]["id"] = None
    problems = _refusal(places.add_place, feature, valid_path)
    assert any(p[0].startswith("城外园: geometry: lies ") and p[2] == "outside" for p in problems), problems


def test_edit_results_carry_the_place_before_and_after(valid_path):
    before = store.load_collection(valid_path)["features"][0]
    result = places.update_place("test-mall", {"name": "测试商场"}, valid_path)  # its own name is not "taken"
    assert result.previous == [before] and result.features == [before] and result.action == "update"
    result = places.update_place("test-mall", {"notes": "改"}, valid_path)
    assert result.features[0]["properties"]["notes"] == "改"
    gone = places.remove_place("test-home", valid_path)
    assert gone.features == gone.previous and gone.previous[0]["properties"]["id"] == "test-home"  # reports what went
    back = places.restore_place("test-home", gone.previous[0], valid_path, expect_version=None)
    assert back.action == "undo" and back.features == gone.previous


def test_imports_keep_quotes_ask_for_names_and_name_bad_addresses(tmp_path, valid_path):
    src = _source(tmp_path, {"name": "甲园", "quote": "甲园开园。", "quote_source": "报道"})
    places.import_features(src, valid_path)
    assert (_imported(valid_path)["quote"], _imported(valid_path)["quote_source"]) == ("甲园开园。", "报道")
    asked = []

    def ask(field, index):
        asked.append((field, index))
        return {"name": "乙园", "area": 300}[field]

    places.import_features(
        _source(tmp_path, {}, {"type": "Point", "coordinates": [125.33, 43.85]}), valid_path, ask=ask
    )
    assert asked == [("name", 0), ("area", 0)] and _imported(valid_path)["name"] == "乙园"
    unnamed = _refusal(places.import_features, _source(tmp_path, {"stated_area_m2": 100}), valid_path)
    assert unnamed == [("feature[0]: name is missing (give the feature a 'name' property)", "name", "missing")]
    bad_address = _refusal(places.import_features, _source(tmp_path, {"name": "丙园", "address": 5}), valid_path)
    assert bad_address[0][0].startswith("feature[0]: address") and bad_address[0][1] == "address"


def test_an_outline_in_wgs84_is_not_said_to_be_converted():
    from geo.places.outline import read_outline

    geom, notes, problems = read_outline({"type": "Polygon", "coordinates": [SQUARE]}, "wgs84")
    assert problems == [] and not any("converted" in n for n in notes)
    assert geom["coordinates"][0][0] == SQUARE[0]
    _, notes, _ = read_outline({"type": "Polygon", "coordinates": [SQUARE]}, "gcj02")
    assert "converted the outline from gcj02 to WGS-84" in notes


# ---- placing by hand, outlines, undo and locating: the editor's operations as a library


def test_set_location_places_an_unlocated_park_by_position_with_its_source(valid_path):
    result = places.set_location("test-unlocated-park", valid_path, source="site visit 2026-11-20",
                                 lonlat="125.33,43.85", uncertainty_m="80")  # fmt: skip
    assert result.action == "place"
    placed = next(
        f for f in store.load_collection(valid_path)["features"] if f["properties"]["id"] == "test-unlocated-park"
    )
    assert placed["geometry"] == {"type": "Point", "coordinates": [125.33, 43.85]}
    props = placed["properties"]
    assert (props["location_source"], props["uncertainty_m"], props["precision"], props["location_method"]) == (
        "site visit 2026-11-20", 80.0, "approximate", "manual")  # fmt: skip
    places.set_location("test-unlocated-park", valid_path, source="site plan", lonlat=[125.331, 43.851])
    moved = next(
        f for f in store.load_collection(valid_path)["features"] if f["properties"]["id"] == "test-unlocated-park"
    )
    assert moved["properties"]["precision"] == "exact" and moved["properties"]["uncertainty_m"] == 30.0


def test_set_location_by_address_names_both_sources(valid_path):
    places.set_location("test-home", valid_path, source="resident's note", address="长春动植物公园")
    props = next(f for f in store.load_collection(valid_path)["features"] if f["properties"]["id"] == "test-home")[
        "properties"
    ]
    assert props["location_source"].startswith("resident's note; ") and props["location_method"] != "none"


SET_LOCATION_PROBLEMS = {
    "no source": ({"source": " ", "lonlat": "125.33,43.85"}, ("location_source", "missing")),
    "no position": ({"source": "x"}, ("geometry", "missing")),
    "both": ({"source": "x", "lonlat": "125.33,43.85", "address": "长春动植物公园"}, ("geometry", "missing")),
    "a bad uncertainty": ({"source": "x", "lonlat": "125.33,43.85", "uncertainty_m": "far"}, ("uncertainty_m", "invalid")),
    "outside the district": ({"source": "x", "lonlat": OUTSIDE}, ("geometry", "outside")),
}  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "want"), SET_LOCATION_PROBLEMS.values(), ids=[_slug(k) for k in SET_LOCATION_PROBLEMS]
)
def test_set_location_refuses_on_the_right_field_and_writes_nothing(valid_path, kwargs, want):
    before = valid_path.read_bytes()
    problems = _refusal(places.set_location, "test-unlocated-park", valid_path, **kwargs)
    assert [(p[1], p[2]) for p in problems] == [want]
    assert valid_path.read_bytes() == before


def test_an_outlined_park_is_not_moved_as_a_point(valid_path):
    problems = _refusal(places.set_location, "test-square-park", valid_path, source="x", lonlat="125.33,43.85")
    assert problems[0][0] == "geometry: test-square-park has an outline; edit its vertices instead of moving it"


def test_set_outline_redraws_keeps_the_source_and_checks_the_area(valid_path):
    square = {"type": "Polygon", "coordinates": [list(reversed(SQUARE))]}  # clockwise: rewound
    result = places.set_outline(
        "test-square-park",
        square,
        valid_path,
        confirm_area=True,
        reason="测试理由 test reason",
        source="测试来源 test source",
    )
    assert result.action == "outline" and "stated_area_m2: the outline measures 6,255 m²" in " ".join(result.warnings)
    park = next(f for f in store.load_collection(valid_path)["features"] if f["properties"]["id"] == "test-square-park")
    assert park["geometry"]["coordinates"][0] == SQUARE
    assert park["properties"]["location_source"] == "测试来源 test source"  # a new outline names its source
    assert park["properties"]["outline"] == "drawn" and park["properties"]["uncertainty_m"] == 10.0
    before = valid_path.read_bytes()
    problems = _refusal(
        places.set_outline, "test-square-park", square, valid_path, source="测试"
    )  # 6,400 m² drawn, 10,000 stated
    assert problems == [
        (
            (
                "stated_area_m2: the outline measures 6,255 m² but the stated area is 10,000 m² (37% apart, "
                "more than 10%)"
            ),
            "stated_area_m2",
            "conflict",
        )
    ]
    assert valid_path.read_bytes() == before
    assert (
        _refusal(places.set_outline, "test-square-park", {"type": "Point", "coordinates": MALL}, valid_path)[0][1]
        == "geometry"
    )


def test_undo_puts_back_what_a_recorded_change_replaced(valid_path):
    from geo.history import record_change

    before = store.load_collection(valid_path)["features"][0]
    result = places.update_place("test-mall", {"notes": "改"}, valid_path)
    after = result.features[0]
    record = record_change(valid_path, editor="甲", action="update", place="test-mall", before=before, after=after,
                           versions=(store.version_of(before), store.version_of(after)))  # fmt: skip
    undone, undo = places.undo_change(record["change"], valid_path, editor="乙")
    assert undone.features == [before] and store.load_collection(valid_path)["features"][0] == before
    assert (undo["action"], undo["undoes"], undo["editor"]) == ("undo", record["change"], "乙")
    with pytest.raises(ConflictError):  # the place is no longer as that change left it
        places.undo_change(record["change"], valid_path, editor="乙")


def test_locate_missing_places_what_the_gazetteer_knows_and_says_why_not_the_rest(valid_path):
    store.patch(valid_path, lambda fs: store.Changes(replace={"test-home": {**fs[4], "properties": {
        **fs[4]["properties"], "address": "长春动植物公园"}}}))  # fmt: skip
    seen = []
    report = places.locate_missing(valid_path, progress=seen.append)
    assert list(report.located) == ["test-home"] and seen == ["test-unlocated-park", "test-home"]
    assert report.failed["test-unlocated-park"].startswith("no answer for ")
    home = next(f for f in store.load_collection(valid_path)["features"] if f["properties"]["id"] == "test-home")
    assert home["geometry"]["type"] == "Point" and home["properties"]["location_source"] == report.located["test-home"]
    again = places.locate_missing(valid_path, limit=0)
    assert (again.located, again.failed, again.skipped) == ({}, {}, 1)
    only = places.locate_missing(valid_path, ids=["nobody"])
    assert (only.located, only.failed) == ({}, {})


def test_conflicts_name_the_place_whether_it_was_removed_or_is_back(valid_path):
    with pytest.raises(ConflictError) as info:
        places.update_place("no-such", {"notes": "x"}, valid_path, expect_version="0" * 16)
    assert (info.value.ident, info.value.current, info.value.version) == ("no-such", None, None)
    mall = store.load_collection(valid_path)["features"][0]
    with pytest.raises(ConflictError) as info:  # "restore as absent-then-added" but it is there
        places.restore_place("test-mall", mall, valid_path, expect_version=None)
    assert (info.value.ident, info.value.version) == ("test-mall", store.version_of(mall))


def test_set_location_messages_and_address_sources_whole(valid_path):
    problems = _refusal(places.set_location, "test-home", valid_path, source="x")
    assert problems == [("geometry: give exactly one of a position (lon, lat) or an address", "geometry", "missing")]
    problems = _refusal(
        places.set_location, "test-home", valid_path, source="x", lonlat="125.33,43.85", uncertainty_m=-5
    )
    assert problems == [("uncertainty_m: must be a finite number >= 0, got -5", "uncertainty_m", "invalid")]
    places.set_location("test-home", valid_path, source="resident's note", address="长春动植物公园")
    props = next(f for f in store.load_collection(valid_path)["features"] if f["properties"]["id"] == "test-home")[
        "properties"
    ]
    assert "None" not in props["location_source"] and len(props["location_source"]) > len("resident's note; ") + 3


def test_set_outline_repairs_when_asked_and_records_how_it_was_drawn(valid_path):
    open_ring = {"type": "Polygon", "coordinates": [SQUARE[:-1]]}  # not closed
    assert _refusal(places.set_outline, "test-unlocated-park", open_ring, valid_path)[0][1] == "geometry"
    result = places.set_outline(
        "test-unlocated-park",
        open_ring,
        valid_path,
        repair=True,
        confirm_area=True,
        reason="测试理由 test reason",
        source="测试来源 test source",
    )
    props = result.features[0]["properties"]
    assert (props["location_method"], props["precision"], props["datum_in"], props["location_source"]) == (
        "manual", "exact", "wgs84", "测试来源 test source")  # fmt: skip
    places.set_outline("test-unlocated-park", {"type": "Polygon", "coordinates": [SQUARE]}, valid_path,
                       datum="gcj02", source="site plan", confirm_area=True, reason="测试理由 test reason")  # fmt: skip
    props = store.load_collection(valid_path)["features"][3]["properties"]
    assert (props["datum_in"], props["location_source"]) == ("gcj02", "site plan")


def test_an_undo_is_recorded_with_the_versions_it_moved_between(valid_path):
    from geo.history import record_change

    before = store.load_collection(valid_path)["features"][0]
    after = places.update_place("test-mall", {"notes": "改"}, valid_path).features[0]
    record = record_change(valid_path, editor="甲", action="update", place="test-mall", before=before, after=after,
                           versions=(store.version_of(before), store.version_of(after)))  # fmt: skip
    _, undo = places.undo_change(record["change"], valid_path, editor="乙")
    assert (undo["version_before"], undo["version_after"]) == (store.version_of(after), store.version_of(before))


def test_imports_keep_addresses_and_notes_and_name_every_feature(tmp_path, valid_path):
    places.import_features(_source(tmp_path, {"name": "甲园", "address": "某路", "notes": "新建"}), valid_path)
    assert (_imported(valid_path)["address"], _imported(valid_path)["notes"]) == ("某路", "新建")
    point = {"type": "Point", "coordinates": [125.33, 43.85]}
    problems = _refusal(places.import_features, _source(tmp_path, {"name": 5, "status": 7}, point), valid_path)
    assert [p[0].split(":")[0] for p in problems] == ["feature[0]", "feature[0]"]
    assert [p[1] for p in problems] == ["name", "status"]
    problems = _refusal(places.import_features, _source(tmp_path, {"park_class": "zoo"}, point), valid_path)
    assert any(p[0].startswith("feature[0] (unnamed): park_class: ") for p in problems), problems


def test_a_file_level_datum_converts_every_feature(tmp_path, valid_path):
    path = tmp_path / "amap.geojson"
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [125.345, 43.852]},
               "properties": {"name": "火星园", "stated_area_m2": 300}}  # fmt: skip
    path.write_text(
        json.dumps({"type": "FeatureCollection", "datum": "gcj02", "features": [feature]}), encoding="utf-8"
    )
    places.import_features(path, valid_path)
    assert _imported(valid_path)["datum_in"] == "gcj02" and _imported(valid_path)["coord_original"] == [125.345, 43.852]


def test_a_geopackage_in_utm_is_imported_in_wgs84(tmp_path, valid_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "parks.gpkg"
    utm = gpd.GeoSeries([Point(125.33, 43.85)], crs=4326).to_crs(32651)
    gpd.GeoDataFrame({"name": ["包园"], "stated_area_m2": [400]}, geometry=utm, crs=32651).to_file(path)
    places.import_features(path, valid_path)
    lon, lat = store.load_collection(valid_path)["features"][-1]["geometry"]["coordinates"]
    assert abs(lon - 125.33) < 1e-6 and abs(lat - 43.85) < 1e-6


class _Located:
    def __init__(self, **raw):
        from geopy.location import Location

        self.location = Location("某处", (43.85, 125.33, 0.0), {"provider": "fake", **raw})

    def geocode(self, query):
        return self.location


class _Failing:
    def geocode(self, query):
        from geo.errors import GeocodeServiceError

        raise GeocodeServiceError("fake: HTTP 503")


@pytest.mark.parametrize(
    ("coder", "reason"),
    [
        (_Located(ambiguous=True, candidates=["甲", "乙"]), "is ambiguous: ['甲', '乙']"),
        (_Located(fallback=True), "only matched the district as a whole"),
        (_Failing(), "fake: HTTP 503"),
    ],
    ids=["ambiguous", "fallback", "service-down"],
)
def test_locate_missing_says_why_an_answer_was_not_used(valid_path, coder, reason):
    before = valid_path.read_bytes()
    report = places.locate_missing(valid_path, geocoder=coder, ids=["test-home"])
    assert report.located == {} and reason in report.failed["test-home"]
    assert valid_path.read_bytes() == before


# ------------------------------------------------------------------ one text rule (issue 25, item 6)

#: Invisible characters that once let 睦邻园 be added twice, and other texts a reader cannot see.
LOOKALIKE_TAILS = ["\ufe0f", "\ufe00", "\u034f", "\u3164", "\u115f", "\u2800", "\u2028", "\u200b", "\U000e0100"]


@pytest.mark.parametrize("tail", LOOKALIKE_TAILS, ids=[f"U+{ord(c):04X}" for c in LOOKALIKE_TAILS])
def test_a_name_with_an_invisible_tail_is_refused_and_the_file_is_unchanged(valid_path, tail):
    digest = _digest(valid_path)
    problems = _refusal(places.make_park, f"方形{tail}公园", **GOOD)  # inside: a tail of spaces is trimmed
    assert [(p[1], p[2]) for p in problems] == [("name", "invalid")], problems
    assert f"(U+{ord(tail):04X})" in problems[0][0] and "invisible" in problems[0][0]
    # The duplicate check compares names without them, whatever path the name takes.
    feature, _ = places.make_park("方形公园", **GOOD)
    feature["properties"]["name"] = f"方形公园{tail}"
    with pytest.raises(ValidationError):
        places.add_place(feature, valid_path)
    assert _digest(valid_path) == digest


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name_en": "Mulin\x00Park"}, "name_en"),
        ({"name_en": "Mulin\x1b[31mPark"}, "name_en"),
        ({"name_en": "Mulin\nPark"}, "name_en"),
        ({"name_en": "\u202ekraP niluM"}, "name_en"),
        ({"name_en": "Mulin\ue000Park"}, "name_en"),
        ({"notes": "note\u2029two"}, "notes"),
        ({"notes": "前进大街\u200d东侧"}, "notes"),
        ({"name_en": "\u0301\u0301"}, "name_en"),
    ],
    ids=["nul", "escape", "newline", "bidi", "private-use", "paragraph", "zwj", "marks-only"],
)
def test_english_names_and_free_text_obey_the_same_rule(kwargs, field):
    problems = _refusal(places.make_park, "测试园", **GOOD, **kwargs)
    assert [p[1] for p in problems] == [field], problems


def test_editor_names_obey_the_text_rule():
    from geo.history import check_editor

    assert check_editor(" 张三 ") == "张三"
    for bad in ("张\u202e三", "张\x00三", "张\n三", "张\u200b三", "\u3164", "张\ufe0f"):
        with pytest.raises(ValidationError, match="editor"):
            check_editor(bad)


# ------------------------------------------------------------------ what the command line used to do itself


def test_missing_places_is_what_locate_tries(valid_path):
    features = load_collection(valid_path)["features"]
    todo, left = places.missing_places(features)
    assert [f["properties"]["id"] for f in todo] == ["test-unlocated-park", "test-home"] and left == 0
    todo, left = places.missing_places(features, limit=1)
    assert [f["properties"]["id"] for f in todo] == ["test-unlocated-park"] and left == 1
    todo, left = places.missing_places(features, ids=["test-home", "test-mall"])  # a located place is not to do
    assert [f["properties"]["id"] for f in todo] == ["test-home"] and left == 0
    report = places.locate_missing(valid_path, ids=["test-home"], limit=1)  # the same choice: nothing else tried
    assert set(report.located) | set(report.failed) == {"test-home"} and report.skipped == 0


def test_read_park_outline_takes_the_files_datum_unless_one_is_given(tmp_path):
    square = {"type": "Polygon", "coordinates": [SQUARE]}
    drawn = _write_geojson(tmp_path / "drawn.geojson", square, {"datum": "gcj02"})
    assert places.read_park_outline(drawn) == (square, "gcj02", [])
    assert places.read_park_outline(drawn, datum="bd09")[1] == "bd09"  # the user's own datum wins
    plain = _write_geojson(tmp_path / "plain.geojson", square)
    assert places.read_park_outline(plain)[1] == "wgs84"
    member = tmp_path / "member.geojson"
    one = {"type": "Feature", "geometry": square, "properties": {}}
    member.write_text(json.dumps({"type": "FeatureCollection", "datum": "gcj02", "features": [one]}), encoding="utf-8")
    assert places.read_park_outline(member)[1] == "gcj02"
    two = tmp_path / "two.geojson"
    two.write_text(json.dumps({"type": "FeatureCollection", "features": [one, one]}), encoding="utf-8")
    geometry, datum, problems = places.read_park_outline(two)
    assert geometry is None and datum == "wgs84"
    assert [(p.field, p.text) for p in problems] == [("geometry_file", "expected one feature or geometry, got 2")]


def test_make_park_from_file_converts_the_outline_and_reports_every_problem_at_once(tmp_path):
    square = {"type": "Polygon", "coordinates": [SQUARE]}
    drawn = _write_geojson(tmp_path / "drawn.geojson", square, {"datum": "gcj02"})
    feature, notes = places.make_park_from_file(
        "方园", geometry_file=drawn, area_m2=6400, source="测试来源 test source"
    )
    assert "converted the outline from gcj02 to WGS-84" in notes
    assert feature["properties"]["datum_in"] == "gcj02"
    assert feature["geometry"]["coordinates"][0][0] != SQUARE[0]  # shifted from GCJ-02 to WGS-84
    two = tmp_path / "two.geojson"
    one = {"type": "Feature", "geometry": square, "properties": {}}
    two.write_text(json.dumps({"type": "FeatureCollection", "features": [one, one]}), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        places.make_park_from_file("方园", geometry_file=two, area_m2=-5, source="测试来源 test source")
    fields = [p.field for p in err.value.problems]
    assert fields[0] == "geometry_file" and "stated_area_m2" in fields  # the file's problem and the park's together
    point, _ = places.make_park_from_file("点园", area_m2=500, lonlat=MALL, source="测试来源 test source")
    assert point["geometry"] == {"type": "Point", "coordinates": MALL}  # without a file it is make_park


def test_every_change_waits_as_long_as_it_is_told(valid_path, monkeypatch):
    import threading

    monkeypatch.delenv("GEO_LOCK_TIMEOUT", raising=False)
    taken, release = threading.Event(), threading.Event()

    def hold():
        with store.lock(valid_path, timeout=5):
            taken.set()
            release.wait(60)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(30)
    digest = _digest(valid_path)
    try:
        park, _ = places.make_park("等园", area_m2=500, lonlat="125.36,43.80", source="测试来源 test source")
        changes = [
            lambda: places.update_place("test-mall", {"notes": "改"}, valid_path, wait=0.2),
            lambda: places.remove_place("test-mall", valid_path, wait=0.2),
            lambda: places.add_place(park, valid_path, wait=0.2),
            lambda: places.set_location(
                "test-unlocated-park", valid_path, source="实测 site visit", lonlat=MALL, wait=0.2
            ),
            lambda: places.set_outline(
                "test-unlocated-park",
                {"type": "Polygon", "coordinates": [SQUARE]},
                valid_path,
                source="测试来源 test source",
                confirm_area=True,
                reason="测试理由 test reason",
                wait=0.2,
            ),
        ]
        for change in changes:
            with pytest.raises(StoreError, match=r"locked by another process \(waited 0\.2 s\)"):
                change()
    finally:
        release.set()
        thread.join(30)
    assert _digest(valid_path) == digest
