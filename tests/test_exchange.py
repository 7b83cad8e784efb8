"""`geo serve`'s history pages, conflict answers, import from a sent file and downloads, over real HTTP (issue 22)."""

import base64
import hashlib
import io
import json
import zipfile

import pytest

from geo.history import field_changes, read_history
from geo.store import load_collection

MULIN = "mulin-pocket-park"
INSIDE = [125.3352, 43.8456]  # inside 南关区, away from the bundled places


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _patch(served, ident, changes, editor="张三", version=None):
    body = {"editor": editor, "version": version or served.version(ident), "changes": changes}
    return served.write("PATCH", f"/api/places/{ident}", body)


def _file(name, data: bytes, **extra):
    return {"editor": "张三", "filename": name, "content": base64.b64encode(data).decode(), **extra}


def _collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def _point(name, lonlat, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": lonlat},
        "properties": {"name": name, **props},
    }


def _places(served):
    return {f["properties"]["id"]: f for f in load_collection(served.data)["features"]}


# ------------------------------------------------------------------ history: old and new values, pages


def test_field_changes_lists_old_and_new_and_shortens_outlines():
    before = {"type": "Feature", "geometry": None, "properties": {"id": "x", "name": "甲", "status": "open"}}
    ring = [[125.3, 43.8], [125.31, 43.8], [125.31, 43.81], [125.3, 43.8]]
    after = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
             "properties": {"id": "x", "name": "甲", "status": "planned", "notes": "n"}}  # fmt: skip
    assert field_changes(before, after) == {"status": ["open", "planned"], "notes": [None, "n"],
                                            "geometry": [None, {"type": "Polygon", "positions": 4}]}  # fmt: skip
    assert field_changes(after, after) == {}


def test_history_records_old_and_new_values_and_pages_newest_first(served):
    old = _places(served)[MULIN]["properties"]["notes"]
    for notes in ("一", "二", "三"):
        assert _patch(served, MULIN, {"notes": notes}).status_code == 200
    last = read_history(served.data, MULIN)[-1]
    assert last["changes"] == {"notes": ["二", "三"]}  # in the record itself, not only in the answer
    first = served.client.get("/api/history", params={"place": MULIN, "limit": 2, "brief": 1}).json()
    assert first["total"] == 3 and first["more"] is True and len(first["changes"]) == 2
    assert [c["changes"]["notes"] for c in first["changes"]] == [["一", "二"], ["二", "三"]]
    assert first["changes"][0]["name"] == "睦邻园" and "before" not in first["changes"][0]
    second = served.client.get("/api/history", params={"place": MULIN, "limit": 2, "page": 1}).json()
    assert [c["changes"]["notes"] for c in second["changes"]] == [[old, "一"]]
    assert second["more"] is False and second["changes"][0]["before"]["properties"]["notes"] == old
    for bad in ({"limit": "0"}, {"limit": "abc"}, {"page": "-1"}, {"place": "../etc"}):
        answer = served.client.get("/api/history", params=bad)
        assert answer.status_code == 422 and next(iter(bad)) in answer.json()["error"], answer.text


