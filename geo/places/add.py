"""Build a park from command-line style inputs and add places to the data file."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from geo import settings
from geo.coords import DATUMS, check_lonlat, distance_m, to_wgs84
from geo.errors import GeocodeError, Problem, ValidationError, prefixed, unprefixed
from geo.model import OUTLINES, PARK_CLASSES, STATUSES, check_feature, normalize_properties, text_key
from geo.places._common import NO_SOURCE, ChangeResult, area_value, make_id, nfc, parse_area, run_change
from geo.places.outline import center, geodesic_area, read_outline

__all__ = ["add_place", "add_places", "address_location", "make_park", "point_location"]


def _option_problems(name: Any, area_m2: Any, park_class: Any, status: Any, datum: Any, outline: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("name", "name", f"must be non-empty text, got {name!r}"))
    if area_m2 is None:
        problems.append(Problem("--area", "--area", "the park's stated area in m² is required", "missing"))
    if park_class is not None and park_class not in PARK_CLASSES:
        problems.append(Problem("--class", "--class", f"must be one of {', '.join(PARK_CLASSES)}, got {park_class!r}"))
    if status not in STATUSES:
        problems.append(Problem("--status", "--status", f"must be one of {', '.join(STATUSES)}, got {status!r}"))
    if datum not in DATUMS:
        problems.append(Problem("--datum", "--datum", f"must be one of {', '.join(DATUMS)}, got {datum!r}"))
    if outline not in OUTLINES:
        problems.append(Problem("--outline", "--outline", f"must be one of {', '.join(OUTLINES)}, got {outline!r}"))
    return problems


def point_location(lonlat: Any, datum: str, source: str | None, uncertainty_m: float | None) -> tuple[Any, dict[str, Any], list[str]]:  # fmt: skip
    """Read ``LON,LAT`` (text or a pair) in ``datum``: ``(WGS-84 Point or None, provenance properties, problems)``."""
    if isinstance(lonlat, str):
        from geo.coords import parse_lonlat

        try:
            lonlat = parse_lonlat(lonlat)
        except ValidationError as err:
            return None, {}, err.problems
    pair = list(lonlat) if isinstance(lonlat, list | tuple) else None
    if pair is None or len(pair) != 2:
        return None, {}, [Problem("--lonlat", "--lonlat", f"expected LON,LAT, got {lonlat!r}")]
    bad = check_lonlat(*pair, field="--lonlat")
    if bad:
        return None, {}, bad
    lon, lat = to_wgs84(pair[0], pair[1], datum)
    props = {
        "location_method": "manual",
        "location_source": source or "entered by a user (--lonlat)",
        "datum_in": datum,
        "coord_original": pair if datum != "wgs84" else None,
        "precision": "exact",
        "uncertainty_m": 30.0 if uncertainty_m is None else uncertainty_m,
    }
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}, props, []


def address_location(address: str, geocoder: Any) -> tuple[Any, dict[str, Any], list[str]]:
    """Geocode an address (the offline gazetteer by default): ``(Point or None, provenance properties, problems)``."""
    if not address.strip():
        return None, {}, [Problem("--address", "--address", f"must be non-empty text, got {address!r}")]
    from geo.geocode import GazetteerGeocoder, location_properties

    coder = geocoder or GazetteerGeocoder()
    try:
        location = coder.resolve(address) if isinstance(coder, GazetteerGeocoder) else coder.geocode(address)
    except (GeocodeError, ValidationError) as err:
        return None, {}, [Problem("--address", "--address", str(err))]
    if location is None:
        return None, {}, [Problem("--address", "--address", f"no geocoder answer for {address!r}")]
    found = location_properties(location)
    return found.pop("geometry"), found, []


def _locate(
    *, address: Any, lonlat: Any, geometry: Any, datum: str, source: str | None,
    uncertainty_m: float | None, outline: str, repair: bool, geocoder: Any,
) -> tuple[Any, dict[str, Any], list[str], list[str]]:  # fmt: skip
    """Return ``(geometry, properties, problems, notes)`` from the one location given."""
    if lonlat is not None:
        return (*point_location(lonlat, datum, source, uncertainty_m), [])
    if geometry is not None:
        geom, notes, problems = read_outline(geometry, datum, repair=repair)
        props = {
            "location_method": "manual",
            "location_source": source or "outline drawn by a user (--geometry)",
            "datum_in": datum,
            "coord_original": None,
            "precision": "exact",
            "uncertainty_m": 10.0 if uncertainty_m is None else uncertainty_m,
            "outline": outline,
        }
        return geom, props, problems, notes
    return (*address_location(address, geocoder), [])


def make_park(
    name: str,
    *,
    area_m2: Any,
    address: str | None = None,
    lonlat: Sequence[float] | str | None = None,
    datum: str = "wgs84",
    geometry: Mapping[str, Any] | None = None,
    park_class: str | None = None,
    status: str = "open",
    name_en: str | None = None,
    quote: str | None = None,
    source: str | None = None,
    ident: str | None = None,
    uncertainty_m: float | None = None,
    outline: str = "drawn",
    geocoder: Any = None,
    repair: bool = False,
    notes: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Build a park Feature from command-line style inputs, checking everything.

    Exactly one of ``address`` (geocoded, offline gazetteer by default),
    ``lonlat`` (in ``datum``) or ``geometry`` (a GeoJSON Polygon in ``datum``,
    any winding) locates the park.

    Parameters
    ----------
    name : str
        Chinese name.
    area_m2 : Any
        Stated area in m² (number or text).
    address, lonlat, datum, geometry
        The location, see above.
    park_class, status, name_en, quote, source, ident, uncertainty_m, outline, notes
        Model fields; ``source`` names where the park's facts come from.
    geocoder : object, optional
        From :func:`geo.geocode.get_geocoder`.
    repair : bool
        Close unclosed rings and ``make_valid`` a broken outline instead of refusing it.

    Returns
    -------
    tuple
        ``(feature, notes)``: the Feature and what was rewound, repaired or converted.

    Raises
    ------
    geo.errors.ValidationError
        Every problem, one per line.
    """
    name, name_en, address, quote, source, notes = (nfc(v) for v in (name, name_en, address, quote, source, notes))
    problems = _option_problems(name, area_m2, park_class, status, datum, outline)
    area, area_problems = parse_area(area_m2)
    problems += area_problems
    given = sum(x is not None for x in (address, lonlat, geometry))
    if given != 1:
        problems.append(
            Problem("location", "location", "give exactly one of --address, --lonlat or --geometry", "missing")
        )
    named = isinstance(name, str) and bool(name.strip())
    props: dict[str, Any] = {
        "id": ident or (make_id(name, name_en) if named else None),
        "name": name.strip() if named else name,
        "name_en": name_en,
        "category": "park",
        "park_class": park_class,
        "status": status,
        "status_source": (source or NO_SOURCE) if status != "unknown" else None,
        "stated_area_m2": area_value(area),
        "stated_area_source": (source or NO_SOURCE) if area is not None else None,
        "address": address,
        "quote": quote,
        "quote_source": source if quote else None,
        "sources": [source] if source else None,
        "notes": notes,
    }
    geom: dict[str, Any] | None = None
    remarks: list[str] = []
    if given == 1 and datum in DATUMS:
        geom, found, located_problems, remarks = _locate(
            address=address, lonlat=lonlat, geometry=geometry, datum=datum, source=source,
            uncertainty_m=uncertainty_m, outline=outline, repair=repair, geocoder=geocoder,
        )  # fmt: skip
        props.update(found)
        problems += located_problems
    feature = {"type": "Feature", "geometry": geom, "properties": normalize_properties(props)}
    if not problems:
        prefix = f"{props['id']}: "
        # The model's lines start with the id the user never typed: drop it, keep each line's field and kind.
        problems += [unprefixed(prefix, p) for p in check_feature(feature)]
    if problems:
        raise ValidationError(problems)
    return feature, remarks


