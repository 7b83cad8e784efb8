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
import errno
import gc
import hashlib
import itertools
import json
import logging
import operator
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from geo import settings
from geo._docs import shared_docs
from geo.errors import Problem, StoreError, ValidationError, prefixed
from geo.model import (
    PROPERTY_ORDER,
    Place,
    check_collection,
    check_feature,
    normalize_properties,
    validate_collection,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "Changes",
    "Journal",
    "Snapshot",
    "district_figures",
    "dumps_collection",
    "file_signature",
    "find_problems",
    "has_location",
    "init_folder",
    "load_collection",
    "load_frame",
    "load_locations",
    "load_places",
    "lock",
    "patch",
    "places_to_frame",
    "read_file",
    "read_json",
    "save_collection",
    "snapshot",
    "transaction",
    "version_of",
]

logger = logging.getLogger(__name__)

#: Foreign members kept at the top of the FeatureCollection (RFC 7946 §6.1).
COLLECTION_KEYS = ("type", "name", "metadata", "features")


def _path(path: str | os.PathLike[str] | None) -> Path:
    from geo.resources import find_data_path

    return find_data_path(path)


def read_file(path: str | os.PathLike[str], *, label: str, max_bytes: int | None = None) -> bytes:
    """Read a regular file's bytes, turning every failure into one StoreError that starts with ``label``.

    A FIFO or a device is refused rather than read (it would block or never end), and so is a file
    larger than ``max_bytes``. The data file and the files ``geo import`` reads both come through here.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.
    label : str
        What the file is, the start of the error message.
    max_bytes : int, optional
        The largest size accepted; None for no limit.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    geo.errors.StoreError
        The file is missing, unreadable, not a regular file or too large.
    """
    import stat

    p = Path(path)
    try:
        info = p.stat()
        if stat.S_ISREG(info.st_mode) and (max_bytes is None or info.st_size <= max_bytes):
            return p.read_bytes()
    except FileNotFoundError:
        msg = f"{label} does not exist"
        raise StoreError(msg) from None
    except OSError as err:
        msg = f"{label} cannot be read: {err.strerror}"
        raise StoreError(msg) from err
    if not stat.S_ISREG(info.st_mode):
        msg = f"{label} is not a regular file (a pipe or a device would block or never end)"
        raise StoreError(msg)
    msg = f"{label} has {info.st_size:,} bytes, more than {max_bytes:,}; split it"
    raise StoreError(msg)


def _read_bytes(p: Path) -> bytes:
    data = read_file(p, label=f"data file {str(p)!r}")
    logger.debug("read %s (%s bytes)", p, f"{len(data):,}")
    return data


def _parse(data: bytes, p: Path, *, strict: bool = False) -> Any:
    """Decode the file with the shared parser (:func:`geo.geojson.decode`); its refusals become StoreErrors."""
    from geo.geojson import decode

    try:
        obj, _ = decode(data, label=f"data file {str(p)!r}", strict=strict)
    except ValidationError as err:
        raise StoreError(str(err)) from None
    return obj


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
    p = Path(path)
    return _parse(_read_bytes(p), p)


@shared_docs()
def load_collection(path: str | os.PathLike[str] | None = None, *, validate: bool = True) -> dict[str, Any]:
    """Load the data file as a GeoJSON dict, validated against the model.

    Parameters
    ----------
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
    return _load(p, _read_bytes(p), validate=validate)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around bulk work on a decoded document.

    A JSON document holds no reference cycles, yet making hundreds of thousands of
    dicts triggers collection after collection: pausing it saves about a third of a
    large load, and a fifth of an ``add-park`` on 100,000 places.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@shared_docs()
def find_problems(path: str | os.PathLike[str] | None = None) -> tuple[Any, list[Problem]]:
    """Read the data file and list every problem it has, without raising for them.

    Returns
    -------
    tuple
        ``(document, problems)``: the decoded JSON and one line per problem (empty when valid).

    Raises
    ------
    geo.errors.StoreError
        When the file cannot be read or is not JSON.
    """
    p = _path(path)
    data = _read_bytes(p)
    with _gc_paused():
        obj = _parse(data, p, strict=True)
        return obj, check_collection(obj)


def _load(p: Path, data: bytes, *, validate: bool = True) -> dict[str, Any]:
    with _gc_paused():
        obj = _parse(data, p)
        problems = check_collection(obj) if validate else []
    if problems:
        raise ValidationError([f"{p}: {len(problems)} problem(s)", *problems])
    if not isinstance(obj, dict):
        msg = f"data file {str(p)!r} is not a GeoJSON FeatureCollection"
        raise StoreError(msg)
    return obj


@shared_docs()
def load_places(path: str | os.PathLike[str] | None = None) -> list[Place]:
    """Load the data file as validated :class:`geo.model.Place` records.

    Returns
    -------
    list of Place
    """
    return validate_collection(load_collection(path))


#: Bytes read at a time by :func:`load_frame` (the features of one read are decoded, checked and freed together).
_READ_BYTES = 16 * 1024 * 1024
_FEATURES_KEY = b'\n  "features": ['


def district_figures(members: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Return the figures the collection gives for the district as a whole (``metadata.district_figures``).

    What the map's panel, the editor's page and ``geo summary`` list. The model checks the figures
    when the file is loaded (:func:`geo.model.check_district_figures`); a collection without them has none.

    Parameters
    ----------
    members : mapping or None
        The collection, or its members other than ``features`` (as :func:`load_frame` returns them).

    Returns
    -------
    list of dict
        Each figure (:data:`geo.model.DISTRICT_FIGURE_KEYS`, and ``unit`` where given), in the file's order.

    Examples
    --------
    >>> district_figures({"metadata": {"district_figures": [{"key": "activities", "value": 31}]}})
    [{'key': 'activities', 'value': 31}]
    >>> district_figures({"type": "FeatureCollection"})
    []
    """
    metadata = (members or {}).get("metadata")
    figures = metadata.get("district_figures") if isinstance(metadata, Mapping) else None
    return [dict(f) for f in figures or ()]


