"""Check coordinates, keep axis order explicit, and convert China's datums.

In memory and on disk a point is ``(lon, lat)``, as in GeoJSON and shapely.
Leaflet and folium want ``(lat, lon)``: swap only through :func:`to_latlon`
and :func:`bounds_to_leaflet`.

Datums
------
Maps published in mainland China do not use WGS-84. Amap (Gaode), Tencent and
Apple Maps in China use **GCJ-02**, an obfuscated datum offset from WGS-84 by
a few hundred metres (about +0.0065° lon, +0.0024° lat in Changchun); Baidu
uses **BD-09**, a further shift of GCJ-02. The forward formulas are the
published ones (Krasovsky 1940 ellipsoid, a = 6378245 m, e² =
0.00669342162296594323; BD-09 with x_pi = π·3000/180). They have no closed
inverse, so :func:`gcj02_to_wgs84` and :func:`bd09_to_wgs84` iterate the
forward transform until the round trip is below 1e-10° (about 0.01 mm).

Notes
-----
"Outside China" is the bounding box used by the common implementations
(lon 72.004–137.8347, lat 0.8293–55.8271), where the shift is applied;
elsewhere the shift is zero. The box also covers Taiwan, Hong Kong, Macau and
parts of neighbouring countries, as those implementations do.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from geo.errors import CoordinateError, Problem

__all__ = [
    "DATUMS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "bounds_to_leaflet",
    "check_lonlat",
    "distance_m",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "geodesic_areas",
    "in_china",
    "offset_point",
    "parse_lonlat",
    "ring_arrays",
    "small_ring_areas",
    "to_latlon",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

DATUMS = ("wgs84", "gcj02", "bd09")

_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
_CHINA_BOX = (72.004, 0.8293, 137.8347, 55.8271)
_TOL_DEG = 1e-10
_MAX_ITER = 30

Array = npt.NDArray[np.float64]


def _arrays(lon: Any, lat: Any) -> tuple[Array, Array, bool]:
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    if x.shape != y.shape:
        msg = f"lon and lat must have the same shape, got {x.shape} and {y.shape}"
        raise CoordinateError(msg)
    return x, y, scalar


def _out(x: Array, y: Array, scalar: bool) -> tuple[Any, Any]:
    if scalar:
        return float(x), float(y)
    return x, y


Step = Callable[[Array, Array], tuple[Array, Array]]


def _convert(lon: Any, lat: Any, *steps: Step) -> tuple[Any, Any]:
    """Run ``(lon, lat)`` through each datum step in turn: floats for scalar input, arrays otherwise."""
    x, y, scalar = _arrays(lon, lat)
    for step in steps:
        x, y = step(x, y)
    return _out(x, y, scalar)


def _undo(forward: Step) -> Step:
    """Return the step that undoes ``forward`` (iterated, see :func:`_invert`)."""
    return functools.partial(_invert, forward)


def in_china(lon: Any, lat: Any) -> Any:
    """Return whether points fall in the box where the GCJ-02 shift applies.

    Parameters
    ----------
    lon, lat : float or array-like
        Coordinates in degrees.

    Returns
    -------
    bool or numpy.ndarray of bool
    """
    x, y, scalar = _arrays(lon, lat)
    w, s, e, n = _CHINA_BOX
    inside = (x >= w) & (x <= e) & (y >= s) & (y <= n)
    return bool(inside) if scalar else inside


def _shift(x: Array, y: Array) -> tuple[Array, Array]:
    """GCJ-02 minus WGS-84 in degrees, at WGS-84 points (zero outside China)."""
    dx, dy = x - 105.0, y - 35.0
    ang = (20.0 * np.sin(6.0 * dx * np.pi) + 20.0 * np.sin(2.0 * dx * np.pi)) * 2.0 / 3.0
    rt = np.sqrt(np.abs(dx))
    dlat = -100.0 + 2.0 * dx + 3.0 * dy + 0.2 * dy * dy + 0.1 * dx * dy + 0.2 * rt + ang
    dlat += (20.0 * np.sin(dy * np.pi) + 40.0 * np.sin(dy / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(dy / 12.0 * np.pi) + 320.0 * np.sin(dy * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + dx + 2.0 * dy + 0.1 * dx * dx + 0.1 * dx * dy + 0.1 * rt + ang
    dlon += (20.0 * np.sin(dx * np.pi) + 40.0 * np.sin(dx / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(dx / 12.0 * np.pi) + 300.0 * np.sin(dx / 30.0 * np.pi)) * 2.0 / 3.0
    rad = y / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    inside = in_china(x, y)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def _invert(forward: Any, x: Array, y: Array) -> tuple[Array, Array]:
    """Solve forward(p) = (x, y) for p by fixed-point iteration."""
    px, py = x.copy(), y.copy()
    for _ in range(_MAX_ITER):
        fx, fy = forward(px, py)
        ex, ey = fx - x, fy - y
        px, py = px - ex, py - ey
        if np.all(np.abs(ex) < _TOL_DEG) and np.all(np.abs(ey) < _TOL_DEG):
            break
    return px, py


def _wgs_to_gcj(x: Array, y: Array) -> tuple[Array, Array]:
    dx, dy = _shift(x, y)
    return x + dx, y + dy


def _gcj_to_bd(x: Array, y: Array) -> tuple[Array, Array]:
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert WGS-84 to GCJ-02 (what Amap, Tencent and Apple Maps in China draw).

    Parameters
    ----------
    lon, lat : float or array-like
        WGS-84 degrees.

    Returns
    -------
    tuple
        ``(lon, lat)`` in GCJ-02: floats for scalar input, arrays otherwise.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(125.3195, 43.8768)
    >>> round((lon - 125.3195) * 1e4), round((lat - 43.8768) * 1e4)
    (65, 24)
    """
    return _convert(lon, lat, _wgs_to_gcj)


