"""Nothing lost under faults (issue 25), against a real `geo serve` on 127.0.0.1.

A hand edit survives the next save, a file the server cannot load refuses every save, a full disk or an
unwritable history changes neither the file nor the history, `kill -9` during saves leaves the two agreeing,
a lock held by another process never stops reads, and the API reads JSON types strictly.
"""

import hashlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from _fork import run_geo

from geo import history, render, store

from _server import REPO, data_in_git_repo, hand_edit, running, start, stop

MULIN = "mulin-pocket-park"
CHUANGYI = "chuangyi-pocket-park"
HOLD = """
import sys, time
from filelock import FileLock
held = FileLock(sys.argv[1] + ".lock")
held.acquire()
print("locked", flush=True)
time.sleep(600)
"""


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wait_for(condition, what, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _props(path, ident):
    return next(f["properties"] for f in store.load_collection(path)["features"] if f["properties"]["id"] == ident)


def _park(name, k=0, **extra):
    return {"editor": "测试", "name": name, "area": "5000", "source": "test", "datum": "wgs84",
            "geometry": {"type": "Point", "coordinates": [round(125.318 + 0.0006 * (k % 50), 6),
                                                          round(43.835 + 0.0005 * (k // 50 % 20), 6)]}, **extra}  # fmt: skip


SQUARE = [[125.3300, 43.8400], [125.3309, 43.8400], [125.3309, 43.8407], [125.3300, 43.8407], [125.3300, 43.8400]]


def _every_write(served):
    """One request on each write route, each one that would land on a healthy server."""
    mulin, chuangyi = served.version(MULIN), served.version(CHUANGYI)
    return {
        "add": served.write("POST", "/api/places", _park("新写园", 999)),
        "update": served.write(
            "PATCH", f"/api/places/{MULIN}", {"editor": "甲", "version": mulin, "changes": {"notes": "x"}}
        ),
        "locate": served.write(
            "PUT",
            f"/api/places/{MULIN}/location",
            {"editor": "甲", "version": mulin, "lonlat": [125.3341, 43.8412], "source": "s"},
        ),
        "outline": served.write(
            "PUT",
            f"/api/places/{MULIN}/outline",
            {
                "editor": "甲",
                "version": mulin,
                "confirm_area": True,
                "reason": "测试理由 test reason",
                "source": "site plan",
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
            },
        ),
        "remove": served.write("DELETE", f"/api/places/{CHUANGYI}", {"editor": "甲", "version": chuangyi}),
        "undo": served.write("POST", "/api/undo/20260101000000-abcdef", {"editor": "甲"}),
    }


def _first_event(served):
    with httpx.stream("GET", served.client.base_url.join("/api/events"), timeout=30) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                return json.loads(line[5:])
    return None


# ------------------------------------------------------------------ hand edits, unreadable files


def test_a_hand_edit_survives_and_a_file_that_cannot_be_loaded_refuses_every_save(served):
    hand_edit(served.data, MULIN, address="手改的地址")
    hand_edit(served.data, CHUANGYI, status="opne")  # a typo: the file no longer loads
    edited = _digest(served.data)
    # hand_edit rewrites the file in place, so a busy server may first see it half written (also a file error):
    # the wait is for the error that names the typo.
    broken = _wait_for(
        lambda: "opne" in (error := served.client.get("/api/places").json()["file_error"] or "") and error,
        "the server to see the typo",
    )
    assert "opne" in broken and "cannot be loaded" in broken
    for route, answer in _every_write(served).items():
        assert answer.status_code == 503, (route, answer.text)
        assert "cannot be loaded" in answer.json()["error"] and "Traceback" not in answer.text
    assert _digest(served.data) == edited  # never written over
    event = _first_event(served)  # a page opened now hears why at once (its summary line shows it)
    assert event["error"] == broken and event["summary"] == broken
    assert history.read_history(served.data) == []
    hand_edit(served.data, CHUANGYI, status="open")
    _wait_for(lambda: served.client.get("/api/places").json()["file_error"] is None, "the fixed file to load")
    body = {"editor": "乙", "version": served.version(CHUANGYI), "changes": {"notes": "浏览器里保存"}}
    assert served.write("PATCH", f"/api/places/{CHUANGYI}", body).status_code == 200
    assert _props(served.data, MULIN)["address"] == "手改的地址"  # the hand edit is still there
    assert _props(served.data, CHUANGYI)["notes"] == "浏览器里保存"
    outside = [r for r in history.read_history(served.data) if r["action"] == "outside"]  # and on record
    assert [(r["place"], r["after"]["properties"]["address"]) for r in outside] == [(MULIN, "手改的地址")]
    assert outside[0]["before"]["properties"].get("address") != "手改的地址"
    undone = served.write("POST", f"/api/undo/{outside[0]['change']}", {"editor": "乙"})  # a hand edit can be undone
    assert undone.status_code == 200, undone.text
    assert _props(served.data, MULIN).get("address") == outside[0]["before"]["properties"].get("address")
    checked = run_geo(["validate", "--data", str(served.data)], timeout=120)
    assert checked.returncode == 0, checked.stderr


def test_a_save_right_after_a_hand_edit_keeps_it(served):
    """No waiting for the watcher: the save itself sees the file changed and loads it first."""
    hand_edit(served.data, MULIN, address="刚改的地址")
    body = {"editor": "乙", "version": served.version(CHUANGYI), "changes": {"notes": "紧接着保存"}}
    answer = served.write("PATCH", f"/api/places/{CHUANGYI}", body)
    assert answer.status_code in (200, 409), answer.text  # 409 only if the version read predates the reload
    if answer.status_code == 409:
        body["version"] = answer.json()["version"]
        assert served.write("PATCH", f"/api/places/{CHUANGYI}", body).status_code == 200
    assert _props(served.data, MULIN)["address"] == "刚改的地址"


def _listen_for_first_event(served):
    """Listen to the editor's event stream in a thread until its first event; return (events heard, the thread).

    Returns once the server has subscribed the stream (its first line, ``retry:``), so a change made next is heard.
    """
    heard, subscribed = [], threading.Event()

    def listen():
        with httpx.stream("GET", served.client.base_url.join("/api/events"), timeout=90) as stream:
            for line in stream.iter_lines():
                if line.startswith("retry:"):
                    subscribed.set()
                if line.startswith("data:"):
                    heard.append(json.loads(line[5:]))
                    return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert subscribed.wait(60), "the event stream did not open"
    return heard, thread


def test_a_file_replaced_by_a_rename_reaches_every_open_page_and_the_record(served):
    """An editor's or git's save (a new file renamed over the old, which ends any watch on the file itself)."""
    heard, reader = _listen_for_first_event(served)
    obj = json.loads(served.data.read_text(encoding="utf-8"))
    for f in obj["features"]:
        if f["properties"]["id"] == MULIN:
            f["properties"]["notes"] = "换了文件"
    fresh = served.data.with_name("locations.geojson.new")
    fresh.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(fresh, served.data)
    reader.join(60)
    assert heard and heard[0]["changed"] == [MULIN] and heard[0]["by"] == "(outside the editor)", heard
    assert served.client.get(f"/api/places/{MULIN}").json()["feature"]["properties"]["notes"] == "换了文件"
    outside = [r for r in history.read_history(served.data) if r["action"] == "outside"]
    assert [(r["place"], r["after"]["properties"]["notes"]) for r in outside] == [(MULIN, "换了文件")]


def test_an_unwritable_history_refuses_every_save_and_changes_nothing(served):
    where = history.history_path(served.data)
    where.mkdir()  # a folder where the history should be
    digest = _digest(served.data)
    for _attempt in range(2):  # and again on a retry
        for route, answer in _every_write(served).items():
            assert answer.status_code == 503 and "history" in answer.json()["error"], (route, answer.text)
        good = {"editor": "甲", "version": served.version(MULIN), "changes": {"notes": "记不下来"}}
        answer = served.write("PATCH", f"/api/places/{MULIN}", good)
        assert answer.status_code == 503 and "history" in answer.json()["error"], answer.text
        assert _digest(served.data) == digest
    where.rmdir()
    good = {"editor": "甲", "version": served.version(MULIN), "changes": {"notes": "记下来了"}}
    saved = served.write("PATCH", f"/api/places/{MULIN}", good)
    assert saved.status_code == 200, saved.text
    assert [r["change"] for r in history.read_history(served.data)] == [saved.json()["change"]]


# ------------------------------------------------------------------ a full disk


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a 2 MB tmpfs under CI: {done.stderr.strip()}")
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount, leave):
    """Fill the disk but for about ``leave`` bytes."""
    filler = mount / "filler"
    filler.unlink(missing_ok=True)
    info = os.statvfs(mount)
    size = max(info.f_bavail * info.f_frsize - leave, 0)
    with filler.open("wb") as handle:
        handle.write(b"\0" * size)


def _park_ids(path, prefix):
    return {f["properties"]["id"] for f in store.load_collection(path)["features"]
            if f["properties"]["name"].startswith(prefix)}  # fmt: skip


def _history_ids(path, prefix):
    return {r["place"] for r in history.read_history(path)
            if r["action"] == "add" and r["after"]["properties"]["name"].startswith(prefix)}  # fmt: skip


def test_a_full_disk_changes_the_file_and_the_history_together_or_not_at_all(small_disk, tmp_path):
    data = small_disk / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", data)
    served = start(data, log=tmp_path / "serve.log")
    outcomes = {}
    try:
        for k, leave in enumerate(range(0, 160_000, 4_000)):
            _fill(small_disk, leave)
            answer = served.write("POST", "/api/places", _park(f"满盘园{k}", k))
            assert answer.status_code in (201, 503), answer.text
            assert (
                "Traceback" not in answer.text
                and len(answer.json()["error" if answer.status_code == 503 else "id"]) > 0
            )
            outcomes[f"满盘园{k}"] = answer.status_code
            assert history.check(data, store.snapshot(data).versions) == []  # no torn line, nothing unsettled astray
        assert set(outcomes.values()) == {201, 503}, outcomes  # both happened: the disk was full, then not
        (small_disk / "filler").unlink()
        last = served.write("POST", "/api/places", _park("满盘园最后", 99))  # settles anything left open first
        assert last.status_code == 201, last.text
    finally:
        stop(served)
    in_file, in_history = _park_ids(data, "满盘园"), _history_ids(data, "满盘园")
    assert in_file == in_history  # every change in the file is in the history, and the other way round
    acknowledged = {n for n, code in outcomes.items() if code == 201}
    named = {f["properties"]["name"] for f in store.load_collection(data)["features"]}
    assert {n for n in outcomes if n in named} == acknowledged  # a 503 left nothing behind
    undone = run_geo(["undo", last.json()["change"], "--data", str(data)], timeout=120)
    assert undone.returncode == 0, undone.stderr
    checked = run_geo(["validate", "--data", str(data)], timeout=120)
    assert checked.returncode == 0, checked.stderr


# ------------------------------------------------------------------ kill -9


@pytest.mark.slow
def test_kill_9_during_saves_leaves_the_file_and_the_history_agreeing(data, tmp_path):
    """Kill the server at random moments while parks are added: afterwards each is in both or in neither."""
    rng = random.Random(25)
    acknowledged: list[str] = []
    tried = 0  # also numbers the parks, so no two stand on the same spot
    for round_ in range(20):
        served = start(data, log=tmp_path / "serve.log")
        mine: list[str] = []
        stop_saving = threading.Event()

        def burst(served=served, mine=mine, round_=round_, stop_saving=stop_saving):
            nonlocal tried
            for k in range(10_000):
                if stop_saving.is_set():
                    return
                tried += 1
                try:
                    answer = served.write("POST", "/api/places", _park(f"压测园{round_}-{k}", tried))
                except httpx.TransportError:
                    return
                if answer.status_code == 201:
                    mine.append(answer.json()["id"])

        saver = threading.Thread(target=burst)
        saver.start()
        _wait_for(lambda mine=mine: mine, "a first acknowledged save in this round")
        time.sleep(rng.uniform(0, 0.3))  # then kill at a random moment, most likely mid-save
        served.proc.kill()
        stop_saving.set()
        saver.join(timeout=60)
        stop(served, kill=True)
        acknowledged += mine
    with store.lock(data):  # what the next start does: settle what the last kill left open
        history.settle(data, store.snapshot(data).versions)
    in_file, in_history = _park_ids(data, "压测园"), _history_ids(data, "压测园")
    assert in_file == in_history, (sorted(in_file - in_history), sorted(in_history - in_file))
    assert set(acknowledged) <= in_file, f"acknowledged but lost: {sorted(set(acknowledged) - in_file)}"
    assert history.check(data, store.snapshot(data).versions) == []
    versions = store.snapshot(data).versions
    for record in history.read_history(data):
        assert versions[record["place"]] == record["version_after"], record["change"]
    print(f"{tried} saves tried, {len(acknowledged)} acknowledged, {len(in_file)} in file and history")


# ------------------------------------------------------------------ a lock held elsewhere


def _hold(data):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(data)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def _release(holder):
    if holder.poll() is None:
        holder.kill()
    holder.wait()
    holder.stdout.close()


def test_reads_keep_answering_while_another_process_holds_the_lock(data):
    with running(data, env={"GEO_LOCK_TIMEOUT": "300"}) as served:
        holder = _hold(data)
        try:
            results = {}
            body = {"editor": "甲", "version": served.version(MULIN), "changes": {"notes": "等锁"}}
            patient = httpx.Client(base_url=served.client.base_url, timeout=600)

            def save():
                results["save"] = patient.patch(f"/api/places/{MULIN}", json=body, headers={
                    "X-Geo-Token": served.token, "Content-Type": "application/json"})  # fmt: skip

            saver = threading.Thread(target=save)
            saver.start()
            time.sleep(1)  # let the save reach the lock
            for path in ("/api/places/" + MULIN, "/api/places", "/api/history", "/api/payload", "/"):
                assert served.client.get(path).status_code == 200, path  # the client gives up after 10 s
            assert saver.is_alive() and "save" not in results  # the save still waits; the reads did not
            _release(holder)
            saver.join(timeout=300)
            patient.close()
            assert results["save"].status_code == 200, results["save"].text
            assert _props(data, MULIN)["notes"] == "等锁"
        finally:
            _release(holder)


def test_a_save_gives_up_on_a_held_lock_with_503_and_the_reason(data):
    with running(data, env={"GEO_LOCK_TIMEOUT": "0.5"}) as served:
        holder = _hold(data)
        try:
            digest = _digest(data)
            body = {"editor": "甲", "version": served.version(MULIN), "changes": {"notes": "等不到"}}
            answer = served.write("PATCH", f"/api/places/{MULIN}", body)
            assert answer.status_code == 503 and "locked by another process" in answer.json()["error"], answer.text
            assert _digest(data) == digest and history.read_history(data) == []
        finally:
            _release(holder)


# ------------------------------------------------------------------ strict types, no tracebacks


@pytest.mark.parametrize(
    ("method", "route", "member", "value"),
    [
        ("POST", "/api/places", "confirm_area", "false"),
        ("POST", "/api/places", "dry_run", "true"),
        ("POST", "/api/places", "dry_run", 1),
        ("POST", "/api/places", "uncertainty_m", True),
        ("POST", "/api/places", "uncertainty_m", "20"),
        ("POST", "/api/places", "name-en", True),
        ("POST", "/api/places", "name-en", -1),
        ("POST", "/api/places", "name-en", 1.5),
        ("POST", "/api/places", "name-en", ["a"]),
        ("POST", "/api/places", "name-en", {"a": 1}),
        ("POST", "/api/places", "class", ["游园"]),
        ("POST", "/api/places", "class", {"a": "游园"}),
        ("POST", "/api/places", "area", True),
        ("PUT", f"/api/places/{MULIN}/location", "uncertainty_m", True),
        ("PUT", f"/api/places/{MULIN}/location", "dry_run", "false"),
        ("PUT", f"/api/places/{MULIN}/outline", "confirm_area", "false"),
        ("PATCH", f"/api/places/{MULIN}", "dry_run", "no"),
    ],
)
def test_a_member_of_the_wrong_json_type_is_422_naming_it(served, method, route, member, value):
    digest = _digest(served.data)
    version = served.version(MULIN)
    base = {
        "POST": _park("类型园"),
        "PUT": {
            "editor": "甲",
            "version": version,
            "lonlat": [125.3341, 43.8412],
            "source": "site visit",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[125.33, 43.84], [125.331, 43.84], [125.331, 43.841], [125.33, 43.84]]],
            },
        },
        "PATCH": {"editor": "甲", "version": version, "changes": {"notes": "x"}},
    }[method]
    answer = served.write(method, route, {**base, member: value})
    assert answer.status_code == 422, answer.text
    first = answer.json()["problems"][0]
    assert (first["where"], first["field"], first["code"]) == (member, member, "member_type"), answer.text
    assert "expected" in answer.json()["error"] and "应为" in answer.json()["error"]
    assert _digest(served.data) == digest


def test_a_yes_or_no_is_not_a_number_in_changes_either(served):
    digest = _digest(served.data)
    body = {"editor": "甲", "version": served.version(MULIN), "changes": {"uncertainty": True}}
    answer = served.write("PATCH", f"/api/places/{MULIN}", body)
    assert answer.status_code == 422 and answer.json()["problems"][0]["where"] == "changes.uncertainty", answer.text
    assert _digest(served.data) == digest


def test_odd_paths_are_404_not_500_and_lib_serves_only_the_pages_files(served):
    for path in ("/lib/leaflet@1.9.4/%00", "/lib/leaflet@1.9.4/dist/%00.js", "/lib/leaflet.fullscreen@3.0.0/index.html",
                 "/lib/leaflet@1.9.4/package.json", "/lib/leaflet-draw@1.0.4/docs/index.html"):  # fmt: skip
        answer = served.client.get(path)
        assert answer.status_code == 404, (path, answer.status_code)
        assert "Traceback" not in answer.text
    if (REPO / "node_modules" / "leaflet" / "package.json").is_file():
        page = served.client.get("/").text
        for path in ("/lib/leaflet@1.9.4/dist/leaflet.js", "/lib/leaflet@1.9.4/dist/images/layers.png",
                     "/lib/leaflet.fullscreen@3.0.0/Control.FullScreen.js"):  # fmt: skip
            assert served.client.get(path).status_code == 200, path
        assert "lib/leaflet@1.9.4/dist/leaflet.js" in page


def test_the_nonce_never_replaces_text_in_data(served):
    body = {"editor": "甲", "version": served.version(MULIN), "changes": {"notes": "n=__GEO_NONCE__"}}
    assert served.write("PATCH", f"/api/places/{MULIN}", body).status_code == 200
    answer = served.client.get("/")
    nonce = answer.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    # The note, as written, in the page's (packed) payload: the nonce was never put in by replacing text.
    match = re.search(r'<script[^>]* id="atlas-data-[^"]+"[^>]*>(.*?)</script>', answer.text, re.S)
    assert match and "n=__GEO_NONCE__" in json.dumps(
        render.unpack_payload(json.loads(match.group(1))), ensure_ascii=False
    )
    tags = answer.text.count("<script") + answer.text.count(f'<style nonce="{nonce}"')
    assert answer.text.count(nonce) == tags and answer.text.count("<script") >= 3  # on tags only: scripts, our styles


# ------------------------------------------------------------------ what is recorded


def test_a_removal_is_recorded_with_after_null_and_announced_as_removed(served):
    received, listener = _listen_for_first_event(served)
    answer = served.write("DELETE", f"/api/places/{MULIN}", {"editor": "张三", "version": served.version(MULIN)})
    assert answer.status_code == 200 and answer.json()["feature"] is None
    record = history.read_history(served.data, MULIN)[-1]
    assert (record["action"], record["after"], record["version_after"]) == ("remove", None, None)
    assert record["before"]["properties"]["id"] == MULIN
    listener.join(timeout=60)
    assert received and (received[0]["changed"], received[0]["removed"]) == ([], [MULIN])


def test_commit_with_nothing_to_commit_is_not_a_failure(tmp_path):
    data, git = data_in_git_repo(tmp_path)
    with running(data, "--commit") as served:
        notes = _props(data, MULIN).get("notes")
        same = {"editor": "甲", "version": served.version(MULIN), "changes": {"notes": notes}}
        answer = served.write("PATCH", f"/api/places/{MULIN}", same)  # a save that changes nothing
        assert answer.status_code == 200 and answer.json()["unchanged"] and answer.json()["commit"] is None, answer.text
        assert history.read_history(data) == []
        real = served.write("PATCH", f"/api/places/{MULIN}", {**same, "changes": {"notes": "真改"}})
        assert real.status_code == 200 and real.json()["commit"], real.text
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(log) == 2


# ------------------------------------------------------------------ slow clients


def test_slow_headers_and_bodies_are_cut_off_while_others_are_served(data):
    with running(data, env={"GEO_HEADER_TIMEOUT": "2", "GEO_BODY_TIMEOUT": "2"}) as served:
        slow = []
        for _ in range(100):
            sock = socket.create_connection(("127.0.0.1", served.port), timeout=60)
            sock.sendall(b"GET /api/places HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
            slow.append(sock)
        assert served.client.get(f"/api/places/{MULIN}").status_code == 200  # others are served meanwhile
        for sock in slow:
            assert sock.recv(1024) == b""  # closed by the server (recv waits at most the socket's 60 s)
            sock.close()
        with socket.create_connection(("127.0.0.1", served.port), timeout=60) as sock:
            sock.sendall(f"PATCH /api/places/{MULIN} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
                         f"X-Geo-Token: {served.token}\r\nContent-Type: application/json\r\n"
                         "Content-Length: 100\r\n\r\n{\"editor\":".encode())  # fmt: skip
            reply = sock.recv(4096)
            assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
