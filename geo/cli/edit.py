"""Commands that change places, and their record: ``add-park``, ``import``, ``update``, ``remove``, ``undo``, ``history``.

Each parses its options, calls one :mod:`geo.places` function (which validates everything,
writes atomically under the lock, waiting ``--wait`` seconds for it, and records the change)
and reports the result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from geo.cli.helpers import make_geocoder
from geo.cli.messages import UPDATE_OPTIONS, fail, next_step, report_change
from geo.cli.options import (
    data_opt,
    datum_opt,
    dry_run_opt,
    field_changes,
    field_opts,
    gazetteer_opt,
    online_opts,
    provider_opt,
    wait_opt,
    write_opts,
)
from geo.errors import GeoError
from geo.history import default_editor, read_history
from geo.places import add_place, import_features, make_park_from_file, remove_place, undo_change, update_place

__all__ = ["COMMANDS", "add_park", "history", "import_", "remove", "undo", "update"]


@click.command("add-park")
@click.argument("name")
@click.option("--area", "area", required=True, help="Stated area in square metres.")
@click.option("--address", default=None, help="Address, geocoded (offline gazetteer unless --provider).")
@click.option("--lonlat", default=None, help="'LON,LAT' point, in --datum.")
@click.option(
    "--geometry",
    "geometry_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="GeoJSON file with the park's outline (Polygon), in --datum ('-': standard input).",
)
@datum_opt
@click.option("--class", "park_class", default=None, help="CJJ/T 85-2017 class: 综合公园, 社区公园, 专类公园 or 游园.")
@click.option("--status", default="open", show_default=True, help="open, under_construction, planned or unknown.")
@click.option("--name-en", default=None, help="English name.")
@click.option("--id", "ident", default=None, help="Stable ASCII id (default: from --name-en, or a hash of the name).")
@click.option("--quote", default=None, help="The sentence of a source that names the park.")
@click.option("--source", default=None, help="Where the park's facts come from.")
@click.option(
    "--outline",
    type=click.Choice(["drawn", "surveyed", "schematic"]),
    default="drawn",
    show_default=True,
    help="What the --geometry outline is.",
)
@data_opt
@provider_opt
@gazetteer_opt
@write_opts
@online_opts
def add_park(
    name: str,
    area: str,
    address: str | None,
    geometry_file: Path | None,
    data_path: Path | None,
    provider: str,
    gazetteer: Path | None,
    update_existing: bool,
    allow_outside: bool,
    confirm_area: bool,
    reason: str | None,
    dry_run: bool,
    wait: float | None,
    api_key: str | None,
    user_agent: str | None,
    base_url: str | None,
    cache_dir: Path | None,
    **park: Any,
) -> None:
    """Add a park by address, by a point (e.g. copied from Amap) or by an outline.

    Every problem is reported at once and the data file is left untouched.

    \b
    Examples:
      geo add-park 新绿园 --area 6200 --address "人民大街与卫星路交会处东侧200米" --class 游园
      geo add-park 新绿园 --area 6200 --lonlat 125.3341,43.8412 --datum gcj02
      geo add-park 新绿园 --area 6200 --geometry new_park.geojson
    """
    online = {"api_key": api_key, "user_agent": user_agent, "base_url": base_url, "cache_dir": cache_dir}
    try:
        coder = None
        if (address is not None and provider != "gazetteer") or gazetteer is not None:
            coder = make_geocoder(provider, gazetteer, online)
        feature, remarks = make_park_from_file(
            name, geometry_file=geometry_file, area_m2=area, address=address, geocoder=coder, **park
        )
        for remark in remarks:
            click.echo(f"note: {remark}", err=True)
        result = add_place(
            feature,
            data_path,
            update=update_existing,
            allow_outside=allow_outside,
            confirm_area=confirm_area,
            dry_run=dry_run,
            reason=reason,
            wait=wait,
        )
    except GeoError as err:
        fail(err)
    report_change(result, dry_run)


def _prompt(field: str, index: int) -> Any:
    """Ask for a feature's missing name or area (``geo import`` at a terminal)."""
    label = "name" if field == "name" else "stated area in m² (empty: unknown)"
    value = click.prompt(f"feature[{index}] {label}", default="", show_default=False)
    return value or None


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@data_opt
@click.option("--name", default=None, help="Name, for a file with one feature and no name property.")
@click.option("--area", "area_m2", default=None, help="Stated area in m², for a file with one feature.")
@click.option("--class", "park_class", default=None, help="Park class for every feature without one.")
@click.option("--status", default=None, help="Status for every feature without one.")
@click.option(
    "--datum",
    type=click.Choice(["wgs84", "gcj02", "bd09"]),
    default=None,
    help="Datum of the file's coordinates (default: its 'datum' property, else wgs84).",
)
@click.option("--no-input", is_flag=True, help="Never prompt; report missing names and areas (for scripts).")
@write_opts
def import_(
    source: Path, data_path: Path | None, no_input: bool, update_existing: bool, dry_run: bool, **options: Any
) -> None:
    """Import parks from a GeoJSON file (the map's draw tool export, or any GIS); '-' reads standard input.

    \b
    Examples:
      geo import new_park.geojson --name 新绿园 --area 6200
      ogr2ogr -f GeoJSON /vsistdout/ parks.shp | geo import - --no-input
      geo import parks.geojson --no-input --dry-run
    """
    ask = _prompt if not no_input and sys.stdin.isatty() else None
    try:
        result = import_features(source, data_path, update=update_existing, dry_run=dry_run, ask=ask, **options)
    except GeoError as err:
        fail(err)
    report_change(result, dry_run)


