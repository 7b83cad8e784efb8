"""Mutation testing of the core modules with mutmut: how many deliberate bugs the tests catch.

Run ``python3 -m benchmarks.mutation`` (all of coords, model, store, summary and places; hours on two
cores) or name modules (``python3 -m benchmarks.mutation geo.coords geo.model``). mutmut's settings
are in ``pyproject.toml`` (``[tool.mutmut]``): which files it mutates and which fast unit tests it
runs against each mutant. Results are kept in ``mutants/`` (ignored by git), so a second run only
re-tests what changed; ``--report`` prints the table from the last run without running anything.

The score is caught / (caught + survived + untested): a mutant is caught when a test fails
(killed) or it hangs past mutmut's timeout; "untested" mutants, which no selected test reaches,
count against the score.

A whole run takes hours on two cores. ``--sample N`` checks a seeded random sample of N mutants per
module instead (mutants already checked in an earlier run are reused) and reports each module's sample
score with a 95 % Wilson interval, and the total weighted by module size: unbiased estimates of what
the whole run would score. mutmut keeps a verdict
until the mutated function changes, so after writing tests for survivors add ``--recheck`` to run
the sample's survivors again.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import random
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("geo.coords", "geo.model", "geo.store", "geo.summary", "geo.places")
_LINE = re.compile(r"^\s*((geo\.[\w.]+?)\.x[^:\s]*__mutmut_\d+): (.+)$")
CAUGHT = {"killed", "timeout"}
COUNTED = CAUGHT | {"survived", "no tests"}


def statuses(results: str, modules: tuple[str, ...] = MODULES) -> dict[str, tuple[str, str]]:
    """Map each mutant named in ``mutmut results --all true`` output to (its module, its status)."""
    out: dict[str, tuple[str, str]] = {}
    for line in results.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        mutant, where, status = match.groups()
        owner = next((m for m in modules if where == m or where.startswith(m + ".")), None)
        if owner is not None:
            out[mutant] = (owner, status.strip())
    return out


def tally(results: str, modules: tuple[str, ...] = MODULES) -> dict[str, collections.Counter[str]]:
    """Count mutant statuses per module from ``mutmut results --all true`` output."""
    out: dict[str, collections.Counter[str]] = {m: collections.Counter() for m in modules}
    for owner, status in statuses(results, modules).values():
        out[owner][status] += 1
    return out


def sample(names: dict[str, tuple[str, str]], size: int, seed: int) -> set[str]:
    """Draw ``size`` mutants per module (all of a smaller module), the same ones for the same seed."""
    by_module: dict[str, list[str]] = collections.defaultdict(list)
    for mutant, (owner, _status) in names.items():
        by_module[owner].append(mutant)
    rng = random.Random(seed)
    drawn: set[str] = set()
    for owner in sorted(by_module):
        pool = sorted(by_module[owner])
        drawn.update(rng.sample(pool, min(size, len(pool))))
    return drawn


def wilson(caught: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval for a proportion of caught mutants in a sample of n."""
    if n == 0:
        return (0.0, 1.0)
    p = caught / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def score(counts: collections.Counter[str]) -> float | None:
    """Return caught / counted, or None when nothing was checked."""
    counted = sum(counts[s] for s in COUNTED)
    return sum(counts[s] for s in CAUGHT) / counted if counted else None


def table(
    per_module: dict[str, collections.Counter[str]], interval: bool = False, population: dict[str, int] | None = None
) -> str:
    """Format the per-module counts and scores, with the total (and 95 % intervals for a sample).

    For a sample, ``population`` gives each module's number of mutants: the ``mutants`` column shows
    it, and the total's score weights each module's sample score by it (a stratified estimate, so a
    small module sampled as heavily as a large one does not count for more).
    """
    head = f"{'module':<14}{'mutants':>9}{'checked':>9}{'killed':>8}{'timeout':>9}{'survived':>10}{'untested':>10}{'score':>8}"
    rows = [head + (f"{'95% interval':>16}" if interval else "")]
    total: collections.Counter[str] = collections.Counter()
    for module, counts in per_module.items():
        total.update(counts)
        size = population.get(module, 0) if population else None
        rows.append(_row(module, counts, interval, size))
    if population:
        rows.append(_row("all", total, interval, sum(population.get(m, 0) for m in per_module),
                         stratified(per_module, population)))  # fmt: skip
    else:
        rows.append(_row("all", total, interval))
    return "\n".join(rows)


def stratified(
    per_module: dict[str, collections.Counter[str]], population: dict[str, int], z: float = 1.96
) -> tuple[float, float, float] | None:
    """The population-weighted score of per-module samples, with a normal-approximation 95 % interval."""
    weights = {m: population.get(m, 0) for m, c in per_module.items() if sum(c[k] for k in COUNTED)}
    whole = sum(weights.values())
    if not whole:
        return None
    estimate = variance = 0.0
    for module, weight in weights.items():
        counts = per_module[module]
        n = sum(counts[k] for k in COUNTED)
        p = sum(counts[k] for k in CAUGHT) / n
        estimate += weight / whole * p
        variance += (weight / whole) ** 2 * p * (1 - p) / n
    half = z * math.sqrt(variance)
    return estimate, max(0.0, estimate - half), min(1.0, estimate + half)


