"""Write the places in the formats other tools open: GeoJSON, CSV, KML, GeoPackage and GeoParquet.

:func:`export_places` writes one format to a file or a text stream (``geo export``);
:func:`write_downloads` writes the page's downloads next to it (``geo build``). Every format carries
the same fields, the unlocated places included (an empty geometry, never a made-up one):

- GeoJSON: the places as the data file holds them (RFC 7946, lists stay lists);
- CSV: one row per place, ``lon``/``lat`` columns (a polygon's representative point, with its
  outline as ``geometry_wkt``), UTF-8 with a byte-order mark so that Excel reads the Chinese text,
  numbers as numbers and text cells a spreadsheet would run as formulas neutralised;
- KML (Google Earth), GeoPackage (QGIS, ArcGIS) via pyogrio/GDAL, and GeoParquet via pyarrow
  (the ``dask`` extra), lists written as ``"a; b"`` text and objects as JSON text.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from geo.errors import StoreError, ValidationError
from geo.store import may_fork

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DOWNLOAD_FORMATS",
    "FORMATS",
    "TEXT_FORMATS",
    "WRITTEN_HERE",
    "PendingDownloads",
    "export_places",
    "flat_frame",
    "start_downloads",
    "write_downloads",
]

#: Format name -> file suffix.
FORMATS: dict[str, str] = {"geojson": ".geojson", "csv": ".csv", "kml": ".kml", "gpkg": ".gpkg", "parquet": ".parquet"}
#: Formats that can go to standard output (``--out -``).
TEXT_FORMATS: tuple[str, ...] = ("geojson", "csv", "kml")
#: What ``geo build`` writes next to the page.
DOWNLOAD_FORMATS: tuple[str, ...] = ("geojson", "csv", "kml", "gpkg")
#: The downloads' file name (without suffix) inside ``downloads/``.
DOWNLOAD_STEM = "nanguan-places"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SEPARATOR = "; "


def _cell(value: Any) -> Any:
    """Return a list as ``"a; b"``, an object as JSON text, NaN as empty; numbers and text as they are."""
    if isinstance(value, list | tuple):
        return _SEPARATOR.join(str(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, float) and value != value:
        return None
    return value


#: The mark :func:`flat_frame` leaves on a frame it made (``DataFrame.attrs``): flattening it again is a no-op.
_FLAT = "geo.export.flat"
#: Cell types :func:`flat_frame` leaves as they are (a float is looked at for NaN).
_PLAIN_CELLS = frozenset({str, int, type(None)})


def flat_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the places with every cell a number, a text or empty (for CSV, KML, GeoPackage, GeoParquet).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places in EPSG:4326 (:func:`geo.store.places_to_frame`).

    Returns
    -------
    geopandas.GeoDataFrame
        The same rows and columns; lists joined with ``"; "``, objects as JSON text.
    """
    import pandas as pd

    if gdf.attrs.get(_FLAT) is True:  # made by this function: every cell is already plain
        return gdf
    out = gdf.copy(deep=False)
    out.attrs[_FLAT] = True
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == object:
            values = out[col].tolist()
            # The kinds of cell a column holds, in one pass at C speed: most columns need no change at all.
            if set(map(type, values)) <= _PLAIN_CELLS:
                continue
            out[col] = pd.Series([_cell(v) for v in values], index=out.index, dtype=object)
    return out


#: A text a spreadsheet would run as a formula begins with one of these; one search per column finds them
#: (each cell preceded by ``\x00``: a literal the search skips to).
_FORMULA = re.compile("\x00[=+\\-@\t\r]")
#: Rows encoded at a time: the text of one chunk is written before the next is made.
_CHUNK = 20_000
#: Rows handed to GDAL at a time (a GeoPackage is appended to run by run).
_GDAL_ROWS = 200_000


