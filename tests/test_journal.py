"""One change, one truth: every change goes through geo.history.apply_change, and the file and the history agree.

Library-level tests of the journal (intent record, atomic rename, completion record), its repair of a torn
last line, its settling of what a crash left open, what `geo validate` reports, and the cross-platform lock.
"""

import ast
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geo import history, places, store
from geo.cli import main
from geo.errors import StoreError

ADD = ["add-park", "--source", "测试来源 test source", "新园", "--area", "5000", "--lonlat", "125.3600,43.8000"]


def _versions(path):
    return store.snapshot(path).versions


def _lines(path):
    return history.history_path(path).read_text(encoding="utf-8").splitlines()


def _add(path, name="记录园", lon=125.3600, **kwargs):
    feature, _ = places.make_park(name, area_m2="5000", lonlat=[lon, 43.8000], source="测试来源 test source")
    return places.add_place(feature, path, **kwargs)


def test_a_change_writes_an_intent_then_a_completion_and_is_listed_once(valid_path):
    result = _add(valid_path, editor="甲")
    intent, done = (json.loads(line) for line in _lines(valid_path))
    assert (intent["action"], intent["editor"], intent["before"]) == ("add", "甲", None)
    assert intent["version_after"] == _versions(valid_path)[result.ids[0]]
    assert done == {"txn": intent["txn"], "status": "done"}
    assert [r["change"] for r in history.read_history(valid_path)] == [result.records[0]["change"]]


def test_every_command_records_through_the_same_call(runner, valid_path, tmp_path):
    source = tmp_path / "one.geojson"
    source.write_text(json.dumps({"type": "Feature", "properties": {"name": "导入园", "stated_area_m2": 300},
                                  "geometry": {"type": "Point", "coordinates": [125.351, 43.861]}}), encoding="utf-8")  # fmt: skip
    for args in (ADD, ["import", str(source), "--no-input"], ["update", "test-mall", "--notes", "改"],
                 ["remove", "test-home"]):  # fmt: skip
        done = runner.invoke(main, [*args, "--data", str(valid_path)])
        assert done.exit_code == 0, done.output
    actions = [(r["action"], r["after"] is None) for r in history.read_history(valid_path)]
    assert actions == [("add", False), ("import", False), ("update", False), ("remove", True)]
    removed = history.read_history(valid_path)[-1]
    undone = runner.invoke(main, ["undo", removed["change"], "--data", str(valid_path)])
    assert undone.exit_code == 0, undone.output
    assert history.read_history(valid_path)[-1]["undoes"] == removed["change"]
    assert runner.invoke(main, ["validate", "--data", str(valid_path)]).exit_code == 0


def test_locate_records_what_it_places_and_undo_takes_it_back(valid_path):
    store.patch(valid_path, lambda fs: store.Changes(replace={"test-home": {**fs[4], "properties": {
        **fs[4]["properties"], "address": "长春动植物公园"}}}))  # fmt: skip
    before = valid_path.read_bytes()
    report = places.locate_missing(valid_path, editor="定位员")
    assert list(report.located) == ["test-home"]
    (record,) = history.read_history(valid_path)
    assert (record["action"], record["editor"], record["place"]) == ("locate", "定位员", "test-home")
    assert record["before"]["geometry"] is None and record["after"]["geometry"]["type"] == "Point"
    assert "geocoded" in record["summary"]
    places.undo_change(record["change"], valid_path, editor="乙")
    assert valid_path.read_bytes() == before


def test_a_change_that_changes_nothing_writes_and_records_nothing(runner, valid_path):
    notes = store.load_collection(valid_path)["features"][0]["properties"].get("notes") or "同样"
    places.update_place("test-mall", {"notes": notes}, valid_path)
    before, recorded = valid_path.read_bytes(), len(history.read_history(valid_path))
    result = places.update_place("test-mall", {"notes": notes}, valid_path)
    assert not result.written and result.records == []
    assert valid_path.read_bytes() == before and len(history.read_history(valid_path)) == recorded
    done = runner.invoke(main, ["update", "test-mall", "--notes", notes, "--data", str(valid_path)])
    assert done.exit_code == 0 and "nothing to change" in done.output


def test_an_unwritable_history_changes_nothing(valid_path):
    history.history_path(valid_path).mkdir()
    before = valid_path.read_bytes()
    with pytest.raises(StoreError, match="history"):
        _add(valid_path)
    assert valid_path.read_bytes() == before


def test_a_file_that_cannot_be_written_takes_the_intent_back(valid_path, monkeypatch):
    _add(valid_path, "先来园", 125.3500)
    history_before = history.history_path(valid_path).read_bytes()
    data_before = valid_path.read_bytes()

    def full(*_args, **_kwargs):
        raise StoreError("cannot write: No space left on device")

    monkeypatch.setattr(store, "_write_atomic", full)
    with pytest.raises(StoreError, match="No space"):
        _add(valid_path)
    assert valid_path.read_bytes() == data_before
    assert history.history_path(valid_path).read_bytes() == history_before


def test_a_crash_between_the_rename_and_the_completion_is_settled_as_done(valid_path, monkeypatch):
    monkeypatch.setattr(history._Pending, "done", lambda self: None)  # the process dies right after the rename
    first = _add(valid_path, "崩溃园", 125.3500)
    assert history.read_history(valid_path) == []  # not yet listed: still open
    assert history.check(valid_path, _versions(valid_path)) == []  # and not a disagreement: the file has it
    monkeypatch.undo()
    second = _add(valid_path)  # the next change settles it first
    listed = [r["change"] for r in history.read_history(valid_path)]
    assert listed == [first.records[0]["change"], second.records[0]["change"]]


