"""Encode places as the page's compact columnar payload, and pack it for the page.

:func:`encode_payload` turns a places frame into columns: a shared string table with each text
column as indices into it, numbers, point coordinates quantised to 1e-6° and delta-encoded, and
every outline's rings encoded over all of them at once (shapely 2's flat arrays, numpy slices, never
a number per vertex). Mapped areas are :func:`geo.coords.geodesic_areas`, the package's one area
function, so the page and the summaries show the same figures. :func:`pack_payload` writes it as
raw DEFLATE in base64, which ``static/atlas.js`` inflates before drawing; search keys are pypinyin's
reading of each name, made once per distinct run of characters.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import pandas as pd
import shapely

from geo.coords import geodesic_areas, ring_arrays
from geo.errors import ValidationError
from geo.model import CATEGORIES

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["encode_payload", "pack_payload", "unpack_payload"]


_STRING_COLUMNS = (
    "id",
    "name",
    "name_en",
    "aliases",
    "park_class",
    "status",
    "address",
    "quote",
    "quote_source",
    "location_source",
    "precision",
    "outline",
    "notes",
    "figures",
    "figure_sources",
    "sources",
    "stated_area_source",
    "status_source",
    "pinyin",
)
_NUMBER_COLUMNS = ("stated_area_m2", "uncertainty_m", "mapped_area_m2")
_SCALE = 1_000_000  # coordinates are quantised to 1e-6 degree (about 0.1 m)
#: Outlines whose rings :func:`encode_payload` gathers at a time (the same payload for any run length).
OUTLINE_RUN = 100_000


def _quantise(coords: Any) -> Any:
    """Delta-encoded 1e-6° integers, as a numpy array (orjson writes it without a Python int per value)."""
    return np.diff(np.rint(np.asarray(coords, dtype=float) * _SCALE).astype(np.int64), prepend=0)


def _encode_polygons(indices: Any, arrays: dict[str, Any]) -> list[Any]:
    """``[[index, [[ring [lon deltas, lat deltas]] per polygon]] per geometry]`` from :func:`geo.coords.ring_arrays`.

    Quantised and delta-encoded over every vertex at once (each ring starts from its absolute value), one
    axis at a time into 32-bit integers (1e-6° of ±180° fits); the nesting is then made of numpy slices,
    one per ring, never a number per vertex. The coordinates are taken out of ``arrays`` (its ``xy`` is
    gone afterwards): the caller's last use of them, so they are freed before the nesting is made. The
    nesting's lists hold no cycle: the garbage collector is paused while they are made (at 100,000
    outlines its passes over the frame's objects were two thirds of this function's time).
    """
    from geo.store import _gc_paused

    xy = arrays.pop("xy")
    starts = arrays["offsets"][:-1]
    dx, dy = _ring_deltas(xy[:, 0], starts), _ring_deltas(xy[:, 1], starts)
    del xy
    with _gc_paused():
        return _nest_rings(indices, arrays, dx, dy)


def _nest_rings(indices: Any, arrays: dict[str, Any], dx: Any, dy: Any) -> list[Any]:
    """Return the nesting of :func:`_encode_polygons`: a ``[lon deltas, lat deltas]`` pair of slices per ring."""
    # Plain slices (np.split swaps axes for every piece: four times the cost at 100,000 rings).
    rings = [[dx[s:e], dy[s:e]] for s, e in itertools.pairwise(arrays["offsets"].tolist())]
    parts, per_part = arrays["parts"], arrays["rings"]
    if bool((parts == 1).all()) and bool((per_part == 1).all()):  # the common outline: one ring, no hole
        return [[index, [[ring]]] for index, ring in zip(indices.tolist(), rings, strict=True)]
    rings_iter, part_iter = iter(rings), iter(per_part.tolist())
    out = []
    for index, n_parts in zip(indices.tolist(), parts.tolist(), strict=True):
        polys = [[next(rings_iter) for _ in range(next(part_iter))] for _ in range(n_parts)]
        out.append([index, polys])
    return out


def _ring_deltas(values: Any, starts: Any) -> Any:
    """One axis of every ring in 1e-6° as int32: each vertex less the one before it, a ring's first as it is."""
    scaled = np.multiply(values, _SCALE)
    np.rint(scaled, out=scaled)
    q = scaled.astype(np.int32)
    del scaled
    deltas = np.empty_like(q)
    if len(q):
        deltas[0] = q[0]
        np.subtract(q[1:], q[:-1], out=deltas[1:])
        deltas[starts] = q[starts]
    return deltas