@shared_docs()
def load_frame(path: str | os.PathLike[str] | None = None) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Load the data file as a validated GeoDataFrame and the collection's other members (``metadata``, ...).

    The columnar route for large files: a canonical file (what the store writes) is read a few
    megabytes at a time; each run of places is decoded, checked column by column
    (:func:`geo.model.plainly_valid_columns`; a place that is not plainly valid gets the full check) and
    only its columns are kept, so no document of a million places is ever held. Any other file, and any
    file with a problem, is read as :func:`load_collection` reads it, with the same messages.

    Returns
    -------
    tuple
        ``(frame, members)``: the places as :func:`places_to_frame` makes them, and the collection's
        members other than ``features``.

    Raises
    ------
    geo.errors.StoreError, geo.errors.ValidationError
        As :func:`load_collection`.
    """
    p = _path(path)
    with _gc_paused():
        read = _read_columns(p)
    if read is None:  # not canonical, or not valid: the whole document, read and reported as always
        obj = load_collection(p)
        return places_to_frame(obj["features"]), {k: v for k, v in obj.items() if k != "features"}
    members, columns, geoms = read
    return _columns_frame(columns, geoms), members


def _feature_runs(p: Path, *, stop: int | None = None) -> Iterator[bytes | dict[str, Any]]:
    """Yield the collection's members (a dict), then runs of canonical feature blocks as JSON arrays.

    With ``stop`` (a separator's offset, :func:`_split_point`) only the blocks before it are yielded.
    Raises ``ValueError`` as soon as the file is not laid out as :func:`dumps_collection` writes it.
    """
    import orjson

    with p.open("rb") as handle:
        pending = handle.read(_READ_BYTES if stop is None else min(_READ_BYTES, stop))
        at = pending.find(_FEATURES_KEY)
        if at < 0:
            raise ValueError(p)
        head = pending[: at + len(_FEATURES_KEY)]
        members = orjson.loads(head + b"]}")
        if not isinstance(members, dict) or _dump_head(members).encode() != head:
            raise ValueError(p)
        yield members
        at = len(pending)
        pending = pending[len(head) :]
        if stop is None and pending.startswith(_EMPTY.encode()):
            if pending != _EMPTY.encode() or handle.read(1):
                raise ValueError(p)
            return
        if not pending.startswith(_OPEN.encode()):
            raise ValueError(p)
        yield from _blocks(handle, pending[len(_OPEN) :], at, stop)


def _blocks(handle: Any, pending: bytes, at: int, stop: int | None) -> Iterator[bytes]:
    """Yield runs of feature blocks as JSON arrays, ``pending`` (read up to offset ``at``) first.

    Without ``stop`` the blocks go on to the collection's end, which must close it as the store writes
    it; with it they end at that offset, the start of a separator between two blocks.
    """
    # Blocks are already separated by "},\n    {": a run of them, bracketed, is a JSON array as it is.
    between, close = _BETWEEN.encode(), _CLOSE.encode()
    while True:
        more = handle.read(_READ_BYTES if stop is None else min(_READ_BYTES, stop - at))
        at += len(more)
        if not more:
            if stop is None:
                if not pending.endswith(close):
                    raise ValueError(handle.name)
                yield b"".join((b"[{", memoryview(pending)[: -len(close)], b"}]"))
            else:
                yield b"".join((b"[{", pending, b"}]"))
            return
        pending += more
        cut = pending.rfind(between)
        if cut >= 0:
            yield b"".join((b"[{", memoryview(pending)[:cut], b"}]"))
            pending = pending[cut + len(between) :]


#: A canonical file of at least this many bytes is read by two processes, each taking half of its places
#: (where ``os.fork`` exists and the process runs a single thread): the load takes about 0.6 of the time.
SPLIT_BYTES = 40 * 1024 * 1024


def _split_point(p: Path) -> int | None:
    """Return the offset of the separator between two places nearest after the file's middle (None: none)."""
    size = p.stat().st_size
    if size < SPLIT_BYTES or size // 2 <= _READ_BYTES:
        return None
    with p.open("rb") as handle:
        handle.seek(size // 2)
        window = handle.read(_READ_BYTES)
    at = window.find(_BETWEEN.encode())
    return None if at < 0 else size // 2 + at


def _share_runs(p: Path, start: int) -> Iterator[bytes]:
    """Yield the runs of feature blocks from the one that starts at offset ``start`` to the collection's end."""
    with p.open("rb") as handle:
        handle.seek(start)
        yield from _blocks(handle, b"", start, None)


def _write_share(p: Path, start: int, out: Any) -> bool:
    """Read the places from offset ``start`` on, as the first process reads its share, into the file ``out``.

    Each run is pickled as ``(properties, geometries as WKB)``, its texts kept once a column
    (:func:`_keep`), then ``None`` ends the share; returns False, having written no end, when a run
    is not plain or has a problem (the caller then reads the whole document).
    """
    import pickle

    import orjson
    import shapely

    shared: dict[str, dict[Any, Any] | None] = {}
    for run in _share_runs(p, start):
        col = _run_columns(orjson.loads(run), 0)  # the index only names a problem, and a problem ends the share
        if col is None:
            return False
        props, shapes = col
        kept: dict[str, Any] = {}
        for key, values in props.items():
            parts: list[Any] = []
            _keep(parts, values, key, shared)
            kept[key] = parts[0]
        pickle.dump((kept, shapely.to_wkb(shapes)), out, protocol=pickle.HIGHEST_PROTOCOL)
        del col, props, shapes, kept
    pickle.dump(None, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()
    return True


def _read_share(out: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    """Yield the runs :func:`_write_share` wrote, as ``(properties, shapely geometries)``.

    Raises ``ValueError`` when the share is not complete (a problem in it, or a writer that died).
    """
    import pickle

    import shapely

    out.seek(0)
    while True:
        try:
            record = pickle.load(out)
        except (EOFError, pickle.UnpicklingError) as err:
            raise ValueError("the second half of the places was not read") from err
        if record is None:
            return
        props, wkb = record
        yield props, shapely.from_wkb(wkb)


class _Share:
    """The second half of a large file's places, read by a forked child into an unnamed temporary file."""

    def __init__(self, p: Path, start: int) -> None:
        self.out = tempfile.TemporaryFile(prefix="geo-share-")  # noqa: SIM115 - closed by close()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child exits inside (coverage does not follow it)
            code = 1
            try:
                code = 0 if _write_share(p, start, self.out) else 1
            except BaseException:  # any failure: no end is written, and the parent reads the whole document
                code = 1
            finally:
                os._exit(code)  # never the parent's atexit handlers or buffered output

    def runs(self) -> Iterator[tuple[dict[str, Any], Any]]:
        """Wait for the child, then yield its runs (``ValueError`` when it did not read them all)."""
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status != 0:
            raise ValueError("the second half of the places was not read")
        return _read_share(self.out)

    def close(self) -> None:
        """Stop a child still running (the first half had a problem) and drop the temporary file."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0
        self.out.close()


def may_fork() -> bool:
    """Whether this process may fork a helper (a large file's second-half reader, the downloads' writer).

    Returns
    -------
    bool
        True where ``os.fork`` exists and no other thread runs: a thread holding a lock at the fork (a
        Jupyter kernel's, a server's) would leave that lock held forever in the child.
    """
    return hasattr(os, "fork") and threading.active_count() == 1


def _start_share(p: Path) -> tuple[int | None, _Share | None]:
    """Return where the first process stops and the child reading the rest (``(None, None)``: no split)."""
    if not may_fork():
        return None, None
    try:
        cut = _split_point(p)
    except OSError:
        return None, None
    if cut is None:
        return None, None
    return cut, _Share(p, cut + len(_BETWEEN))


def _read_columns(p: Path) -> tuple[dict[str, Any], dict[str, list[Any]], Any] | None:
    """Read a canonical, valid file column by column; None when it is not one (the caller reads it whole).

    A large file (:data:`SPLIT_BYTES`) is read in two halves at once: a forked child decodes and checks
    the second (:func:`_write_share`) while this process reads the first, then takes the child's columns.
    """
    import orjson

    from geo.model import check_collection

    cut, share = _start_share(p)
    try:
        try:
            runs = _feature_runs(p, stop=cut)
            members = next(runs)
        except (OSError, ValueError, StopIteration):
            return None
        assert isinstance(members, dict)
        members.pop("features", None)
        if check_collection({**members, "features": []}):
            return None
        columns: dict[str, list[Any]] = {key: [] for key in PROPERTY_ORDER}
        shared: dict[str, dict[Any, Any] | None] = {}
        geoms: list[Any] = []
        count = 0
        try:
            for run in runs:
                features = orjson.loads(run)  # type: ignore[arg-type]
                del run  # the text of a run is freed before its columns are made
                col = _run_columns(features, count)
                if col is None:
                    return None
                props, shapes = col
                for key, values in props.items():
                    _keep(columns[key], values, key, shared)
                geoms.append(shapes)
                count += len(shapes)
                del features, props, shapes
            for props, shapes in share.runs() if share is not None else ():
                for key, values in props.items():  # already kept as _keep keeps them, in the child
                    columns[key].append(values)
                geoms.append(shapes)
                del props, shapes
        except (OSError, ValueError, KeyError):  # orjson.JSONDecodeError is a ValueError
            return None
    finally:
        if share is not None:
            share.close()
    ids = list(itertools.chain.from_iterable(columns["id"]))
    if len(set(ids)) != len(ids):
        return None
    logger.debug("read %s column by column (%s places)", p, f"{len(ids):,}")
    return members, columns, geoms


def _run_columns(features: list[Any], offset: int) -> tuple[dict[str, Sequence[Any]], Any] | None:
    """Return a run's property columns and shapely geometries; None when a place is not plain or has a problem.

    Each column is checked at once (:func:`geo.model.plainly_valid_columns`), outlines' geometries all
    together (:func:`geo.geojson.checked_outlines`, which also builds them); a place that is still not
    plainly valid gets :func:`geo.model.check_feature`, and a problem sends the file to the whole-document
    route, which reports every problem in order.
    """
    import numpy as np

    from geo.geojson import checked_outlines
    from geo.model import DISTRICT_BBOX, plainly_valid_columns, property_columns

    # Plain features (geo.model.is_plain_feature) with every property and no other, a few C passes a run.
    if type(features) is not list or set(map(type, features)) - {dict} or set(map(len, features)) - {3}:
        return None
    if set(map(operator.itemgetter("type"), features)) - {"Feature"}:  # a missing member is a KeyError
        return None
    props = list(map(operator.itemgetter("properties"), features))
    if set(map(type, props)) - {dict} or set(map(len, props)) - {len(PROPERTY_ORDER)}:
        return None  # foreign properties: the whole document keeps them
    col = property_columns(props, complete=True)
    del props
    shapes = list(map(operator.itemgetter("geometry"), features))
    outlines: list[int] = []
    plain = plainly_valid_columns(col, shapes, outlines=outlines)
    out = np.full(len(shapes), None, dtype=object)
    if outlines:
        ok, built = checked_outlines([shapes[i] for i in outlines], DISTRICT_BBOX)
        at = np.asarray(outlines, dtype=np.int64)
        plain[at[~ok]] = False
        out[at[ok]] = built[ok]
    if any(check_feature(features[i], offset + i) for i in np.flatnonzero(~plain).tolist()):
        return None
    _geometries(shapes, plain, out)
    return col, out


def _geometries(shapes: list[Any], plain: Any, out: Any) -> None:
    """Fill in a run's shapely geometries (unlocated: None): the plain points in one call, the rest one by one.

    ``out`` already holds the outlines :func:`geo.geojson.checked_outlines` built.
    """
    import numpy as np
    import shapely

    n = len(shapes)
    todo = np.fromiter(map(operator.is_not, shapes, itertools.repeat(None)), bool, n)
    todo &= np.fromiter(map(operator.is_, out.tolist(), itertools.repeat(None)), bool, n)
    points = np.flatnonzero(todo & plain).tolist()  # plain and not an outline: a point
    if points:
        flat = itertools.chain.from_iterable(map(operator.itemgetter("coordinates"), map(shapes.__getitem__, points)))
        out[points] = shapely.points(np.fromiter(flat, dtype=float, count=2 * len(points)).reshape(-1, 2))
    others = np.flatnonzero(todo & ~plain).tolist()
    if others:
        out[others] = shapely.from_geojson([json.dumps(shapes[i]) for i in others])


#: Columns kept as numbers (float64, NaN for null) from the first run on.
_NUMBER_KEYS = ("stated_area_m2", "uncertainty_m")
_SHAREABLE = frozenset({str, type(None)})


def _keep(parts: list[Any], values: Sequence[Any], key: str, shared: dict[str, dict[Any, Any] | None]) -> None:
    """Keep a run's column: numbers as a float array; texts with each distinct text one object.

    A million cells of ``"report"`` decode to a million strings; kept, they would be most of the memory.
    Each column's distinct texts are kept once (``shared``: one dictionary look-up a cell, in C), unless
    its first run shows it mostly distinct (ids, names), and lists (aliases) are kept as they are.
    """
    import numpy as np
    import pandas as pd

    if key in _NUMBER_KEYS:
        try:
            parts.append(np.array(values, dtype=float))  # None becomes NaN
        except (TypeError, ValueError):
            parts.append(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float))
        return
    cache = shared.get(key, {})
    if cache is None or not set(map(type, values)) <= _SHAREABLE:
        parts.append(values)
        return
    kept = list(map(cache.setdefault, values, values))
    if key not in shared:
        shared[key] = cache if len(cache) - (None in cache) <= len(values) // 2 else None
    parts.append(kept)


def _columns_frame(columns: dict[str, list[Any]], geoms: list[Any]) -> gpd.GeoDataFrame:
    """Build the frame :func:`places_to_frame` makes, from the runs' columns: texts as objects, numbers as floats."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    n = sum(map(len, geoms))
    data: dict[str, Any] = {}
    for key in PROPERTY_ORDER:
        parts = columns.pop(key)  # each column is freed as soon as the frame holds it
        if key in _NUMBER_KEYS:
            joined = np.concatenate(parts) if parts else np.empty(0, dtype=float)
        else:  # lists stay cells, never a second axis
            joined = np.fromiter(itertools.chain.from_iterable(parts), dtype=object, count=n)
        data[key] = pd.Series(joined, dtype=float if key in _NUMBER_KEYS else object, copy=False)
        del parts
    frame = pd.DataFrame(data, copy=False)
    shapes = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
    crs = settings.default_crs
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs=crs), crs=crs)


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
        # One flat run of numbers: numpy reads a list of 100,000 small lists five times slower.
        flat = itertools.chain.from_iterable(features[i]["geometry"]["coordinates"][:2] for i in pts)
        xy = np.fromiter(flat, dtype=float, count=2 * len(pts)).reshape(-1, 2)
        geoms[pts] = shapely.points(xy)
    others = [i for i, k in enumerate(kinds) if k not in (None, "Point")]
    if others:
        from geo.geojson import outline_shapes  # all outlines from one flat array of their rings

        geoms[others] = outline_shapes([features[i]["geometry"] for i in others])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=settings.default_crs), crs=settings.default_crs)


