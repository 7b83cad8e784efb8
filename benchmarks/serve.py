"""Benchmark `geo serve` on a large file: save latency, fan-out of a change, and page load.

    python -m benchmarks.serve            # 100,000 places (about a minute)
    python -m benchmarks.serve --n 10000

Measures, against a real server on 127.0.0.1 and a real file:

- save: the time until a save (a field change of a different place each time) is
  acknowledged, over ``--saves`` saves: median and 95th percentile;
- fan-out: the time from a save's acknowledgement until each of ``--pages`` open
  event streams has received it (the slowest of them), median over ``--rounds``;
- page: the server's first answer for ``/`` and for the map payload.

Figures are printed as one table; nothing is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from benchmarks.synth import make_collection
from geo.store import dumps_collection

from _server import start, stop


def _listen(base: str, got: list[float], ready: threading.Event, count: int) -> None:
    with httpx.stream("GET", f"{base}/api/events", timeout=60) as stream:
        ready.set()
        for line in stream.iter_lines():
            if line.startswith("data:"):
                got.append(time.perf_counter())
                if len(got) >= count:
                    return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="places in the file")
    parser.add_argument("--saves", type=int, default=60, help="saves for the latency figures")
    parser.add_argument("--pages", type=int, default=20, help="open event streams for the fan-out figure")
    parser.add_argument("--rounds", type=int, default=10, help="saves for the fan-out figure")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="geo-serve-bench-"))
    data = folder / "places.geojson"
    data.write_text(dumps_collection(make_collection(args.n, seed=1)), encoding="utf-8")
    t0 = time.perf_counter()
    served = start(data)
    started = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        page = served.client.get("/")
        page_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        payload = served.client.get("/api/payload")
        payload_s = time.perf_counter() - t0
        ids = list(served.client.get("/api/places").json()["versions"].items())
        latencies = []
        for k in range(args.saves):
            ident, version = ids[k * 97 % len(ids)]
            body = {"editor": "bench", "version": version, "changes": {"notes": f"benchmark save {k}"}}
            t0 = time.perf_counter()
            answer = served.write("PATCH", f"/api/places/{ident}", body)
            latencies.append(time.perf_counter() - t0)
            assert answer.status_code == 200, answer.text
            ids[k * 97 % len(ids)] = (ident, answer.json()["version"])
        base = str(served.client.base_url).rstrip("/")
        streams = [[] for _ in range(args.pages)]
        readies = [threading.Event() for _ in range(args.pages)]
        threads = [threading.Thread(target=_listen, args=(base, g, r, args.rounds), daemon=True)
                   for g, r in zip(streams, readies, strict=True)]  # fmt: skip
        for t in threads:
            t.start()
        for r in readies:
            r.wait(10)
        time.sleep(0.3)
        acks = []
        for k in range(args.rounds):
            ident, version = ids[(k + 5000) * 89 % len(ids)]
            body = {"editor": "bench", "version": version, "changes": {"notes": f"fan-out {k}"}}
            answer = served.write("PATCH", f"/api/places/{ident}", body)
            acks.append(time.perf_counter())
            assert answer.status_code == 200, answer.text
            time.sleep(0.3)
        for t in threads:
            t.join(10)
        fanout = [max(g[k] for g in streams) - acks[k] for k in range(args.rounds) if all(len(g) > k for g in streams)]
    finally:
        stop(served)
    q = statistics.quantiles(latencies, n=20)
    print(f"file: {args.n:,} places, {data.stat().st_size / 1e6:.1f} MB; server ready in {started:.2f} s")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| save acknowledged, median | {statistics.median(latencies) * 1000:.0f} ms | ≤ 200 ms |")
    print(f"| save acknowledged, p95 | {q[18] * 1000:.0f} ms | ≤ 500 ms |")
    if fanout:
        print(f"| change reaches all {args.pages} pages after the ack, median (max) | "
              f"{statistics.median(fanout) * 1000:.0f} ms ({max(fanout) * 1000:.0f} ms) | ≤ 1 s |")  # fmt: skip
    print(f"| first page (/), {len(page.content) / 1e6:.1f} MB | {page_s:.2f} s | as the built site |")
    print(f"| map payload, {len(payload.content) / 1e6:.1f} MB | {payload_s:.2f} s | |")


if __name__ == "__main__":
    main()
