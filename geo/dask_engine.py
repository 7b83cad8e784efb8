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
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.errors import StoreError, ValidationError
from geo.network import combine_access, park_distances, walking_access
from geo.resources import need
from geo.store import has_location
from geo.summary import (
    REPORTED_POCKET_PARKS,
    _district_area_m2,
    access_summary,
    district_shares,
    park_area_summary,
    project,
    share_fields,
    stated_area_note,
)

__all__ = ["COLUMNS", "summarize_dask", "write_partitioned"]

logger = logging.getLogger(__name__)

#: Columns the summaries need.
COLUMNS = ["id", "name", "category", "park_class", "stated_area_m2", "uncertainty_m", "geometry"]
#: Read when present (older files lack it: their stated areas count as not the report's).
OPTIONAL_COLUMNS = ["stated_area_source"]


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

    frame = gdf[[c for c in [*COLUMNS, *OPTIONAL_COLUMNS] if c in gdf.columns]].copy()
    frame["park_class"] = frame["park_class"].astype("string")
    dask_geopandas.from_geopandas(frame, npartitions=npartitions).to_parquet(str(path))


def _client(scheduler: str | None) -> Any:
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=10)
        except (OSError, TimeoutError, ValueError) as err:  # no scheduler there, or a malformed address
            msg = f"--scheduler: cannot reach a Dask scheduler at {scheduler!r}: {err}"
            raise StoreError(msg) from err
    logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0")
    return Client(cluster)


def _park_part(part: gpd.GeoDataFrame, district_area_m2: float) -> dict[str, Any]:
    return park_area_summary(part, district_area_m2=district_area_m2, reported_pocket_parks=0)


def _access_part(
    homes: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, radii: Sequence[float], large: Sequence[float]
) -> dict[str, Any]:

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
    network: Any = None,
) -> dict[str, Any]:
    """Return the same summary as :func:`geo.summary.summarize`, computed on Dask.

    Parameters
    ----------
    source : str, path-like or geopandas.GeoDataFrame
        Partitioned GeoParquet (a folder or file), or an in-memory frame to partition.
    radii, large_park_radii, population, district_share, network
        As in :func:`geo.summary.summarize`; with a street network, one shortest-path run
        from the parks serves every partition of the homes.
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
    need("dask", "the Dask engine (--engine dask)")
    ddf, metric_crs = _partitioned(source, npartitions)
    client = _client(scheduler)
    try:
        district = _district_area_m2()
        park_parts, access_parts, parks = _compute_parts(ddf, client, district, radii, large_park_radii)
        share_rows = access_summary(parks, radii, large_park_radii=large_park_radii, district_share=district_share)[
            "access"
        ]
        walking = _walking(ddf, parks, network, radii, client) if network is not None else None
    finally:
        client.close()
    extra = {"walking": walking} if walking is not None else {}
    return {
        **extra,
        "parks": _add_park_parts(park_parts, district, population),
        "access": _add_access_parts(share_rows, access_parts),
        "catchments": _add_catchments(access_parts),
        "nearest": [row for part in access_parts for row in part["nearest"]],
        "notes": (access_parts[0]["notes"] if access_parts else []) or [],
        "crs": metric_crs.to_string(),
        "engine": "dask",
    }


def _walking(ddf: Any, parks: Any, network: Any, radii: Sequence[float], client: Any) -> dict[str, Any]:
    """Compute walking access with the homes partitioned: the parks' distances are computed once and shared."""
    import dask

    located_parks = parks[has_location(parks)]
    distances = park_distances(located_parks, network)
    # The network and the distances go to every worker once, not once per task.
    shared_network, shared_distances = client.scatter([network, distances], broadcast=True)
    homes = ddf[ddf["category"] == "residential"].to_delayed()
    parts = dask.compute(
        *[
            dask.delayed(walking_access)(h, located_parks, shared_network, list(radii), node_distance=shared_distances)
            for h in homes
        ]
    )
    return combine_access(parts, network, radii)


