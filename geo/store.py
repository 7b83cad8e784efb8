"""Read and write the data file: the only module that touches it.

Reading validates the whole file (:func:`geo.model.check_collection`), so no
command works on a corrupt file silently. Writing is deterministic (fixed key
order, UTF-8 text rather than ``\\u`` escapes, coordinates rounded to
:data:`geo.settings.coordinate_decimals`) so that a change to one place is a
one-place diff, and atomic (temporary file in the same folder, ``fsync``,
``os.replace``) so that the file is never half-written. Read-modify-write
cycles hold an exclusive lock on ``<file>.lock`` (:func:`transaction`), so two
processes adding parks at once both land.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import settings
from geo.errors import StoreError, ValidationError
from geo.model import PROPERTY_ORDER, Place, check_collection, normalize_properties, validate_collection

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "dumps_collection",
    "load_collection",
    "load_locations",
    "load_places",
    "places_to_frame",
    "read_json",
    "save_collection",
    "transaction",
]

logger = logging.getLogger(__name__)

#: Foreign members kept at the top of the FeatureCollection (RFC 7946 §6.1).
COLLECTION_KEYS = ("type", "name", "metadata", "features")


def _path(path: str | os.PathLike[str] | None) -> Path:
    return Path(path if path is not None else settings.locations_path)


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file, turning every failure into one clear :class:`StoreError`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    Any
        The decoded document.

    Raises
    ------
    geo.errors.StoreError
        When the file is missing, unreadable, not UTF-8 or not JSON.
    """
    import orjson

    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        msg = f"data file {str(p)!r} does not exist"
        raise StoreError(msg) from None
    except UnicodeDecodeError as err:
        msg = f"data file {str(p)!r} is not UTF-8 text: {err.reason} at byte {err.start}"
        raise StoreError(msg) from err
    except OSError as err:
        msg = f"data file {str(p)!r} cannot be read: {err.strerror}"
        raise StoreError(msg) from err
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass

    # orjson is fast; the standard library says where the error is.
    def reject(constant: str) -> Any:
        msg = f"data file {str(p)!r} is not valid JSON: {constant} is not a JSON number"
        raise StoreError(msg)

    try:
        return json.loads(text, parse_constant=reject)
    except json.JSONDecodeError as err:
        msg = f"data file {str(p)!r} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}"
        raise StoreError(msg) from err


def load_collection(path: str | os.PathLike[str] | None = None, *, validate: bool = True) -> dict[str, Any]:
    """Load the data file as a GeoJSON dict, validated against the model.

    Parameters
    ----------
    path : str or path-like, optional
        Defaults to :data:`geo.settings.locations_path`.
    validate : bool
        Check every rule of :mod:`geo.model` (default). Only ``geo validate``
        turns this off, to list the problems itself.

    Returns
    -------
    dict

    Raises
    ------
    geo.errors.StoreError
        The file cannot be read or is not JSON.
    geo.errors.ValidationError
        The file breaks the model; the message lists every problem.
    """
    p = _path(path)
    obj = read_json(p)
    if validate:
        problems = check_collection(obj)
        if problems:
            raise ValidationError([f"{p}: {len(problems)} problem(s)", *problems])
    if not isinstance(obj, dict):
        msg = f"data file {str(p)!r} is not a GeoJSON FeatureCollection"
        raise StoreError(msg)
    return obj


def load_places(path: str | os.PathLike[str] | None = None) -> list[Place]:
    """Load the data file as validated :class:`geo.model.Place` records.

    Parameters
    ----------
    path : str or path-like, optional

    Returns
    -------
    list of Place
    """
    return validate_collection(load_collection(path))