def district_problems(feature: Mapping[str, Any], allow_outside: bool) -> list[str]:
    """Refuse a location outside the district polygon (beyond the shared edge tolerance)."""
    geom = feature.get("geometry")
    if geom is None or allow_outside:
        return []
    from geo.district import EDGE_TOLERANCE_M, NAME, distance_outside_m

    outside = distance_outside_m(geom)
    if outside > EDGE_TOLERANCE_M:
        return [
            Problem(
                "geometry",
                "geometry",
                f"lies {outside:.0f} m outside {NAME} (pass --allow-outside to keep it)",
                "outside",
            )
        ]
    return []


def conflicts(features: list[dict[str, Any]], new: Mapping[str, Any]) -> list[tuple[int, str]]:
    """Return (index, reason) of existing places the new one duplicates: same id, name or spot."""
    import numpy as np

    props = new["properties"]
    key = text_key(props["name"]) if isinstance(props["name"], str) else None
    out: list[tuple[int, str]] = []
    parks: list[int] = []
    for i, f in enumerate(features):
        p = f["properties"]
        if p["id"] == props["id"]:
            out.append((i, f"id {props['id']!r} is taken by {p['name']!r}"))
        elif key is not None and isinstance(p["name"], str) and text_key(p["name"]) == key:
            out.append((i, f"name {props['name']!r} is taken by {p['id']!r}"))
        elif f.get("geometry") and p.get("category") == "park" == props.get("category"):
            parks.append(i)
    if new.get("geometry") is None or not parks:
        return out
    # One vectorised geodesic computation against every located park.
    centers = np.array([center(features[i]["geometry"]) for i in parks])
    lon, lat = center(new["geometry"])
    gaps = np.atleast_1d(distance_m(np.full(len(parks), lon), np.full(len(parks), lat), centers[:, 0], centers[:, 1]))
    for k in np.flatnonzero(gaps < settings.same_spot_m):
        p = features[parks[k]]["properties"]
        out.append((parks[k], f"{p['name']!r} ({p['id']}) is {float(gaps[k]):.1f} m away: practically the same spot"))
    return out