def test_old_records_without_changes_show_what_they_have(served):
    assert _patch(served, MULIN, {"name-en": "Mulin Garden"}).status_code == 200
    history = served.data.with_name("locations.history.jsonl")
    lines = [json.loads(line) for line in history.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        line.pop("changes", None)  # as the history was written before records kept their changes
    history.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    (entry,) = served.client.get("/api/history", params={"place": MULIN}).json()["changes"]
    assert entry["changes"] == {"name_en": ["Mulin Pocket Park", "Mulin Garden"]}


# ------------------------------------------------------------------ conflicts: who, when, each field old -> new


def test_a_conflict_says_who_changed_what_and_when_without_the_version(served):
    seen = served.version(MULIN)
    assert _patch(served, MULIN, {"name-en": "Mulin", "notes": "王五 改的"}, editor="王五").status_code == 200
    lost = _patch(served, MULIN, {"name-en": "Neighbours"}, editor="李四", version=seen)
    assert lost.status_code == 409
    answer = lost.json()
    assert answer["by"] == ["王五"] and answer["time"].endswith("Z")
    assert (
        answer["changes"]["name_en"] == ["Mulin Pocket Park", "Mulin"] and answer["changes"]["notes"][1] == "王五 改的"
    )
    assert "王五" in answer["error"] and "睦邻园" in answer["error"] and answer["version"] not in answer["error"]
    assert answer["error"].index("王五") < answer["error"].index(" · ")  # Chinese first
    # The kept edit reapplied on the version the answer names lands.
    assert _patch(served, MULIN, {"name-en": "Neighbours"}, editor="李四", version=answer["version"]).status_code == 200


# ------------------------------------------------------------------ import from a file the browser sends


def test_import_preview_checks_each_feature_and_writes_nothing(served):
    digest = _digest(served.data)
    data = _collection(_point("试验游园", INSIDE, area="3000", **{"class": "游园"}),
                       _point("远方园", [126.5, 45.7], area="3000"))  # fmt: skip
    answer = served.write(
        "POST", "/api/import/preview", _file("parks.geojson", data, datum="wgs84", source="规划局 GIS")
    )
    assert answer.status_code == 200, answer.text
    good, bad = answer.json()["features"]
    assert good["problems"] == [] and good["feature"]["properties"]["location_source"] == "规划局 GIS"
    assert bad["feature"] is None and bad["problems"][0]["field"] == "geometry" and bad["name"] == "远方园"
    assert _digest(served.data) == digest and not served.data.with_name("locations.history.jsonl").exists()


def test_import_converts_the_datum_asked(served):
    from geo import coords

    gcj = [125.3352, 43.8456]
    answer = served.write("POST", "/api/import/preview",
                          _file("a.geojson", _collection(_point("试验游园", gcj, area="3000")), datum="gcj02"))  # fmt: skip
    (feature,) = answer.json()["features"]
    lon, lat = feature["feature"]["geometry"]["coordinates"]
    assert coords.distance_m(lon, lat, *coords.gcj02_to_wgs84(*gcj)) < 0.1 and (lon, lat) != tuple(gcj)


def test_import_saves_the_chosen_features_with_their_source_and_refuses_a_bad_one(served):
    csv = "名称,经度,纬度,面积\n试验游园甲,125.3352,43.8456,3000\n坏点园,abc,43.85,100\n试验游园乙,125.3362,43.8466,2000\n"
    body = _file("parks.csv", csv.encode("utf-8"), datum="wgs84", source="2026 普查表")
    digest = _digest(served.data)
    refused = served.write("POST", "/api/import", {**body, "chosen": [0, 1]})
    assert refused.status_code == 422 and any(
        "abc" in p["text"]["en"] and p["field"] == "geometry" for p in refused.json()["problems"]
    ), refused.text
    assert _digest(served.data) == digest
    unsourced = served.write("POST", "/api/import", {**body, "source": "", "chosen": [0]})
    assert unsourced.status_code == 422 and "source" in unsourced.json()["fields"], unsourced.text
    assert _digest(served.data) == digest
    saved = served.write("POST", "/api/import", {**body, "chosen": [0, 2]})
    assert saved.status_code == 201, saved.text
    places = _places(served)
    names = {places[i]["properties"]["name"]: places[i]["properties"] for i in saved.json()["ids"]}
    assert set(names) == {"试验游园甲", "试验游园乙"} and "坏点园" not in {
        p["properties"]["name"] for p in places.values()
    }
    assert all(p["location_source"] == "2026 普查表" for p in names.values())
    records = read_history(served.data)
    assert {r["action"] for r in records} == {"import"} and {r["editor"] for r in records} == {"张三"}


def test_a_zipped_shapefile_and_kml_are_read_like_geo_import(served, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame({"name": ["试验游园丙"]}, geometry=[Point(*INSIDE)], crs=4326)
    frame.to_file(tmp_path / "p.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for part in tmp_path.glob("p.*"):
            z.write(part, part.name)
    frame.to_file(tmp_path / "p.kml", driver="KML")
    for name, data in (("parks.zip", buf.getvalue()), ("parks.kml", (tmp_path / "p.kml").read_bytes())):
        answer = served.write("POST", "/api/import/preview", _file(name, data, source="x"))
        assert answer.status_code == 200, answer.text
        (feature,) = answer.json()["features"]
        assert feature["name"] == "试验游园丙" and feature["problems"] == [], feature


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filename": "a.exe", "content": base64.b64encode(b"MZ").decode()}, "a.exe"),
        ({"filename": "a.geojson", "content": "not base64!"}, "content"),
        ({"filename": "a.geojson", "content": base64.b64encode(b"{").decode()}, "a.geojson"),
        ({"filename": "a.geojson", "content": base64.b64encode(b"{}").decode(), "datum": "mars"}, "datum"),
        ({"filename": "a.csv", "content": base64.b64encode(b"name,x2\n").decode()}, "a.csv"),
    ],
)
def test_bad_files_are_refused_naming_what_and_change_nothing(served, body, field):
    digest = _digest(served.data)
    answer = served.write("POST", "/api/import/preview", {"editor": "张三", **body})
    assert answer.status_code == 422, answer.text
    # The file or member at fault is named by the problem (its where or field), the reason in both languages.
    named = [(p["where"], p["field"], p["text"]["en"]) for p in answer.json()["problems"]]
    assert any(field in " ".join(n) for n in named), named
    assert answer.json()["error"] and "Traceback" not in answer.text and "/tmp" not in answer.text
    assert _digest(served.data) == digest


def test_import_needs_a_key_and_a_size_limit(served):
    data = _file("a.geojson", _collection(_point("试验游园", INSIDE, area="3000")), chosen=[0], source="x")
    plain = {"Content-Type": "application/json"}
    assert served.client.post("/api/import", json=data, headers=plain).status_code == 401
    assert served.client.post("/api/import/preview", json=data, headers=plain).status_code == 401
    big = _file("a.geojson", b" " * (2 * 1024 * 1024), chosen=[0], source="x")
    assert served.write("POST", "/api/import", big).status_code == 413


# ------------------------------------------------------------------ downloads


def test_downloads_are_the_places_as_served_now(served):
    assert _patch(served, MULIN, {"notes": "下载时的说明"}).status_code == 200
    geojson = served.client.get("/api/download/geojson")
    assert geojson.status_code == 200 and "attachment" in geojson.headers["content-disposition"]
    features = {f["properties"]["id"]: f for f in json.loads(geojson.content)["features"]}
    assert features[MULIN]["properties"]["notes"] == "下载时的说明" and len(features) == len(_places(served))
    csv = served.client.get("/api/download/csv").content.decode("utf-8-sig")
    assert "睦邻园" in csv and "lon" in csv.splitlines()[0]
    assert b"<kml" in served.client.get("/api/download/kml").content
    assert served.client.get("/api/download/gpkg").content.startswith(b"SQLite format 3")
    assert served.client.get("/api/download/exe").status_code == 404
    assert "api/download/gpkg" in served.client.get("/").text


def test_with_keys_a_proposer_cannot_import_and_an_editor_imports_under_their_name(data):
    from geo.editors import add_editor

    from _server import running

    proposer, editor = add_editor(data, "李居民", "proposer")[1], add_editor(data, "王规划", "editor")[1]
    body = _file("a.geojson", _collection(_point("试验游园", INSIDE, area="3000")), chosen=[0], source="普查")
    body["editor"] = "冒名者"  # a typed name never counts with keys
    with running(data) as served:
        digest = _digest(served.data)
        for path in ("/api/import/preview", "/api/import"):
            assert served.write("POST", path, body, **{"X-Geo-Token": proposer}).status_code == 403
        assert _digest(served.data) == digest
        assert served.write("POST", "/api/import", body, **{"X-Geo-Token": editor}).status_code == 201
    assert {r["editor"] for r in read_history(data)} == {"王规划"}
