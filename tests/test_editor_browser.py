"""The editor in headless Chromium against a real `geo serve` and a real file, as two people use it.

The page runs under the server's Content-Security-Policy (no eval), so waiting is done
by polling ``page.evaluate`` rather than ``wait_for_function``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from geo import coords
from geo.editors import add_editor
from geo.geojson import signed_area
from geo.history import history_path
from geo.proposals import proposals_path
from geo.store import load_collection

from _browser import LOCALE, launch_or_skip, route_offline, wait_for, wait_until_still
from _server import REPO, running

pytestmark = pytest.mark.browser

MULIN = "mulin-pocket-park"
CHUANGYI = "chuangyi-pocket-park"
DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def browser():
    yield from launch_or_skip(REPO / "node_modules")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: What the editor shows a planner: its status line and the open form's problems.
STATE_JS = """(() => { const text = (s) => { const n = document.querySelector(s); return n ? n.textContent : null; };
  return {status: text('#geo-editor-status'), problems: text('#geo-problems')}; })()"""


class Editor:
    """One person's browser tab on the editor."""

    def __init__(self, browser, served, name: str, *, width: int = 1366, height: int = 900, key: str = ""):
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale=LOCALE)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        # Chromium logs every 409 and 422 answer as an error: those are the answers the tests ask for.
        expected = ("status of 409", "status of 422")
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" and not any(e in m.text for e in expected) else None)  # fmt: skip
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        # What went to the editor's server and what came back (or did not), for a wait that times out to show.
        self.traffic: list[str] = []
        self.opened = time.monotonic()
        self.page.on("request", lambda r: self._log("->", r))
        self.page.on("response", lambda r: self._log("<-", r.request, str(r.status)))
        self.page.on("requestfailed", lambda r: self._log("!!", r, str(r.failure)))
        route_offline(self.page, self.requests)
        if key:  # a person's key (an editors file): the key says who they are
            self.page.goto(f"{served.url}#token={key}")
            self.wait("!!(window.__atlas && __atlas.extensions.editor && __atlas.extensions.editor.me)")
            assert self.js("__atlas.extensions.editor.me.name") == name
            return
        self.page.goto(served.url)
        self.wait("!!(window.__atlas && window.__atlas.extensions.editor)")
        self.page.fill("#geo-editor-name", name)
        self.page.dispatch_event("#geo-editor-name", "change")

    def _log(self, arrow: str, request, said: str = "") -> None:
        if "/api/" in request.url:  # with the seconds since the tab opened: a slow answer shows as one
            at = time.monotonic() - self.opened
            self.traffic.append(
                f"{at:.1f}s {arrow} {request.method} {request.url.partition('/api/')[2]} {said}".rstrip()
            )

    def js(self, code: str):
        return self.page.evaluate(code)

    def wait(self, expression: str, timeout: float = 60.0) -> None:
        try:
            wait_for(self.page, expression, timeout)
        except AssertionError as err:
            # Say what the editor showed instead (its status line, the form's problems, any dialog or error) and what
            # it asked its server and heard back, so a failure seen once under load explains itself.
            shown = self.page.evaluate(STATE_JS)
            msg = (
                f"{err}; the editor showed {shown!r}, dialogs {self.dialogs!r}, errors {self.errors!r}, "
                f"its server traffic (last 12) {self.traffic[-12:]!r}"
            )
            raise AssertionError(msg) from None

    def located(self, ident: str) -> bool:
        return self.js(f"(() => {{ const a = __atlas; return !!a.items[a.indexOf({json.dumps(ident)})]; }})()")

    def open_edit(self, ident: str) -> None:
        self.js(f"__atlas.extensions.editor.edit({json.dumps(ident)}, 'x')")
        self.page.wait_for_selector(f"#geo-form[data-place='{ident}']")

    def close(self) -> None:
        assert self.errors == [], self.errors
        self.context.close()