def area_check(feature: Mapping[str, Any], confirm_area: bool) -> tuple[list[str], list[str]]:
    """Compare an outline's geodesic area with the stated area: ``(problems, warnings)``."""
    geom = feature.get("geometry")
    stated = feature["properties"].get("stated_area_m2")
    if not geom or geom["type"] == "Point" or not stated:
        return [], []
    mapped = geodesic_area(geom)
    gap = abs(mapped - stated) / stated
    if gap <= settings.area_tolerance:
        return [], []
    msg = (
        f"the outline measures {mapped:,.0f} m² but the stated area is {stated:,.0f} m² "
        f"({gap:.0%} apart, more than {settings.area_tolerance:.0%})"
    )
    if confirm_area:
        return [], [f"stated_area_m2: {msg}; accepted (--confirm-area)"]
    return [Problem("stated_area_m2", "stated_area_m2", f"{msg}; pass --confirm-area to accept", "conflict")], []


def add_place(
    feature: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    *,
    update: bool = False,
    allow_outside: bool = False,
    confirm_area: bool = False,
    dry_run: bool = False,
    state: Any = None,
    editor: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ChangeResult:
    """Add one place to the data file (or replace its duplicate with ``update``), and record it in the history.

    Parameters
    ----------
    feature : mapping
        A model Feature (e.g. from :func:`make_park`).
    path : str or path-like, optional
        The data file.
    update : bool
        Replace an existing place with the same id, name or spot instead of refusing.
    allow_outside : bool
        Accept a location outside the district polygon (still inside its extent).
    confirm_area : bool
        Accept an outline whose area differs from the stated area by more than
        :data:`geo.settings.area_tolerance`.
    dry_run : bool
        Check everything, write nothing.
    state : geo.store.Snapshot, optional
        The snapshot a long-running process keeps (see :func:`geo.store.patch`).
    editor : str, optional
        Who adds it, for the history (default :func:`geo.history.default_editor`).
    extra : mapping, optional
        More members for the history record (an approved proposal's ``proposer`` and ``reviewer``).

    Returns
    -------
    ChangeResult

    Raises
    ------
    geo.errors.ValidationError
        Every problem at once; the file is unchanged.
    geo.errors.StoreError
        The file cannot be read, locked or written; it is unchanged.
    """
    return add_places([dict(feature)], path, update=update, allow_outside=allow_outside,
                      confirm_area=confirm_area, dry_run=dry_run, action="add", state=state, editor=editor,
                      extra=extra)  # fmt: skip


def _check_new(new_features: list[dict[str, Any]], allow_outside: bool, confirm_area: bool) -> list[str]:
    problems: list[str] = []
    warnings: list[str] = []
    for f in new_features:
        label = f["properties"].get("id") or f["properties"].get("name")
        problems += check_feature(f)
        problems += [prefixed(label, p) for p in district_problems(f, allow_outside)]
        bad, warn = area_check(f, confirm_area)
        problems += [prefixed(label, p) for p in bad]
        warnings += [f"{label}: {w}" for w in warn]
    ids = [f["properties"]["id"] for f in new_features]
    if len(set(ids)) != len(ids):
        problems.append(Problem("ids", "id", f"the new places repeat an id: {ids!r}", "duplicate"))
    if problems:
        raise ValidationError(problems)
    return warnings


def add_places(
    new_features: list[dict[str, Any]],
    path: str | os.PathLike[str] | None,
    *,
    update: bool,
    allow_outside: bool,
    confirm_area: bool,
    dry_run: bool,
    action: str,
    state: Any = None,
    editor: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ChangeResult:
    """Add several checked places in one locked, recorded write (all or none); see :func:`add_place`."""
    from geo.store import Changes

    warnings = _check_new(new_features, allow_outside, confirm_area)
    ids = [f["properties"]["id"] for f in new_features]
    result = ChangeResult(action=action, ids=ids, warnings=warnings, features=new_features)

    def change(features: list[dict[str, Any]]) -> Changes:
        # The same rules decide a dry run and a real one; only the writing differs.
        changes = Changes()
        clashes: list[str] = []
        for f in new_features:
            label = f["properties"]["id"]
            among_new = conflicts(changes.add, f)
            found = conflicts(features, f)
            if among_new:
                clashes += [
                    Problem(label, "name", f"duplicate of another new place: {reason}", "duplicate")
                    for _, reason in among_new
                ]
            elif found and not update:
                clashes += [
                    Problem(label, "name", f"duplicate: {reason} (pass --update to replace it)", "duplicate")
                    for _, reason in found
                ]
            elif found:
                old = features[found[0][0]]["properties"]["id"]
                result.warnings.append(f"{label}: replaced {old!r}")
                changes.replace[old] = f
            else:
                changes.add.append(f)
        if clashes:
            raise ValidationError(clashes)
        return changes

    result.written = run_change(path, change, dry_run=dry_run, result=result, state=state, editor=editor,
                                extra=extra)  # fmt: skip
    return result