def encode_payload(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Encode places as the page's compact columnar payload.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places in EPSG:4326 with the model's columns.

    Returns
    -------
    dict
        ``n``, ``categories``, ``category`` (index per place), ``kind`` (0 none,
        1 point, 2 polygon), ``strings`` (shared table), ``columns`` (string
        indices per text column, -1 for null), ``numbers``, ``points``
        (delta-encoded 1e-6° integers) and ``polygons``.

    Notes
    -----
    Coordinates are WGS-84; the page shifts them for a GCJ-02 basemap.
    """
    n = len(gdf)
    strings, columns = _string_columns(gdf)
    numbers: dict[str, Any] = {}
    for col in ("stated_area_m2", "uncertainty_m"):
        numbers[col] = _numbers(gdf[col] if col in gdf.columns else None, n)
    category = pd.Index(CATEGORIES).get_indexer(gdf["category"].to_numpy(dtype=object))
    if (category < 0).any():
        unknown = gdf["category"].to_numpy(dtype=object)[category < 0][0]
        msg = f"category must be one of {', '.join(CATEGORIES)}, got {unknown!r}"
        raise ValidationError(msg)

    geoms = gdf.geometry.to_numpy()
    types = shapely.get_type_id(geoms)  # -1 missing, 0 point, 3 polygon, 6 multipolygon
    polygonal = np.flatnonzero((types == 3) | (types == 6))
    areas = np.full(n, np.nan)
    polygons: list[Any] = []
    # A run of outlines at a time: their rings' float coordinates are gathered once, for the areas and the
    # outlines, and freed before the next run's (a million outlines' would be a gigabyte at once).
    for start in range(0, len(polygonal), OUTLINE_RUN):
        run = polygonal[start : start + OUTLINE_RUN]
        arrays = ring_arrays(geoms[run])
        areas[run] = np.round(geodesic_areas(geoms[run], rings=arrays), 1)  # m², shown to 0.1 m²
        # Each ring as [lon deltas, lat deltas]: small numbers, since neighbours are close.
        polygons += _encode_polygons(run, arrays)
        del arrays
    numbers["mapped_area_m2"] = _numbers(areas, n)
    kind = np.where(types == 0, 1, np.where((types == 3) | (types == 6), 2, 0))
    pts = geoms[types == 0]
    xy = shapely.get_coordinates(pts) if len(pts) else np.empty((0, 2))
    return {
        "n": n,
        "categories": list(CATEGORIES),
        "category": category.tolist(),
        "kind": kind.astype(int).tolist(),
        "strings": strings,
        "columns": columns,
        "numbers": numbers,
        "points": {"x": _quantise(xy[:, 0]), "y": _quantise(xy[:, 1])},
        "polygons": polygons,
    }


def _numbers(values: Any, n: int) -> Any:
    """Return a number column as the payload keeps it: float64, NaN for a missing number (NaN or null).

    A numpy array, not a list of Python floats (a million places would be a million float objects); its
    JSON is the same, NaN written as ``null`` (orjson).
    """
    if values is None:
        return np.full(n, np.nan)
    if getattr(values, "dtype", None) is not None and np.issubdtype(values.dtype, np.number):
        return np.array(values, dtype=float)
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)


def _string_columns(gdf: gpd.GeoDataFrame) -> tuple[list[str], dict[str, Any]]:
    """Return the payload's shared string table and, per text column, each place's index in it (-1: null).

    Built a column at a time: each column is factorised alone (so a million places never make one column
    of 20 million cells), then the distinct texts of all columns, one after the other, are factorised once
    more: the table lists each text once, in the order the columns first use it, with no Python loop over
    the texts.
    """
    codes_of: list[Any] = []
    distinct: list[Any] = []
    for col in _STRING_COLUMNS:
        codes, uniques = pd.factorize(_text_column(gdf, col), use_na_sentinel=True)
        codes_of.append(codes.astype(np.int32))
        distinct.append(np.asarray(uniques, dtype=object))
    where, table = pd.factorize(np.concatenate(distinct) if distinct else np.empty(0, dtype=object))
    texts = table.tolist()
    strings = texts if set(map(type, texts)) <= {str} else [str(t) for t in texts]
    columns: dict[str, Any] = {}
    start = 0
    for col, codes, uniques in zip(_STRING_COLUMNS, codes_of, distinct, strict=True):
        remap = np.empty(len(uniques) + 1, dtype=np.int32)
        remap[:-1] = where[start : start + len(uniques)]
        remap[-1] = -1  # code -1: null
        start += len(uniques)
        columns[col] = remap[codes]  # numpy, not lists: a million places would be 19 million Python ints
    return strings, columns


def _text_column(gdf: gpd.GeoDataFrame, col: str) -> Any:
    """Return one text column of the payload as an object array (lists and figures made one text each)."""
    if col == "pinyin":
        return _pinyin_keys(gdf).to_numpy(dtype=object)
    if col not in gdf.columns:
        return np.full(len(gdf), None, dtype=object)
    values = gdf[col].astype(object)
    if col in ("aliases", "figures", "figure_sources", "sources") and values.notna().any():
        values = values.map(partial(_text_of, sep="; " if col == "sources" else "、"), na_action="ignore")
    return values.to_numpy(dtype=object)


#: zlib level of the packed payload: 4 costs half of level 6's time for 4 % more bytes.
_DEFLATE_LEVEL = 4


def pack_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Pack the payload for the page: its JSON, raw-DEFLATE compressed (RFC 1951), in base64.

    About a quarter of the JSON's bytes (and gzip, where a server adds it, still takes a third off);
    ``static/atlas.js`` (``readPayload``) inflates it synchronously before drawing.

    Parameters
    ----------
    payload : mapping
        From :func:`encode_payload`.

    Returns
    -------
    dict
        ``{"deflate": base64 text, "size": bytes of the JSON}``.
    """
    packer = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15)
    packed, size = [], 0
    for piece in _json_pieces(payload):  # at a million outlines the JSON is hundreds of megabytes: never whole
        size += len(piece)
        packed.append(packer.compress(piece))
    packed.append(packer.flush())
    return {"deflate": base64.b64encode(b"".join(packed)).decode("ascii"), "size": size}