def _conversion(name: str, source: str, target: str, how: str, *steps: Step) -> Callable[[Any, Any], tuple[Any, Any]]:
    """Make a documented public conversion from ``source`` to ``target`` through the datum ``steps``."""

    def convert(lon: Any, lat: Any) -> tuple[Any, Any]:
        return _convert(lon, lat, *steps)

    convert.__name__ = convert.__qualname__ = name
    convert.__doc__ = f"""Convert {source} to {target}{how}.

    Parameters
    ----------
    lon, lat : float or array-like
        {source} degrees.

    Returns
    -------
    tuple
        ``(lon, lat)`` in {target}, as :func:`wgs84_to_gcj02` returns them.
    """
    return convert


#: GCJ-02 (e.g. copied from Amap) to WGS-84, exactly.
gcj02_to_wgs84 = _conversion(
    "gcj02_to_wgs84", "GCJ-02", "WGS-84", " exactly (iterated to under 0.01 mm)", _undo(_wgs_to_gcj)
)
gcj02_to_bd09 = _conversion("gcj02_to_bd09", "GCJ-02", "Baidu's BD-09", "", _gcj_to_bd)
#: BD-09 (e.g. copied from Baidu Maps) to GCJ-02, exactly.
bd09_to_gcj02 = _conversion("bd09_to_gcj02", "BD-09", "GCJ-02", " exactly (iterated)", _undo(_gcj_to_bd))
wgs84_to_bd09 = _conversion("wgs84_to_bd09", "WGS-84", "BD-09", " (through GCJ-02)", _wgs_to_gcj, _gcj_to_bd)
bd09_to_wgs84 = _conversion(
    "bd09_to_wgs84", "BD-09", "WGS-84", " exactly (both inverses iterated)", _undo(_gcj_to_bd), _undo(_wgs_to_gcj)
)


