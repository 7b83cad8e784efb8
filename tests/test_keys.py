"""A key per person on a real `geo serve`: roles per route, proposals, revocation, throttling, no leaks."""

import hashlib
import json
import subprocess
import threading

import httpx
import pytest
from _fork import run_geo

from geo.editors import Roster, add_editor, editors_path
from geo.history import read_history
from geo.proposals import proposals_path

from _server import data_in_git_repo, running, start, stop

MULIN = "mulin-pocket-park"
CHUANGYI = "chuangyi-pocket-park"
NANXI = "nanxi-wetland-park"
ROLES = ("proposer", "editor", "reviewer")
NAMES = {"proposer": "李居民", "editor": "赵编辑", "reviewer": "王规划"}
RECT = [[125.3300, 43.8400], [125.3300, 43.8407], [125.3310, 43.8407], [125.3310, 43.8400], [125.3300, 43.8400]]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def keys(data):
    return {role: add_editor(data, NAMES[role], role)[1] for role in ROLES}


def _call(served, method, path, body=None, key=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key is not None:
        headers["X-Geo-Token"] = key
    return served.client.request(method, path, json=body, headers=headers)


def _location(served, ident=MULIN, **extra):
    return {"version": served.version(ident), "lonlat": [125.3341, 43.8412], "datum": "wgs84",
            "source": "site visit 2026-11-20", "uncertainty_m": 20, **extra}  # fmt: skip


def _park(**extra):
    return {"name": "方园", "area": "6,400", "class": "游园", "status": "open", "source": "site plan",
            "geometry": {"type": "Polygon", "coordinates": [RECT]}, "datum": "wgs84", **extra}  # fmt: skip


# Each write route with a body that its checks answer without writing (a dry run, a stale version, an unknown id),
# and the status a role allowed to use it gets.
def _routes(served):
    v = served.version
    return {
        "add": ("POST", "/api/places", _park(dry_run=True), 200),
        "update": ("PATCH", f"/api/places/{NANXI}", {"version": v(NANXI), "changes": {"status": "open", "status-source": "测试来源 test"}, "dry_run": True}, 200),
        "locate": ("PUT", f"/api/places/{MULIN}/location", _location(served, dry_run=True), 200),
        "outline": ("PUT", f"/api/places/{NANXI}/outline", {"version": "0" * 16, "geometry": {"type": "Polygon", "coordinates": [RECT]}, "source": "plan", "datum": "wgs84"}, 409),
        "remove": ("DELETE", f"/api/places/{NANXI}", {"version": "0" * 16}, 409),
        "undo": ("POST", "/api/undo/20260101000000-abcdef", {}, 422),
        "propose": ("POST", "/api/proposals", {"kind": "location", "place": MULIN, **_location(served)}, 201),
        "approve": ("POST", "/api/proposals/p20260101000000-abcdef/approve", {"version": v(MULIN)}, 422),
        "decline": ("POST", "/api/proposals/p20260101000000-abcdef/decline", {"reason": "duplicate"}, 422),
    }  # fmt: skip


ALLOWED = {
    None: set(),
    "proposer": {"propose"},
    "editor": {"add", "update", "locate", "outline", "remove", "undo", "propose"},
    "reviewer": {"add", "update", "locate", "outline", "remove", "undo", "propose", "approve", "decline"},
}


def test_each_role_against_every_write_route(data, keys):
    digest = _digest(data)
    with running(data) as served:
        assert "#token=" not in served.url  # with an editors file there is no shared token to print
        seen = {}
        for role in (None, *ROLES):
            for route, (method, path, body, allowed) in _routes(served).items():
                answer = _call(served, method, path, body, keys.get(role))
                seen[role, route] = answer.status_code
                want = allowed if route in ALLOWED[role] else (401 if role is None else 403)
                assert answer.status_code == want, (role, route, answer.text)
                if answer.status_code == 403:
                    assert NAMES[role] in answer.json()["error"] and "无权限" in answer.json()["error"]
        me = {role: _call(served, "GET", "/api/me", key=keys[role]).json() for role in ROLES}
        assert {r: (m["name"], m["role"]) for r, m in me.items()} == {r: (NAMES[r], r) for r in ROLES}
        assert _call(served, "GET", "/api/me").status_code == 401
    assert _digest(data) == digest  # nothing above wrote the data (the proposals went to the queue)
    assert len(json.loads(proposals_path(data).read_text(encoding="utf-8"))["proposals"]) == 3


def test_a_proposal_leaves_the_data_untouched_until_a_reviewer_approves_it(data, keys):
    digest = _digest(data)
    with running(data) as served:
        located = _call(served, "POST", "/api/proposals", {"kind": "location", "place": MULIN, **_location(served)},
                        keys["proposer"])  # fmt: skip
        added = _call(served, "POST", "/api/proposals", {"kind": "add", **_park()}, keys["proposer"])
        bad = _call(served, "POST", "/api/proposals", {"kind": "location", "place": MULIN,
                                                       **_location(served, lonlat=[125.25, 43.91], source="")},
                    keys["proposer"])  # fmt: skip
        assert (located.status_code, added.status_code) == (201, 201), (located.text, added.text)
        assert bad.status_code == 422 and len(bad.json()["problems"]) >= 2  # checked like a save, every problem
        assert _digest(data) == digest and not read_history(data)
        mine = _call(served, "GET", "/api/proposals", key=keys["proposer"]).json()["proposals"]
        assert [(p["kind"], p["state"], p["proposer"]) for p in mine] == [("location", "pending", "李居民"),
                                                                         ("add", "pending", "李居民")]  # fmt: skip
        queue = _call(served, "GET", "/api/proposals", key=keys["reviewer"]).json()["proposals"]
        beside = queue[0]
        assert beside["current"]["geometry"] is None and beside["proposed"]["geometry"]["type"] == "Point"
        pid, add_id = located.json()["proposal"]["id"], added.json()["proposal"]["id"]
        assert _call(served, "POST", f"/api/proposals/{pid}/approve", {"version": beside["current_version"]},
                     keys["editor"]).status_code == 403  # fmt: skip
        stale = _call(served, "POST", f"/api/proposals/{pid}/approve", {"version": "0" * 16}, keys["reviewer"])
        assert stale.status_code == 409 and _digest(data) == digest  # the place changed since the reviewer looked
        approved = _call(served, "POST", f"/api/proposals/{pid}/approve", {"version": beside["current_version"]},
                         keys["reviewer"])  # fmt: skip
        assert approved.status_code == 200, approved.text
        no_reason = _call(served, "POST", f"/api/proposals/{add_id}/decline", {"reason": " "}, keys["reviewer"])
        declined = _call(served, "POST", f"/api/proposals/{add_id}/decline", {"reason": "已有同名公园 · duplicate"},
                         keys["reviewer"])  # fmt: skip
        assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]
        assert declined.status_code == 200
        again = _call(served, "POST", f"/api/proposals/{pid}/approve", {"version": served.version(MULIN)},
                      keys["reviewer"])  # fmt: skip
        assert again.status_code == 422 and "already approved" in again.json()["error"]
        states = {p["id"]: p for p in _call(served, "GET", "/api/proposals", key=keys["proposer"]).json()["proposals"]}
    assert (states[pid]["state"], states[pid]["reviewer"]) == ("approved", "王规划")
    assert (states[add_id]["state"], states[add_id]["reason"]) == ("declined", "已有同名公园 · duplicate")
    (record,) = read_history(data)
    assert (record["editor"], record["proposer"], record["proposal"], record["place"]) == (
        "王规划",
        "李居民",
        pid,
        MULIN,
    )
    assert record["summary"] == "add 睦邻园 location (placed by 王规划, proposed by 李居民)"
    assert record["change"] == states[pid]["change"]
    assert "方园" not in data.read_text(encoding="utf-8")


