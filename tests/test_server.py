"""`geo serve` over real HTTP on 127.0.0.1: what it refuses, what it saves, and that it never loses a save."""

import hashlib
import json
import random
import re
import subprocess
import threading

import httpx
import pytest
from _fork import run_geo

from geo import coords
from geo.store import load_collection

from _server import data_in_git_repo, start, stop

MULIN = "mulin-pocket-park"
CHUANGYI = "chuangyi-pocket-park"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _place_body(served, ident, **extra):
    return {"editor": "张三", "version": served.version(ident), "lonlat": [125.3341, 43.8412], "datum": "wgs84",
            "source": "site visit 2026-11-20", "uncertainty_m": 20, **extra}  # fmt: skip


# ------------------------------------------------------------------ refusals, each with its status


def test_reads_need_nothing_and_writes_need_the_token(served):
    digest = _digest(served.data)
    places = served.client.get("/api/places").json()
    assert len(places["features"]) == 29 and set(places["versions"]) == {
        f["properties"]["id"] for f in places["features"]
    }
    body = _place_body(served, MULIN)
    no_token = served.client.put(f"/api/places/{MULIN}/location", json=body)
    wrong = served.write("PUT", f"/api/places/{MULIN}/location", body, **{"X-Geo-Token": "guess"})
    assert (no_token.status_code, wrong.status_code) == (401, 403)
    assert "key" in no_token.json()["error"] and "key" in wrong.json()["error"]
    assert not re.search(r"--[a-z]", no_token.text + wrong.text)
    assert _digest(served.data) == digest


