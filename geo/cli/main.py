"""The ``geo`` group: shared state on ``ctx.obj``, logging to stderr, a full disk said in one line."""

from __future__ import annotations

import errno
import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import click

from geo import __version__

__all__ = ["COMMANDS", "WAIT_HELP", "CliState", "Entry", "main"]

#: How long a change waits for another process's lock (the group's ``--wait`` and every command's).
WAIT_HELP = "How long to wait for another process's lock on the data file (default 30, or GEO_LOCK_TIMEOUT)."


@dataclass
class CliState:
    """What the ``geo`` group hands every command (``ctx.obj``).

    Attributes
    ----------
    data : pathlib.Path or None
        The group's ``--data`` (``geo --data FILE COMMAND``).
    wait : float or None
        The group's ``--wait``: seconds a change waits for another process's lock.
    verbosity : int
        ``-v`` count minus ``-q`` count.
    """

    data: Path | None = None
    wait: float | None = None
    verbosity: int = 0


class Entry(NamedTuple):
    """Where a command lives, and the line ``geo --help`` lists it with (its help's first sentence)."""

    module: str
    attribute: str
    short_help: str


#: Every command of the group: name -> :class:`Entry` (module of :mod:`geo.cli`, attribute, short help). A
#: command's module is imported only when the command runs or its own ``--help`` is asked for, the way rio's
#: commands are entry points: ``geo --help`` lists the short help from this table and imports none of them,
#: ``geo serve`` does not import the geocoders, ``geo validate`` not the summaries. ``tests/test_cli.py``
#: checks each short help is its command's own.
COMMANDS: dict[str, Entry] = {
    "init": Entry(
        "data", "init", "Make a working folder: the report's data (data/locations.geojson) and a short README."
    ),
    "versions": Entry(
        "data",
        "versions",
        "Print the versions of Python, this package, its files and its dependencies (for bug reports).",
    ),
    "validate": Entry(
        "data",
        "validate",
        "Check the data file against the model and RFC 7946, and its history against it; list every problem.",
    ),
    "export": Entry(
        "data",
        "export",
        "Write every place (the unlocated ones too) as GeoJSON, CSV, KML, GeoPackage or GeoParquet.",
    ),
    "build": Entry("build", "build", "Build the map: write site/index.html from the data file."),
    "geocode": Entry(
        "geocoding",
        "geocode",
        "Print the WGS-84 point of a name, an address or a copied coordinate, with its provenance.",
    ),
    "locate": Entry(
        "geocoding", "locate", "Geocode the places without a location and store what is found, with provenance."
    ),
    "add-park": Entry(
        "edit", "add_park", "Add a park by address, by a point (e.g. copied from Amap) or by an outline."
    ),
    "import": Entry(
        "edit",
        "import_",
        "Import parks from a GeoJSON file (the map's draw tool export, or any GIS); '-' reads standard input.",
    ),
    "update": Entry(
        "edit", "update", 'Change fields of a place: `geo update ID --OPTION VALUE ...` ("null" clears a field).'
    ),
    "remove": Entry("edit", "remove", "Remove the place with this id (to undo a mistaken add)."),
    "undo": Entry("edit", "undo", "Revert one recorded change (see `geo history`), through the normal validated path."),
    "history": Entry("edit", "history", "List the recorded changes (of one place with ID): when, who, what."),
    "summary": Entry("summary", "summary", "Summarise park area (by class and category) and access to parks."),
    "serve": Entry("serve", "serve", "Serve the map as an editor: place, draw, fix and remove places in the browser."),
    "editors": Entry(
        "serve",
        "editors",
        "Manage the people allowed to change the data through `geo serve`: a key each, and a role.",
    ),
    "extract": Entry(
        "extract",
        "extract_",
        "Propose every place a Chinese news report names (REPORT: a text file, or - for standard input).",
    ),
    "network": Entry("network", "network", "Street networks for walking access, from OpenStreetMap extracts."),
}

#: Errors of a full device: a write that meets one says so in one line (the data file is written atomically).
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class _Group(click.Group):
    """The command group: commands loaded from :data:`COMMANDS` when asked for; a full device is one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attribute, _ = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"geo.cli.{module}"), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their short help from :data:`COMMANDS`, importing none of their modules."""
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                rows.append((name, COMMANDS[name].short_help))
            elif not self.commands[name].hidden:  # one added by a script with add_command
                rows.append((name, self.commands[name].get_short_help_str(formatter.width - 6 - len(name))))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as err:
            if err.errno not in _FULL:
                raise
            where = f" {str(err.filename)!r}" if err.filename else ""
            msg = f"cannot write{where}: {err.strerror or 'no space left on device'} (free some space and run it again)"
            raise click.ClickException(msg) from err


class _StderrHandler(logging.Handler):
    """Log lines to the current standard error (click's, so tests that swap it see them)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname.lower()}: {self.format(record)}", err=True)


def _configure_logging(ctx: click.Context, verbosity: int) -> None:
    """-v shows what each command does (INFO), -vv details (DEBUG), -q only errors; for the geo package's loggers.

    The level and the handler last as long as the command: a script calling ``main`` twice, or a test, starts afresh.
    """
    package = logging.getLogger("geo")
    level, handler = package.level, _StderrHandler()
    package.setLevel(max(logging.WARNING - 10 * verbosity, logging.DEBUG))
    package.addHandler(handler)

    def restore() -> None:
        package.setLevel(level)
        package.removeHandler(handler)

    ctx.call_on_close(restore)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geo")
@click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Data file for every command (a command's own --data wins; default: GEO_DATA, else "
    "data/locations.geojson in this folder or a parent).",
)
@click.option(
    "--wait",
    type=click.FloatRange(0, 3600),
    default=None,
    metavar="SECONDS",
    help=WAIT_HELP + " For every command; a command's own --wait wins.",
)
@click.option("-v", "--verbose", count=True, help="Say what each command does (-vv: more detail).")
@click.option("-q", "--quiet", count=True, help="Less log output (repeatable).")
@click.pass_context
def main(ctx: click.Context, data_path: Path | None, wait: float | None, verbose: int, quiet: int) -> None:
    """Map, geocode and summarise the parks and projects of Nanguan District (南关区), Changchun.

    \b
    Examples:
      geo validate                      # check data/locations.geojson
      geo build                         # write site/index.html
      geo geocode "人民大街与卫星路交会处"
      geo add-park 新公园 --area 5000 --lonlat 125.33,43.84 --datum gcj02
      geo summary --format json
      geo init atlas && cd atlas        # a working folder with the report's data
    """
    _configure_logging(ctx, verbose - quiet)
    ctx.obj = CliState(data=data_path, wait=wait, verbosity=verbose - quiet)
