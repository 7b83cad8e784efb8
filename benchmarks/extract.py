"""Benchmark `geo extract` on 1 MB of report text, on one core (a benchmark, not a test).

    python -m benchmarks.extract             # 1 MB (UTF-8 bytes), target <= 5 s
    python -m benchmarks.extract --mb 4      # more

The text is the bundled report rebuilt from the data's quotes (as tests/test_extract.py builds it:
a PDF copy with broken lines, doubled captions and full-width spaces) followed by the hand-written
texts of tests/data/extract/, repeated until it reaches the size. The whole extraction is timed:
decoding the bytes, mending the text, traditional-to-simplified conversion, segmentation, finding,
merging and matching against the bundled data. CPU time is reported beside wall time; the process
is pinned to one core where the system allows it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from test_extract import TEXTS, pdf_copy  # noqa: E402

from geo.extract import decode_report, extract  # noqa: E402


def report_text(size: int) -> str:
    """Return report text of at least ``size`` UTF-8 bytes."""
    features = json.loads((REPO / "data" / "locations.geojson").read_text(encoding="utf-8"))["features"]
    parts = [pdf_copy(features)] + [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))]
    unit = "\n\n".join(parts) + "\n\n"
    return unit * (size // len(unit.encode("utf-8")) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes of text (default 1)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    data = report_text(int(args.mb * 1024 * 1024)).encode("utf-8")
    places = json.loads((REPO / "data" / "locations.geojson").read_text(encoding="utf-8"))["features"]
    start = time.perf_counter()
    extract("睦邻园位于华远路前进大街东侧。")  # load the dictionary and tables once, as any first call does
    print(f"first call (rjieba's dictionary, OpenCC's tables): {time.perf_counter() - start:.2f} s")
    wall, cpu = time.perf_counter(), time.process_time()
    candidates = extract(decode_report(data).text, places=places)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{len(data) / 1e6:.2f} MB ({len(data):,} bytes): {len(candidates)} candidates in {wall:.2f} s wall, "
          f"{cpu:.2f} s CPU, one core (target <= 5 s)")  # fmt: skip


if __name__ == "__main__":
    main()
