"""Write tests/data/gcj02_vectors.json: WGS-84 -> GCJ-02 test vectors shared by the Python and JS tests.

The expected values are computed by prcoords (an independent implementation of the published formula, on PyPI),
not by geo.coords, so both geo.coords (tests/test_coords.py) and the page's geo/static/src/atlas/datum.js
(tests/js/datum.test.mjs) are checked against the same outside oracle. Run it again only to add points:

    python3 tools/make_gcj02_vectors.py
"""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import prcoords

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "gcj02_vectors.json"

#: Named places (inside mainland China) and places outside it, which the transform leaves unshifted.
NAMED = [
    ("nanguan-district", 125.33, 43.86),
    ("changchun-renmin-square", 125.3195, 43.8767),
    ("beijing", 116.391, 39.907),
    ("shanghai", 121.4737, 31.2304),
    ("guangzhou", 113.2644, 23.1291),
    ("urumqi", 87.6168, 43.8256),
    ("lhasa", 91.1409, 29.6456),
    ("harbin", 126.6424, 45.7567),
    ("kashgar-west", 73.6, 39.4),
    ("heilongjiang-east", 134.7, 48.3),
    ("sanya", 110.3, 18.3),
    ("paris", 2.35, 48.85),
    ("new-york", -74.0, 40.7),
    ("sydney", 151.2, -33.9),
    ("tokyo-east", 139.9, 35.7),
]


def main() -> None:
    """Write the vectors file (named places, then 40 seeded random points in mainland China)."""
    rng = random.Random(26)
    points = list(NAMED)
    for k in range(40):
        points.append((f"random-{k:02d}", round(rng.uniform(73.5, 134.8), 6), round(rng.uniform(18.2, 53.5), 6)))
    vectors = []
    for name, lon, lat in points:
        with warnings.catch_warnings():  # prcoords warns for the points outside China (returned as they are)
            warnings.simplefilter("ignore", UserWarning)
            shifted = prcoords.wgs_gcj((lat, lon))
        vectors.append({"name": name, "wgs84": [lon, lat], "gcj02": [shifted.lon, shifted.lat]})
    doc = {
        "about": "WGS-84 -> GCJ-02 test vectors (lon, lat in degrees) for geo.coords and the page's datum.js; "
        "expected values from prcoords.wgs_gcj (tools/make_gcj02_vectors.py). Outside mainland China the "
        "transform leaves a point as it is.",
        "tolerance_deg": 1e-9,
        "vectors": vectors,
    }
    rows = ",\n".join("  " + json.dumps(v) for v in vectors)  # one vector a line
    head = json.dumps({k: v for k, v in doc.items() if k != "vectors"}, indent=1)[:-2]
    OUT.write_text(head + ',\n "vectors": [\n' + rows + "\n ]\n}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
