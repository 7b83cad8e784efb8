"""Mutation testing of the core modules with mutmut: how many deliberate bugs the tests catch.

Run ``python3 -m benchmarks.mutation`` (all of coords, model, store, summary and places; hours on two
cores) or name modules (``python3 -m benchmarks.mutation geo.coords geo.model``). mutmut's settings
are in ``pyproject.toml`` (``[tool.mutmut]``): which files it mutates and which fast unit tests it
runs against each mutant. Results are kept in ``mutants/`` (ignored by git), so a second run only
re-tests what changed; ``--report`` prints the table from the last run without running anything.

The score is caught / (caught + survived + untested): a mutant is caught when a test fails
(killed) or it hangs past mutmut's timeout; "untested" mutants, which no selected test reaches,
count against the score.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("geo.coords", "geo.model", "geo.store", "geo.summary", "geo.places")
_LINE = re.compile(r"^\s*(geo\.[\w.]+?)\.x[_\w]*__mutmut_\d+: (.+)$")
CAUGHT = {"killed", "timeout"}
COUNTED = CAUGHT | {"survived", "no tests"}


def tally(results: str, modules: tuple[str, ...] = MODULES) -> dict[str, collections.Counter[str]]:
    """Count mutant statuses per module from ``mutmut results --all true`` output."""
    out: dict[str, collections.Counter[str]] = {m: collections.Counter() for m in modules}
    for line in results.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        name, status = match.groups()
        owner = next((m for m in modules if name == m or name.startswith(m + ".")), None)
        if owner is not None:
            out[owner][status.strip()] += 1
    return out


def score(counts: collections.Counter[str]) -> float | None:
    """Return caught / counted, or None when nothing was checked."""
    counted = sum(counts[s] for s in COUNTED)
    return sum(counts[s] for s in CAUGHT) / counted if counted else None


def table(per_module: dict[str, collections.Counter[str]]) -> str:
    """Format the per-module counts and scores, with the total."""
    head = f"{'module':<14}{'mutants':>9}{'checked':>9}{'killed':>8}{'timeout':>9}{'survived':>10}{'untested':>10}{'score':>8}"
    rows = [head]
    total: collections.Counter[str] = collections.Counter()
    for module, counts in per_module.items():
        total.update(counts)
        rows.append(_row(module, counts))
    rows.append(_row("all", total))
    return "\n".join(rows)


def _row(name: str, c: collections.Counter[str]) -> str:
    s = score(c)
    checked = sum(c[k] for k in COUNTED)
    shown = "-" if s is None else f"{100 * s:.1f}%"
    return (f"{name:<14}{sum(c.values()):>9}{checked:>9}{c['killed']:>8}{c['timeout']:>9}"
            f"{c['survived']:>10}{c['no tests']:>10}{shown:>8}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run mutmut on the named modules (default: all five), then print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES), help=f"default: {' '.join(MODULES)}")
    parser.add_argument("--children", type=int, default=2, help="parallel mutants (default 2)")
    parser.add_argument("--report", action="store_true", help="print the last run's table; run nothing")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"modules: expected some of {', '.join(MODULES)}, got {', '.join(unknown)}")
    if not args.report:
        patterns = [f"{m}.*" for m in args.modules]
        subprocess.run(["mutmut", "run", "--max-children", str(args.children), *patterns], cwd=ROOT, check=False)
    done = subprocess.run(["mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"mutmut results failed: {done.stderr.strip()[:300]}", file=sys.stderr)
        return 1
    print(table(tally(done.stdout, tuple(args.modules))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
