"""Helpers for the browser suite: a loopback HTTP server and stub map tiles."""

from __future__ import annotations

import functools
import http.server
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

    page.route("**/*", handle)  # type: ignore[attr-defined]


def launch_or_skip(node_modules: Path) -> Iterator[object]:
    """Yield a headless Chromium (Playwright); skip where it cannot run, but fail under CI, which must run it."""
    import os

    import pytest

    def require(condition: bool, why: str) -> None:
        if condition:
            return
        if os.environ.get("CI"):
            pytest.fail(f"{why} (CI must run the browser tests)")
        pytest.skip(why)

    exe = chromium_path()
    require(exe is not None, "Chromium is not installed (apt-get install chromium)")
    require((node_modules / "leaflet" / "package.json").exists(), "node_modules is missing (run npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
