"""Online geocoding services (Nominatim, Amap, Baidu) and the one map of their errors."""

from __future__ import annotations

import logging
import math
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlsplit

from geopy import exc
from geopy.adapters import URLLibAdapter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo import settings
from geo._docs import shared_docs
from geo.coords import bd09_to_wgs84, distance_m, gcj02_to_wgs84
from geo.errors import (
    GeocodeError,
    GeocodeServiceError,
)

logger = logging.getLogger(__name__)

CHANGCHUN_BOX = (125.0, 43.55, 125.75, 44.1)


def _service_error(provider: str, err: Exception) -> GeocodeError:
    """Map geopy's exceptions (and ours) to the package's tree, in one place."""
    if isinstance(err, GeocodeError):
        return err
    detail = " ".join(str(err).split())
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return _classify(provider, err, detail)


def _classify(provider: str, err: Exception, detail: str) -> GeocodeError:
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
    raw = given if given is not None else (settings.env(setting) or getattr(settings, setting))
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 <= seconds <= 3600:  # also refuses NaN
        msg = f"GEO_{setting.upper()} (or --{setting.replace('_', '-')}) must be 0 to 3600 seconds, got {raw!r}"
        raise GeocodeError(msg)
    return seconds


def _adapter(**kwargs: Any) -> Any:
    """One HTTP request per call: retries are the rate limiter's business, not the transport's."""
    return URLLibAdapter(**kwargs)


def _split_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        msg = f"service URL must be http(s)://host[:port][/path], got {url!r}"
        raise GeocodeError(msg)
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


_AMAP_LEVELS = {
    "兴趣点": ("exact", 50.0),
    "门牌号": ("exact", 50.0),
    "道路交叉路口": ("intersection", 80.0),
    "道路": ("street", 800.0),
    "村庄": ("approximate", 1000.0),
    "乡镇": ("approximate", 3000.0),
    "区县": ("district", 8000.0),
    "市": ("district", 20000.0),
}


class _KeyedService(Geocoder):
    """A web geocoding service called with a key: one GET with query parameters, parsed by the subclass."""

    geocode_path = ""
    url_setting = ""
    #: The city answers are restricted to when none is given, as the service spells it.
    default_city = ""

    def __init__(
        self, api_key: str, *, base_url: str | None = None, city: str | None = None, timeout: float | None = None
    ) -> None:
        default = str(getattr(settings, self.url_setting))
        scheme, self.domain = _split_url(base_url or settings.env(self.url_setting) or default)
        super().__init__(
            scheme=scheme,
            timeout=_seconds(timeout, "timeout"),
            adapter_factory=_adapter,
        )
        self.api_key = api_key
        self.city = self.default_city if city is None else city

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


@shared_docs()
class AmapGeocoder(_KeyedService):
    """Amap (Gaode) web-service geocoder; answers are GCJ-02, returned as WGS-84.

    Parameters
    ----------
    api_key : str
        An Amap web-service key (``GEO_AMAP_KEY``).
    base_url : str, optional
        Service root (``GEO_AMAP_URL``); tests use a fake server on 127.0.0.1.
    """

    geocode_path = "/v3/geocode/geo"
    url_setting = "amap_url"
    default_city = "长春"

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
            raw = {
                "provider": "amap",
                "query": query,
                "matched": item.get("formatted_address"),
                "source": f"Amap geocoding API ({item.get('level')})",
                "precision": precision,
                "uncertainty_m": unc,
                "datum_in": "gcj02",
                "coord_original": [glon, glat],
                "lon": lon,
                "lat": lat,
                "answer": item,
            }
            results.append(Location(str(item.get("formatted_address") or query), (lat, lon), raw))
        return _pick(results, exactly_one)


_BAIDU_STATUS = {
    1: "server error",
    2: "bad request",
    3: "permission check failed",
    4: "quota check failed",
    5: "invalid key (ak)",
    101: "no key (ak)",
    102: "ip/referer not whitelisted",
    211: "bad signature",
    240: "service disabled",
    302: "daily quota exceeded",
    401: "concurrency limit exceeded",
}


@shared_docs()
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
    """

    geocode_path = "/geocoding/v3/"
    url_setting = "baidu_url"
    default_city = "长春市"

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
        raw = {
            "provider": "baidu",
            "query": query,
            "matched": result.get("level"),
            "source": f"Baidu geocoding API v3 (level {result.get('level')}, confidence {result.get('confidence')})",
            "precision": "exact" if precise else "approximate",
            "uncertainty_m": 50.0 if precise else 1000.0,
            "datum_in": "bd09",
            "coord_original": [blon, blat],
            "lon": lon,
            "lat": lat,
            "answer": result,
        }
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
            provenance = {
                "provider": "nominatim",
                "query": query,
                "matched": loc.address,
                "source": f"OpenStreetMap via Nominatim (osm {raw.get('osm_type')} {raw.get('osm_id')})",
                "precision": "exact" if precise else "approximate",
                "uncertainty_m": 50.0 if precise else 500.0,
                "datum_in": "wgs84",
                "coord_original": None,
                "lon": loc.longitude,
                "lat": loc.latitude,
                "answer": raw,
            }
            results.append(Location(loc.address, (loc.latitude, loc.longitude), provenance))
        return _pick(results, exactly_one)
