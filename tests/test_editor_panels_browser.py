"""The editor's conflict view, history panel, phone layout, import and downloads in headless Chromium (issue 22).

Each test runs a real `geo serve` on a copy of the bundled data and does what a person does: clicks,
types, drops a file. Screenshots go beside the data (a pytest tmp folder) for a person to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_editor_browser import MULIN, Editor

from geo.store import load_collection

from _browser import launch_or_skip, wait_for
from _server import REPO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    yield from launch_or_skip(REPO / "node_modules")


INSIDE = (125.3352, 43.8456)  # inside 南关区, away from the bundled places
PHONE = {"width": 390, "height": 844}


def _props(served, ident):
    return next(f["properties"] for f in load_collection(served.data)["features"] if f["properties"]["id"] == ident)


def _map_height(editor: Editor) -> float:
    return editor.page.query_selector(".folium-map").bounding_box()["height"]


def _editor_height(editor: Editor) -> float:
    box = editor.page.query_selector("#geo-editor").bounding_box()
    return box["height"] if box else 0.0


# ------------------------------------------------------------------ conflicts


def test_the_second_editor_sees_who_changed_what_and_reapplies_theirs(browser, served):
    a, b = Editor(browser, served, "张三", height=768), Editor(browser, served, "李四", height=768)
    before = _props(served, MULIN)["notes"]
    a.open_edit(MULIN)
    b.open_edit(MULIN)
    version = served.version(MULIN)
    a.page.fill("#geo-f-notes", "张三 现场看过")
    b.page.fill("#geo-f-name-en", "Neighbours Garden")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('Saved: update 睦邻园') >= 0")
    # B's open form is told at once, by the live update, before B saves anything.
    b.wait(
        "!!document.getElementById('geo-form-live') && document.getElementById('geo-form-live').textContent.indexOf('张三') >= 0"
    )
    b.page.click("#geo-save")
    b.page.wait_for_selector("#geo-conflict")
    who = b.page.text_content("#geo-conflict-who")
    assert "张三" in who and re.search(r"\d{1,2}:\d{2}", who), who  # who, and when
    notes = b.page.text_content("#geo-conflict tr[data-field='notes']")
    assert notes.startswith("说明 Notes") and f"{before[:100]}" in notes and "… → 张三 现场看过" in notes, notes
    full = b.page.get_attribute("#geo-conflict tr[data-field='notes'] .geo-theirs", "title")
    assert full == f"{before} → 张三 现场看过"  # a long note is shortened, and whole beside it
    mine = b.page.text_content("#geo-conflict tr[data-field='name_en'] .geo-yours")
    assert mine == "Neighbours Garden"
    whole = b.page.text_content("#geo-conflict")
    assert version not in whole and served.version(MULIN) not in whole and "name_en" not in whole
    b.page.screenshot(path=str(served.data.parent / "conflict-desktop.png"))
    b.page.click("#geo-reapply")
    b.wait("document.getElementById('geo-editor-status').textContent.indexOf('(by 李四)') >= 0")
    props = _props(served, MULIN)
    assert props["notes"] == "张三 现场看过" and props["name_en"] == "Neighbours Garden"
    a.close()
    b.close()


# ------------------------------------------------------------------ the history panel


def test_the_history_panel_lists_old_and_new_filters_by_place_and_undoes(browser, served):
    a = Editor(browser, served, "王五", height=768)
    before = _props(served, MULIN)["notes"]
    a.open_edit(MULIN)
    a.page.fill("#geo-f-notes", "王五 改过")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('Saved: update 睦邻园') >= 0")
    a.page.click("#geo-history-open")
    a.page.wait_for_selector("#geo-history-list li[data-change]")
    a.page.select_option("#geo-history-place", MULIN)
    a.wait("document.querySelectorAll('#geo-history-list li[data-change]').length === 1 && "
           "document.querySelector('#geo-history-list li[data-change]').getAttribute('data-place') === 'mulin-pocket-park'")  # fmt: skip
    item = a.page.text_content("#geo-history-list li[data-change]")
    assert "王五" in item and "睦邻园" in item and f"说明 Notes: {before[:100]}" in item and "… → 王五 改过" in item
    full = a.page.get_attribute("#geo-history-list li[data-change] li[data-field='notes']", "title")
    assert full == f"说明 Notes: {before} → 王五 改过"
    a.page.screenshot(path=str(served.data.parent / "history-desktop.png"))
    a.page.click("#geo-history-list li[data-change] .geo-history-undo")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('已撤销') >= 0")
    assert _props(served, MULIN)["notes"] == before
    # The undo is itself a change: the panel (open, refreshed by the live update) lists it on top.
    a.wait("document.querySelectorAll('#geo-history-list li[data-change]').length === 2")
    assert "撤销 undone" in a.page.text_content("#geo-history-list li[data-change]")  # the action, not the button
    a.close()


# ------------------------------------------------------------------ the phone


class PhoneEditor(Editor):
    """A phone's tab: the idle editor is a bar, so the name is typed after tapping 更多 More (and folded back)."""

    def __init__(self, browser, served, name: str):
        self.context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
        self.page = self.context.new_page()
        self.errors, self.dialogs, self.requests = [], [], []
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" and "status of 4" not in m.text else None)  # fmt: skip
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        from _browser import route_offline

        route_offline(self.page, self.requests)
        self.page.goto(served.url)
        self.wait("!!(window.__atlas && window.__atlas.extensions.editor)")
        self.page.click("#geo-editor-expand")
        self.page.fill("#geo-editor-name", name)
        self.page.dispatch_event("#geo-editor-name", "change")
        self.page.click("#geo-editor-expand")


