"""Import from a file sent by the editor: the same parser and checks as ``geo import``, one feature at a time.

The browser sends a file's bytes and its name; :func:`read_upload` reads them as ``geo import``
reads a file (GeoJSON through :func:`geo.geojson.read_source`, KML, GPX and zipped Shapefiles
through pyogrio, CSV with lon/lat columns), :func:`preview_upload` builds and checks every feature
on its own (its problems are its own, so a person can leave the bad ones out) and
:func:`import_upload` saves the chosen ones in one recorded change, checked again from the bytes.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

from geo.errors import Problem, StoreError, ValidationError
from geo.geojson import read_source
from geo.model import text_problem
from geo.places._common import ChangeResult
from geo.places._options import ChangeKeywords, ChangeOptions, takes
from geo.places.add import _add_checked
from geo.places.imports import ImportOptions, _import_one, _read_ogr

__all__ = ["UPLOAD_SUFFIXES", "FeaturePreview", "import_upload", "preview_upload", "read_csv", "read_upload"]

#: The files the editor takes, by suffix.
UPLOAD_SUFFIXES = (".geojson", ".json", ".kml", ".gpx", ".csv", ".zip")
#: Column names read as longitude and latitude in a CSV file (compared without case).
LON_COLUMNS = ("lon", "lng", "long", "longitude", "经度", "x")
LAT_COLUMNS = ("lat", "latitude", "纬度", "y")


@dataclass
class FeaturePreview:
    """One feature of a file as it would be saved: the place (WGS-84), or the problems that stop it."""

    index: int
    name: str | None
    feature: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    wanted = {n.casefold() for n in names}
    return next((h for h in header if h.strip().casefold() in wanted), None)


def read_csv(data: bytes, label: str) -> list[dict[str, Any]]:
    """Read a CSV file (UTF-8, a byte-order mark allowed) with lon and lat columns into point Features.

    A row without both numbers becomes a point whose coordinates are the text as written, so the
    shared geometry check names it (a number written as text is refused, never guessed at).

    Parameters
    ----------
    data : bytes
        The file's content.
    label : str
        The file's name as the person called it, for messages.

    Returns
    -------
    list of dict
        One point Feature per row, the other columns as properties.

    Raises
    ------
    geo.errors.ValidationError
        The file is not UTF-8 CSV, or has no lon and lat columns.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        msg = f"{label}: not UTF-8 text (byte {err.start}); save the CSV as UTF-8"
        raise ValidationError([Problem(label, "file", msg.removeprefix(f"{label}: "))]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    lon, lat = _column(header, LON_COLUMNS), _column(header, LAT_COLUMNS)
    if lon is None or lat is None:
        msg = f"needs a longitude and a latitude column ({'/'.join(LON_COLUMNS[:4])}, {'/'.join(LAT_COLUMNS[:3])})"
        raise ValidationError([Problem(label, "file", f"{msg}, got {', '.join(header)[:200] or 'no header'}")])
    features = []
    for i, row in enumerate(reader):
        position = [_number(row.get(lon)), _number(row.get(lat))]
        props = {k: v for k, v in row.items() if k not in (lon, lat) and k is not None and v not in (None, "")}
        features.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": position}, "properties": props, "index": i}
        )
    return features


def _number(text: str | None) -> Any:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return text


