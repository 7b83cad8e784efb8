"""What checking a place's properties costs: the fast path, the column-wise path and the full check.

    python -m benchmarks.rules                 # 200,000 synthetic points, best of 3
    python -m benchmarks.rules 1000000 --repeat 1
    python -m benchmarks.rules 20000 --pydantic   # also a pydantic v2 model of the same rules, for comparison

Measured in-process on :func:`benchmarks.synth.make_collection`'s places (made before the clock starts):

- fast: :func:`geo.model.check_collection` (the per-place fast path, every place plainly valid);
- columns: :func:`geo.model.plainly_valid_columns` over :func:`geo.model.property_columns` (what
  ``store.load_frame`` runs on a canonical file);
- full: :func:`geo.model.check_feature` on every place (what the fast paths spare), on a tenth of them;
- pydantic (``--pydantic``): ``TypeAdapter(list[Place]).validate_python`` of a pydantic v2 model holding
  the same per-field rules (types, choices, ranges; no cross-field rules), the alternative DESIGN.md weighs.

Figures are CPU seconds of this process (``time.process_time``: on a shared machine the figure that does
not depend on the other users), best of ``--repeat``, and microseconds per place. Never run by the tests.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from benchmarks.synth import make_collection
from geo import model


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def _pydantic_check(features: list[dict[str, Any]]) -> Callable[[], Any]:
    """Return a function validating the places' properties with a pydantic v2 model of the per-field rules."""
    from typing import Literal, Optional

    from pydantic import ConfigDict, Field, TypeAdapter, create_model

    from geo import rules

    fields: dict[str, Any] = {}
    for rule in rules.RULES:
        kind: Any = {"id": str, "text": str, "texts": list[str], "area": float, "number": float,
                     "figures": dict[str, float], "figure_sources": dict[str, str],
                     "positions": list[list[float]], "lonlat": list[float]}.get(rule.kind)  # fmt: skip
        if rule.kind == "choice":
            kind = Literal[rule.choices]  # type: ignore[valid-type]
        xlo, lo, hi = rule.bounds
        limits = {"gt": xlo, "ge": lo, "le": hi} if rule.kind in ("area", "number") else {}
        pattern = {"pattern": f"^{rules.ID_PATTERN}$"} if rule.kind == "id" else {}
        if rule.required:
            fields[rule.name] = (kind, Field(**limits, **pattern))
        else:
            fields[rule.name] = (Optional[kind], Field(default=None, **limits, **pattern))  # noqa: UP045
    props = create_model("Props", __config__=ConfigDict(extra="allow", strict=True), **fields)
    adapter = TypeAdapter(list[props])  # type: ignore[valid-type]
    values = [f["properties"] for f in features]
    return lambda: adapter.validate_python(values)


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pydantic", action="store_true", help="also time a pydantic v2 model of the same rules")
    args = parser.parse_args()
    collection = make_collection(args.n)
    features = collection["features"]
    assert model.check_collection(collection) == [], "a benchmark of valid places"
    cols = model.property_columns([f["properties"] for f in features])
    geoms = [f["geometry"] for f in features]
    tenth = features[: max(1, args.n // 10)]
    runs: dict[str, tuple[Callable[[], Any], int]] = {
        "fast": (lambda: model.check_collection(collection), args.n),
        "columns": (lambda: model.plainly_valid_columns(cols, geoms), args.n),
        "full": (lambda: [model.check_feature(f) for f in tenth], len(tenth)),
    }
    if args.pydantic:
        runs["pydantic"] = (_pydantic_check(features), args.n)
    print(f"{args.n:,} places, CPU seconds (best of {args.repeat})")
    for label, (fn, count) in runs.items():
        seconds = _best(fn, args.repeat)
        print(f"  {label:<9} {seconds:8.3f} s  {seconds / count * 1e6:7.2f} µs/place  ({count:,} places)")


if __name__ == "__main__":
    main()
