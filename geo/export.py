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
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from geo.errors import StoreError, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["DOWNLOAD_FORMATS", "FORMATS", "TEXT_FORMATS", "export_places", "flat_frame", "write_downloads"]

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

    out = gdf.copy(deep=False)
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == object:
            values = out[col].tolist()
            # The kinds of cell a column holds, in one pass at C speed: most columns need no change at all.
            if set(map(type, values)) <= _PLAIN_CELLS:
                continue
            out[col] = pd.Series([_cell(v) for v in values], index=out.index, dtype=object)
    return out


#: A text a spreadsheet would run as a formula begins with one of these; one search per column finds them.
_FORMULA = re.compile("(?:^|\x00)[=+\\-@\t\r]")
#: Rows encoded at a time: the text of one chunk is written before the next is made.
_CHUNK = 20_000
#: Rows handed to GDAL at a time (a GeoPackage is appended to run by run).
_GDAL_ROWS = 200_000


def _neutralised(values: list[Any]) -> list[Any]:
    """Return a column's cells with each text that starts like a formula prefixed with ``'``."""
    texts = [v for v in values if type(v) is str]
    if not _FORMULA.search("\x00".join(texts)):
        return values
    return [("'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v) for v in values]


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


def _csv_columns(flat: gpd.GeoDataFrame) -> tuple[list[str], list[list[Any]]]:
    """Return the CSV's header and columns: every field, then ``lon``/``lat`` (a polygon's representative point) and WKT."""
    import numpy as np
    import shapely

    geoms = flat.geometry.to_numpy()
    names = [c for c in flat.columns if c != flat.geometry.name]
    columns = [
        _csv_cells(_neutralised(flat[c].tolist()) if flat[c].dtype == object else flat[c].tolist()) for c in names
    ]
    types = shapely.get_type_id(geoms)
    located = (types >= 0) & ~shapely.is_empty(geoms)
    points = geoms.copy()
    shaped = located & (types != 0)
    points[shaped] = shapely.point_on_surface(geoms[shaped])
    columns.append(_csv_cells(np.where(located, np.round(shapely.get_x(points), 7), np.nan).tolist()))
    columns.append(_csv_cells(np.where(located, np.round(shapely.get_y(points), 7), np.nan).tolist()))
    kinds = np.array(["", *_TYPE_NAMES], dtype=object)
    columns.append(kinds[np.where(located, types + 1, 0)].tolist())
    wkt = np.full(len(geoms), "", dtype=object)
    wkt[shaped] = shapely.to_wkt(geoms[shaped], rounding_precision=7)
    columns.append(wkt.tolist())
    return [*names, "lon", "lat", "geometry_type", "geometry_wkt"], columns


def _csv_cells(values: list[Any]) -> list[Any]:
    """Return a column with its empty cells (None, NaN) as ``""``; numbers stay numbers (written as Python writes them)."""
    if None not in values and not any(v != v for v in values if type(v) is float):
        return values
    return ["" if v is None or (type(v) is float and v != v) else v for v in values]


def _csv_chunks(gdf: gpd.GeoDataFrame) -> Iterator[str]:
    header, columns = _csv_columns(flat_frame(gdf))
    rows = zip(*columns, strict=True)
    while True:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        if header:
            writer.writerow(header)
            header = []
        writer.writerows(itertools.islice(rows, _CHUNK))
        text = buf.getvalue()
        if not text:
            return
        yield text


def _csv_text(gdf: gpd.GeoDataFrame) -> str:
    return "".join(_csv_chunks(gdf))


def _geojson_chunks(gdf: gpd.GeoDataFrame, metadata: Mapping[str, Any] | None) -> Iterator[bytes]:
    """Yield the GeoJSON download, one feature per line, encoded column-wise a chunk of rows at a time."""
    import numpy as np
    import orjson
    import shapely

    head: dict[str, Any] = {"type": "FeatureCollection", "name": DOWNLOAD_STEM}
    if metadata:
        head["metadata"] = dict(metadata)
    option = orjson.OPT_SERIALIZE_NUMPY  # NaN is written as null, numpy scalars as numbers
    yield orjson.dumps(head, option=option)[:-1] + b',"features":['
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    geoms = gdf.geometry.to_numpy()
    for start in range(0, len(gdf), _CHUNK):
        part = geoms[start : start + _CHUNK]
        part = np.where(shapely.is_empty(part), None, part)
        shapes = [None if t is None else orjson.Fragment(t) for t in shapely.to_geojson(part).tolist()]
        cells = [gdf[c].iloc[start : start + _CHUNK].tolist() for c in columns]
        lines = [
            orjson.dumps(
                {"type": "Feature", "geometry": g, "properties": dict(zip(columns, row, strict=True))}, option=option
            )
            for g, row in zip(shapes, zip(*cells, strict=True), strict=True)
        ]
        yield (b",\n" if start else b"\n") + b",\n".join(lines)
    yield b"\n]}\n"


def _geojson_text(gdf: gpd.GeoDataFrame, metadata: Mapping[str, Any] | None) -> str:
    return b"".join(_geojson_chunks(gdf, metadata)).decode("utf-8")


def _xml(values: list[Any]) -> list[str]:
    """Return a column's cells as XML text (``""`` for an empty cell); escaping only when the column needs it."""
    out = ["" if v is None or (type(v) is float and v != v) else v if type(v) is str else _number(v) for v in values]
    if any(c in "".join(out) for c in '&<>"\r'):
        out = [
            v.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("\r", "&#13;")
            for v in out
        ]
    return out


def _number(value: Any) -> str:
    if hasattr(value, "item"):
        value = value.item()
    return repr(value) if isinstance(value, float) else str(value)


def _kml_ring(ring: Any) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y in ring.coords)


def _kml_polygon(poly: Any) -> str:
    inner = "".join(
        f"<innerBoundaryIs><LinearRing><coordinates>{_kml_ring(r)}</coordinates></LinearRing></innerBoundaryIs>"
        for r in poly.interiors
    )
    return (
        f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{_kml_ring(poly.exterior)}</coordinates>"
        f"</LinearRing></outerBoundaryIs>{inner}</Polygon>"
    )


def _kml_geometries(geoms: Any) -> list[str]:
    """Return each geometry as KML (``""`` when unlocated): points from one coordinate array, outlines one by one."""
    import numpy as np
    import shapely

    types = shapely.get_type_id(geoms)
    out = [""] * len(geoms)
    points = (types == 0) & ~shapely.is_empty(geoms)
    xy = shapely.get_coordinates(geoms[points]).tolist()
    for i, (x, y) in zip(np.flatnonzero(points).tolist(), xy, strict=True):
        out[i] = f"<Point><coordinates>{x!r},{y!r}</coordinates></Point>"
    for i in np.flatnonzero((types == 3) | (types == 6)).tolist():
        geom = geoms[i]
        if geom.geom_type == "Polygon":
            out[i] = _kml_polygon(geom)
        else:
            out[i] = "<MultiGeometry>" + "".join(_kml_polygon(p) for p in geom.geoms) + "</MultiGeometry>"
    return out


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
    n = len(flat)
    for start in range(0, n, _CHUNK):
        rows = slice(start, start + _CHUNK)
        ids = _xml(flat["id"].iloc[rows].tolist()) if "id" in flat.columns else [""] * len(geoms[rows])
        names = _xml(flat["name"].iloc[rows].tolist()) if "name" in flat.columns else [""] * len(ids)
        data = []
        for c in fields:
            cells = _xml(flat[c].iloc[rows].tolist())
            data.append([f'<SimpleData name="{c}">{v}</SimpleData>' if v else "" for v in cells])
        shapes = _kml_geometries(geoms[rows])
        yield "".join(
            f'      <Placemark id="{i}"><name>{name}</name><ExtendedData><SchemaData schemaUrl="#places.schema">'
            f"{''.join(cells)}</SchemaData></ExtendedData>{shape}</Placemark>\n"
            for i, name, cells, shape in zip(ids, names, zip(*data, strict=True), shapes, strict=True)
        )
    yield "    </Document>\n  </Document>\n</kml>\n"


def _write_with_gdal(gdf: gpd.GeoDataFrame, fmt: str, path: Path) -> None:
    import pyogrio

    flat = flat_frame(gdf)
    if fmt == "gpkg":
        # Points and outlines in one layer: a GeoPackage layer of any geometry type. Through Arrow when
        # pyarrow is installed: GDAL then takes whole columns, not a Python call per cell.
        arrow = _has_pyarrow()
        # A run of rows at a time, appended: GDAL's copy of the table stays the size of one run.
        for start in range(0, max(len(flat), 1), _GDAL_ROWS):
            pyogrio.write_dataframe(
                flat.iloc[start : start + _GDAL_ROWS],
                path,
                driver="GPKG",
                layer="places",
                geometry_type="Unknown",
                use_arrow=arrow,
                append=start > 0,
            )
    else:
        msg = f"format {fmt!r} is not written through GDAL"
        raise ValidationError(msg)


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
            _write_with_gdal(gdf, fmt, tmp)
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
    out = Path(folder) / "downloads"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        msg = f"cannot write the downloads into {str(out)!r}: {err.strerror or err}"
        raise StoreError(msg) from err
    written = []
    for fmt in formats:
        path = out / f"{DOWNLOAD_STEM}{FORMATS[fmt]}"
        export_places(gdf, fmt, path, metadata=metadata)
        written.append({"format": fmt, "href": f"downloads/{path.name}", "bytes": path.stat().st_size})
    return written