def _partitioned(source: Any, npartitions: int) -> tuple[Any, Any]:
    """Return the data as a Dask GeoDataFrame in a metric CRS, checking its columns and CRS."""
    import dask_geopandas

    if isinstance(source, gpd.GeoDataFrame):
        frame = source[[c for c in [*COLUMNS, *OPTIONAL_COLUMNS] if c in source.columns]]
        ddf = dask_geopandas.from_geopandas(frame, npartitions=npartitions)
    else:
        try:
            ddf = dask_geopandas.read_parquet(str(source))
        except (OSError, ValueError) as err:  # missing, empty or not GeoParquet
            msg = f"--data: cannot read {str(source)!r} as GeoParquet: {str(err).splitlines()[0][:200]}"
            raise StoreError(msg) from err
    missing = [c for c in COLUMNS if c not in ddf.columns]
    if missing:
        msg = f"columns missing from the data: {', '.join(missing)} (expected {', '.join(COLUMNS)})"
        raise ValidationError(msg)
    if ddf.crs is None:
        msg = "data: a CRS is required to measure areas and distances, got None"
        raise ValidationError(msg)
    metric_crs = project(ddf.get_partition(0).head(1000)).crs  # re-projects geographic and area-distorting CRSs
    return (ddf.to_crs(metric_crs) if not ddf.crs.equals(metric_crs) else ddf), metric_crs


def _compute_parts(
    ddf: Any, client: Any, district: float, radii: Sequence[float], large_park_radii: Sequence[float]
) -> tuple[Any, Any, Any]:
    """Run the in-memory park and access functions on every partition: ``(park parts, access parts, parks)``."""
    import dask

    parts = ddf.to_delayed()
    park_parts = dask.compute(*[dask.delayed(_park_part)(p, district) for p in parts])
    parks = ddf[ddf["category"] == "park"].compute()
    homes = ddf[ddf["category"] == "residential"].to_delayed()
    parks_future = client.scatter(parks, broadcast=True)
    access_parts = dask.compute(
        *[dask.delayed(_access_part)(h, parks_future, list(radii), list(large_park_radii)) for h in homes]
    )
    return park_parts, access_parts, parks


_AREA_KEYS = ["count", "located", "stated_area_m2", "stated_area_report_m2", "mapped_area_m2"]


def _rows_by(parts: Sequence[dict[str, Any]], table: str, key: str) -> dict[str, dict[str, Any]]:
    """Add up one table (``by_class`` or ``by_category``) over the partitions, rounded like the in-memory engine."""
    rows = {
        r[key]: {
            **r,
            "count": 0,
            "located": 0,
            "stated_area_m2": 0.0,
            "stated_area_report_m2": 0.0,
            "mapped_area_m2": 0.0,
        }
        for r in parts[0][table]
    }
    for part in parts:
        for row in part[table]:
            _add_totals(rows[row[key]], row, _AREA_KEYS)
    for row in rows.values():
        for area in ("stated_area_m2", "stated_area_report_m2", "mapped_area_m2"):
            row[area] = round(row[area], 1)
    return rows


def _add_park_parts(park_parts: Sequence[dict[str, Any]], district: float, population: int | None) -> dict[str, Any]:
    """Add the partitions' park figures up into :func:`geo.summary.park_area_summary`'s shape."""
    totals: dict[str, Any] = {}
    for part in park_parts:
        _add_totals(totals, part, _AREA_KEYS)
    for area in ("stated_area_m2", "stated_area_report_m2", "mapped_area_m2"):
        totals[area] = round(totals[area], 1)
    pocket = sum(part["inventory"]["pocket_parks_in_data"] for part in park_parts)
    summary: dict[str, Any] = {
        **totals,
        "stated_area_note": stated_area_note(totals["stated_area_m2"], totals["stated_area_report_m2"]),
        "unlocated": totals["count"] - totals["located"],
        "by_class": list(_rows_by(park_parts, "by_class", "class").values()),
        "by_category": list(_rows_by(park_parts, "by_category", "category").values()),
        "disagreements": [d for part in park_parts for d in part["disagreements"]],
        **district_shares(totals, district, pocket, REPORTED_POCKET_PARKS, population),
    }
    return summary


_HOME_KEYS = ["residential_total", "residential_located", "residential_unknown", "residential_within"]


def _add_access_parts(
    share_rows: Sequence[dict[str, Any]], access_parts: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Add the partitions' home counts to the district-share rows, one row per radius."""
    access = []
    for k, base in enumerate(share_rows):
        row = {**base, **dict.fromkeys(_HOME_KEYS, 0)}
        for part in access_parts:
            _add_totals(row, part["access"][k], _HOME_KEYS)
        total, located = row["residential_total"], row["residential_located"]
        access.append({**row, **share_fields(row["residential_within"], located, total)})
    return access


def _add_catchments(access_parts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the partitions' per-park home counts (``within_*`` columns) up."""
    catchments = pd.DataFrame(access_parts[0]["catchments"]) if access_parts else pd.DataFrame()
    for part in access_parts[1:]:
        other = pd.DataFrame(part["catchments"])
        for col in [c for c in other.columns if c.startswith("within_")]:
            catchments[col] = catchments[col] + other[col]
    return [{str(k): v for k, v in row.items()} for row in catchments.to_dict("records")]
