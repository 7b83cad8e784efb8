"""The ``geo`` group: shared state on ``ctx.obj``, logging to stderr, a full disk said in one line."""

from __future__ import annotations

import errno
import importlib
import logging
from pathlib import Path
from typing import Any

import click

from geo import __version__
from geo.cli.options import WAIT_HELP, CliState

__all__ = ["COMMANDS", "main"]

#: Every command of the group: name -> (module of :mod:`geo.cli`, attribute). A command's module is imported
#: when the command runs (or ``geo --help`` lists it), the way rio's commands are entry points: ``geo serve``
#: does not import the geocoders, ``geo validate`` not the summaries.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("data", "init"),
    "versions": ("data", "versions"),
    "validate": ("data", "validate"),
    "export": ("data", "export"),
    "build": ("build", "build"),
    "geocode": ("geocoding", "geocode"),
    "locate": ("geocoding", "locate"),
    "add-park": ("edit", "add_park"),
    "import": ("edit", "import_"),
    "update": ("edit", "update"),
    "remove": ("edit", "remove"),
    "undo": ("edit", "undo"),
    "history": ("edit", "history"),
    "summary": ("summary", "summary"),
    "serve": ("serve", "serve"),
    "editors": ("serve", "editors"),
    "extract": ("extract", "extract_"),
    "network": ("network", "network"),
}

#: Errors of a full device: a write that meets one says so in one line (the data file is written atomically).
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class _Group(click.Group):
    """The command group: commands loaded from :data:`COMMANDS` when asked for; a full device is one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attribute = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"geo.cli.{module}"), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

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
