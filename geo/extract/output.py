"""Show candidates (a table for people, JSON for tools, GeoJSON for ``geo import``) and add the new ones.

:func:`apply_candidates` is the one function that writes: it builds an unlocated model Feature for
each candidate that matches no existing place and adds them all in one locked, atomic, validated
write through :func:`geo.places.add_places`, the path ``geo add-park`` and ``geo import`` take. An
existing place is never changed: a candidate that matches one is only reported.
"""

from __future__ import annotations

import json
import os
import unicodedata
from typing import Any

from geo.extract.candidates import Candidate
from geo.model import normalize_properties
from geo.places import ChangeResult, add_places
from geo.places._common import make_id

#: The source written into GeoJSON candidates when none is given (readers of the map see it).
UNNAMED_SOURCE = "未注明出处的报道 (a report, source not named)"

__all__ = ["UNNAMED_SOURCE", "apply_candidates", "format_table", "render", "to_features"]

_TABLE = (
    ("name", "名称 name", 22),
    ("category", "类别 category", 12),
    ("status", "状态 status", 18),
    ("stated_area_m2", "面积 m²", 10),
    ("address", "地址 address", 26),
    ("matches", "已有 matches", 20),
    ("confidence", "置信 conf.", 6),
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    out = ""
    for c in text:
        if _width(out + c) > width - (1 if _width(text) > width else 0):
            return out + "…" + " " * (width - _width(out) - 1)
        out += c
    return out + " " * (width - _width(out))


def format_table(candidates: list[Candidate]) -> str:
    """Return the candidates as a table aligned for Chinese text (wide characters count twice).

    Parameters
    ----------
    candidates : list of Candidate
        The candidates.

    Returns
    -------
    str
        A header line and one line per candidate.
    """
    widths = [max(w, _width(label)) for _, label, w in _TABLE]
    lines = ["  ".join(_cell(label, w) for (_, label, _), w in zip(_TABLE, widths, strict=True)).rstrip()]
    for c in candidates:
        row = c.to_dict()
        cells = []
        for (key, _, _), w in zip(_TABLE, widths, strict=True):
            value = row[key]
            text = "–" if value is None else f"{value:,}" if key == "stated_area_m2" else str(value)
            cells.append(_cell(text, w))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _props(c: Candidate, source: str) -> dict[str, Any]:
    line = c.quote_at["line"]
    notes = [
        *c.notes,
        f"由 geo extract 从报道中提取，置信度 {c.confidence} (extracted by geo extract, confidence {c.confidence})",
    ]
    return {
        "id": make_id(c.name, None, prefix=c.category),
        "name": c.name,
        "aliases": c.aliases or None,
        "category": c.category,
        "park_class": c.park_class,
        "status": c.status,
        "status_source": source if c.status != "unknown" else None,
        "stated_area_m2": c.to_dict()["stated_area_m2"],
        "stated_area_source": source if c.stated_area_m2 is not None else None,
        "figures": c.to_dict()["figures"] or None,
        "figure_sources": dict.fromkeys(c.figures, source) or None,
        "address": c.address,
        "quote": c.quote,
        "quote_source": f"{source}，第{line}行 (line {line})",
        "location_method": "none",
        "precision": "none",
        "sources": [source],
        "notes": "；".join(notes),
    }


def to_features(candidates: list[Candidate], source: str) -> list[dict[str, Any]]:
    """Return each candidate as an unlocated model Feature (``geometry`` null, ``precision`` none).

    Parameters
    ----------
    candidates : list of Candidate
        The candidates.
    source : str
        The report they come from, for each place's ``source``.

    Returns
    -------
    list of dict
        GeoJSON Features.
    """
    return [
        {"type": "Feature", "geometry": None, "properties": normalize_properties(_props(c, source))} for c in candidates
    ]


def render(candidates: list[Candidate], fmt: str, *, source: str | None = None) -> str:
    """Return the candidates as ``table``, ``json`` (a list with exactly the candidate keys) or ``geojson``.

    ``geojson`` holds only the candidates that match no place in the data file.

    Parameters
    ----------
    candidates : list of Candidate
        The candidates.
    fmt : str
        ``"table"``, ``"json"`` or ``"geojson"``.
    source : str, optional
        The report they come from (for ``geojson``); None for :data:`UNNAMED_SOURCE`.

    Returns
    -------
    str
        The text to print.
    """
    if fmt == "json":
        return json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2)
    if fmt == "geojson":
        fresh = [c for c in candidates if c.matches is None]
        features = to_features(fresh, source or UNNAMED_SOURCE)
        return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=2)
    return format_table(candidates)


def apply_candidates(
    candidates: list[Candidate],
    path: str | os.PathLike[str] | None,
    *,
    source: str,
    dry_run: bool = False,
    wait: float | None = None,
) -> tuple[ChangeResult | None, list[Candidate]]:
    """Add the candidates that match no existing place, unlocated, in one validated atomic write.

    Parameters
    ----------
    candidates : list of Candidate
        From :func:`geo.extract.extract`, matched against the same data file.
    path : str or path-like, optional
        The data file.
    source : str
        The report's title, paper and date: the source of every quote, status and figure added.
    dry_run : bool
        Check everything, write nothing.
    wait : float, optional
        Seconds to wait for the data file's lock; see :func:`geo.store.patch`.

    Returns
    -------
    tuple
        ``(result, matched)``: the change (``None`` when nothing is new) and the candidates that
        are existing places (left unchanged).

    Raises
    ------
    geo.errors.ValidationError
        A candidate breaks the model or duplicates a place; nothing is written.
    """
    matched = [c for c in candidates if c.matches is not None]
    fresh = [c for c in candidates if c.matches is None]
    if not fresh:
        return None, matched
    result = add_places(
        to_features(fresh, source),
        path,
        update=False,
        allow_outside=False,
        confirm_area=False,
        dry_run=dry_run,
        action="add",
        wait=wait,
    )
    return result, matched
