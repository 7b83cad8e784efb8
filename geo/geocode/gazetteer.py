"""The offline geocoder: a gazetteer of sourced points behind geopy's interface."""

from __future__ import annotations

import csv
import logging
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.coords import check_lonlat, offset_point, to_wgs84
from geo.errors import (
    GeocodeError,
    PlaceNotFoundError,
    ValidationError,
)
from geo.geocode.address import BEARINGS, ParsedAddress, _normalize, parse_address

logger = logging.getLogger(__name__)


SIDE_UNCERTAINTY_M = 300.0
#: Share of a stated offset added to the uncertainty (the bearing is coarse).
OFFSET_UNCERTAINTY_SHARE = 0.2
#: Changchun's urban area (min lon, min lat, max lon, max lat), to bound online searches.


@dataclass(frozen=True)
class GazetteerEntry:
    """One sourced point of the gazetteer, converted to WGS-84."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    roads: tuple[str, ...]
    lon: float
    lat: float
    datum: str
    coord_original: tuple[float, float]
    precision: str
    uncertainty_m: float
    source: str
    notes: str


def _entry(row: dict[str, str], where: str) -> GazetteerEntry:
    problems = []
    try:
        lon, lat = float(row.get("lon") or "x"), float(row.get("lat") or "x")
    except (TypeError, ValueError):
        problems.append(f"{where}: lon/lat must be numbers, got {row.get('lon')!r}, {row.get('lat')!r}")
        lon = lat = math.nan
    else:
        problems += [f"{where}: {p}" for p in check_lonlat(lon, lat, field="lon/lat")]
    datum = (row.get("datum") or "").strip()
    if datum not in ("wgs84", "gcj02", "bd09", "unknown"):
        problems.append(f"{where}: datum must be wgs84, gcj02, bd09 or unknown, got {datum!r}")
    try:
        unc = float(row.get("uncertainty_m") or "x")
    except (TypeError, ValueError):
        unc = math.nan
    if not 0 <= unc < 1_000_000:  # also refuses NaN and infinity
        problems.append(f"{where}: uncertainty_m must be a number of metres >= 0, got {row.get('uncertainty_m')!r}")
    kind = (row.get("kind") or "").strip()
    if kind not in ("place", "intersection", "district"):
        problems.append(f"{where}: kind must be place, intersection or district, got {kind!r}")
    roads = tuple(r.strip() for r in (row.get("roads") or "").split("|") if r.strip())
    if kind == "intersection" and len(roads) != 2:
        problems.append(f"{where}: an intersection needs two roads 'A|B', got {row.get('roads')!r}")
    if not (row.get("name") or "").strip():
        problems.append(f"{where}: name is required")
    if not (row.get("source") or "").strip():
        problems.append(f"{where}: source is required (where does the point come from?)")
    if problems:
        raise ValidationError(problems)
    wlon, wlat = to_wgs84(lon, lat, datum) if datum != "unknown" else (lon, lat)
    return GazetteerEntry(
        name=(row.get("name") or "").strip(),
        aliases=tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
        kind=kind,
        roads=roads,
        lon=float(wlon),
        lat=float(wlat),
        datum=datum,
        coord_original=(lon, lat),
        precision=(row.get("precision") or "approximate").strip(),
        uncertainty_m=unc,
        source=(row.get("source") or "").strip(),
        notes=(row.get("notes") or "").strip(),
    )


def load_gazetteer(path: str | os.PathLike[str] | None = None) -> list[GazetteerEntry]:
    """Read a gazetteer CSV (the bundled one by default) into WGS-84 entries.

    Columns: ``name, aliases (A|B), kind (place|intersection|district), roads
    (A|B), lon, lat, datum (wgs84|gcj02|bd09|unknown), precision,
    uncertainty_m, source, notes``. Coordinates are as the source gave them;
    GCJ-02 and BD-09 are converted here. A point of unknown datum is kept as
    given and its uncertainty must cover a possible GCJ-02 offset (~600 m).

    Parameters
    ----------
    path : str or path-like, optional
        A gazetteer CSV with these columns; None reads the one bundled with the package.

    Returns
    -------
    list of GazetteerEntry

    Raises
    ------
    geo.errors.ValidationError
        Every bad row, one line each.
    geo.errors.GeocodeError
        When the file cannot be read.
    """
    try:
        if path is None:
            text = resources.files("geo").joinpath("data", "gazetteer.csv").read_text(encoding="utf-8")
            label = "gazetteer.csv"
        else:
            text = Path(path).read_text(encoding="utf-8")
            label = str(path)
    except (OSError, UnicodeDecodeError) as err:
        msg = f"gazetteer {str(path)!r} cannot be read: {err}"
        raise GeocodeError(msg) from err
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as err:
        msg = f"gazetteer {label!r} is not a readable CSV: {err}"
        raise GeocodeError(msg) from err
    entries, problems = [], []
    for i, row in enumerate(rows, start=2):
        try:
            entries.append(_entry(row, f"{label} line {i}"))
        except ValidationError as err:
            problems += err.problems
    if problems:
        raise ValidationError(problems)
    return entries


def _location(entry: GazetteerEntry, query: str, **overrides: Any) -> Location:
    raw = {
        "provider": "gazetteer",
        "query": query,
        "matched": entry.name,
        "kind": entry.kind,
        "source": entry.source,
        "precision": entry.precision,
        "uncertainty_m": entry.uncertainty_m,
        "datum_in": entry.datum,
        "coord_original": list(entry.coord_original) if entry.datum in ("gcj02", "bd09") else None,
        "notes": entry.notes,
        "lon": entry.lon,
        "lat": entry.lat,
    }
    raw.update(overrides)
    # geopy's Location takes (latitude, longitude).
    return Location(raw.pop("address", entry.name), (raw["lat"], raw["lon"]), raw)


class GazetteerGeocoder(Geocoder):
    """Answer queries offline from a gazetteer of sourced points (geopy's interface).

    Parameters
    ----------
    gazetteer : str, path-like or list of GazetteerEntry, optional
        A CSV path, loaded entries, or ``None`` for the bundled gazetteer.
    district_fallback : bool
        Answer with the district's centre (precision ``district``, uncertainty
        8 km) when nothing else matches. Off unless asked.
    """

    def __init__(
        self,
        gazetteer: str | os.PathLike[str] | list[GazetteerEntry] | None = None,
        *,
        district_fallback: bool = False,
    ) -> None:
        super().__init__(user_agent="nanguan-geo gazetteer (offline)")
        entries = gazetteer if isinstance(gazetteer, list) else load_gazetteer(gazetteer)
        self.entries = entries
        self.district_fallback = district_fallback
        self._names: dict[str, GazetteerEntry] = {}
        self._crossings: dict[frozenset[str], GazetteerEntry] = {}
        for entry in entries:
            for name in (entry.name, *entry.aliases):
                self._names.setdefault(_normalize(name), entry)
            if entry.kind == "intersection":
                self._crossings[frozenset(entry.roads)] = entry

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = None) -> Any:
        """Return a :class:`Location` for the query, or ``None`` (geopy's contract).

        Parameters
        ----------
        query : str
            A name, alias, or intersection address with an optional relative position.
        exactly_one : bool
            Return one Location (default) or a list of one.
        timeout : Any
            Ignored (offline).

        Returns
        -------
        geopy.location.Location, list or None
        """
        try:
            location = self.resolve(query)
        except PlaceNotFoundError:
            return None
        return location if exactly_one else [location]

    def resolve(self, query: str) -> Location:
        """Return the Location for a query, or explain why there is none.

        Parameters
        ----------
        query : str
            A name, an address or an intersection, as the report writes it.

        Returns
        -------
        geopy.location.Location

        Raises
        ------
        geo.errors.PlaceNotFoundError
            With a message naming what was looked for.
        """
        if not isinstance(query, str) or not query.strip():
            msg = f"query must be non-empty text, got {query!r}"
            raise PlaceNotFoundError(msg)
        exact = self._names.get(_normalize(query))
        if exact is not None and exact.kind != "district":
            return _location(exact, query)
        parsed = parse_address(query)
        if parsed.roads:
            entry = self._crossings.get(frozenset(parsed.roads))
            if entry is not None:
                return self._relative(entry, query, parsed)
            known = sorted({r for key in self._crossings for r in key})
            found = [r for r in parsed.roads if r in known]
            hint = f"; the gazetteer knows crossings on {', '.join(found)}" if found else ""
            msg = (
                f"no gazetteer entry for the intersection of {parsed.roads[0]} and {parsed.roads[1]} "
                f"(query {query!r}){hint}; add it to a gazetteer file or try an online provider"
            )
            return self._fallback(query, msg)
        if parsed.name:
            entry = self._names.get(_normalize(parsed.name))
            if entry is not None and entry.kind != "district":
                return self._relative(entry, query, parsed)
        msg = f"no gazetteer entry for {query!r}; add it to a gazetteer file or try an online provider"
        return self._fallback(query, msg)

    def _fallback(self, query: str, msg: str) -> Location:
        if self.district_fallback:
            district = next((e for e in self.entries if e.kind == "district"), None)
            if district is not None:
                logger.warning("falling back to the district centre for %r", query)
                return _location(district, query, fallback=True)
        raise PlaceNotFoundError(msg)

    def _relative(self, entry: GazetteerEntry, query: str, parsed: ParsedAddress) -> Location:
        if parsed.side is None:
            return _location(entry, query)
        bearing = BEARINGS[parsed.side]
        if parsed.distance_m is None:
            # Only a side: the place is near the crossing on that side, at an unknown distance.
            unc = entry.uncertainty_m + SIDE_UNCERTAINTY_M
            return _location(entry, query, precision="approximate", uncertainty_m=unc, offset=parsed.side)
        lon, lat = offset_point(entry.lon, entry.lat, bearing, parsed.distance_m)
        unc = entry.uncertainty_m + OFFSET_UNCERTAINTY_SHARE * parsed.distance_m
        return _location(
            entry,
            query,
            address=query,
            lon=lon,
            lat=lat,
            precision="approximate",
            uncertainty_m=unc,
            offset=f"{parsed.side} {parsed.distance_m:g} m (bearing {bearing:g}°) from {entry.name}",
            coord_original=None,
            datum_in="wgs84" if entry.datum != "unknown" else "unknown",
        )


# ---------------------------------------------------------------- online services
