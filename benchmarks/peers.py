"""Build the same places with nanguan-geo and its peers, alternating, and print the ratios.

    python -m benchmarks.peers 100000                 # synthetic points (benchmarks/synth.py), 2 rounds
    python -m benchmarks.peers 100000 --polygons      # 64-vertex park outlines
    python -m benchmarks.peers 1000000 --rounds 1 --peers ours,lonboard --no-browser

Each build is a separate process (imports included) whose peak memory is its own high-water mark
(VmHWM) plus its children's largest peak (an upper bound of the process tree's peak: ours forks a
child that writes the downloads while the page is made). The peers, where installed (``pip install .[bench]``; none is a dependency of the project):

- ``ours``: ``geo build --offline`` (the page is ``index.html``; its scripts sit in ``lib/``);
- ``lonboard``: ``ScatterplotLayer`` / ``PolygonLayer`` from the GeoDataFrame with every non-empty
  property column, written as one standalone HTML;
- ``fastmarkercluster``: folium's ``FastMarkerCluster`` with the name in each popup;
- ``pydeck``: a ``ScatterplotLayer`` / ``PolygonLayer`` with every property, ``Deck.to_html``.

Rounds alternate the tools (ours, lonboard, ..., ours, lonboard, ...) so that a busy machine slows
them alike; the table shows medians and each peer's ratio to ours. ``build CPU s`` is the user and
system CPU of the build's processes (ours and its writer child together): on a loaded machine wall
seconds follow the other work on it, CPU seconds much less. ``peak PSS`` is the largest sum of the
build's processes' proportional set sizes, sampled every 0.2 s (so a lower bound of the true peak, where
``peak RSS`` is an upper bound): a page a forked child still shares with its parent counts once, not twice. The first draw is measured in
headless Chromium with the network cut (pages that need a CDN never draw: shown as ``-``): from
navigation until the page's features are on screen (ours: the atlas built, then two frames;
deck.gl pages: a canvas; folium: the cluster icons). A page that loads its scripts from a CDN (lonboard's
and pydeck's standalone HTML load require.js and the widget manager, folium loads Leaflet) cannot draw
on a machine without network: its draw is shown as ``-``.
"""

from __future__ import annotations

import argparse
import gzip
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

#: Peak memory, printed last: the process's own high-water mark (VmHWM; see benchmarks/run.py for why
#: not its ru_maxrss) plus the largest peak of the child processes it waited for (``ru_maxrss`` of
#: RUSAGE_CHILDREN; ours forks one child to write the downloads). The sum is an upper bound of the
#: tree's peak: the child's pages shared with its parent are counted twice, and the two peaks need
#: not be at the same moment. A tool that starts no child adds 0.
_HWM = """
import resource
hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")]
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("MAXRSS_KB", int(hwm[0] if hwm else 0) + children, file=sys.stderr)
print("CHILDREN_MAXRSS_KB", children, file=sys.stderr)
"""

_OURS = (
    """
import runpy, sys
sys.argv = ["geo", "build", "--offline", "--data", sys.argv[1], "--out", sys.argv[2]]
try:
    runpy.run_module("geo", run_name="__main__")
except SystemExit as exit:
    if exit.code:
        raise
"""
    + _HWM
)

_READ = """
import sys
import geopandas as gpd
gdf = gpd.read_file(sys.argv[1])
columns = [c for c in gdf.columns if c != "geometry" and gdf[c].notna().any()]
gdf = gdf[[*columns, "geometry"]]
polygons = bool((gdf.geom_type != "Point").any())
"""

_LONBOARD = (
    _READ
    + """
from lonboard import Map, PolygonLayer, ScatterplotLayer
layer = (PolygonLayer if polygons else ScatterplotLayer).from_geopandas(gdf)
Map(layers=[layer]).to_html(sys.argv[2] + "/index.html")
"""
    + _HWM
)