def to_wgs84(lon: Any, lat: Any, datum: str) -> tuple[Any, Any]:
    """Convert from a named datum to WGS-84.

    Parameters
    ----------
    lon, lat : float or array-like
        Coordinates in ``datum``.
    datum : str
        One of ``"wgs84"``, ``"gcj02"``, ``"bd09"``.

    Returns
    -------
    tuple
        ``(lon, lat)`` in WGS-84.

    Raises
    ------
    geo.errors.ValidationError
        For an unknown datum.
    """
    if datum == "wgs84":
        return _convert(lon, lat)
    if datum == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if datum == "bd09":
        return bd09_to_wgs84(lon, lat)
    msg = f"datum must be one of {', '.join(DATUMS)}, got {datum!r}"
    raise CoordinateError(msg)


def check_lonlat(lon: Any, lat: Any, *, field: str = "coordinates") -> list[Problem]:
    """Return the problems of one (lon, lat) pair; empty when it is usable.

    Parameters
    ----------
    lon, lat : Any
        The values as given (numbers are expected).
    field : str
        Name used in the messages.

    Returns
    -------
    list of str
        One line per problem, naming the field and the value.
    """
    problems: list[Problem] = []
    pair = (lon, lat)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair):
        return [Problem(field, field, f"expected two numbers (lon, lat), got {pair!r}")]
    if not all(math.isfinite(v) for v in pair):
        return [Problem(field, field, f"coordinates must be finite, got {pair!r}")]
    if abs(lat) > 90 and abs(lon) > 180:
        return [
            Problem(
                field,
                field,
                f"coordinates look projected (metres?); GeoJSON must be WGS-84 lon/lat degrees, got {pair!r}",
            )
        ]
    if abs(lat) > 90 and abs(lon) <= 90:
        problems.append(
            Problem(
                field,
                field,
                f"latitude {lat!r} is out of [-90, 90]; (lat, lon) order given? GeoJSON wants (lon, lat), got {pair!r}",
            )
        )
    elif abs(lat) > 90:
        problems.append(Problem(field, field, f"latitude must be in [-90, 90], got {lat!r}"))
    if abs(lon) > 180:
        problems.append(Problem(field, field, f"longitude must be in [-180, 180], got {lon!r}"))
    return problems


def parse_lonlat(text: str, *, field: str = "lonlat") -> tuple[float, float]:
    """Parse ``"LON,LAT"`` into floats, refusing (lat, lon) order and bad values.

    Parameters
    ----------
    text : str
        Two numbers separated by a comma (spaces allowed).
    field : str
        Name used in the message.

    Returns
    -------
    tuple of float
        ``(lon, lat)``.

    Raises
    ------
    geo.errors.CoordinateError
        When the text is not two finite numbers in range.
    """
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    try:
        lon, lat = (float(p) for p in parts)
    except ValueError:
        msg = f"{field}: expected 'LON,LAT' (two numbers), got {text!r}"
        raise CoordinateError(msg) from None
    problems = check_lonlat(lon, lat, field=field)
    if problems:
        raise CoordinateError(problems)
    return lon, lat


def to_latlon(lon: float, lat: float) -> list[float]:
    """Return ``[lat, lon]`` for Leaflet from a ``(lon, lat)`` pair.

    Parameters
    ----------
    lon, lat : float
        Degrees.

    Returns
    -------
    list of float
    """
    # The one place where the axis order flips for Leaflet.
    return [lat, lon]


def bounds_to_leaflet(bounds: Sequence[float]) -> list[list[float]]:
    """Turn ``(minx, miny, maxx, maxy)`` into Leaflet's ``[[s, w], [n, e]]``.

    Parameters
    ----------
    bounds : sequence of float
        Shapely/GeoPandas order.

    Returns
    -------
    list of list of float
    """
    minx, miny, maxx, maxy = bounds
    return [to_latlon(minx, miny), to_latlon(maxx, maxy)]


