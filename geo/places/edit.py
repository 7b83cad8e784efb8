"""Change fields of a place, place an unlocated one, or remove one."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from geo import rules
from geo.errors import ConflictError, Problem, ValidationError
from geo.history import check_editor, find_change
from geo.model import check_feature, normalize_properties, text_key
from geo.places._common import (
    FIELD_OPTIONS,
    ChangeResult,
    area_value,
    field_for_option,
    input_problem,
    nfc,
    parse_area,
    run_change,
)
from geo.places._options import WRITING, ChangeKeywords, ChangeOptions, takes
from geo.places.add import address_location, area_check, district_problems, outline_location, point_location
from geo.places.sense import notes_after_placing, override_reason, source_problem
from geo.store import Changes, version_of

if TYPE_CHECKING:  # geo.geocode imports geopy: a command that geocodes nothing does not load it
    from geo.geocode.base import SupportsGeocode

__all__ = [
    "UPDATABLE",
    "parse_changes",
    "remove_place",
    "restore_place",
    "set_location",
    "set_outline",
    "undo_change",
    "update_place",
]

#: Model fields ``geo update`` may set, with how to read them from text.
UPDATABLE: dict[str, Any] = {
    "name": str,
    "name_en": str,
    "category": str,
    "park_class": str,
    "status": str,
    "stated_area_m2": "area",
    "address": str,
    "quote": str,
    "quote_source": str,
    "stated_area_source": str,
    "status_source": str,
    "notes": str,
    "uncertainty_m": float,
}
#: A value and the field that names its source: changing the value without a source records NO_SOURCE.
_SOURCED = {"stated_area_m2": "stated_area_source", "status": "status_source"}


def _field(key: str) -> tuple[str | None, str | None]:
    name, note = field_for_option(key)
    if name is None and key in UPDATABLE:
        return key, None
    return name, note


def _number(key: str, value: Any) -> tuple[Any, list[Problem]]:
    """Read a number of metres for the model field ``key``."""
    not_a_number = [input_problem(key, "number", f"expected a number, got {value!r}", value)]
    if isinstance(value, bool):  # float(True) is 1.0: a yes/no is not a number of metres
        return None, not_a_number
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, not_a_number
    if not math.isfinite(number) or number < 0:
        text = f"must be a finite number >= 0, got {value!r}"
        return None, [input_problem(key, "number_nonnegative", text, value)]
    return number, []


def parse_changes(changes: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """Read ``{option or field: value}`` into model fields.

    Option names (``class``, ``area``, ``name-en``, ``uncertainty``, ...) and
    model field names are both understood; old CLI spellings give a note.

    Parameters
    ----------
    changes : Mapping
        Field or option name to new value.

    Returns
    -------
    tuple
        ``(fields, problems, notes)``.
    """
    parsed: dict[str, Any] = {}
    problems: list[Problem] = []
    notes: list[str] = []
    for key, value in changes.items():
        name, note = _field(key)
        if name is None:
            allowed = ", ".join(_options())
            problems.append(
                Problem(
                    key,
                    key,
                    f"cannot be updated (it may be one of {allowed})",
                    code="cannot_update",
                    values={"key": key, "allowed": allowed},
                )
            )
            continue
        if note:
            notes.append(note)
        if value is None or value == "null":
            parsed[name] = None
        elif UPDATABLE[name] == "area":
            area, bad = parse_area(value, field_name=name)
            problems += bad
            parsed[name] = area_value(area)
        elif UPDATABLE[name] is float:
            parsed[name], bad = _number(name, value)
            problems += bad
        elif not isinstance(value, str):
            problems.append(input_problem(name, "text_type", f"expected text, got {value!r}", value))
        else:
            parsed[name] = nfc(value)
    for value_key, source_key in _SOURCED.items():
        if value_key in parsed and source_key not in parsed:
            if parsed[value_key] in (None, *rules.RULES[value_key].source_needless):
                parsed[source_key] = None
            elif value_key != "status" or parsed[value_key] in rules.RULES.choices(
                "status"
            ):  # a new figure names its source
                problems += source_problem(source_key, None)
    return parsed, problems, notes


def _options() -> list[str]:
    return list(FIELD_OPTIONS)


def _renamed_onto(features: list[dict[str, Any]], ident: str, new_name: Any) -> list[Problem]:
    if not isinstance(new_name, str):
        return []
    key = text_key(new_name)
    taken = [
        f["properties"]["id"]
        for f in features
        if f["properties"]["id"] != ident and text_key(f["properties"]["name"]) == key
    ]
    if not taken:
        return []
    values = {"name": new_name, "other": taken[0]}
    return [
        Problem("name", "name", f"{new_name!r} is taken by {taken[0]!r}", "duplicate", code="name_taken", values=values)
    ]


def _apply(
    path: str | os.PathLike[str] | None,
    ident: str,
    make: Callable[[list[dict[str, Any]], dict[str, Any] | None], dict[str, Any] | None],
    action: str,
    how: ChangeOptions,
    *,
    may_be_absent: bool = False,
    at: int | None = None,
) -> ChangeResult:
    """Change one place under the file's lock, refusing with :class:`ConflictError` if it moved on.

    ``make(features, current)`` returns the new place, or ``None`` to remove it; ``current`` is
    ``None`` only with ``may_be_absent`` (restoring a removed place).
    """
    result = ChangeResult(action=action, ids=[ident])

    def change(features: list[dict[str, Any]]) -> Changes:
        position = next((k for k, f in enumerate(features) if f["properties"]["id"] == ident), None)
        current = features[position] if position is not None else None
        result.position = position
        if current is None and not may_be_absent:
            if how.expect_version is not None:
                raise ConflictError(ident, None, None)
            text = f"no place has id {ident!r}"
            raise ValidationError(Problem("id", "id", text, "missing", code="no_place", values={"ident": ident}))
        if how.expect_version is not None and (current is None or version_of(current) != how.expect_version):
            raise ConflictError(ident, current, version_of(current) if current is not None else None)
        if current is not None and may_be_absent and how.expect_version is None:
            raise ConflictError(ident, current, version_of(current))
        new = make(features, current)
        result.previous, result.features = [current], [new] if new is not None else []
        if new is None:
            return Changes(remove={ident})
        found = check_feature(new)
        if found:
            raise ValidationError(found)
        if current is None:
            return Changes(add=[new], at={ident: at} if at is not None else {})
        return Changes(replace={ident: new})

    result.written = run_change(path, change, result, how)
    return result


@takes("expect_version", *WRITING)
def update_place(
    ident: str,
    changes: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    **options: Unpack[ChangeKeywords],
) -> ChangeResult:
    """Change fields of one place; ``None`` (or ``"null"``) clears a field. The change is recorded in the history.

    Parameters
    ----------
    ident : str
    changes : mapping
        Option name (``class``, ``area``, ``status``, ``name-en``, ...) or model
        field to new value; text is converted (areas and numbers parsed).
    path : str or path-like, optional

    Returns
    -------
    ChangeResult
        ``warnings`` holds deprecation notes for old option spellings.

    Raises
    ------
    geo.errors.ValidationError
        Unknown id or field, or a value the model refuses; nothing is written.
    """
    parsed, problems, notes = parse_changes(changes)
    if problems:
        raise ValidationError(problems)

    def make(features: list[dict[str, Any]], current: dict[str, Any] | None) -> dict[str, Any]:
        assert current is not None
        renamed = _renamed_onto(features, ident, parsed.get("name"))
        if renamed:
            raise ValidationError(renamed)
        return {**current, "properties": normalize_properties({**current["properties"], **parsed})}

    result = _apply(path, ident, make, "update", ChangeOptions(**options))
    result.warnings = notes
    return result


@takes("dry_run", "expect_version", "state", "editor", "wait")
def remove_place(
    ident: str, path: str | os.PathLike[str] | None = None, **options: Unpack[ChangeKeywords]
) -> ChangeResult:
    """Remove a place by id (recorded in the history with ``after`` null).

    Parameters
    ----------
    ident : str
    path : str or path-like, optional

    Returns
    -------
    ChangeResult
        ``previous`` holds the removed place.

    Raises
    ------
    geo.errors.ValidationError
        No place has that id.
    """
    result = _apply(path, ident, lambda _f, _c: None, "remove", ChangeOptions(**options))
    result.features = [f for f in result.previous if f is not None]
    return result


@takes("expect_version", "allow_outside", *WRITING)
def set_location(
    ident: str,
    path: str | os.PathLike[str] | None = None,
    *,
    source: str,
    lonlat: Any = None,
    address: str | None = None,
    datum: str = "wgs84",
    uncertainty_m: float | None = None,
    geocoder: SupportsGeocode | None = None,
    zoom: float | None = None,
    **options: Unpack[ChangeKeywords],
) -> ChangeResult:
    """Place a place by hand (an unlocated one, or move a point): from a position or an address.

    Placing an unlocated place also drops the sentences of its notes that said it could not be
    placed (:func:`geo.places.sense.notes_after_placing`), in the same change.

    Parameters
    ----------
    ident : str
    path : str or path-like, optional
    source : str
        How the position is known (``"site visit 2026-11-20"``, ``"site plan, 南关区住建局"``); required.
    lonlat : text or pair, optional
        The position in ``datum`` (GCJ-02 when read off the Amap basemap: converted, original kept).
    address : str, optional
        Resolved with the gazetteer (or ``geocoder``) instead of ``lonlat``.
    datum : str
    uncertainty_m : float, optional
        The radius the place lies within (30 m by default); over 50 m the point is drawn as approximate.
    geocoder : SupportsGeocode, optional
        For ``address``, from :func:`geo.geocode.get_geocoder`; None for the offline gazetteer.
    zoom : float, optional
        The map's zoom when ``lonlat`` was clicked: the point records the radius a click there is
        good to, and a click at a zoom too coarse to mean anything is refused.

    Returns
    -------
    ChangeResult
        ``features`` holds the place as placed, ``previous`` as it was.

    Raises
    ------
    geo.errors.ValidationError
        Every problem at once; nothing is written.
    """
    source = nfc(source)
    problems = source_problem("location_source", source) if lonlat is None else []  # point_location asks too
    geom: dict[str, Any] | None = None
    props: dict[str, Any] = {}
    if uncertainty_m is not None:
        uncertainty_m, bad = _number("uncertainty_m", uncertainty_m)
        problems += bad
    if (lonlat is None) == (address is None):
        text = "give exactly one of a position (lon, lat) or an address"
        problems.append(Problem("geometry", "geometry", text, "missing", code="one_position"))
    elif lonlat is not None:
        geom, props, bad = point_location(lonlat, datum, source, uncertainty_m, zoom)
        problems += bad
    else:
        geom, props, bad = address_location(str(address), geocoder)
        props["location_source"] = f"{source}; {props.get('location_source')}"
        problems += bad
    how = ChangeOptions(**options)
    if geom is not None:
        problems += district_problems({"geometry": geom}, how.allow_outside)
    if problems:
        raise ValidationError(problems)

    def make(_features: list[dict[str, Any]], current: dict[str, Any] | None) -> dict[str, Any]:
        assert current is not None
        if current["geometry"] is not None and current["geometry"]["type"] != "Point":
            text = f"{ident} has an outline; edit its vertices instead of moving it"
            raise ValidationError(
                Problem("geometry", "geometry", text, "conflict", code="outline_not_moved", values={"ident": ident})
            )
        kept = {k: v for k, v in current.items() if k != "bbox"}  # a bbox of the old position would now be wrong
        notes = notes_after_placing(current["properties"]) if current["geometry"] is None else {}
        new = {**current["properties"], **notes, **props}
        return {**kept, "geometry": geom, "properties": normalize_properties(new)}

    return _apply(path, ident, make, "place", how)


@takes("expect_version", "repair", "confirm_area", "allow_outside", "dry_run", "state", "editor", "reason", "wait")
def set_outline(
    ident: str,
    geometry: Any,
    path: str | os.PathLike[str] | None = None,
    *,
    datum: str = "wgs84",
    source: str | None = None,
    zoom: float | None = None,
    **options: Unpack[ChangeKeywords],
) -> ChangeResult:
    """Give a place a new outline (edited vertices, or a first outline), any winding.

    A first outline of an unlocated place also drops the notes that said it could not be placed.

    Parameters
    ----------
    ident : str
    geometry : Any
        A GeoJSON Polygon or MultiPolygon in ``datum``.
    path : str or path-like, optional
    datum : str
    source : str
        How the outline is known (required: a new outline is a new location).
    zoom : float, optional
        The map's zoom when the outline was drawn (its radius; too coarse a zoom is refused).

    Returns
    -------
    ChangeResult
        ``warnings`` holds what was rewound or converted, and an accepted area disagreement.

    Raises
    ------
    geo.errors.ValidationError
        Every problem at once; nothing is written.
    """
    how = ChangeOptions(**options)
    geom, props, problems, notes = outline_location(geometry, datum, nfc(source), None, zoom, repair=how.repair)
    warnings = list(notes)

    def make(_features: list[dict[str, Any]], current: dict[str, Any] | None) -> dict[str, Any]:
        assert current is not None
        old = current["properties"]
        stale = notes_after_placing(old) if current["geometry"] is None else {}
        kept = {k: v for k, v in current.items() if k != "bbox"}  # a bbox of the old outline would now be wrong
        outline = {"outline": old.get("outline") or "drawn"}
        new = {**kept, "geometry": geom, "properties": normalize_properties({**old, **stale, **props, **outline})}
        bad, warned = area_check(new, how.confirm_area, how.reason)
        warnings.extend(warned)
        outside = district_problems(new, how.allow_outside)
        if bad or outside:
            raise ValidationError(bad + outside)
        return new

    if problems or geom is None:
        raise ValidationError(problems)
    accepted = override_reason(how.confirm_area, how.reason)[0]
    how = dataclasses.replace(how, extra={"reason": accepted} if accepted else None)
    result = _apply(path, ident, make, "outline", how)
    result.warnings = warnings
    return result


@takes("expect_version", "state", "editor", "wait", required=("expect_version",))
def restore_place(
    ident: str,
    feature: Mapping[str, Any] | None,
    path: str | os.PathLike[str] | None = None,
    *,
    position: int | None = None,
    undoes: str | None = None,
    **options: Unpack[ChangeKeywords],
) -> ChangeResult:
    """Put a place back as it was (undo): replace it, remove it (``feature=None``) or add it back.

    ``expect_version`` is required: the version the place has now, None when it should be absent.

    Parameters
    ----------
    ident : str
        The place id.
    feature : Mapping or None
        The place as it was; None removes it.
    path : str or os.PathLike, optional
        The data file; None finds the default one.
    position : int, optional
        Where a place added back goes in the file.
    undoes : str, optional
        The id of the change this undoes, for the history.

    Returns
    -------
    ChangeResult
        What was written.

    Raises
    ------
    geo.errors.ValidationError
        The restored place fails the checks any change passes.
    """
    return _restore(ident, feature, path, ChangeOptions(**options), position, undoes)


def _restore(
    ident: str,
    feature: Mapping[str, Any] | None,
    path: str | os.PathLike[str] | None,
    how: ChangeOptions,
    position: int | None,
    undoes: str | None,
) -> ChangeResult:
    """Put a place back as :func:`restore_place` says, the change's options already read."""
    how = dataclasses.replace(how, extra={"undoes": undoes} if undoes else None)
    restored = dict(feature) if feature is not None else None
    return _apply(path, ident, lambda _f, _c: restored, "undo", how, may_be_absent=True, at=position)


@takes("editor", "state", "wait", required=("editor",))
def undo_change(
    change: str, path: str | os.PathLike[str] | None = None, **options: Unpack[ChangeKeywords]
) -> tuple[ChangeResult, dict[str, Any]]:
    """Revert one recorded change through the validated path, and record the undo.

    The place must still be as the change left it; otherwise :class:`ConflictError`
    says so and nothing is written.

    Parameters
    ----------
    change : str
        A change id from the history (``geo history``).
    path : str or path-like, optional

    Returns
    -------
    tuple
        ``(result, history record of the undo)``.
    """
    editor = check_editor(options.get("editor"))
    record = find_change(path, change)
    how = dataclasses.replace(ChangeOptions(**options), editor=editor, expect_version=record.get("version_after"))
    result = _restore(str(record["place"]), record.get("before"), path, how, record.get("position"), change)
    if not result.records:
        msg = f"change: {change} changed nothing that is still there to undo"
        raise ValidationError(msg)
    return result, result.records[0]
