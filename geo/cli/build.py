"""``geo build``: the map page (site/index.html) and its downloads from the data file."""

from __future__ import annotations

from pathlib import Path

import click

from geo import settings
from geo.cli.helpers import network_for
from geo.cli.messages import fail
from geo.cli.options import data_opt, network_opt, node_modules_opt
from geo.errors import GeoError
from geo.render import build_site
from geo.resources import asset_dir

__all__ = ["COMMANDS", "build"]


@click.command()
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
    help="Ship every script and stylesheet next to the page (the copies installed with the package).",
)
@node_modules_opt(
    "Take the pinned assets from this `npm ci` folder (default: those installed with the package, else ./node_modules)."
)
@network_opt
@click.option(
    "--basemap",
    type=click.Choice(["osm", "esri", "amap"]),
    default="osm",
    show_default=True,
    help="The basemap shown first (amap: 高德, overlays in GCJ-02); the others stay in the layer control.",
)
def build(
    data_path: Path | None,
    site_dir: Path | None,
    offline: bool,
    node_modules: Path | None,
    network_file: str | None,
    basemap: str,
) -> None:
    """Build the map: write site/index.html from the data file.

    With --network the map also shows, per park, the area reachable on foot
    within each radius along the streets, beside the straight-line radii.

    \b
    Example:
      geo build --offline --out site
      geo build --network
      geo build --basemap amap       # open on 高德 (Amap), overlays shifted to GCJ-02
    """
    assets = asset_dir(node_modules) or Path("node_modules")
    try:
        network = network_for(network_file, data_path)
        index = build_site(data_path, site_dir, offline=offline, node_modules=assets, network=network, basemap=basemap)
    except GeoError as err:
        fail(err)
    click.echo(f"wrote {index}")


#: This module's commands.
COMMANDS = [build]
