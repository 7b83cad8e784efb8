"""Keys in the browser: a resident proposes, a planner reviews side by side, approves and declines (phone and desktop).

Headless Chromium against a real `geo serve` with an editors file; each page opens the link
`geo editors add` printed. Waiting is done by polling ``page.evaluate`` (the page's CSP forbids eval).
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from _fork import run_geo

from geo.editors import add_editor
from geo.history import read_history
from geo.store import load_collection

from _browser import LOCALE, launch_or_skip, route_offline, wait_for
from _server import REPO, running

pytestmark = pytest.mark.browser

MULIN = "mulin-pocket-park"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture(scope="module")
def browser():
    yield from launch_or_skip(REPO / "node_modules")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Tab:
    """One person's page, opened from the link with their key."""

    def __init__(self, browser, served, key: str, device: dict):
        self.context = browser.new_context(**device, locale=LOCALE)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        expected = ("status of 403", "status of 422")  # answers some steps ask for (Chromium logs them as errors)
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" and not any(e in m.text for e in expected) else None)  # fmt: skip
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        route_offline(self.page, [])
        self.page.goto(f"{served.url}#token={key}")
        self.wait("!!(window.__atlas && __atlas.extensions.editor && __atlas.extensions.editor.me)")

    def js(self, code: str):
        return self.page.evaluate(code)

    def wait(self, expression: str, timeout: float = 60.0) -> None:
        wait_for(self.page, expression, timeout)

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector)

    def close(self) -> None:
        assert self.errors == [], self.errors
        self.context.close()


