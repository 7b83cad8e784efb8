"""Every option more than one ``geo`` command takes, defined once, and the state the group hands its commands.

The shared state is :class:`CliState` on ``ctx.obj``: the group's ``--data``, ``--wait`` and
verbosity. A command's own ``--data`` or ``--wait`` wins over the group's; both reach the
library as parameters (``wait=`` of every change in :mod:`geo.places`), never through the
environment.

=====================  ==============================================================================
option                 commands
=====================  ==============================================================================
``data_opt``           validate, build, export, locate, add-park, import, remove, update, undo, history,
                       serve, extract, editors, network import
``data_any_opt``       summary (a GeoParquet folder too, with ``--engine dask``)
``wait_opt``           locate, extract, undo; with ``--dry-run`` (``dry_run_opt``) add-park, import,
                       remove, update
``datum_opt``          add-park
``provider_opt``,      geocode, locate, add-park
``gazetteer_opt``,
``online_opts``
``allow_outside_opt``  geocode, locate, add-park, import
``write_opts``         add-park, import (``--update``, ``--allow-outside``, ``--confirm-area``,
                       ``--reason``, ``--repair``, ``--dry-run``, ``--wait``)
``network_opt``        build, summary
``field_opts``         update (one option per field of :data:`geo.places.FIELD_OPTIONS`, old
                       spellings hidden)
=====================  ==============================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from geo.cli.main import WAIT_HELP, CliState
from geo.model import CATEGORIES, PARK_CLASSES, STATUSES
from geo.places import FIELD_OPTIONS, OLD_SPELLINGS

__all__ = [
    "DATUMS",
    "CliState",
    "allow_outside_opt",
    "data_any_opt",
    "data_opt",
    "datum_opt",
    "dry_run_opt",
    "field_changes",
    "field_opts",
    "gazetteer_opt",
    "network_opt",
    "node_modules_opt",
    "online_opts",
    "provider_opt",
    "state_of",
    "wait_opt",
    "write_opts",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The datums a coordinate may be given in.
DATUMS = ("wgs84", "gcj02", "bd09")
DATA_HELP = "Data file (default: `geo --data`, GEO_DATA, else data/locations.geojson here or in a parent folder)."


def state_of(ctx: click.Context) -> CliState:
    """Return the group's :class:`CliState` (a fresh one when a command runs on its own, as in tests).

    Parameters
    ----------
    ctx : click.Context

    Returns
    -------
    CliState
    """
    found = ctx.find_object(CliState)
    return found if found is not None else CliState()


def _group_data(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """Return a command's --data, else the group's."""
    return value if value is not None else state_of(ctx).data


def _group_wait(ctx: click.Context, _param: click.Parameter, value: float | None) -> float | None:
    """Return a command's --wait, else the group's."""
    return value if value is not None else state_of(ctx).wait


data_opt = click.option(
    "--data",
    "data_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_group_data,
    help=DATA_HELP,
)
data_any_opt = click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path),
    default=None,
    callback=_group_data,
    help=DATA_HELP + " With --engine dask also a GeoParquet folder.",
)
wait_opt = click.option(
    "--wait",
    "wait",
    type=click.FloatRange(0, 3600),
    default=None,
    callback=_group_wait,
    metavar="SECONDS",
    help=WAIT_HELP,
)
_dry_run = click.option("--dry-run", is_flag=True, help="Check and report, but write nothing.")


def dry_run_opt(func: F) -> F:
    """Add ``--dry-run`` and ``--wait``: every command that may write takes both.

    Parameters
    ----------
    func : callable
        A click command function.

    Returns
    -------
    callable
    """
    return _dry_run(wait_opt(func))


datum_opt = click.option(
    "--datum",
    "datum",
    type=click.Choice(DATUMS),
    default="wgs84",
    show_default=True,
    help="Datum of the given coordinates (gcj02: copied from Amap/Tencent; bd09: from Baidu).",
)
network_opt = click.option(
    "--network",
    "network_file",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[FILE]",
    help="Use a street network (from `geo network import`; default: network.graphml beside the data).",
)


def node_modules_opt(help_text: str) -> Callable[[F], F]:
    """Return the ``--node-modules`` option (an ``npm ci`` folder of the pinned assets) of build and serve.

    Parameters
    ----------
    help_text : str
        The option's help: what the command does with the assets.

    Returns
    -------
    callable
        A click option decorator.
    """
    return click.option(
        "--node-modules", type=click.Path(file_okay=False, path_type=Path), default=None, help=help_text
    )


provider_opt = click.option(
    "--provider",
    type=click.Choice(["gazetteer", "nominatim", "amap", "baidu"]),
    default="gazetteer",
    show_default=True,
    help="Offline gazetteer, or an online service (opt-in; answers are cached on disk).",
)
gazetteer_opt = click.option(
    "--gazetteer",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A gazetteer CSV replacing the bundled one (same columns).",
)
allow_outside_opt = click.option(
    "--allow-outside",
    is_flag=True,
    help="Keep a location outside the district polygon (same-name places elsewhere are refused otherwise).",
)
_online = [
    click.option("--api-key", default=None, help="Amap/Baidu key (default: GEO_AMAP_KEY / GEO_BAIDU_KEY)."),
    click.option("--user-agent", default=None, help="Nominatim User-Agent (default: GEO_USER_AGENT)."),
    click.option("--base-url", default=None, help="Service URL (default: GEO_<PROVIDER>_URL or the public service)."),
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Answer cache (default: GEO_CACHE_DIR).",
    ),
]
_write = [
    click.option("--update", "update_existing", is_flag=True, help="Replace a place with the same id, name or spot."),
    allow_outside_opt,
    click.option(
        "--confirm-area",
        is_flag=True,
        help="Accept an outline >10 % off its stated area or far outside its class's sizes (needs --reason).",
    ),
    click.option("--reason", default=None, help="Why --confirm-area accepts the difference (kept in the history)."),
    click.option(
        "--repair", is_flag=True, help="Close, orient and make_valid a broken outline instead of refusing it."
    ),
    dry_run_opt,
]


def _stack(options: list[Callable[[Any], Any]]) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


#: ``--api-key``, ``--user-agent``, ``--base-url``, ``--cache-dir``: what an online geocoder needs.
online_opts = _stack(_online)
#: What every command that adds places takes.
write_opts = _stack(_write)


#: Help for each field option of ``geo update`` (the vocabulary :data:`geo.places.FIELD_OPTIONS`).
FIELD_HELP: dict[str, str] = {
    "name": "Chinese name, as the source writes it.",
    "name-en": "English name.",
    "category": f"Map layer: {', '.join(CATEGORIES)}.",
    "class": f"CJJ/T 85-2017 class: {', '.join(PARK_CLASSES)}.",
    "status": f"{', '.join(STATUSES)} (a known status needs --status-source).",
    "area": "Stated area in square metres (needs --area-source).",
    "address": "Address, as written.",
    "quote": "The sentence of a source that names the place.",
    "quote-source": "Where the quote is from.",
    "area-source": "Where the stated area comes from ('report' for the report).",
    "status-source": "Where the status comes from ('report' for the report).",
    "notes": "Caveats.",
    "uncertainty": "Radius in metres the place lies within.",
}


#: Every spelling ``geo update`` takes: the shared vocabulary, then the old spellings.
_SPELLINGS = [*FIELD_OPTIONS, *OLD_SPELLINGS]


def _field_option(k: int) -> Callable[[F], F]:
    option = _SPELLINGS[k]
    hidden = option not in FIELD_OPTIONS
    help_text = f"Old spelling of --{OLD_SPELLINGS[option]}." if hidden else FIELD_HELP.get(option, "")
    return click.option(f"--{option}", f"field_{k}", default=None, metavar="VALUE", hidden=hidden, help=help_text)


#: One click option per field ``geo update`` may change, and the old spellings (hidden) that still work.
field_opts = _stack([_field_option(k) for k in range(len(_SPELLINGS))])


def field_changes(params: dict[str, Any]) -> dict[str, str]:
    """Return ``{option as typed: value}`` for the field options given (see :data:`field_opts`).

    Parameters
    ----------
    params : dict
        A command's keyword arguments; the field options are those named ``field_<k>``.

    Returns
    -------
    dict
        Keyed by the option's spelling (``class``, ``park_class``, ...), as :func:`geo.places.update_place` reads it.
    """
    return {_SPELLINGS[int(k[6:])]: v for k, v in params.items() if k.startswith("field_") and v is not None}
