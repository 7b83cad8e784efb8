"""What every change to the data shares: results, the option vocabulary, area parsing and the write path."""

from __future__ import annotations

import hashlib
import math
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from geo import rules
from geo.errors import Problem
from geo.history import apply_change, default_editor
from geo.places._options import ChangeOptions
from geo.store import load_collection

__all__ = [
    "FIELD_OPTIONS",
    "NO_SOURCE",
    "OLD_SPELLINGS",
    "ChangeResult",
    "field_for_option",
    "input_problem",
    "nfc",
    "parse_area",
    "required_text",
]

#: One vocabulary for add-park, import, update and the editor's API: option name -> model field.
FIELD_OPTIONS: dict[str, str] = {
    "name": "name",
    "name-en": "name_en",
    "category": "category",
    "class": "park_class",
    "status": "status",
    "area": "stated_area_m2",
    "address": "address",
    "quote": "quote",
    "quote-source": "quote_source",
    "area-source": "stated_area_source",
    "status-source": "status_source",
    "notes": "notes",
    "uncertainty": "uncertainty_m",
}
#: The source older versions recorded for a stated area or status entered without one. No new record gets it
#: (a new figure names its source or is refused); the records that have it stay valid and easy to find.
NO_SOURCE = "entered by hand (no source given)"
#: Spellings ``geo update`` took before the vocabulary was shared; they keep working, with a note.
OLD_SPELLINGS: dict[str, str] = {
    "park_class": "class",
    "park-class": "class",
    "stated_area_m2": "area",
    "stated-area-m2": "area",
    "name_en": "name-en",
    "quote_source": "quote-source",
    "uncertainty_m": "uncertainty",
    "uncertainty-m": "uncertainty",
}


def field_for_option(key: str) -> tuple[str | None, str | None]:
    """Return ``(model field, deprecation note)`` for an option name, old spellings included.

    Parameters
    ----------
    key : str
        ``"class"``, ``"area"``, ``"name-en"``, ... (or an old spelling such as ``"park_class"``).

    Returns
    -------
    tuple
        The model field (``None`` when unknown) and a note when ``key`` is an old spelling.
    """
    if key in FIELD_OPTIONS:
        return FIELD_OPTIONS[key], None
    if key in OLD_SPELLINGS:
        new = OLD_SPELLINGS[key]
        return FIELD_OPTIONS[new], f"--{key} is deprecated; use --{new}"
    return None, None


@dataclass
class ChangeResult:
    """What an operation did (or, with ``dry_run``, would do)."""

    action: str
    ids: list[str]
    warnings: list[str] = field(default_factory=list)
    written: bool = False
    features: list[dict[str, Any]] = field(default_factory=list)
    #: The places as they were before (``None`` for a place that did not exist), for history and undo.
    previous: list[dict[str, Any] | None] = field(default_factory=list)
    #: Where the (first) place stood in the file, so an undone removal goes back to its place.
    position: int | None = None
    #: The history records of the change (:func:`geo.history.apply_change`), one per place.
    records: list[dict[str, Any]] = field(default_factory=list)