def test_propose_review_approve_and_decline(browser, tmp_path):
    """A resident on a phone proposes twice; the planner approves one on a desktop and declines one on a phone.

    The review is done in both layouts in one run (the planner's second page, a phone, declines): it used to be
    two runs of the whole story, the resident and the planner swapping phone and desktop, each with its own server.
    What the swap also showed, proposing from a desktop, is the editor's form, which test_editor_browser fills on a
    desktop (the proposer's form is that form; only the answer differs).
    """
    data = tmp_path / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", data)
    _, proposer_key = add_editor(data, "李居民", "proposer")
    _, reviewer_key = add_editor(data, "王规划", "reviewer")
    digest = _digest(data)
    with running(data) as served:
        a, b = Tab(browser, served, proposer_key, PHONE), Tab(browser, served, reviewer_key, DESKTOP)
        assert a.text("#geo-editor-who") == "您是 You are: 李居民 · 提议人 proposer"
        assert b.text("#geo-editor-who") == "您是 You are: 王规划 · 审核人 reviewer"
        assert not a.page.is_visible("#geo-editor-name")  # the key says who you are
        for tab, key in ((a, proposer_key), (b, reviewer_key)):
            assert key not in tab.page.content() and key not in tab.page.url  # the key leaves the address bar
        # The resident proposes a location for an unlocated place, with the usual form.
        button = a.page.locator(f"button.geo-place[data-place='{MULIN}']")
        assert button.inner_text() == "提议位置 Propose a location"
        button.scroll_into_view_if_needed()
        button.click()
        a.page.fill("#geo-f-lonlat", "125.3341,43.8412")
        a.page.fill("#geo-f-source", "我家楼下 I live next to it")
        a.page.click("#geo-save")
        a.wait("document.getElementById('geo-editor-status').textContent.indexOf('等待审核') >= 0")
        # ... and a new pocket park.
        a.js("__atlas.extensions.editor.addPark({type: 'Point', coordinates: [125.3305, 43.8403]}, null)")
        a.page.fill("#geo-f-name", "邻里园")
        a.page.fill("#geo-f-area", "800")
        a.page.fill("#geo-f-source", "居民提议 resident")
        a.page.click("#geo-save")
        a.wait("document.querySelectorAll('#geo-mine li[data-state=pending]').length === 2")
        assert _digest(data) == digest  # proposals never touch the data
        # The planner sees both in the queue (live, without reloading), the proposal beside the place as it is.
        b.wait("document.querySelectorAll('#geo-queue li[data-proposal]').length === 2")
        b.page.locator("#geo-queue li", has_text="睦邻园").locator("button.geo-review").click()
        b.page.wait_for_selector("#geo-review")
        table = b.text("#geo-review table")
        assert "提议 Proposal" in table and "现状 Now" in table and "125.3341" in table and "—" in table
        assert b.js("!!__atlas.extensions.editor.temp")  # drawn on the map
        b.page.click("#geo-approve")
        b.wait("document.getElementById('geo-editor-status').textContent.indexOf('已采纳') >= 0")
        b.wait(f"!!__atlas.items[__atlas.indexOf({json.dumps(MULIN)})]")
        mulin = next(f for f in load_collection(data)["features"] if f["properties"]["id"] == MULIN)
        assert mulin["geometry"]["type"] == "Point"
        # Declining needs a reason, which the resident then sees: the planner declines from a phone.
        c = Tab(browser, served, reviewer_key, PHONE)
        assert c.text("#geo-editor-who") == "您是 You are: 王规划 · 审核人 reviewer"
        c.wait("document.querySelectorAll('#geo-queue li[data-proposal]').length === 1")
        c.page.locator("#geo-queue li", has_text="邻里园").locator("button.geo-review").click()
        c.page.wait_for_selector("#geo-review")
        assert "提议 Proposal" in c.text("#geo-review table") and c.js("!!__atlas.extensions.editor.temp")
        c.page.click("#geo-decline")
        c.page.wait_for_selector("#geo-problems li:nth-child(2)")
        assert "reason" in c.text("#geo-problems")
        c.page.fill("#geo-f-reason", "该处为停车场 · It is a car park")
        c.page.click("#geo-decline")
        c.wait("document.getElementById('geo-editor-status').textContent.indexOf('已拒绝') >= 0")
        for tab in (b, c):  # the desktop's queue empties too, live
            tab.wait("document.querySelectorAll('#geo-queue li[data-proposal]').length === 0")
        a.wait(
            "document.querySelectorAll('#geo-mine li[data-state=approved], #geo-mine li[data-state=declined]').length === 2"
        )
        assert "该处为停车场" in a.text("#geo-mine li[data-state=declined]")
        assert "已采纳" in a.text("#geo-mine li[data-state=approved]")
        a.page.screenshot(path=str(tmp_path / "resident.png"))
        b.page.screenshot(path=str(tmp_path / "planner.png"))
        c.page.screenshot(path=str(tmp_path / "planner-phone.png"))
        a.close()
        b.close()
        c.close()
    (record,) = read_history(data)
    assert (record["editor"], record["proposer"], record["place"]) == ("王规划", "李居民", MULIN)
    assert "邻里园" not in data.read_text(encoding="utf-8")


def test_a_revoked_key_turns_the_open_page_read_only(browser, tmp_path):
    data = tmp_path / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", data)
    _, key = add_editor(data, "赵编辑", "editor")
    with running(data) as served:
        tab = Tab(browser, served, key, DESKTOP)
        assert tab.text("#geo-editor-who") == "您是 You are: 赵编辑 · 编辑 editor"
        assert tab.page.is_visible(f"button.geo-place[data-place='{MULIN}']")
        done = run_geo(["editors", "revoke", "赵编辑", "--data", str(data)], timeout=120)
        assert done.returncode == 0, done.stderr
        # The server closes the page's keyed stream; the page asks who it is, hears 401 and says so.
        tab.wait("document.getElementById('geo-editor-who').textContent.indexOf('撤销') >= 0")
        assert not tab.page.is_visible(f"button.geo-place[data-place='{MULIN}']")
        tab.errors = [e for e in tab.errors if "status of 401" not in e]  # the answer the page asked for
        tab.close()
