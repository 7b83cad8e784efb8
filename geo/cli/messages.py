"""How the command line words what the library says: problems with their options, results, the next step.

A library problem names a field (:class:`geo.errors.Problem`); here it gets the option that sets
that field (:data:`OPTIONS`) and the option that accepts or fixes it. Library errors become
``Error: ...`` lines and exit code 1 (:func:`fail`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NoReturn

import click

from geo.errors import GeoError, Problem, ValidationError
from geo.places import FIELD_OPTIONS, ChangeResult
from geo.resources import find_data_path

__all__ = ["OPTIONS", "UPDATE_OPTIONS", "fail", "find_data", "next_step", "problem_line", "report_change"]

#: The option that sets each field a problem may name (a problem names the field, the command line its option).
OPTIONS: dict[str, str] = {
    "stated_area_m2": "--area",
    "park_class": "--class",
    "status": "--status",
    "datum": "--datum",
    "outline": "--outline",
    "lonlat": "--lonlat",
    "address": "--address",
    "location_source": "--source",
    "stated_area_source": "--source",
    "status_source": "--source",
    "source": "--source",
    "name_en": "--name-en",
    "uncertainty_m": "--uncertainty",
    "reason": "--reason",
    "zoom": "--lonlat",
    "geometry_file": "--geometry",
}
#: ``geo update``'s table: every field is set by its own option of the shared vocabulary.
UPDATE_OPTIONS: dict[str, str] = {**OPTIONS, **{field: f"--{option}" for option, field in FIELD_OPTIONS.items()}}
#: What the command line adds to a problem of a code: the option that accepts or fixes it.
_HINTS = {
    "area_mismatch": "pass --confirm-area --reason TEXT to accept",
    "class_too_large": "pass --confirm-area --reason TEXT to accept",
    "class_too_small": "pass --confirm-area --reason TEXT to accept",
    "outside_district": "pass --allow-outside to keep it",
    "duplicate": "pass --update to replace it",
    "one_location": "give one of --address, --lonlat or --geometry",
}
#: The library's words for what a command-line option does, and the option that does it.
_OPTION_WORDS = {
    "add it to a gazetteer file or try an online provider": "add it to a gazetteer (--gazetteer) or try --provider",
    "a same-name place elsewhere?": "a same-name place elsewhere? (--allow-outside keeps it)",
    "try again when it is done, or wait longer": "try again when it is done, or wait longer with --wait SECONDS",
}


def problem_line(problem: Problem, options: dict[str, str] | None = None) -> str:
    """Return a problem as the command line says it: the option that sets its field, and how to accept it.

    Parameters
    ----------
    problem : geo.errors.Problem
    options : dict, optional
        Field -> option for this command (default :data:`OPTIONS`).

    Returns
    -------
    str

    Examples
    --------
    >>> problem_line(Problem("stated_area_m2", "stated_area_m2", "must be > 0, got -3"))
    '--area: must be > 0, got -3'
    """
    table = OPTIONS if options is None else options
    option = table.get(problem.field)
    where = problem.where
    if option and where == problem.field:
        where = option
    elif option and where.endswith(f": {problem.field}"):
        where = f"{where.removesuffix(problem.field)}{option}"
    text = problem.text.replace("(a repair fixes it)", "(--repair fixes it)")
    if problem.code == "cannot_update":
        text = f"cannot be updated (options: {', '.join(f'--{k}' for k in FIELD_OPTIONS)})"
        where = f"--{problem.field}"
    hint = _HINTS.get(problem.code)
    if hint:
        text = f"{text}; {hint}"
    return f"{where}: {text}" if where else text


def _with_options(text: str) -> str:
    for words, said in _OPTION_WORDS.items():
        text = text.replace(words, said)
    return text


def fail(err: GeoError, options: dict[str, str] | None = None) -> NoReturn:
    """Turn a library error into a click error: one line per problem on stderr, exit 1.

    Parameters
    ----------
    err : geo.errors.GeoError
    options : dict, optional
        As for :func:`problem_line`.

    Raises
    ------
    click.ClickException
        Always.
    """
    if isinstance(err, ValidationError):
        lines = [_with_options(problem_line(p, options)) for p in err.problems]
        raise click.ClickException("\n".join(lines)) from err
    raise click.ClickException(_with_options(str(err))) from err


def find_data(path: Path | None) -> Path:
    """Find the data file (``--data``, GEO_DATA, data/locations.geojson here or above), or fail in one line.

    Parameters
    ----------
    path : pathlib.Path or None
        The ``--data`` given (the command's or the group's).

    Returns
    -------
    pathlib.Path
    """
    try:
        return find_data_path(path)
    except GeoError as err:
        fail(err)


def next_step() -> None:
    """Say what shows the change: the built page is stale until the next build."""
    msg = "next: run `geo build` to redraw site/index.html with this change (a running `geo serve` shows it now)"
    click.echo(msg, err=True)


def report_change(result: ChangeResult, dry_run: bool) -> None:
    """Print what a change did (or, in a dry run, would do) and the next step.

    Parameters
    ----------
    result : geo.places.ChangeResult
    dry_run : bool
    """
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    verb = {"add": "added", "import": "imported", "remove": "removed", "update": "updated"}[result.action]
    if dry_run:
        click.echo(f"dry run: would have {verb} {', '.join(result.ids)}; nothing written")
        for feature in result.features:
            click.echo(json.dumps(feature, ensure_ascii=False))
    elif not result.written:
        click.echo(f"nothing to change: {', '.join(result.ids)} already as asked; nothing written or recorded")
    else:
        # The change is in the history already: every command records through geo.history.apply_change.
        click.echo(f"{verb} {', '.join(result.ids)}")
        next_step()
