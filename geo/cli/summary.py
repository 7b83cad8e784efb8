"""``geo summary``: park area by class and category, and access to parks, as text, JSON, CSV tables or a chart."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from geo.cli.helpers import network_for
from geo.cli.messages import fail, find_data
from geo.cli.options import data_any_opt, network_opt
from geo.dask_engine import summarize_dask
from geo.errors import GeoError
from geo.store import district_figures, load_frame
from geo.summary import TABLES, format_summary, plot_summary, summarize, write_summary_tables

__all__ = ["COMMANDS", "SUMMARY_TABLES", "summary"]

#: The summary's tidy tables (:data:`geo.summary.TABLES`), one CSV file each.
SUMMARY_TABLES = tuple(TABLES)


def _summarize(path: Path, engine: str, scheduler: str | None, partitions: int, **kwargs: Any) -> dict[str, Any]:
    """Summarise the data file (or, with the dask engine, a GeoParquet folder) and its district figures."""
    parquet = engine == "dask" and (path.is_dir() or path.suffix in (".parquet", ".geoparquet"))
    if parquet:  # a GeoParquet folder has no collection members: no district figures
        return summarize_dask(path, scheduler=scheduler, npartitions=partitions, **kwargs)
    frame, members = load_frame(path)  # read once: the places and the figures for the district as a whole
    if engine == "dask":
        result = summarize_dask(frame, scheduler=scheduler, npartitions=partitions, **kwargs)
    else:
        result = summarize(frame, **kwargs)
    result["district_figures"] = district_figures(members)
    return result


def _write_text(text: str, out: Path | None, plot: Path | None) -> None:
    """Print the summary, or write it to ``--out`` (a failure to write is one line, not a traceback)."""
    if out is None or str(out) == "-":
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:  # a missing folder, a full disk, no permission
        msg = f"--out: cannot write {str(out)!r}: {err.strerror}"
        raise click.ClickException(msg) from err
    click.echo(f"wrote {out}", err=str(plot) == "-")


@click.command()
@data_any_opt
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]), default="table", show_default=True
)
@click.option(
    "--radius",
    "radii",
    type=click.FloatRange(min=1, max=50_000),
    multiple=True,
    help="Access radius in metres, 1 to 50,000 (repeatable; default 300 and 500).",
)
@click.option(
    "--large-parks-at",
    "large_at",
    type=float,
    multiple=True,
    help="At this radius count only parks of 1 ha or more (GB/T 51346-2019 uses 500).",
)
@click.option(
    "--population",
    type=click.IntRange(min=1),
    default=None,
    help="Residents, for park area per person (GB 55014-2021: 8 m²).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(allow_dash=True, path_type=Path),
    default=None,
    help="Write to this file instead of stdout ('-': stdout); with --format csv, a folder for one CSV file per table.",
)
@click.option(
    "--table",
    type=click.Choice(list(SUMMARY_TABLES)),
    default=None,
    help="With --format csv: the one tidy table to print (or to write to --out FILE).",
)
@click.option(
    "--plot",
    "plot",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="Also write a PNG chart ('-': to stdout, instead of the text).",
)
@click.option(
    "--engine",
    type=click.Choice(["memory", "dask"]),
    default="memory",
    show_default=True,
    help="dask: read --data as partitioned GeoParquet (or partition a GeoJSON file) and compute on a Dask cluster.",
)
@click.option(
    "--scheduler", default=None, help="With --engine dask: a Dask scheduler address (default: a local cluster)."
)
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="With --engine dask and GeoJSON --data: how many partitions to cut it into.",
)
@network_opt
def summary(
    data_path: Path | None,
    fmt: str,
    radii: tuple[float, ...],
    large_at: tuple[float, ...],
    population: int | None,
    out: Path | None,
    table: str | None,
    plot: Path | None,
    engine: str,
    scheduler: str | None,
    partitions: int,
    network_file: str | None,
) -> None:
    """Summarise park area (by class and category) and access to parks.

    \b
    Examples:
      geo summary
      geo summary --format json --radius 300 --radius 500 --large-parks-at 500
      geo summary --population 380000 --plot parks.png
      geo summary --engine dask --data parks.parquet/ --scheduler tcp://10.0.0.5:8786
      geo summary --network          # walking access along streets, beside straight lines
      geo summary --format csv --out tables/      # one tidy CSV per table
      geo summary --format csv --table access     # one table on standard output
    """
    to_stdout = out is None or str(out) == "-"
    if str(plot) == "-" and to_stdout:
        raise click.UsageError("--plot -: the chart takes stdout, so give the text a file with --out FILE")
    tables_folder = fmt == "csv" and table is None
    if tables_folder and to_stdout:
        msg = "--format csv writes one table per file: give --out FOLDER, or --table NAME to print one table"
        raise click.UsageError(msg)
    try:
        path = find_data(data_path)
        result = _summarize(
            path,
            engine,
            scheduler,
            partitions,
            radii=radii or (300.0, 500.0),
            large_park_radii=large_at,
            population=population,
            network=network_for(network_file, path),
        )
        if plot is not None:
            plot_summary(result, sys.stdout.buffer if str(plot) == "-" else plot)
        if tables_folder:
            written = write_summary_tables(result, out)
            click.echo(f"wrote {len(written)} tables into {out}: " + ", ".join(p.name for p in written))
            return
        text = format_summary(result, fmt, table=table)
    except GeoError as err:
        fail(err)
    _write_text(text, out, plot)


#: This module's commands.
COMMANDS = [summary]