def _row(
    name: str,
    c: collections.Counter[str],
    interval: bool,
    size: int | None = None,
    weighted: tuple[float, float, float] | None = None,
) -> str:
    checked = sum(c[k] for k in COUNTED)
    s = weighted[0] if weighted else score(c)
    shown = "-" if s is None else f"{100 * s:.1f}%"
    row = (f"{name:<14}{sum(c.values()) if size is None else size:>9}{checked:>9}{c['killed']:>8}{c['timeout']:>9}"
           f"{c['survived']:>10}{c['no tests']:>10}{shown:>8}")  # fmt: skip
    if interval:
        low, high = weighted[1:] if weighted else wilson(sum(c[k] for k in CAUGHT), checked)
        row += f"{f'{100 * low:.1f}–{100 * high:.1f}%' if checked else '-':>16}"
    return row


def _results() -> str:
    done = subprocess.run(["mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        msg = f"mutmut results failed: {done.stderr.strip()[:300]}"
        raise SystemExit(msg)
    return done.stdout


def _tested_functions() -> set[str]:
    """The functions some selected test reaches, from mutmut's stats (mutants of others are untested)."""
    stats = json.loads((ROOT / "mutants" / "mutmut-stats.json").read_text(encoding="utf-8"))
    return {name for name, tests in stats["tests_by_mangled_function_name"].items() if tests}


def _run_sample(modules: tuple[str, ...], size: int, seed: int, children: int, recheck: bool) -> str:
    # mutmut has no "generate only" command: a run filtered to a name that matches no mutant brings
    # mutants/ and the test statistics up to date with the source, then stops (non-zero, ignored).
    subprocess.run(["mutmut", "run", "no-such-mutant"], cwd=ROOT, capture_output=True, check=False)
    names = statuses(_results(), modules)
    drawn = sample(names, size, seed)
    tested = _tested_functions()
    redo = {"not checked", "survived"} if recheck else {"not checked"}
    pending = sorted(m for m in drawn if names[m][1] in redo and _reached(m, tested))
    print(
        f"{len(drawn)} mutants drawn (seed {seed}); running the {len(pending)} {' or '.join(sorted(redo))}", flush=True
    )
    if pending:
        subprocess.run(["mutmut", "run", "--max-children", str(children), *pending], cwd=ROOT, check=False)
    population = collections.Counter(owner for owner, _status in names.values())
    return table(tally_sample(_results(), modules, drawn, tested), interval=True, population=dict(population))


def tally_sample(
    results: str, modules: tuple[str, ...], drawn: set[str], tested: set[str]
) -> dict[str, collections.Counter[str]]:
    """Count the drawn mutants; one that no test reaches counts as untested even if never run."""
    out: dict[str, collections.Counter[str]] = {m: collections.Counter() for m in modules}
    for mutant, (owner, status) in statuses(results, modules).items():
        if mutant in drawn:
            unreached = status == "not checked" and not _reached(mutant, tested)
            out[owner]["no tests" if unreached else status] += 1
    return out


def _reached(mutant: str, tested: set[str]) -> bool:
    """Whether a selected test calls the function the mutant changes (mutmut skips the others)."""
    return mutant.split("__mutmut_")[0] in tested


def main(argv: list[str] | None = None) -> int:
    """Run mutmut on the named modules (default: all five) or a sample of them, then print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES), help=f"default: {' '.join(MODULES)}")
    parser.add_argument("--children", type=int, default=2, help="parallel mutants (default 2)")
    parser.add_argument("--report", action="store_true", help="print the last run's table; run nothing")
    parser.add_argument("--sample", type=int, metavar="N", help="check N random mutants per module, not all")
    parser.add_argument("--seed", type=int, default=15, help="the sample's random seed (default 15)")
    parser.add_argument(
        "--recheck", action="store_true", help="with --sample: also re-run its survivors (after new tests)"
    )
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"modules: expected some of {', '.join(MODULES)}, got {', '.join(unknown)}")
    if args.sample is not None and args.sample < 1:
        parser.error(f"--sample: expected a positive number of mutants, got {args.sample}")
    modules = tuple(args.modules)
    if args.sample is not None:
        print(_run_sample(modules, args.sample, args.seed, args.children, args.recheck))
        return 0
    if not args.report:
        patterns = [f"{m}.*" for m in modules]
        subprocess.run(["mutmut", "run", "--max-children", str(args.children), *patterns], cwd=ROOT, check=False)
    print(table(tally(_results(), modules)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
