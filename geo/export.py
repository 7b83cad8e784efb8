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
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from geo.errors import StoreError, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["DOWNLOAD_FORMATS", "FORMATS", "TEXT_FORMATS", "export_places", "flat_frame", "write_downloads"]

#: Format name -> file suffix.
FORMATS: dict[str, str] = {"geojson": ".geojson", "csv": ".csv", "kml": ".kml", "gpkg": ".gpkg",
                           "parquet": ".parquet"}  # fmt: skip
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

    out = gdf.copy()
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == object:
            out[col] = pd.Series([_cell(v) for v in out[col]], index=out.index, dtype=object)
    return out


def _csv_text(gdf: gpd.GeoDataFrame) -> str:
    import numpy as np
    import shapely

    flat = flat_frame(gdf)
    geoms = flat.geometry.to_numpy()
    columns = [c for c in flat.columns if c != flat.geometry.name]
    # Every geometry's point, type and (for outlines) WKT at once, in shapely, not per row.
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = shapely.get_type_id(geoms)
    outline = located & (kinds != 0)
    points = geoms.copy()
    points[outline] = shapely.point_on_surface(geoms[outline])
    x = [round(v, 7) for v in shapely.get_x(points).tolist()]  # Python's rounding, as the CSV always had
    y = [round(v, 7) for v in shapely.get_y(points).tolist()]
    wkt = np.full(len(geoms), "", dtype=object)
    wkt[outline] = shapely.to_wkt(geoms[outline], rounding_precision=7)
    type_names = np.where(located, [_GEOMETRY_NAMES.get(int(k), "") for k in kinds], "").tolist()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([*columns, "lon", "lat", "geometry_type", "geometry_wkt"])
    rows = flat[columns].itertuples(index=False, name=None)
    for k, row in enumerate(rows):
        cells = [("'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v) for v in row]
        cells = ["" if v is None or (isinstance(v, float) and v != v) else v for v in cells]
        if not located[k]:
            writer.writerow([*cells, "", "", "", ""])
            continue
        writer.writerow([*cells, x[k], y[k], type_names[k], wkt[k]])
    return buf.getvalue()


#: shapely's type ids -> the GeoJSON type names the CSV writes.
_GEOMETRY_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
                   6: "MultiPolygon", 7: "GeometryCollection"}  # fmt: skip


def _geojson_text(gdf: gpd.GeoDataFrame, metadata: Mapping[str, Any] | None) -> str:
    """Write the collection with one feature a line.

    Every geometry's GeoJSON is written by shapely (GEOS) at once and each feature's properties by orjson,
    spliced as text: no Python object per vertex.
    """
    import numpy as np
    import orjson
    import shapely

    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    geoms = gdf.geometry.to_numpy()
    located = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    texts = np.full(len(geoms), "null", dtype=object)
    if located.any():
        texts[located] = shapely.to_geojson(geoms[located])
    features = [
        '{"type": "Feature", "geometry": ' + geometry + ', "properties": '
        + orjson.dumps({k: _json_value(v) for k, v in row.items()}).decode() + "}"
        for row, geometry in zip(gdf[columns].to_dict("records"), texts.tolist(), strict=True)
    ]  # fmt: skip
    collection: dict[str, Any] = {"type": "FeatureCollection", "name": DOWNLOAD_STEM}
    if metadata:
        collection["metadata"] = dict(metadata)
    head = json.dumps(collection, ensure_ascii=False, indent=1, allow_nan=False)[:-2]
    return head + ',\n "features": [\n' + ",\n".join(features) + "\n ]\n}\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        return value.item()  # a numpy scalar
    return value


def _write_with_gdal(gdf: gpd.GeoDataFrame, fmt: str, path: Path) -> None:
    import pyogrio

    flat = flat_frame(gdf)
    if fmt == "gpkg":
        # Points and outlines in one layer: a GeoPackage layer of any geometry type.
        pyogrio.write_dataframe(flat, path, driver="GPKG", layer="places", geometry_type="Unknown")
    elif "LIBKML" in pyogrio.list_drivers(write=True):
        # libkml makes each place's id its Placemark's id and its name the Placemark's name.
        pyogrio.write_dataframe(flat, path, driver="LIBKML", layer="places")
    else:
        pyogrio.write_dataframe(flat, path, driver="KML", layer="places", dataset_options={"NameField": "name"})


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
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "places.kml"
        _write_with_gdal(gdf, "kml", path)
        return path.read_text(encoding="utf-8")


def _write_file(gdf: gpd.GeoDataFrame, fmt: str, path: Path, metadata: Mapping[str, Any] | None) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file."""
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "No such directory", str(path.parent))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=FORMATS[fmt], dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt in ("geojson", "csv"):
            tmp.write_text(_text(gdf, fmt, metadata, stream=False), encoding="utf-8", newline="")
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