_FASTMARKERCLUSTER = (
    _READ
    + """
import folium
from folium.plugins import FastMarkerCluster
pts = gdf.geometry.representative_point()
m = folium.Map(location=[43.8, 125.4], zoom_start=11)
callback = ("function (row) { var marker = L.marker(new L.LatLng(row[0], row[1]));"
            " marker.bindPopup(row[2]); return marker; }")
FastMarkerCluster(list(zip(pts.y.tolist(), pts.x.tolist(), gdf["name"].tolist())), callback=callback).add_to(m)
m.save(sys.argv[2] + "/index.html")
"""
    + _HWM
)

_PYDECK = (
    _READ
    + """
import pydeck as pdk
frame = gdf.drop(columns="geometry").astype(object).where(gdf.notna(), None)
if polygons:
    frame["polygon"] = [list(g.exterior.coords) for g in gdf.geometry]
    layer = pdk.Layer("PolygonLayer", frame, get_polygon="polygon", get_fill_color=[46, 125, 50, 120], pickable=True)
else:
    frame["lon"], frame["lat"] = gdf.geometry.x, gdf.geometry.y
    layer = pdk.Layer("ScatterplotLayer", frame, get_position=["lon", "lat"], get_radius=20, pickable=True)
view = pdk.ViewState(latitude=43.8, longitude=125.4, zoom=11)
pdk.Deck(layers=[layer], initial_view_state=view, map_style=None).to_html(sys.argv[2] + "/index.html")
"""
    + _HWM
)

PEERS: dict[str, tuple[str, str | None]] = {
    "ours": (_OURS, None),
    "lonboard": (_LONBOARD, "lonboard"),
    "fastmarkercluster": (_FASTMARKERCLUSTER, "folium"),
    "pydeck": (_PYDECK, "pydeck"),
}

#: When each page has drawn its features (evaluated in the page until true).
_READY = {
    "ours": "window.__atlas !== undefined",  # the suite's probe (tests/_browser.py), an extension of the page
    "fastmarkercluster": "document.querySelectorAll('.marker-cluster').length > 0",
    "lonboard": "(() => { const c = document.querySelector('canvas'); return !!c && c.width > 0; })()",
    "pydeck": "(() => { const c = document.querySelector('canvas'); return !!c && c.width > 0; })()",
}


def installed(peer: str) -> bool:
    module = PEERS[peer][1]
    if module is None:
        return True
    import importlib.util

    return importlib.util.find_spec(module) is not None


