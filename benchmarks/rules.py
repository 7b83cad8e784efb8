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
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

    from geo import rules

    def choice(field: str) -> Any:
        return Literal[tuple(rules.choices(field))]

    class Props(BaseModel):
        model_config = ConfigDict(extra="allow", strict=True)
        id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
        name: str = Field(min_length=1)
        name_en: str | None = None
        category: choice("category")  # type: ignore[valid-type]
        park_class: choice("park_class") | None = None  # type: ignore[valid-type]
        status: choice("status")  # type: ignore[valid-type]
        status_source: str | None = None
        stated_area_m2: float | None = Field(default=None, gt=0, le=model.MAX_AREA_M2)
        stated_area_source: str | None = None
        address: str | None = None
        quote: str | None = None
        location_method: choice("location_method")  # type: ignore[valid-type]
        location_source: str | None = None
        datum_in: choice("datum_in") | None = None  # type: ignore[valid-type]
        precision: choice("precision")  # type: ignore[valid-type]
        uncertainty_m: float | None = Field(default=None, ge=0)
        outline: choice("outline") | None = None  # type: ignore[valid-type]
        notes: str | None = None

    adapter = TypeAdapter(list[Props])
    props = [f["properties"] for f in features]
    return lambda: adapter.validate_python(props)


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