def offset_point(lon: float, lat: float, bearing_deg: float, dist_m: float) -> tuple[float, float]:
    """Move a WGS-84 point along a geodesic.

    Parameters
    ----------
    lon, lat : float
        Start, WGS-84 degrees.
    bearing_deg : float
        Azimuth clockwise from north (90 is east).
    dist_m : float
        Distance in metres.

    Returns
    -------
    tuple of float
        ``(lon, lat)`` of the end point.
    """
    from pyproj import Geod  # pyproj costs start-up; every command imports this module

    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, bearing_deg, dist_m)
    return float(lon2), float(lat2)


def distance_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    """Return geodesic distances in metres on the WGS-84 ellipsoid.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array-like
        WGS-84 degrees.

    Returns
    -------
    float or numpy.ndarray
    """
    from pyproj import Geod  # pyproj costs start-up; every command imports this module

    _, _, dist = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    return float(dist) if np.ndim(dist) == 0 else np.asarray(dist)


def ring_arrays(geoms: Any) -> dict[str, Any]:
    """Return every ring of polygonal geometries as flat arrays, in one pass of shapely 2 (no object per vertex).

    What :func:`geodesic_areas` measures and the page's payload encodes: both take the rings from here,
    so a build gathers them once.

    Parameters
    ----------
    geoms : array-like of shapely geometries
        Polygons and multi-polygons.

    Returns
    -------
    dict
        ``parts`` (polygons per geometry), ``rings`` (rings per polygon, the exterior first),
        ``offsets`` (where each ring starts in ``xy``, and its end) and ``xy`` (lon/lat, float64).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> ring_arrays([box(0, 0, 1, 1)])["offsets"].tolist()
    [0, 5]
    """
    import shapely  # costs start-up; every command imports this module

    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    simple = (shapely.get_type_id(geoms) == 3) & ~shapely.is_empty(geoms)
    if bool(simple.all()) and not shapely.get_num_interior_rings(geoms).any():
        # The common outline, a polygon without holes: its one ring's coordinates are the polygon's, read
        # without the copies of every part and ring that get_parts and get_rings would make.
        counts = shapely.get_num_coordinates(geoms)
        parts = rings_per_part = np.ones(len(geoms), dtype=np.int64)
        xy = shapely.get_coordinates(geoms)
    else:
        parts_of, part_of = shapely.get_parts(geoms, return_index=True)
        rings, ring_of = shapely.get_rings(parts_of, return_index=True)
        del parts_of
        counts = shapely.get_num_coordinates(rings)
        parts = np.bincount(part_of, minlength=len(geoms))
        rings_per_part = np.bincount(ring_of, minlength=len(part_of))
        xy = shapely.get_coordinates(rings)
        del rings
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return {"parts": parts, "rings": rings_per_part, "offsets": offsets, "xy": xy}


