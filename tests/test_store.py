import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import store
from geo.errors import StoreError, ValidationError


def test_round_trip_is_byte_identical(valid_path):
    before = valid_path.read_bytes()
    fc = store.load_collection(valid_path)
    store.save_collection(fc, valid_path, overwrite=True)
    assert valid_path.read_bytes() == before


def test_output_is_deterministic_utf8_and_rounded(tmp_path, valid_path):
    fc = store.load_collection(valid_path)
    fc["features"][0]["geometry"]["coordinates"] = [125.319512345678, 43.87671234567]
    fc["features"][0]["properties"] = dict(reversed(list(fc["features"][0]["properties"].items())))
    out = tmp_path / "out.geojson"
    store.save_collection(fc, out)
    text = out.read_text(encoding="utf-8")
    assert "\\u" not in text and "测试商场" in text
    assert "[125.3195123,43.8767123]" in text
    again = tmp_path / "again.geojson"
    store.save_collection(json.loads(text), again)
    assert again.read_text(encoding="utf-8") == text
    props = json.loads(text)["features"][0]["properties"]
    assert list(props)[:3] == ["id", "name", "name_en"]


def test_one_change_is_a_one_line_diff(tmp_path, valid_path):
    fc = store.load_collection(valid_path)
    fc["features"][1]["properties"]["status"] = "planned"
    out = tmp_path / "changed.geojson"
    store.save_collection(fc, out)
    old = valid_path.read_text(encoding="utf-8").splitlines()
    new = out.read_text(encoding="utf-8").splitlines()
    assert len(old) == len(new)
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1


def test_refuses_to_overwrite_without_flag(valid_path):
    fc = store.load_collection(valid_path)
    with pytest.raises(StoreError, match="exists"):
        store.save_collection(fc, valid_path)


def test_invalid_collection_is_not_written(valid_path):
    before = valid_path.read_bytes()
    fc = store.load_collection(valid_path)
    fc["features"][0]["properties"]["category"] = "zoo"
    with pytest.raises(ValidationError, match="category must be one of"):
        store.save_collection(fc, valid_path, overwrite=True)
    assert valid_path.read_bytes() == before


def test_failed_replace_leaves_old_file_and_no_temp(valid_path, monkeypatch):
    before = valid_path.read_bytes()
    fc = store.load_collection(valid_path)
    fc["features"][0]["properties"]["name"] = "改名"

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(StoreError, match="No space left"):
        store.save_collection(fc, valid_path, overwrite=True)
    assert valid_path.read_bytes() == before
    assert [p.name for p in valid_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_transaction_writes_only_on_success(valid_path):
    before = valid_path.read_bytes()
    with pytest.raises(RuntimeError), store.transaction(valid_path) as fc:
        fc["features"].pop()
        raise RuntimeError("abort")
    assert valid_path.read_bytes() == before
    with store.transaction(valid_path) as fc:
        fc["features"].pop()
    assert len(store.load_collection(valid_path)["features"]) == 4


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"{not json", "is not valid JSON"),
        (b'{"type": "FeatureCollection", "features": [], "x": NaN}', "NaN is not a JSON number"),
        (b"\xff\xfe\x00", "is not UTF-8"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', "properties must be an object"),
        (b"[1, 2]", "type must be 'FeatureCollection'"),
    ],
    ids=["json", "nan", "utf8", "model", "not-collection"],
)
def test_bad_files_raise_clear_errors(tmp_path, content, fragment):
    path = tmp_path / "bad.geojson"
    path.write_bytes(content)
    with pytest.raises((StoreError, ValidationError), match=fragment):
        store.load_collection(path)


