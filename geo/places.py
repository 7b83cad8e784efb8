"""Add, import, update, remove and locate places: every change to the data goes through here.

Each operation validates *everything* first and reports every problem at once
(:class:`geo.errors.ValidationError`), then changes the data file inside one
locked, atomic :func:`geo.store.patch`, so that on any error the file is
byte-for-byte unchanged and two processes adding parks at once both land.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from geo import settings
from geo.coords import DATUMS, check_lonlat, distance_m, to_wgs84
from geo.errors import GeocodeError, GeocodeServiceError, GeoError, PlaceNotFoundError, StoreError, ValidationError
from geo.model import (
    CATEGORIES,
    MAX_AREA_M2,
    OUTLINES,
    PARK_CLASSES,
    STATUSES,
    check_feature,
    normalize_properties,
)

__all__ = [
    "ChangeResult",
    "LocateReport",
    "add_place",
    "import_features",
    "locate_missing",
    "make_park",
    "parse_area",
    "read_features",
    "remove_place",
    "update_place",
]

logger = logging.getLogger(__name__)

#: Names of the properties ``geo import`` understands, by model field.
PROPERTY_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "名称", "NAME", "Name", "title"),
    "name_en": ("name_en", "english", "name:en"),
    "stated_area_m2": ("stated_area_m2", "area_m2", "area", "面积", "AREA"),
    "park_class": ("park_class", "class", "分类"),
    "status": ("status", "状态"),
    "address": ("address", "地址"),
    "category": ("category", "类别"),
    "quote": ("quote",),
    "quote_source": ("quote_source", "source"),
    "notes": ("notes", "note", "description", "备注"),
}


@dataclass
class ChangeResult:
    """What an operation did (or, with ``dry_run``, would do)."""

    action: str
    ids: list[str]
    warnings: list[str] = field(default_factory=list)
    written: bool = False
    features: list[dict[str, Any]] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _make_id(name: str, name_en: str | None, prefix: str = "park") -> str:
    slug = _slug(name_en or "")
    if slug:
        return slug
    return f"{prefix}-{hashlib.sha1(name.strip().encode('utf-8')).hexdigest()[:8]}"


def parse_area(value: Any, *, field_name: str = "--area") -> tuple[float | None, list[str]]:
    """Read an area in square metres, refusing what cannot be one.

    Parameters
    ----------
    value : Any
        A number or text (``"7,373"``, ``"7373"``).
    field_name : str
        Name used in messages.

    Returns
    -------
    tuple
        ``(area or None, problems)``.
    """
    if value is None:
        return None, []
    number = value
    if isinstance(value, str):
        text = value.replace(",", "").replace("，", "").strip()
        try:
            number = float(text)
        except ValueError:
            return None, [f"{field_name}: expected square metres as a number, got {value!r}"]
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None, [f"{field_name}: expected square metres as a number, got {value!r}"]
    if not math.isfinite(number):
        return None, [f"{field_name}: must be finite, got {value!r}"]
    if number <= 0:
        return None, [f"{field_name}: must be > 0 m², got {value!r}"]
    if number > MAX_AREA_M2:
        return None, [f"{field_name}: {value!r} m² is larger than the whole district; a typing error?"]
    return float(number), []


def _geodesic_area(geometry: Mapping[str, Any]) -> float:
    from pyproj import Geod
    from shapely.geometry import shape

    return abs(Geod(ellps="WGS84").geometry_area_perimeter(shape(geometry))[0])


def _repair_polygon(geometry: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Close rings, orient them as RFC 7946 wants and make the shape valid."""
    from shapely.geometry import mapping, shape
    from shapely.geometry.polygon import orient
    from shapely.validation import make_valid

    notes = []
    kind = geometry.get("type")
    polys = [geometry["coordinates"]] if kind == "Polygon" else list(geometry["coordinates"])
    closed = []
    for rings in polys:
        new_rings = []
        for ring in rings:
            ring = [list(p[:2]) for p in ring]
            if ring and ring[0] != ring[-1]:
                ring.append(list(ring[0]))
                notes.append("closed an unclosed ring")
            new_rings.append(ring)
        closed.append(new_rings)
    geom = shape({"type": "MultiPolygon" if kind == "MultiPolygon" else "Polygon",
                  "coordinates": closed if kind == "MultiPolygon" else closed[0]})  # fmt: skip
    if not geom.is_valid:
        from shapely.validation import explain_validity

        notes.append(f"repaired an invalid outline with make_valid ({explain_validity(geom)})")
        geom = make_valid(geom)
        parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
        from shapely.ops import unary_union

        geom = unary_union(parts)
    if geom.geom_type == "Polygon":
        geom = orient(geom, 1.0)
    elif geom.geom_type == "MultiPolygon":
        from shapely.geometry import MultiPolygon

        geom = MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    else:
        return dict(geometry), [*notes, f"repair left no polygon (got {geom.geom_type})"]
    return _jsonable(mapping(geom)), notes