def test_a_correction_is_approved_and_each_proposer_sees_only_their_own(data, keys):
    _, other = add_editor(data, "周记者", "proposer")
    with running(data) as served:
        fix = _call(served, "POST", "/api/proposals", {"kind": "update", "place": CHUANGYI,
                                                       "changes": {"status": "planned", "status-source": "测试来源 test"}}, keys["proposer"])  # fmt: skip
        mine = _call(served, "POST", "/api/proposals", {"kind": "update", "place": NANXI,
                                                        "changes": {"status": "under_construction", "status-source": "测试来源 test"}}, other)  # fmt: skip
        unknown = _call(served, "POST", "/api/proposals", {"kind": "delete", "place": NANXI}, other)
        assert (fix.status_code, mine.status_code, unknown.status_code) == (201, 201, 422), unknown.text
        seen = {name: [p["proposer"] for p in _call(served, "GET", "/api/proposals", key=k).json()["proposals"]]
                for name, k in (("李居民", keys["proposer"]), ("周记者", other), ("王规划", keys["reviewer"]))}  # fmt: skip
        assert seen == {"李居民": ["李居民"], "周记者": ["周记者"], "王规划": ["李居民", "周记者"]}
        pid = fix.json()["proposal"]["id"]
        done = _call(served, "POST", f"/api/proposals/{pid}/approve", {"version": served.version(CHUANGYI)},
                     keys["reviewer"])  # fmt: skip
        assert done.status_code == 200, done.text
    place = next(f for f in json.loads(data.read_text(encoding="utf-8"))["features"]
                 if f["properties"]["id"] == CHUANGYI)  # fmt: skip
    assert place["properties"]["status"] == "planned"
    (record,) = read_history(data)
    assert (record["action"], record["editor"], record["proposer"]) == ("update", "王规划", "李居民")