def test_missing_file(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        store.load_collection(tmp_path / "nope.geojson")


def test_load_locations_frame(valid_path):
    gdf = store.load_locations(valid_path)
    assert len(gdf) == 5
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.isna().sum() == 2
    assert gdf.loc[gdf["id"] == "test-square-park", "stated_area_m2"].item() == 10000


def test_ogr_reads_the_bundled_file():
    import pyogrio

    path = Path(__file__).parent.parent / "data" / "locations.geojson"
    info = pyogrio.read_info(path)
    fc = json.loads(path.read_text(encoding="utf-8"))
    assert info["features"] == len(fc["features"])
    assert info["crs"] in ("EPSG:4326", "OGC:CRS84")


# ------------------------------------------------------------------ a kept snapshot stays true to the file

_OPS = st.lists(
    st.tuples(st.sampled_from(["replace", "rename", "remove", "add", "add_at"]), st.integers(0, 50)), max_size=12
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_a_kept_snapshot_matches_a_fresh_read_after_any_patches(valid_path, tmp_path, ops):
    """patch() with a kept state touches only the changed places; the state must equal a fresh read."""
    import copy
    import shutil

    path = tmp_path / "kept.geojson"
    shutil.copy(valid_path, path)
    kept = store.snapshot(path)
    _ = kept.versions  # make it keep versions up to date too
    counter = [0]

    def change_for(op, n):
        def change(features):
            ids = [f["properties"]["id"] for f in features]
            counter[0] += 1
            if op in ("add", "add_at") or not ids:
                new = copy.deepcopy(features[0]) if features else None
                if new is None:
                    return store.Changes()
                new["properties"]["id"] = f"new-{counter[0]}"
                new["properties"]["name"] = f"新{counter[0]}"
                at = {new["properties"]["id"]: n % (len(ids) + 1)} if op == "add_at" else {}
                return store.Changes(add=[new], at=at)
            ident = ids[n % len(ids)]
            if op == "remove":
                return store.Changes(remove={ident})
            new = copy.deepcopy(features[n % len(ids)])
            new["properties"]["notes"] = f"change {counter[0]}"
            if op == "rename":
                new["properties"]["id"] = f"renamed-{counter[0]}"
            return store.Changes(replace={ident: new})

        return change

    for op, n in ops:
        store.patch(path, change_for(op, n), state=kept)
        fresh = store.snapshot(path)
        assert kept.signature == fresh.signature
        assert list(kept.features) == list(fresh.features)
        assert kept.features == fresh.features
        assert kept.blocks == fresh.blocks
        assert kept.versions == fresh.versions
        assert kept.index() == fresh.index()
        text = path.read_text(encoding="utf-8")
        assert text == store.dumps_collection(json.loads(text))  # still canonical, as a full rewrite writes it


def test_patch_reports_a_malformed_added_place_instead_of_raising(valid_path):
    before = valid_path.read_bytes()
    with pytest.raises(ValidationError, match="properties must be an object"):
        store.patch(valid_path, lambda features: store.Changes(add=[{"type": "Feature", "geometry": None}]))
    assert valid_path.read_bytes() == before


# ---- problems say where, which field and what kind; positions, versions and logs are what they claim


def _problems(path, change):
    with pytest.raises(ValidationError) as info:
        store.patch(path, change)
    return info.value.problems


def _first_copy(features, **props):
    import copy

    new = copy.deepcopy(features[0])
    new["properties"].update(props)
    return new


def test_patch_problems_carry_where_field_and_kind(valid_path):
    before = valid_path.read_bytes()
    (missing,) = _problems(valid_path, lambda fs: store.Changes(remove={"no-such"}))
    assert (str(missing), missing.field, missing.kind) == ("id: no place has id 'no-such'", "id", "missing")
    (twice,) = _problems(valid_path, lambda fs: store.Changes(add=[_first_copy(fs, name="别名")]))
    assert (str(twice), twice.field, twice.kind) == ("test-mall: id is not unique", "id", "duplicate")
    (taken,) = _problems(
        valid_path, lambda fs: store.Changes(replace={"test-home": _first_copy(fs, name="别名", notes="x")})
    )
    assert (str(taken), taken.field, taken.kind) == (
        "ids: a replaced place took an id another place has",
        "id",
        "duplicate",
    )
    bad = _problems(valid_path, lambda fs: store.Changes(add=[_first_copy(fs, id="new-one", category="zoo")]))
    assert str(bad[0]).startswith("new place: ") and "category must be one of" in str(bad[0])
    assert (bad[0].field, bad[0].kind) == ("category", "invalid")
    assert valid_path.read_bytes() == before


def test_a_place_added_at_a_position_lands_there(valid_path):
    store.patch(valid_path, lambda fs: store.Changes(add=[_first_copy(fs, id="second", name="第二")], at={"second": 1}))
    ids = [f["properties"]["id"] for f in store.load_collection(valid_path)["features"]]
    assert ids[:3] == ["test-mall", "second", "test-square-park"]
    store.patch(valid_path, lambda fs: store.Changes(add=[_first_copy(fs, id="last", name="最后")], at={"last": 999}))
    assert [f["properties"]["id"] for f in store.load_collection(valid_path)["features"]][-1] == "last"


def test_versions_are_sixteen_hex_digits_of_the_canonical_rounded_text(valid_path):
    import copy

    feature = store.load_collection(valid_path)["features"][0]
    version = store.version_of(feature)
    assert len(version) == 16 and int(version, 16) >= 0
    finer = copy.deepcopy(feature)
    lon, lat = feature["geometry"]["coordinates"]
    finer["geometry"]["coordinates"] = [lon + 1e-9, lat - 1e-9]  # below the file's 7 decimals: the same text
    assert store.version_of(finer) == version
    finer["geometry"]["coordinates"] = [lon + 1e-6, lat]
    assert store.version_of(finer) != version


def test_file_signature_is_the_named_files(valid_path, tmp_path):
    info = valid_path.stat()
    assert store.file_signature(valid_path) == (info.st_mtime_ns, info.st_size, info.st_ino)
    assert store.file_signature(tmp_path / "absent.geojson") is None


def test_a_snapshot_of_a_non_canonical_file_holds_canonical_blocks(valid_path, tmp_path):
    fc = json.loads(valid_path.read_text(encoding="utf-8"))
    fc["features"][0]["geometry"]["coordinates"] = [125.319512345678, 43.87671234567]
    pretty = tmp_path / "pretty.geojson"
    pretty.write_text(json.dumps(fc, indent=4, ensure_ascii=True), encoding="utf-8")
    snap = store.snapshot(pretty)
    canonical = store.dumps_collection(fc).encode("utf-8")
    assert canonical.startswith(snap.head) and snap.head
    assert all(block in canonical for block in snap.blocks)
    assert b"125.3195123,43.8767123" in snap.blocks[0] and "测试商场".encode() in snap.blocks[0]
    assert snap.versions["test-mall"] == store.version_of(fc["features"][0])
    assert snap.members() == {k: v for k, v in fc.items() if k not in ("features",)}


def test_a_canonical_file_is_cut_into_its_own_blocks(valid_path, tmp_path):
    data = valid_path.read_bytes()
    obj = json.loads(data)
    head, blocks = store._split_blocks(data, obj)
    assert len(blocks) == len(obj["features"]) and data.startswith(head)
    empty = obj | {"features": []}
    text = store.dumps_collection(empty).encode("utf-8")
    assert store._split_blocks(text, empty) == (head, [])
    assert store._split_blocks(text + b" ", empty) is None
    # A block the serialiser would not write (the middle one is checked too) sends the file to a full re-encode.
    middle = len(blocks) // 2
    changed = data.replace(blocks[middle], blocks[middle].replace(b'": ', b'":  ', 1))
    assert changed != data and store._split_blocks(changed, obj) is None
    assert store._split_blocks(data, obj | {"features": obj["features"][:-1]}) is None


def test_a_kept_snapshot_spares_reading_the_file(valid_path, monkeypatch):
    kept = store.snapshot(valid_path)
    monkeypatch.setattr(store, "_read_bytes", lambda p: pytest.fail("read the file although the snapshot is current"))
    store.patch(valid_path, lambda fs: store.Changes(remove={"test-home"}), state=kept)
    assert "test-home" not in kept.features


def test_find_problems_refuses_duplicate_keys(tmp_path):
    path = tmp_path / "dup.geojson"
    path.write_text('{"type": "FeatureCollection", "type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(StoreError, match="duplicate key 'type'"):
        store.find_problems(path)


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("86399.5", 86399.5), (None, 30.0)])
def test_lock_timeout_from_the_environment_else_the_setting(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv("GEO_LOCK_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("GEO_LOCK_TIMEOUT", value)
    assert store._lock_timeout() == seconds


def test_lock_timeout_follows_the_setting_and_refuses_a_cleared_one(monkeypatch):
    from geo import settings

    monkeypatch.delenv("GEO_LOCK_TIMEOUT", raising=False)
    monkeypatch.setattr(settings, "lock_timeout", 5)
    assert store._lock_timeout() == 5.0
    monkeypatch.setattr(settings, "lock_timeout", None)
    with pytest.raises(StoreError, match="GEO_LOCK_TIMEOUT must be a number of seconds, got None"):
        store._lock_timeout()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "GEO_LOCK_TIMEOUT must be a number of seconds, got 'soon'"),
        ("86400", "lock timeout must be between 0 and 86400 seconds, got '86400'"),
        ("-1", "lock timeout must be between 0 and 86400 seconds, got '-1'"),
    ],
)
def test_lock_timeout_refuses_what_is_not_a_day_of_seconds(monkeypatch, value, message):
    monkeypatch.setenv("GEO_LOCK_TIMEOUT", value)
    with pytest.raises(StoreError) as info:
        store._lock_timeout()
    assert str(info.value) == message


