"""Helpers for the browser suite: a loopback HTTP server and stub map tiles."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
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

    Every browser suite shares it, and its ``new_context``/``new_page`` hand out pooled pages (:class:`_Pool`) that
    are reset between tests, so no test sees another's listeners, routes, cookies, storage, cache or history; a
    worker launches Chromium once instead of once per test module (and again each time xdist's work
    stealing hands it tests of a module it had left). Playwright's sync API marks the thread's event loop as running
    between its calls, so a test in the same process cannot ``asyncio.run()`` while it lives (none does: the
    servers under test run in their own processes).
    """
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        _pooled(browser)
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


#: The most idle pages a worker keeps (the suites use about twenty kinds: viewports, touch, locales, scales).
POOL_SIZE = 24

#: How often a page's ``wait_for_function`` checks its condition, in ms. Playwright's default checks on every
#: animation frame, which keeps the page drawing frames for as long as the wait lasts: on a busy machine, where
#: waits last longer, that is CPU taken from the work being waited for.
POLL_MS = 50

#: What a test may do to a context or page that a reset cannot undo: such a one is closed after the test, not reused.
_TAINTS = frozenset(
    {
        "add_init_script",
        "expose_binding",
        "expose_function",
        "grant_permissions",
        "set_geolocation",
        "set_offline",
        "set_extra_http_headers",
        "set_http_credentials",
        "route_from_har",
        "route_web_socket",
        "new_cdp_session",
    }
)


class _Slot:
    """One context and its one page, kept for the next test that asks for the same options."""

    def __init__(self, new_context: object, key: str, options: dict) -> None:
        self.key, self.options = key, options
        self.context = new_context(**options)  # type: ignore[operator]
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.set_default_navigation_timeout(TIMEOUT_MS)
        self.context.add_init_script(ATLAS_PROBE)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.origins: set[str] = set()
        self.page.on("framenavigated", self._seen)
        self.listeners: list[tuple[object, str, object]] = []
        self.tainted = self.in_use = self.changed_view = self.handed_out = False

    def _seen(self, frame: object) -> None:
        url = frame.url  # type: ignore[attr-defined]
        if url.startswith(("http://", "https://")):
            self.origins.add("/".join(url.split("/", 3)[:3]))

    def reset(self) -> None:
        """Make the page what a new context's new page is: no listeners, routes, storage, cookies, cache or history.

        Raises whatever Playwright raises if the page cannot be reset (the caller then closes it).
        """
        for target, event, handler in self.listeners:
            target.remove_listener(event, handler)  # type: ignore[attr-defined]
        self.listeners.clear()
        page, context = self.page, self.context
        for other in context.pages:
            if other is not page:
                other.close()
        page.unroute_all(behavior="ignoreErrors")
        context.unroute_all(behavior="ignoreErrors")
        if self.changed_view:
            page.emulate_media(media="null", color_scheme="null", reduced_motion="null", forced_colors="null")
            if self.options.get("viewport"):
                page.set_viewport_size(self.options["viewport"])
            self.changed_view = False
        # sessionStorage belongs to the tab, not the origin's storage that CDP clears below.
        page.evaluate("() => { try { sessionStorage.clear(); } catch (e) {} }")
        page.goto("about:blank")
        page.mouse.move(0, 0)
        self.cdp.send("Page.resetNavigationHistory")
        for origin in self.origins:
            self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self.origins.clear()
        self.cdp.send("Network.clearBrowserCache")
        context.clear_cookies()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a crashed page or browser: nothing left to close
            self.context.close()