def geodesic_areas(geoms: Any, *, rings: Any = None) -> Array:
    """Return the areas in m² of WGS-84 geometries, measured on the WGS-84 ellipsoid.

    The one area function of the package: the page's mapped areas, the summary's, and an outline's
    check against its stated area all come from here. Each ring is measured by pyproj's ``Geod``
    (GeographicLib's geodesic polygon area, edges as geodesics); holes are taken off their polygon
    and the parts of a multi-polygon added up. The rings of all geometries are gathered by shapely 2
    at once (:func:`ring_arrays`), so the only per-ring work is pyproj's own call.

    Parameters
    ----------
    geoms : array-like of shapely geometries
        In WGS-84 (lon, lat) degrees; ``None``, empty and non-polygonal geometries are allowed.
    rings : mapping, optional
        :func:`ring_arrays` of ``geoms`` when the caller has them already (every geometry polygonal).

    Returns
    -------
    numpy.ndarray
        One area per geometry, in m²; NaN where the geometry is missing or not a (multi-)polygon.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(float(geodesic_areas([box(125.3, 43.85, 125.301, 43.851)])[0]))
    8934
    """
    import shapely  # costs start-up; every command imports this module

    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    out = np.full(len(geoms), np.nan)
    if rings is None:
        types = shapely.get_type_id(geoms)
        polygonal = np.flatnonzero((types == 3) | (types == 6))  # Polygon, MultiPolygon
        if not len(polygonal):
            return out
        rings = ring_arrays(geoms[polygonal])
    else:
        polygonal = np.arange(len(geoms))
    ring_of = np.repeat(np.arange(len(rings["rings"])), rings["rings"])
    part_of = np.repeat(np.arange(len(rings["parts"])), rings["parts"])
    ring_area = _ring_areas(rings["xy"], rings["offsets"])
    # shapely lists each polygon's exterior first, then its holes.
    exterior = np.ones(len(ring_of), dtype=bool)
    exterior[1:] = ring_of[1:] != ring_of[:-1]
    part_area = np.bincount(ring_of, weights=np.where(exterior, ring_area, -ring_area), minlength=len(rings["rings"]))
    out[polygonal] = np.bincount(part_of, weights=part_area, minlength=len(polygonal))
    return out


#: A ring whose extent is at most this many metres north-south and east-west is measured by
#: :func:`small_ring_areas`; a larger one (and one near a pole or across the antimeridian) by GeographicLib.
SMALL_RING_M = 700.0
#: How far :func:`small_ring_areas` may be from GeographicLib's area on a ring :data:`SMALL_RING_M` across,
#: in m² (measured at most 0.024 m²; GeographicLib's own rounding is about 2e-4 m² on rings of metres).
SMALL_RING_TOLERANCE_M2 = 0.05

_WGS84_A = 6378137.0
_WGS84_E2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)
_WGS84_E = math.sqrt(_WGS84_E2)
_M_PER_DEG = 111_700.0  # at least a degree of latitude anywhere, and of longitude on the equator
_CHUNK_VERTICES = 1 << 20  # vertices measured at a time: bounded temporaries at a million outlines


def _authalic_q(sin_lat: Array) -> Array:
    """q(φ) of the WGS-84 ellipsoid (Snyder, Map Projections, eq. 3-12), from sin φ."""
    es = _WGS84_E * sin_lat
    return (1 - _WGS84_E2) * (sin_lat / (1 - es * es) + np.arctanh(es) / _WGS84_E)


_QP = float(_authalic_q(np.array([1.0]))[0])
_AUTHALIC_R2 = _WGS84_A * _WGS84_A * _QP / 2  # the authalic sphere's radius squared: same surface as WGS-84


