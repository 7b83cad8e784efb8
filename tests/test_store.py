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
