"""The ``geo`` command line: a click group of thin commands over the library, laid out as rasterio's ``rio``.

- :mod:`~geo.cli.main`: the group ``main`` (``--data``, ``--wait``, ``-v``/``-q``), which puts the
  shared state (:class:`~geo.cli.options.CliState`) on ``ctx.obj``;
- :mod:`~geo.cli.options`: every option more than one command takes, defined once;
- :mod:`~geo.cli.messages`: problems worded with their options (:func:`problem_line`, :data:`OPTIONS`),
  library errors as ``Error: ...`` and exit 1, what a change did;
- one module per group of commands: :mod:`~geo.cli.data` (init, validate, export, versions),
  :mod:`~geo.cli.build`, :mod:`~geo.cli.geocoding` (geocode, locate), :mod:`~geo.cli.edit` (add-park,
  import, update, remove, undo, history), :mod:`~geo.cli.summary`, :mod:`~geo.cli.serve` (serve,
  editors), :mod:`~geo.cli.extract` and :mod:`~geo.cli.network`, each loaded when one of its
  commands runs (:data:`geo.cli.main.COMMANDS`);
- :mod:`~geo.cli.helpers`: the geocoder and the street network several commands' options ask for.

Each command parses its options, calls one library function and prints the result; library
errors (:class:`geo.errors.GeoError`) become one-line messages and exit code 1.
"""

from __future__ import annotations

import importlib
from typing import Any

from geo.cli.main import main

__all__ = ["OPTIONS", "SUMMARY_TABLES", "main", "problem_line"]


#: What the package re-exports from the modules that load the library, and from where: ``geo --help`` needs none.
_LAZY = {"OPTIONS": "geo.cli.messages", "problem_line": "geo.cli.messages", "SUMMARY_TABLES": "geo.cli.summary"}


def __getattr__(name: str) -> Any:
    """Return :data:`~geo.cli.messages.OPTIONS`, :func:`~geo.cli.messages.problem_line` or
    :data:`geo.cli.summary.SUMMARY_TABLES` when asked for: their modules load the library, so only then.
    """  # noqa: D205
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    msg = f"module 'geo.cli' has no attribute {name!r}"
    raise AttributeError(msg)