def test_on_a_phone_the_idle_editor_is_a_bar_and_placing_keeps_the_map(browser, served):
    a = PhoneEditor(browser, served, "赵六")
    assert _editor_height(a) <= 60, _editor_height(a)
    a.page.screenshot(path=str(served.data.parent / "phone-idle.png"))
    for sheet in ("half", "full"):
        # The sheet opened as a person opens it, with its handle, until it shows the unlocated places.
        while a.js("__atlas.sheetState()") != sheet:
            a.page.click("#atlas-sheet-handle")
        a.page.click(f"button.geo-place[data-place='{MULIN}']")
        a.page.wait_for_selector(f"#geo-form[data-place='{MULIN}']")
        a.wait("document.body.classList.contains('geo-placing')")
        wait_for(a.page, "document.querySelector('.folium-map').getBoundingClientRect().height >= 422")
        assert _map_height(a) >= 0.5 * PHONE["height"], (sheet, _map_height(a))
        a.page.screenshot(path=str(served.data.parent / f"phone-placing-from-{sheet}.png"))
        if sheet == "half":
            a.page.click("#geo-cancel")
            a.wait("!document.body.classList.contains('geo-placing')")
    # Placing works there: a tap on the map, a source, save.
    a.js(f"__atlas.map.setView([{INSIDE[1]}, {INSIDE[0]}], 18, {{animate: false}})")
    box = a.page.query_selector(".folium-map").bounding_box()
    a.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert a.page.input_value("#geo-f-lonlat")
    a.page.fill("#geo-f-source", "现场踏勘 site visit 2026-12-01")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('placed by 赵六') >= 0")
    a.wait("!document.body.classList.contains('geo-open')")
    assert _editor_height(a) <= 60
    # Drawing: the draw tool takes the map, the sheet steps aside.
    a.page.click(".leaflet-draw-draw-rectangle")
    a.wait("document.body.classList.contains('geo-drawing')")
    wait_for(a.page, "document.querySelector('.folium-map').getBoundingClientRect().height >= 422")
    assert _map_height(a) >= 0.5 * PHONE["height"]
    a.page.screenshot(path=str(served.data.parent / "phone-drawing.png"))
    a.close()


# ------------------------------------------------------------------ import and download


def _collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def _point(name, lonlat, **props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(lonlat)},
            "properties": {"name": name, **props}}  # fmt: skip