def test_place_on_the_amap_basemap_and_another_page_sees_it(browser, served):
    a, b = Editor(browser, served, "张三"), Editor(browser, served, "李四")
    assert not a.located(MULIN) and not b.located(MULIN)
    # A switches to the Amap basemap, as a user does, in the layer control.
    a.page.hover(".leaflet-control-layers")
    a.page.click("text=高德 Amap (GCJ-02)")
    a.wait("__atlas.datum === 'gcj02'")
    target = (125.3341, 43.8412)  # a GCJ-02 position, as read off Amap
    a.js(f"__atlas.map.setView([{target[1]}, {target[0]}], 18, {{animate: false}})")
    a.page.click(f"button.geo-place[data-place='{MULIN}']")
    a.page.wait_for_selector("#geo-form")
    point = a.js(f"__atlas.map.latLngToContainerPoint([{target[1]}, {target[0]}])")
    box = a.page.query_selector(".folium-map").bounding_box()
    a.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    clicked = [float(v) for v in a.page.input_value("#geo-f-lonlat").split(",")]
    assert coords.distance_m(*clicked, *target) < 1.0  # one pixel at zoom 18 is under half a metre
    assert "gcj02" in a.page.text_content("#geo-datum")
    a.page.fill("#geo-f-source", "site visit 2026-11-20")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('placed by 张三') >= 0")
    # Page B is told by the server (live events), never reloaded: waiting for the place to appear is the check.
    b.wait(f"(() => {{ const a = __atlas; return !!a.items[a.indexOf('{MULIN}')]; }})()")
    feature = next(f for f in load_collection(served.data)["features"] if f["properties"]["id"] == MULIN)
    props = feature["properties"]
    assert props["datum_in"] == "gcj02" and props["coord_original"] == pytest.approx(clicked, abs=1e-7)
    exact = coords.gcj02_to_wgs84(*props["coord_original"])
    assert coords.distance_m(*exact, *feature["geometry"]["coordinates"]) < 0.1
    assert props["location_method"] == "manual" and props["location_source"] == "site visit 2026-11-20"
    assert 0 < props["uncertainty_m"] <= 10  # the default from zoom 18
    a.page.screenshot(path=str(served.data.parent / "editor-placed.png"))
    a.close()
    b.close()


def test_two_editors_different_places_both_land_same_place_conflicts(browser, served):
    a, b = Editor(browser, served, "张三"), Editor(browser, served, "李四")
    a.open_edit(MULIN)
    b.open_edit(MULIN)
    a.page.select_option("#geo-f-status", "planned")
    a.page.fill("#geo-f-source", "现场踏勘 site visit")  # a new status names its source
    b.page.select_option("#geo-f-status", "unknown")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('Saved: update 睦邻园') >= 0")
    b.page.click("#geo-save")
    b.page.wait_for_selector("#geo-conflict")
    conflict = b.page.text_content("#geo-conflict")
    assert "planned" in conflict and "unknown" in conflict  # theirs beside mine
    b.page.click("#geo-reapply")
    b.wait(
        "document.getElementById('geo-editor-status').textContent.indexOf('Saved: update 睦邻园: status') >= 0 && document.getElementById('geo-editor-status').textContent.indexOf('(by 李四)') >= 0"
    )
    status = {f["properties"]["id"]: f["properties"]["status"] for f in load_collection(served.data)["features"]}
    assert status[MULIN] == "unknown"
    # Different places at the same moment: both land.
    a.open_edit(MULIN)
    b.open_edit(CHUANGYI)
    a.page.select_option("#geo-f-status", "open")
    a.page.fill("#geo-f-source", "现场踏勘 site visit")
    b.page.select_option("#geo-f-status", "planned")
    b.page.fill("#geo-f-source", "规划公示 plan")
    a.js("document.getElementById('geo-save').click()")
    b.js("document.getElementById('geo-save').click()")
    # A's status line still says 'Saved: update 睦邻园: status, status_source (by 张三)' from its first save, word for
    # word what this one says: only the form closing (it does once the server has taken the change) says this one
    # landed. Waiting on the words alone read the file before A's save was in it (睦邻园 still 'unknown').
    for page, name in ((a, "睦邻园"), (b, "创意园")):
        page.wait(
            "!document.getElementById('geo-form') && !document.getElementById('geo-conflict') && "
            f"document.getElementById('geo-editor-status').textContent.indexOf('Saved: update {name}') >= 0"
        )
    status = {f["properties"]["id"]: f["properties"]["status"] for f in load_collection(served.data)["features"]}
    assert (status[MULIN], status[CHUANGYI]) == ("open", "planned")
    history = served.client.get("/api/history").json()["changes"]
    assert [h["editor"] for h in history[:2]] == ["张三", "李四"]
    assert sorted(h["editor"] for h in history[2:]) == ["张三", "李四"] and len(history) == 4
    a.close()
    b.close()


