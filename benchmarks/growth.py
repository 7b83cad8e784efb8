"""How every command that loads the data file grows: validate, add-park, summary and build, at two sizes.

    python -m benchmarks.growth                          # 100,000 and 1,000,000 synthetic points
    python -m benchmarks.growth 30000 300000 --keep /tmp # smaller; keep the generated files for another run
    python -m benchmarks.growth --commands build         # one command

Each command is its own process (``python -m geo ...``, imports included), run once per size, the sizes
in turn. Printed per command and size: wall seconds, CPU seconds (user + system of the process: on a
shared machine the figure that does not depend on the other users), peak memory (the process's
VmHWM), and the ratio of the larger size to the smaller. The issue's target is a ratio of at most 12x
from 100,000 to 1,000,000 places, and a 1M build in 45 s and 2 GB at most; these are measurements,
never tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import RSS_WRAPPER

ROOT = Path(__file__).resolve().parent.parent

#: Each command's arguments; DATA is the file, OUT a fresh folder.
COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "--data", "DATA"],
    "add-park": ["add-park", "基准园", "--area", "5000", "--lonlat", "125.3341,43.8412", "--data", "DATA"],
    "summary": ["summary", "--data", "DATA"],
    "build": ["build", "--offline", "--data", "DATA", "--out", "OUT"],
}


def synth(n: int, folder: Path) -> Path:
    """Return the synthetic file of ``n`` points in ``folder`` (made with benchmarks/synth.py if absent)."""
    path = folder / f"places-{n}.geojson"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "benchmarks.synth", str(n), str(path)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return path


def run(command: str, data: Path, work: Path) -> dict[str, Any]:
    """Run one command in its own process; return wall and CPU seconds, peak MiB and the exit code."""
    target = data
    if command == "add-park":  # it changes the file: a copy, made before the clock starts
        target = work / "add-park.geojson"
        shutil.copyfile(data, target)
    out = work / "site"
    args = [str(target) if a == "DATA" else str(out) if a == "OUT" else a for a in COMMANDS[command]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *args], capture_output=True, text=True, cwd=ROOT,
                          check=False)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    hwm = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS_KB")), 0)
    if proc.returncode != 0:
        print(f"  ! geo {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
    shutil.rmtree(out, ignore_errors=True)
    if target != data:
        target.unlink(missing_ok=True)
    return {"wall": wall, "cpu": cpu, "peak_mib": hwm / 1024, "exit": proc.returncode}


def table(sizes: list[int], results: dict[str, dict[int, dict[str, Any]]]) -> str:
    """Return the Markdown table: per command, each size's figures and the growth from the first size."""
    small, large = sizes[0], sizes[-1]
    head = " | ".join(f"{n:,}: wall s / CPU s / peak" for n in sizes)
    lines = [f"| command | {head} | growth {large // small}x places: wall / CPU / peak |",
             "|---" * (len(sizes) + 2) + "|"]  # fmt: skip
    for command, by_size in results.items():
        cells = [f"{r['wall']:.1f} / {r['cpu']:.1f} / {r['peak_mib']:.0f} MiB" + ("" if r["exit"] == 0 else " (failed)")
                 for r in (by_size[n] for n in sizes)]  # fmt: skip
        a, b = by_size[small], by_size[large]
        growth = " / ".join(f"{b[k] / a[k]:.1f}x" if a[k] else "-" for k in ("wall", "cpu", "peak_mib"))
        lines.append(f"| {command} | {' | '.join(cells)} | {growth} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated, from " + ", ".join(COMMANDS))
    parser.add_argument("--keep", type=Path, help="a folder to keep (and reuse) the generated files in")
    args = parser.parse_args()
    commands = [c for c in args.commands.split(",") if c]
    unknown = sorted(set(commands) - COMMANDS.keys())
    if unknown or len(args.sizes) < 2:
        parser.error(f"unknown command(s) {', '.join(unknown)}" if unknown else "give two sizes or more")
    with tempfile.TemporaryDirectory(prefix="geo-growth-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = {n: synth(n, folder) for n in args.sizes}
        results: dict[str, dict[int, dict[str, Any]]] = {c: {} for c in commands}
        for command in commands:
            for n in args.sizes:
                results[command][n] = run(command, files[n], Path(tmp))
                r = results[command][n]
                print(f"{command} {n:,}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['peak_mib']:.0f} MiB",
                      flush=True)  # fmt: skip
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} ({os.cpu_count()} cores)\n")
    print(table(args.sizes, results))


if __name__ == "__main__":
    main()
