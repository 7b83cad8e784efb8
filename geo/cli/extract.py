"""``geo extract``: propose every place a Chinese news report names, and with ``--apply`` add the new ones."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.messages import fail
from geo.cli.options import data_opt, wait_opt
from geo.errors import GeoError
from geo.extract import apply_candidates, extract_report, render

__all__ = ["COMMANDS", "extract_"]


@click.command("extract")
@click.argument("report", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "geojson"]),
    default="table",
    show_default=True,
    help="table for people, json for tools, geojson for `geo import`.",
)
@click.option(
    "--source", "source_name", default=None, help="The report's title, paper and date (kept with each place)."
)
@click.option(
    "--apply", "apply_", is_flag=True, help="Add the new places, unlocated; existing places are never changed."
)
@data_opt
@wait_opt
def extract_(
    report: str, fmt: str, source_name: str | None, apply_: bool, data_path: Path | None, wait: float | None
) -> None:
    """Propose every place a Chinese news report names (REPORT: a text file, or - for standard input).

    Nothing is written unless --apply; then `geo locate --missing` or `geo serve` places them.

    \b
    Examples:
      geo extract report.txt
      geo extract report.txt --format json > candidates.json
      geo extract report.txt --apply --source "《报道标题》，报纸名，2026-01-15"
    """
    if apply_ and not (source_name or "").strip():
        raise click.UsageError("--apply needs --source: the report's title, paper and date")
    try:
        candidates = extract_report(report, data_path)
        click.echo(render(candidates, fmt, source=source_name))
        if not candidates:
            click.echo(f"no places found in {report}", err=True)
        result, matched = (
            apply_candidates(candidates, data_path, source=source_name or "", wait=wait) if apply_ else (None, [])
        )
    except GeoError as err:
        fail(err)
    for c in matched:
        click.echo(f"matched {c.name} = {c.matches} (unchanged)", err=True)
    if result is not None:
        for feature in result.features:
            click.echo(f"added {feature['properties']['name']} as {feature['properties']['id']} (unlocated)", err=True)
        click.echo("next: `geo locate --missing` or `geo serve` places them; `geo build` redraws the map", err=True)
    elif apply_:
        click.echo("nothing new to add: every place is in the data already", err=True)


#: This module's commands.
COMMANDS = [extract_]
