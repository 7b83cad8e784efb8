"""The browser suites' page pool (tests/_browser.py): a page handed to a second test is what a new page is.

The suites reuse one page per kind (viewport, touch, locale) in each worker instead of opening a Chromium context
per test; these tests show that the reset leaves nothing behind that a new page would not have, and that a page a
reset cannot clean (an init script of the test's own, a second page) is closed, not reused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _browser import launch_or_skip, serve

pytestmark = pytest.mark.browser

REPO = Path(__file__).parent.parent
OPTIONS = {"viewport": {"width": 700, "height": 500}, "locale": "zh-CN"}

#: What a page carries over from what ran in it before: everything here is empty or default on a new page.
STATE_JS = """() => ({storage: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
  history: history.length, print: matchMedia('print').matches, width: innerWidth, height: innerHeight,
  hovered: document.querySelectorAll(':hover').length})"""


@pytest.fixture(scope="module")
def browser():
    yield from launch_or_skip(REPO / "node_modules")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("pool")
    page = "<!doctype html><title>t</title><div id='box' style='width:100%;height:400px'>x</div>"
    (root / "index.html").write_text(page, encoding="utf-8")
    (root / "other.html").write_text(page, encoding="utf-8")
    with serve(root) as base:
        yield base


def _state(page, url: str) -> dict:
    page.goto(url)
    return page.evaluate(STATE_JS)


def test_a_reused_page_is_reset_to_what_a_new_page_is(browser, site):
    url = f"{site}/index.html"
    context = browser.new_context(**OPTIONS)
    page = context.new_page()
    first = page._real
    heard: list[str] = []
    routed: list[str] = []
    page.on("console", lambda m: heard.append(m.text))
    page.route("**/other.html", lambda route: (routed.append(route.request.url), route.continue_()))
    page.goto(url)
    page.evaluate("() => { localStorage.setItem('k', 1); sessionStorage.setItem('k', 1); document.cookie = 'k=1'; }")
    page.goto(f"{site}/other.html")
    assert routed
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 400, "height": 300})
    page.mouse.move(50, 50)
    assert page.evaluate(STATE_JS)["print"] and page.evaluate(STATE_JS)["hovered"] > 0
    context.close()

    again = browser.new_context(**OPTIONS)
    page = again.new_page()
    assert page._real is first, "the page was not reused"
    assert page.url == "about:blank"
    routed.clear()
    reused = _state(page, url)
    page.evaluate("() => console.log('after')")
    page.goto(f"{site}/other.html")
    assert "after" not in heard, "the last test's listener still hears this page"
    assert routed == [], "the last test's route still answers"
    again.close()

    # The same checks on a page no test has used (other options, so the pool makes a new one).
    fresh_context = browser.new_context(**{**OPTIONS, "locale": "en-US"})
    fresh_page = fresh_context.new_page()
    try:
        assert reused == _state(fresh_page, url)
        assert reused["storage"] == reused["session"] == 0 and reused["cookie"] == "" and not reused["print"]
        assert (reused["width"], reused["height"]) == (700, 500)
    finally:
        fresh_context.close()


def test_a_page_the_reset_cannot_clean_is_closed_not_reused(browser, site):
    context = browser.new_context(**OPTIONS)
    page = context.new_page()
    page.add_init_script("window.__mine = 1")
    first = page._real
    page.goto(f"{site}/index.html")
    assert page.evaluate("window.__mine") == 1
    context.close()
    assert first.is_closed()
    again = browser.new_context(**OPTIONS)
    try:
        page = again.new_page()
        assert page._real is not first
        page.goto(f"{site}/index.html")
        assert page.evaluate("window.__mine") is None
    finally:
        again.close()


def test_new_page_pages_are_pooled_too(browser, site):
    page = browser.new_page(**OPTIONS)
    first = page._real
    page.goto(f"{site}/index.html")
    page.close()
    assert not first.is_closed()
    page = browser.new_page(**OPTIONS)
    try:
        assert page._real is first and page.url == "about:blank"
        # A second page in its context is a page of its own, and the context is not reused after it.
        second = page.context.new_page()
        assert second is not first and second.url == "about:blank"
    finally:
        page.close()
    assert second.is_closed() and first.is_closed()