def build(peer: str, data: Path, out: Path) -> dict[str, Any]:
    """Build one page in a fresh process: seconds, CPU seconds (its children's too), peak MiB, page bytes."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PEERS[peer][0], str(data), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
    pss = 0
    while True:
        pss = max(pss, tree_pss_kb(proc.pid))
        try:
            _, stderr = proc.communicate(timeout=_SAMPLE_S)  # may be asked again after a timeout
            break
        except subprocess.TimeoutExpired:
            continue
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and the children it waited for (ours: its writer)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    rss = next((int(line.split()[1]) for line in stderr.splitlines() if line.startswith("MAXRSS_KB")), 0)
    page = out / "index.html"
    if proc.returncode != 0 or not page.exists():
        print(f"  ! {peer} failed: {stderr.strip()[-400:]}", file=sys.stderr)
        return {"seconds": None, "cpu_s": None, "peak_mib": None, "pss_mib": None, "raw": None, "gzip": None}
    raw = page.read_bytes()
    return {"seconds": seconds, "cpu_s": cpu, "peak_mib": rss / 1024, "pss_mib": pss / 1024, "raw": len(raw),
            "gzip": len(gzip.compress(raw, 6))}  # fmt: skip


#: How often the build's processes' memory is sampled (seconds).
_SAMPLE_S = 0.2


def tree_pss_kb(pid: int) -> int:
    """Return the summed PSS (kB) of a process and its descendants now; 0 where /proc does not tell it.

    PSS (proportional set size) counts a page shared by k processes as 1/k in each, so the sum is the
    memory the tree holds: a forked child's pages still shared with its parent count once.
    """
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # a process that ended while the folder was read
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += parents.get(p, [])
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def first_draw_s(peer: str, site: Path, timeout_s: float = 180) -> float | None:
    """Seconds from navigation until the page has drawn (two frames after it says so); None if it never does."""
    from _browser import ATLAS_PROBE, CHROMIUM_ARGS, chromium_path, route_offline, serve

    exe = chromium_path()
    if exe is None or re.search(r"<script[^>]+src=.https?://", (site / "index.html").read_text(encoding="utf-8")):
        return None  # no Chromium, or a page that loads its scripts from a CDN: it cannot draw offline
    from playwright.sync_api import Error, sync_playwright

    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.add_init_script(ATLAS_PROBE)  # ours sets no global: the probe is handed the atlas once it is built
        route_offline(page, [])
        try:
            page.goto(f"{url}/index.html", wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function(_READY[peer], timeout=timeout_s * 1000, polling=50)
            ms = page.evaluate(
                "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
            )
        except Error:
            ms = None
        browser.close()
    return None if ms is None else float(ms) / 1000


def _median(values: list[Any]) -> float | None:
    got = [v for v in values if v is not None]
    return statistics.median(got) if got else None


def _fmt(value: float | None, unit: str = "", digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def _ratio(value: float | None, ours: float | None) -> str:
    return "" if value is None or not ours else f" ({value / ours:.2f}×)"


def table(results: dict[str, list[dict[str, Any]]]) -> str:
    keys = [("seconds", "build s", "", 1), ("cpu_s", "build CPU s", "", 1), ("peak_mib", "peak RSS", " MiB", 0),
            ("pss_mib", "peak PSS", " MiB", 0), ("raw", "page raw", " MB", 1), ("gzip", "page gzip", " MB", 1),
            ("draw", "first draw", " s", 2)]  # fmt: skip
    med = {peer: {k: _median([r.get(k) for r in runs]) for k, *_ in keys} for peer, runs in results.items()}
    for m in med.values():
        for k in ("raw", "gzip"):
            m[k] = None if m[k] is None else m[k] / 1e6
    lines = ["| tool | " + " | ".join(label for _, label, _, _ in keys) + " |", "|---" * (len(keys) + 1) + "|"]
    ours = med.get("ours", {})
    for peer, m in med.items():
        cells = [_fmt(m[k], unit, d) + ("" if peer == "ours" else _ratio(m[k], ours.get(k))) for k, _, unit, d in keys]
        lines.append(f"| {peer} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--polygons", action="store_true")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated, from " + ", ".join(PEERS))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--data", help="an existing data file instead of a synthetic one")
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p in PEERS and installed(p)]
    skipped = [p for p in args.peers.split(",") if p not in peers]
    if skipped:
        print(f"not installed or unknown, skipped: {', '.join(skipped)}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="geo-peers-") as tmp:
        work = Path(tmp)
        if args.data:
            data = Path(args.data)
        else:
            from benchmarks import synth

            data = synth.write(args.n, work / "places.geojson", polygons=args.polygons)
        print(f"{args.n:,} {'polygons' if args.polygons else 'points'}, {data.stat().st_size / 1e6:.1f} MB of GeoJSON",
              file=sys.stderr)  # fmt: skip
        results: dict[str, list[dict[str, Any]]] = {p: [] for p in peers}
        for k in range(args.rounds):
            for peer in peers:
                run = build(peer, data, work / peer)
                if not args.no_browser and run["seconds"] is not None:
                    run["draw"] = first_draw_s(peer, work / peer)
                results[peer].append(run)
                print(f"  round {k + 1} {peer}: {run}", file=sys.stderr)
    print(table(results))


if __name__ == "__main__":
    main()
