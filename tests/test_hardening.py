"""Nothing lost, nothing hangs, nothing injected: one regression test per case found by hostile runs."""

import hashlib
import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import store
from geo.cli import main
from geo.errors import GeocodeError, StoreError, ValidationError

ADD = ["add-park", "--source", "测试来源 test source", "新园", "--area", "5000", "--lonlat", "125.3600,43.8000"]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _blocks(path):
    return store.snapshot(path).blocks


# ------------------------------------------------------------------ silent change or loss


def test_rfc_members_survive_an_unrelated_write(runner, valid_path):
    doc = json.loads(valid_path.read_text(encoding="utf-8"))
    doc["features"][0]["id"] = "mall-1"
    doc["features"][0]["bbox"] = [125.31, 43.87, 125.32, 43.88]
    doc["features"][0]["geometry"]["bbox"] = [125.31, 43.87, 125.32, 43.88]
    doc["features"][0]["x_foreign"] = {"kept": True}
    valid_path.write_text(store.dumps_collection(doc), encoding="utf-8")
    before = _blocks(valid_path)[0]
    result = runner.invoke(main, [*ADD, "--data", str(valid_path)])
    assert result.exit_code == 0, result.output
    after = json.loads(valid_path.read_text(encoding="utf-8"))["features"][0]
    assert _blocks(valid_path)[0] == before  # byte for byte
    assert after["id"] == "mall-1" and after["bbox"] == [125.31, 43.87, 125.32, 43.88]
    assert after["geometry"]["bbox"] and after["x_foreign"] == {"kept": True}


def test_bad_rfc_members_are_refused(valid_path):
    doc = json.loads(valid_path.read_text(encoding="utf-8"))
    doc["features"][0]["id"] = ["not", "an", "id"]
    doc["features"][1]["bbox"] = [1, 2, 3]
    from geo.model import check_collection

    problems = check_collection(doc)
    assert any("id member must be text or a number" in str(p) for p in problems)
    assert any("bbox must be 4 or 6 finite numbers" in str(p) for p in problems)


