"""Run every benchmark of nanguan-geo and print one table.

    python -m benchmarks.run            # 1k / 10k / 100k (a few minutes on 2 cores)
    python -m benchmarks.run --full     # also 1M features, and the naive folium page at 100k
    python -m benchmarks.run --quick    # 1k / 10k only (a smoke test)

Every whole-command figure is measured as a separate process (``python -m geo ...``),
so it includes start-up and imports. Page figures compare the page's bytes with
the compact GeoJSON of the same features, and with the naive folium way (one
``folium.Marker`` with a ``Popup`` per feature). Browser figures are the time
from navigation until the page has drawn every feature (two animation frames
after the map is built), in headless Chromium with stub tiles. Results are also
written to ``benchmarks/out/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# Peak memory is the process's own high-water mark (VmHWM); ru_maxrss would include the
# parent's memory, which Linux carries across fork and exec.
RSS_WRAPPER = """
import runpy, sys
sys.argv = ["geo", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("geo", run_name="__main__")
except SystemExit as exit:
    code = exit.code or 0
hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")]
print("MAXRSS_KB", hwm[0] if hwm else 0, file=sys.stderr)
sys.exit(code)
"""


def run_geo(*args: str, stdin: str | None = None) -> dict[str, Any]:
    """Run ``geo ARGS`` in a fresh process; return seconds, peak RSS (MiB) and exit code."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *args], capture_output=True, text=True, input=stdin,
                          cwd=ROOT, check=False)  # fmt: skip
    seconds = time.perf_counter() - start
    rss = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS_KB")), 0)
    if proc.returncode != 0:
        print(f"  ! geo {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
    return {"seconds": round(seconds, 3), "peak_mib": round(rss / 1024, 1), "exit": proc.returncode}


def compact_bytes(path: Path) -> int:
    import orjson

    return len(orjson.dumps(orjson.loads(path.read_bytes())))


def naive_folium(path: Path, out: Path) -> dict[str, Any]:
    """The naive page: one folium Marker with a Popup per feature (in-process build time)."""
    import folium

    from geo.store import read_json

    start = time.perf_counter()
    fc = read_json(path)
    m = folium.Map(location=[43.8, 125.4], zoom_start=11)
    for f in fc["features"]:
        if f["geometry"] is None or f["geometry"]["type"] != "Point":
            continue
        lon, lat = f["geometry"]["coordinates"]
        p = f["properties"]
        folium.Marker([lat, lon], popup=folium.Popup(f"{p['name']}<br>{p['category']}"), tooltip=p["name"]).add_to(m)
    out.mkdir(parents=True, exist_ok=True)
    m.save(str(out / "index.html"))
    return {"seconds": round(time.perf_counter() - start, 3), "page_bytes": (out / "index.html").stat().st_size}


def browser_draw_ms(site: Path, timeout_s: float = 300) -> float | None:
    """Milliseconds from navigation until every feature is drawn; None without Chromium."""
    from _browser import ATLAS_PROBE, CHROMIUM_ARGS, chromium_path, route_offline, serve

    exe = chromium_path()
    if exe is None:
        return None
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.add_init_script(ATLAS_PROBE)  # the page sets no global: the suite's probe is handed the atlas
        route_offline(page, [])
        page.goto(f"{url}/index.html", wait_until="commit", timeout=timeout_s * 1000)
        ready = "window.__atlas !== undefined || document.querySelectorAll('.leaflet-marker-icon').length > 0"
        page.wait_for_function(ready, timeout=timeout_s * 1000, polling=50)
        ms = page.evaluate(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
        )
        # Popups still work: open one through the page's own code path.
        popup_ok = page.evaluate(
            "(() => { const a = window.__atlas; if (!a) return null;"
            " const i = a.items.findIndex(x => x); a.openPopup(i);"
            " return !!document.querySelector('.leaflet-popup-content .atlas-popup'); })()"
        )
        browser.close()
    if popup_ok is False:
        print("  ! popup did not open", file=sys.stderr)
    return round(float(ms), 1)


def datum_benchmark(n: int = 1_000_000) -> dict[str, Any]:
    import numpy as np
    import prcoords

    from geo import coords

    rng = np.random.default_rng(1)
    lon = rng.uniform(100, 130, n)
    lat = rng.uniform(20, 50, n)
    start = time.perf_counter()
    coords.wgs84_to_gcj02(lon, lat)
    forward = time.perf_counter() - start
    start = time.perf_counter()
    coords.gcj02_to_wgs84(lon, lat)
    inverse = time.perf_counter() - start
    sample = 100_000  # the pure-Python converter, per point, on a sample (scaled to n)
    start = time.perf_counter()
    for x, y in zip(lon[:sample].tolist(), lat[:sample].tolist(), strict=True):
        prcoords.wgs_gcj((y, x))
    naive = (time.perf_counter() - start) * n / sample
    return {"points": n, "forward_s": round(forward, 3), "inverse_exact_s": round(inverse, 3),
            "forward_points_per_s": round(n / forward), "naive_per_point_s": round(naive, 2),
            "speedup_forward": round(naive / forward, 1)}  # fmt: skip


def gazetteer_benchmark(n: int = 10_000) -> dict[str, Any]:
    from geo.geocode import GazetteerGeocoder

    g = GazetteerGeocoder()
    queries = ["人民大街与卫星路交会处东侧500米", "卫星路、人民大街交叉口", "万象城", "东九条与永宁路交会处南200米",
               "华远路与前进大街交会处东侧", "南湖中街金宇大路交会", "长春动植物公园", "不存在的地方"]  # fmt: skip
    start = time.perf_counter()
    found = sum(g.geocode(queries[i % len(queries)]) is not None for i in range(n))
    seconds = time.perf_counter() - start
    return {"lookups": n, "found": found, "seconds": round(seconds, 3), "lookups_per_s": round(n / seconds)}


def summary_benchmark(n: int, *, dense: bool = False) -> dict[str, Any]:
    """n park polygons and n residential points at 300 m and 500 m (in-memory engine).

    City scale (default): spread over 150 km x 150 km around the district, about the
    size of Changchun's municipality. Dense: all inside the district's 27 km x 45 km box
    (about 80 parks per km², far denser than any real city), a stress case.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    from geo import summary

    rng = np.random.default_rng(2)
    # UTM 51N; the district spans x 680-707 km, y 4,820-4,865 km.
    x0, y0, w, h = (680_000.0, 4_820_000.0, 27_000, 45_000) if dense else (620_000.0, 4_770_000.0, 150_000, 150_000)
    px, py = rng.uniform(0, w, n) + x0, rng.uniform(0, h, n) + y0
    hx, hy = rng.uniform(0, w, n) + x0, rng.uniform(0, h, n) + y0
    side = rng.uniform(20, 120, n)
    parks = shapely.box(px, py, px + side, py + side)
    homes = shapely.points(hx, hy)
    frame = gpd.GeoDataFrame(
        {"id": [f"p{i}" for i in range(2 * n)], "name": [f"n{i}" for i in range(2 * n)],
         "category": ["park"] * n + ["residential"] * n, "park_class": ["游园"] * n + [None] * n,
         "stated_area_m2": np.concatenate([side * side, np.full(n, np.nan)]), "uncertainty_m": 5.0},
        geometry=np.concatenate([parks, homes]), crs="EPSG:32651")  # fmt: skip
    start = time.perf_counter()
    result = summary.summarize(frame, radii=(300.0, 500.0))
    seconds = time.perf_counter() - start
    return {"parks": n, "homes": n, "layout": "dense (district box)" if dense else "city scale (150 km)",
            "seconds": round(seconds, 2), "share_300": result["access"][0]["residential_share"]}  # fmt: skip


def fmt_table(rows: list[list[Any]], head: list[str]) -> str:
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[k]) for r in cells)) for k, h in enumerate(head)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]  # fmt: skip
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the nanguan-geo benchmarks.")
    parser.add_argument("--full", action="store_true", help="also 1M features and the naive page at 100k")
    parser.add_argument("--quick", action="store_true", help="only 1k and 10k")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium measurements")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000] + ([1_000_000] if args.full else [])
    naive_max = 100_000 if args.full else 10_000
    from benchmarks import synth

    work = Path(tempfile.mkdtemp(prefix="geo-bench-"))
    node_modules = ROOT / "node_modules"
    offline = (node_modules / "leaflet").exists()
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                           "platform": platform.platform()}, "builds": [], "commands": {}}  # fmt: skip
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}", flush=True)

    results["commands"]["help_bundled"] = run_geo("--help")
    results["commands"]["validate_bundled"] = run_geo("validate")
    for n in sizes:
        data = synth.write(n, work / f"points-{n}.geojson")
        site = work / f"site-{n}"
        build = run_geo("build", "--data", str(data), "--out", str(site), *(["--offline"] if offline else []))
        page = (site / "index.html").stat().st_size
        compact = compact_bytes(data)
        row: dict[str, Any] = {"features": n, "kind": "points", "build": build, "page_bytes": page,
                               "compact_geojson_bytes": compact, "page_ratio": round(page / compact, 3)}  # fmt: skip
        if offline and not args.no_browser and n <= 100_000:
            row["draw_ms"] = browser_draw_ms(site)
        if n <= naive_max:
            # The naive page loads jQuery, Bootstrap and more from CDNs, unreachable here: its build
            # time and size are measured, not its drawing.
            row["naive"] = naive_folium(data, work / f"naive-{n}")
        if n == 100_000 or (args.quick and n == 10_000):
            results["commands"][f"validate_{n}"] = run_geo("validate", "--data", str(data))
            results["commands"][f"summary_{n}"] = run_geo("summary", "--data", str(data), "--format", "json")
            copy = work / f"add-{n}.geojson"
            shutil.copy(data, copy)
            results["commands"][f"add_park_{n}"] = run_geo("add-park", "基准园", "--area", "5000", "--lonlat",
                                                           "125.3341,43.8412", "--data", str(copy))  # fmt: skip
        results["builds"].append(row)
        print(f"  points {n:>9,}: build {build['seconds']} s, page {page / compact:.2f}x GeoJSON, "
              f"draw {row.get('draw_ms')} ms", flush=True)  # fmt: skip
    poly_n = 1_000 if args.quick else 10_000
    data = synth.write(poly_n, work / f"polygons-{poly_n}.geojson", polygons=True)
    site = work / "site-polygons"
    build = run_geo("build", "--data", str(data), "--out", str(site), *(["--offline"] if offline else []))
    row = {"features": poly_n, "kind": "polygons (64 vertices)", "build": build,
           "page_bytes": (site / "index.html").stat().st_size, "compact_geojson_bytes": compact_bytes(data)}  # fmt: skip
    row["page_ratio"] = round(row["page_bytes"] / row["compact_geojson_bytes"], 3)
    if offline and not args.no_browser:
        row["draw_ms"] = browser_draw_ms(site)
    results["builds"].append(row)
    print(f"  polygons {poly_n:>7,}: build {build['seconds']} s, draw {row.get('draw_ms')} ms", flush=True)

    results["datum"] = datum_benchmark(100_000 if args.quick else 1_000_000)
    results["gazetteer"] = gazetteer_benchmark(10_000)
    scales = [10_000] if args.quick else [10_000, 100_000] + ([1_000_000] if args.full else [])
    results["summary"] = [summary_benchmark(n) for n in scales]
    if not args.quick:
        results["summary"].append(summary_benchmark(100_000, dense=True))

    # ---- the table
    rows = []
    for b in results["builds"]:
        naive = b.get("naive")
        rows.append([f"{b['features']:,} {b['kind']}", b["build"]["seconds"], b["build"]["peak_mib"],
                     f"{b['page_bytes'] / 1e6:.1f}", f"{b['compact_geojson_bytes'] / 1e6:.1f}", b["page_ratio"],
                     b.get("draw_ms", "-"), naive["seconds"] if naive else "-",
                     f"{naive['page_bytes'] / 1e6:.1f}" if naive else "-",
                     f"{naive['seconds'] / b['build']['seconds']:.1f}x" if naive else "-"])  # fmt: skip
    print()
    print(fmt_table(rows, ["data", "geo build s", "peak MiB", "page MB", "GeoJSON MB", "page/GeoJSON", "drawn ms",
                           "naive folium s", "naive page MB", "naive/ours"]))  # fmt: skip
    print()
    crow = [[name, r["seconds"], r["peak_mib"], r["exit"]] for name, r in results["commands"].items()]
    print(fmt_table(crow, ["command", "seconds", "peak MiB", "exit"]))
    print()
    d = results["datum"]
    print(f"datum: {d['points']:,} points WGS-84->GCJ-02 in {d['forward_s']} s ({d['forward_points_per_s']:,}/s), "
          f"exact inverse in {d['inverse_exact_s']} s; per-point pure Python (prcoords) {d['naive_per_point_s']} s: "
          f"{d['speedup_forward']}x faster")  # fmt: skip
    g = results["gazetteer"]
    print(f"gazetteer: {g['lookups']:,} lookups in {g['seconds']} s ({g['lookups_per_s']:,}/s), {g['found']:,} found")
    for s in results["summary"]:
        print(
            f"summary ({s['layout']}): {s['parks']:,} park polygons + {s['homes']:,} homes at 300/500 m in {s['seconds']} s"
        )
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