class _Pool:
    """Idle pages per context options, so a worker opens a page per kind of page, not per test.

    A new Chromium context and page cost about 1.5 s of CPU on these machines; navigating a page that exists costs
    a fraction of that. ``browser.new_context(**options)`` and ``browser.new_page(**options)`` hand out an idle page
    made with the same options, reset (:meth:`_Slot.reset`) to what a new one is, or make one; the test's
    ``close()`` resets it and keeps it. A test that changes what a reset cannot undo (an init script, a permission,
    offline mode, a second page of its own) gets its context closed instead, and a failed test empties the pool
    (:func:`discard_idle`, conftest), so a page that saw a failure is never reused.
    """

    def __init__(self, browser: object) -> None:
        self.new_context = browser.new_context  # type: ignore[attr-defined]
        self.idle: list[_Slot] = []
        self.busy: list[_Slot] = []

    def take(self, options: dict) -> _Slot:
        key = json.dumps(options, sort_keys=True, default=str)
        for slot in self.idle:
            if slot.key == key:
                self.idle.remove(slot)
                break
        else:
            slot = _Slot(self.new_context, key, options)
        slot.in_use, slot.handed_out = True, False
        self.busy.append(slot)
        return slot

    def give_back(self, slot: _Slot) -> None:
        if not slot.in_use:
            return
        slot.in_use = False
        self.busy.remove(slot)
        try:
            if slot.tainted or slot.page.is_closed():
                raise RuntimeError("not reusable")
            slot.reset()
        except Exception:
            slot.close()
            return
        self.idle.insert(0, slot)
        while len(self.idle) > POOL_SIZE:
            self.idle.pop().close()

    def close_all(self) -> None:
        for slot in self.idle + self.busy:
            slot.close()
        self.idle.clear()
        self.busy.clear()


class _Wrapped:
    """What the test holds instead of Playwright's object: everything is passed through, and what it adds is noted."""

    def __init__(self, real: object, slot: _Slot, pool: _Pool) -> None:
        self._real, self._slot, self._pool = real, slot, pool

    def __getattr__(self, name: str) -> object:
        if name in _TAINTS:
            self._slot.tainted = True
        return getattr(self._real, name)

    def on(self, event: str, handler: object) -> None:
        self._real.on(event, handler)  # type: ignore[attr-defined]
        self._slot.listeners.append((self._real, event, handler))

    def once(self, event: str, handler: object) -> None:
        self._real.once(event, handler)  # type: ignore[attr-defined]
        self._slot.listeners.append((self._real, event, handler))

    def remove_listener(self, event: str, handler: object) -> None:
        self._real.remove_listener(event, handler)  # type: ignore[attr-defined]
        self._slot.listeners = [x for x in self._slot.listeners if x[1:] != (event, handler)]


class _PooledPage(_Wrapped):
    def __init__(self, slot: _Slot, pool: _Pool, owns_context: bool) -> None:
        super().__init__(slot.page, slot, pool)
        self._owns_context = owns_context

    @property
    def context(self) -> _PooledContext:
        return _PooledContext(self._slot, self._pool)

    def wait_for_function(self, expression: str, *, polling: object = POLL_MS, **options: object) -> object:
        """Playwright's wait, checking every :data:`POLL_MS` instead of every animation frame (its default)."""
        return self._real.wait_for_function(expression, polling=polling, **options)  # type: ignore[attr-defined]

    def emulate_media(self, **options: object) -> None:
        self._slot.changed_view = True
        self._real.emulate_media(**options)  # type: ignore[attr-defined]

    def set_viewport_size(self, size: object) -> None:
        self._slot.changed_view = True
        self._real.set_viewport_size(size)  # type: ignore[attr-defined]

    def close(self, **options: object) -> None:
        if not self._owns_context:  # the page of a test's own context: that context is not reused
            self._slot.tainted = True
            self._real.close(**options)  # type: ignore[attr-defined]
        self._pool.give_back(self._slot)


class _PooledContext(_Wrapped):
    def __init__(self, slot: _Slot, pool: _Pool) -> None:
        super().__init__(slot.context, slot, pool)

    def new_page(self) -> object:
        if not self._slot.handed_out:
            self._slot.handed_out = True
            return _PooledPage(self._slot, self._pool, owns_context=False)
        self._slot.tainted = True  # a second page of its own: this context is closed after the test
        return self._real.new_page()  # type: ignore[attr-defined]

    def close(self, **options: object) -> None:
        self._pool.give_back(self._slot)


