"""``geo network import``: a walkable street network from an OpenStreetMap extract (the ``[network]`` extra)."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.messages import fail
from geo.cli.options import data_opt
from geo.errors import GeoError
from geo.network import import_osm

__all__ = ["COMMANDS", "network"]


@click.group()
def network() -> None:
    """Street networks for walking access, from OpenStreetMap extracts."""


@network.command("import")
@click.argument("extract", type=click.Path(dir_okay=False, path_type=Path))
@data_opt
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the GraphML (default: network.graphml beside the data).",
)
@click.option("--source", "source_name", default=None, help="Where the extract comes from (kept with the network).")
@click.option("--date", "extract_date", default=None, help="The extract's date, if its header does not give one.")
def network_import(
    extract: Path, data_path: Path | None, out: Path | None, source_name: str | None, extract_date: str | None
) -> None:
    """Read an OpenStreetMap extract (.osm or .osm.pbf) and store its walkable street network.

    Keeps footways, paths, pedestrian areas, steps, living and residential streets and other
    streets with pavements (not motorways, not ways closed to people on foot), simplifies the
    graph and writes GraphML with the extract's source and date.

    \b
    Example:
      geo network import changchun.osm.pbf --source "Geofabrik China extract, (c) OpenStreetMap contributors, ODbL"
      geo network import tests/data/synthetic_river_grid.osm
    """
    try:
        path, facts = import_osm(extract, out, data_path=data_path, source_name=source_name, extract_date=extract_date)
    except GeoError as err:
        fail(err)
    click.echo(
        f"wrote {path}: {facts['graph_nodes']:,} nodes, {facts['graph_edges']:,} edges "
        f"from {facts['walkable_ways']:,} walkable ways"
    )
    click.echo(f"source: {facts['source']}; extract date: {facts['extract_date']}")
    click.echo("next: `geo summary --network` (walking access) or `geo build --network` (service areas)", err=True)


#: This module's commands.
COMMANDS = [network]