def _listen(url, key, lines, opened, closed):
    """Read an event stream into ``lines``; ``closed`` is set when the server ended it cleanly."""
    headers = {"X-Geo-Token": key} if key else {}
    try:
        with httpx.stream("GET", url, headers=headers, timeout=120) as stream:
            opened.set()
            for line in stream.iter_lines():
                lines.append(line)
    except httpx.HTTPError as err:  # the server stopped mid-stream (the end of a test): not a clean close
        lines.append(f"error: {err!r}")
        return
    closed.set()


def test_the_key_names_who_wrote_never_the_body(tmp_path):
    data, git = data_in_git_repo(tmp_path, "locations.geojson")
    _, key = add_editor(data, "赵编辑", "editor")
    served = start(data, "--commit")
    try:
        lines, opened, closed = [], threading.Event(), threading.Event()
        url = str(served.client.base_url.join("/api/events"))
        threading.Thread(target=_listen, args=(url, None, lines, opened, closed), daemon=True).start()
        assert opened.wait(120)
        body = {"editor": "张三\u202e", **_location(served)}
        answer = _call(served, "PUT", f"/api/places/{MULIN}/location", body, key)
        assert answer.status_code == 200, answer.text
        events = []
        for _ in range(1200):  # a condition: the event has arrived (bounded so a broken server cannot hang the suite)
            events = [json.loads(x[5:]) for x in list(lines) if x.startswith("data:")]
            if events:
                break
            closed.wait(0.05)
        assert events and events[0]["by"] == "赵编辑", lines
    finally:
        stop(served)
    (record,) = read_history(data)
    assert record["editor"] == "赵编辑" and "张三" not in json.dumps(record, ensure_ascii=False)
    log = subprocess.run([*git, "log", "-1", "--format=%an|%s"], capture_output=True, text=True, check=True).stdout
    assert log.strip() == "赵编辑|add 睦邻园 location (placed by 赵编辑)"


def test_a_revoked_key_is_refused_at_once_and_its_event_stream_closes(data, keys):
    with running(data) as served:
        assert _call(served, "POST", "/api/places", _park(dry_run=True), keys["editor"]).status_code == 200
        lines, opened, closed = [], threading.Event(), threading.Event()
        url = str(served.client.base_url.join("/api/events"))
        threading.Thread(target=_listen, args=(url, keys["editor"], lines, opened, closed), daemon=True).start()
        viewer_lines, viewer_open, viewer_closed = [], threading.Event(), threading.Event()
        threading.Thread(
            target=_listen, args=(url, None, viewer_lines, viewer_open, viewer_closed), daemon=True
        ).start()
        assert opened.wait(120) and viewer_open.wait(120)
        done = run_geo(["editors", "revoke", "赵编辑", "--data", str(data)], timeout=120)
        assert done.returncode == 0, done.stderr
        answer = _call(served, "POST", "/api/places", _park(dry_run=True), keys["editor"])
        assert answer.status_code == 401 and "撤销" in answer.json()["error"]
        assert closed.wait(60), "the revoked key's event stream is still open"
        assert not viewer_closed.is_set()  # a viewer's stream (no key) stays open
        assert _call(served, "POST", "/api/places", _park(dry_run=True), keys["reviewer"]).status_code == 200