def places_to_frame(features: list[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Build a GeoDataFrame (EPSG:4326) from GeoJSON features, keeping null geometries.

    Parameters
    ----------
    features : list of mapping
        GeoJSON Features with model properties.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, columns in :data:`geo.model.PROPERTY_ORDER`, and
        ``geometry`` (``None`` for unlocated places).
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    frame = pd.DataFrame.from_records([f.get("properties") or {} for f in features])
    extras = sorted(c for c in frame.columns if c not in PROPERTY_ORDER)
    frame = frame.reindex(columns=[*PROPERTY_ORDER, *extras])
    frame = frame.astype(object).where(frame.notna(), None)
    for col in ("stated_area_m2", "uncertainty_m"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    # Points (most places) are built in one vectorised call; other shapes one by one.
    geoms = np.full(len(features), None, dtype=object)
    kinds = [None if f.get("geometry") is None else f["geometry"]["type"] for f in features]
    pts = [i for i, k in enumerate(kinds) if k == "Point"]
    if pts:
        xy = np.array([features[i]["geometry"]["coordinates"][:2] for i in pts], dtype=float)
        geoms[pts] = shapely.points(xy)
    others = [i for i, k in enumerate(kinds) if k not in (None, "Point")]
    if others:
        geoms[others] = shapely.from_geojson([json.dumps(features[i]["geometry"]) for i in others])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=settings.default_crs), crs=settings.default_crs)


def load_locations(path: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Load the data file as a validated GeoDataFrame in WGS-84.

    Parameters
    ----------
    path : str or path-like, optional
        Defaults to :data:`geo.settings.locations_path`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place, unlocated places with a ``None`` geometry.

    Examples
    --------
    >>> gdf = load_locations("data/locations.geojson")  # doctest: +SKIP
    >>> gdf.loc[gdf.name == "睦邻园", "stated_area_m2"].item()  # doctest: +SKIP
    7373.0
    """
    return places_to_frame(load_collection(path)["features"])


def _round(value: Any, ndigits: int) -> Any:
    if isinstance(value, float):
        rounded = round(value, ndigits)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, list | tuple):
        return [_round(v, ndigits) for v in value]
    return value


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


def dumps_collection(obj: Mapping[str, Any]) -> str:
    """Serialise a FeatureCollection deterministically.

    One property per line, each geometry on one line, keys in model order,
    coordinates rounded, UTF-8 characters as they are.

    Parameters
    ----------
    obj : mapping
        A FeatureCollection.

    Returns
    -------
    str
        The text, ending with a newline.
    """
    ndigits = settings.coordinate_decimals
    lines = ["{"]
    head = [k for k in COLLECTION_KEYS if k in obj and k != "features"]
    head += sorted(k for k in obj if k not in COLLECTION_KEYS)
    for key in head:
        lines.append(f'  "{key}": {_compact(obj[key])},')
    lines.append('  "features": [')
    features = list(obj.get("features", []))
    for i, feature in enumerate(features):
        geom = feature.get("geometry")
        if geom is not None:
            geom = {"type": geom["type"], "coordinates": _round(geom["coordinates"], ndigits)}
        props = normalize_properties(feature.get("properties") or {})
        if isinstance(props.get("coord_original"), list):
            props["coord_original"] = _round(props["coord_original"], ndigits)
        body = [f"      {_compact(k)}: {_compact(v)}" for k, v in props.items()]
        block = [
            "    {",
            '      "type": "Feature",',
            f'      "geometry": {_compact(geom)},',
            '      "properties": {',
            *[f"  {line}," for line in body[:-1]],
            f"  {body[-1]}",
            "      }",
            "    }" + ("," if i < len(features) - 1 else ""),
        ]
        lines.extend(block)
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    import fcntl

    lock_path = path.with_name(path.name + ".lock")
    try:
        handle = lock_path.open("a")
    except OSError as err:
        msg = f"cannot lock {str(path)!r}: {err.strerror}"
        raise StoreError(msg) from err
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _write_atomic(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    directory = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        msg = f"cannot write into {str(directory)!r}: {err.strerror}"
        raise StoreError(msg) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        if isinstance(err, OSError):
            msg = f"cannot write {str(path)!r}: {err.strerror}"
            raise StoreError(msg) from err
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def save_collection(
    obj: Mapping[str, Any], path: str | os.PathLike[str] | None = None, *, overwrite: bool = False
) -> Path:
    """Validate a FeatureCollection and write it atomically.

    Parameters
    ----------
    obj : mapping
        The FeatureCollection.
    path : str or path-like, optional
        Defaults to :data:`geo.settings.locations_path`.
    overwrite : bool
        Replace an existing file. Without it an existing file is refused.

    Returns
    -------
    pathlib.Path
        Where the file was written.

    Raises
    ------
    geo.errors.ValidationError
        The collection breaks the model; nothing is written.
    geo.errors.StoreError
        The file exists and ``overwrite`` is false, or it cannot be written.
    """
    p = _path(path)
    problems = check_collection(obj)
    if problems:
        raise ValidationError(problems)
    if p.exists() and not overwrite:
        msg = f"{str(p)!r} exists; pass overwrite=True (--overwrite) to replace it"
        raise StoreError(msg)
    _write_atomic(p, dumps_collection(obj))
    logger.info("wrote %d places to %s", len(obj["features"]), p)
    return p


@contextlib.contextmanager
def transaction(path: str | os.PathLike[str] | None = None) -> Iterator[dict[str, Any]]:
    """Lock the data file, yield its collection, and save it if the block succeeds.

    The collection is validated on load and again before it is written; if
    the block raises, nothing is written and the file stays byte-for-byte as
    it was.

    Parameters
    ----------
    path : str or path-like, optional

    Yields
    ------
    dict
        The FeatureCollection, to be changed in place.

    Examples
    --------
    >>> with transaction("data/locations.geojson") as fc:  # doctest: +SKIP
    ...     fc["features"].append(feature)
    """
    p = _path(path)
    with _lock(p):
        obj = load_collection(p)
        before = dumps_collection(obj)
        yield obj
        if dumps_collection(obj) != before:
            save_collection(obj, p, overwrite=True)