#: Keeps the rectangle Leaflet.draw adds to the map while it is drawn as ``window.__drawn`` (its corners are what a
#: release saves).
WATCH_DRAWN_JS = """(() => { window.__drawn = null; __atlas.map.on('layeradd', (e) => {
  if (e.layer instanceof L.Rectangle && !window.__drawn) window.__drawn = e.layer; }); })()"""

#: The drawn rectangle's south-west and north-east corners as container pixels, or null before it exists.
DRAWN_CORNERS_JS = """(() => { const r = window.__drawn, m = __atlas.map; if (!r || !m.hasLayer(r)) return null;
  const b = r.getBounds(), sw = m.latLngToContainerPoint(b.getSouthWest()), ne = m.latLngToContainerPoint(b.getNorthEast());
  return [[sw.x, sw.y], [ne.x, ne.y]]; })()"""


def _corners_at(editor: Editor, p1: dict, p2: dict) -> str:
    """JS that is true once the drawn rectangle's corners are the pixels p1 (south-west) and p2 (north-east)."""
    want = json.dumps([[p1["x"], p1["y"]], [p2["x"], p2["y"]]])
    return f"""(() => {{ const got = {DRAWN_CORNERS_JS}, want = {want};
  return !!got && got.every((c, k) => Math.abs(c[0] - want[k][0]) < 1.5 && Math.abs(c[1] - want[k][1]) < 1.5); }})()"""


