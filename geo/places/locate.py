"""Fill in the places whose geometry is null with a geocoder, saving each success at once."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from geo.errors import GeocodeServiceError, GeoError, PlaceNotFoundError
from geo.history import apply_change, default_editor
from geo.model import normalize_properties
from geo.store import load_collection

if TYPE_CHECKING:  # geo.geocode imports geopy: a command that geocodes nothing does not load it
    from geo.geocode.base import SupportsGeocode

__all__ = ["LocateReport", "locate_missing", "missing_places"]


def _place_one(features: list[dict[str, Any]], *, ident: str, geometry: dict[str, Any], update: dict[str, Any]) -> Any:
    from geo.store import Changes

    for g in features:
        if g["properties"]["id"] == ident and g["geometry"] is None:
            new_props = normalize_properties({**g["properties"], **update})
            return Changes(replace={ident: {**g, "geometry": geometry, "properties": new_props}})
    return Changes()  # placed or removed meanwhile by another process


@dataclass
class LocateReport:
    """What ``locate_missing`` placed, and why the rest stayed unlocated."""

    located: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: int = 0


def missing_places(
    features: Sequence[dict[str, Any]], *, ids: Sequence[str] | None = None, limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Return the places :func:`locate_missing` tries, in file order, and how many ``limit`` leaves for later.

    Parameters
    ----------
    features : sequence of dict
        The collection's features.
    ids : sequence of str, optional
        Only these places.
    limit : int, optional
        At most this many places.

    Returns
    -------
    tuple
        ``(places to try, number left for the next run)``: the places with a null geometry
        (those of ``ids`` only, when given), at most ``limit`` of them.

    Examples
    --------
    >>> unplaced = {"geometry": None, "properties": {"id": "a"}}
    >>> missing_places([unplaced, {**unplaced, "properties": {"id": "b"}}], limit=1)[1]
    1
    """
    wanted = set(ids) if ids else None
    todo = [f for f in features if f["geometry"] is None and (wanted is None or f["properties"]["id"] in wanted)]
    if limit is None:
        return todo, 0
    return todo[:limit], max(len(todo) - limit, 0)


def locate_missing(
    path: str | os.PathLike[str] | None = None,
    *,
    geocoder: SupportsGeocode | None = None,
    allow_outside: bool = False,
    ids: Sequence[str] | None = None,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    editor: str | None = None,
    wait: float | None = None,
) -> LocateReport:
    """Geocode every place whose geometry is null and store what is found.

    Each success is saved at once (locked, atomic), so an interrupted run
    keeps what it found (each placed place recorded in the history) and the next run resumes with the places still
    missing; online answers come from the cache the second time.

    Parameters
    ----------
    path : str or path-like, optional
        The data file.
    geocoder : SupportsGeocode, optional
        From :func:`geo.geocode.get_geocoder`; the offline gazetteer by default.
    allow_outside : bool
        Store answers outside the district polygon (still inside its extent).
    ids : sequence of str, optional
        Only these places.
    limit : int, optional
        At most this many places.
    progress : callable, optional
        Called with each place's id after it is tried.
    editor, wait
        As the changes of :mod:`geo.places` take them (see the package's docstring).
        Each placed place is recorded (action ``locate``), so ``geo undo`` can take it back; each
        save waits ``wait`` for the lock.

    Returns
    -------
    LocateReport
    """
    from geo.geocode import (
        GazetteerGeocoder,
        geocode_place,
        iter_queries,
        location_properties,
    )  # geopy: loaded only when something is geocoded

    geocoder = geocoder or GazetteerGeocoder()
    report = LocateReport()
    todo, report.skipped = missing_places(load_collection(path)["features"], ids=ids, limit=limit)
    for f in todo:
        props = f["properties"]
        reasons = []
        found = None
        not_found: list[str] = []
        for query in iter_queries(props):
            try:
                location = geocode_place(query, geocoder=geocoder, allow_outside=allow_outside)
            except PlaceNotFoundError:
                not_found.append(repr(query))
                continue
            except GeocodeServiceError as err:
                reasons.append(str(err))
                break  # the service is failing; do not hammer it with the other queries
            except GeoError as err:
                reasons.append(str(err))
                continue
            if location.raw.get("ambiguous"):
                reasons.append(f"{query!r} is ambiguous: {location.raw.get('candidates')}")
                continue
            if location.raw.get("fallback"):
                reasons.append(f"{query!r} only matched the district as a whole")
                continue
            found = location
            break
        if found is not None:
            update = location_properties(found)
            geometry = update.pop("geometry")

            try:
                apply_change(
                    path,
                    partial(_place_one, ident=props["id"], geometry=geometry, update=update),
                    editor=editor or default_editor(),
                    action="locate",
                    wait=wait,
                )
            except GeoError as err:
                report.failed[props["id"]] = f"answer refused by the model: {err}"
            else:
                report.located[props["id"]] = update["location_source"]
        else:
            if not_found:
                reasons.insert(0, f"no answer for {', '.join(not_found)}")
            report.failed[props["id"]] = "; ".join(reasons) or "no query to try"
        if progress is not None:
            progress(props["id"])
    return report