def test_short_writes_are_finished(tmp_path, monkeypatch):
    real_writev = os.writev
    monkeypatch.setattr(os, "writev", lambda fd, parts: real_writev(fd, [bytes(parts[0])[:3]]))
    path = tmp_path / "out.bin"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        store._write_all(fd, [b"abcdef", b"ghij"])
    finally:
        os.close(fd)
    assert path.read_bytes() == b"abcdefghij"


def test_the_temporary_file_is_written_beside_the_target(valid_path, monkeypatch):
    import tempfile

    seen = []
    real = tempfile.mkstemp

    def spy(*args, **kwargs):
        seen.append(Path(kwargs["dir"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    store.save_collection(store.load_collection(valid_path), valid_path, overwrite=True)
    assert seen == [valid_path.parent]  # os.replace is atomic only within one file system


def test_writes_are_logged_with_counts(valid_path, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="geo.store"):
        store.save_collection(store.load_collection(valid_path), valid_path, overwrite=True)
        store.patch(valid_path, lambda fs: store.Changes(remove={"test-home"}))
    assert [r.getMessage() for r in caplog.records] == [
        f"wrote 5 places to {valid_path}",
        f"patched {valid_path}: +0 ~0 -1",
    ]


def test_the_frame_has_every_model_column_in_order_then_extras(valid_path):
    from geo.model import PROPERTY_ORDER

    features = store.load_collection(valid_path)["features"][:2]
    features[0]["properties"]["zeta"] = 1
    features[1]["properties"]["alpha"] = 2
    del features[1]["properties"]["notes"]
    frame = store.places_to_frame(features)
    assert list(frame.columns) == [*PROPERTY_ORDER, "alpha", "zeta", "geometry"]
    assert frame["notes"].tolist() == [None, None] and frame["alpha"].tolist() == [None, 2]


def test_read_json_reads_any_document_and_names_the_file_when_it_cannot(tmp_path):
    path = tmp_path / "doc.json"
    path.write_text('{"a": [1, 2.5, "三"]}', encoding="utf-8")
    assert store.read_json(path) == {"a": [1, 2.5, "三"]}
    path.write_text('{"a": ', encoding="utf-8")
    with pytest.raises(StoreError) as info:
        store.read_json(path)
    assert str(info.value).startswith(f"data file {str(path)!r}")
    with pytest.raises(StoreError, match="does not exist"):
        store.read_json(tmp_path / "absent.json")


def test_a_file_that_is_not_a_collection_is_named(tmp_path):
    path = tmp_path / "feature.geojson"
    path.write_text('[{"type": "Feature", "geometry": null, "properties": {}}]', encoding="utf-8")
    with pytest.raises(StoreError) as info:
        store.load_collection(path, validate=False)  # unchecked reads still need a collection
    assert str(info.value) == f"data file {str(path)!r} is not a GeoJSON FeatureCollection"


def test_a_write_keeps_the_files_mode_and_names_its_temporary_file_for_cleanup(valid_path, monkeypatch):
    import fnmatch
    import tempfile

    valid_path.chmod(0o640)
    names = []
    real = tempfile.mkstemp

    def spy(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        names.append(Path(name).name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    store.save_collection(store.load_collection(valid_path), valid_path, overwrite=True)
    assert valid_path.stat().st_mode & 0o777 == 0o640
    assert fnmatch.fnmatch(names[0], f".{valid_path.name}.*.tmp")  # what the orphan sweep removes


def test_a_stale_kept_snapshot_is_brought_up_to_date(valid_path):
    kept = store.snapshot(valid_path)
    store.patch(valid_path, lambda fs: store.Changes(remove={"test-home"}))  # another writer
    store.patch(valid_path, lambda fs: store.Changes(remove={"test-mall"}), state=kept)
    fresh = store.snapshot(valid_path)
    assert list(kept.features) == list(fresh.features) and "test-home" not in kept.features


def test_has_location_is_true_only_for_a_geometry_that_is_not_empty():
    import geopandas as gpd
    from shapely.geometry import GeometryCollection, Point

    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]}, geometry=[Point(125.3, 43.8), GeometryCollection(), None], crs=4326
    )
    assert store.has_location(frame).tolist() == [True, False, False]  # and no warning about the empty one
    assert store.has_location(frame.geometry).tolist() == [True, False, False]


def _same_frame(a, b):
    from pandas.testing import assert_frame_equal

    assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    assert a.geometry.equals(b.geometry) and a.crs == b.crs


def test_the_columnar_route_reads_what_the_whole_document_route_reads(valid_path, tmp_path):
    from benchmarks.synth import make_collection

    big = tmp_path / "big.geojson"
    collection = make_collection(2_000, seed=3)
    collection["metadata"] = {"district_figures": []}
    for k, aliases in enumerate((["甲园", "乙园"], ["丙园", "丁园"], [], ["戊园"])):  # lists of one length too
        collection["features"][k]["properties"]["aliases"] = aliases
    big.write_text(store.dumps_collection(collection), encoding="utf-8")
    for path in (valid_path, big):
        assert store._read_columns(path) is not None  # canonical and valid: read column by column
        frame, members = store.load_frame(path)
        whole = store.load_collection(path)
        _same_frame(frame, store.places_to_frame(whole["features"]))
        assert members == {k: v for k, v in whole.items() if k != "features"}
    assert store.load_frame(big)[0]["status_source"].map(id).nunique() == 1  # one shared "synthetic"


def test_the_columnar_route_reads_outlines_as_the_whole_document_route_does(tmp_path, monkeypatch):
    """Outlines are checked together and built once (geojson.checked_outlines), the same frame as before."""
    from benchmarks.synth import make_collection

    big = tmp_path / "outlines.geojson"
    collection = make_collection(300, polygons=True, seed=5)
    ring = collection["features"][1]["geometry"]["coordinates"]
    collection["features"][1]["geometry"] = {"type": "MultiPolygon", "coordinates": [ring]}
    big.write_text(store.dumps_collection(collection), encoding="utf-8")
    checked = []
    monkeypatch.setattr(store, "check_feature", lambda f, i=None: checked.append(i) or [])
    assert store._read_columns(big) is not None
    assert checked == []  # no outline took the full check one by one
    monkeypatch.undo()
    frame, _ = store.load_frame(big)
    _same_frame(frame, store.places_to_frame(store.load_collection(big)["features"]))
    assert frame.geometry.geom_type.tolist()[:3] == ["Polygon", "MultiPolygon", "Polygon"]


def test_the_columnar_route_reads_runs_across_its_reads(valid_path, monkeypatch):
    monkeypatch.setattr(store, "_READ_BYTES", 700)  # every read ends inside a place
    frame, _ = store.load_frame(valid_path)
    _same_frame(frame, store.places_to_frame(store.load_collection(valid_path)["features"]))


@pytest.fixture
def halves(tmp_path, monkeypatch):
    """A 2,000-place canonical file that load_frame reads in two processes (small reads, a low threshold)."""
    from benchmarks.synth import make_collection

    path = tmp_path / "halves.geojson"
    points = make_collection(1_000, seed=11)["features"]
    outlines = make_collection(1_000, polygons=True, seed=12, start=1_000)["features"]
    features = [f for pair in zip(points, outlines, strict=True) for f in pair]  # both kinds in both halves
    collection = {**make_collection(0), "metadata": {"district_figures": []}, "features": features}
    for k in (2, 1_990):  # an alias list in each half
        features[k]["properties"]["aliases"] = ["甲园", "乙园"]
    path.write_text(store.dumps_collection(collection), encoding="utf-8")
    monkeypatch.setattr(store, "_READ_BYTES", 64 * 1024)
    monkeypatch.setattr(store, "SPLIT_BYTES", 0)
    monkeypatch.setattr(store, "may_fork", lambda: True)  # pytest-xdist's worker runs a thread of its own
    shares = []
    real = store._Share

    def share(p, start):
        child = real(p, start)
        shares.append((start, child.pid))
        return child

    monkeypatch.setattr(store, "_Share", share)
    return path, shares


def test_a_large_file_is_read_in_two_halves_into_the_same_frame(halves):
    path, shares = halves
    frame, members = store.load_frame(path)
    assert len(shares) == 1 and path.stat().st_size // 2 < shares[0][0] < path.stat().st_size  # one child, 2nd half
    whole = store.load_collection(path)
    _same_frame(frame, store.places_to_frame(whole["features"]))
    assert members == {k: v for k, v in whole.items() if k != "features"}
    assert frame.geometry.geom_type.value_counts().to_dict() == {"Point": 1_000, "Polygon": 1_000}
    assert frame["aliases"].iloc[1_990] == ["甲园", "乙园"]


def test_the_halves_split_between_two_places(halves):
    path, _ = halves
    text = path.read_bytes()
    cut = store._split_point(path)
    assert text[cut : cut + len(store._BETWEEN)] == store._BETWEEN.encode()
    first = [json.loads(bytes(run)) for run in list(store._feature_runs(path, stop=cut))[1:]]
    second = [json.loads(bytes(run)) for run in store._share_runs(path, cut + len(store._BETWEEN))]
    ids = [f["properties"]["id"] for run in first + second for f in run]
    assert ids == [f["properties"]["id"] for f in json.loads(text)["features"]]  # every place once, in order


def test_the_second_halfs_runs_go_through_a_file(halves, tmp_path):
    """What the child writes (here, in this process) is read back as the first half's runs are kept."""
    import shapely

    path, _ = halves
    cut = store._split_point(path) + len(store._BETWEEN)
    with (tmp_path / "share").open("w+b") as out:
        assert store._write_share(path, cut, out) is True
        runs = list(store._read_share(out))
    places = [f for run in store._share_runs(path, cut) for f in json.loads(bytes(run))]
    assert sum(len(shapes) for _, shapes in runs) == len(places)
    assert [i for props, _ in runs for i in props["id"]] == [f["properties"]["id"] for f in places]
    shapes = [g for _, run in runs for g in run]
    assert [g is None for g in shapes] == [f["geometry"] is None for f in places]
    assert shapely.equals(shapes[-1], shapely.geometry.shape(places[-1]["geometry"]))


def test_a_problem_in_the_second_half_gives_the_whole_documents_message(halves):
    path, shares = halves
    text = path.read_text(encoding="utf-8")
    at = text.rindex('"name": "')  # the last place's name
    path.write_text(text[: at + 9] + "\u200b" + text[at + 9 :], encoding="utf-8")
    with pytest.raises(ValidationError) as whole:
        store.load_collection(path)
    with pytest.raises(ValidationError) as got:
        store.load_frame(path)
    assert str(got.value) == str(whole.value) and "name" in str(got.value)
    assert shares  # the child found it


def test_a_repeated_id_across_the_halves_gives_the_whole_documents_message(halves):
    path, shares = halves
    doc = json.loads(path.read_text(encoding="utf-8"))
    first, last = doc["features"][0]["properties"]["id"], doc["features"][-1]["properties"]["id"]
    path.write_text(path.read_text(encoding="utf-8").replace(f'"id": "{last}"', f'"id": "{first}"'), "utf-8")
    assert store._read_columns(path) is None
    with pytest.raises(ValidationError, match=first):
        store.load_frame(path)
    assert len(shares) == 2


@pytest.mark.parametrize("fault", ["exit", "kill", "no end"])
def test_a_child_that_fails_leaves_the_whole_document_route(halves, monkeypatch, fault):
    """A child that exits early, is killed or ends its share short: this process reads the file whole."""
    import signal

    path, shares = halves
    whole = store.places_to_frame(store.load_collection(path)["features"])
    acts = {
        "exit": lambda p, start, out: os._exit(0),
        "kill": lambda p, start, out: os.kill(os.getpid(), signal.SIGKILL),
        "no end": lambda p, start, out: out.write(b"\x80\x05") and True,
    }
    monkeypatch.setattr(store, "_write_share", acts[fault])  # the child runs the fork's copy of this module
    assert store._read_columns(path) is None
    _same_frame(store.load_frame(path)[0], whole)
    assert len(shares) == 2


def test_a_problem_in_the_first_half_stops_the_child(halves):
    path, shares = halves
    text = path.read_text(encoding="utf-8")
    at = text.index('"name": "', text.index('"features"'))  # the first place's name
    path.write_text(text[: at + 9] + "\u200b" + text[at + 9 :], encoding="utf-8")
    assert store._read_columns(path) is None
    ((_, pid),) = shares
    with pytest.raises(ChildProcessError):  # killed (or done) and reaped: no zombie is left
        os.waitpid(pid, os.WNOHANG)


def test_a_small_file_or_a_threaded_process_is_read_by_one_process(halves, monkeypatch):
    path, shares = halves
    monkeypatch.setattr(store, "SPLIT_BYTES", path.stat().st_size + 1)
    store.load_frame(path)
    monkeypatch.setattr(store, "SPLIT_BYTES", 0)
    monkeypatch.setattr(store, "may_fork", lambda: False)
    store.load_frame(path)
    assert shares == []
    monkeypatch.undo()
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert store.may_fork() is False
    finally:
        stop.set()
        other.join()


@pytest.mark.parametrize(
    ("change", "whole"),
    [
        (lambda text: text.replace('"name": "测试商场"', '"name": "测试\\u200b商场"'), True),  # a problem
        (lambda text: text.replace('"notes": null\n', '"notes": null,\n        "zeta": 1\n', 1), True),  # foreign
        (lambda text: text.replace('\n  "features": [', '\n  "features":[', 1), True),  # not the store's head
        (lambda text: text.replace('"id": "test-home"', '"id": "test-mall"'), True),  # a repeated id
        (lambda text: text[:-3], True),  # cut short
        # Another layout of the places is read column by column only where it decodes to the same places.
        (lambda text: text.replace("\n    },\n    {\n", "\n    },{\n", 1), False),
        (lambda text: text.replace("\n    },\n    {\n", "\n    },\n    {\n  ", 1), False),
    ],
    ids=["problem", "foreign", "head", "duplicate", "truncated", "joined", "indented"],
)
def test_any_other_file_is_read_whole_with_the_same_messages(valid_path, change, whole):
    valid_path.write_text(change(valid_path.read_text(encoding="utf-8")), encoding="utf-8")
    if whole:
        assert store._read_columns(valid_path) is None
    try:
        expected = store.places_to_frame(store.load_collection(valid_path)["features"])
    except (StoreError, ValidationError) as err:
        with pytest.raises(type(err)) as got:
            store.load_frame(valid_path)
        assert str(got.value) == str(err)
    else:
        _same_frame(store.load_frame(valid_path)[0], expected)


def test_load_frame_names_a_missing_file(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        store.load_frame(tmp_path / "nope.geojson")


def test_district_figures_come_from_the_collections_metadata(bundled_path):
    """One function gives the page, the editor's page and `geo summary` the district's own figures."""
    _, members = store.load_frame(bundled_path)
    figures = store.district_figures(members)
    on_disk = json.loads(bundled_path.read_text(encoding="utf-8"))["metadata"]["district_figures"]
    assert figures == on_disk and len(figures) >= 4  # the report gives four such figures
    assert store.district_figures(store.load_collection(bundled_path)) == on_disk  # a whole collection too
    figures[0]["value"] = -1  # a copy: changing it changes nothing the reader keeps
    assert store.district_figures(members) == on_disk
    assert store.district_figures({"metadata": {"note": "no figures"}}) == []
    assert store.district_figures({"metadata": None}) == store.district_figures(None) == []