def test_a_symlinked_data_file_gets_the_update_and_stays_a_link(runner, valid_path, tmp_path):
    link = tmp_path / "link.geojson"
    link.symlink_to(valid_path)
    result = runner.invoke(main, [*ADD, "--data", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "新园" in valid_path.read_text(encoding="utf-8")


def test_a_read_only_data_file_is_not_overwritten(runner, valid_path):
    digest = _digest(valid_path)
    valid_path.chmod(0o444)
    try:
        result = runner.invoke(main, [*ADD, "--data", str(valid_path)])
    finally:
        valid_path.chmod(0o644)
    assert result.exit_code == 1 and "read-only" in result.output, result.output
    assert _digest(valid_path) == digest


def test_a_lock_symlink_is_refused_and_creates_nothing(runner, valid_path, tmp_path):
    missing = tmp_path / "elsewhere" / "created-through-the-link"
    missing.parent.mkdir()
    (valid_path.parent / (valid_path.name + ".lock")).symlink_to(missing)
    digest = _digest(valid_path)
    result = runner.invoke(main, [*ADD, "--data", str(valid_path)])
    assert result.exit_code == 1 and "symbolic link" in result.output, result.output
    assert not missing.exists() and _digest(valid_path) == digest


def test_orphaned_temporary_files_are_cleaned_up(runner, valid_path):
    orphan = valid_path.parent / f".{valid_path.name}.k1ll3d.tmp"
    orphan.write_bytes(b"x" * 1000)
    result = runner.invoke(main, [*ADD, "--data", str(valid_path)])
    assert result.exit_code == 0 and not orphan.exists()


HOLD = """
import sys, time
from filelock import FileLock
held = FileLock(sys.argv[1] + ".lock")  # another process holding the data file's lock, as geo takes it
held.acquire()
print("locked", flush=True)
time.sleep(600)
"""


def test_a_held_lock_times_out_with_a_clear_message(valid_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(valid_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        digest = _digest(valid_path)
        # The holder keeps the lock for minutes; the command gives up after its own --wait and says so.
        done = subprocess.run([sys.executable, "-m", "geo", *ADD, "--data", str(valid_path), "--wait", "0.5"],
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 1 and "locked by another process (waited 0.5 s)" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert holder.poll() is None  # it gave up while the lock was still held, not after the holder ended
        assert _digest(valid_path) == digest
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_fifo_as_data_file_is_refused_not_waited_on(runner, tmp_path):
    fifo = tmp_path / "data.geojson"
    os.mkfifo(fifo)
    result = runner.invoke(main, ["validate", "--data", str(fifo)])
    assert result.exit_code == 1 and "not a regular file" in result.output


# ------------------------------------------------------------------ invalid data refused before it breaks things


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("notes", 5, "notes must be non-empty text"),
        ("quote_source", ["x"], "quote_source must be non-empty text"),
        ("location_source", {"a": 1}, "location_source must be non-empty text"),
        ("id", "test-mall\n", "id must be lower-case"),
        ("name", "\u200b\u200b", "invisible or control characters (U+200B)"),
        ("name", "商场\u202e", "U+202E"),
        ("name", "\x07", "U+0007"),
    ],
    ids=["notes-number", "quote-source-list", "location-source-object", "id-newline", "zero-width-name",
         "bidi-name", "control-name"],
)  # fmt: skip
def test_wrong_text_is_refused_by_validate_and_never_reaches_build(runner, valid_path, tmp_path, key, value, fragment):
    doc = json.loads(valid_path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"][key] = value
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(bad)])
    assert result.exit_code == 1 and fragment in result.output, result.output
    built = runner.invoke(main, ["build", "--data", str(bad), "--out", str(tmp_path / "site")])
    assert built.exit_code == 1 and "Traceback" not in built.output


def test_non_utf8_arguments_are_one_line(tmp_path, valid_path):
    done = subprocess.run([sys.executable, "-m", "geo", "add-park", "--source", "测试来源 test source", os.fsdecode(b"\xff\xfe"), "--area", "100",
                           "--lonlat", "125.33,43.84", "--data", str(valid_path)], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1 and "not UTF-8 text" in done.stderr and "Traceback" not in done.stderr


# ------------------------------------------------------------------ settings, caches and gazetteers from outside


def test_a_bad_timeout_setting_is_one_line(monkeypatch):
    from geo.geocode.services import _seconds

    monkeypatch.setenv("GEO_TIMEOUT", "abc")
    with pytest.raises(GeocodeError, match=r"GEO_TIMEOUT .* must be 0 to 3600 seconds, got 'abc'"):
        _seconds(None, "timeout")


def test_a_cache_that_cannot_be_written_still_returns_the_answer(tmp_path, monkeypatch):
    from geopy.location import Location

    from geo.geocode import CachedGeocoder

    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")

    class Service:
        def geocode(self, query, exactly_one=True):
            return Location("x", (43.84, 125.33), {"provider": "fake"})

    coder = CachedGeocoder(Service(), "fake", "http://127.0.0.1:9", cache_dir=blocker, min_delay_seconds=0)
    assert coder.geocode("某地").latitude == 43.84  # fetched, used, not lost
    good = CachedGeocoder(Service(), "fake", "http://127.0.0.1:9", cache_dir=tmp_path / "c", min_delay_seconds=0)
    good.geocode("某地")
    for entry in (tmp_path / "c").rglob("*.json"):
        entry.write_text('{"query": "某地", "location": {"lat": "nope"}}', encoding="utf-8")
    again = CachedGeocoder(Service(), "fake", "http://127.0.0.1:9", cache_dir=tmp_path / "c", min_delay_seconds=0)
    assert again.geocode("某地").latitude == 43.84 and again.requests == 1  # a damaged entry is a miss


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("坏点,,place,,nan,43.8,wgs84,exact,10,src,", "lon"),
        ("坏点,,place,,125.3,43.8,wgs84,exact,-5,src,", "uncertainty_m"),
        ("坏点,,place,,125.3", "uncertainty_m"),
        ("坏点,,place,,200,43.8,wgs84,exact,10,src,", "lon"),
    ],
    ids=["nan", "negative-radius", "short-row", "out-of-range"],
)
def test_hostile_gazetteer_rows_are_reported_not_raised(tmp_path, row, fragment):
    from geo.geocode import load_gazetteer

    path = tmp_path / "g.csv"
    head = "name,aliases,kind,roads,lon,lat,datum,precision,uncertainty_m,source,notes"
    path.write_text(f"{head}\n{row}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=fragment):
        load_gazetteer(path)


def test_a_gazetteer_with_nul_bytes_is_one_line(tmp_path):
    from geo.geocode import load_gazetteer

    path = tmp_path / "g.csv"
    path.write_bytes(b"name,lon\n\x00bad,1\n")
    with pytest.raises((GeocodeError, ValidationError)):
        load_gazetteer(path)


# ------------------------------------------------------------------ injection in outputs


def test_csv_output_neutralises_formulas_and_markdown_escapes(runner, valid_path):
    for name in ("=1+1 公园", "+SUM(A1)", "@cmd", "-2+3"):
        result = runner.invoke(main, ["update", "test-home", "--name", name, "--data", str(valid_path)])
        assert result.exit_code == 0, result.output
        csv_out = runner.invoke(
            main, ["summary", "--data", str(valid_path), "--format", "csv", "--table", "nearest"]
        ).output
        assert f",'{name}" in csv_out and f",{name}" not in csv_out
    # A line break in a name is refused by the model, so it cannot start a heading in any output ...
    refused = runner.invoke(main, ["update", "test-home", "--name", "家\n# 标题", "--data", str(valid_path)])
    assert refused.exit_code == 1 and "U+000A" in refused.output
    # ... and markup in a name is escaped in markdown: no HTML, no link, no heading.
    result = runner.invoke(main, ["update", "test-home", "--name", "# 标题 <script>x</script> [a](javascript:b)",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    md = runner.invoke(main, ["summary", "--data", str(valid_path), "--format", "markdown"]).output
    assert "\\# 标题 \\<script\\>" in md and "<script>" not in md and "](javascript:" not in md


def test_library_code_leaves_the_matplotlib_backend_alone(tmp_path, places_gdf):
    import matplotlib

    from geo import summary

    before = matplotlib.get_backend()
    summary.plot_summary(summary.summarize(places_gdf), tmp_path / "p.png")
    assert matplotlib.get_backend() == before and (tmp_path / "p.png").stat().st_size > 1000
    with pytest.raises(StoreError, match="--plot: cannot write"):
        summary.plot_summary(summary.summarize(places_gdf), tmp_path / "missing" / "p.png")


# ------------------------------------------------------------------ nothing outside the edited place changes

_CHANGES = st.tuples(
    st.sampled_from(["status", "notes", "name-en", "area", "remove", "add"]),
    st.integers(0, 40),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Co", "Cn")), min_size=1, max_size=8),
)  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=_CHANGES)
def test_a_write_changes_only_the_place_it_edits(valid_path, tmp_path, change):
    from geo.places import add_place, make_park, remove_place, update_place

    kind, n, text = change
    path = tmp_path / "w.geojson"
    doc = json.loads(valid_path.read_text(encoding="utf-8"))
    doc["features"][1]["id"] = 7
    doc["features"][2]["x_member"] = [1, "二"]
    path.write_text(store.dumps_collection(doc), encoding="utf-8")
    snap = store.snapshot(path)
    ids = list(snap.features)
    target = ids[n % len(ids)]
    before = dict(zip(ids, snap.blocks, strict=True))
    try:
        if kind == "remove":
            remove_place(target, path)
        elif kind == "add":
            feature, _ = make_park(
                f"新{n}", area_m2=1000 + n, lonlat=[125.36 + n * 1e-3, 43.80], source="测试来源 test source"
            )
            add_place(feature, path)
            target = feature["properties"]["id"]
        else:
            update_place(target, {kind: {"status": "planned", "area": str(100 + n)}.get(kind, text)}, path)
    except ValidationError:
        after_refusal = store.snapshot(path)
        assert dict(zip(after_refusal.features, after_refusal.blocks, strict=True)) == before
        return
    after = store.snapshot(path)
    now = dict(zip(after.features, after.blocks, strict=True))
    for ident, block in before.items():
        if ident != target:
            assert now[ident] == block, f"{ident} changed when {target} was edited"
