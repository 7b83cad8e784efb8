"""Benchmark walking access at city scale on a synthetic street grid (no download, nothing real).

    python -m benchmarks.network              # 200,000-node grid, 100,000 homes, 10,000 parks
    python -m benchmarks.network --dask       # also through the Dask engine (homes partitioned)

The grid is built directly as a networkx graph (100 m blocks around 南关区, both directions of every
street, lengths in metres), so the figure is the access computation itself: projecting the nodes, the
nearest-node index, one multi-source Dijkstra from the parks, and every home's walking and straight
distance. Peak memory is the process's maximum resident size.
"""

from __future__ import annotations

import argparse
import math
import resource
import time

import geopandas as gpd
import networkx as nx
import numpy as np
from shapely import points

from geo.network import walking_access

ORIGIN = (125.30, 43.80)


def grid(side: int) -> nx.MultiDiGraph:
    """Return a side x side street grid, 100 m blocks, both directions of every street."""
    g = nx.MultiDiGraph(crs="epsg:4326", geo_walk_both_ways="True", geo_source="SYNTHETIC benchmark grid")
    dlat = 100 / 111_000
    dlon = 100 / (111_000 * math.cos(math.radians(ORIGIN[1])))
    for i in range(side):
        for j in range(side):
            g.add_node(i * side + j, x=ORIGIN[0] + j * dlon, y=ORIGIN[1] + i * dlat)
    for i in range(side):
        for j in range(side):
            k = i * side + j
            for other in ((k + 1) if j + 1 < side else None, (k + side) if i + 1 < side else None):
                if other is not None:
                    g.add_edge(k, other, length=100.0)
                    g.add_edge(other, k, length=100.0)
    return g


def places(n: int, side: int, rng: np.random.Generator, category: str) -> gpd.GeoDataFrame:
    dlat = 100 / 111_000 * (side - 1)
    dlon = 100 / (111_000 * math.cos(math.radians(ORIGIN[1]))) * (side - 1)
    lon = ORIGIN[0] + rng.uniform(0, dlon, n)
    lat = ORIGIN[1] + rng.uniform(0, dlat, n)
    frame = gpd.GeoDataFrame({"id": [f"{category}-{k}" for k in range(n)], "name": [f"{category} {k}" for k in range(n)],
                              "category": category}, geometry=points(np.column_stack([lon, lat])), crs=4326)  # fmt: skip
    return frame.to_crs(32651)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--homes", type=int, default=100_000)
    parser.add_argument("--parks", type=int, default=10_000)
    parser.add_argument("--dask", action="store_true", help="also run the Dask engine (homes partitioned)")
    args = parser.parse_args()
    side = int(math.sqrt(args.nodes))
    t0 = time.perf_counter()
    g = grid(side)
    built = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    homes, parks = places(args.homes, side, rng, "residential"), places(args.parks, side, rng, "park")
    t0 = time.perf_counter()
    result = walking_access(homes, parks, g, (300, 500))
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"grid: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} directed edges (built in {built:.1f} s)")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| walking access, {args.homes:,} homes to {args.parks:,} parks | {took:.2f} s | ≤ 10 s |")
    print(f"| peak resident memory (whole process) | {peak:,.0f} MiB | |")
    for row in result["rows"]:
        print(
            f"| within {row['radius_m']:.0f} m: walking / straight line | {row['within_walk']:,} / {row['within_straight']:,} | |"
        )
    if args.dask:
        from geo.dask_engine import summarize_dask

        frame = gpd.GeoDataFrame(
            {"id": [*homes["id"], *parks["id"]], "name": [*homes["name"], *parks["name"]],
             "category": [*homes["category"], *parks["category"]], "park_class": None, "stated_area_m2": np.nan,
             "uncertainty_m": np.nan},
            geometry=[*homes.geometry, *parks.geometry], crs=homes.crs,
        )  # fmt: skip
        t0 = time.perf_counter()
        dask_result = summarize_dask(frame, radii=(300, 500), network=g, npartitions=4)["walking"]
        print(
            f"| same through the Dask engine (4 partitions, local cluster, whole summary) | {time.perf_counter() - t0:.2f} s | |"
        )
        assert dask_result["rows"] == result["rows"], "the Dask engine disagrees with the in-memory one"


if __name__ == "__main__":
    main()