@click.command()
@click.argument("ident", metavar="ID")
@data_opt
@dry_run_opt
def remove(ident: str, data_path: Path | None, dry_run: bool, wait: float | None) -> None:
    """Remove the place with this id (to undo a mistaken add).

    \b
    Example:
      geo remove xinlvyuan
    """
    try:
        result = remove_place(ident, data_path, dry_run=dry_run, wait=wait)
    except GeoError as err:
        fail(err)
    report_change(result, dry_run)


def _other_fields(args: tuple[str, ...]) -> dict[str, str]:
    """Read the ``--FIELD VALUE`` pairs no option declares (the library names each one it cannot update)."""
    pairs: dict[str, str] = {}
    rest = list(args)
    while rest:
        key = rest.pop(0)
        if key.startswith("--") and "=" in key:
            key, value = key.split("=", 1)
        elif key.startswith("--") and rest:
            value = rest.pop(0)
        else:
            msg = f"expected '--FIELD VALUE' pairs, got {key!r}"
            raise click.UsageError(msg)
        pairs[key[2:]] = value
    return pairs


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("ident", metavar="ID")
@field_opts
@click.argument("others", nargs=-1, type=click.UNPROCESSED, metavar="")
@data_opt
@dry_run_opt
def update(
    ident: str, others: tuple[str, ...], data_path: Path | None, dry_run: bool, wait: float | None, **fields: str | None
) -> None:
    """Change fields of a place: `geo update ID --OPTION VALUE ...` ("null" clears a field).

    The options are those of add-park and import. A new area or status needs --area-source or
    --status-source (where it comes from; "report" for the report). Old spellings (--park_class,
    --stated_area_m2, ...) still work, with a note.

    \b
    Example:
      geo update mulin-pocket-park --status open --status-source "site visit 2026-11-20"
    """
    changes = {**field_changes(fields), **_other_fields(others)}
    if not changes:
        raise click.UsageError("nothing to change: give --FIELD VALUE pairs")
    try:
        result = update_place(ident, changes, data_path, dry_run=dry_run, wait=wait)
    except GeoError as err:
        fail(err, UPDATE_OPTIONS)
    report_change(result, dry_run)


@click.command()
@click.argument("ident", metavar="[ID]", required=False)
@data_opt
@click.option("--json", "as_json", is_flag=True, help="Print the records (before and after) as JSON lines.")
def history(ident: str | None, data_path: Path | None, as_json: bool) -> None:
    """List the recorded changes (of one place with ID): when, who, what.

    \b
    Example:
      geo history mulin-pocket-park
      geo undo 20261129101500-a1b2c3
    """
    try:
        records = read_history(data_path, ident)
    except GeoError as err:
        fail(err)
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{record.get('change')}  {record.get('time')}  {record.get('place')}  {record.get('summary')}")
    if not records and not as_json:
        click.echo("no recorded changes" + (f" for {ident}" if ident else ""))


@click.command()
@click.argument("change")
@data_opt
@click.option("--editor", default=None, help="Who undoes it (default: GEO_EDITOR or your user name).")
@wait_opt
def undo(change: str, data_path: Path | None, editor: str | None, wait: float | None) -> None:
    """Revert one recorded change (see `geo history`), through the normal validated path.

    The place must still be as that change left it; otherwise nothing is written.

    \b
    Example:
      geo undo 20261129101500-a1b2c3
    """
    try:
        _, record = undo_change(change, data_path, editor=(editor or default_editor())[:60], wait=wait)
    except GeoError as err:
        fail(err)
    click.echo(f"{record['change']}: {record['summary']}")
    next_step()


#: This module's commands.
COMMANDS = [add_park, import_, update, remove, undo, history]
