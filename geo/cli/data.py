"""Commands over the data file as a whole: ``init``, ``validate``, ``export``, and ``versions`` for bug reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from geo import store
from geo.cli.messages import fail, find_data
from geo.cli.options import data_opt
from geo.errors import GeoError, Problem
from geo.export import FORMATS, export_places
from geo.history import check
from geo.resources import format_versions
from geo.resources import versions as collect_versions

__all__ = ["COMMANDS", "export", "init", "validate", "versions"]


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path(), required=False)
def init(folder: Path) -> None:
    """Make a working folder: the report's data (data/locations.geojson) and a short README.

    Every command run in FOLDER, or below it, then finds the data by itself. An existing data
    file is never replaced.

    \b
    Examples:
      geo init                # here
      geo init nanguan && cd nanguan && geo build --offline
    """
    try:
        written = store.init_folder(folder)
    except GeoError as err:
        fail(err)
    for path in written:
        click.echo(f"wrote {path}")
    where = "" if folder == Path() else f"cd {folder} && "
    click.echo(f"next: {where}geo validate, geo build --offline, geo summary", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def versions(as_json: bool) -> None:
    """Print the versions of Python, this package, its files and its dependencies (for bug reports).

    \b
    Example:
      geo versions
    """
    info = collect_versions()
    click.echo(json.dumps(info, ensure_ascii=False, indent=2) if as_json else format_versions(info), nl=as_json)


@click.command()
@data_opt
def validate(data_path: Path | None) -> None:
    """Check the data file against the model and RFC 7946, and its history against it; list every problem.

    Exit 0 when the file is clean, 1 with one line per problem otherwise. The history
    (locations.history.jsonl) must agree with the file: a torn last line, a line that is not a
    record, or a change that was started but that the file shows neither made nor undone is a problem.

    \b
    Example:
      geo validate --data data/locations.geojson
    """
    path = find_data(data_path)
    try:
        obj, problems = store.find_problems(path)
        if not problems:  # the history is checked against a file that loads
            problems = [
                Problem.of(line)
                for line in check(path, {f["properties"]["id"]: store.version_of(f) for f in obj["features"]})
            ]
    except GeoError as err:
        fail(err)
    if problems:
        for line in problems:
            click.echo(line, err=True)
        click.echo(f"{path}: {len(problems)} problem(s)", err=True)
        sys.exit(1)
    features = obj["features"]
    located = sum(f.get("geometry") is not None for f in features)
    click.echo(f"{path}: valid, {len(features)} places ({located} located, {len(features) - located} unlocated)")


def _export_format(fmt: str | None, out: str | None) -> str:
    """Return the format asked for, else the one ``--out``'s suffix names; a usage error when neither says."""
    if fmt is not None:
        return fmt
    if out in (None, "-"):
        msg = "--format is required when writing to standard output or to the default file"
        raise click.UsageError(msg)
    by_suffix = {suffix: name for name, suffix in FORMATS.items()} | {".json": "geojson", ".geoparquet": "parquet"}
    found = by_suffix.get(Path(out).suffix.lower())
    if found is None:
        msg = f"--format: cannot tell the format from --out {out!r}; give one of {', '.join(FORMATS)}"
        raise click.UsageError(msg)
    return found


@click.command()
@data_opt
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "csv", "kml", "gpkg", "parquet"]),
    default=None,
    help="Output format (default: from --out's suffix).",
)
@click.option(
    "--out",
    "out",
    default=None,
    metavar="FILE",
    help="Output file, or - for standard output (GeoJSON, CSV, KML). Default: places.<format>.",
)
def export(data_path: Path | None, fmt: str | None, out: str | None) -> None:
    """Write every place (the unlocated ones too) as GeoJSON, CSV, KML, GeoPackage or GeoParquet.

    The same files `geo build` writes beside the page, with the same fields: CSV has lon/lat
    columns and a byte-order mark for Excel (not when written to standard output).

    \b
    Examples:
      geo export --out places.gpkg
      geo export --format csv --out - | head
      geo export --format kml --out nanguan.kml      # for Google Earth
    """
    fmt = _export_format(fmt, out)
    try:
        gdf, members = store.load_frame(data_path)
        if out == "-":
            export_places(gdf, fmt, sys.stdout, metadata=members.get("metadata"))
            return
        target = Path(out) if out is not None else Path(f"places{FORMATS[fmt]}")
        export_places(gdf, fmt, target, metadata=members.get("metadata"))
    except GeoError as err:
        fail(err)
    located = int(gdf.geometry.notna().sum())
    click.echo(f"wrote {target}: {len(gdf)} places ({located} located, {len(gdf) - located} unlocated)")


#: This module's commands, in the order ``geo --help`` lists them.
COMMANDS = [init, versions, validate, export]
