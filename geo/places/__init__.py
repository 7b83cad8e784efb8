"""Add, import, update, remove and locate places: every change to the data goes through here.

Each operation validates *everything* first and reports every problem at once
(:class:`geo.errors.ValidationError`), then changes the data file inside one
locked, atomic :func:`geo.store.patch`, so that on any error the file is
byte-for-byte unchanged and two processes adding parks at once both land.

The package is laid out by concern, each module small enough to read at once:

- :mod:`~geo.places.add`: :func:`make_park` (a park from command-line style
  inputs) and :func:`add_place` (duplicates, district and area checks, write);
- :mod:`~geo.places.imports`: :func:`import_features` from GeoJSON and other files, and
  :func:`make_park_from_file` (``geo add-park --geometry``: the outline and its datum read from a file);
- :mod:`~geo.places.edit`: :func:`update_place`, :func:`remove_place`, :func:`set_location` (placing
  by hand), :func:`set_outline` and :func:`restore_place` (undo), each optionally tied to the version
  the edit was made against (:class:`geo.errors.ConflictError` when the place moved on);
- :mod:`~geo.places.locate`: :func:`locate_missing` with a geocoder (:func:`missing_places`: what it tries);
- :mod:`~geo.places.outline`: outlines read with :mod:`geo.geojson`, converted and measured;
- :mod:`~geo.places.sense`: the sense checks (a click's zoom, a park class's sizes, a reason to accept a
  refused difference, a source for every new location and figure) and the notes a placing makes stale;
- ``_common``: the option vocabulary (:data:`FIELD_OPTIONS`), results and area parsing.

Options every change takes
--------------------------
The keyword options the changes share (``dry_run``, ``expect_version``, ``state``, ``editor``,
``extra``, ``wait``, and ``update``, ``allow_outside``, ``confirm_area``, ``reason``, ``repair``)
are declared once, in ``_options``: their types (``ChangeKeywords``, what a change's ``**options``
accepts), defaults and text (``ChangeOptions``, the frozen object its steps pass on). Each change
names the ones it takes; its signature (``help()``, :func:`inspect.signature`) and its docstring's
``Parameters`` list them, and any other keyword is a ``TypeError``, as before.
"""

from __future__ import annotations

from geo.places._common import FIELD_OPTIONS, OLD_SPELLINGS, ChangeResult, field_for_option, parse_area
from geo.places.add import add_place, add_places, make_park
from geo.places.edit import (
    UPDATABLE,
    parse_changes,
    remove_place,
    restore_place,
    set_location,
    set_outline,
    undo_change,
    update_place,
)
from geo.places.imports import PROPERTY_ALIASES, import_features, make_park_from_file, read_features, read_park_outline
from geo.places.locate import LocateReport, locate_missing, missing_places
from geo.places.sense import CLASS_AREA_M2, click_uncertainty_m, notes_after_placing

__all__ = [
    "CLASS_AREA_M2",
    "FIELD_OPTIONS",
    "OLD_SPELLINGS",
    "PROPERTY_ALIASES",
    "UPDATABLE",
    "ChangeResult",
    "LocateReport",
    "add_place",
    "add_places",
    "click_uncertainty_m",
    "field_for_option",
    "import_features",
    "locate_missing",
    "make_park",
    "make_park_from_file",
    "missing_places",
    "notes_after_placing",
    "parse_area",
    "parse_changes",
    "read_features",
    "read_park_outline",
    "remove_place",
    "restore_place",
    "set_location",
    "set_outline",
    "undo_change",
    "update_place",
]
