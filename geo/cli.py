"""The ``geo`` command line: thin commands over the library.

Each command parses its options, calls one library function and prints the
result. Library errors (:class:`geo.errors.GeoError`) become one-line
messages and exit code 1; heavy libraries are imported inside the commands so
that ``geo --help`` stays fast.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import NoReturn

import click

from geo import __version__, settings
from geo.errors import GeoError

__all__ = ["main"]

logger = logging.getLogger(__name__)

# Shared options, defined once.
data_opt = click.option(
    "--data",
    "data_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Data file (default: {settings.locations_path}).",
    show_default=False,
)
dry_run_opt = click.option("--dry-run", is_flag=True, help="Check and report, but write nothing.")
datum_opt = click.option(
    "--datum",
    "datum",
    type=click.Choice(["wgs84", "gcj02", "bd09"]),
    default="wgs84",
    show_default=True,
    help="Datum of the given coordinates (gcj02: copied from Amap/Tencent; bd09: from Baidu).",
)


def _fail(err: GeoError) -> NoReturn:
    """Turn a library error into a click error: message lines on stderr, exit 1."""
    raise click.ClickException(str(err)) from err


def _data(path: Path | None) -> Path:
    return path if path is not None else Path(settings.locations_path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geo")
@click.option("-v", "--verbose", count=True, help="More log output (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less log output (repeatable).")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: int) -> None:
    """Map, geocode and summarise the parks and projects of Nanguan District (南关区), Changchun.

    \b
    Examples:
      geo validate                      # check data/locations.geojson
      geo build                         # write site/index.html
      geo geocode "人民大街与卫星路交会处"
      geo add-park 新公园 --area 5000 --lonlat 125.33,43.84 --datum gcj02
      geo summary --format json
    """
    level = logging.WARNING - 10 * verbose + 10 * quiet
    logging.basicConfig(stream=sys.stderr, level=max(level, logging.DEBUG), format="%(levelname)s %(message)s")
    ctx.obj = {}


@main.command()
@data_opt
def validate(data_path: Path | None) -> None:
    """Check the data file against the model and RFC 7946; list every problem.

    Exit 0 when the file is clean, 1 with one line per problem otherwise.

    \b
    Example:
      geo validate --data data/locations.geojson
    """
    from geo.model import check_collection
    from geo.store import read_json

    path = _data(data_path)
    try:
        obj = read_json(path)
    except GeoError as err:
        _fail(err)
    problems = check_collection(obj)
    if problems:
        for line in problems:
            click.echo(line, err=True)
        click.echo(f"{path}: {len(problems)} problem(s)", err=True)
        sys.exit(1)
    features = obj["features"]
    located = sum(f.get("geometry") is not None for f in features)
    click.echo(f"{path}: valid, {len(features)} places ({located} located, {len(features) - located} unlocated)")


@main.command()
@data_opt
@click.option(
    "--out",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Output folder (default: {settings.site_dir}).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Ship every script and stylesheet next to the page (from node_modules; run `npm ci` first).",
)
@click.option(
    "--node-modules",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("node_modules"),
    show_default=True,
    help="Where `npm ci` installed the pinned assets.",
)
def build(data_path: Path | None, site_dir: Path | None, offline: bool, node_modules: Path) -> None:
    """Build the map: write site/index.html from the data file.

    \b
    Example:
      geo build --offline --out site
    """
    from geo.render import build_site

    try:
        index = build_site(data_path, site_dir, offline=offline, node_modules=node_modules)
    except GeoError as err:
        _fail(err)
    click.echo(f"wrote {index}")
