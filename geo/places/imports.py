"""Import parks from GeoJSON (the map's draw tool, or any GIS) and other vector files."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from geo.errors import Problem, StoreError, ValidationError, prefixed, unprefixed
from geo.geojson import parse_geometry, read_source
from geo.model import CATEGORIES, DISTRICT_BBOX, PROPERTY_ORDER, check_feature, normalize_properties
from geo.places._common import ChangeResult, make_id, nfc
from geo.places._options import ADDING, ChangeKeywords, ChangeOptions, takes
from geo.places.add import _add_checked, make_park
from geo.store import read_file

__all__ = ["PROPERTY_ALIASES", "import_features", "make_park_from_file", "read_features", "read_park_outline"]

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
_KNOWN = frozenset(alias for aliases in PROPERTY_ALIASES.values() for alias in aliases) | {"datum"}
_STAND_IN = ((DISTRICT_BBOX[0] + DISTRICT_BBOX[2]) / 2, (DISTRICT_BBOX[1] + DISTRICT_BBOX[3]) / 2)
#: Most bytes read from one file to import (a district's parks fit in far less).
MAX_IMPORT_BYTES = 200 * 1024 * 1024


def read_features(
    source: str | os.PathLike[str], *, unlocated: bool = False
) -> tuple[list[dict[str, Any]], str | None]:
    """Read Features from a GeoJSON file (a Feature, a FeatureCollection or a geometry).

    GeoJSON goes through the shared parser (:func:`geo.geojson.read_source`);
    other vector formats (GeoPackage, Shapefile, ...) are read with pyogrio and
    reprojected to WGS-84.

    Parameters
    ----------
    source : str or path-like
    unlocated : bool
        Accept GeoJSON features with a null geometry (places without a location).

    Returns
    -------
    tuple
        ``(features, datum)``; ``datum`` is the file-level ``datum`` member if any.

    Raises
    ------
    geo.errors.StoreError
        Unreadable file, or not a regular file.
    geo.errors.ValidationError
        Malformed GeoJSON: every problem, one line each.
    """
    if str(source) == "-":  # standard input (`geo import -`), read as GeoJSON
        return _read_stdin()
    path = Path(source)
    if path.suffix.lower() == ".csv":  # lon/lat columns, read as the editor's import reads them
        from geo.places.upload import read_csv  # here, not at the top: geo.places.upload imports this module

        return read_csv(read_file(path, label=f"{path}:", max_bytes=MAX_IMPORT_BYTES), path.name), None
    if path.suffix.lower() not in (".geojson", ".json"):
        return _read_ogr(path), None

    data = read_file(path, label=f"{path}:", max_bytes=MAX_IMPORT_BYTES)
    read = read_source(data, label=path.name, unlocated=unlocated)
    return read.features, read.datum


def read_park_outline(
    source: str | os.PathLike[str], *, datum: str = "wgs84"
) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """Read the one outline a file gives for a new park, and the datum its coordinates are in.

    Parameters
    ----------
    source : str or path-like
        A GeoJSON file with one Feature or geometry (``-``: standard input), or any vector file.
    datum : str
        The datum the user gave. The default, ``wgs84``, gives way to what the file says: the
        feature's ``datum`` property (the map's draw tool writes one), else the file's ``datum`` member.

    Returns
    -------
    tuple
        ``(geometry or None, datum, problems)``: a file of more or fewer than one feature is a
        problem on ``geometry_file`` (reported with the park's other problems by :func:`make_park_from_file`).

    Raises
    ------
    geo.errors.StoreError
        Unreadable file.
    geo.errors.ValidationError
        Malformed GeoJSON.
    """
    features, file_datum = read_features(source)
    if len(features) != 1:
        text = f"expected one feature or geometry, got {len(features)}"
        return None, datum, [Problem("geometry_file", "geometry_file", text)]
    if datum == "wgs84":
        datum = (features[0].get("properties") or {}).get("datum") or file_datum or datum
    return features[0].get("geometry"), datum, []


def make_park_from_file(
    name: str, *, geometry_file: str | os.PathLike[str] | None = None, datum: str = "wgs84", **options: Any
) -> tuple[dict[str, Any], list[str]]:
    """Build a park as :func:`~geo.places.make_park` does, its outline read from a file (``add-park --geometry``).

    Parameters
    ----------
    name : str
        Chinese name.
    geometry_file : str or path-like, optional
        Where the outline is (:func:`read_park_outline`); without it this is :func:`make_park`.
    datum : str
        The datum of the coordinates given; ``wgs84`` gives way to the file's own.
    **options
        Everything else :func:`~geo.places.make_park` takes (``area_m2``, ``park_class``, ``source``, ...).

    Returns
    -------
    tuple
        ``(feature, notes)``, as :func:`~geo.places.make_park`.

    Raises
    ------
    geo.errors.ValidationError
        Every problem of the file and of the park at once.
    """
    if geometry_file is None:
        return make_park(name, datum=datum, **options)
    geometry, datum, problems = read_park_outline(geometry_file, datum=datum)
    try:
        made = make_park(name, datum=datum, geometry=geometry, **options)
    except ValidationError as err:
        raise ValidationError(problems + err.problems) from err
    if problems:
        raise ValidationError(problems)
    return made


def _read_stdin() -> tuple[list[dict[str, Any]], str | None]:
    data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        msg = f"standard input: more than {MAX_IMPORT_BYTES:,} bytes; split it"
        raise StoreError(msg)
    read = read_source(data, label="standard input")
    return read.features, read.datum


def _read_ogr(path: Path, layer: str | None = None) -> list[dict[str, Any]]:
    try:
        import geopandas as gpd  # costs start-up; only GIS files need it

        gdf = gpd.read_file(path, layer=layer) if layer else gpd.read_file(path)
    except Exception as err:
        msg = f"{path}: cannot read as a vector file: {err}"
        raise StoreError(msg) from err
    if gdf.crs is None:
        msg = f"{path}: the file has no CRS; cannot tell where its coordinates are"
        raise StoreError(msg)
    gdf = gdf.to_crs(4326)
    features = list(json.loads(gdf.to_json(drop_id=True))["features"])
    return [{**f, "index": i} for i, f in enumerate(features)]


def _pick(props: Mapping[str, Any], key: str) -> Any:
    for alias in PROPERTY_ALIASES.get(key, (key,)):
        if props.get(alias) not in (None, ""):
            return props[alias]
    return None


def _text(props: Mapping[str, Any], key: str, label: str, problems: list[Problem]) -> str | None:
    """Read a text property; a number or list where text belongs is a problem, not stringified."""
    value = _pick(props, key)
    if value is None or isinstance(value, str):
        return nfc(value)
    problems.append(Problem(label, key, f"{key} must be text, got {value!r}"))
    return None


@dataclass
class ImportOptions:
    """What the command line fills in for the file (``name`` and ``area_m2`` only for a single feature)."""

    source_name: str
    name: str | None = None
    area_m2: Any = None
    park_class: str | None = None
    status: str | None = None
    datum: str | None = None
    file_datum: str | None = None
    repair: bool = False
    ask: Callable[[str, int], Any] | None = None
    #: How the person knows the file's places (the editor's import asks); a feature's own source comes first.
    source: str | None = None


def _import_one(
    f: dict[str, Any], opts: ImportOptions, problems: list[Problem], warnings: list[str]
) -> dict[str, Any] | None:
    """Build one park from one imported feature, appending its problems and warnings."""
    i = f.get("index", 0)
    label = f"feature[{i}]"
    props = f.get("properties") or {}
    if f["geometry"] is None:
        return _import_unlocated(props, label, opts, problems, warnings)
    found: list[Problem] = []
    fname = opts.name or _text(props, "name", label, found)
    if fname is None and opts.ask is not None:
        fname = opts.ask("name", i)
    area = opts.area_m2 if opts.area_m2 is not None else _pick(props, "stated_area_m2")
    if area is None and opts.ask is not None:
        area = opts.ask("area", i)
    if fname is None and not found:
        found.append(Problem(label, "name", "name is missing (give the feature a 'name' property)", "missing"))
    datum = opts.datum or props.get("datum") or opts.file_datum or "wgs84"
    geom = f["geometry"]
    kwargs: dict[str, Any] = {
        "area_m2": area if area is not None else 1.0,
        "park_class": opts.park_class or _text(props, "park_class", label, found),
        "status": opts.status or _text(props, "status", label, found) or "open",
        "name_en": _text(props, "name_en", label, found),
        "quote": _text(props, "quote", label, found),
        "source": _text(props, "quote_source", label, found) or opts.source or f"imported from {opts.source_name}",
        "datum": datum,
        "repair": opts.repair,
        "notes": _text(props, "notes", label, found),
    }
    address = _text(props, "address", label, found)
    category = _text(props, "category", label, found)
    if isinstance(geom, Mapping) and geom.get("type") == "Point":
        point = parse_geometry(geom, label)
        found += point.problems
        # A bad point is reported above; a stand-in inside the district lets the other fields be checked too.
        kwargs["lonlat"] = point.value["coordinates"] if point.value else list(_STAND_IN)
    else:
        kwargs["geometry"] = geom
    shown = _shown(fname)
    try:
        # Check the rest even without a name, so every problem is reported at once.
        feature, remarks = make_park(fname if isinstance(fname, str) else "(unnamed)", **kwargs)
    except ValidationError as err:
        found += [prefixed(f"{label} ({shown})", p) for p in err.problems]
    if found:
        problems += found
        return None
    where = f"{label} ({shown})"
    return _finish_import(feature, where, props, area, address, category, remarks, problems, warnings)


def _shown(name: Any) -> str:
    """Return the feature's name as its problems show it, on one line: a name with a line break or a tab is quoted."""
    if not isinstance(name, str):
        return "unnamed"
    return name if name.isprintable() else repr(name)


def _import_unlocated(
    props: Mapping[str, Any], label: str, opts: ImportOptions, problems: list[Problem], warnings: list[str]
) -> dict[str, Any] | None:
    """Take a feature without geometry as an unlocated place: its model properties as they are, checked.

    This is what ``geo extract --format geojson`` writes; a place with a location is made the usual way.
    """
    kept = {k: nfc(v) for k, v in props.items() if k in PROPERTY_ORDER}
    name = opts.name or kept.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(label, "name", "name is missing (give the feature a 'name' property)", "missing"))
        return None
    kept.update(name=name.strip(), location_method="none", precision="none")
    for key, value in (("park_class", opts.park_class), ("status", opts.status)):
        kept[key] = value or kept.get(key)
    kept["status"] = kept.get("status") or "unknown"
    category = kept.get("category") or "park"
    kept["id"] = kept.get("id") or make_id(name, kept.get("name_en"), prefix=str(category))
    kept["category"] = category
    feature = {"type": "Feature", "geometry": None, "properties": normalize_properties(kept)}
    where = f"{label} ({_shown(name)})"
    found = [prefixed(where, unprefixed(f"{kept['id']}: ", p)) for p in check_feature(feature)]
    if found:
        problems += found
        return None
    unknown = sorted(k for k in props if k not in PROPERTY_ORDER)
    if unknown:
        warnings.append(f"{where}: ignored properties {', '.join(unknown)}")
    return feature