def _neutralised(values: list[Any]) -> list[str]:
    """Return a text column's cells as CSV text, each text that starts like a formula prefixed with ``'``.

    Only texts are neutralised: a number in a column of mixed cells (``-5``) is written as it is.
    """
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:
        texts = _texts(values)
        if not _FORMULA.search("\x00" + "\x00".join(texts)):
            return texts
        return ["'" + v if v.startswith(_FORMULA_START) else v for v in texts]
    return _texts([("'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v) for v in values])


_TYPE_NAMES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)


def _numbers(values: Any) -> list[str]:
    """Return each number of a 1-D array as Python's ``repr`` writes it (``""`` for NaN), formatted by one orjson call.

    orjson writes the same shortest round-trip digits as ``repr``; only its spelling of exponents differs
    (``0.00001`` for ``1e-05``), so the few cells below 1e-4 or from 1e16 up are written by ``repr`` itself.
    """
    import numpy as np
    import orjson

    array = np.ascontiguousarray(values)
    if array.dtype.kind == "b":
        return np.where(array, "True", "False").tolist()
    if array.dtype.kind not in "iuf" or len(array) == 0:
        return [_text_cell(v) for v in array.tolist()]
    body = orjson.dumps(
        array.astype(np.float64 if array.dtype.kind == "f" else np.int64), option=orjson.OPT_SERIALIZE_NUMPY
    )
    out = body[1:-1].decode("ascii").split(",")
    if array.dtype.kind == "f":
        size = np.abs(array)
        odd = ~np.isfinite(array) | ((size < 1e-4) & (size > 0)) | (size >= 1e16)
        for i in np.flatnonzero(odd).tolist():
            out[i] = _text_cell(float(array[i]))
    return out


def _text_cell(value: Any) -> str:
    """Return one cell as text, as the csv module writes it: ``""`` for None and NaN, floats by ``repr``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if type(value) is str:
        return value
    return repr(value) if isinstance(value, float) else str(value)


def _texts(values: list[Any]) -> list[str]:
    """Return an object column's cells as text (one pass at C speed when the column is text and empty cells)."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return values
    if kinds == {type(None)}:
        return [""] * len(values)
    if kinds <= {str, type(None)}:
        return ["" if v is None else v for v in values]
    return [_text_cell(v) for v in values]


def _column_texts(column: Any) -> list[str]:
    """Return a column's cells as text: numbers through :func:`_numbers`, the rest through :func:`_texts`."""
    if column.dtype.kind in "biuf":
        return _numbers(column.to_numpy())
    return _texts(column.tolist())


#: A CSV cell with one of these is quoted (the csv module's minimal quoting with ``\r\n`` line ends).
_NEEDS_QUOTES = re.compile('[,"\r\n]')


def _csv_quoted(cells: list[str]) -> list[str]:
    """Return a column's text cells quoted where the csv module would quote them (one scan when none needs it)."""
    whole = "\x00".join(cells)
    if not any(c in whole for c in ',"\r\n'):
        return cells
    search = _NEEDS_QUOTES.search
    return ['"' + v.replace('"', '""') + '"' if search(v) else v for v in cells]


def _round7(values: Any) -> Any:
    """Return coordinates rounded to 7 decimals as Python's ``round`` rounds them (correctly, from the exact value).

    ``np.round`` scales by 1e7 first, which can tip a value within a hair of a half the other way
    (``32.30550705``); those few are rounded again by ``round``.
    """
    import numpy as np

    with np.errstate(invalid="ignore"):
        out = np.round(values, 7)
        scaled = np.asarray(values, dtype=np.float64) * 1e7
        near = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-4
    for i in np.flatnonzero(near).tolist():
        out[i] = round(float(values[i]), 7)
    return out


def _csv_columns(flat: gpd.GeoDataFrame) -> tuple[list[str], list[list[str]]]:
    """Return the CSV's header and cells as text: the fields, ``lon``/``lat``, the geometry's type and WKT.

    ``lon``/``lat`` are a polygon's representative point.
    """
    import numpy as np
    import shapely

    geoms = flat.geometry.to_numpy()
    names = [c for c in flat.columns if c != flat.geometry.name]
    columns = [
        _csv_quoted(_neutralised(flat[c].tolist()) if flat[c].dtype == object else _column_texts(flat[c]))
        for c in names
    ]
    types = shapely.get_type_id(geoms)
    located = (types >= 0) & ~shapely.is_empty(geoms)
    points = geoms.copy()
    points[~located] = None  # GEOS has no x for an empty point
    shaped = located & (types != 0)
    points[shaped] = shapely.point_on_surface(geoms[shaped])
    columns.append(_numbers(np.where(located, _round7(shapely.get_x(points)), np.nan)))
    columns.append(_numbers(np.where(located, _round7(shapely.get_y(points)), np.nan)))
    kinds = np.array(["", *_TYPE_NAMES], dtype=object)
    columns.append(kinds[np.where(located, types + 1, 0)].tolist())
    wkt = np.full(len(geoms), "", dtype=object)
    wkt[shaped] = shapely.to_wkt(geoms[shaped], rounding_precision=7)
    # WKT holds no quote or line break: a cell with a comma is quoted, as the csv module quotes it.
    columns.append([f'"{w}"' if "," in w else w for w in wkt.tolist()])
    return [*names, "lon", "lat", "geometry_type", "geometry_wkt"], columns


def _csv_chunks(gdf: gpd.GeoDataFrame) -> Iterator[str]:
    """Yield the CSV a run of rows at a time: each column made text and quoted at once, rows joined in C."""
    buf = io.StringIO()
    flat = flat_frame(gdf)
    header = [c for c in flat.columns if c != flat.geometry.name] + ["lon", "lat", "geometry_type", "geometry_wkt"]
    csv.writer(buf, lineterminator="\r\n").writerow(header)
    yield buf.getvalue()
    for start in range(0, len(flat), _CHUNK):
        _, columns = _csv_columns(flat.iloc[start : start + _CHUNK])
        yield "\r\n".join(map(",".join, zip(*columns, strict=True))) + "\r\n"


def _csv_text(gdf: gpd.GeoDataFrame) -> str:
    return "".join(_csv_chunks(gdf))


def _runs(coords: Any, offsets: Any, *, kml: bool) -> list[str]:
    """Return the text of each run of vertices (a ring, or a point) of an ``(n, 2)`` array, cut at ``offsets``.

    KML's runs are ``x,y x,y``, GeoJSON's ``[x,y],[x,y]``. One orjson call formats every number (the
    shortest text that reads back as the same float); the runs are then cut from its bytes, one slice
    per run: no Python object per vertex.
    """
    import numpy as np
    import orjson

    if len(offsets) < 2:
        return []
    array = np.ascontiguousarray(coords, dtype=np.float64)
    body = bytearray(orjson.dumps(array.ravel() if kml else array, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1])
    view = np.frombuffer(body, dtype=np.uint8)
    between = np.flatnonzero(view == ord(","))[1::2]  # every other comma separates two vertices
    if kml:
        view[between] = ord(" ")
    cuts = between[np.asarray(offsets[1:-1]) - 1]
    starts = np.concatenate([[0], cuts + 1]).tolist()
    stops = np.concatenate([cuts, [len(body)]]).tolist()
    text = body.decode("ascii")
    return [text[a:b] for a, b in zip(starts, stops, strict=True)]


def _outlines(geoms: Any) -> tuple[Any, Any, Any, Any]:
    """Return the vertices of polygons and multipolygons and their offsets: rings, polygons, geometries."""
    import numpy as np
    import shapely

    kind, coords, offsets = shapely.to_ragged_array(geoms, include_z=False)
    if kind == shapely.GeometryType.POLYGON:
        return coords, offsets[0], offsets[1], np.arange(len(geoms) + 1)
    return coords, offsets[0], offsets[1], offsets[2]


#: How the GeoJSON and KML downloads write an outline around its numbers (:func:`_outline_texts`): the text
#: between a vertex's two numbers, between two vertices, between two rings and between two polygons; then
#: pairs: the opening and closing texts of a geometry and of a polygon (not a MultiPolygon, a MultiPolygon)
#: and of a ring (a hole, an exterior).
_OUTLINE_PARTS = ("number", "vertex", "ring_sep", "poly_sep", "geom_open", "geom_close")
_OUTLINE_PAIRS = ("poly_open", "poly_close", "ring_open", "ring_close")
_GEOJSON_OPEN = ('{"type":"Polygon","coordinates":', '{"type":"MultiPolygon","coordinates":[')
_KML_RING = ("<{}BoundaryIs><LinearRing><coordinates>", "</coordinates></LinearRing></{}BoundaryIs>")
_OUTLINE_FORMS: dict[str, dict[str, Any]] = {
    "geojson": {
        **dict(zip(_OUTLINE_PARTS, (",", "],[", ",", ",", _GEOJSON_OPEN, ("}", "]}")), strict=True)),
        **{part: (text, text) for part, text in zip(_OUTLINE_PAIRS, ("[", "]", "[[", "]]"), strict=True)},
    },
    "kml": {
        **dict(zip(_OUTLINE_PARTS, (",", " ", "", "", ("", "<MultiGeometry>"), ("", "</MultiGeometry>")), strict=True)),
        "poly_open": ("<Polygon>",) * 2,
        "poly_close": ("</Polygon>",) * 2,
        "ring_open": (_KML_RING[0].format("inner"), _KML_RING[0].format("outer")),
        "ring_close": (_KML_RING[1].format("inner"), _KML_RING[1].format("outer")),
    },
}
#: Bytes that mark where a separator goes in the numbers' text until it is written in (none is in a number).
_MARKS = bytes(b for b in range(1, 32) if b != ord("\n"))


def _separator(form: dict[str, Any], level: int, exterior: bool, before: bool, after: bool) -> str:
    """Return the text between the last vertex of a ring and the first vertex of the next ring.

    ``level`` says what the next ring starts: 1 another ring of the polygon, 2 another polygon of the
    geometry, 3 the next geometry (after a line break); ``exterior`` whether the ring that ends is one,
    ``before`` and ``after`` whether the geometries on either side are MultiPolygons.
    """
    text = form["ring_close"][exterior]
    if level == 1:
        return text + form["ring_sep"] + form["ring_open"][False]
    text += form["poly_close"][before]
    if level == 2:
        return text + form["poly_sep"] + form["poly_open"][before] + form["ring_open"][True]
    geom = form["geom_close"][before] + "\n" + form["geom_open"][after]
    return text + geom + form["poly_open"][after] + form["ring_open"][True]


def _outline_texts(geoms: Any, multi: Any, fmt: str) -> list[str]:
    """Return polygons and multipolygons as GeoJSON geometry objects or KML: one text per geometry.

    Every number of the chunk is formatted by one orjson call over the flat coordinates (a 1-D array:
    orjson writes it faster than the ``(n, 2)`` one, with the same numbers); the separators (within a
    ring, between rings, polygons and geometries) are marked in its bytes at the commas between
    vertices and each written in by one ``bytes.replace``, and the text is cut at the line breaks
    between geometries: no Python object per vertex or ring. A geometry with an empty part (which no
    outline the model accepts has) is written by GEOS (GeoJSON) or left empty (KML), as geometries of
    other kinds are.
    """
    import numpy as np
    import orjson
    import shapely

    if len(geoms) == 0:
        return []
    multi = np.asarray(multi, dtype=bool)
    coords, rings, parts, whole = (np.asarray(a) for a in _outlines(geoms))
    counts, ring_counts, part_counts = np.diff(rings), np.diff(parts), np.diff(whole)
    ring_bad = counts == 0
    poly_bad = (ring_counts == 0) | (
        np.bincount(np.repeat(np.arange(len(ring_counts)), ring_counts), weights=ring_bad, minlength=len(ring_counts))
        > 0
    )
    bad = (part_counts == 0) | (
        np.bincount(np.repeat(np.arange(len(geoms)), part_counts), weights=poly_bad, minlength=len(geoms)) > 0
    )
    if bad.any():
        out = np.empty(len(geoms), dtype=object)
        out[~bad] = _outline_texts(geoms[~bad], multi[~bad], fmt)
        out[bad] = shapely.to_geojson(geoms[bad]) if fmt == "geojson" else ""
        return list(out.tolist())
    form = _OUTLINE_FORMS[fmt]
    # "[x,y,x,y,...]": its brackets give way to the first geometry's opening and the last one's closing.
    body = bytearray(
        orjson.dumps(np.ascontiguousarray(coords, dtype=np.float64).ravel(), option=orjson.OPT_SERIALIZE_NUMPY)
    )
    view = np.frombuffer(body, dtype=np.uint8)
    commas = np.flatnonzero(view == ord(","))
    if form["number"] != ",":
        view[commas[0::2]] = ord(form["number"])
    between = commas[1::2]  # from a vertex to the next (the others are inside a vertex)
    del commas
    # What the end of each ring but the last starts: 1 a ring, 2 a polygon, 3 a geometry.
    level = np.ones(len(counts), dtype=np.int64)
    level[parts[1:-1] - 1] = 2
    level[parts[whole[1:-1]] - 1] = 3
    exterior = np.zeros(len(counts), dtype=bool)
    exterior[parts[:-1]] = True
    geom_of_ring = np.repeat(np.arange(len(geoms)), np.add.reduceat(ring_counts, whole[:-1]))
    code = (level * 8 + exterior * 4 + multi[geom_of_ring] * 2)[:-1] + multi[geom_of_ring[1:]]
    kinds, which = np.unique(code, return_inverse=True)
    seps = [_separator(form, k // 8, bool(k & 4), bool(k & 2), bool(k & 1)) for k in kinds.tolist()]
    vertex = form["vertex"].encode()
    if len(vertex) > 1:
        seps.append(form["vertex"])
    view[between] = vertex[0] if len(vertex) == 1 else _MARKS[len(seps) - 1]
    view[between[rings[1:-1] - 1]] = np.frombuffer(_MARKS, dtype=np.uint8)[which]
    del view, between
    for k, sep in enumerate(seps):
        body = body.replace(_MARKS[k : k + 1], sep.encode())
    texts = body.decode("ascii").split("\n")
    del body
    first, last = bool(multi[0]), bool(multi[-1])
    texts[0] = form["geom_open"][first] + form["poly_open"][first] + form["ring_open"][True] + texts[0][1:]
    texts[-1] = (
        texts[-1][:-1] + form["ring_close"][bool(exterior[-1])] + form["poly_close"][last] + form["geom_close"][last]
    )
    return texts


def _kml_outlines(geoms: Any, multi: Any) -> list[str]:
    """Return polygons and multipolygons as KML (:func:`_outline_texts`)."""
    return _outline_texts(geoms, multi, "kml")


def _geojson_outlines(geoms: Any, multi: Any) -> list[str]:
    """Return polygons and multipolygons as GeoJSON geometry objects (:func:`_outline_texts`)."""
    return _outline_texts(geoms, multi, "geojson")


def _geometry_texts(geoms: Any, *, kml: bool) -> list[str]:
    """Return each geometry as KML (``""`` when unlocated) or GeoJSON (``null`` when unlocated).

    Points, polygons and multipolygons are written from their coordinate arrays (:func:`_runs`); any
    other kind is GEOS's GeoJSON (and nothing in KML, as before).
    """
    import numpy as np
    import shapely

    types = shapely.get_type_id(geoms)
    located = (types >= 0) & ~shapely.is_empty(geoms)
    out = ["" if kml else "null"] * len(geoms)
    points = np.flatnonzero(located & (types == 0))
    texts = _runs(shapely.get_coordinates(geoms[points]), np.arange(len(points) + 1), kml=kml)
    head, tail = ("<Point><coordinates>", "</coordinates></Point>") if kml else ('{"type":"Point","coordinates":', "}")
    for i, t in zip(points.tolist(), texts, strict=True):
        out[i] = head + t + tail
    shaped = np.flatnonzero(located & ((types == 3) | (types == 6)))
    write = _kml_outlines if kml else _geojson_outlines
    for i, t in zip(shaped.tolist(), write(geoms[shaped], types[shaped] == 6) if len(shaped) else [], strict=True):
        out[i] = t
    if not kml:
        other = np.flatnonzero(located & ~np.isin(types, (0, 3, 6)))
        for i, t in zip(other.tolist(), shapely.to_geojson(geoms[other]).tolist(), strict=True):
            out[i] = t
    return out


def _geojson_chunks(gdf: gpd.GeoDataFrame, metadata: Mapping[str, Any] | None) -> Iterator[bytes]:
    """Yield the GeoJSON download, one feature per line, encoded column-wise a chunk of rows at a time."""
    import orjson

    head: dict[str, Any] = {"type": "FeatureCollection", "name": DOWNLOAD_STEM}
    if metadata:
        head["metadata"] = dict(metadata)
    option = orjson.OPT_SERIALIZE_NUMPY  # NaN is written as null, numpy scalars as numbers
    yield orjson.dumps(head, option=option)[:-1] + b',"features":['
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    geoms = gdf.geometry.to_numpy()
    for start in range(0, len(gdf), _CHUNK):
        # The geometries' text is ASCII without line breaks: encoded at once, then cut into lines.
        shapes = "\n".join(_geometry_texts(geoms[start : start + _CHUNK], kml=False)).encode("ascii").split(b"\n")
        cells = [gdf[c].iloc[start : start + _CHUNK].tolist() for c in columns]
        lines = [
            b'{"type":"Feature","geometry":'
            + g
            + b',"properties":'
            + orjson.dumps(dict(zip(columns, row, strict=True)), option=option)
            + b"}"
            for g, row in zip(shapes, zip(*cells, strict=True), strict=True)
        ]
        yield (b",\n" if start else b"\n") + b",\n".join(lines)
    yield b"\n]}\n"


def _geojson_text(gdf: gpd.GeoDataFrame, metadata: Mapping[str, Any] | None) -> str:
    return b"".join(_geojson_chunks(gdf, metadata)).decode("utf-8")


def _xml(values: list[str]) -> list[str]:
    """Return a column's text cells escaped for XML; one search when none needs it."""
    if any(c in "".join(values) for c in '&<>"\r'):
        return [
            v.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("\r", "&#13;")
            for v in values
        ]
    return values


def _kml_placemarks(part: gpd.GeoDataFrame, fields: list[str], geoms: Any) -> str:
    """Return a run of rows as Placemarks, one join over the columns' cells and the tags between them."""
    rows = len(part)
    ids = _xml(_column_texts(part["id"])) if "id" in part.columns else [""] * rows
    names = _xml(_column_texts(part["name"])) if "name" in part.columns else [""] * rows
    tag = itertools.repeat
    pieces: list[Iterable[str]] = [tag('      <Placemark id="'), ids, tag('"><name>'), names]
    pieces.append(tag('</name><ExtendedData><SchemaData schemaUrl="#places.schema">'))
    for c in fields:
        cells = _xml(_column_texts(part[c]))
        head, tail = f'<SimpleData name="{c}">', "</SimpleData>"
        if all(cells):
            pieces += [tag(head), cells, tag(tail)]
        elif any(cells):  # an empty cell adds nothing to its row; a column empty in every row, nothing at all
            pieces.append([head + v + tail if v else "" for v in cells])
    pieces += [tag("</SchemaData></ExtendedData>"), _geometry_texts(geoms, kml=True), tag("</Placemark>\n")]
    # Every list is one cell per row; zip stops with them (the tags repeat without end).
    return "".join(itertools.chain.from_iterable(zip(*pieces, strict=False)))


def _kml_chunks(gdf: gpd.GeoDataFrame) -> Iterator[str]:
    """KML 2.2 written column-wise: a Placemark per place (its id and name), the rest as its SchemaData."""
    flat = flat_frame(gdf)
    fields = [c for c in flat.columns if c not in (flat.geometry.name, "id", "name")]
    kinds = {
        c: "double" if flat[c].dtype.kind == "f" else "int" if flat[c].dtype.kind in "iu" else "string" for c in fields
    }
    schema = "".join(f'      <SimpleField name="{c}" type="{kinds[c]}"/>\n' for c in fields)
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n'
        f'  <Document id="root_doc">\n    <Schema name="places" id="places.schema">\n{schema}    </Schema>\n'
        '    <Document id="places">\n      <name>places</name>\n'
    )
    geoms = flat.geometry.to_numpy()
    for start in range(0, len(flat), _CHUNK):
        yield _kml_placemarks(flat.iloc[start : start + _CHUNK], fields, geoms[start : start + _CHUNK])
    yield "    </Document>\n  </Document>\n</kml>\n"


def _write_with_gdal(flat: gpd.GeoDataFrame, fmt: str, path: Path) -> None:
    import pyogrio

    if fmt != "gpkg":
        msg = f"format {fmt!r} is not written through GDAL"
        raise ValidationError(msg)
    if _has_pyarrow():
        _write_gpkg_stream(flat, path)
        return
    # Points and outlines in one layer: a GeoPackage layer of any geometry type, a run of rows at a
    # time, appended (GDAL's copy of the table stays the size of one run).
    for start in range(0, max(len(flat), 1), _GDAL_ROWS):
        pyogrio.write_dataframe(
            flat.iloc[start : start + _GDAL_ROWS],
            path,
            driver="GPKG",
            layer="places",
            geometry_type="Unknown",
            append=start > 0,
        )


def _arrow_type(column: Any) -> Any:
    """Return the Arrow type of a flat column (text where Arrow cannot hold its cells as they are)."""
    import pyarrow as pa

    if column.dtype != object:
        return pa.array(column.iloc[:0]).type
    kinds = set(map(type, column.tolist()))
    if kinds <= {str, type(None)}:
        return pa.string()  # GDAL has no null type: a column of empty cells is text
    try:
        return pa.array(column.tolist()).type
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.string()


def _arrow_cells(column: Any, kind: Any) -> Any:
    import pyarrow as pa

    if column.dtype != object:
        return pa.array(column.to_numpy(), type=kind, from_pandas=True)
    values = column.tolist()
    if kind == pa.string() and not set(map(type, values)) <= {str, type(None)}:
        values = [None if _text_cell(v) == "" and type(v) is not str else _text_cell(v) for v in values]
    return pa.array(values, type=kind, from_pandas=True)


def _write_gpkg_stream(flat: gpd.GeoDataFrame, path: Path) -> None:
    """Write the GeoPackage in one GDAL session fed a run of rows at a time through an Arrow stream.

    One session: GDAL builds the spatial index once at the end (appending run by run made it keep the
    index row by row, 27x slower at 1,000,000 places than at 100,000), and only one run of rows is
    ever in Arrow form.
    """
    import pyarrow as pa
    import shapely
    from pyogrio.raw import write_arrow

    names = [c for c in flat.columns if c != flat.geometry.name]
    kinds = [_arrow_type(flat[c]) for c in names]
    schema = pa.schema([*(pa.field(c, k) for c, k in zip(names, kinds, strict=True)), pa.field("geom", pa.binary())])

    def runs() -> Iterator[Any]:
        for start in range(0, len(flat), _GDAL_ROWS):
            part = flat.iloc[start : start + _GDAL_ROWS]
            cells = [_arrow_cells(part[c], k) for c, k in zip(names, kinds, strict=True)]
            geoms = part.geometry.to_numpy()
            cells.append(pa.array(shapely.to_wkb(geoms), type=pa.binary(), from_pandas=True))
            yield pa.RecordBatch.from_arrays(cells, schema=schema)

    write_arrow(
        pa.RecordBatchReader.from_batches(schema, runs()),
        path,
        layer="places",
        driver="GPKG",
        geometry_name="geom",
        geometry_type="Unknown",  # points and outlines in one layer
        crs="EPSG:4326",
    )


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # not in the base install
        return False
    return True


def _write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as err:
        msg = "GeoParquet needs pyarrow: pip install 'nanguan-geo[dask]' (or pyarrow)"
        raise StoreError(msg) from err
    flat_frame(gdf).to_parquet(path)


def export_places(
    gdf: gpd.GeoDataFrame,
    fmt: str,
    out: str | os.PathLike[str] | TextIO,
    *,
    metadata: Mapping[str, Any] | None = None,
) -> None:
    """Write the places in one format, to a file or (text formats) to an open text stream.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places in EPSG:4326 (:func:`geo.store.places_to_frame`), unlocated ones included.
    fmt : str
        One of :data:`FORMATS`.
    out : str, path-like or text stream
        Where to write. A stream is accepted for :data:`TEXT_FORMATS` only.
    metadata : mapping, optional
        The data file's ``metadata``, kept in the GeoJSON.

    Raises
    ------
    geo.errors.ValidationError
        For an unknown format, or a binary format asked for a stream.
    geo.errors.StoreError
        When the file cannot be written.
    """
    if fmt not in FORMATS:
        msg = f"format must be one of {', '.join(FORMATS)}, got {fmt!r}"
        raise ValidationError(msg)
    if gdf.crs is None or not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.set_crs(4326) if gdf.crs is None else gdf.to_crs(4326)
    if hasattr(out, "write"):
        if fmt not in TEXT_FORMATS:
            msg = f"format {fmt!r} is binary and cannot go to standard output; give a file name"
            raise ValidationError(msg)
        out.write(_text(gdf, fmt, metadata, stream=True))
        return
    path = Path(out)
    try:
        _write_file(gdf, fmt, path, metadata)
    except OSError as err:
        msg = f"cannot write {str(path)!r}: {err.strerror or err}"
        raise StoreError(msg) from err


def _text(gdf: gpd.GeoDataFrame, fmt: str, metadata: Mapping[str, Any] | None, *, stream: bool) -> str:
    if fmt == "geojson":
        return _geojson_text(gdf, metadata)
    if fmt == "csv":
        # The byte-order mark tells Excel the file is UTF-8; a stream (a pipe) gets plain UTF-8.
        return _csv_text(gdf) if stream else "\ufeff" + _csv_text(gdf)
    return "".join(_kml_chunks(gdf))


def _chunks(gdf: gpd.GeoDataFrame, fmt: str, metadata: Mapping[str, Any] | None) -> Iterator[bytes]:
    """Yield a text format's bytes, a chunk of rows at a time (a million places never become one string)."""
    if fmt == "geojson":
        yield from _geojson_chunks(gdf, metadata)
        return
    if fmt == "csv":
        yield "\ufeff".encode()  # the byte-order mark tells Excel the file is UTF-8
    for text in _csv_chunks(gdf) if fmt == "csv" else _kml_chunks(gdf):
        yield text.encode("utf-8")


def _write_file(gdf: gpd.GeoDataFrame, fmt: str, path: Path, metadata: Mapping[str, Any] | None) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file."""
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "No such directory", str(path.parent))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=FORMATS[fmt], dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt in TEXT_FORMATS:
            with tmp.open("wb") as handle:
                for chunk in _chunks(gdf, fmt, metadata):
                    handle.write(chunk)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; a site's downloads are read by the web server
        elif fmt == "parquet":
            _write_parquet(gdf, tmp)
        else:
            tmp.unlink()  # GDAL creates the file itself
            _write_with_gdal(flat_frame(gdf), fmt, tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_downloads(
    gdf: gpd.GeoDataFrame,
    folder: str | os.PathLike[str],
    *,
    formats: Sequence[str] = DOWNLOAD_FORMATS,
    metadata: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Write the places in each download format into ``folder/downloads/`` (what ``geo build`` links).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places in EPSG:4326, unlocated ones included.
    folder : str or path-like
        The site's folder; the files go into its ``downloads`` subfolder.
    formats : sequence of str
        Formats from :data:`FORMATS` (default :data:`DOWNLOAD_FORMATS`).
    metadata : mapping, optional
        The data file's ``metadata``, kept in the GeoJSON.

    Returns
    -------
    list of dict
        Per format: ``format``, ``href`` (relative to the page) and ``bytes``.

    Raises
    ------
    geo.errors.StoreError
        When a file cannot be written.
    """
    out = _download_folder(folder)
    written = []
    flat = flat_frame(gdf)  # once for the formats that need it (all but GeoJSON, which keeps lists)
    for fmt in formats:
        path = out / f"{DOWNLOAD_STEM}{FORMATS[fmt]}"
        export_places(gdf if fmt == "geojson" else flat, fmt, path, metadata=metadata)
        written.append({"format": fmt, "href": f"downloads/{path.name}", "bytes": path.stat().st_size})
    return written


#: Below this many places the downloads are written in the build's own process (a fork costs more).
FORK_ROWS = 5_000


def _download_folder(folder: str | os.PathLike[str]) -> Path:
    out = Path(folder) / "downloads"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        msg = f"cannot write the downloads into {str(out)!r}: {err.strerror or err}"
        raise StoreError(msg) from err
    return out


def _planned(formats: Sequence[str]) -> list[dict[str, Any]]:
    """Return the downloads' entries before their files exist: ``bytes`` is ``-1`` until they are written."""
    return [{"format": fmt, "href": f"downloads/{DOWNLOAD_STEM}{FORMATS[fmt]}", "bytes": -1} for fmt in formats]


class PendingDownloads:
    """Downloads being written beside the page (:func:`start_downloads`); :meth:`result` waits for them.

    On POSIX a forked child writes them while the build goes on with the page, and :meth:`result`
    writes the formats of :data:`WRITTEN_HERE` in this process before it waits for the child (the two
    then finish together); elsewhere, or for a few places, they are written before
    :func:`start_downloads` returns. The files are the same either
    way, each written under a temporary name and renamed when complete.
    """

    def __init__(self, formats: Sequence[str], folder: Path) -> None:
        self.planned = _planned(formats)
        self._folder = folder
        self._pid: int | None = None
        self._pipe: int | None = None
        self._written: list[dict[str, Any]] | None = None
        self._error: StoreError | None = None
        #: Whether a forked child writes the files (else they were written before :func:`start_downloads` returned).
        self.concurrent = False
        #: The last formats, which this process writes itself in :meth:`result` (the child writes the others),
        #: with the places and metadata they are written from.
        self._here: tuple[str, ...] = ()
        self._places: tuple[gpd.GeoDataFrame, Mapping[str, Any] | None] | None = None

    def result(self) -> list[dict[str, Any]]:
        """Write this process's share of the files, wait for the child's and return their entries.

        Returns
        -------
        list of dict
            Per format ``format``, ``href`` and ``bytes``, as :func:`write_downloads` returns them.

        Raises
        ------
        geo.errors.StoreError
            When a file cannot be written: the writer's own one-line error, as the sequential path raises it
            (the first failing format in order; the files after it are not kept).
        """
        if self._error is not None:
            raise self._error
        if self._written is not None:
            return self._written
        mine: list[dict[str, Any]] = []
        failed: StoreError | None = None
        if self._places is not None:
            gdf, metadata = self._places
            self._places = None
            try:
                mine = write_downloads(gdf, self._folder.parent, formats=self._here, metadata=metadata)
            except StoreError as err:  # raised once the child's files, before it in order, are complete
                failed = err
            del gdf
        try:
            theirs = self._child_result()
        except StoreError as err:
            for fmt in self._here:  # after the child's failed file in order: the sequential writer never wrote them
                (self._folder / f"{DOWNLOAD_STEM}{FORMATS[fmt]}").unlink(missing_ok=True)
            self._error = err  # asked again, the same error
            raise
        if failed is not None:
            self._error = failed
            raise failed
        self._written = theirs + mine
        return self._written

    def _child_result(self) -> list[dict[str, Any]]:
        """Wait for the child and return its entries (or raise its error)."""
        assert self._pid is not None
        assert self._pipe is not None
        with os.fdopen(self._pipe, "rb") as pipe:
            self._pipe = None
            answer = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not answer:  # the child died before it could answer (killed, out of memory)
            self._remove_partial()
            how = f"signal {-os.waitstatus_to_exitcode(status)}" if os.WIFSIGNALED(status) else "no answer"
            msg = f"cannot write the downloads into {str(self._folder)!r}: the writer process ended with {how}"
            raise StoreError(msg)
        kind, value = pickle.loads(answer)  # written by our own child through a private pipe
        if kind == "error":
            self._remove_partial()
            raise value
        written: list[dict[str, Any]] = value
        return written

    def cancel(self) -> None:
        """Stop a writer still running (the build failed): no partial file is left behind."""
        self._places = None
        if self._pid is None:
            return
        import signal

        os.kill(self._pid, signal.SIGTERM)
        os.waitpid(self._pid, 0)
        self._pid = None
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        self._remove_partial()

    def _remove_partial(self) -> None:
        for leftover in self._folder.glob(f".{DOWNLOAD_STEM}.*"):  # _write_file's temporary names
            leftover.unlink(missing_ok=True)


def _child_writes(
    write: int, gdf: gpd.GeoDataFrame, folder: str | os.PathLike[str], formats: Sequence[str], metadata: Any
) -> None:
    """In the forked child: write the downloads, send back their entries or the error, and exit."""
    try:
        try:
            answer = pickle.dumps(("ok", write_downloads(gdf, folder, formats=formats, metadata=metadata)))
        except BaseException as err:  # every failure goes back to the parent
            try:
                answer = pickle.dumps(("error", err))
            except Exception:  # an unpicklable error goes back as its text
                answer = pickle.dumps(("error", StoreError(f"cannot write the downloads: {err}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(answer)
    finally:
        os._exit(0)  # never the parent's atexit handlers or buffered output


def start_downloads(
    gdf: gpd.GeoDataFrame,
    folder: str | os.PathLike[str],
    *,
    formats: Sequence[str] = DOWNLOAD_FORMATS,
    metadata: Mapping[str, Any] | None = None,
    concurrent: bool | None = None,
) -> PendingDownloads:
    """Start writing the downloads (:func:`write_downloads`) and return at once where a child can write them.

    Parameters
    ----------
    gdf, folder, formats, metadata
        As for :func:`write_downloads`.
    concurrent : bool, optional
        Write them in a forked child (``True``) or here before returning (``False``). By default a
        child writes them where ``os.fork`` exists, the process runs a single thread and there are at
        least :data:`FORK_ROWS` places. With a child, the last formats that are in :data:`WRITTEN_HERE`
        are written by this process when it asks for the :meth:`~PendingDownloads.result`.

    Returns
    -------
    PendingDownloads
        Its :meth:`~PendingDownloads.result` gives the entries (waiting for the child if there is one).

    Raises
    ------
    geo.errors.StoreError
        When the folder cannot be made (a file that cannot be written is raised by ``result``, in
        either mode).
    """
    out = _download_folder(folder)
    pending = PendingDownloads(formats, out)
    if concurrent is None:
        # Only a single-threaded process forks: a thread holding a lock at the fork (a Jupyter kernel's, a
        # server's) would leave that lock held forever in the child.
        concurrent = may_fork() and len(gdf) >= FORK_ROWS  # geo.store.may_fork
    if not concurrent or not hasattr(os, "fork"):
        try:
            pending._written = write_downloads(gdf, folder, formats=formats, metadata=metadata)
        except StoreError as err:  # raised by ``result``, as the child's error is
            pending._error = err
        return pending
    here = _written_here(formats)
    trim_heap()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child exits inside (coverage does not follow it)
        os.close(read)
        _child_writes(write, gdf, folder, formats[: len(formats) - len(here)], metadata)
    os.close(write)
    pending._pid, pending._pipe, pending.concurrent = pid, read, True
    if here:
        pending._here, pending._places = here, (gdf, metadata)
    return pending


def trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Reading a large file frees most of what it decoded (a fifth of the resident memory at 100,000
    places); kept, those pages would be shared with the forked child, and the parent's next allocations
    there would copy them.
    """
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc
        return
    trim(0)


#: Formats the building process writes itself when it asks for the result (once its page is made), while
#: the child writes the others: at 100,000 points the GeoPackage's CPU seconds and the page's together
#: about match the GeoJSON's, CSV's and KML's (benchmarks/downloads.py times each format).
WRITTEN_HERE: tuple[str, ...] = ("gpkg",)


def _written_here(formats: Sequence[str]) -> tuple[str, ...]:
    """Return the last formats that are in :data:`WRITTEN_HERE` (the child keeps at least the first one)."""
    k = len(formats)
    while k > 1 and formats[k - 1] in WRITTEN_HERE:
        k -= 1
    return tuple(formats[k:])
