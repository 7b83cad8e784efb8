"""Geocode Chinese place names and addresses: offline by default, online on request.

Offline, :class:`GazetteerGeocoder` answers from a gazetteer of sourced points
(``geo/data/gazetteer.csv``, or a file of the same columns a user passes):
names and aliases, road intersections written the ways Chinese addresses write
them (``A与B交会处``, ``A与B交汇处``, ``A、B交叉口``, ``AB交会``, ``A B 路口``, in either
order), and positions relative to them (``…东侧``, ``…西北角``, ``…东侧500米``,
``…南200米``). Online, :func:`get_geocoder` builds geopy's Nominatim or the
Amap / Baidu geocoders of this module; their answers are converted to WGS-84
(Amap answers in GCJ-02, Baidu in BD-09), cached on disk
(:class:`CachedGeocoder`) and rate limited (geopy's ``RateLimiter``).

Every answer is a :class:`geopy.location.Location` in WGS-84 whose ``raw`` holds
the provenance: ``provider``, ``source``, ``precision``, ``uncertainty_m``,
``datum_in`` and ``coord_original``. :func:`check_in_district` rejects answers
outside 南关区 (same-name places in other cities).

Examples
--------
>>> g = GazetteerGeocoder()
>>> loc = g.geocode("人民大街与卫星路交会处东侧200米")
>>> loc.raw["precision"], round(loc.raw["uncertainty_m"])
('approximate', 80)
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import math
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo import settings
from geo.coords import bd09_to_wgs84, distance_m, gcj02_to_wgs84, offset_point, to_wgs84
from geo.errors import (
    GeocodeError,
    GeocodeServiceError,
    OutsideDistrictError,
    PlaceNotFoundError,
    ValidationError,
)

__all__ = [
    "PROVIDERS",
    "AmapGeocoder",
    "BaiduGeocoder",
    "CachedGeocoder",
    "GazetteerEntry",
    "GazetteerGeocoder",
    "check_in_district",
    "geocode_place",
    "get_geocoder",
    "load_gazetteer",
    "location_properties",
    "parse_address",
]

logger = logging.getLogger(__name__)

PROVIDERS = ("gazetteer", "nominatim", "amap", "baidu")

#: Bearings of the Chinese compass words, clockwise from north.
BEARINGS = {
    "东北": 45.0,
    "东南": 135.0,
    "西南": 225.0,
    "西北": 315.0,
    "东": 90.0,
    "南": 180.0,
    "西": 270.0,
    "北": 0.0,
}
#: Added to the uncertainty when a side is given without a distance ("…东侧").
SIDE_UNCERTAINTY_M = 300.0
#: Share of a stated offset added to the uncertainty (the bearing is coarse).
OFFSET_UNCERTAINTY_SHARE = 0.2
#: Changchun's urban area (min lon, min lat, max lon, max lat), to bound online searches.
CHANGCHUN_BOX = (125.0, 43.55, 125.75, 44.1)

_PREFIXES = ("中国", "吉林省", "长春市", "南关区")
_ROAD = r"(?:大街|大路|环路|快速路|高速|胡同|路|街|道|巷|条)"
_CROSS = r"(?:交会处|交汇处|交叉路口|交叉口|十字路口|路口|交会|交汇|交口)"
_REL = r"(?P<side>东北|东南|西北|西南|东|南|西|北)(?:侧|角|方向|面|边)?(?:约)?(?:(?P<dist>\d+(?:\.\d+)?)\s*(?P<unit>米|m|公里|千米|km))?"
_SEPARATED = re.compile(rf"^(?P<a>.+?)\s*(?:与|和|同|、|/|×|x|X|\s)\s*(?P<b>.+?)\s*{_CROSS}?\s*(?:{_REL})?$")
_JOINED = re.compile(rf"^(?P<a>.+?{_ROAD})(?P<b>.+?{_ROAD})\s*{_CROSS}?\s*(?:{_REL})?$")
_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$")


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


@dataclass(frozen=True)
class ParsedAddress:
    """An address read as roads, or a name, plus an optional relative position."""

    roads: tuple[str, ...]
    name: str | None
    side: str | None
    distance_m: float | None


def _normalize(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :].strip()
                changed = True
    return text


def parse_address(query: str) -> ParsedAddress:
    """Read an address as an intersection with an optional relative position.

    Parameters
    ----------
    query : str
        E.g. ``"人民大街与自由大路交会处东侧500米"`` or ``"华远路前进大街东侧"``.

    Returns
    -------
    ParsedAddress
        ``roads`` has two names for an intersection and is empty otherwise;
        ``name`` is the whole query (without its relative part) otherwise.

    Examples
    --------
    >>> parse_address("人民大街与自由大路交会处东侧500米")
    ParsedAddress(roads=('人民大街', '自由大路'), name=None, side='东', distance_m=500.0)
    """
    text = _normalize(query)
    for pattern in (_SEPARATED, _JOINED):
        match = pattern.match(text)
        if match and match.group("a") and match.group("b"):
            a, b = match.group("a").strip(), match.group("b").strip()
            if re.search(f"{_ROAD}$", a) and re.search(f"{_ROAD}$", b) and a != b:
                return ParsedAddress((a, b), None, match.group("side"), _distance(match))
    rel = re.match(rf"^(?P<name>.+?)\s*(?:{_REL})$", text)
    if rel and (rel.group("dist") or re.search(r"(?:侧|角|方向|面|边)$", text)):
        return ParsedAddress((), rel.group("name").strip(), rel.group("side"), _distance(rel))
    return ParsedAddress((), text, None, None)


def _distance(match: re.Match[str]) -> float | None:
    dist = match.group("dist")
    if dist is None:
        return None
    factor = 1000.0 if match.group("unit") in ("公里", "千米", "km") else 1.0
    return float(dist) * factor


def _entry(row: dict[str, str], where: str) -> GazetteerEntry:
    problems = []
    try:
        lon, lat = float(row["lon"]), float(row["lat"])
    except (TypeError, ValueError):
        problems.append(f"{where}: lon/lat must be numbers, got {row.get('lon')!r}, {row.get('lat')!r}")
        lon = lat = math.nan
    datum = (row.get("datum") or "").strip()
    if datum not in ("wgs84", "gcj02", "bd09", "unknown"):
        problems.append(f"{where}: datum must be wgs84, gcj02, bd09 or unknown, got {datum!r}")
    try:
        unc = float(row["uncertainty_m"])
    except (TypeError, ValueError):
        problems.append(f"{where}: uncertainty_m must be a number, got {row.get('uncertainty_m')!r}")
        unc = math.nan
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
        name=row["name"].strip(),
        aliases=tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
        kind=kind,
        roads=roads,
        lon=float(wlon),
        lat=float(wlat),
        datum=datum,
        coord_original=(lon, lat),
        precision=(row.get("precision") or "approximate").strip(),
        uncertainty_m=unc,
        source=row["source"].strip(),
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
    rows = list(csv.DictReader(text.splitlines()))
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
                f"(query {query!r}){hint}; add it to a gazetteer (--gazetteer) or try --provider"
            )
            return self._fallback(query, msg)
        if parsed.name:
            entry = self._names.get(_normalize(parsed.name))
            if entry is not None and entry.kind != "district":
                return self._relative(entry, query, parsed)
        msg = f"no gazetteer entry for {query!r}; add it to a gazetteer (--gazetteer) or try --provider"
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


def _service_error(provider: str, err: Exception) -> GeocodeError:
    """Map geopy's exceptions (and ours) to the package's tree, in one place."""
    if isinstance(err, GeocodeError):
        return err
    detail = " ".join(str(err).split())
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return _classify(provider, err, detail)


def _classify(provider: str, err: Exception, detail: str) -> GeocodeError:
    from geopy import exc

    if isinstance(err, exc.GeocoderTimedOut):
        return GeocodeServiceError(f"{provider}: timed out ({detail})")
    if isinstance(err, exc.GeocoderRateLimited):
        return GeocodeServiceError(f"{provider}: rate limited, retry after {err.retry_after} s ({detail})")
    if isinstance(err, exc.GeocoderAuthenticationFailure | exc.GeocoderInsufficientPrivileges):
        return GeocodeServiceError(f"{provider}: the service refused the key or user agent ({detail})")
    if isinstance(err, exc.GeocoderQuotaExceeded):
        return GeocodeServiceError(f"{provider}: quota exceeded ({detail})")
    if isinstance(err, exc.GeocoderParseError):
        return GeocodeServiceError(f"{provider}: the answer is not valid JSON ({detail})")
    if isinstance(err, exc.GeocoderUnavailable):
        return GeocodeServiceError(f"{provider}: service unavailable ({detail})")
    if isinstance(err, exc.GeopyError):
        return GeocodeServiceError(f"{provider}: {detail}")
    if isinstance(err, ValueError):
        return GeocodeServiceError(f"{provider}: the answer is malformed ({detail})")
    return GeocodeServiceError(f"{provider}: {type(err).__name__}: {detail}")


def _seconds(given: float | None, setting: str) -> float:
    """Return seconds: the explicit value, else ``GEO_<SETTING>``, else the module default."""
    return float(given) if given is not None else float(settings.env(setting) or getattr(settings, setting))


def _adapter(**kwargs: Any) -> Any:
    """One HTTP request per call: retries are the rate limiter's business, not the transport's."""
    from geopy.adapters import URLLibAdapter

    return URLLibAdapter(**kwargs)


def _split_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        msg = f"service URL must be http(s)://host[:port][/path], got {url!r}"
        raise GeocodeError(msg)
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


_AMAP_LEVELS = {"兴趣点": ("exact", 50.0), "门牌号": ("exact", 50.0), "道路交叉路口": ("intersection", 80.0),
                "道路": ("street", 800.0), "村庄": ("approximate", 1000.0), "乡镇": ("approximate", 3000.0),
                "区县": ("district", 8000.0), "市": ("district", 20000.0)}  # fmt: skip


class _KeyedService(Geocoder):
    """A web geocoding service called with a key: one GET with query parameters, parsed by the subclass."""

    geocode_path = ""
    url_setting = ""

    def __init__(self, api_key: str, *, base_url: str | None = None, city: str, timeout: float | None = None) -> None:
        default = str(getattr(settings, self.url_setting))
        scheme, self.domain = _split_url(base_url or settings.env(self.url_setting) or default)
        super().__init__(
            scheme=scheme,
            timeout=_seconds(timeout, "timeout"),
            adapter_factory=_adapter,
        )
        self.api_key = api_key
        self.city = city

    def _params(self, query: str) -> dict[str, str]:
        raise NotImplementedError

    def _parse_json(self, doc: Any, *, query: str, exactly_one: bool) -> Any:
        raise NotImplementedError

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = None) -> Any:
        """Geocode one query; see :class:`geopy.geocoders.base.Geocoder`.

        Parameters
        ----------
        query : str
        exactly_one : bool
        timeout : Any

        Returns
        -------
        geopy.location.Location, list or None
        """
        url = f"{self.scheme}://{self.domain}{self.geocode_path}?{urlencode(self._params(query))}"
        callback = partial(self._parse_json, query=query, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout or self.timeout)


class AmapGeocoder(_KeyedService):
    """Amap (Gaode) web-service geocoder; answers are GCJ-02, returned as WGS-84.

    Parameters
    ----------
    api_key : str
        An Amap web-service key (``GEO_AMAP_KEY``).
    base_url : str, optional
        Service root (``GEO_AMAP_URL``); tests use a fake server on 127.0.0.1.
    city : str
        Restricts answers to this city.
    timeout : float, optional
    """

    geocode_path = "/v3/geocode/geo"
    url_setting = "amap_url"

    def __init__(
        self, api_key: str, *, base_url: str | None = None, city: str = "长春", timeout: float | None = None
    ) -> None:
        super().__init__(api_key, base_url=base_url, city=city, timeout=timeout)

    def _params(self, query: str) -> dict[str, str]:
        return {"key": self.api_key, "address": query, "city": self.city, "output": "JSON"}

    def _parse_json(self, doc: Any, *, query: str, exactly_one: bool) -> Any:
        if not isinstance(doc, dict) or "status" not in doc:
            msg = f"amap: unexpected answer {str(doc)[:120]!r}"
            raise GeocodeServiceError(msg)
        if str(doc["status"]) != "1":
            info, code = doc.get("info"), doc.get("infocode")
            msg = f"amap: the service answered an error: {info} (infocode {code})"
            raise GeocodeServiceError(msg)
        results = []
        for item in doc.get("geocodes") or []:
            try:
                glon, glat = (float(v) for v in str(item["location"]).split(","))
            except (KeyError, ValueError) as err:
                msg = f"amap: malformed location {item.get('location')!r}"
                raise GeocodeServiceError(msg) from err
            lon, lat = gcj02_to_wgs84(glon, glat)
            precision, unc = _AMAP_LEVELS.get(str(item.get("level")), ("approximate", 1000.0))
            raw = {"provider": "amap", "query": query, "matched": item.get("formatted_address"),
                   "source": f"Amap geocoding API ({item.get('level')})", "precision": precision,
                   "uncertainty_m": unc, "datum_in": "gcj02", "coord_original": [glon, glat],
                   "lon": lon, "lat": lat, "answer": item}  # fmt: skip
            results.append(Location(str(item.get("formatted_address") or query), (lat, lon), raw))
        return _pick(results, exactly_one)


_BAIDU_STATUS = {1: "server error", 2: "bad request", 3: "permission check failed", 4: "quota check failed",
                 5: "invalid key (ak)", 101: "no key (ak)", 102: "ip/referer not whitelisted", 211: "bad signature",
                 240: "service disabled", 302: "daily quota exceeded", 401: "concurrency limit exceeded"}  # fmt: skip


class BaiduGeocoder(_KeyedService):
    """Baidu Maps geocoder (v3); answers are BD-09, returned as WGS-84.

    geopy's ``BaiduV3`` returns BD-09 unconverted, so this class parses the
    answer itself and converts it.

    Parameters
    ----------
    api_key : str
        A Baidu ``ak`` (``GEO_BAIDU_KEY``).
    base_url : str, optional
        Service root (``GEO_BAIDU_URL``).
    city : str
        Restricts answers to this city.
    timeout : float, optional
    """

    geocode_path = "/geocoding/v3/"
    url_setting = "baidu_url"

    def __init__(
        self, api_key: str, *, base_url: str | None = None, city: str = "长春市", timeout: float | None = None
    ) -> None:
        super().__init__(api_key, base_url=base_url, city=city, timeout=timeout)

    def _params(self, query: str) -> dict[str, str]:
        return {"address": query, "city": self.city, "output": "json", "ak": self.api_key}

    def _parse_json(self, doc: Any, *, query: str, exactly_one: bool) -> Any:
        if not isinstance(doc, dict) or "status" not in doc:
            msg = f"baidu: unexpected answer {str(doc)[:120]!r}"
            raise GeocodeServiceError(msg)
        status = int(doc["status"])
        if status != 0:
            msg = f"baidu: the service answered an error: {_BAIDU_STATUS.get(status, doc.get('message'))} (status {status})"
            raise GeocodeServiceError(msg)
        result = doc.get("result")
        if not result:
            return None
        try:
            blon, blat = float(result["location"]["lng"]), float(result["location"]["lat"])
        except (KeyError, TypeError, ValueError) as err:
            msg = f"baidu: malformed location {result.get('location')!r}"
            raise GeocodeServiceError(msg) from err
        lon, lat = bd09_to_wgs84(blon, blat)
        precise = int(result.get("precise", 0)) == 1
        raw = {"provider": "baidu", "query": query, "matched": result.get("level"),
               "source": f"Baidu geocoding API v3 (level {result.get('level')}, confidence {result.get('confidence')})",
               "precision": "exact" if precise else "approximate", "uncertainty_m": 50.0 if precise else 1000.0,
               "datum_in": "bd09", "coord_original": [blon, blat], "lon": lon, "lat": lat, "answer": result}  # fmt: skip
        return _pick([Location(query, (lat, lon), raw)], exactly_one)


def _pick(results: list[Location], exactly_one: bool) -> Any:
    if not results:
        return None
    if len(results) > 1:
        spread = max(distance_m(results[0].longitude, results[0].latitude, r.longitude, r.latitude) for r in results)
        if spread > 500:
            results[0].raw["ambiguous"] = True
            results[0].raw["candidates"] = [r.address for r in results]
    return results[0] if exactly_one else results


def _nominatim(user_agent: str | None, base_url: str | None, timeout: float | None) -> Geocoder:
    from geopy.geocoders import Nominatim

    agent = user_agent or settings.env("user_agent")
    if not agent:
        msg = (
            "nominatim: its usage policy requires a User-Agent that identifies you; "
            "set GEO_USER_AGENT (or --user-agent), e.g. 'nanguan-geo/0.1 (you@example.org)'"
        )
        raise GeocodeError(msg)
    scheme, domain = _split_url(base_url or settings.env("nominatim_url") or settings.nominatim_url)
    return Nominatim(
        adapter_factory=_adapter,
        user_agent=agent,
        domain=domain,
        scheme=scheme,
        timeout=_seconds(timeout, "timeout"),
    )


class _NominatimChangchun:
    """Call Nominatim bounded to Changchun and attach provenance to the answer."""

    def __init__(self, nominatim: Any) -> None:
        self.inner = nominatim

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = None) -> Any:
        w, s, e, n = CHANGCHUN_BOX
        found = self.inner.geocode(
            query,
            exactly_one=False,
            country_codes="cn",
            viewbox=[(n, w), (s, e)],  # geopy wants (lat, lon) corners
            bounded=True,
            limit=5,
        )
        results = []
        for loc in found or []:
            raw = dict(loc.raw)
            kind = raw.get("addresstype") or raw.get("type")
            precise = kind in ("amenity", "building", "leisure", "park", "tourism", "shop", "house")
            provenance = {"provider": "nominatim", "query": query, "matched": loc.address,
                          "source": f"OpenStreetMap via Nominatim (osm {raw.get('osm_type')} {raw.get('osm_id')})",
                          "precision": "exact" if precise else "approximate",
                          "uncertainty_m": 50.0 if precise else 500.0, "datum_in": "wgs84", "coord_original": None,
                          "lon": loc.longitude, "lat": loc.latitude, "answer": raw}  # fmt: skip
            results.append(Location(loc.address, (loc.latitude, loc.longitude), provenance))
        return _pick(results, exactly_one)


class CachedGeocoder:
    """Wrap a geocoder's ``geocode`` with an on-disk cache and a rate limit.

    Answers (including "not found") are stored as JSON files under
    ``cache_dir/<provider>/``, keyed by provider, service URL and query, so a
    second run makes no request. Misses go through geopy's ``RateLimiter``.

    Parameters
    ----------
    geocoder : object
        Has ``geocode(query, exactly_one=True)``.
    provider : str
        Name used in the cache path and messages.
    key : str
        What identifies the service (its URL), part of the cache key.
    cache_dir : str or path-like, optional
        Defaults to ``GEO_CACHE_DIR`` / :data:`geo.settings.cache_dir`.
    min_delay_seconds : float, optional
        Defaults to :data:`geo.settings.min_delay_seconds`.
    """

    def __init__(
        self,
        geocoder: Any,
        provider: str,
        key: str,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        min_delay_seconds: float | None = None,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self.provider = provider
        self.key = key
        self.folder = Path(cache_dir or settings.env("cache_dir") or settings.cache_dir) / provider
        delay = _seconds(min_delay_seconds, "min_delay_seconds")
        self.limited = RateLimiter(geocoder.geocode, min_delay_seconds=delay, max_retries=0, swallow_exceptions=False)
        self.requests = 0

    def _path(self, query: str) -> Path:
        digest = hashlib.sha256(json.dumps([self.provider, self.key, query], ensure_ascii=False).encode()).hexdigest()
        return self.folder / f"{digest[:32]}.json"

    def geocode(self, query: str, *, exactly_one: bool = True) -> Any:
        """Return the cached answer, or ask the service once and cache it.

        Parameters
        ----------
        query : str
        exactly_one : bool

        Returns
        -------
        geopy.location.Location or None

        Raises
        ------
        geo.errors.GeocodeServiceError
            On timeouts, HTTP errors, rate limiting and malformed answers (never cached).
        """
        path = self._path(query)
        if path.exists():
            try:
                cached = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                cached = None
            if isinstance(cached, dict) and cached.get("query") == query:
                if cached.get("location") is None:
                    return None
                c = cached["location"]
                return Location(c["address"], (c["lat"], c["lon"]), c["raw"])
        self.requests += 1
        try:
            location = self.limited(query, exactly_one=True)
        except Exception as err:
            raise _service_error(self.provider, err) from err
        record: dict[str, Any] = {"query": query, "provider": self.provider, "fetched": time.time(), "location": None}
        if location is not None:
            record["location"] = {"address": location.address, "lat": location.latitude,
                                  "lon": location.longitude, "raw": location.raw}  # fmt: skip
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        return location


def get_geocoder(
    provider: str = "gazetteer",
    *,
    gazetteer: str | os.PathLike[str] | None = None,
    district_fallback: bool = False,
    api_key: str | None = None,
    user_agent: str | None = None,
    base_url: str | None = None,
    timeout: float | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    min_delay_seconds: float | None = None,
) -> Any:
    """Return a geocoder by name: offline gazetteer, or a cached, rate-limited online service.

    Parameters
    ----------
    provider : str
        One of :data:`PROVIDERS`.
    gazetteer : str or path-like, optional
        For ``gazetteer``: a CSV replacing the bundled one.
    district_fallback : bool
        For ``gazetteer``: answer with the district centre when nothing matches.
    api_key : str, optional
        For ``amap`` / ``baidu``; defaults to ``GEO_AMAP_KEY`` / ``GEO_BAIDU_KEY``.
    user_agent : str, optional
        For ``nominatim``; defaults to ``GEO_USER_AGENT``. Required by its policy.
    base_url : str, optional
        Service root; defaults to ``GEO_<PROVIDER>_URL``.
    timeout : float, optional
    cache_dir : str or path-like, optional
    min_delay_seconds : float, optional
        Seconds between requests (Nominatim's policy: at least 1).

    Returns
    -------
    object
        With ``geocode(query, exactly_one=True)``.

    Raises
    ------
    geo.errors.GeocodeError
        Unknown provider, missing key or user agent, bad URL.
    """
    if provider == "gazetteer":
        return GazetteerGeocoder(gazetteer, district_fallback=district_fallback)
    if provider == "nominatim":
        inner: Any = _NominatimChangchun(_nominatim(user_agent, base_url, timeout))
        url = base_url or settings.env("nominatim_url") or ""
        wanted = _seconds(min_delay_seconds, "min_delay_seconds")
        delay = max(1.0, wanted)
        if urlsplit(url).hostname in ("127.0.0.1", "localhost"):
            delay = wanted  # fake servers in tests; a public service always gets >= 1 s
        return CachedGeocoder(inner, provider, url, cache_dir=cache_dir, min_delay_seconds=delay)
    if provider in ("amap", "baidu"):
        key = api_key or settings.env(f"{provider}_key")
        if not key:
            msg = f"{provider}: an API key is required; set GEO_{provider.upper()}_KEY or pass --api-key"
            raise GeocodeError(msg)
        service: _KeyedService = (AmapGeocoder if provider == "amap" else BaiduGeocoder)(
            key, base_url=base_url, timeout=timeout
        )
        url = f"{service.scheme}://{service.domain}"
        return CachedGeocoder(service, provider, url, cache_dir=cache_dir, min_delay_seconds=min_delay_seconds)
    msg = f"unknown provider {provider!r}; options are: {', '.join(PROVIDERS)}"
    raise GeocodeError(msg)


def check_in_district(location: Location, *, tolerance_m: float | None = None) -> float:
    """Return the distance of an answer from 南关区, raising if it is outside.

    Parameters
    ----------
    location : geopy.location.Location
        A WGS-84 answer.
    tolerance_m : float, optional
        How far outside the polygon still counts; defaults to
        :data:`geo.district.EDGE_TOLERANCE_M`, the same rule ``add-park`` applies.

    Returns
    -------
    float
        Metres outside the district polygon (0 inside).

    Raises
    ------
    geo.errors.OutsideDistrictError
        When the answer is further out: probably a same-name place elsewhere.
    """
    from shapely.geometry import Point

    from geo.district import EDGE_TOLERANCE_M, NAME, distance_outside_m

    tolerance_m = EDGE_TOLERANCE_M if tolerance_m is None else tolerance_m
    outside = distance_outside_m(Point(location.longitude, location.latitude))
    if outside > tolerance_m:
        msg = (
            f"{location.raw.get('provider', 'geocoder')}: {location.address!r} at "
            f"({location.longitude:.6f}, {location.latitude:.6f}) is {outside / 1000:.1f} km outside {NAME}; "
            "a same-name place elsewhere? (--allow-outside keeps it)"
        )
        raise OutsideDistrictError(msg)
    return outside


def geocode_place(
    query: str,
    *,
    geocoder: Any = None,
    allow_outside: bool = False,
) -> Location:
    """Geocode one query and check it against the district.

    Parameters
    ----------
    query : str
        A name or an address.
    geocoder : object, optional
        From :func:`get_geocoder`; the offline gazetteer by default.
    allow_outside : bool
        Keep answers outside 南关区 (flagged in ``raw["outside_m"]``).

    Returns
    -------
    geopy.location.Location
        WGS-84, with provenance in ``raw``.

    Raises
    ------
    geo.errors.PlaceNotFoundError
        No answer.
    geo.errors.OutsideDistrictError
        The answer lies outside the district and ``allow_outside`` is false.
    geo.errors.GeocodeServiceError
        The online service failed.
    """
    geocoder = geocoder or GazetteerGeocoder()
    if isinstance(geocoder, GazetteerGeocoder):
        location = geocoder.resolve(query)
    else:
        location = geocoder.geocode(query)
        if location is None:
            name = getattr(geocoder, "provider", type(geocoder).__name__)
            msg = f"{name}: no answer for {query!r}"
            raise PlaceNotFoundError(msg)
    try:
        location.raw["outside_m"] = round(check_in_district(location), 1)
    except OutsideDistrictError:
        if not allow_outside:
            raise
        location.raw["outside_m"] = round(check_in_district(location, tolerance_m=math.inf), 1)
    return location


def location_properties(location: Location) -> dict[str, Any]:
    """Turn a geocoder answer into the model's geometry and provenance fields.

    Parameters
    ----------
    location : geopy.location.Location
        WGS-84, provenance in ``raw`` (as this module's geocoders return).

    Returns
    -------
    dict
        ``geometry`` plus ``location_method``, ``location_source``, ``datum_in``,
        ``coord_original``, ``precision`` and ``uncertainty_m``.
    """
    raw = location.raw
    provider = raw.get("provider", "geocoder")
    matched = raw.get("matched")
    detail = raw.get("offset")
    source = f"{provider}: {raw.get('source')}"
    if matched and matched != raw.get("query"):
        source += f"; matched {matched!r}"
    if detail:
        source += f"; offset {detail}"
    datum = raw.get("datum_in") or "wgs84"
    original = raw.get("coord_original")
    lon, lat = float(location.longitude), float(location.latitude)
    if datum in ("gcj02", "bd09") and original:
        # Re-derive from the original so the stored pair satisfies the model's check exactly.
        lon, lat = (float(v) for v in to_wgs84(original[0], original[1], datum))
    return {
        # GeoJSON wants (lon, lat); geopy's Location is (lat, lon).
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "location_method": "gazetteer" if provider == "gazetteer" else "geocoder",
        "location_source": source,
        "datum_in": datum,
        "coord_original": list(original) if datum in ("gcj02", "bd09") and original else None,
        "precision": raw.get("precision") or "approximate",
        "uncertainty_m": float(raw.get("uncertainty_m") or 1000.0),
    }


def iter_queries(props: dict[str, Any]) -> Iterable[str]:
    """Yield the queries worth trying for a place: its address, then its names.

    Parameters
    ----------
    props : dict
        Model properties.

    Yields
    ------
    str
    """
    seen: set[str] = set()
    for value in (props.get("address"), props.get("name"), *(props.get("aliases") or [])):
        if isinstance(value, str) and value.strip() and value not in seen:
            seen.add(value)
            yield value