def _finish_import(
    feature: dict[str, Any],
    where: str,
    props: Mapping[str, Any],
    area: Any,
    address: Any,
    category: Any,
    remarks: list[str],
    problems: list[Problem],
    warnings: list[str],
) -> dict[str, Any] | None:
    """Carry the imported feature's own address, category and area over, with what was ignored."""
    if area is None:
        feature["properties"]["stated_area_m2"] = None
        feature["properties"]["stated_area_source"] = None
        warnings.append(f"{where}: stated_area_m2 is missing; only the mapped outline's area is known")
    if address:
        feature["properties"]["address"] = address
    if category and category != "park":
        if category not in CATEGORIES:
            text = f"category must be one of {', '.join(CATEGORIES)}, got {category!r}"
            problems.append(Problem(where, "category", text))
            return None
        feature["properties"]["category"] = category
        feature["properties"]["park_class"] = None
    unknown = sorted(k for k in props if k not in _KNOWN)
    if unknown:
        warnings.append(f"{where}: ignored properties {', '.join(unknown)}")
    warnings += [f"{where}: {r}" for r in remarks]
    return feature


@takes(*ADDING, "repair", "dry_run", "editor", "wait")
def import_features(
    source: str | os.PathLike[str],
    path: str | os.PathLike[str] | None = None,
    *,
    name: str | None = None,
    area_m2: Any = None,
    park_class: str | None = None,
    status: str | None = None,
    datum: str | None = None,
    ask: Callable[[str, int], Any] | None = None,
    **options: Unpack[ChangeKeywords],
) -> ChangeResult:
    """Import parks from GeoJSON (the map's draw tool, or any GIS) into the data file.

    Properties are mapped onto the model (:data:`PROPERTY_ALIASES`); the
    options fill what the file lacks (``name`` and ``area_m2`` only for a
    single feature). A ``datum`` property or member (the map's draw tool writes
    one) says the coordinates are GCJ-02 or BD-09; they are converted. Rings
    of any winding are accepted and stored right-handed, with a note.

    Parameters
    ----------
    source : str or path-like
        The file to import.
    path : str or path-like, optional
        The data file.
    name, area_m2, park_class, status, datum
        Values for what the file does not say.
    ask : callable, optional
        ``ask(field, index)`` returns a value for a missing name or area
        (the CLI prompts); ``None`` reports them as problems.

    Returns
    -------
    ChangeResult
        ``warnings`` holds, feature by feature, what was rewound, converted or ignored.

    Raises
    ------
    geo.errors.ValidationError
        Every problem of every feature at once; nothing is written.
    geo.errors.StoreError
        Unreadable file.
    """
    features, file_datum = read_features(source, unlocated=True)
    if not features:
        raise ValidationError([f"{source}: no features to import"])
    if len(features) > 1 and (name or area_m2 is not None):
        raise ValidationError(
            ["name/area: given for a file of several features; put them in each feature's properties"]
        )
    shown = "standard input" if str(source) == "-" else Path(source).name
    how = ChangeOptions(**options)
    opts = ImportOptions(
        source_name=shown,
        name=name,
        area_m2=area_m2,
        park_class=park_class,
        status=status,
        datum=datum,
        file_datum=file_datum,
        repair=how.repair,
        ask=ask,
    )
    problems: list[Problem] = []
    warnings: list[str] = []
    built = [b for f in features if (b := _import_one(f, opts, problems, warnings)) is not None]
    if problems:
        raise ValidationError(problems)
    result = _add_checked(built, path, "import", how)
    result.warnings = warnings + result.warnings
    return result
