"""Time each of ``geo build``'s downloads (GeoJSON, CSV, KML, GeoPackage) on one data file.

    python -m benchmarks.synth 100000 /tmp/p100k.geojson
    python -m benchmarks.downloads /tmp/p100k.geojson [--formats csv,kml] [--keep DIR]

The file is read once as ``geo build`` reads it (:func:`geo.store.load_frame`); then each format is
written on its own through :func:`geo.export.write_downloads`, and its seconds (wall clock and CPU of
this process, threads included) and bytes are printed, and last the whole set written the way
``geo build`` writes it. Each line's peak is the process's high-water mark (VmHWM) while that line's
files were written, the frame included (the mark is reset before each).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import time
from pathlib import Path

from geo.export import DOWNLOAD_FORMATS, write_downloads
from geo.store import load_frame


def _reset_peak() -> None:
    """Start the high-water mark again from the current resident size (Linux: ``clear_refs`` 5)."""
    with contextlib.suppress(OSError):  # not Linux, or not allowed: the peaks are then the process's so far
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def _peak_mib() -> float:
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--formats", default=",".join(DOWNLOAD_FORMATS))
    parser.add_argument("--keep", help="write the downloads into this folder (and leave them there)")
    args = parser.parse_args()
    formats = args.formats.split(",")
    start = time.perf_counter()
    gdf, members = load_frame(args.data)
    print(f"read {len(gdf):,} places in {time.perf_counter() - start:.2f} s (peak {_peak_mib():,.0f} MiB)")
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="geo-downloads-"))
    try:
        runs = [[f] for f in formats] + ([formats] if len(formats) > 1 else [])
        for run in runs:
            _reset_peak()
            wall, cpu = time.perf_counter(), time.process_time()
            written = write_downloads(gdf, folder, formats=run, metadata=members.get("metadata"))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            size = sum(w["bytes"] for w in written) / 1e6
            print(
                f"{'+'.join(run):<24} {wall:7.2f} s wall {cpu:7.2f} s CPU {size:9.1f} MB  peak {_peak_mib():,.0f} MiB"
            )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
