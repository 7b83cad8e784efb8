"""Choose a geocoder, check its answers against the district, and turn them into place properties."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from geopy.location import Location

from geo import settings
from geo.coords import to_wgs84
from geo.district import EDGE_TOLERANCE_M, NAME, distance_outside_m
from geo.errors import (
    GeocodeError,
    OutsideDistrictError,
    PlaceNotFoundError,
)
from geo.geocode.base import SupportsGeocode
from geo.geocode.cache import CachedGeocoder
from geo.geocode.gazetteer import GazetteerGeocoder
from geo.geocode.services import AmapGeocoder, BaiduGeocoder, _KeyedService, _nominatim, _NominatimChangchun, _seconds

logger = logging.getLogger(__name__)


PROVIDERS = ("gazetteer", "nominatim", "amap", "baidu")


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
) -> SupportsGeocode:
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
    SupportsGeocode
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
    from shapely.geometry import Point  # shapely costs start-up; only this check needs it

    tolerance_m = EDGE_TOLERANCE_M if tolerance_m is None else tolerance_m
    outside = distance_outside_m(Point(location.longitude, location.latitude))
    if outside > tolerance_m:
        msg = (
            f"{location.raw.get('provider', 'geocoder')}: {location.address!r} at "
            f"({location.longitude:.6f}, {location.latitude:.6f}) is {outside / 1000:.1f} km outside {NAME}; "
            "a same-name place elsewhere?"
        )
        raise OutsideDistrictError(msg)
    return outside


def geocode_place(
    query: str,
    *,
    geocoder: SupportsGeocode | None = None,
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
    logger.info("geocoding %r with %s", query, getattr(geocoder, "provider", type(geocoder).__name__))
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
