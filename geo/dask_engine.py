"""Compute the park-area and access summaries on Dask, for data too big for one process.

The places are read as partitioned GeoParquet with dask-geopandas. Each
partition is summarised with the in-memory functions of :mod:`geo.summary`
(parks are gathered and sent to every partition, since every home needs every
park), and the partial results are added up, so the figures are the same as
the in-memory engine's. Runs on a local cluster by default, or on any Dask
cluster by address.

When to use it: the in-memory engine handles a district or a city (100,000
parks and 100,000 homes in a few seconds on 2 cores). Use Dask when the homes
no longer fit in one machine's memory, or to spread a province's data over a
cluster; the parks (a far smaller set) must still fit in memory.

Needs the ``dask`` extra: ``pip install -e ".[dask]"``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from geo.errors import ValidationError
from geo.summary import access_summary, park_area_summary, project

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["COLUMNS", "summarize_dask", "write_partitioned"]

logger = logging.getLogger(__name__)

#: Columns the summaries need.
COLUMNS = ["id", "name", "category", "park_class", "stated_area_m2", "uncertainty_m", "geometry"]


def write_partitioned(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, npartitions: int = 4) -> None:
    """Write places as partitioned GeoParquet (one file per partition).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places with the model's columns and a CRS.
    path : str or path-like
        Output folder.
    npartitions : int
        Number of partitions.
    """
    import dask_geopandas

    frame = gdf[[c for c in COLUMNS if c in gdf.columns]].copy()
    frame["park_class"] = frame["park_class"].astype("string")
    dask_geopandas.from_geopandas(frame, npartitions=npartitions).to_parquet(str(path))


def _client(scheduler: str | None) -> Any:
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0")
    return Client(cluster)


def _park_part(part: gpd.GeoDataFrame, district_area_m2: float) -> dict[str, Any]:
    return park_area_summary(part, district_area_m2=district_area_m2, reported_pocket_parks=0)


def _access_part(
    homes: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, radii: Sequence[float], large: Sequence[float]
) -> dict[str, Any]:
    import pandas as pd

    frame = pd.concat([parks, homes], ignore_index=True)
    return access_summary(frame, radii, large_park_radii=large, district_share=False)


def _add_totals(target: dict[str, Any], part: dict[str, Any], keys: Sequence[str]) -> None:
    for key in keys:
        target[key] = target.get(key, 0) + part[key]


def summarize_dask(
    source: Any,
    *,
    radii: Sequence[float] = (300.0, 500.0),
    large_park_radii: Sequence[float] = (),
    population: int | None = None,
    scheduler: str | None = None,
    npartitions: int = 4,
    district_share: bool = True,
) -> dict[str, Any]:
    """Return the same summary as :func:`geo.summary.summarize`, computed on Dask.

    Parameters
    ----------
    source : str, path-like or geopandas.GeoDataFrame
        Partitioned GeoParquet (a folder or file), or an in-memory frame to partition.
    radii, large_park_radii, population, district_share
        As in :func:`geo.summary.summarize`.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); a local cluster by default.
    npartitions : int
        Partitions for an in-memory frame.

    Returns
    -------
    dict
        ``parks``, ``access``, ``catchments``, ``nearest``, ``notes``, ``crs``.

    Raises
    ------
    geo.errors.ValidationError
        Missing columns or CRS.
    """
    import dask
    import dask_geopandas
    import geopandas as gpd
    import pandas as pd

    from geo.summary import REPORTED_POCKET_PARKS, _district_area_m2

    if isinstance(source, gpd.GeoDataFrame):
        frame = source[[c for c in COLUMNS if c in source.columns]]
        ddf = dask_geopandas.from_geopandas(frame, npartitions=npartitions)
    else:
        ddf = dask_geopandas.read_parquet(str(source))
    missing = [c for c in COLUMNS if c not in ddf.columns]
    if missing:
        msg = f"columns missing from the data: {', '.join(missing)} (expected {', '.join(COLUMNS)})"
        raise ValidationError(msg)
    if ddf.crs is None:
        msg = "data: a CRS is required to measure areas and distances, got None"
        raise ValidationError(msg)
    metric_crs = project(ddf.get_partition(0).head(1000)).crs if not ddf.crs.is_projected else ddf.crs
    ddf = ddf.to_crs(metric_crs) if not ddf.crs.equals(metric_crs) else ddf
    client = _client(scheduler)
    try:
        district = _district_area_m2(metric_crs)
        parts = ddf.to_delayed()
        park_parts = dask.compute(*[dask.delayed(_park_part)(p, district) for p in parts])
        parks = ddf[ddf["category"] == "park"].compute()
        homes = ddf[ddf["category"] == "residential"].to_delayed()
        parks_future = client.scatter(parks, broadcast=True)
        access_parts = dask.compute(
            *[dask.delayed(_access_part)(h, parks_future, list(radii), list(large_park_radii)) for h in homes]
        )
        share_rows = access_summary(parks, radii, large_park_radii=large_park_radii, district_share=district_share)[
            "access"
        ]
    finally:
        client.close()

    # ---- add the partitions up
    first = park_parts[0]
    totals: dict[str, Any] = {}
    by_class = {
        r["class"]: {**r, "count": 0, "located": 0, "stated_area_m2": 0.0, "mapped_area_m2": 0.0}
        for r in first["by_class"]
    }
    by_category = {
        r["category"]: {**r, "count": 0, "located": 0, "stated_area_m2": 0.0, "mapped_area_m2": 0.0}
        for r in first["by_category"]
    }
    disagreements: list[dict[str, Any]] = []
    pocket = 0
    for part in park_parts:
        _add_totals(totals, part, ["count", "located", "stated_area_m2", "mapped_area_m2"])
        for row in part["by_class"]:
            _add_totals(by_class[row["class"]], row, ["count", "located", "stated_area_m2", "mapped_area_m2"])
        for row in part["by_category"]:
            _add_totals(by_category[row["category"]], row, ["count", "located", "stated_area_m2", "mapped_area_m2"])
        disagreements += part["disagreements"]
        pocket += part["inventory"]["pocket_parks_in_data"]
    for row in [*by_class.values(), *by_category.values()]:
        row["stated_area_m2"] = round(row["stated_area_m2"], 1)
        row["mapped_area_m2"] = round(row["mapped_area_m2"], 1)
    totals["stated_area_m2"] = round(totals["stated_area_m2"], 1)
    totals["mapped_area_m2"] = round(totals["mapped_area_m2"], 1)
    park_summary: dict[str, Any] = {
        **totals,
        "unlocated": totals["count"] - totals["located"],
        "by_class": [by_class[k] for k in by_class],
        "by_category": list(by_category.values()),
        "disagreements": disagreements,
        "district_area_m2": round(district, 1),
        "share_of_district": {
            "stated": round(totals["stated_area_m2"] / district, 10),
            "mapped": round(totals["mapped_area_m2"] / district, 10),
        },
        "inventory": {
            "reported_pocket_parks": REPORTED_POCKET_PARKS,
            "pocket_parks_in_data": pocket,
            "not_in_data": max(REPORTED_POCKET_PARKS - pocket, 0),
        },
    }
    if population is not None:
        from geo.summary import PER_CAPITA_STANDARD_M2

        per = totals["stated_area_m2"] / population
        park_summary["per_capita"] = {"population": population, "stated_area_m2_per_person": round(per, 4),
                                      "standard_m2_per_person": PER_CAPITA_STANDARD_M2,
                                      "meets_standard": per >= PER_CAPITA_STANDARD_M2}  # fmt: skip
    access = []
    for k, base in enumerate(share_rows):
        row = {
            **base,
            "residential_total": 0,
            "residential_located": 0,
            "residential_unknown": 0,
            "residential_within": 0,
        }
        for part in access_parts:
            _add_totals(
                row,
                part["access"][k],
                ["residential_total", "residential_located", "residential_unknown", "residential_within"],
            )
        total, located = row["residential_total"], row["residential_located"]
        row["residential_share"] = round(row["residential_within"] / total, 6) if total else None
        row["residential_share_of_located"] = round(row["residential_within"] / located, 6) if located else None
        access.append(row)
    catchments = pd.DataFrame(access_parts[0]["catchments"]) if access_parts else pd.DataFrame()
    for part in access_parts[1:]:
        other = pd.DataFrame(part["catchments"])
        for col in [c for c in other.columns if c.startswith("within_")]:
            catchments[col] = catchments[col] + other[col]
    nearest = [row for part in access_parts for row in part["nearest"]]
    notes = access_parts[0]["notes"] if access_parts else []
    return {
        "parks": park_summary,
        "access": access,
        "catchments": catchments.to_dict("records"),
        "nearest": nearest,
        "notes": notes or [],
        "crs": metric_crs.to_string(),
        "engine": "dask",
    }
