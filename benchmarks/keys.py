"""Benchmark keys on a real `geo serve`: what a key check costs, first time and after.

    python -m benchmarks.keys                # 200 requests of each kind
    python -m benchmarks.keys --requests 50

Measures, against a real server on 127.0.0.1 with an editors file of ``--people`` people:

- scrypt: one key check in-process (:meth:`geo.editors.Roster.resolve` on a fresh roster), median;
- first: a dry-run save with a key the server has not seen (one scrypt on the server), median;
- known: the same with a key already checked (no scrypt: the in-memory HMAC lookup), median and p95;
- token: the same dry-run save with the single shared token (no editors file), for comparison;
- guess: a wrong key once the address is throttled (429, no scrypt), median.

Nothing is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from geo.editors import Roster, add_editor

from _server import REPO, start, stop

RECT = [[125.3300, 43.8400], [125.3300, 43.8407], [125.3310, 43.8407], [125.3310, 43.8400], [125.3300, 43.8400]]
BODY = {"name": "方园", "area": "6,400", "class": "游园", "status": "open", "source": "site plan", "dry_run": True,
        "geometry": {"type": "Polygon", "coordinates": [RECT]}, "datum": "wgs84", "editor": "bench"}  # fmt: skip


def _timed(served, key: str) -> tuple[float, int]:
    start = time.perf_counter()
    answer = served.client.post("/api/places", json=BODY, headers={"X-Geo-Token": key})
    return (time.perf_counter() - start) * 1000, answer.status_code


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    return f"median {statistics.median(ordered):7.2f} ms   p95 {ordered[int(0.95 * (len(ordered) - 1))]:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "locations.geojson"
        shutil.copy(REPO / "data" / "locations.geojson", data)
        plain = start(data)
        try:
            token = [_timed(plain, plain.token)[0] for _ in range(args.requests)]
        finally:
            stop(plain)
        keys = [add_editor(data, f"editor{i:03d}", "editor")[1] for i in range(args.people)]
        scrypt = []
        for key in keys:
            start_at = time.perf_counter()
            Roster(data).resolve(key)
            scrypt.append((time.perf_counter() - start_at) * 1000)
        served = start(data)
        try:
            first = [_timed(served, key)[0] for key in keys]
            known = [_timed(served, keys[i % len(keys)])[0] for i in range(args.requests)]
            guesses = [_timed(served, f"{i:012x}.wrong") for i in range(args.requests)]
            throttled = [ms for ms, status in guesses if status == 429]
        finally:
            stop(served)
    print(f"scrypt check (in-process)   {_ms(scrypt)}   ({len(scrypt)} keys)")
    print(f"first use of a key          {_ms(first)}   ({len(first)} requests)")
    print(f"key already checked         {_ms(known)}   ({len(known)} requests)")
    print(f"single shared token         {_ms(token)}   ({len(token)} requests)")
    print(f"wrong key, throttled (429)  {_ms(throttled)}   ({len(throttled)} of {len(guesses)} guesses)")


if __name__ == "__main__":
    main()
