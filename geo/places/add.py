"""Build a park from command-line style inputs and add places to the data file."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from geo import rules, settings
from geo.coords import DATUMS, check_lonlat, distance_m, parse_lonlat, to_wgs84
from geo.district import EDGE_TOLERANCE_M, NAME, distance_outside_m
from geo.errors import GeocodeError, Problem, ValidationError, prefixed, unprefixed
from geo.model import check_feature, normalize_properties, text_key
from geo.places._common import (
    ChangeResult,
    area_value,
    input_problem,
    make_id,
    nfc,
    parse_area,
    required_text,
    run_change,
)
from geo.places._options import ADDING, WRITING, ChangeKeywords, ChangeOptions, takes
from geo.places.outline import center, geodesic_area, read_outline
from geo.places.sense import class_area_problems, override_reason, precision_for, source_problem, zoom_problems
from geo.store import Changes

if TYPE_CHECKING:  # geo.geocode imports geopy: a command that geocodes nothing does not load it
    from geo.geocode.base import SupportsGeocode

__all__ = ["add_place", "add_places", "address_location", "make_park", "outline_location", "point_location"]


def _option_problems(name: Any, area_m2: Any, park_class: Any, status: Any, datum: Any, outline: Any) -> list[Problem]:
    """Check add-park's options: a name, a stated area, and each choice against the rule set (the datum, the input's)."""
    problems = required_text("name", name)
    if area_m2 is None:
        problems.append(
            Problem(
                "stated_area_m2",
                "stated_area_m2",
                "the park's stated area in m² is required",
                "missing",
                code="area_required",
            )
        )
    choices = {key: rules.RULES.choices(key) for key in ("park_class", "status", "outline")}
    for key, value, allowed in (
        ("park_class", park_class, choices["park_class"]),
        ("status", status, choices["status"]),
        ("datum", datum, DATUMS),
        ("outline", outline, choices["outline"]),
    ):
        if (value is not None or key != "park_class") and value not in allowed:
            shown = ", ".join(allowed)
            problems.append(
                Problem(
                    key,
                    key,
                    f"must be one of {shown}, got {value!r}",
                    code="choice",
                    values={"allowed": shown, "got": repr(value)},
                )
            )
    return problems


def point_location(
    lonlat: Any, datum: str, source: str | None, uncertainty_m: float | None, zoom: Any = None
) -> tuple[Any, dict[str, Any], list[Problem]]:
    """Read ``LON,LAT`` (text or a pair) in a datum as a WGS-84 point with its provenance.

    ``source`` (how the person knows the position) is required; ``zoom`` is the map's zoom when the
    position was clicked (None when typed), whose implied radius the point records (:mod:`geo.places.sense`).

    Parameters
    ----------
    lonlat : Any
        ``"LON,LAT"`` or a pair of numbers.
    datum : str
        The datum the position is in (``wgs84``, ``gcj02``, ``bd09``).
    source : str or None
        How the person knows the position.
    uncertainty_m : float or None
        The radius the position is good to, in metres; None to derive it from ``zoom``.
    zoom : Any, optional
        The map's zoom when the position was clicked.

    Returns
    -------
    tuple
        ``(Point or None, provenance properties, problems)``.
    """
    if isinstance(lonlat, str):
        try:
            lonlat = parse_lonlat(lonlat, field="lonlat")
        except ValidationError as err:
            return None, {}, err.problems + source_problem("location_source", source)
    pair = list(lonlat) if isinstance(lonlat, list | tuple) else None
    if pair is None or len(pair) != 2:
        bad = [input_problem("lonlat", "lonlat_format", f"expected LON,LAT, got {lonlat!r}", lonlat)]
        return None, {}, bad + source_problem("location_source", source)
    bad = check_lonlat(*pair, field="lonlat")
    if bad:
        return None, {}, bad + source_problem("location_source", source)
    lon, lat = to_wgs84(pair[0], pair[1], datum)
    implied, problems = zoom_problems(zoom, float(lat))
    problems += source_problem("location_source", source)
    radius = max(30.0 if uncertainty_m is None else uncertainty_m, implied or 0.0)
    props = {
        "location_method": "manual",
        "location_source": source,
        "datum_in": datum,
        "coord_original": pair if datum != "wgs84" else None,
        "precision": precision_for(radius),
        "uncertainty_m": radius,
    }
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}, props, problems


def address_location(address: str, geocoder: SupportsGeocode | None) -> tuple[Any, dict[str, Any], list[Problem]]:
    """Geocode an address (the offline gazetteer by default) as a point with its provenance.

    Parameters
    ----------
    address : str
        The address to look up.
    geocoder : SupportsGeocode or None
        The geocoder; None for the offline gazetteer.

    Returns
    -------
    tuple
        ``(Point or None, provenance properties, problems)``.
    """
    blank = required_text("address", address)
    if blank:
        return None, {}, blank
    from geo.geocode import GazetteerGeocoder, location_properties  # geopy: loaded only when something is geocoded

    coder = geocoder or GazetteerGeocoder()
    try:
        location = coder.resolve(address) if isinstance(coder, GazetteerGeocoder) else coder.geocode(address)
    except (GeocodeError, ValidationError) as err:
        return None, {}, [Problem("address", "address", str(err), code="geocoder_failed", values={"reason": str(err)})]
    if location is None:
        return (
            None,
            {},
            [
                Problem(
                    "address",
                    "address",
                    f"no geocoder answer for {address!r}",
                    code="address_not_found",
                    values={"address": address},
                )
            ],
        )
    found = location_properties(location)
    return found.pop("geometry"), found, []


def _locate(
    *,
    address: Any,
    lonlat: Any,
    geometry: Any,
    datum: str,
    source: str | None,
    uncertainty_m: float | None,
    outline: str,
    repair: bool,
    geocoder: SupportsGeocode | None,
    zoom: Any = None,
) -> tuple[Any, dict[str, Any], list[Problem], list[str]]:
    """Return ``(geometry, properties, problems, notes)`` from the one location given."""
    if lonlat is not None:
        return (*point_location(lonlat, datum, source, uncertainty_m, zoom), [])
    if geometry is not None:
        geom, props, problems, notes = outline_location(geometry, datum, source, uncertainty_m, zoom, repair=repair)
        props["outline"] = outline
        return geom, props, problems, notes
    return (*address_location(address, geocoder), [])


def outline_location(
    geometry: Any, datum: str, source: str | None, uncertainty_m: float | None, zoom: Any, *, repair: bool = False
) -> tuple[Any, dict[str, Any], list[Problem], list[str]]:
    """Read an outline a person drew or gave as WGS-84 with its provenance.

    ``source`` is required; ``zoom`` (the map's zoom when it was drawn) sets the radius it is good to.

    Parameters
    ----------
    geometry : Any
        A GeoJSON Polygon or MultiPolygon.
    datum : str
        The datum its positions are in.
    source : str or None
        How the person knows the outline.
    uncertainty_m : float or None
        The radius the outline is good to, in metres; None to derive it from ``zoom``.
    zoom : Any
        The map's zoom when it was drawn, or None.
    repair : bool, default False
        Close rings and mend invalid outlines (the CLI's ``--repair``).

    Returns
    -------
    tuple
        ``(WGS-84 geometry or None, provenance, problems, notes)``.
    """
    geom, notes, problems = read_outline(geometry, datum, repair=repair, where="geometry")
    problems = [*problems, *source_problem("location_source", source)]
    implied = None
    if geom is not None:
        implied, bad = zoom_problems(zoom, center(geom)[1])
        problems += bad
    radius = max(10.0 if uncertainty_m is None else uncertainty_m, implied or 0.0)
    props = {
        "location_method": "manual",
        "location_source": source,
        "datum_in": datum,
        "coord_original": None,
        "precision": precision_for(radius),
        "uncertainty_m": radius,
    }
    return geom, props, problems, notes


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
    geocoder: SupportsGeocode | None = None,
    repair: bool = False,
    notes: str | None = None,
    zoom: float | None = None,
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
        Model fields; ``source`` names how the park's location and stated figures are known and is
        required (an address the gazetteer or a geocoder answers still needs it for the area).
    zoom : float, optional
        The map's zoom when ``lonlat`` was clicked or ``geometry`` drawn: sets the radius it is
        good to, and a click at a zoom too coarse to mean anything is refused.
    geocoder : SupportsGeocode, optional
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
        text = "give exactly one location: a position, an address or an outline"
        problems.append(Problem("geometry", "geometry", text, "missing", code="one_location"))
    if address is not None and given == 1 and area is not None:  # a drawn or typed location asks in _locate
        problems += source_problem("stated_area_source", source)
    named = isinstance(name, str) and bool(name.strip())
    props: dict[str, Any] = {
        "id": ident or (make_id(name, name_en) if named else None),
        "name": name.strip() if named else name,
        "name_en": name_en,
        "category": "park",
        "park_class": park_class,
        "status": status,
        "status_source": source if status != "unknown" else None,
        "stated_area_m2": area_value(area),
        "stated_area_source": source if area is not None else None,
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
            address=address,
            lonlat=lonlat,
            geometry=geometry,
            datum=datum,
            source=source,
            uncertainty_m=uncertainty_m,
            outline=outline,
            repair=repair,
            geocoder=geocoder,
            zoom=zoom,
        )
        props.update(found)
        problems += located_problems
    feature = {"type": "Feature", "geometry": geom, "properties": normalize_properties(props)}
    if not problems and source:
        prefix = f"{props['id']}: "
        # The model's lines start with the id the user never typed: drop it, keep each line's field and kind.
        problems += [unprefixed(prefix, p) for p in check_feature(feature)]
    if problems:
        raise ValidationError(problems)
    return feature, remarks


def district_problems(feature: Mapping[str, Any], allow_outside: bool) -> list[Problem]:
    """Refuse a location outside the district polygon (beyond the shared edge tolerance).

    Parameters
    ----------
    feature : Mapping
        The place as a GeoJSON Feature.
    allow_outside : bool
        Accept a location outside the district.

    Returns
    -------
    list of Problem
        One problem naming the distance outside, or none.
    """
    geom = feature.get("geometry")
    if geom is None or allow_outside:
        return []

    outside = distance_outside_m(geom)
    if outside > EDGE_TOLERANCE_M:
        values = {"outside_m": round(outside)}
        return [
            Problem(
                "geometry",
                "geometry",
                f"lies {outside:.0f} m outside {NAME}",
                "outside",
                code="outside_district",
                values=values,
            )
        ]
    return []


def conflicts(features: list[dict[str, Any]], new: Mapping[str, Any]) -> list[tuple[int, str]]:
    """Return the existing places the new one duplicates: same id, name or spot.

    Parameters
    ----------
    features : list of dict
        The places in the file.
    new : Mapping
        The new place as a GeoJSON Feature.

    Returns
    -------
    list of tuple of (int, str)
        ``(index, reason)`` of each existing place it duplicates.
    """
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


def area_check(
    feature: Mapping[str, Any], confirm_area: bool, reason: str | None = None
) -> tuple[list[Problem], list[str]]:
    """Compare an outline with its stated area and its class's sizes.

    An outline more than :data:`geo.settings.area_tolerance` off its stated area, or far outside
    its park class's sizes (:data:`geo.places.sense.CLASS_AREA_M2`), is refused unless accepted:
    ``confirm_area`` with a ``reason`` (the reason is checked by :func:`geo.places.sense.override_reason`;
    without one the acceptance is itself a problem). The problems carry the measured area in
    ``values["mapped_area_m2"]``.

    Parameters
    ----------
    feature : Mapping
        The place as a GeoJSON Feature; a point or no geometry is not checked.
    confirm_area : bool
        Accept an area that is off.
    reason : str, optional
        Why the area is accepted.

    Returns
    -------
    tuple of (list of Problem, list of str)
        ``(problems, warnings)``.
    """
    geom = feature.get("geometry")
    props = feature["properties"]
    if not geom or geom["type"] == "Point":
        return [], []
    mapped = geodesic_area(geom)
    accepted, problems = override_reason(confirm_area, reason) if confirm_area else (None, [])
    bad, warnings = class_area_problems(props.get("park_class"), mapped, accepted)
    stated = props.get("stated_area_m2")
    gap = abs(mapped - stated) / stated if stated else 0.0
    if stated and gap > settings.area_tolerance:
        msg = (
            f"the outline measures {mapped:,.0f} m² but the stated area is {stated:,.0f} m² "
            f"({gap:.0%} apart, more than {settings.area_tolerance:.0%})"
        )
        if accepted:
            warnings.append(f"stated_area_m2: {msg}; accepted: {accepted}")
        else:
            values = {
                "mapped_area_m2": round(mapped, 1),
                "stated_area_m2": stated,
                "gap": f"{gap:.0%}",
                "tolerance": f"{settings.area_tolerance:.0%}",
            }
            bad.append(
                Problem("stated_area_m2", "stated_area_m2", msg, "conflict", code="area_mismatch", values=values)
            )
    if not bad and not warnings:
        return [], []  # nothing to accept: a needless tick is no problem
    return (problems + bad if bad or problems else []), warnings


@takes(*ADDING, *WRITING)
def add_place(
    feature: Mapping[str, Any], path: str | os.PathLike[str] | None = None, **options: Unpack[ChangeKeywords]
) -> ChangeResult:
    """Add one place to the data file (or replace its duplicate with ``update``), and record it in the history.

    Parameters
    ----------
    feature : mapping
        A model Feature (e.g. from :func:`make_park`).
    path : str or path-like, optional
        The data file.

    Returns
    -------
    ChangeResult
        What was (or, with ``dry_run``, would be) written; ``warnings`` names a replaced duplicate and
        an accepted difference.

    Raises
    ------
    geo.errors.ValidationError
        Every problem at once; the file is unchanged.
    geo.errors.StoreError
        The file cannot be read, locked or written; it is unchanged.
    """
    return _add_checked([dict(feature)], path, "add", ChangeOptions(**options))


def _check_new(new_features: list[dict[str, Any]], how: ChangeOptions) -> list[str]:
    problems: list[Problem] = []
    warnings: list[str] = []
    for f in new_features:
        label = f["properties"].get("id") or f["properties"].get("name")
        problems += check_feature(f)
        problems += [prefixed(label, p) for p in district_problems(f, how.allow_outside)]
        bad, warn = area_check(f, how.confirm_area, how.reason)
        problems += [prefixed(label, p) for p in bad]
        warnings += [f"{label}: {w}" for w in warn]
    ids = [f["properties"]["id"] for f in new_features]
    if len(set(ids)) != len(ids):
        problems.append(Problem("ids", "id", f"the new places repeat an id: {ids!r}", "duplicate"))
    problems = list(dict.fromkeys(problems))  # one reason problem, however many places need it
    if problems:
        raise ValidationError(problems)
    return warnings


@takes(*ADDING, *WRITING, required=("update", "allow_outside", "confirm_area", "dry_run"))
def add_places(
    new_features: list[dict[str, Any]],
    path: str | os.PathLike[str] | None,
    *,
    action: str,
    **options: Unpack[ChangeKeywords],
) -> ChangeResult:
    """Add several checked places in one locked, recorded write (all or none); see :func:`add_place`.

    Parameters
    ----------
    new_features : list of dict
        The places to add, as GeoJSON Features.
    path : str or os.PathLike or None
        The data file; None finds the default one.
    action : str
        The history's action for the change.

    Returns
    -------
    ChangeResult
        What was (or would be) written.

    Raises
    ------
    geo.errors.ValidationError
        A place is refused, or duplicates one in the file; nothing is written.
    """
    return _add_checked(new_features, path, action, ChangeOptions(**options))


def _add_checked(
    new_features: list[dict[str, Any]], path: str | os.PathLike[str] | None, action: str, how: ChangeOptions
) -> ChangeResult:
    """Check new places and add them in one recorded write, ``how`` saying which refusals are accepted.

    What :func:`add_place`, :func:`add_places` and the imports share; the arguments are theirs.
    """
    warnings = _check_new(new_features, how)
    if how.confirm_area and warnings and how.reason:  # an accepted difference is kept with the change
        how = dataclasses.replace(how, extra={**(how.extra or {}), "reason": how.reason.strip()})
    ids = [f["properties"]["id"] for f in new_features]
    result = ChangeResult(action=action, ids=ids, warnings=warnings, features=new_features)

    def change(features: list[dict[str, Any]]) -> Changes:
        # The same rules decide a dry run and a real one; only the writing differs.
        changes = Changes()
        clashes: list[Problem] = []
        for f in new_features:
            label = f["properties"]["id"]
            among_new = conflicts(changes.add, f)
            found = conflicts(features, f)
            if among_new:
                clashes += [
                    Problem(
                        label,
                        "name",
                        f"duplicate of another new place: {why}",
                        "duplicate",
                        code="duplicate_new",
                        values={"reason": why},
                    )
                    for _, why in among_new
                ]
            elif found and not how.update:
                clashes += [
                    Problem(
                        label,
                        "name",
                        f"duplicate: {why}",
                        "duplicate",
                        code="duplicate",
                        values={"reason": why, "replaceable": True},
                    )
                    for _, why in found
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

    result.written = run_change(path, change, result, how)
    return result
