"""Outlines and points entering the data: read with the shared parser, converted to WGS-84, measured."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from geo.coords import geodesic_areas, to_wgs84
from geo.errors import Problem
from geo.geojson import parse_geometry

__all__ = ["center", "convert_geometry", "geodesic_area", "read_outline"]


def geodesic_area(geometry: Mapping[str, Any]) -> float:
    """Return an outline's area in m² on the WGS-84 ellipsoid (:func:`geo.coords.geodesic_areas`).

    Parameters
    ----------
    geometry : mapping
        A GeoJSON Polygon or MultiPolygon in WGS-84.

    Returns
    -------
    float
    """
    from shapely.geometry import shape  # shapely costs start-up; only outlines need it

    return float(geodesic_areas([shape(geometry)])[0])


def convert_geometry(geometry: Mapping[str, Any], datum: str) -> dict[str, Any]:
    """Convert every position of a clean 2-D geometry from a datum to WGS-84.

    Parameters
    ----------
    geometry : Mapping
        A GeoJSON geometry whose positions are checked already.
    datum : str
        The datum its positions are in.

    Returns
    -------
    dict
        The geometry in WGS-84.
    """

    def ring(positions: list[list[float]]) -> list[list[float]]:
        arr = np.asarray(positions, dtype=float)
        lon, lat = to_wgs84(arr[:, 0], arr[:, 1], datum)
        return [[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]

    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        lon, lat = to_wgs84(coords[0], coords[1], datum)
        return {"type": "Point", "coordinates": [float(lon), float(lat)]}
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in coords]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in coords]}


def read_outline(
    geometry: Any, datum: str, *, repair: bool = False, where: str = "geometry"
) -> tuple[dict[str, Any] | None, list[str], list[Problem]]:
    """Read an outline a user gave (any winding; repaired only when asked) and convert it to WGS-84.

    Parameters
    ----------
    geometry : Any
        A decoded GeoJSON Polygon or MultiPolygon.
    datum : str
        The datum of its coordinates (``wgs84``, ``gcj02`` or ``bd09``).
    repair : bool
        Close rings and mend invalid outlines (the CLI's ``--repair``).
    where : str
        Names the input in messages.

    Returns
    -------
    tuple
        ``(geometry or None, notes, problems)``.
    """
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind == "Point":
        text = f"must be a Polygon or MultiPolygon, got {kind!r}"
        return None, [], [Problem(where, "geometry", text, code="polygon_required", values={"got": repr(kind)})]
    read = parse_geometry(geometry, where, rewind=True, repair=repair)
    if read.value is None:
        return None, read.notes, read.problems
    notes = [n.split(": ", 1)[1] if n.startswith(f"{where}: ") else n for n in read.notes]
    if datum != "wgs84":
        notes.append(f"converted the outline from {datum} to WGS-84")
        return convert_geometry(read.value, datum), notes, []
    return read.value, notes, []


def center(geom: Mapping[str, Any]) -> tuple[float, float]:
    """Return a point's coordinates, or a point inside an outline.

    Parameters
    ----------
    geom : Mapping
        A GeoJSON geometry.

    Returns
    -------
    tuple of (float, float)
        ``(lon, lat)``.
    """
    if geom["type"] == "Point":
        return float(geom["coordinates"][0]), float(geom["coordinates"][1])
    from shapely.geometry import shape  # shapely costs start-up; only outlines need it

    p = shape(geom).representative_point()
    return p.x, p.y