def read_upload(data: bytes, filename: str) -> tuple[list[dict[str, Any]], str | None]:
    """Read a file's bytes as ``geo import`` reads the file.

    Messages name the file as the person called it, never a temporary path.

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        The file's name, whose suffix picks the reader.

    Returns
    -------
    tuple
        ``(features, datum)``; datum None when the file does not say.

    Raises
    ------
    geo.errors.ValidationError
        The suffix is not one geo imports, or the content is refused.
    geo.errors.StoreError
        The file cannot be read as its kind.
    """
    label = Path(filename).name or "file"
    suffix = Path(label).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        text = f"only {', '.join(UPLOAD_SUFFIXES)} files can be imported, got {suffix or 'no suffix'!r}"
        raise ValidationError([Problem(label, "file", text)])
    if suffix in (".geojson", ".json"):
        read = read_source(data, label=label, unlocated=True)
        return read.features, read.datum
    if suffix == ".csv":
        return read_csv(data, label), None
    with tempfile.TemporaryDirectory(prefix="geo-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return _read_ogr(path, layer="waypoints" if suffix == ".gpx" else None), None
        except StoreError as err:
            raise StoreError(str(err).replace(str(path), label)) from None


@takes("state")
def preview_upload(
    data: bytes,
    filename: str,
    path: str | os.PathLike[str] | None = None,
    *,
    datum: str | None = None,
    source: str | None = None,
    **options: Unpack[ChangeKeywords],
) -> list[FeaturePreview]:
    """Build and check each feature of a file on its own (nothing is written).

    Each feature goes through what ``geo import`` does to it (:func:`geo.places.imports.import_features`:
    the property names it knows, the datum conversion, the model, the district and duplicate checks
    of :func:`geo.places.add_places`), and keeps its own problems and warnings.

    Parameters
    ----------
    data, filename
        The file's bytes and name (its suffix says how to read it).
    path : str or path-like, optional
        The data file (duplicates are checked against it).
    datum : str, optional
        ``wgs84``, ``gcj02`` or ``bd09``: the datum of the file's coordinates (else its own ``datum``).
    source : str, optional
        How the person knows the file's places; a feature's own ``source`` property comes first.

    Returns
    -------
    list of FeaturePreview
        One per feature of the file, in its order.
    """
    features, file_datum = read_upload(data, filename)
    if not features:
        raise ValidationError([Problem(Path(filename).name, "file", "no features to import", "missing")])
    opts = ImportOptions(source_name=Path(filename).name, datum=datum, file_datum=file_datum, source=source)
    how = dataclasses.replace(ChangeOptions(**options), dry_run=True)  # each feature checked as the save checks it
    out: list[FeaturePreview] = []
    for f in features:
        problems: list[Problem] = []
        warnings: list[str] = []
        built = _import_one(f, opts, problems, warnings)
        if built is not None:
            try:
                _add_checked([built], path, "import", how)
            except ValidationError as err:
                problems += err.problems
        name = (built or {}).get("properties", {}).get("name") or (f.get("properties") or {}).get("name")
        out.append(
            FeaturePreview(
                int(f.get("index", len(out))),
                name if isinstance(name, str) else None,
                built if not problems else None,
                problems,
                warnings,
            )
        )
    return out


@takes("state", "editor", "dry_run")
def import_upload(
    data: bytes,
    filename: str,
    chosen: list[int],
    path: str | os.PathLike[str] | None = None,
    *,
    source: str,
    datum: str | None = None,
    **options: Unpack[ChangeKeywords],
) -> ChangeResult:
    """Save the chosen features of a file in one locked, recorded change (all or none).

    The file is read and checked again (:func:`preview_upload`): what is saved is what the
    checks passed now, not what a page sent back. A chosen feature with a problem refuses the whole
    save, naming it.

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        The file's name as the person called it.
    chosen : list of int
        The indexes of the features to save.
    path : str or os.PathLike, optional
        The data file; None finds the default one.
    source : str
        Where the file comes from (required).
    datum : str, optional
        The datum of its positions, when the file does not say.

    Returns
    -------
    ChangeResult
        The chosen places as saved, with the warnings each one's preview gave.

    Raises
    ------
    geo.errors.ValidationError
        No source, nothing chosen, or a chosen feature has a problem.
    """
    if not isinstance(source, str) or not source.strip():
        raise ValidationError([Problem("", "source", "say where the file comes from (required)", "missing")])
    problem = text_problem(source, "source")
    if problem:
        raise ValidationError([problem])
    how = ChangeOptions(**options)
    previews = {
        p.index: p for p in preview_upload(data, filename, path, datum=datum, source=source.strip(), state=how.state)
    }
    unknown = [i for i in chosen if i not in previews]
    if not chosen or unknown:
        shown = ", ".join(map(str, unknown)) or "none"
        raise ValidationError([Problem("", "chosen", f"choose features of the file to save, got {shown}", "missing")])
    problems = [p for i in chosen for p in previews[i].problems]
    if problems:
        raise ValidationError(problems)
    built = [previews[i].feature for i in dict.fromkeys(chosen)]
    result = _add_checked([f for f in built if f is not None], path, "import", how)
    result.warnings = [w for i in chosen for w in previews[i].warnings] + result.warnings
    return result