def has_location(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> Any:
    """Tell which rows are places on the map: a geometry that is not empty.

    Unlocated places have a ``None`` geometry (see :func:`places_to_frame`); an empty geometry locates
    nothing either. ``isna`` is used, not ``notna``, which warns whenever empty geometries are present.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or geopandas.GeoSeries
        The places, or their geometries.

    Returns
    -------
    pandas.Series of bool
        True for rows with a geometry that is not empty.
    """
    geoms = frame.geometry if hasattr(frame, "geometry") else frame
    return ~(geoms.isna() | geoms.is_empty)


@shared_docs()
def load_locations(path: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Load the data file as a validated GeoDataFrame in WGS-84.

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
    return load_frame(path)[0]


def _round(value: Any, ndigits: int) -> Any:
    if isinstance(value, float):
        rounded = round(value, ndigits)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, list | tuple):
        return [_round(v, ndigits) for v in value]
    return value


def _compact(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode("utf-8")


#: Members a Feature may carry besides ``type``, ``geometry`` and ``properties``, written in this order;
#: any other (foreign) member follows, sorted, so nothing a file carries is lost on a rewrite.
_FEATURE_MEMBERS = ("id", "bbox")


def _dump_feature(feature: Mapping[str, Any], ndigits: int) -> str:
    """One feature's canonical lines, between its opening and closing braces (every member kept)."""
    geom = feature.get("geometry")
    if geom is not None:
        extra = {k: v for k, v in geom.items() if k not in ("type", "coordinates")}
        geom = {"type": geom["type"], "coordinates": _round(geom["coordinates"], ndigits), **extra}
    props = normalize_properties(feature.get("properties") or {})
    if isinstance(props.get("coord_original"), list):
        props["coord_original"] = _round(props["coord_original"], ndigits)
    body = ",\n".join(f"        {_compact(k)}: {_compact(v)}" for k, v in props.items())
    head = "".join(f"      {_compact(k)}: {_compact(feature[k])},\n" for k in _FEATURE_MEMBERS if k in feature)
    known = {"type", "geometry", "properties", *_FEATURE_MEMBERS}
    tail = "".join(f",\n      {_compact(k)}: {_compact(feature[k])}" for k in sorted(feature) if k not in known)
    return (
        f'      "type": "Feature",\n{head}      "geometry": {_compact(geom)},\n'
        f'      "properties": {{\n{body}\n      }}{tail}'
    )


def _dump_head(obj: Mapping[str, Any]) -> str:
    keys = [k for k in COLLECTION_KEYS if k in obj and k != "features"]
    keys += sorted(k for k in obj if k not in COLLECTION_KEYS)
    return "{\n" + "".join(f"  {_compact(k)}: {_compact(obj[k])},\n" for k in keys) + '  "features": ['


_OPEN = "\n    {\n"
_BETWEEN = "\n    },\n    {\n"
_CLOSE = "\n    }\n  ]\n}\n"
_EMPTY = "]\n}\n"


def _join(head: str, blocks: list[str]) -> str:
    if not blocks:
        return head + _EMPTY
    return "".join([head, _OPEN, _BETWEEN.join(blocks), _CLOSE])


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
    return _join(_dump_head(obj), [_dump_feature(f, ndigits) for f in obj.get("features", [])])


def _split_blocks(data: bytes, obj: Mapping[str, Any]) -> tuple[bytes, list[bytes]] | None:
    """Cut a canonical file into its head and per-feature blocks; None if it is not canonical.

    Works on the file's bytes, so unchanged places are never decoded or re-encoded.
    """
    features = obj.get("features") or []
    head = _dump_head(obj).encode()
    if not features:
        return (head, []) if data == head + _EMPTY.encode() else None
    if not data.startswith(head + _OPEN.encode()) or not data.endswith(_CLOSE.encode()):
        return None
    blocks = data[len(head) + len(_OPEN) : -len(_CLOSE)].split(_BETWEEN.encode())
    if len(blocks) != len(features):
        return None
    ndigits = settings.coordinate_decimals
    # Spot-check that the blocks are what the serialiser writes (first, middle, last).
    for i in {0, len(blocks) // 2, len(blocks) - 1}:
        if blocks[i] != _dump_feature(features[i], ndigits).encode():
            return None
    return head, blocks


@contextlib.contextmanager
@shared_docs()
def lock(path: str | os.PathLike[str] | None = None, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the data file's lock (``<file>.lock``) for a block: what every change and its history record run under.

    The lock is :class:`filelock.FileLock` (``flock`` on Linux and macOS, ``LockFileEx`` on Windows), so
    writes work the same everywhere.

    Parameters
    ----------
    timeout : float, optional
        Seconds to wait for the lock; None waits :data:`geo.settings.lock_timeout` (``GEO_LOCK_TIMEOUT``).

    Yields
    ------
    None
        While the lock is held.

    Raises
    ------
    geo.errors.StoreError
        Another process held the lock for longer than the timeout, or the lock file cannot be opened.
    """
    with _lock(_target(_path(path)), timeout):
        yield


@contextlib.contextmanager
def _lock(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold ``<file>.lock`` exclusively; give up after :data:`geo.settings.lock_timeout` seconds, saying why.

    A symbolic link where the lock file goes (even to a missing file) is refused rather than
    followed, and orphaned temporary files of a writer killed earlier are removed once the lock is held.
    """
    from filelock import FileLock, Timeout

    lock_path = path.with_name(path.name + ".lock")
    if lock_path.is_symlink():
        msg = f"cannot lock {str(path)!r}: {str(lock_path)!r} cannot be opened (it is a symbolic link)"
        raise StoreError(msg)
    wait = _lock_timeout() if timeout is None else timeout
    held = FileLock(lock_path, timeout=wait)
    try:
        held.acquire(timeout=wait, poll_interval=0.02)
    except Timeout:
        msg = (
            f"data file {str(path)!r} is locked by another process (waited {wait:g} s); "
            "try again when it is done, or wait longer"
        )
        raise StoreError(msg) from None
    except OSError as err:
        why = "it is a symbolic link" if err.errno == errno.ELOOP else err.strerror
        msg = f"cannot lock {str(path)!r}: {str(lock_path)!r} cannot be opened ({why})"
        raise StoreError(msg) from err
    try:
        _remove_orphans(path)
        yield
    finally:
        held.release()


def _lock_timeout() -> float:
    value = settings.env("lock_timeout")  # GEO_LOCK_TIMEOUT, else settings.lock_timeout (30 s)
    try:
        seconds = float(value)  # type: ignore[arg-type]  # None (a setting cleared by hand) is refused below
    except (TypeError, ValueError):
        msg = f"GEO_LOCK_TIMEOUT must be a number of seconds, got {value!r}"
        raise StoreError(msg) from None
    if not 0 <= seconds < 86_400:
        msg = f"lock timeout must be between 0 and 86400 seconds, got {value!r}"
        raise StoreError(msg)
    return seconds


def _remove_orphans(path: Path) -> None:
    """Delete temporary files a killed writer left (they are ours by name; the lock says nobody writes now)."""
    for orphan in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if orphan.is_file() and not orphan.is_symlink():
                orphan.unlink()
                logger.info("removed %s, left by a writer that was stopped", orphan)


def _write_all(fd: int, chunks: list[bytes]) -> None:
    """Write the pieces with gathered writes (no copy of the whole file), finishing any short write."""
    step = 512  # well under IOV_MAX
    for k in range(0, len(chunks), step):
        part = chunks[k : k + step]
        done = os.writev(fd, part)
        if done < sum(map(len, part)):
            rest = memoryview(b"".join(part))[done:]
            while rest:
                rest = rest[os.write(fd, rest) :]


def _target(path: Path) -> Path:
    """Return the file a write should replace: a symbolic link is followed to its target, which gets the update."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _refuse_read_only(path: Path) -> None:
    # Checked on the mode bits, not with os.access: root may write anything, but a 0444 file means "do not".
    with contextlib.suppress(FileNotFoundError):
        if not path.stat().st_mode & 0o222:
            msg = f"data file {str(path)!r} is read-only (mode {path.stat().st_mode & 0o777:o}); make it writable first"
            raise StoreError(msg)


def _write_atomic(path: Path, content: str | bytes | list[bytes]) -> None:
    chunks = (
        [content.encode("utf-8")] if isinstance(content, str) else [content] if isinstance(content, bytes) else content
    )
    path = _target(path)
    _refuse_read_only(path)
    directory = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        msg = f"cannot write into {str(directory)!r}: {err.strerror}"
        raise StoreError(msg) from err
    try:
        with os.fdopen(fd, "wb", buffering=0) as handle:
            _write_all(handle.fileno(), chunks)
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


@shared_docs()
def save_collection(
    obj: Mapping[str, Any], path: str | os.PathLike[str] | None = None, *, overwrite: bool = False
) -> Path:
    """Validate a FeatureCollection and write it atomically.

    Parameters
    ----------
    obj : mapping
        The FeatureCollection.
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
@shared_docs()
def transaction(path: str | os.PathLike[str] | None = None) -> Iterator[dict[str, Any]]:
    """Lock the data file, yield its collection, and save it if the block succeeds.

    The collection is validated on load and again before it is written; if
    the block raises, nothing is written and the file stays byte-for-byte as
    it was. For adding, replacing or removing a few places in a large file,
    :func:`patch` is faster: it rewrites only what changed.

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
    with _lock(_target(p)):
        data = _read_bytes(p)
        obj = _load(p, data)
        yield obj
        problems = check_collection(obj)
        if problems:
            raise ValidationError(problems)
        new = dumps_collection(obj).encode("utf-8")
        if new != data:
            _write_atomic(p, new)


@dataclass
class Changes:
    """What :func:`patch` should do: places to add, to replace (by id) and to remove (by id)."""

    add: list[dict[str, Any]] = field(default_factory=list)
    replace: dict[str, dict[str, Any]] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)
    #: Where an added place goes (id -> index in the file, e.g. an undone removal); the end otherwise.
    at: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.add or self.replace or self.remove)


def patch(
    path: str | os.PathLike[str] | None,
    change: Callable[[list[dict[str, Any]]], Changes],
    *,
    state: Snapshot | None = None,
    journal: Callable[[Snapshot, Changes], Journal] | None = None,
    wait: float | None = None,
) -> Changes:
    """Apply a change to the data file under its lock, rewriting only what changed.

    The file is read and validated; ``change(features)`` decides what to add,
    replace or remove from the current places; the new and replaced places and
    the collection's ids are checked; then the file is written atomically, the
    unchanged places' lines kept as they were (so ``git diff`` shows only the change).

    Parameters
    ----------
    path : str or path-like, optional
        Defaults to :func:`geo.resources.find_data_path`.
    change : callable
        Gets the validated features (do not modify them); returns :class:`Changes`.
        Raising in it leaves the file untouched.
    state : Snapshot, optional
        A snapshot of the file (:func:`snapshot`) kept by a long-running process. When the
        file's signature still matches it, the file is not read again (so a save to a
        100,000-place file costs the write, not a reload); it is brought up to date after
        the write, with the signature taken under the lock.
    journal : callable, optional
        ``journal(snapshot, changes)`` is called under the lock once the change is checked, before the
        file is replaced; it returns a :class:`Journal` (the history's intent record), told ``done()``
        once the new file is in place, or ``abort()`` if it could not be written. This is how
        :func:`geo.history.apply_change` records every change so that the file and the history agree.
    wait : float, optional
        Seconds to wait for another process's lock (the CLI's ``--wait``); default
        :data:`geo.settings.lock_timeout` (``GEO_LOCK_TIMEOUT``).

    Returns
    -------
    Changes
        What was applied: empty when nothing would change (every replaced place already as asked),
        in which case nothing is written or recorded.

    Raises
    ------
    geo.errors.ValidationError
        The file, or a new or replaced place, breaks the model, or an id to
        replace or remove does not exist; nothing is written.
    geo.errors.StoreError
        The file cannot be read, locked or written; it is unchanged.
    """
    p = _path(path)
    with _lock(_target(p), wait), _gc_paused():
        if state is not None and state.signature is not None and state.signature == file_signature(p):
            current = state
        else:
            current = snapshot(p)
            if state is not None:
                state.__dict__.update(current.__dict__)
        changes = change(list(current.features.values()))
        if not changes:
            return changes
        blocks, order, problems = _changed_blocks(current, changes)
        if problems:
            raise ValidationError(problems)
        if blocks == current.blocks and order == list(current.features):
            return Changes()  # every replaced place is already as asked: nothing to write or record
        _write_journaled(p, _chunks(current.head, blocks), journal(current, changes) if journal else None)
        current.apply(file_signature(p), changes, blocks, order)
        if state is not None and state is not current:
            state.__dict__.update(current.__dict__)
        logger.info("patched %s: +%d ~%d -%d", p, len(changes.add), len(changes.replace), len(changes.remove))
        return changes


class Journal(Protocol):
    """What :func:`patch` tells the record of a change: the file was replaced, or it was not."""

    def done(self) -> None:
        """Mark the change complete: the new file is in place."""

    def abort(self) -> None:
        """Take the record back: the file was not replaced."""


def _write_journaled(p: Path, chunks: list[bytes], journal: Journal | None) -> None:
    """Replace the file; then complete the journal's record, or take it back if the file was not replaced."""
    if journal is None:
        _write_atomic(p, chunks)
        return
    before = file_signature(p)
    try:
        _write_atomic(p, chunks)
    except BaseException:
        if file_signature(p) == before:  # not replaced (an interruption after the rename still counts as done)
            journal.abort()
            raise
        journal.done()
        raise
    journal.done()


def _chunks(head: bytes, blocks: list[bytes]) -> list[bytes]:
    """Return the file as a list of pieces (written one after another, never joined into one copy)."""
    if not blocks:
        return [head, _EMPTY.encode()]
    between = _BETWEEN.encode()
    out = [between] * (2 * len(blocks) - 1)
    out[::2] = blocks
    return [head, _OPEN.encode(), *out, _CLOSE.encode()]


def _changed_blocks(current: Snapshot, changes: Changes) -> tuple[list[bytes], list[str], list[Problem]]:
    """Return the file's new blocks, the new id order and every problem; touches only the changed places."""
    ndigits = settings.coordinate_decimals
    index = current.index()
    problems: list[Problem] = [
        Problem("id", "id", f"no place has id {i!r}", "missing")
        for i in sorted((set(changes.replace) | changes.remove) - index.keys())
    ]
    malformed = [
        prefixed(label, p)
        for label, new in [*changes.replace.items(), *(("new place", f) for f in changes.add)]
        for p in check_feature(new)
    ]
    if malformed:  # checked first: a malformed place is reported, never indexed into
        return [], [], problems + malformed
    blocks = list(current.blocks)
    order = list(current.features)
    for ident, new in changes.replace.items():
        if ident in index:
            blocks[index[ident]] = _dump_feature(new, ndigits).encode("utf-8")
            order[index[ident]] = new["properties"]["id"]  # `add --update` may replace a place under a new id
    if changes.remove:
        gone = sorted((index[i] for i in changes.remove if i in index), reverse=True)
        for k in gone:
            del blocks[k]
            del order[k]
    renamed = any(new["properties"]["id"] != ident for ident, new in changes.replace.items())
    taken = set(order) if changes.add or renamed else set()
    if renamed and len(taken) != len(order):
        problems.append(Problem("ids", "id", "a replaced place took an id another place has", "duplicate"))
    for new in changes.add:
        ident = new["properties"]["id"]
        if ident in taken:
            problems.append(Problem(ident, "id", "id is not unique", "duplicate"))
        taken.add(ident)
        where = min(changes.at.get(ident, len(order)), len(order))
        blocks.insert(where, _dump_feature(new, ndigits).encode("utf-8"))
        order.insert(where, ident)
    return blocks, order, problems


@shared_docs()
def version_of(feature: Mapping[str, Any]) -> str:
    """Return a place's version: a hash of its canonical text, so any change to it changes the version.

    Returns
    -------
    str
        16 hexadecimal digits.
    """
    return _block_version(_dump_feature(feature, settings.coordinate_decimals).encode("utf-8"))


def _block_version(block: bytes) -> str:
    return hashlib.sha256(block).hexdigest()[:16]


@shared_docs()
def file_signature(path: str | os.PathLike[str] | None = None) -> tuple[int, int, int] | None:
    """Return the data file's signature, cheap to poll.

    Returns
    -------
    tuple of int or None
        ``(mtime_ns, size, inode)``, or None when the file cannot be seen.
    """
    try:
        info = _path(path).stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


@dataclass
class Snapshot:
    """The data file at one moment: its places by id, in file order, with their canonical blocks.

    A long-running process (``geo serve``) keeps one and passes it to :func:`patch`, which
    then reads nothing and brings it up to date by touching only the changed places.
    """

    signature: tuple[int, int, int] | None
    features: dict[str, dict[str, Any]]
    head: bytes = b""
    blocks: list[bytes] = field(default_factory=list)
    _versions: dict[str, str] | None = None
    _index: dict[str, int] | None = None

    @property
    def versions(self) -> dict[str, str]:
        """Every place's version (:func:`version_of`), computed once from the blocks."""
        if self._versions is None:
            self._versions = {i: _block_version(b) for i, b in zip(self.features, self.blocks, strict=True)}
        return self._versions

    def version_at(self, position: int) -> str:
        """Return the version of the place at a position in the file (without hashing the others).

        Parameters
        ----------
        position : int
            The place's index in the file's features.

        Returns
        -------
        str
            The place's version.
        """
        return _block_version(self.blocks[position])

    def members(self) -> dict[str, Any]:
        """Return the collection's members other than ``features`` (``metadata``, ...), read from the head.

        Returns
        -------
        dict
            The members; empty when the head cannot be read as JSON.
        """
        import orjson

        try:
            head = orjson.loads(self.head + b"]}")
        except orjson.JSONDecodeError:
            return {}
        return {k: v for k, v in head.items() if k != "features"} if isinstance(head, dict) else {}

    def index(self) -> dict[str, int]:
        """Return each place's position in the file.

        Returns
        -------
        dict of str to int
            Place id to index, built once and kept.
        """
        if self._index is None:
            self._index = {ident: k for k, ident in enumerate(self.features)}
        return self._index

    def apply(self, signature: Any, changes: Changes, blocks: list[bytes], order: list[str]) -> None:
        """Take the state :func:`patch` just wrote (``blocks`` in ``order``).

        Parameters
        ----------
        signature : Any
            The file's signature after the write.
        changes : Changes
            The places removed, replaced and added.
        blocks : list of bytes
            The canonical block of each place, in file order.
        order : list of str
            The place ids in file order.
        """
        self.signature, self.blocks = signature, blocks
        versions = self._versions
        for ident in changes.remove:
            self.features.pop(ident, None)
            if versions is not None:
                versions.pop(ident, None)
        renamed = False
        for ident, new in changes.replace.items():
            self.features[ident] = dict(new)
            renamed = renamed or new["properties"]["id"] != ident
        for new in changes.add:
            self.features[new["properties"]["id"]] = dict(new)
        if changes.at or renamed:
            # An insertion in the middle (an undone removal) or a new id: rebuild in file order.
            if renamed:
                self.features = {f["properties"]["id"]: f for f in self.features.values()}
                versions = self._versions = None  # recomputed from the blocks when next asked for
            self.features = {ident: self.features[ident] for ident in order}
        if changes.remove or changes.add or renamed:
            self._index = None
        if versions is not None:
            index = self.index()
            for ident in [*changes.replace, *(f["properties"]["id"] for f in changes.add)]:
                versions[ident] = _block_version(blocks[index[ident]])
            self._versions = {ident: versions[ident] for ident in order} if changes.at else versions


@shared_docs()
def snapshot(path: str | os.PathLike[str] | None = None) -> Snapshot:
    """Load the data file with each place's canonical block (no re-encoding of a canonical file).

    Returns
    -------
    Snapshot

    Raises
    ------
    geo.errors.StoreError, geo.errors.ValidationError
        As :func:`load_collection`.
    """
    p = _path(path)
    signature = file_signature(p)
    data = _read_bytes(p)
    with _gc_paused():
        obj = _load(p, data)
    features = obj["features"]
    split = _split_blocks(data, obj)
    ndigits = settings.coordinate_decimals
    head, blocks = (
        split
        if split is not None
        else (_dump_head(obj).encode(), [_dump_feature(f, ndigits).encode("utf-8") for f in features])
    )
    by_id = {f["properties"]["id"]: f for f in features}
    return Snapshot(signature, by_id, head, blocks)


#: The short README ``geo init`` writes beside the data (Chinese first, then English).
WORKDIR_README = """\
# 南关区公园与项目地图 工作文件夹 / Nanguan parks atlas: a working folder

`data/locations.geojson` 是报道中提到的全部地点（WGS-84，RFC 7946）。在本文件夹（或其子文件夹）中运行
`geo` 命令时会自动使用它。

`data/locations.geojson` holds every place the report names (WGS-84, RFC 7946). `geo` commands run in
this folder (or below it) use it.

    geo validate          # 检查数据 / check the data
    geo build --offline   # 生成地图 site/index.html / write the map
    geo summary           # 公园面积与可达性 / park area and access
    geo serve             # 在浏览器中编辑 / edit in a browser (pip install "nanguan-geo[serve]")
"""


def init_folder(folder: str | os.PathLike[str] = ".") -> list[Path]:
    """Make a working folder: the report's data as ``data/locations.geojson`` and a short README.

    Parameters
    ----------
    folder : str or path-like
        Created if missing.

    Returns
    -------
    list of pathlib.Path
        The files written (the README only when the folder had none).

    Raises
    ------
    geo.errors.StoreError
        When the folder already has a data file (nothing is written) or cannot be written.
    """
    from geo.resources import DATA_NAME, report_data

    root = Path(folder)
    target = root / DATA_NAME
    if target.exists() or target.is_symlink():
        msg = f"{str(target)!r} exists already; nothing written (remove it first to start again from the report)"
        raise StoreError(msg)
    source = report_data()
    data = _read_bytes(source)
    _load(source, data)  # the shipped copy is checked like any data file before it is copied
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        msg = f"cannot make the folder {str(target.parent)!r}: {err.strerror}"
        raise StoreError(msg) from err
    _write_atomic(target, data)
    written = [target]
    readme = root / "README.md"
    if not readme.exists():
        _write_atomic(readme, WORKDIR_README)
        written.append(readme)
    logger.info("copied the report's data %s to %s", source, target)
    return written
