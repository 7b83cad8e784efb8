"""Helpers for the browser suite: a loopback HTTP server and stub map tiles."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def solid_png(rgb: tuple[int, int, int] = (236, 236, 230), size: int = 256) -> bytes:
    """Return a PNG of one colour with a darker 1-px border (so tile seams show)."""
    rows = []
    edge = bytes(max(c - 40, 0) for c in rgb)
    fill = bytes(rgb)
    for y in range(size):
        row = edge * size if y in (0, size - 1) else edge + fill * (size - 2) + edge
        rows.append(b"\x00" + row)
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str | None:
    """Return Debian's chromium (or another Chromium) on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


#: The page chooses its language from the browser's: the suite reads the Chinese page unless a test asks otherwise.
LOCALE = "zh-CN"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TILE_HOSTS = ("tile.openstreetmap.org", "arcgisonline.com", "autonavi.com")
TILES = {
    "tile.openstreetmap.org": solid_png((232, 240, 228)),
    "arcgisonline.com": solid_png((238, 238, 238)),
    "autonavi.com": solid_png((245, 240, 225)),
}


#: Every URL that is not the test's own server (nor data: or blob:): the requests :func:`route_offline` answers.
OFF_LOOPBACK = re.compile(r"^(?!http://127\.0\.0\.1[:/])(?!data:)(?!blob:)")


def route_offline(page: object, seen: list[str]) -> None:
    """Fulfil tile requests with stub PNGs and abort everything not on loopback."""

    def handle(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
            return
        for host, png in TILES.items():
            if host in url:
                seen.append(url)
                route.fulfill(status=200, content_type="image/png", body=png)  # type: ignore[attr-defined]
                return
        seen.append(url)
        route.abort()  # type: ignore[attr-defined]

    # Only what is not on loopback comes to Python: the pattern is a regular expression the browser side matches, so
    # the page's own scripts, styles and payload load without a round trip through this process per request.
    page.route(OFF_LOOPBACK, handle)  # type: ignore[attr-defined]


#: The one Playwright and Chromium of this test process (an xdist worker), started by the first browser test.
_SHARED: dict[str, object] = {}


def shared_browser() -> object:
    """Return this process's headless Chromium, launching it on first use (:func:`stop_shared_browser` ends it).

    Every browser suite shares it and opens a new context per test, so no test sees another's pages, cookies or
    storage; a worker launches Chromium once instead of once per test module (and again each time xdist's work
    stealing hands it tests of a module it had left). Playwright's sync API marks the thread's event loop as running
    between its calls, so a test in the same process cannot ``asyncio.run()`` while it lives (none does: the
    servers under test run in their own processes).
    """
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        _generous_timeouts(browser)
        _SHARED["browser"] = browser
    return _SHARED["browser"]


#: Playwright's own default (30 s per wait, click or navigation) is short for two cores that other work keeps busy:
#: every context of the shared browser waits up to this long for a condition before the test fails as hung.
TIMEOUT_MS = 90_000


#: Run in every page before its scripts: reaches the atlas the way an extension does, through the page's declared
#: interface (``nanguanAtlas.registerExtension``, see geo/static/src/atlas/core.js), and keeps it for the tests as
#: ``window.__atlas`` (its extensions' hooks as ``__atlas.extensions``), counting its reloads (live updates) in
#: ``window.__atlasReloads``. The page itself ships no such global: these are the tests' own.
ATLAS_PROBE = """
(() => {
  let entry;
  Object.defineProperty(window, "nanguanAtlas", {
    configurable: true,
    get() { return entry; },
    set(value) {
      entry = value;
      value.registerExtension({ name: "testProbe", attach(atlas) {
        window.__atlas = atlas;
        return { onReload() { window.__atlasReloads = (window.__atlasReloads || 0) + 1; } };
      } });
    },
  });
})();
"""


def _generous_timeouts(browser: object) -> None:
    """Make every context (and page) the browser opens default to :data:`TIMEOUT_MS` for waits and navigations.

    Every one also runs :data:`ATLAS_PROBE` in its pages.
    """
    new_context, new_page = browser.new_context, browser.new_page  # type: ignore[attr-defined]

    def context(**options: object) -> object:
        made = new_context(**options)
        made.set_default_timeout(TIMEOUT_MS)
        made.set_default_navigation_timeout(TIMEOUT_MS)
        made.add_init_script(ATLAS_PROBE)
        return made

    def page(**options: object) -> object:
        made = new_page(**options)
        made.context.set_default_timeout(TIMEOUT_MS)
        made.context.set_default_navigation_timeout(TIMEOUT_MS)
        made.context.add_init_script(ATLAS_PROBE)
        return made

    browser.new_context, browser.new_page = context, page  # type: ignore[attr-defined]


def stop_shared_browser() -> None:
    """Close the shared Chromium and Playwright, if this process started them (conftest's session end)."""
    browser, playwright = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    if browser is not None:
        browser.close()  # type: ignore[attr-defined]
    if playwright is not None:
        playwright.stop()  # type: ignore[attr-defined]


def launch_or_skip(node_modules: Path) -> Iterator[object]:
    """Yield the shared headless Chromium; skip where it cannot run, but fail under CI, which must run it.

    A generator for the suites' ``browser`` fixtures (``yield from launch_or_skip(...)``); the browser outlives the
    fixture (see :func:`shared_browser`), and the test's own contexts are what it closes.
    """
    import os

    import pytest

    def require(condition: bool, why: str) -> None:
        if condition:
            return
        if os.environ.get("CI"):
            pytest.fail(f"{why} (CI must run the browser tests)")
        pytest.skip(why)

    require(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    require((node_modules / "leaflet" / "package.json").exists(), "node_modules is missing (run npm ci)")
    browser = shared_browser()
    yield browser
    # What closing the browser did before it was shared: a page a failed test left open stops here, with its
    # module, rather than drawing in the background for the rest of the run; a crashed Chromium is replaced.
    if not browser.is_connected():  # type: ignore[attr-defined]
        stop_shared_browser()
        return
    for context in browser.contexts:  # type: ignore[attr-defined]
        context.close()


def wait_for(page: object, expression: str, timeout: float = 60.0, step: float = 0.02) -> None:
    """Poll until the page's ``expression`` is truthy (a condition, not a deadline: the timeout only ends a hung test)."""
    import time

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if page.evaluate(expression):  # type: ignore[attr-defined]
            return
        time.sleep(step)
    msg = f"timed out waiting for {expression}"
    raise AssertionError(msg)
