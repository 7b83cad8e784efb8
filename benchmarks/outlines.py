"""Outlines at scale: the CPU seconds of each outline step of a build, and a built page's draw and click → popup.

    python -m benchmarks.outlines steps FILE            # CPU s of the check, rings, areas, encoding, download text
    python -m benchmarks.outlines page SITE [--rounds 3] # first draw and click → popup of SITE/index.html

``FILE`` is a data file of outlines (``python -m benchmarks.synth 100000 FILE --polygons``); ``SITE`` a
folder ``geo build --offline --out SITE`` wrote. ``steps`` alternates the two ways of measuring the areas
in one process (process CPU time, so a loaded machine slows both alike) and prints the largest difference.
``page`` opens the page in headless Chromium with the network cut, as ``benchmarks.peers`` does: the
first draw is from navigation until the atlas is built and two frames have passed; click → popup is
from a real mouse press on an outline, zoomed to it, until its popup is in the page (measured in the
page's clock, by a listener and a MutationObserver).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


#: Features the columnar reader checks at a time (about what ``store.load_frame`` hands ``checked_outlines``).
_RUN = 6_250


def _cpu(fn: Any) -> tuple[float, Any]:
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def steps(path: Path, rounds: int = 2) -> None:
    """Print the CPU seconds of the outline steps of the payload on ``path``'s outlines."""
    import numpy as np
    import orjson
    import shapely
    from pyproj import Geod

    from geo import coords, export, geojson, model, payload, store

    gdf, _ = store.load_frame(path)
    geoms = gdf.geometry.to_numpy()
    print(f"{len(geoms):,} outlines", file=sys.stderr)
    decoded = [f["geometry"] for f in orjson.loads(path.read_bytes())["features"]]
    runs = [decoded[i : i + _RUN] for i in range(0, len(decoded), _RUN)]
    chunks = [geoms[i : i + export._CHUNK] for i in range(0, len(geoms), export._CHUNK)]

    def check() -> None:
        for run in runs:
            geojson.checked_outlines(run, model.DISTRICT_BBOX)

    def texts(kml: bool) -> None:
        for chunk in chunks:
            export._geometry_texts(chunk, kml=kml)

    def geographiclib(rings: dict[str, Any]) -> Any:
        measure = Geod(ellps="WGS84").polygon_area_perimeter
        x, y = np.ascontiguousarray(rings["xy"][:, 0]), np.ascontiguousarray(rings["xy"][:, 1])
        bounds = itertools.pairwise(rings["offsets"].tolist())
        return np.fromiter((abs(measure(x[s:e], y[s:e])[0]) for s, e in bounds), dtype=float)

    for k in range(rounds):
        t_rings, rings = _cpu(partial(coords.ring_arrays, geoms))
        t_once, once = _cpu(partial(coords._ring_areas, rings["xy"], rings["offsets"]))
        t_glib, glib = _cpu(partial(geographiclib, rings))
        t_enc, _ = _cpu(partial(payload._encode_polygons, np.arange(len(geoms)), rings))
        t_valid, _ = _cpu(partial(shapely.is_valid, geoms))
        t_check, _ = _cpu(check)
        t_geojson, _ = _cpu(partial(texts, False))
        t_kml, _ = _cpu(partial(texts, True))
        print(
            f"round {k + 1}: checked_outlines {t_check:.2f} s, ring_arrays {t_rings:.2f} s, areas at once "
            f"{t_once:.2f} s, GeographicLib per ring {t_glib:.2f} s (largest difference "
            f"{np.abs(once - glib).max():.2g} m²), encode {t_enc:.2f} s, shapely.is_valid {t_valid:.2f} s, "
            f"download text GeoJSON {t_geojson:.2f} s, KML {t_kml:.2f} s (CPU)"
        )


_CLICK = """async (i) => {
  const a = window.__atlas, map = a.map, item = a.items[i];
  map.setView(item.getLatLng(), 18, { animate: false });
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const pt = map.latLngToContainerPoint(item.getLatLng()), box = map.getContainer().getBoundingClientRect();
  window.__pressed = null; window.__shown = null;
  document.addEventListener("mousedown", () => { window.__pressed = performance.now(); }, { capture: true, once: true });
  const seen = new MutationObserver(() => {
    if (document.querySelector(".leaflet-popup-content .atlas-popup")) { window.__shown = performance.now(); seen.disconnect(); }
  });
  seen.observe(document.body, { childList: true, subtree: true });
  return [box.left + pt.x, box.top + pt.y];
}"""


def page_figures(site: Path, rounds: int = 3, timeout_s: float = 300) -> list[dict[str, Any]]:
    """First draw (s) and click → popup (ms) of ``site``'s page, one fresh page per round."""
    from playwright.sync_api import sync_playwright

    from _browser import ATLAS_PROBE, CHROMIUM_ARGS, chromium_path, route_offline, serve

    exe = chromium_path()
    if exe is None:
        raise SystemExit("no Chromium on PATH")
    out = []
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        for _ in range(rounds):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.add_init_script(ATLAS_PROBE)  # the suite's probe: the page hands it the atlas once built
            route_offline(page, [])
            page.goto(f"{url}/index.html", wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function("window.__atlas !== undefined", timeout=timeout_s * 1000, polling=50)
            drawn = page.evaluate(
                "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
            )
            n = page.evaluate("window.__atlas.items.length")
            i = page.evaluate("(m) => window.__atlas.items.findIndex((x, k) => x && k >= m)", n // 2)
            x, y = page.evaluate(_CLICK, i)
            page.mouse.click(x, y)
            page.wait_for_function("window.__shown !== null", timeout=timeout_s * 1000, polling=20)
            click = page.evaluate("window.__shown - window.__pressed")
            name = page.evaluate(
                "document.querySelector('.leaflet-popup-content .atlas-popup').textContent.slice(0, 40)"
            )
            out.append({"draw_s": round(drawn / 1000, 2), "click_popup_ms": round(click, 1), "place": i, "popup": name})
            print(f"  {out[-1]}", file=sys.stderr)
            page.close()
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["steps", "page"])
    parser.add_argument("path")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    if args.what == "steps":
        steps(Path(args.path), args.rounds or 2)
    else:
        runs = page_figures(Path(args.path), args.rounds or 3)
        draws = sorted(r["draw_s"] for r in runs)
        clicks = sorted(r["click_popup_ms"] for r in runs)
        print(f"first draw median {draws[len(draws) // 2]} s, click → popup median {clicks[len(clicks) // 2]} ms")


if __name__ == "__main__":
    main()