def test_a_burst_of_wrong_keys_is_throttled_while_a_right_key_works(data, keys):
    with running(data) as served:
        right = keys["editor"]
        assert _call(served, "POST", "/api/places", _park(dry_run=True), right).status_code == 200
        key_id = right.split(".")[0]
        guesses = [f"{key_id}.guess{i:02d}" if i % 2 else f"{i:012x}.guess" for i in range(50)]
        statuses = [_call(served, "POST", "/api/places", _park(dry_run=True), g).status_code for g in guesses]
        assert set(statuses) == {401, 429} and statuses[-1] == 429 and statuses.count(429) >= 35, statuses
        assert statuses.index(429) > 0 and 429 not in statuses[: statuses.index(429)]  # once throttled, it stays so
        assert _call(served, "POST", "/api/places", _park(dry_run=True), right).status_code == 200
        assert served.client.get("/api/places").status_code == 200  # reads need no key and are not slowed
        assert served.client.get("/").status_code == 200


def test_keys_never_leak_and_the_editors_file_is_never_served(data, keys):
    stored = json.loads(editors_path(data).read_text(encoding="utf-8"))
    secrets_at_rest = [e["hash"] for e in stored["editors"]] + [e["salt"] for e in stored["editors"]]
    assert not any(k in editors_path(data).read_text(encoding="utf-8") for k in keys.values())
    bodies = []
    with running(data) as served:
        pid = _call(served, "POST", "/api/proposals", {"kind": "location", "place": MULIN, **_location(served)},
                    keys["proposer"]).json()["proposal"]["id"]  # fmt: skip
        bodies.append(_call(served, "POST", f"/api/proposals/{pid}/approve", {"version": served.version(MULIN)},
                            keys["reviewer"]).text)  # fmt: skip
        bodies.append(_call(served, "POST", "/api/places", _park(dry_run=True), keys["proposer"]).text)
        bodies.append(_call(served, "POST", "/api/places", _park(), keys["editor"] + "x").text)
        bodies.append(_call(served, "POST", "/api/places", {"name": 5}, keys["editor"]).text)
        bodies += [_call(served, "GET", p, key=keys["reviewer"]).text for p in ("/", "/api/me", "/api/proposals",
                                                                                  "/api/history", "/api/places")]  # fmt: skip
        for path in ("/locations.editors.json", "/data/locations.editors.json", "/api/places/locations.editors.json",
                     "/lib/leaflet@1.9.4/..%2F..%2F..%2Flocations.editors.json", "/locations.proposals.json",
                     "/api/editors", "/.locations.editors.json.lock"):  # fmt: skip
            answer = served.client.get(path)
            assert answer.status_code in (404, 405), (path, answer.status_code)
            bodies.append(answer.text)
    texts = [*bodies, served.log.read_text(encoding="utf-8"), data.read_text(encoding="utf-8"),
             proposals_path(data).read_text(encoding="utf-8"),
             data.with_name("locations.history.jsonl").read_text(encoding="utf-8")]  # fmt: skip
    for secret in [*keys.values(), *(k.split(".")[1] for k in keys.values()), *secrets_at_rest]:
        assert not any(secret in text for text in texts), "a key or its hash leaked"


def test_geo_editors_prints_the_key_once_and_keeps_only_its_hash(data):
    def geo(*args):
        return run_geo(["editors", *args, "--data", str(data)], timeout=120)

    added = geo("add", "王规划", "--role", "reviewer", "--url", "http://127.0.0.1:9000/")
    assert added.returncode == 0, added.stderr
    key = added.stdout.split("key (shown only now): ")[1].split()[0]
    assert f"http://127.0.0.1:9000/#token={key}" in added.stdout
    assert key not in editors_path(data).read_text(encoding="utf-8")
    assert editors_path(data).stat().st_mode & 0o077 == 0  # readable by its owner only
    roster = Roster(data)
    assert (
        roster.resolve(key).name == "王规划"
        and roster.resolve(key[:-1] + "A" if key[-1] != "A" else key[:-1] + "B") is None
    )
    spoof = geo("add", "张三\u202e", "--role", "editor")
    assert spoof.returncode == 1 and "U+202E" in spoof.stderr
    again = geo("add", "王规划", "--role", "editor")
    assert again.returncode == 1 and "already has a key" in again.stderr
    assert geo("add", "x", "--role", "admin").returncode == 2
    listed = geo("list")
    assert "王规划\treviewer" in listed.stdout and "working" in listed.stdout and key not in listed.stdout
    assert geo("revoke", "王规划").returncode == 0
    assert Roster(data).resolve(key) is None
    assert "revoked" in geo("list").stdout
    missing = geo("revoke", "nobody")
    assert missing.returncode == 1 and "no working key" in missing.stderr