def _draw_rectangle(editor: Editor, west_south, east_north) -> None:
    page = editor.page
    editor.js(f"__atlas.map.fitBounds([[{west_south[1]}, {west_south[0]}], [{east_north[1]}, {east_north[0]}]], {{animate: false, padding: [200, 200]}})")  # fmt: skip
    wait_until_still(page)
    p1 = editor.js(f"__atlas.map.latLngToContainerPoint([{west_south[1]}, {west_south[0]}])")
    p2 = editor.js(f"__atlas.map.latLngToContainerPoint([{east_north[1]}, {east_north[0]}])")
    box = page.query_selector(".folium-map").bounding_box()
    editor.js(WATCH_DRAWN_JS)
    page.click(".leaflet-draw-draw-rectangle")
    page.mouse.move(box["x"] + p1["x"], box["y"] + p1["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + (p1["x"] + p2["x"]) / 2, box["y"] + (p1["y"] + p2["y"]) / 2, steps=4)
    page.mouse.move(box["x"] + p2["x"], box["y"] + p2["y"], steps=4)
    # The button goes up once the drawn rectangle has both corners (the one pressed, the one moved to): the release
    # saves the corners the rectangle has then, and a failure says which corner is not where the mouse put it.
    try:
        wait_for(page, _corners_at(editor, p1, p2), timeout=30)
    except AssertionError:
        drawn = editor.js(DRAWN_CORNERS_JS)
        msg = f"the drawn rectangle's corners (south-west, north-east) are {drawn}, not {p1} and {p2}"
        raise AssertionError(msg) from None
    page.mouse.up()
    page.wait_for_selector("#geo-form")


def test_every_mouse_move_reaches_a_rectangle_being_drawn(browser, served):
    # Two moves in one task (well within the 32 ms in which Leaflet's canvas renderer drops all but the first move
    # over the places' canvas): the rectangle follows the second, so its corner is where the mouse is last.
    a = Editor(browser, served, "王五", height=1000)
    a.js("__atlas.map.setView([43.8403, 125.3305], 17, {animate: false})")
    wait_until_still(a.page)
    a.js(WATCH_DRAWN_JS)
    a.page.click(".leaflet-draw-draw-rectangle")
    a.page.mouse.move(300, 600)
    a.page.mouse.down()
    moved = a.js(
        """(() => { const move = (x, y) => { const t = document.elementFromPoint(x, y);
          t.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, cancelable: true, view: window, clientX: x,
                                                       clientY: y})); return t.tagName; };
          return [move(400, 500), move(500, 400)]; })()"""
    )
    corners = a.js(DRAWN_CORNERS_JS)
    box = a.page.query_selector(".folium-map").bounding_box()
    ne = [500 - box["x"], 400 - box["y"]]
    assert corners is not None and abs(corners[1][0] - ne[0]) < 1.5 and abs(corners[1][1] - ne[1]) < 1.5, (
        f"the rectangle's north-east corner is at {corners and corners[1]}, not {ne} (moves went to {moved})"
    )
    a.page.mouse.up()
    a.page.wait_for_selector("#geo-form")
    a.close()


def _draw_small_park(editor: Editor, name: str) -> None:
    """Draw the 6,400 m² rectangle and fill its form as a 游园 with a source (a save that lands)."""
    _draw_rectangle(editor, (125.3300, 43.8400), (125.3310, 43.8407))
    editor.page.fill("#geo-f-name", name)
    editor.page.fill("#geo-f-area", "6400")
    editor.page.select_option("#geo-f-class", "游园")
    editor.page.fill("#geo-f-source", "site plan, 南关区住建局")


def test_draw_a_rectangle_and_save_it_as_a_park(browser, served):
    a = Editor(browser, served, "王五", height=1000)
    _draw_rectangle(a, (125.3300, 43.8400), (125.3310, 43.8407))
    a.wait("document.getElementById('geo-mapped').textContent.indexOf('平方米') >= 0")
    digest = _digest(served.data)
    # A bad form: every problem at once, next to its field, and the file untouched.
    a.page.fill("#geo-f-area", "abc")
    a.page.click("#geo-save")
    a.page.wait_for_selector("#geo-problems li:nth-child(3)")
    problems = a.page.inner_text("#geo-problems")
    assert "名称" in problems and "abc" in problems
    assert a.page.text_content("#geo-p-name") and "abc" in a.page.text_content("#geo-p-area")
    assert _digest(served.data) == digest
    # Now right: the mapped area is shown beside the stated one; the clockwise rectangle is stored right-handed.
    a.page.fill("#geo-f-name", "方园")
    a.page.fill("#geo-f-area", "6400")
    a.page.select_option("#geo-f-class", "游园")
    a.page.fill("#geo-f-source", "site plan, 南关区住建局")
    a.page.check("#geo-f-confirm_area")
    if os.environ.get("NANGUAN_DOC_SCREENSHOTS"):  # the README's picture of the workflow
        DOCS.mkdir(exist_ok=True)
        a.page.screenshot(path=str(DOCS / "editor.png"))
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('Saved: add 方园') >= 0")
    park = next(f for f in load_collection(served.data)["features"] if f["properties"]["name"] == "方园")
    assert park["geometry"]["type"] == "Polygon" and signed_area(park["geometry"]["coordinates"][0]) > 0
    assert park["properties"]["park_class"] == "游园" and park["properties"]["stated_area_m2"] == 6400
    a.close()


#: The status line, the form's problems and whether its Save can be pressed.
FORM_JS = """(() => { const save = document.getElementById('geo-save'), list = document.getElementById('geo-problems');
  const status = document.getElementById('geo-editor-status');
  return {status: status.textContent, failed: status.classList.contains('geo-status-failed'),
          problems: list ? list.textContent : null, saveable: !!save && !save.disabled}; })()"""


def test_a_save_that_never_reaches_the_server_says_so_and_trying_again_saves(browser, served):
    a = Editor(browser, served, "王五", height=1000)
    _draw_small_park(a, "断线园")
    digest = _digest(served.data)
    # The first save is cut off before it leaves the browser (the server unreachable), the second is answered by
    # something that is not the editor's server (a proxy's error page); the measuring dry runs go through.
    failures = ["connectionrefused", "proxy"]

    def cut(route) -> None:
        body = route.request.post_data or ""
        if route.request.method != "POST" or '"dry_run":true' in body or not failures:
            route.continue_()
        elif failures.pop(0) == "proxy":
            route.fulfill(status=502, content_type="text/html", body="<html><body>502 Bad Gateway</body></html>")
        else:
            route.abort("connectionrefused")

    a.page.route(re.compile(r"/api/places$"), cut)
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('无法连接服务器') >= 0")
    shown = a.js(FORM_JS)
    assert "数据没有任何改动" in shown["status"] and "nothing was changed" in shown["status"], shown
    assert "无法连接服务器" in shown["problems"] and shown["saveable"], shown  # said in the form too, and usable
    assert shown["failed"], shown  # in the warning's colour, not the green of a save
    assert a.page.input_value("#geo-f-name") == "断线园"  # what the planner typed is kept
    assert _digest(served.data) == digest
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('HTTP 502') >= 0")
    shown = a.js(FORM_JS)
    assert "无法读取服务器的答复" in shown["status"] and "HTTP 502" in shown["problems"] and shown["saveable"], shown
    assert _digest(served.data) == digest and failures == []
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('Saved: add 断线园') >= 0")
    assert not a.js(FORM_JS)["failed"]
    saved = [f for f in load_collection(served.data)["features"] if f["properties"]["name"] == "断线园"]
    assert len(saved) == 1 and saved[0]["properties"]["stated_area_m2"] == 6400
    # A read the server does not answer says that nothing could be loaded, not that something was not saved.
    a.page.route(re.compile(r"/api/history"), lambda route: route.abort("connectionrefused"))
    a.page.click("#geo-history-open")
    # The list's text is taken when the message is there: the live update of the save above reloads the list
    # (refused again), which empties it while it asks.
    a.wait(
        "(() => { const l = document.getElementById('geo-history-list');"
        " const ok = [...l.querySelectorAll('li')].some(li => li.textContent.indexOf('无法连接服务器') >= 0);"
        " if (ok) window.__listed = l.innerText; return ok; })()"
    )
    listed = a.js("window.__listed")
    assert "未能载入" in listed and "nothing could be loaded" in listed and "未保存" not in listed, listed
    # Chromium logs the failures it was made to see; nothing else may be logged.
    a.errors = [e for e in a.errors if "ERR_CONNECTION_REFUSED" not in e and "status of 502" not in e]
    a.close()


def test_a_proposal_that_never_reaches_the_server_says_so_and_is_sent_again(browser, tmp_path):
    data = tmp_path / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", data)
    _, key = add_editor(data, "李居民", "proposer")
    with running(data) as served:
        a = Editor(browser, served, "李居民", key=key)
        cut = []
        a.page.route(re.compile(r"/api/proposals$"), lambda r: r.continue_() if cut else (cut.append(1), r.abort()))
        a.page.click(f"button.geo-place[data-place='{MULIN}']")
        a.page.fill("#geo-f-lonlat", "125.3341,43.8412")
        a.page.fill("#geo-f-source", "我家楼下 I live next to it")
        a.page.click("#geo-save")
        a.wait("document.getElementById('geo-editor-status').textContent.indexOf('无法连接服务器') >= 0")
        shown = a.js(FORM_JS)
        assert "无法连接服务器" in shown["problems"] and shown["saveable"], shown
        assert a.page.input_value("#geo-f-lonlat") == "125.3341,43.8412"
        assert not proposals_path(data).exists() or "125.3341" not in proposals_path(data).read_text(encoding="utf-8")
        # The list of one's proposals asked for before sending it again is answered last: it does not hide the new one.
        a.js(_hold_first("proposals"))
        a.js("window.__first = __atlas.extensions.editor.loadProposals(); 0")
        a.wait("window.__asked === true")
        a.page.click("#geo-save")
        a.wait("document.querySelectorAll('#geo-mine li[data-state=pending]').length === 1")
        assert "等待审核" in a.js(FORM_JS)["status"] and cut == [1]
        pending = "document.querySelectorAll('#geo-mine li[data-state=pending]').length"
        assert a.js(f"(window.__release(), window.__first.then(() => {pending}))") == 1
        a.errors = [e for e in a.errors if "ERR_FAILED" not in e]  # the failure it was made to see
        a.close()


def _hold_first(path: str) -> str:
    """Return JS that holds back the answer to the page's next GET of ``/api/<path>`` until ``__release()``.

    ``__asked`` is set once the server has answered it (its body is the file as it was then).
    """
    return f"""(() => {{ const real = window.fetch; let first = true;
  window.fetch = function (url, init) {{
    const answer = real.call(window, url, init);
    if (!first || (init && init.method && init.method !== 'GET') || !String(url).endsWith({json.dumps("/" + path)})) return answer;
    first = false;
    return answer.then((r) => {{ window.__asked = true; return new Promise((go) => {{ window.__release = () => go(r); }}); }});
  }}; }})()"""


def test_a_late_answer_never_replaces_a_newer_map_or_doubles_the_history(browser, served):
    a = Editor(browser, served, "孙八")
    editor = "__atlas.extensions.editor"
    a.js(f"{editor}.events.close()")  # this test makes the refreshes itself, one after the other
    # Two refreshes overlap and the first one's answer (the file before a change) comes last: the map keeps the newer.
    a.js(_hold_first("payload"))
    a.js(f"window.__first = {editor}.refresh(); 0")
    a.wait("window.__asked === true")  # the server has answered it, with the file as it was
    body = {"editor": "孙八", "version": served.version(MULIN), "changes": {"name": "新睦邻园"}}
    assert served.write("PATCH", f"/api/places/{MULIN}", body).status_code == 200
    name = f"__atlas.str('name', __atlas.indexOf('{MULIN}'))"
    assert a.js(f"{editor}.refresh().then(() => {name})") == "新睦邻园"
    assert a.js(f"(window.__release(), window.__first.then(() => {name}))") == "新睦邻园"
    # The history panel started again twice at once (a live update while another place is chosen): one list.
    a.page.click("#geo-history-open")
    a.wait("document.getElementById('geo-history').getAttribute('data-loaded') === '1'")
    twice = f"Promise.all([{editor}.reloadHistory(), {editor}.reloadHistory()])"
    listed = a.js(f"{twice}.then(() => [...document.querySelectorAll('#geo-history-list li[data-change]')].length)")
    assert listed == len(served.client.get("/api/history").json()["changes"]) == 1
    a.close()


def test_a_point_outside_the_district_is_refused_with_every_problem(browser, served):
    a = Editor(browser, served, "王五")
    digest = _digest(served.data)
    a.page.click(f"button.geo-place[data-place='{CHUANGYI}']")
    a.page.wait_for_selector("#geo-form")
    a.page.fill("#geo-f-lonlat", "125.2500,43.9100")
    a.page.fill("#geo-f-uncertainty", "-5")
    a.page.click("#geo-save")
    a.page.wait_for_selector("#geo-problems li:nth-child(4)")
    problems = a.page.inner_text("#geo-problems")
    assert "依据" in problems and "误差半径" in problems and "南关区以外" in problems, problems
    assert "南关区以外" in a.page.text_content("#geo-p-lonlat") and "请说明" in a.page.text_content("#geo-p-source")
    assert _digest(served.data) == digest
    a.close()


def test_script_in_a_name_is_text_and_remove_can_be_undone(browser, served):
    a = Editor(browser, served, "赵六")
    payload = '<img src=x onerror="window.__xss=1;alert(1)">'
    a.open_edit(MULIN)
    a.page.fill("#geo-f-name", payload)
    a.page.fill("#geo-f-notes", payload + " (notes)")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('Saved: update') >= 0")
    a.wait("(window.__atlasReloads || 0) >= 1")  # the live update has redrawn the page too
    a.page.fill("#atlas-search", "img")
    a.page.wait_for_selector("#atlas-results li button")
    assert payload in a.page.inner_text("#atlas-results")
    props = next(f["properties"] for f in load_collection(served.data)["features"] if f["properties"]["id"] == MULIN)
    assert props["name"] == payload and props["notes"] == payload + " (notes)"  # stored as text, both fields
    assert a.js("window.__xss === undefined") and a.dialogs == []
    digest = _digest(served.data)
    a.js(f"__atlas.extensions.editor.remove('{MULIN}', 'x')")
    a.page.wait_for_selector(f"#geo-form[data-place='{MULIN}']")
    a.page.click("#geo-save")
    a.page.wait_for_selector("#geo-undo")
    assert MULIN not in served.data.read_text(encoding="utf-8")
    a.page.click("#geo-undo")
    a.wait("document.getElementById('geo-editor-undo').textContent.indexOf('已撤销') >= 0")
    assert _digest(served.data) == digest
    a.close()


def test_a_save_with_two_problems_shows_both_beside_their_fields_in_chinese(browser, served):
    a = Editor(browser, served, "王五", height=1000)
    _draw_rectangle(a, (125.3300, 43.8400), (125.3310, 43.8407))
    digest = _digest(served.data)
    a.page.fill("#geo-f-name", "两误园")
    a.page.fill("#geo-f-area", "abc")  # not a number, and no source either
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-p-source').textContent.length > 0")
    area, source = a.page.text_content("#geo-p-area"), a.page.text_content("#geo-p-source")
    assert "面积应为平方米数" in area and "abc" in area, area
    assert "请说明您如何得知这个位置" in source, source
    listed = a.page.inner_text("#geo-problems")
    assert "面积（平方米）" in listed and "依据" in listed  # each with the form's label
    assert not re.search(r"--[a-z]", listed + area + source)  # no command-line option reaches the page
    assert _digest(served.data) == digest
    a.close()


def test_an_outline_edit_far_from_the_stated_area_is_refused_then_accepted_with_a_reason(browser, served):
    a = Editor(browser, served, "王五", height=1000)
    _draw_small_park(a, "改园")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-editor-status').textContent.indexOf('Saved: add 改园') >= 0")
    ident = next(
        f["properties"]["id"] for f in load_collection(served.data)["features"] if f["properties"]["name"] == "改园"
    )
    a.wait(f"(() => {{ const a = __atlas; return !!a.items[a.indexOf({json.dumps(ident)})]; }})()")
    a.js(f"__atlas.extensions.editor.editOutline({json.dumps(ident)}, '改园')")
    a.page.wait_for_selector("#geo-f-confirm_area")
    # The outline's corners moved out to four times the stated area (the vertices as the edit handles leave them).
    big = [[125.3300, 43.8400], [125.3320, 43.8400], [125.3320, 43.8414], [125.3300, 43.8414]]
    a.js(f"__atlas.extensions.editor.temp.setLatLngs({json.dumps([[p[1], p[0]] for p in big])})")
    a.page.fill("#geo-f-source", "survey 2026-11-30")
    digest = _digest(served.data)
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-problems').textContent.length > 0")
    listed = a.page.inner_text("#geo-problems")
    assert "面积" in listed and not re.search(r"--[a-z]", listed), listed
    assert _digest(served.data) == digest
    # Accepting the difference without a reason is refused on the reason; with one, it saves and the record keeps it.
    a.page.check("#geo-f-confirm_area")
    a.page.click("#geo-save")
    a.wait("document.getElementById('geo-p-reason').textContent.length > 0")
    assert _digest(served.data) == digest
    a.page.fill("#geo-f-reason", "扩建后的新边界，见区政府公告")
    a.page.click("#geo-save")
    a.wait("!document.getElementById('geo-form')")
    lines = history_path(served.data).read_text(encoding="utf-8").splitlines()
    assert any(json.loads(line).get("reason") == "扩建后的新边界，见区政府公告" for line in lines), lines[-1]
    a.close()
