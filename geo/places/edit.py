"""Change fields of a place, place an unlocated one, or remove one."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

from geo.errors import ValidationError
from geo.model import check_feature, normalize_properties, text_key
from geo.places._common import ChangeResult, area_value, field_for_option, parse_area, run_change

__all__ = ["UPDATABLE", "remove_place", "update_place"]

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
    "notes": str,
    "uncertainty_m": float,
}


def _field(key: str) -> tuple[str | None, str | None]:
    name, note = field_for_option(key)
    if name is None and key in UPDATABLE:
        return key, None
    return name, note


def _number(key: str, value: Any) -> tuple[Any, list[str]]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, [f"--{key}: expected a number, got {value!r}"]
    if not math.isfinite(number) or number < 0:
        return None, [f"--{key}: must be a finite number >= 0, got {value!r}"]
    return number, []


def parse_changes(changes: Mapping[str, Any]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Read ``{option or field: value}`` into model fields: ``(fields, problems, notes)``.

    Option names (``class``, ``area``, ``name-en``, ``uncertainty``, ...) and
    model field names are both understood; old CLI spellings give a note.
    """
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    notes: list[str] = []
    for key, value in changes.items():
        name, note = _field(key)
        if name is None:
            problems.append(f"--{key}: cannot be updated (options: {', '.join(f'--{k}' for k in _options())})")
            continue
        if note:
            notes.append(note)
        if value is None or value == "null":
            parsed[name] = None
        elif UPDATABLE[name] == "area":
            area, bad = parse_area(value, field_name=f"--{key}")
            problems += bad
            parsed[name] = area_value(area)
        elif UPDATABLE[name] is float:
            parsed[name], bad = _number(key, value)
            problems += bad
        elif not isinstance(value, str):
            problems.append(f"--{key}: expected text, got {value!r}")
        else:
            parsed[name] = value
    return parsed, problems, notes


def _options() -> list[str]:
    from geo.places._common import FIELD_OPTIONS

    return list(FIELD_OPTIONS)


def _renamed_onto(features: list[dict[str, Any]], ident: str, new_name: Any) -> list[str]:
    if not isinstance(new_name, str):
        return []
    taken = [f["properties"]["id"] for f in features
             if f["properties"]["id"] != ident and text_key(f["properties"]["name"]) == text_key(new_name)]  # fmt: skip
    return [f"name: {new_name!r} is taken by {taken[0]!r}"] if taken else []


def update_place(
    ident: str,
    changes: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    *,
    dry_run: bool = False,
) -> ChangeResult:
    """Change fields of one place; ``None`` (or ``"null"``) clears a field.

    Parameters
    ----------
    ident : str
    changes : mapping
        Option name (``class``, ``area``, ``status``, ``name-en``, ...) or model
        field to new value; text is converted (areas and numbers parsed).
    path : str or path-like, optional
    dry_run : bool

    Returns
    -------
    ChangeResult
        ``warnings`` holds deprecation notes for old option spellings.

    Raises
    ------
    geo.errors.ValidationError
        Unknown id or field, or a value the model refuses; nothing is written.
    """
    from geo.store import Changes

    parsed, problems, notes = parse_changes(changes)
    if problems:
        raise ValidationError(problems)
    changed: list[dict[str, Any]] = []

    def change(features: list[dict[str, Any]]) -> Changes:
        for f in features:
            if f["properties"]["id"] == ident:
                new = {**f, "properties": normalize_properties({**f["properties"], **parsed})}
                found = check_feature(new) + _renamed_onto(features, ident, parsed.get("name"))
                if found:
                    raise ValidationError(found)
                changed.append(new)
                return Changes(replace={ident: new})
        raise ValidationError([f"id: no place has id {ident!r}"])

    written = run_change(path, change, dry_run=dry_run)
    return ChangeResult(action="update", ids=[ident], written=written, features=changed, warnings=notes)


def remove_place(ident: str, path: str | os.PathLike[str] | None = None, *, dry_run: bool = False) -> ChangeResult:
    """Remove a place by id.

    Parameters
    ----------
    ident : str
    path : str or path-like, optional
    dry_run : bool

    Returns
    -------
    ChangeResult

    Raises
    ------
    geo.errors.ValidationError
        No place has that id.
    """
    from geo.store import Changes

    removed: list[dict[str, Any]] = []

    def change(features: list[dict[str, Any]]) -> Changes:
        removed.extend(f for f in features if f["properties"]["id"] == ident)
        if not removed:
            raise ValidationError([f"id: no place has id {ident!r}"])
        return Changes(remove={ident})

    written = run_change(path, change, dry_run=dry_run)
    return ChangeResult(action="remove", ids=[ident], written=written, features=removed)