@pytest.mark.parametrize(
    ("headers", "status", "fragment"),
    [
        ({"Origin": "http://evil.example"}, 403, "Origin"),
        ({"Origin": "null"}, 403, "Origin"),
        ({"Host": "evil.example"}, 400, "DNS rebinding"),
        ({"Host": "rebind.example:{port}"}, 400, "DNS rebinding"),
        ({"Content-Type": "text/plain"}, 415, "application/json"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"),
    ],
    ids=["foreign-origin", "null-origin", "wrong-host", "rebinding-host", "text-plain", "form"],
)
def test_hostile_requests_are_refused_and_change_nothing(served, headers, status, fragment):
    digest = _digest(served.data)
    headers = {k: v.format(port=served.port) for k, v in headers.items()}
    answer = served.write("PUT", f"/api/places/{MULIN}/location", _place_body(served, MULIN), **headers)
    assert answer.status_code == status and fragment in answer.json()["error"], answer.text
    if "Content-Type" not in headers:  # a foreign site cannot read either
        assert served.client.get("/api/places", headers=headers).status_code == status
    assert _digest(served.data) == digest


def test_bodies_that_are_too_big_or_not_json_objects_are_refused(served):
    digest = _digest(served.data)
    path = f"/api/places/{MULIN}/location"
    headers = {"X-Geo-Token": served.token, "Content-Type": "application/json"}
    huge = served.client.put(path, content=b'{"x": "' + b"a" * (3 * 1024 * 1024) + b'"}', headers=headers)
    assert huge.status_code == 413
    chunked = served.client.put(path, content=iter([b'{"x": "', b"a" * (3 * 1024 * 1024), b'"}']), headers=headers)
    assert chunked.status_code == 413
    for content, fragment in ((b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object"), (b'{"a": NaN}', "NaN"),
                              (b'{"a": 1, "a": 2}', "duplicate key")):  # fmt: skip
        answer = served.client.put(path, content=content, headers=headers)
        assert answer.status_code == 400 and fragment in answer.json()["error"], answer.text
    assert served.client.request("OPTIONS", "/api/places").status_code == 405
    assert _digest(served.data) == digest


@pytest.mark.parametrize(
    "path",
    [
        "/lib/leaflet@1.9.4/..%2F..%2F..%2Fpyproject.toml",
        "/lib/leaflet@1.9.4/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/lib/..%2F..%2Fetc/passwd",
        "/lib/evil@1.0.0/index.js",
        "/api/places/..%2F..%2Fetc%2Fpasswd",
        "/api/places/%2e%2e",
        "/api/places/MULIN-POCKET-PARK",
        "/api/undo/..%2F..%2Fx",
    ],
)
def test_path_traversal_finds_nothing(served, path):
    digest = _digest(served.data)
    answer = served.client.get(path)
    assert answer.status_code in (404, 405), (path, answer.status_code)
    if path.startswith("/api/undo") or path.startswith("/api/places"):
        write = served.write("DELETE" if "places" in path else "POST", path, {"editor": "x", "version": "0" * 16})
        assert write.status_code in (404, 405), (path, write.status_code)
    assert b"[project]" not in answer.content and b"root:" not in answer.content
    assert _digest(served.data) == digest


def test_the_page_has_a_content_security_policy_with_a_fresh_nonce(served):
    one, two = served.client.get("/"), served.client.get("/")
    csp = one.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in csp and "default-src 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert nonce not in two.headers["content-security-policy"]
    scripts = one.text.count("<script")
    assert scripts == one.text.count(f'<script nonce="{nonce}"') and scripts >= 3
    assert "test-token" not in one.text  # the write token is never in the page


# ------------------------------------------------------------------ saving


def test_placing_a_place_converts_the_datum_and_records_who(served):
    gcj = (125.3341, 43.8412)
    answer = served.write(
        "PUT", f"/api/places/{MULIN}/location", _place_body(served, MULIN, lonlat=list(gcj), datum="gcj02")
    )
    assert answer.status_code == 200, answer.text
    props = next(f for f in load_collection(served.data)["features"] if f["properties"]["id"] == MULIN)
    lon, lat = coords.gcj02_to_wgs84(*gcj)
    got = props["geometry"]["coordinates"]
    assert coords.distance_m(lon, lat, got[0], got[1]) < 0.1
    p = props["properties"]
    assert (p["datum_in"], p["coord_original"], p["location_method"]) == ("gcj02", list(gcj), "manual")
    assert p["location_source"] == "site visit 2026-11-20" and p["uncertainty_m"] == 20
    history = served.client.get("/api/history", params={"place": MULIN}).json()["changes"]
    assert history[-1]["editor"] == "张三" and history[-1]["summary"] == "add 睦邻园 location (placed by 张三)"
    assert history[-1]["before"]["geometry"] is None and history[-1]["after"]["geometry"]["type"] == "Point"


def test_every_problem_is_answered_at_once_and_nothing_is_written(served):
    digest = _digest(served.data)
    body = _place_body(served, MULIN, lonlat=[125.2500, 43.9100], source="", uncertainty_m=-3)
    answer = served.write("PUT", f"/api/places/{MULIN}/location", body)
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert any("source" in str(p) for p in problems) and any("uncertainty" in str(p) for p in problems), problems
    park = served.write("POST", "/api/places", {"editor": "张三", "name": "", "area": "abc", "source": "plan",
                                                 "geometry": {"type": "Point", "coordinates": [125.25, 43.91]}})  # fmt: skip
    fields = park.json()["fields"]
    assert park.status_code == 422 and {"name", "area"} <= set(fields), park.json()
    outside = served.write("POST", "/api/places", {"editor": "张三", "name": "外园", "area": "5000", "source": "plan",
                                                    "geometry": {"type": "Point", "coordinates": [125.25, 43.91]}})  # fmt: skip
    assert outside.status_code == 422 and "南关区以外" in outside.json()["fields"]["geometry"][0]
    assert outside.json()["problems"][0]["values"]["outside_m"] > 0
    assert served.write("PATCH", f"/api/places/{MULIN}", {"editor": "", "version": served.version(MULIN),
                                                          "changes": {"status": "open", "status-source": "测试来源 test"}}).status_code == 422  # fmt: skip
    assert _digest(served.data) == digest


def test_a_clockwise_rectangle_becomes_a_park(served):
    rect = [[125.3300, 43.8400], [125.3300, 43.8407], [125.3310, 43.8407], [125.3310, 43.8400], [125.3300, 43.8400]]
    body = {"editor": "李四", "name": "方园", "area": "6,400", "class": "游园", "status": "open", "source": "site plan",
            "geometry": {"type": "Polygon", "coordinates": [rect]}, "datum": "wgs84"}  # fmt: skip
    dry = served.write("POST", "/api/places", {**body, "dry_run": True}).json()
    assert dry["dry_run"] and 6000 < dry["mapped_area_m2"] < 6800
    answer = served.write("POST", "/api/places", body)
    assert answer.status_code == 201, answer.text
    assert any("rewound" in w for w in answer.json()["warnings"])
    park = next(f for f in load_collection(served.data)["features"] if f["properties"]["name"] == "方园")
    from geo.geojson import signed_area

    assert signed_area(park["geometry"]["coordinates"][0]) > 0


def test_script_payloads_are_stored_as_text(served):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    changes = {"name": "睦邻园" + payload, "name-en": payload, "address": payload, "notes": payload, "quote": payload}
    answer = served.write("PATCH", f"/api/places/{MULIN}", {"editor": payload[:40].replace("<", "").replace(">", ""),
                                                            "version": served.version(MULIN), "changes": changes})  # fmt: skip
    assert answer.status_code == 200, answer.text
    props = next(f for f in load_collection(served.data)["features"] if f["properties"]["id"] == MULIN)["properties"]
    assert props["name"] == "睦邻园" + payload and props["address"] == payload and props["notes"] == payload
    # In the served page the payload is escaped inside JSON, never markup.
    assert "<script>alert(1)" not in served.client.get("/").text
    evil_editor = served.write("PATCH", f"/api/places/{MULIN}", {"editor": "<b>x</b>", "version": served.version(MULIN),
                                                                 "changes": {"status": "open", "status-source": "测试来源 test"}})  # fmt: skip
    assert evil_editor.status_code == 422 and "editor" in evil_editor.json()["error"]


def test_saves_to_different_places_both_land_and_the_same_place_conflicts(served):
    v_mulin, v_chuangyi = served.version(MULIN), served.version(CHUANGYI)
    results = {}

    def save(key, ident, version, status):
        results[key] = served.write("PATCH", f"/api/places/{ident}", {"editor": key, "version": version,
                                                                      "changes": {"status": status, "status-source": "测试来源 test"}})  # fmt: skip

    threads = [threading.Thread(target=save, args=("a", MULIN, v_mulin, "planned")),
               threading.Thread(target=save, args=("b", CHUANGYI, v_chuangyi, "planned"))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["a"].status_code == results["b"].status_code == 200
    # Both edit the same place from the same version: one lands, the other gets 409 with the current place.
    version = served.version(MULIN)
    threads = [threading.Thread(target=save, args=(k, MULIN, version, s)) for k, s in (("c", "unknown"), ("d", "open"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted([results["c"].status_code, results["d"].status_code])
    assert codes == [200, 409]
    lost = results["c"] if results["c"].status_code == 409 else results["d"]
    won = "unknown" if lost is results["d"] else "open"
    assert lost.json()["conflict"] and lost.json()["current"]["properties"]["status"] == won
    # Reapplying on the current version lands.
    mine = "open" if won == "unknown" else "unknown"
    again = served.write("PATCH", f"/api/places/{MULIN}", {"editor": "x", "version": lost.json()["version"],
                                                           "changes": {"status": mine, "status-source": "测试来源 test"}})  # fmt: skip
    assert again.status_code == 200
    props = {f["properties"]["id"]: f["properties"] for f in load_collection(served.data)["features"]}
    assert props[MULIN]["status"] == mine and props[CHUANGYI]["status"] == "planned"


def _events(served, received, stop_after, listening):
    with httpx.stream("GET", served.client.base_url.join("/api/events"), timeout=120) as stream:
        listening.set()  # the server has answered: this page is subscribed
        for line in stream.iter_lines():
            if line.startswith("data:"):
                received.append(json.loads(line[5:]))
                if len(received) >= stop_after:
                    return


def test_every_change_reaches_open_pages_including_the_command_lines(served):
    received: list = []
    listening = threading.Event()
    listener = threading.Thread(target=_events, args=(served, received, 2, listening), daemon=True)
    listener.start()
    assert listening.wait(120)
    assert served.write("PUT", f"/api/places/{MULIN}/location", _place_body(served, MULIN)).status_code == 200
    done = run_geo(["update", CHUANGYI, "--status", "planned", "--status-source", "测试", "--data", str(served.data)])
    assert done.returncode == 0, done.stderr
    listener.join(timeout=120)  # a condition (both events seen), bounded only so a broken server cannot hang the suite
    assert [event["changed"] for event in received] == [[MULIN], [CHUANGYI]], received


def test_commit_makes_one_commit_per_save_and_undo_reverts_one(tmp_path):
    data, git = data_in_git_repo(tmp_path)
    served = start(data, "--commit")
    try:
        placed = served.write("PUT", f"/api/places/{MULIN}/location", _place_body(served, MULIN)).json()
        updated = served.write("PATCH", f"/api/places/{CHUANGYI}", {"editor": "李四", "version": served.version(CHUANGYI),
                                                                    "changes": {"status": "planned", "status-source": "测试来源 test"}}).json()  # fmt: skip
        assert placed["commit"] and updated["commit"]
    finally:
        stop(served)
    log = subprocess.run(
        [*git, "log", "--format=%an|%s"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert log[:2] == [
        "李四|update 创意园: status, status_source (by 李四)",
        "张三|add 睦邻园 location (placed by 张三)",
    ]
    assert log[2] == "t|start" and len(log) == 3
    listed = run_geo(["history", MULIN, "--data", str(data)])
    assert listed.returncode == 0, listed.stderr
    listed = listed.stdout
    assert placed["change"] in listed and "placed by 张三" in listed
    undone = run_geo(["undo", placed["change"], "--data", str(data)])
    assert undone.returncode == 0, undone.stderr
    mulin = next(f for f in load_collection(data)["features"] if f["properties"]["id"] == MULIN)
    assert mulin["geometry"] is None and mulin["properties"]["location_method"] == "none"
    # Undoing again finds the place no longer as that change left it: refused, file unchanged.
    digest = _digest(data)
    again = run_geo(["undo", placed["change"], "--data", str(data)])
    assert again.returncode == 1 and "changed by someone else" in again.stderr
    assert _digest(data) == digest


def test_remove_then_undo_in_the_server(served):
    digest = _digest(served.data)
    removed = served.write("DELETE", f"/api/places/{MULIN}", {"editor": "张三", "version": served.version(MULIN)})
    assert removed.status_code == 200 and MULIN not in served.data.read_text(encoding="utf-8")
    undone = served.write("POST", f"/api/undo/{removed.json()['change']}", {"editor": "张三"})
    assert undone.status_code == 200, undone.text
    assert _digest(served.data) == digest  # byte for byte as before


def _add_parks_until_killed(served, round_, acknowledged, saved_here):
    """Add parks one after another until the server dies; note each acknowledged one."""
    k = 0
    while True:
        lon = 125.300 + 0.0007 * (round_ * 25 + k) % 0.06
        body = {"editor": "bench", "name": f"压测园{round_}-{k}", "area": "5000", "source": "test", "datum": "wgs84",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), 43.845 + 0.0003 * (k % 20)]}}  # fmt: skip
        try:
            answer = served.write("POST", "/api/places", body)
        except httpx.TransportError:
            return
        if answer.status_code == 201:
            acknowledged.append(answer.json()["id"])
            saved_here.release()
        k += 1


@pytest.mark.slow
def test_sigkill_during_a_burst_of_saves_loses_no_acknowledged_save(data):
    """Kill the server while parks are being added: every acknowledged park is in the file.

    Each round kills after a random number (1-4) of acknowledged saves, while the next save is on its way, so the kill
    lands during a save however fast or slow the machine is (counting saves, not timing them).
    """
    rng = random.Random(7)
    acknowledged: list[str] = []
    for round_ in range(20):
        served = start(data)
        saved_here = threading.Semaphore(0)
        writer = threading.Thread(target=_add_parks_until_killed, args=(served, round_, acknowledged, saved_here))
        writer.start()
        for _ in range(rng.randint(1, 4)):
            assert saved_here.acquire(timeout=120), f"round {round_}: no save was acknowledged"
        served.proc.kill()  # SIGKILL, mid-save: the writer's next request is already on its way
        writer.join(timeout=120)
        stop(served, kill=True)
        ids = {f["properties"]["id"] for f in load_collection(data)["features"]}  # parses and validates
        missing = [i for i in acknowledged if i not in ids]
        assert missing == [], f"round {round_}: acknowledged but lost: {missing}"
    assert len(acknowledged) >= 20


# ------------------------------------------------------------------ one text rule through the editor


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "睦邻园\ufe0f"}, "name"),
        ({"name": "睦邻园\u3164"}, "name"),
        ({"name": "睦邻园\u2800"}, "name"),
        ({"name": "睦邻园\u2028"}, "name"),
        ({"name": "\u0301\u0301"}, "name"),
        ({"name": "新园", "name-en": "New\x00Park"}, "name-en"),
        ({"name": "新园", "name-en": "\u202ekraP weN"}, "name-en"),
    ],
    ids=["vs16", "hangul-filler", "braille-blank", "line-separator", "marks-only", "nul-english", "bidi-english"],
)
def test_an_add_with_hidden_characters_is_422_naming_the_field(served, changes, field):
    digest = _digest(served.data)
    body = {"editor": "张三", "area": "5000", "source": "plan", "status": "open",
            "geometry": {"type": "Point", "coordinates": [125.3341, 43.8412]}, **changes}  # fmt: skip
    answer = served.write("POST", "/api/places", body)
    assert answer.status_code == 422, answer.text
    fields = answer.json()["fields"]
    assert field in fields and "Traceback" not in answer.text, answer.json()
    assert _digest(served.data) == digest


def test_an_editor_name_with_a_bidi_override_is_422(served):
    digest = _digest(served.data)
    body = {
        "editor": "张\u202e三",
        "version": served.version(MULIN),
        "changes": {"status": "open", "status-source": "测试来源 test"},
    }
    answer = served.write("PATCH", f"/api/places/{MULIN}", body)
    assert answer.status_code == 422 and "editor" in answer.json()["error"], answer.text
    assert _digest(served.data) == digest


# ---- issue 22: problems as data, sources required, sense checks, notes on placing

_OPTION = re.compile(r"--[a-z]")
_RECT = {"type": "Polygon", "coordinates": [[[125.25, 43.78], [125.35, 43.78], [125.35, 43.83], [125.25, 43.83],
                                             [125.25, 43.78]]]}  # fmt: skip


def _every_text(body):
    return [body["error"], *(t for p in body["problems"] for t in p["text"].values())]


def test_every_problem_of_a_save_comes_at_once_as_data_in_chinese_and_no_option_is_named(served):
    digest = _digest(served.data)
    answer = served.write(
        "POST",
        "/api/places",
        {"editor": "张三", "name": "无源园", "geometry": {"type": "Point", "coordinates": [125.33, 43.85]}},
    )
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert {p["field"] for p in body["problems"]} >= {"stated_area_m2", "location_source"}, body
    for problem in body["problems"]:
        assert problem["kind"] and problem["field"] and re.search(r"[\u4e00-\u9fff]", problem["text"]["zh-CN"])
    assert not any(_OPTION.search(t) for t in _every_text(body)), body
    assert set(body["fields"]) >= {"area", "source"}
    assert _digest(served.data) == digest  # byte-identical


def test_a_placing_without_a_source_is_refused_on_that_field_and_the_file_is_unchanged(served):
    digest = _digest(served.data)
    body = {**_place_body(served, MULIN), "source": ""}
    answer = served.write("PUT", f"/api/places/{MULIN}/location", body)
    assert answer.status_code == 422 and [p["field"] for p in answer.json()["problems"]] == ["location_source"]
    assert _digest(served.data) == digest


def test_an_absurd_outline_is_refused_and_saves_with_a_reason_that_the_history_keeps(served):
    digest = _digest(served.data)
    park = {"editor": "张三", "name": "巨型游园", "area": "7400", "class": "游园", "source": "测试来源 test",
            "geometry": _RECT, "zoom": 15}  # fmt: skip
    refused = served.write("POST", "/api/places", park)
    assert refused.status_code == 422, refused.text
    codes = {p["code"]: p for p in refused.json()["problems"]}
    assert {"class_too_large", "area_mismatch"} <= set(codes), codes
    assert codes["area_mismatch"]["values"]["mapped_area_m2"] > 40_000_000  # the page reads the number, not the text
    assert not any(_OPTION.search(t) for t in _every_text(refused.json()))
    ticked = served.write("POST", "/api/places", {**park, "confirm_area": True})
    fields = [p["field"] for p in ticked.json()["problems"]]
    assert ticked.status_code == 422 and fields[0] == "reason" and "stated_area_m2" in fields  # every problem
    assert _digest(served.data) == digest
    saved = served.write("POST", "/api/places", {**park, "confirm_area": True, "reason": "测试：区划图上的范围"})
    assert saved.status_code == 201, saved.text
    changes = served.client.get("/api/history").json()["changes"]
    assert changes[-1]["reason"] == "测试：区划图上的范围"


def test_a_click_at_district_zoom_is_refused_and_a_close_one_is_never_exact_beyond_its_radius(served):
    digest = _digest(served.data)
    far = served.write("PUT", f"/api/places/{MULIN}/location", {**_place_body(served, MULIN), "zoom": 11})
    assert far.status_code == 422 and far.json()["problems"][0]["code"] == "zoom_too_coarse", far.text
    assert _digest(served.data) == digest
    near = served.write("PUT", f"/api/places/{MULIN}/location", {**_place_body(served, MULIN), "zoom": 13})
    assert near.status_code == 200, near.text
    props = served.client.get(f"/api/places/{MULIN}").json()["feature"]["properties"]
    assert props["precision"] == "approximate" and props["uncertainty_m"] > 100
    assert "can be placed yet" not in (props["notes"] or "")  # the note that said it could not be placed is gone
