"""Benchmark `geo serve`'s file watcher: how soon an open page hears of a hand edit.

    python -m benchmarks.watch            # the bundled data, 20 hand edits
    python -m benchmarks.watch --edits 50

Against a real server on 127.0.0.1, each round replaces the data file by a rename (as an editor
or ``git checkout`` does) with one place's notes changed, and measures the time from the rename
until an open event stream receives the change: median, 95th percentile and the slowest. It also
reports the server's CPU seconds over ``--idle`` seconds with nothing changing (the watcher's
cost at rest). Figures are printed; nothing is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from _server import REPO, start, stop


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _edit(data: Path, ident: str, notes: str) -> None:
    obj = json.loads(data.read_text(encoding="utf-8"))
    for f in obj["features"]:
        if f["properties"]["id"] == ident:
            f["properties"]["notes"] = notes
    fresh = data.with_name(data.name + ".new")
    fresh.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(fresh, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="hand edits to time")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds at rest for the CPU figure")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="geo-watch-bench-"))
    data = folder / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", data)
    served = start(data)
    base = str(served.client.base_url)
    heard: list[float] = []
    ready = threading.Event()

    def listen() -> None:
        try:
            with httpx.stream("GET", f"{base}/api/events", timeout=60) as stream:
                ready.set()
                for line in stream.iter_lines():
                    if line.startswith("data:"):
                        heard.append(time.perf_counter())
        except httpx.TransportError:  # the server stopped
            return

    try:
        threading.Thread(target=listen, daemon=True).start()
        ready.wait(60)
        time.sleep(1)
        before = _cpu_seconds(served.proc.pid)
        time.sleep(args.idle)
        idle = _cpu_seconds(served.proc.pid) - before
        delays = []
        for k in range(args.edits):
            count = len(heard)
            t0 = time.perf_counter()
            _edit(data, "mulin-pocket-park", f"手改 {k}")
            while len(heard) == count and time.perf_counter() - t0 < 60:
                time.sleep(0.001)
            delays.append((heard[count] - t0) * 1000)
            time.sleep(0.3)
    finally:
        stop(served)
        shutil.rmtree(folder, ignore_errors=True)
    delays.sort()
    p95 = delays[min(len(delays) - 1, int(0.95 * len(delays)))]
    print(f"hand edit -> open page (ms): median {statistics.median(delays):.0f}, p95 {p95:.0f}, max {delays[-1]:.0f}")
    print(f"server CPU at rest: {idle:.3f} s over {args.idle:.0f} s")


if __name__ == "__main__":
    main()
