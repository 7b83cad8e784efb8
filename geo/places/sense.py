"""Sense checks a careful colleague makes before a place is saved, and the notes a placing makes stale.

* A click means what the zoom it was made at allows: about :data:`CLICK_PIXELS` screen pixels
  (:func:`click_uncertainty_m`). A point or outline placed by clicks records that radius, is never
  called ``exact`` beyond :data:`EXACT_M`, and is refused when the radius is over
  :data:`MAX_CLICK_UNCERTAINTY_M` (a click at district zoom says nothing about where a park is).
* An outline far larger or smaller than its park class allows is refused with the reason
  (:data:`CLASS_AREA_M2`, from the size guidance of CJJ/T 85-2017 《城市绿地分类标准》), unless the
  person accepts it with a reason (:func:`override_reason`), which the history keeps.
* Placing an unlocated place drops the sentences of its notes that said it could not be placed
  (:func:`notes_after_placing`), in the same change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from geo.errors import Problem
from geo.model import text_problem
from geo.places._common import input_problem

__all__ = [
    "CLASS_AREA_M2",
    "CLICK_PIXELS",
    "EXACT_M",
    "MAX_CLICK_UNCERTAINTY_M",
    "class_area_problems",
    "click_uncertainty_m",
    "notes_after_placing",
    "override_reason",
    "precision_for",
    "source_problem",
    "zoom_problems",
]

#: How many screen pixels a click (or a drawn vertex) is good to.
CLICK_PIXELS = 10
#: The largest radius still called an ``exact`` point or outline (metres); above it, ``approximate``.
EXACT_M = 50.0
#: The largest radius a click may imply and still place something (metres): zoom 13 at Changchun's
#: latitude implies about 140 m and is accepted as approximate; zoom 12 (the whole district) about 280 m.
MAX_CLICK_UNCERTAINTY_M = 150.0
#: Web Mercator metres per pixel at the equator at zoom 0 (256-pixel tiles): 2πa / 256, a = 6,378,137 m.
_MPP_Z0 = 2 * math.pi * 6_378_137 / 256

#: Outline areas (m²) a park class plainly cannot have: ``(low, high, basis)``; None where no bound is justified.
#: CJJ/T 85-2017 《城市绿地分类标准》 table 2.0.4 says a 综合公园 should be over 10 hm² (规模宜大于10hm²)
#: and a 社区公园 over 1 hm² (规模宜大于1hm²), and calls a 游园 small (规模较小) without a number. A "should"
#: is not a rule, so only a tenth of those sizes is refused; and a 游园 as large as the size from which
#: the standard expects a 综合公园 (10 hm²) is refused as far too large. That upper bound is our reading,
#: not a number of the standard; 专类公园 (zoos, botanical gardens, ...) get no bound.
CLASS_AREA_M2: dict[str, tuple[float | None, float | None, str]] = {
    "综合公园": (10_000.0, None, "CJJ/T 85-2017 表 2.0.4：综合公园规模宜大于 10 hm²"),
    "社区公园": (1_000.0, None, "CJJ/T 85-2017 表 2.0.4：社区公园规模宜大于 1 hm²"),
    "游园": (None, 100_000.0, "CJJ/T 85-2017 表 2.0.4：游园规模较小；10 hm² 起宜为综合公园"),
}

#: Sentences of a place's notes that say it could not be placed (the data file's wording).
_UNPLACED = re.compile(
    r"can(?:not| not)? be placed|stays unlocated|No coordinate for this place was found|coordinate not:"
    r"|not trustworthy enough to place|无法定位|尚未定位",
    re.IGNORECASE,
)
#: Where one sentence of a note ends: a full stop (or ! ?) followed by a space, or a Chinese full stop.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def click_uncertainty_m(zoom: float, lat: float) -> float:
    """Return the radius (m) a click at web-map ``zoom`` and latitude ``lat`` is good to (:data:`CLICK_PIXELS` px).

    Parameters
    ----------
    zoom : float
        The map's zoom level when the click was made.
    lat : float
        Latitude of the click, degrees (WGS-84).

    Returns
    -------
    float
    """
    return CLICK_PIXELS * _MPP_Z0 * math.cos(math.radians(lat)) / 2**zoom


def zoom_problems(zoom: Any, lat: float, field: str = "geometry") -> tuple[float | None, list[Problem]]:
    """Return ``(implied radius or None, problems)`` for a placing made by clicks at ``zoom``.

    Parameters
    ----------
    zoom : Any
        The zoom the page sent (None: typed, not clicked).
    lat : float
        Latitude of the place.
    field : str
        The field a refusal concerns.

    Returns
    -------
    tuple
    """
    if zoom is None:
        return None, []
    if isinstance(zoom, bool) or not isinstance(zoom, int | float) or not 0 <= zoom <= 24:
        return None, [input_problem("zoom", "number", f"zoom must be a number from 0 to 24, got {zoom!r}", zoom)]
    implied = round(click_uncertainty_m(float(zoom), lat), 1)
    if implied <= MAX_CLICK_UNCERTAINTY_M:
        return implied, []
    fine = math.ceil(math.log2(CLICK_PIXELS * _MPP_Z0 * math.cos(math.radians(lat)) / MAX_CLICK_UNCERTAINTY_M))
    text = (
        f"a click at zoom {zoom:g} is only good to about {implied:,.0f} m: zoom in to {fine} or closer and click again"
    )
    values = {"zoom": zoom, "uncertainty_m": implied, "min_zoom": fine}
    return implied, [Problem(field, field, text, "invalid", code="zoom_too_coarse", values=values)]


def precision_for(uncertainty_m: float) -> str:
    """Return how precise a position with this radius is.

    Parameters
    ----------
    uncertainty_m : float
        The radius the position is good to, in metres.

    Returns
    -------
    str
        ``"exact"`` up to :data:`EXACT_M`, else ``"approximate"``.
    """
    return "exact" if uncertainty_m <= EXACT_M else "approximate"


def class_area_problems(park_class: Any, mapped_m2: float, reason: str | None) -> tuple[list[Problem], list[str]]:
    """Refuse an outline far outside its class's sizes (:data:`CLASS_AREA_M2`): ``(problems, warnings)``.

    Parameters
    ----------
    park_class : Any
        The place's ``park_class``.
    mapped_m2 : float
        The outline's geodesic area.
    reason : str, optional
        Why the person accepts it anyway (checked by :func:`override_reason`); then a warning, not a problem.

    Returns
    -------
    tuple
    """
    low, high, basis = (
        CLASS_AREA_M2.get(park_class, (None, None, "")) if isinstance(park_class, str) else (None, None, "")
    )
    code = "class_too_small" if low is not None and mapped_m2 < low else None
    code = "class_too_large" if high is not None and mapped_m2 > high else code
    if code is None:
        return [], []
    limit = low if code == "class_too_small" else high
    way = "small" if code == "class_too_small" else "large"
    word = "least" if way == "small" else "most"
    text = f"the outline measures {mapped_m2:,.0f} m², far too {way} for a {park_class} (at {word} {limit:,.0f} m²; basis: {basis})"
    if reason:
        return [], [f"park_class: {text}; accepted: {reason}"]
    values = {"mapped_area_m2": round(mapped_m2, 1), "park_class": park_class, "limit_m2": limit, "basis": basis}
    return [Problem("geometry", "geometry", text, "conflict", code=code, values=values)], []


def override_reason(confirm: bool, reason: Any) -> tuple[str | None, list[Problem]]:
    """Return ``(reason or None, problems)``: accepting a refused difference needs a reason in plain text.

    Parameters
    ----------
    confirm : bool
        The person accepts the difference.
    reason : Any
        Why (free text, checked by :func:`geo.model.text_problem`).

    Returns
    -------
    tuple
    """
    if not confirm:
        return None, []
    if not isinstance(reason, str) or not reason.strip():
        text = f"accepting this needs a reason, got {reason!r}"
        return None, [Problem("reason", "reason", text, "missing", code="reason_required")]
    bad = text_problem(reason.strip(), "reason")
    if bad:
        return None, [Problem("reason", "reason", bad)]
    return reason.strip(), []


def source_problem(field: str, source: Any) -> list[Problem]:
    """Refuse a new location or stated figure whose source is not given: ``field`` is the source field it fills.

    Parameters
    ----------
    field : str
        ``location_source``, ``stated_area_source`` or ``status_source``.
    source : Any
        How the person knows it.

    Returns
    -------
    list of Problem
        Empty when ``source`` is non-empty text.
    """
    if isinstance(source, str) and source.strip():
        return []
    if field == "location_source":
        text = f"say how you know where it is (e.g. 'site visit 2026-11-20', 'site plan'), got {source!r}"
        return [Problem(field, field, text, "missing", code="location_source_required")]
    what = {"stated_area_source": "stated area", "status_source": "status"}.get(field, field)
    text = f"say where the {what} comes from (e.g. 'the report', 'site visit 2026-11-20'), got {source!r}"
    return [Problem(field, field, text, "missing", code="figure_source_required")]


def notes_after_placing(props: Mapping[str, Any]) -> dict[str, Any]:
    """Return the note fields whose sentences said the place could not be placed, without those sentences.

    Parameters
    ----------
    props : mapping
        The place's properties before it was placed.

    Returns
    -------
    dict
        ``{field: new text or None}`` for each note field that changes (empty when none does).
    """
    out: dict[str, Any] = {}
    for key in ("notes", "location_note"):
        text = props.get(key)
        if not isinstance(text, str) or not _UNPLACED.search(text):
            continue
        kept = [s.strip() for s in _SENTENCE_END.split(text) if s.strip() and not _UNPLACED.search(s)]
        out[key] = " ".join(kept) or None
    return out