def test_a_crash_before_the_rename_is_settled_as_aborted(valid_path, monkeypatch):
    def killed(*_args, **_kwargs):
        raise SystemExit("killed")  # dies after the intent, before the file is replaced; abort() never runs

    monkeypatch.setattr(store, "_write_journaled", lambda p, chunks, journal: killed())
    with pytest.raises(SystemExit):
        _add(valid_path, "未成园", 125.3500)
    monkeypatch.undo()
    with store.lock(valid_path):
        notes = history.settle(valid_path, _versions(valid_path))
    assert any("aborted" in n for n in notes)
    assert history.read_history(valid_path) == [] and "未成园" not in valid_path.read_text(encoding="utf-8")


def test_a_torn_last_line_is_reported_then_cut_off_by_the_next_change(runner, valid_path):
    _add(valid_path, "先来园", 125.3500)
    path = history.history_path(valid_path)
    with path.open("ab") as handle:
        handle.write(b'{"change":"20261201000000-abcdef","place":"x","bef')  # a write a full disk stopped
    checked = runner.invoke(main, ["validate", "--data", str(valid_path)])
    assert checked.exit_code == 1 and "cut short" in checked.output, checked.output
    done = runner.invoke(main, [*ADD, "--data", str(valid_path)])
    assert done.exit_code == 0, done.output
    assert path.read_bytes().endswith(b"\n") and len(history.read_history(valid_path)) == 2
    latest = history.read_history(valid_path)[-1]["change"]
    assert runner.invoke(main, ["undo", latest, "--data", str(valid_path)]).exit_code == 0
    assert runner.invoke(main, ["validate", "--data", str(valid_path)]).exit_code == 0


def test_validate_reports_a_change_the_file_shows_neither_made_nor_undone(runner, valid_path):
    _add(valid_path, "先来园", 125.3500)
    intent = json.loads(_lines(valid_path)[0])
    stray = {**intent, "change": "20261201000000-fedcba", "txn": "0123456789ab", "version_after": "f" * 16,
             "version_before": "e" * 16, "summary": "update 先来园 (by 丙)"}  # fmt: skip
    with history.history_path(valid_path).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(stray, ensure_ascii=False) + "\n")
    checked = runner.invoke(main, ["validate", "--data", str(valid_path)])
    assert checked.exit_code == 1 and "disagree" in checked.output and "20261201000000-fedcba" in checked.output
    with store.lock(valid_path):
        history.settle(valid_path, _versions(valid_path))  # cannot decide: leaves it for the reader
    assert runner.invoke(main, ["validate", "--data", str(valid_path)]).exit_code == 1


def test_validate_reports_a_hand_edit_of_a_recorded_place_and_serve_records_it(runner, valid_path):
    from geo.server import EditorServer

    places.update_place("test-mall", {"notes": "记录过"}, valid_path)
    text = valid_path.read_text(encoding="utf-8")
    valid_path.write_text(text.replace('"notes": "记录过"', '"notes": "手改过"'), encoding="utf-8")
    checked = runner.invoke(main, ["validate", "--data", str(valid_path)])
    assert checked.exit_code == 1 and "changed outside geo" in checked.output, checked.output
    EditorServer(valid_path, "t" * 24)  # what `geo serve` does when it starts: the hand edit goes on record
    last = history.read_history(valid_path)[-1]
    assert (last["action"], last["place"], last["after"]["properties"]["notes"]) == ("outside", "test-mall", "手改过")
    assert last["before"]["properties"]["notes"] == "记录过"
    assert runner.invoke(main, ["validate", "--data", str(valid_path)]).exit_code == 0


# ------------------------------------------------------------------ the lock


def test_no_module_imports_fcntl():
    found = []
    for path in Path(__file__).parent.parent.joinpath("geo").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) else [])  # fmt: skip
            found += [f"{path.name}: {n}" for n in names if n and n.split(".")[0] == "fcntl"]
    assert found == []


def test_threads_of_one_process_adding_at_once_all_land_and_are_recorded(valid_path):
    errors = []

    def add(k):
        try:
            _add(valid_path, f"线程园{k}", 125.3400 + 0.001 * k)
        except Exception as err:  # collected and shown below
            errors.append(err)

    threads = [threading.Thread(target=add, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    names = {f["properties"]["name"] for f in store.load_collection(valid_path)["features"]}
    assert {f"线程园{k}" for k in range(6)} <= names
    assert len(history.read_history(valid_path)) == 6
    assert history.check(valid_path, _versions(valid_path)) == []


def test_a_lock_held_by_another_process_is_waited_for_then_refused(valid_path, monkeypatch):
    hold = ("import sys, time\nfrom filelock import FileLock\nheld = FileLock(sys.argv[1] + '.lock')\n"
            "held.acquire()\nprint('locked', flush=True)\ntime.sleep(600)\n")  # fmt: skip
    holder = subprocess.Popen([sys.executable, "-c", hold, str(valid_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("GEO_LOCK_TIMEOUT", "0.3")
        before = valid_path.read_bytes()
        with pytest.raises(StoreError, match=r"locked by another process \(waited 0.3 s\)"):
            _add(valid_path)
        assert valid_path.read_bytes() == before and not history.history_path(valid_path).exists()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    _add(valid_path)  # and works once it is free
    assert len(history.read_history(valid_path)) == 1