def _jsonable(geom: Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(geom))


def _convert_geometry(geometry: Mapping[str, Any], datum: str) -> dict[str, Any]:
    """Convert every position of a GeoJSON geometry from ``datum`` to WGS-84."""
    import numpy as np

    def walk(obj: Any) -> Any:
        if obj and isinstance(obj[0], int | float):
            return obj
        if obj and isinstance(obj[0], list) and obj[0] and isinstance(obj[0][0], int | float):
            arr = np.asarray([p[:2] for p in obj], dtype=float)
            lon, lat = to_wgs84(arr[:, 0], arr[:, 1], datum)
            return np.column_stack([lon, lat]).tolist()
        return [walk(o) for o in obj]

    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        lon, lat = to_wgs84(coords[0], coords[1], datum)
        return {"type": "Point", "coordinates": [float(lon), float(lat)]}
    return {"type": geometry["type"], "coordinates": walk(coords)}


def make_park(
    name: str,
    *,
    area_m2: Any,
    address: str | None = None,
    lonlat: Sequence[float] | str | None = None,
    datum: str = "wgs84",
    geometry: Mapping[str, Any] | None = None,
    park_class: str | None = None,
    status: str = "open",
    name_en: str | None = None,
    quote: str | None = None,
    source: str | None = None,
    ident: str | None = None,
    uncertainty_m: float | None = None,
    outline: str = "drawn",
    geocoder: Any = None,
    repair: bool = False,
    notes: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Build a park Feature from command-line style inputs, checking everything.

    Exactly one of ``address`` (geocoded, offline gazetteer by default),
    ``lonlat`` (in ``datum``) or ``geometry`` (a GeoJSON Polygon in ``datum``)
    locates the park.

    Parameters
    ----------
    name : str
        Chinese name.
    area_m2 : Any
        Stated area in m² (number or text).
    address, lonlat, datum, geometry
        The location, see above.
    park_class, status, name_en, quote, source, ident, uncertainty_m, outline, notes
        Model fields; ``source`` names where the park's facts come from.
    geocoder : object, optional
        From :func:`geo.geocode.get_geocoder`.
    repair : bool
        Close, orient and ``make_valid`` a broken outline instead of refusing it.

    Returns
    -------
    tuple
        ``(feature, notes)``: the Feature and what was repaired or assumed.

    Raises
    ------
    geo.errors.ValidationError
        Every problem, one per line.
    """
    problems: list[str] = []
    remarks: list[str] = []
    if not isinstance(name, str) or not name.strip():
        problems.append(f"name: must be non-empty text, got {name!r}")
    area, area_problems = parse_area(area_m2)
    problems += area_problems
    if area_m2 is None:
        problems.append("--area: the park's stated area in m² is required")
    if park_class is not None and park_class not in PARK_CLASSES:
        problems.append(f"--class: must be one of {', '.join(PARK_CLASSES)}, got {park_class!r}")
    if status not in STATUSES:
        problems.append(f"--status: must be one of {', '.join(STATUSES)}, got {status!r}")
    if datum not in DATUMS:
        problems.append(f"--datum: must be one of {', '.join(DATUMS)}, got {datum!r}")
    if outline not in OUTLINES:
        problems.append(f"--outline: must be one of {', '.join(OUTLINES)}, got {outline!r}")
    given = [x is not None for x in (address, lonlat, geometry)]
    if sum(given) != 1:
        problems.append("location: give exactly one of --address, --lonlat or --geometry")
    props: dict[str, Any] = {
        "id": ident or (_make_id(name, name_en) if isinstance(name, str) and name.strip() else None),
        "name": name.strip() if isinstance(name, str) else name,
        "name_en": name_en,
        "category": "park",
        "park_class": park_class,
        "status": status,
        "stated_area_m2": int(area) if area is not None and float(area).is_integer() else area,
        "address": address,
        "quote": quote,
        "quote_source": source if quote else None,
        "sources": [source] if source else None,
        "notes": notes,
    }
    geom: dict[str, Any] | None = None
    if sum(given) == 1 and datum in DATUMS:
        if lonlat is not None and isinstance(lonlat, str):
            from geo.coords import parse_lonlat

            try:
                lonlat = parse_lonlat(lonlat)
            except ValidationError as err:
                problems += err.problems
                lonlat = None
        if lonlat is not None:
            pair = list(lonlat)
            bad = (
                check_lonlat(*pair, field="--lonlat")
                if len(pair) == 2
                else [f"--lonlat: expected LON,LAT, got {lonlat!r}"]
            )
            problems += bad
            if not bad:
                lon, lat = to_wgs84(pair[0], pair[1], datum)
                geom = {"type": "Point", "coordinates": [float(lon), float(lat)]}
                props.update(location_method="manual", location_source=source or "entered by a user (--lonlat)",
                             datum_in=datum, coord_original=pair if datum != "wgs84" else None,
                             precision="exact", uncertainty_m=30.0 if uncertainty_m is None else uncertainty_m)  # fmt: skip
        elif geometry is not None:
            kind = geometry.get("type") if isinstance(geometry, Mapping) else None
            if kind not in ("Polygon", "MultiPolygon"):
                problems.append(f"--geometry: must be a Polygon or MultiPolygon, got {kind!r}")
            else:
                candidate = _jsonable(geometry)
                if repair:
                    candidate, fixed = _repair_polygon(candidate)
                    remarks += fixed
                geom = _convert_geometry(candidate, datum) if datum != "wgs84" else candidate
                if datum != "wgs84":
                    remarks.append(f"converted the outline from {datum} to WGS-84")
                props.update(location_method="manual", location_source=source or "outline drawn by a user (--geometry)",
                             datum_in=datum, coord_original=None, precision="exact",
                             uncertainty_m=10.0 if uncertainty_m is None else uncertainty_m, outline=outline)  # fmt: skip
        elif address is not None:
            if not address.strip():
                problems.append(f"--address: must be non-empty text, got {address!r}")
            else:
                from geo.geocode import GazetteerGeocoder, location_properties

                coder = geocoder or GazetteerGeocoder()
                try:
                    if isinstance(coder, GazetteerGeocoder):
                        location = coder.resolve(address)
                    else:
                        location = coder.geocode(address)
                        if location is None:
                            problems.append(f"--address: no geocoder answer for {address!r}")
                except GeocodeError as err:
                    problems.append(f"--address: {err}")
                    location = None
                if location is not None:
                    found = location_properties(location)
                    geom = found.pop("geometry")
                    props.update(found)
    feature = {"type": "Feature", "geometry": geom, "properties": normalize_properties(props)}
    if not problems:
        problems += [p.split(": ", 1)[1] if p.startswith(f"{props['id']}: ") else p for p in check_feature(feature)]
    if problems:
        raise ValidationError(problems)
    return feature, remarks


def _district_problems(feature: Mapping[str, Any], allow_outside: bool) -> list[str]:
    geom = feature.get("geometry")
    if geom is None or allow_outside:
        return []
    from geo.district import EDGE_TOLERANCE_M, NAME, distance_outside_m

    outside = distance_outside_m(geom)
    if outside > EDGE_TOLERANCE_M:
        return [f"geometry: lies {outside:.0f} m outside {NAME} (pass --allow-outside to keep it)"]
    return []


def _center(geom: Mapping[str, Any]) -> tuple[float, float]:
    if geom["type"] == "Point":
        return float(geom["coordinates"][0]), float(geom["coordinates"][1])
    from shapely.geometry import shape

    p = shape(geom).representative_point()
    return p.x, p.y


def _conflicts(features: list[dict[str, Any]], new: Mapping[str, Any]) -> list[tuple[int, str]]:
    """Return (index, reason) of existing places the new one duplicates: same id, name or spot."""
    import numpy as np

    props = new["properties"]
    out: list[tuple[int, str]] = []
    parks: list[int] = []
    for i, f in enumerate(features):
        p = f["properties"]
        if p["id"] == props["id"]:
            out.append((i, f"id {props['id']!r} is taken by {p['name']!r}"))
        elif p["name"] == props["name"]:
            out.append((i, f"name {props['name']!r} is taken by {p['id']!r}"))
        elif f.get("geometry") and p.get("category") == "park" == props.get("category"):
            parks.append(i)
    if new.get("geometry") is None or not parks:
        return out
    # One vectorised geodesic computation against every located park.
    centers = np.array([_center(features[i]["geometry"]) for i in parks])
    lon, lat = _center(new["geometry"])
    gaps = distance_m(np.full(len(parks), lon), np.full(len(parks), lat), centers[:, 0], centers[:, 1])
    for k in np.flatnonzero(np.atleast_1d(gaps) < settings.same_spot_m):
        p = features[parks[k]]["properties"]
        out.append(
            (
                parks[k],
                f"{p['name']!r} ({p['id']}) is {float(np.atleast_1d(gaps)[k]):.1f} m away: practically the same spot",
            )
        )
    return out


def add_place(
    feature: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    *,
    update: bool = False,
    allow_outside: bool = False,
    confirm_area: bool = False,
    dry_run: bool = False,
) -> ChangeResult:
    """Add one place to the data file (or replace its duplicate with ``update``).

    Parameters
    ----------
    feature : mapping
        A model Feature (e.g. from :func:`make_park`).
    path : str or path-like, optional
        The data file.
    update : bool
        Replace an existing place with the same id, name or spot instead of refusing.
    allow_outside : bool
        Accept a location outside the district polygon (still inside its extent).
    confirm_area : bool
        Accept an outline whose area differs from the stated area by more than
        :data:`geo.settings.area_tolerance`.
    dry_run : bool
        Check everything, write nothing.

    Returns
    -------
    ChangeResult

    Raises
    ------
    geo.errors.ValidationError
        Every problem at once; the file is unchanged.
    geo.errors.StoreError
        The file cannot be read, locked or written; it is unchanged.
    """
    return _add_many([dict(feature)], path, update=update, allow_outside=allow_outside,
                     confirm_area=confirm_area, dry_run=dry_run, action="add")  # fmt: skip


def _area_check(feature: Mapping[str, Any], confirm_area: bool) -> tuple[list[str], list[str]]:
    geom = feature.get("geometry")
    stated = feature["properties"].get("stated_area_m2")
    if not geom or geom["type"] == "Point" or not stated:
        return [], []
    mapped = _geodesic_area(geom)
    gap = abs(mapped - stated) / stated
    if gap <= settings.area_tolerance:
        return [], []
    msg = (
        f"stated_area_m2: the outline measures {mapped:,.0f} m² but the stated area is {stated:,.0f} m² "
        f"({gap:.0%} apart, more than {settings.area_tolerance:.0%})"
    )
    if confirm_area:
        return [], [msg + "; accepted (--confirm-area)"]
    return [msg + "; pass --confirm-area to accept"], []


def _add_many(
    new_features: list[dict[str, Any]],
    path: str | os.PathLike[str] | None,
    *,
    update: bool,
    allow_outside: bool,
    confirm_area: bool,
    dry_run: bool,
    action: str,
) -> ChangeResult:
    from geo.store import Changes

    problems: list[str] = []
    warnings: list[str] = []
    for f in new_features:
        label = f["properties"].get("id") or f["properties"].get("name")
        problems += check_feature(f)
        problems += [f"{label}: {p}" for p in _district_problems(f, allow_outside)]
        bad, warn = _area_check(f, confirm_area)
        problems += [f"{label}: {p}" for p in bad]
        warnings += [f"{label}: {w}" for w in warn]
    ids = [f["properties"]["id"] for f in new_features]
    if len(set(ids)) != len(ids):
        problems.append(f"ids: the new places repeat an id: {ids!r}")
    if problems:
        raise ValidationError(problems)
    result = ChangeResult(action=action, ids=ids, warnings=warnings, features=new_features)

    def change(features: list[dict[str, Any]]) -> Changes:
        # The same rules decide a dry run and a real one; only the writing differs.
        changes = Changes()
        clashes: list[str] = []
        for f in new_features:
            label = f["properties"]["id"]
            among_new = _conflicts(changes.add, f)
            found = _conflicts(features, f)
            if among_new:
                clashes += [f"{label}: duplicate of another new place: {reason}" for _, reason in among_new]
            elif found and not update:
                clashes += [f"{label}: duplicate: {reason} (pass --update to replace it)" for _, reason in found]
            elif found:
                old = features[found[0][0]]["properties"]["id"]
                result.warnings.append(f"{label}: replaced {old!r}")
                changes.replace[old] = f
            else:
                changes.add.append(f)
        if clashes:
            raise ValidationError(clashes)
        return changes

    result.written = _run(path, change, dry_run=dry_run)
    return result


def read_features(source: str | os.PathLike[str]) -> tuple[list[dict[str, Any]], str | None]:
    """Read Features from a GeoJSON file (a Feature, a FeatureCollection or a geometry).

    Other vector formats (GeoPackage, Shapefile, ...) are read with pyogrio and
    reprojected to WGS-84.

    Parameters
    ----------
    source : str or path-like

    Returns
    -------
    tuple
        ``(features, datum)``; ``datum`` is the file-level ``datum`` member if any.

    Raises
    ------
    geo.errors.StoreError
        Unreadable or malformed file, or a CRS other than WGS-84 in GeoJSON.
    """
    path = Path(source)
    if path.suffix.lower() not in (".geojson", ".json"):
        return _read_ogr(path), None
    from geo.store import read_json

    obj = read_json(path)
    if not isinstance(obj, dict) or "type" not in obj:
        msg = f"{path}: not GeoJSON (expected an object with a 'type')"
        raise StoreError(msg)
    crs = obj.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", crs)) if isinstance(crs, dict) else str(crs)
        if not re.search(r"(CRS84|EPSG:?:?4326)$", name):
            msg = f"{path}: crs must be WGS-84 lon/lat (RFC 7946), got {name!r}; reproject the file first"
            raise StoreError(msg)
    kind = obj["type"]
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            msg = f"{path}: features must be a list"
            raise StoreError(msg)
    elif kind == "Feature":
        features = [obj]
    elif kind in ("Polygon", "MultiPolygon", "Point"):
        features = [{"type": "Feature", "geometry": obj, "properties": {}}]
    else:
        msg = f"{path}: expected a Feature, FeatureCollection or geometry, got type {kind!r}"
        raise StoreError(msg)
    return [f if isinstance(f, dict) else {"type": None} for f in features], obj.get("datum")


def _read_ogr(path: Path) -> list[dict[str, Any]]:
    try:
        import geopandas as gpd

        gdf = gpd.read_file(path)
    except Exception as err:
        msg = f"{path}: cannot read as a vector file: {err}"
        raise StoreError(msg) from err
    if gdf.crs is None:
        msg = f"{path}: the file has no CRS; cannot tell where its coordinates are"
        raise StoreError(msg)
    gdf = gdf.to_crs(4326)
    return list(json.loads(gdf.to_json(drop_id=True))["features"])


def _pick(props: Mapping[str, Any], key: str) -> Any:
    for alias in PROPERTY_ALIASES.get(key, (key,)):
        if props.get(alias) not in (None, ""):
            return props[alias]
    return None


def import_features(
    source: str | os.PathLike[str],
    path: str | os.PathLike[str] | None = None,
    *,
    name: str | None = None,
    area_m2: Any = None,
    park_class: str | None = None,
    status: str | None = None,
    datum: str | None = None,
    update: bool = False,
    allow_outside: bool = False,
    confirm_area: bool = False,
    repair: bool = False,
    dry_run: bool = False,
    ask: Callable[[str, int], Any] | None = None,
) -> ChangeResult:
    """Import parks from GeoJSON (the map's draw tool, or any GIS) into the data file.

    Properties are mapped onto the model (:data:`PROPERTY_ALIASES`); the
    options fill what the file lacks (``name`` and ``area_m2`` only for a
    single feature). A ``datum`` property or member (the map's draw tool writes
    one) says the coordinates are GCJ-02 or BD-09; they are converted.

    Parameters
    ----------
    source : str or path-like
        The file to import.
    path : str or path-like, optional
        The data file.
    name, area_m2, park_class, status, datum
        Values for what the file does not say.
    update, allow_outside, confirm_area, repair, dry_run
        As in :func:`add_place` and :func:`make_park`.
    ask : callable, optional
        ``ask(field, index)`` returns a value for a missing name or area
        (the CLI prompts); ``None`` reports them as problems.

    Returns
    -------
    ChangeResult

    Raises
    ------
    geo.errors.ValidationError
        Every problem of every feature at once; nothing is written.
    geo.errors.StoreError
        Unreadable or malformed file.
    """
    features, file_datum = read_features(source)
    if not features:
        raise ValidationError([f"{source}: no features to import"])
    many = len(features) > 1
    if many and (name or area_m2 is not None):
        raise ValidationError(["--name/--area: only for a file with one feature; put them in the properties"])
    problems: list[str] = []
    warnings: list[str] = []
    built: list[dict[str, Any]] = []
    for i, f in enumerate(features):
        label = f"feature[{i}]"
        if f.get("type") != "Feature" or not isinstance(f.get("geometry"), dict):
            problems.append(f"{label}: not a Feature with a geometry, got {str(f)[:80]!r}")
            continue
        props = f.get("properties") or {}
        fname = name or _pick(props, "name")
        if fname is None and ask is not None:
            fname = ask("name", i)
        area = area_m2 if area_m2 is not None else _pick(props, "stated_area_m2")
        if area is None and ask is not None:
            area = ask("area", i)
        if fname is None:
            problems.append(f"{label}: name is missing (a 'name' property, or --name)")
        fdatum = datum or props.get("datum") or file_datum or "wgs84"
        geom = f["geometry"]
        kwargs: dict[str, Any] = {
            "area_m2": area if area is not None else 1.0,
            "park_class": park_class or _pick(props, "park_class"),
            "status": status or _pick(props, "status") or "open",
            "name_en": _pick(props, "name_en"),
            "quote": _pick(props, "quote"),
            "source": _pick(props, "quote_source") or f"imported from {Path(source).name}",
            "datum": fdatum,
            "repair": repair,
            "notes": _pick(props, "notes"),
        }
        if geom.get("type") == "Point":
            kwargs["lonlat"] = geom.get("coordinates")
        else:
            kwargs["geometry"] = geom
        try:
            # Check the rest even without a name, so every problem is reported at once.
            feature, remarks = make_park(str(fname) if fname is not None else "(unnamed)", **kwargs)
        except ValidationError as err:
            problems += [f"{label} ({fname or 'unnamed'}): {p}" for p in err.problems]
            continue
        if fname is None:
            continue
        if area is None:
            feature["properties"]["stated_area_m2"] = None
            warnings.append(f"{label} ({fname}): stated_area_m2 is missing; only the mapped outline's area is known")
        if _pick(props, "address"):
            feature["properties"]["address"] = _pick(props, "address")
        category = _pick(props, "category")
        if category and category != "park":
            if category in CATEGORIES:
                feature["properties"]["category"] = category
                feature["properties"]["park_class"] = None
            else:
                problems.append(f"{label} ({fname}): category must be one of {', '.join(CATEGORIES)}, got {category!r}")
        unknown = sorted(k for k in props if not any(k in v for v in PROPERTY_ALIASES.values()) and k != "datum")
        if unknown:
            warnings.append(f"{label} ({fname}): ignored properties {', '.join(unknown)}")
        warnings += [f"{label} ({fname}): {r}" for r in remarks]
        built.append(feature)
    if problems:
        raise ValidationError(problems)
    result = _add_many(built, path, update=update, allow_outside=allow_outside, confirm_area=confirm_area,
                       dry_run=dry_run, action="import")  # fmt: skip
    result.warnings = warnings + result.warnings
    return result


def _run(path: str | os.PathLike[str] | None, change: Callable[[list[dict[str, Any]]], Any], *, dry_run: bool) -> bool:
    """Apply ``change`` with :func:`geo.store.patch`, or only check it against the file (dry run)."""
    from geo.store import load_collection, patch

    if dry_run:
        change(load_collection(path)["features"])
        return False
    patch(path, change)
    return True


def remove_place(ident: str, path: str | os.PathLike[str] | None = None, *, dry_run: bool = False) -> ChangeResult:
    """Remove a place by id.

    Parameters
    ----------
    ident : str
    path : str or path-like, optional
    dry_run : bool

    Returns
    -------
    ChangeResult

    Raises
    ------
    geo.errors.ValidationError
        No place has that id.
    """
    from geo.store import Changes

    removed: list[dict[str, Any]] = []

    def change(features: list[dict[str, Any]]) -> Changes:
        removed.extend(f for f in features if f["properties"]["id"] == ident)
        if not removed:
            raise ValidationError([f"id: no place has id {ident!r}"])
        return Changes(remove={ident})

    written = _run(path, change, dry_run=dry_run)
    return ChangeResult(action="remove", ids=[ident], written=written, features=removed)


#: Fields ``geo update`` may set, with how to read them from text.
UPDATABLE = {
    "name": str,
    "name_en": str,
    "category": str,
    "park_class": str,
    "status": str,
    "stated_area_m2": "area",
    "address": str,
    "quote": str,
    "quote_source": str,
    "notes": str,
    "uncertainty_m": float,
}


def update_place(
    ident: str,
    changes: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    *,
    dry_run: bool = False,
) -> ChangeResult:
    """Change fields of one place; ``None`` (or ``"null"``) clears a field.

    Parameters
    ----------
    ident : str
    changes : mapping
        Field name to new value (text is converted: areas and numbers parsed).
    path : str or path-like, optional
    dry_run : bool

    Returns
    -------
    ChangeResult

    Raises
    ------
    geo.errors.ValidationError
        Unknown id or field, or a value the model refuses; nothing is written.
    """
    from geo.store import Changes

    problems = [f"--{k}: cannot be updated (fields: {', '.join(UPDATABLE)})" for k in changes if k not in UPDATABLE]
    parsed: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in UPDATABLE:
            continue
        if value is None or value == "null":
            parsed[key] = None
        elif UPDATABLE[key] == "area":
            area, bad = parse_area(value, field_name=f"--{key}")
            problems += bad
            parsed[key] = int(area) if area is not None and area.is_integer() else area
        elif UPDATABLE[key] is float:
            try:
                parsed[key] = float(value)
            except ValueError:
                problems.append(f"--{key}: expected a number, got {value!r}")
        else:
            parsed[key] = value
    if problems:
        raise ValidationError(problems)

    changed: list[dict[str, Any]] = []

    def change(features: list[dict[str, Any]]) -> Changes:
        for f in features:
            if f["properties"]["id"] == ident:
                new = {**f, "properties": normalize_properties({**f["properties"], **parsed})}
                found = check_feature(new)
                if found:
                    raise ValidationError(found)
                changed.append(new)
                return Changes(replace={ident: new})
        raise ValidationError([f"id: no place has id {ident!r}"])

    written = _run(path, change, dry_run=dry_run)
    return ChangeResult(action="update", ids=[ident], written=written, features=changed)


def _place_one(features: list[dict[str, Any]], *, ident: str, geometry: dict[str, Any], update: dict[str, Any]) -> Any:
    from geo.store import Changes

    for g in features:
        if g["properties"]["id"] == ident and g["geometry"] is None:
            new_props = normalize_properties({**g["properties"], **update})
            return Changes(replace={ident: {**g, "geometry": geometry, "properties": new_props}})
    return Changes()  # placed or removed meanwhile by another process


@dataclass
class LocateReport:
    """What ``locate_missing`` placed, and why the rest stayed unlocated."""

    located: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: int = 0


def locate_missing(
    path: str | os.PathLike[str] | None = None,
    *,
    geocoder: Any = None,
    allow_outside: bool = False,
    ids: Sequence[str] | None = None,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> LocateReport:
    """Geocode every place whose geometry is null and store what is found.

    Each success is saved at once (locked, atomic), so an interrupted run
    keeps what it found and the next run resumes with the places still
    missing; online answers come from the cache the second time.

    Parameters
    ----------
    path : str or path-like, optional
        The data file.
    geocoder : object, optional
        From :func:`geo.geocode.get_geocoder`; the offline gazetteer by default.
    allow_outside : bool
        Store answers outside the district polygon (still inside its extent).
    ids : sequence of str, optional
        Only these places.
    limit : int, optional
        At most this many places.
    progress : callable, optional
        Called with each place's id after it is tried.

    Returns
    -------
    LocateReport
    """
    from geo.geocode import GazetteerGeocoder, geocode_place, iter_queries, location_properties
    from geo.store import load_collection, patch

    geocoder = geocoder or GazetteerGeocoder()
    report = LocateReport()
    todo = [f for f in load_collection(path)["features"] if f["geometry"] is None]
    if ids:
        todo = [f for f in todo if f["properties"]["id"] in set(ids)]
    if limit is not None:
        report.skipped = max(len(todo) - limit, 0)
        todo = todo[:limit]
    for f in todo:
        props = f["properties"]
        reasons = []
        found = None
        not_found: list[str] = []
        for query in iter_queries(props):
            try:
                location = geocode_place(query, geocoder=geocoder, allow_outside=allow_outside)
            except PlaceNotFoundError:
                not_found.append(repr(query))
                continue
            except GeocodeServiceError as err:
                reasons.append(str(err))
                break  # the service is failing; do not hammer it with the other queries
            except GeoError as err:
                reasons.append(str(err))
                continue
            if location.raw.get("ambiguous"):
                reasons.append(f"{query!r} is ambiguous: {location.raw.get('candidates')}")
                continue
            if location.raw.get("fallback"):
                reasons.append(f"{query!r} only matched the district as a whole")
                continue
            found = location
            break
        if found is not None:
            update = location_properties(found)
            geometry = update.pop("geometry")

            try:
                patch(path, partial(_place_one, ident=props["id"], geometry=geometry, update=update))
            except GeoError as err:
                report.failed[props["id"]] = f"answer refused by the model: {err}"
            else:
                report.located[props["id"]] = update["location_source"]
        else:
            if not_found:
                reasons.insert(0, f"no answer for {', '.join(not_found)}")
            report.failed[props["id"]] = "; ".join(reasons) or "no query to try"
        if progress is not None:
            progress(props["id"])
    return report
