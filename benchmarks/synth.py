"""Generate realistic synthetic places (Chinese names, the model's properties) for benchmarks.

Points fall inside the district's extent; polygons are regular 64-vertex
rings (counter-clockwise) drawn around a point. The data is synthetic: every
feature says so in ``location_source``.

    python -m benchmarks.synth 100000 /tmp/places-100k.geojson [--polygons]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import numpy as np

from geo.model import CATEGORIES, DISTRICT_BBOX, PARK_CLASSES
from geo.store import dumps_collection

ROADS = ["人民大街", "自由大路", "卫星路", "南湖大路", "亚泰大街", "前进大街", "东岭南街", "繁荣路", "华庆路", "南四环路",
         "幸福街", "永吉街", "民康路", "全安街", "曙光路", "桃源路", "鸿城街", "明珠路", "富裕路", "盛世大路"]  # fmt: skip
STEMS = ["幸福", "和平", "春城", "南岭", "东岭", "绿园", "明珠", "翠湖", "桃源", "长青", "新春", "曙光", "民康", "永安",
         "锦绣", "阳光", "金色", "清风", "梧桐", "银杏", "丁香", "海棠", "睦邻", "创意", "溪畔", "河畔"]  # fmt: skip
SUFFIX = {"park": "口袋公园", "commerce": "商业广场", "office": "金融大厦", "industry": "产业园", "health": "社区医院",
          "education": "小学", "residential": "小区", "roads": "街路改造"}  # fmt: skip
WEIGHTS = np.array([0.30, 0.08, 0.05, 0.07, 0.04, 0.08, 0.33, 0.05])
SIDES = ["东侧", "西侧", "南侧", "北侧", "东北角", "西南角"]


def _ring(lon: float, lat: float, radius_m: float, n: int = 64) -> list[list[float]]:
    k = np.arange(n) * 2 * math.pi / n
    dx = radius_m * np.cos(k) / (111_320 * math.cos(math.radians(lat)))
    dy = radius_m * np.sin(k) / 110_540
    ring = np.column_stack([lon + dx, lat + dy]).round(7).tolist()
    return [*ring, ring[0]]


def make_collection(n: int, *, polygons: bool = False, seed: int = 0, start: int = 0) -> dict[str, Any]:
    """Return a valid FeatureCollection of ``n`` synthetic places.

    Parameters
    ----------
    n : int
        Number of features.
    polygons : bool
        Every feature is a 64-vertex polygon park instead of a mix of points.
    seed : int
        Random seed (the same seed gives the same file).
    start : int
        Number of the first feature (its id and name), for a file written in chunks.

    Returns
    -------
    dict
    """
    rng = np.random.default_rng(seed)
    w, s, e, north = DISTRICT_BBOX
    lon = rng.uniform(w + 0.01, e - 0.01, n).round(7)
    lat = rng.uniform(s + 0.01, north - 0.01, n).round(7)
    cats = rng.choice(len(CATEGORIES), n, p=WEIGHTS / WEIGHTS.sum()) if not polygons else np.zeros(n, dtype=int)
    classes = list(PARK_CLASSES)
    approx = rng.random(n) < 0.3
    features = []
    for k in range(n):
        i = start + k
        cat = CATEGORIES[cats[k]]
        stem = STEMS[i % len(STEMS)] + STEMS[(i // len(STEMS)) % len(STEMS)]
        name = f"{stem}{SUFFIX[cat]}{i}"
        road_a, road_b = ROADS[i % len(ROADS)], ROADS[(i * 7 + 3) % len(ROADS)]
        area = float(rng.integers(400, 40_000)) if cat == "park" else None
        if polygons:
            radius = math.sqrt(area / math.pi) if area else 50.0
            geom = {"type": "Polygon", "coordinates": [_ring(float(lon[k]), float(lat[k]), radius)]}
        else:
            geom = {"type": "Point", "coordinates": [float(lon[k]), float(lat[k])]}
        props = {
            "id": f"synthetic-{i}",
            "name": name,
            "name_en": f"Synthetic {cat} {i}",
            "category": cat,
            "park_class": classes[i % 4] if cat == "park" else None,
            "status": "open" if i % 5 else "planned",
            "status_source": "synthetic",
            "stated_area_m2": area,
            "stated_area_source": "synthetic" if area is not None else None,
            "address": f"{road_a}与{road_b}交会处{SIDES[i % len(SIDES)]}",
            "quote": None,
            "location_method": "manual",
            "location_source": "synthetic benchmark data (benchmarks/synth.py)",
            "datum_in": "wgs84",
            "precision": "approximate" if approx[k] and not polygons else "exact",
            "uncertainty_m": 250.0 if approx[k] and not polygons else 10.0,
            "outline": "schematic" if polygons else None,
            "notes": "Synthetic place for benchmarks." if i % 3 == 0 else None,
        }
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "name": f"synthetic_{n}", "features": features}


#: Outline files above this many features are written a chunk at a time (each chunk its own seed): a
#: million 64-vertex outlines held as Python lists at once would need about 26 GB.
CHUNK = 100_000


def write(n: int, path: str | Path, *, polygons: bool = False, seed: int = 0) -> Path:
    """Write a synthetic collection in the store's canonical form.

    Up to :data:`CHUNK` outlines (and points of any number) the file is one collection of ``seed``;
    more outlines are made :data:`CHUNK` at a time, chunk ``k`` with seed ``seed + k``, and their
    features' text written one chunk after another into the same canonical file.

    Parameters
    ----------
    n : int
    path : str or path-like
    polygons : bool
    seed : int

    Returns
    -------
    pathlib.Path
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not polygons or n <= CHUNK:
        out.write_text(dumps_collection(make_collection(n, polygons=polygons, seed=seed)), encoding="utf-8")
        return out
    head = dumps_collection({"type": "FeatureCollection", "name": f"synthetic_{n}", "features": []})
    head = head.removesuffix("]\n}\n")
    with out.open("w", encoding="utf-8") as f:
        f.write(head)
        for k, first in enumerate(range(0, n, CHUNK)):
            chunk = make_collection(min(CHUNK, n - first), polygons=True, seed=seed + k, start=first)
            text = dumps_collection(chunk)
            body = text[text.index('"features": [') + len('"features": [') : -len("\n  ]\n}\n")]
            f.write(("," if first else "") + body)
        f.write("\n  ]\n}\n")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("path")
    parser.add_argument("--polygons", action="store_true")
    args = parser.parse_args()
    print(write(args.n, args.path, polygons=args.polygons))