def small_ring_areas(xy: Array, offsets: Any) -> Array:
    """Return the unsigned areas in m² of closed rings, edges as great circles of the authalic sphere.

    Each vertex goes to the sphere of WGS-84's surface through its authalic latitude β (an equal-area
    map, so a region keeps its area); each edge then adds the signed spherical excess of the strip
    between it and the equator, ``2 atan2(tan(Δλ/2)(t₁+t₂), 1+t₁t₂)`` with ``t = tan(β/2)``, over
    every vertex of every ring at once. An ellipsoid's geodesic and the sphere's great circle part by
    less than the edge's length cubed allows: on rings at most :data:`SMALL_RING_M` across this is
    within :data:`SMALL_RING_TOLERANCE_M2` of GeographicLib (:func:`geodesic_areas` sends it no other).

    Parameters
    ----------
    xy : numpy.ndarray
        ``(n, 2)`` lon/lat degrees of every ring, one after the other, each closed (last = first).
    offsets : array-like of int
        Where each ring starts in ``xy``, and the end (as :func:`ring_arrays` gives them).

    Returns
    -------
    numpy.ndarray
        One area per ring, in m².

    Examples
    --------
    >>> from shapely.geometry import box
    >>> rings = ring_arrays([box(125.3, 43.85, 125.301, 43.851)])
    >>> round(float(small_ring_areas(rings["xy"], rings["offsets"])[0]))
    8934
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    n_rings = len(offsets) - 1
    out = np.zeros(n_rings)
    first = 0
    while first < n_rings:  # a block of whole rings of about _CHUNK_VERTICES vertices at a time
        last = max(int(np.searchsorted(offsets, offsets[first] + _CHUNK_VERTICES, side="right")) - 1, first + 1)
        last = min(last, n_rings)
        lo, hi = int(offsets[first]), int(offsets[last])
        if hi - lo >= 2:
            sin_beta = _authalic_q(np.sin(np.radians(xy[lo:hi, 1]))) / _QP
            np.clip(sin_beta, -1.0, 1.0, out=sin_beta)
            t = sin_beta / (1.0 + np.sqrt(1.0 - sin_beta * sin_beta))  # tan(β/2)
            half_dlon = np.radians(np.diff(xy[lo:hi, 0])) / 2
            excess = 2 * np.arctan2(np.tan(half_dlon) * (t[:-1] + t[1:]), 1.0 + t[:-1] * t[1:])
            # Edge k joins vertex k and k + 1: the edge from one ring's last vertex to the next ring's first is none.
            joins = offsets[first + 1 : last] - lo - 1
            excess[joins[joins >= 0]] = 0.0
            ring = np.repeat(np.arange(last - first), np.diff(offsets[first : last + 1]))[:-1]
            out[first:last] = np.abs(np.bincount(ring, weights=excess, minlength=last - first)) * _AUTHALIC_R2
        first = last
    return out


def _ring_areas(xy: Array, offsets: Any) -> Array:
    """Each ring's unsigned geodesic area in m²: small rings at once (:func:`small_ring_areas`), others by pyproj."""
    offsets = np.asarray(offsets, dtype=np.int64)
    n_rings = len(offsets) - 1
    if n_rings == 0:
        return np.zeros(0)
    counts = np.diff(offsets)
    small = np.zeros(n_rings, dtype=bool)
    nonempty = np.flatnonzero(counts > 0)
    if len(nonempty):
        starts = offsets[nonempty]
        lo = np.minimum.reduceat(xy, starts, axis=0)
        hi = np.maximum.reduceat(xy, starts, axis=0)
        # A degree of longitude is longest at the ring's latitude nearest the equator (1 on a ring across it).
        lat_cos = np.cos(np.radians(np.minimum(np.abs(lo[:, 1]), np.abs(hi[:, 1]))))
        lat_cos = np.where(lo[:, 1] * hi[:, 1] <= 0, 1.0, lat_cos)
        small[nonempty] = (
            ((hi[:, 1] - lo[:, 1]) * _M_PER_DEG <= SMALL_RING_M)
            & ((hi[:, 0] - lo[:, 0]) * _M_PER_DEG * lat_cos <= SMALL_RING_M)
            & (np.maximum(np.abs(lo[:, 1]), np.abs(hi[:, 1])) <= 89.0)
        )
    out = np.zeros(n_rings)
    rest = np.flatnonzero(~small & (counts > 0))
    if small.any():
        keep = np.repeat(small, counts)
        kept_offsets = np.zeros(int(small.sum()) + 1, dtype=np.int64)
        np.cumsum(counts[small], out=kept_offsets[1:])
        out[small] = small_ring_areas(xy if small.all() else xy[keep], kept_offsets)
    if len(rest):
        from pyproj import Geod  # pyproj costs start-up; every command imports this module

        measure = Geod(ellps="WGS84").polygon_area_perimeter
        x, y = xy[:, 0], xy[:, 1]
        out[rest] = [abs(measure(x[offsets[r] : offsets[r + 1]], y[offsets[r] : offsets[r + 1]])[0]) for r in rest]
    return out