def _save_import(a: Editor, source: str, name: str) -> None:
    a.page.fill("#geo-import-source", source)
    a.page.click("#geo-import-save")
    a.wait(
        f"document.getElementById('geo-editor-status').textContent.indexOf('已导入') >= 0 && "
        f"document.getElementById('geo-editor-status').textContent.indexOf({json.dumps(name)}) >= 0"
    )


def test_import_a_geojson_and_a_dropped_csv_with_a_bad_feature_left_out(browser, served):
    a = Editor(browser, served, "钱七", height=768)
    a.page.click("#geo-import-open")
    data = _collection(_point("试验游园甲", INSIDE, area="3000", **{"class": "游园"}),
                       _point("远方园", (126.5, 45.7), area="3000"))  # fmt: skip
    a.page.set_input_files("#geo-import-file", files=[{"name": "parks.geojson", "mimeType": "application/geo+json",
                                                       "buffer": data}])  # fmt: skip
    a.page.wait_for_selector("#geo-import-list li[data-index='1']")
    bad = a.page.text_content("#geo-import-list li[data-index='1']")
    assert "远方园" in bad and "outside" in bad, bad  # its problem, beside it
    assert a.js("document.querySelector(\"#geo-import-list li[data-index='1'] input\").disabled")
    assert a.js("document.querySelector(\"#geo-import-list li[data-index='0'] input\").checked")
    a.wait("__atlas.extensions.editor.preview && __atlas.extensions.editor.preview.getLayers().length === 1")
    a.page.screenshot(path=str(served.data.parent / "import-preview-desktop.png"))
    # Without a source nothing is saved, and the form says so beside the field.
    digest = served.data.read_bytes()
    a.page.click("#geo-import-save")
    a.wait("document.getElementById('geo-p-source').textContent.length > 0")
    assert served.data.read_bytes() == digest
    _save_import(a, "区园林局 2026 年普查", "试验游园甲")
    names = {f["properties"]["name"]: f["properties"] for f in load_collection(served.data)["features"]}
    assert names["试验游园甲"]["location_source"] == "区园林局 2026 年普查" and "远方园" not in names
    # A CSV dropped on the panel, its coordinates read off Amap (GCJ-02), converted on the way in.
    a.page.click("#geo-import-open")
    a.page.select_option("#geo-import-datum", "gcj02")
    csv = "名称,经度,纬度,面积\n试验游园乙,125.3362,43.8466,2000\n"
    a.js(f"""(() => {{
      const dt = new DataTransfer();
      dt.items.add(new File([{json.dumps(csv)}], "parks.csv", {{type: "text/csv"}}));
      document.getElementById("geo-import").dispatchEvent(new DragEvent("drop", {{dataTransfer: dt, bubbles: true}}));
    }})()""")
    a.page.wait_for_selector("#geo-import-list li[data-index='0'][data-ok='true']")
    _save_import(a, "高德地图上读出 read off Amap", "试验游园乙")
    props = next(
        f["properties"] for f in load_collection(served.data)["features"] if f["properties"]["name"] == "试验游园乙"
    )
    assert props["datum_in"] == "gcj02" and props["coord_original"] == [125.3362, 43.8466]
    assert props["location_source"] == "高德地图上读出 read off Amap"
    a.close()


def test_the_places_download_as_served(browser, served):
    a = Editor(browser, served, "孙八", height=768)
    a.page.wait_for_selector("#atlas-downloads a[data-format='gpkg']")
    formats = a.js("[...document.querySelectorAll('#atlas-downloads a')].map(x => x.dataset.format)")
    assert formats == ["geojson", "csv", "kml", "gpkg"]
    for fmt, start in (("geojson", b"{"), ("gpkg", b"SQLite format 3")):
        with a.page.expect_download() as got:
            a.page.click(f"#atlas-downloads a[data-format='{fmt}']")
        path = got.value.path()
        assert path is not None and Path(path).read_bytes().startswith(start)
        assert got.value.suggested_filename == f"nanguan-places.{fmt}"
    a.close()