def _pooled(browser: object) -> None:
    """Make ``browser.new_context`` and ``browser.new_page`` hand out pooled pages (:class:`_Pool`).

    Every page waits up to :data:`TIMEOUT_MS` and runs :data:`ATLAS_PROBE`.
    """
    pool = _Pool(browser)
    _SHARED["pool"] = pool

    def context(**options: object) -> _PooledContext:
        return _PooledContext(pool.take(options), pool)

    def page(**options: object) -> _PooledPage:
        slot = pool.take(options)
        slot.handed_out = True  # its context's new_page() is a second page
        return _PooledPage(slot, pool, owns_context=True)

    browser.new_context, browser.new_page = context, page  # type: ignore[attr-defined]


def discard_idle() -> None:
    """Close this worker's idle pages (after a failed test: the next test gets a new page, not one that saw it)."""
    pool = _SHARED.get("pool")
    if isinstance(pool, _Pool):
        for slot in pool.idle:
            slot.close()
        pool.idle.clear()


def stop_shared_browser() -> None:
    """Close the shared Chromium and Playwright, if this process started them (conftest's session end)."""
    pool, browser, playwright = _SHARED.pop("pool", None), _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    if isinstance(pool, _Pool):
        pool.close_all()
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
    # The pool's idle pages (reset, at about:blank) stay for the next module.
    if not browser.is_connected():  # type: ignore[attr-defined]
        stop_shared_browser()
        return
    pool = _SHARED.get("pool")
    if isinstance(pool, _Pool):
        for slot in list(pool.busy):  # a page its test never closed: not reset and reused, closed
            slot.tainted = True
            pool.give_back(slot)
    kept = [slot.context for slot in pool.idle] if isinstance(pool, _Pool) else []
    for context in browser.contexts:  # type: ignore[attr-defined]
        if not any(context == k for k in kept):
            context.close()


def wait_for(page: object, expression: str, timeout: float = 60.0, step: float = 0.02) -> None:
    """Poll until the page's ``expression`` is truthy (a condition, not a deadline: the timeout only ends a hung test).

    The pause between checks starts at ``step`` and grows to 0.2 s: a long wait (a server's live event on a busy
    machine) does not spend the CPU it waits for on fifty round trips to the page a second.
    """
    import time

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if page.evaluate(expression):  # type: ignore[attr-defined]
            return
        time.sleep(step)
        step = min(step * 1.5, 0.2)
    msg = f"timed out waiting for {expression}"
    raise AssertionError(msg)


#: Leaflet is not animating: no zoom transition (during one the centre does not change, so a steady centre alone
#: would not tell) and no pan (an autopan, a panBy). Leaflet 1.9's own flags, pinned by package-lock.json.
IDLE_JS = """() => { const m = window.__atlas.map;
  return !m._animatingZoom && !(m._panAnim && m._panAnim._inProgress); }"""

#: Resolves after two animation frames: what a frame was asked to start (Leaflet's zoom) has started.
NEXT_FRAMES_JS = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

VIEW_JS = "(() => { const m = window.__atlas.map, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; })()"


def wait_until_still(page: object) -> None:
    """Wait for the atlas's map to stop moving: no zoom or pan animation running, then the same view twice in a row.

    A condition, not a number of frames or milliseconds: on a busy machine an animation's frames come late, and a
    click or hover computed from a view that is still moving lands beside the place.
    """
    last = None
    while True:
        # Two frames first: a zoom that Leaflet has been asked for starts in the next animation frame, and until then
        # neither its flag nor the view says so (on a busy machine that frame can come after the 100 ms below).
        page.evaluate(NEXT_FRAMES_JS)  # type: ignore[attr-defined]
        page.wait_for_function(IDLE_JS)  # type: ignore[attr-defined]
        now = page.evaluate(VIEW_JS)  # type: ignore[attr-defined]
        if now == last:
            return
        last = now
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