#: Outlines of the payload's ``polygons`` written into its JSON at a time by :func:`pack_payload`.
JSON_OUTLINES = 50_000


def _json_pieces(payload: Mapping[str, Any]) -> Iterator[bytes]:
    """Yield ``orjson.dumps(payload)`` in pieces, the same bytes: a member (and a column) at a time.

    Never the whole JSON at once: at a million places it is a few hundred megabytes. The ``polygons``
    list goes :data:`JSON_OUTLINES` outlines at a time; the ``columns``, ``numbers`` and ``points``
    members a column at a time.
    """
    option = orjson.OPT_SERIALIZE_NUMPY
    if type(payload) is not dict:
        yield orjson.dumps(payload, option=option)
        return
    for k, (key, value) in enumerate(payload.items()):
        yield (b"," if k else b"{") + orjson.dumps(key) + b":"
        if key == "polygons" and isinstance(value, list) and len(value) > JSON_OUTLINES:
            for start in range(0, len(value), JSON_OUTLINES):
                yield (b"," if start else b"[") + orjson.dumps(value[start : start + JSON_OUTLINES], option=option)[
                    1:-1
                ]
            yield b"]"
        elif type(value) is dict and value:
            for j, (name, column) in enumerate(value.items()):
                yield (b"," if j else b"{") + orjson.dumps(name) + b":" + orjson.dumps(column, option=option)
            yield b"}"
        else:
            yield orjson.dumps(value, option=option)
    yield b"}" if payload else b"{}"


def unpack_payload(packed: Mapping[str, Any]) -> dict[str, Any]:
    """Return the payload :func:`pack_payload` packed (a plain payload is returned as it is).

    Parameters
    ----------
    packed : mapping
        ``{"deflate": ..., "size": ...}`` from :func:`pack_payload`, or a plain payload.

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        When the unpacked JSON is not as long as ``size`` says.
    """
    if "deflate" not in packed:
        return dict(packed)
    data = zlib.decompress(base64.b64decode(packed["deflate"]), -15)
    if len(data) != packed["size"]:
        msg = f"payload: {len(data)} bytes unpacked, {packed['size']} expected"
        raise ValueError(msg)
    result: dict[str, Any] = orjson.loads(data)
    return result


