"""Synthetic OpenStreetMap extracts built in code, where every walking distance is known by hand.

SYNTHETIC DATA: no street here exists. The "river grid" is laid out in metres in UTM zone 51N
(EPSG:32651) around an origin inside 南关区 and written as OSM XML in WGS-84:

* streets every 100 m: rows y = 0, 100, 200 (south bank) and y = 300, 400 (north bank), from
  x = 0 to 600, and the columns joining the rows of each bank;
* a river between y = 200 and y = 300 crossed by one footbridge, at x = 600;
* a motorway across the river at x = 300 and a footway with foot=no at x = 100: neither is walkable,
  so neither may shorten a walk;
* a walled compound south of the grid: one gate at (300, 0), a lane to (300, -100) and on to (400, -100);
* an island: a street from (1000, 0) to (1100, 0) joined to nothing.

``python tests/_osm.py PATH`` writes it (the docs copy is tests/data/synthetic_river_grid.osm).
"""

from __future__ import annotations

import sys
from pathlib import Path

ORIGIN = (125.3400, 43.8400)  # lon, lat of (0, 0)
CRS = "EPSG:32651"


def _to_lonlat(points: dict[int, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    from pyproj import Transformer

    fwd = Transformer.from_crs(4326, CRS, always_xy=True)
    inv = Transformer.from_crs(CRS, 4326, always_xy=True)
    x0, y0 = fwd.transform(*ORIGIN)
    return {k: inv.transform(x0 + x, y0 + y) for k, (x, y) in points.items()}


def metric(x: float, y: float) -> tuple[float, float]:
    """Return the UTM 51N coordinates of a point given in the grid's metres."""
    from pyproj import Transformer

    x0, y0 = Transformer.from_crs(4326, CRS, always_xy=True).transform(*ORIGIN)
    return x0 + x, y0 + y


def river_grid() -> tuple[dict[int, tuple[float, float]], list[tuple[int, list[int], dict[str, str]]]]:
    """Return the grid's nodes (id -> metres) and ways (id, node ids, tags)."""
    nodes: dict[int, tuple[float, float]] = {}
    ids: dict[tuple[int, int], int] = {}

    def node(x: int, y: int) -> int:
        if (x, y) not in ids:
            ids[(x, y)] = len(ids) + 1
            nodes[ids[(x, y)]] = (float(x), float(y))
        return ids[(x, y)]

    ways: list[tuple[int, list[int], dict[str, str]]] = []

    def way(points: list[tuple[int, int]], **tags: str) -> None:
        ways.append((100 + len(ways), [node(x, y) for x, y in points], tags))

    xs = range(0, 700, 100)
    for y in (0, 100, 200, 300, 400):
        way([(x, y) for x in xs], highway="residential", name=f"Synthetic row {y}")
    for x in xs:
        way([(x, 0), (x, 100), (x, 200)], highway="residential", name=f"Synthetic south column {x}")
        way([(x, 300), (x, 400)], highway="residential", name=f"Synthetic north column {x}")
    way([(600, 200), (600, 300)], highway="footway", bridge="yes", name="Synthetic footbridge")
    way([(300, 200), (300, 300)], highway="motorway", bridge="yes", name="Synthetic motorway (not walkable)")
    way([(100, 200), (100, 300)], highway="footway", foot="no", bridge="yes", name="Closed footway (foot=no)")
    way([(300, 0), (300, -100), (400, -100)], highway="service", name="Synthetic compound lane")
    way([(1000, 0), (1050, 0), (1100, 0)], highway="residential", name="Synthetic island street")
    return nodes, ways


def river_grid_xml() -> str:
    """Return the river grid as OSM XML (WGS-84), marked synthetic in its header and tags."""
    nodes, ways = river_grid()
    lonlat = _to_lonlat(nodes)
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        (
            '<osm version="0.6" generator="nanguan-geo tests/_osm.py (SYNTHETIC: no street here exists)"'
            ' timestamp="2026-11-29T00:00:00Z">'
        ),
    ]
    for k, (lon, lat) in sorted(lonlat.items()):
        out.append(f'  <node id="{k}" version="1" lat="{lat:.8f}" lon="{lon:.8f}"/>')
    for k, refs, tags in ways:
        out.append(f'  <way id="{k}" version="1">')
        out += [f'    <nd ref="{r}"/>' for r in refs]
        out += [f'    <tag k="{key}" v="{value}"/>' for key, value in {**tags, "note": "synthetic"}.items()]
        out.append("  </way>")
    out.append("</osm>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(river_grid_xml(), encoding="utf-8")