def nfc(value: Any) -> Any:
    """Return text in Unicode NFC (one spelling of each character); anything else unchanged, for the model to judge.

    Parameters
    ----------
    value : Any
        The value given.

    Returns
    -------
    Any
        The normalised text, or the value as it was.
    """
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def slug(text: str) -> str:
    """Return a lower-case ASCII slug of some text.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        At most 60 characters; empty for text without ASCII letters or digits.
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def make_id(name: str, name_en: str | None, prefix: str = "park") -> str:
    """Return an id from the English name, or a stable hash of the Chinese one.

    Parameters
    ----------
    name : str
        The Chinese name.
    name_en : str or None
        The English name.
    prefix : str, default "park"
        The start of a hashed id.

    Returns
    -------
    str
        The slug of ``name_en``, else ``<prefix>-<8 hex digits>``.
    """
    made = slug(name_en or "")
    if made:
        return made
    # surrogatepass: a name with undecodable bytes still gets an id; the model then refuses the name itself.
    return f"{prefix}-{hashlib.sha1(name.strip().encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def input_problem(field_name: str, code: str, text: str, value: Any) -> Problem:
    """Return the problem of a value given for a field (the value shown as ``values["got"]``).

    Parameters
    ----------
    field_name : str
        The field, which is also where the problem is.
    code : str
        The catalogue's code for its wording.
    text : str
        What is wrong, in English.
    value : Any
        The value given.

    Returns
    -------
    Problem
    """
    return Problem(field_name, field_name, text, code=code, values={"got": repr(value)})


def required_text(field_name: str, value: Any) -> list[Problem]:
    """Refuse a required text that is missing or blank.

    Parameters
    ----------
    field_name : str
        The field (``name``, ``address``).
    value : Any
        The value given.

    Returns
    -------
    list of Problem
        Empty for text that is not blank.
    """
    if isinstance(value, str) and value.strip():
        return []
    return [input_problem(field_name, "text_required", f"must be non-empty text, got {value!r}", value)]


def _area_number(value: Any, field_name: str) -> tuple[Any, list[Problem]]:
    if isinstance(value, str):
        text = value.strip()
        # Thousands separators only where they are one (7,373 or 12,345,678): '1,5' is not 15.
        if re.fullmatch(r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?", text):
            text = re.sub(r"[,，]", "", text)
        try:
            return float(text), []
        except ValueError:
            return None, [
                input_problem(field_name, "area_number", f"expected square metres as a number, got {value!r}", value)
            ]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, [
            input_problem(field_name, "area_number", f"expected square metres as a number, got {value!r}", value)
        ]
    return value, []


def parse_area(value: Any, *, field_name: str = "stated_area_m2") -> tuple[float | None, list[Problem]]:
    """Read an area in square metres, refusing what cannot be one.

    Parameters
    ----------
    value : Any
        A number or text (``"7,373"``, ``"7373"``); ``"1,5"`` is refused, not read as 15.
    field_name : str
        The field the problems concern.

    Returns
    -------
    tuple
        ``(area or None, problems)``.
    """
    if value is None:
        return None, []
    number, problems = _area_number(value, field_name)
    if problems:
        return None, problems
    rule = rules.RULES["stated_area_m2"]  # the range of a stated area, as the model checks it
    xlo, lo, hi = rule.bounds
    if not math.isfinite(number):
        return None, [input_problem(field_name, "area_finite", f"must be finite, got {value!r}", value)]
    if not (xlo < number and lo <= number):
        low = f"> {xlo:g}" if rule.exclusive_minimum is not None else f">= {lo:g}"
        return None, [input_problem(field_name, "area_positive", f"must be {low} m², got {value!r}", value)]
    if number > hi:
        text = f"{value!r} m² is larger than the whole district; a typing error?"
        return None, [input_problem(field_name, "area_too_large", text, value)]
    return float(number), []


def area_value(area: float | None) -> float | int | None:
    """Store whole square metres as an integer.

    Parameters
    ----------
    area : float or None
        An area in square metres.

    Returns
    -------
    float or int or None
        An int for a whole number, else the value as it was.
    """
    return int(area) if area is not None and float(area).is_integer() else area


def run_change(
    path: str | os.PathLike[str] | None,
    change: Callable[[list[dict[str, Any]]], Any],
    result: ChangeResult,
    how: ChangeOptions,
) -> bool:
    """Apply and record ``change`` with :func:`geo.history.apply_change`, or only check it (dry run).

    Parameters
    ----------
    path : str or os.PathLike or None
        The data file; None finds the default one.
    change : callable
        Takes the file's features and changes them in place.
    result : ChangeResult
        Collects the change's history records (``result.records``); its ``action`` is the history's.
    how : ChangeOptions
        The change's options: ``dry_run`` (check only), and the ``state``, ``editor``, ``extra`` and
        ``wait`` :func:`geo.history.apply_change` takes.

    Returns
    -------
    bool
        Whether the file was written (a change that would change nothing writes and records nothing).
    """
    if how.dry_run:
        features = list(how.state.features.values()) if how.state is not None else load_collection(path)["features"]
        change(features)
        return False
    applied, result.records = apply_change(
        path,
        change,
        editor=how.editor or default_editor(),
        action=result.action,
        state=how.state,
        extra=how.extra,
        wait=how.wait,
    )
    return bool(applied)