def _pinyin_keys(gdf: gpd.GeoDataFrame) -> Any:
    """Pinyin of each place's names for the page's search: ``"wanxiangcheng|wxc|..."`` (no tones, no spaces).

    Made at build time with pypinyin, so the page searches ``wanxiangcheng`` or ``wan xiang cheng`` without
    carrying a dictionary. The whole column of names is cut into its runs of Chinese characters at once
    (:func:`_skeletons`); each distinct sequence of runs is read once, and pypinyin runs once per distinct
    word (:func:`_pinyin`), so the cost follows the distinct names' characters, not the number of names.
    """
    names = gdf["name"].tolist()
    codes, distinct = pd.factorize(np.asarray(_skeletons(names), dtype=object))
    read = np.empty(len(distinct), dtype=object)
    read[:] = [_skeleton_pinyin(s) or None for s in distinct.tolist()]
    keys: list[str | None] = read[codes].tolist()
    aliases = gdf["aliases"].tolist() if "aliases" in gdf.columns else []
    for i in [k for k, a in enumerate(aliases) if isinstance(a, list) and a]:
        texts = [v for v in [names[i], *aliases[i]] if isinstance(v, str) and v]
        keys[i] = "|".join(k for k in map(_pinyin, texts) if k) or None
    return pd.Series(keys, dtype=object)


def _skeletons(names: list[Any]) -> list[str]:
    """Each name reduced to its runs of Chinese characters, ``"\\x01"`` between them: one pattern over the column."""
    texts = [n if isinstance(n, str) else "" for n in names]
    joined = "\x00".join(texts)
    if joined.count("\x00") != max(len(texts) - 1, 0):  # a name holding NUL (never a valid one): one by one
        return ["\x01".join(_hans_runs().findall(t)) for t in texts]
    return _not_hans().sub("\x01", joined).split("\x00") if texts else []


@functools.lru_cache(maxsize=262_144)
def _skeleton_pinyin(skeleton: str) -> str:
    """:func:`_pinyin` of a name given as its runs of Chinese characters (:func:`_skeletons`)."""
    parts = [_run_pinyin(run) for run in skeleton.split("\x01") if run]
    full = "".join(p[0] for p in parts)
    return f"{full}|{''.join(p[1] for p in parts)}" if full else ""


def _pinyin(text: str) -> str:
    """``"full|initials"`` of one name (``""`` when it has no Chinese), the same as pypinyin's for the whole name.

    pypinyin splits a name into runs of Chinese characters, cuts each run into its dictionary's words
    (a phrase such as 重庆 is read as a whole) and ignores the rest; this does the same with one compiled
    pattern, cuts each distinct run once and asks pypinyin once per distinct word, so the cost grows with
    the distinct characters and phrases of the data, not with the number of names.
    """
    parts = [_run_pinyin(run) for run in _hans_runs().findall(text)]
    full = "".join(p[0] for p in parts)
    return f"{full}|{''.join(p[1] for p in parts)}" if full else ""


@functools.cache
def _pypinyin() -> Any:
    """pypinyin, imported when a search key is first made (its phrase dictionary is most of a second).

    ``geo --help``, ``geo build --help`` and every command that imports the page's modules without
    building a page do not pay for it.
    """
    import pypinyin
    import pypinyin.constants
    import pypinyin.seg.mmseg

    return pypinyin, pypinyin.constants.RE_HANS, pypinyin.seg.mmseg.seg


@functools.lru_cache(maxsize=262_144)
def _run_pinyin(run: str) -> tuple[str, str]:
    words = [_word_pinyin(word) for word in _pypinyin()[2].cut(run)]
    return "".join(w[0] for w in words), "".join(w[1] for w in words)


@functools.lru_cache(maxsize=65_536)
def _word_pinyin(word: str) -> tuple[str, str]:
    pypinyin = _pypinyin()[0]
    full = "".join(pypinyin.lazy_pinyin(word, errors="ignore")).lower()
    initials = pypinyin.lazy_pinyin(word, style=pypinyin.Style.FIRST_LETTER, errors="ignore")
    return full, "".join(initials).lower()


@functools.cache
def _hans_runs() -> re.Pattern[str]:
    """Match runs of the characters pypinyin reads as Chinese (its own ``RE_HANS``, unanchored)."""
    pattern = _pypinyin()[1].pattern
    if not (pattern.startswith("^(?:[") and pattern.endswith("])+$")):  # pragma: no cover - a new pypinyin
        msg = f"pypinyin's RE_HANS has an unexpected form: {pattern[:20]!r}"
        raise RuntimeError(msg)
    return re.compile(pattern[1:-1])


@functools.cache
def _not_hans() -> re.Pattern[str]:
    """Match runs of characters that are neither Chinese (pypinyin's ``RE_HANS``) nor NUL."""
    _hans_runs()  # checks the pattern's form
    return re.compile("[^" + _pypinyin()[1].pattern[len("^(?:[") : -len("])+$")] + "\\x00]+")


def _text_of(value: Any, sep: str = "、") -> Any:
    """Turn lists (aliases, sources) and objects (figures) into one text each for the page."""
    if isinstance(value, list):
        return sep.join(str(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False)
    return value
