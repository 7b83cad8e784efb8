"""An on-disk cache and a rate limit around any geocoder."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from geo import settings
from geo.geocode.base import SupportsGeocode
from geo.geocode.services import _seconds, _service_error

logger = logging.getLogger(__name__)


class CachedGeocoder:
    """Wrap a geocoder's ``geocode`` with an on-disk cache and a rate limit.

    Answers (including "not found") are stored as JSON files under
    ``cache_dir/<provider>/``, keyed by provider, service URL and query, so a
    second run makes no request. Misses go through geopy's ``RateLimiter``.

    Parameters
    ----------
    geocoder : SupportsGeocode
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
        geocoder: SupportsGeocode,
        provider: str,
        key: str,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        min_delay_seconds: float | None = None,
    ) -> None:

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
        hit, location = self._read(path, query)
        if hit:
            return location
        self.requests += 1
        try:
            location = self.limited(query, exactly_one=True)
        except Exception as err:
            raise _service_error(self.provider, err) from err
        record: dict[str, Any] = {"query": query, "provider": self.provider, "fetched": time.time(), "location": None}
        if location is not None:
            record["location"] = {
                "address": location.address,
                "lat": location.latitude,
                "lon": location.longitude,
                "raw": location.raw,
            }
        self._write(path, record)
        return location

    @staticmethod
    def _read(path: Path, query: str) -> tuple[bool, Any]:
        """Return ``(hit, location)``; a damaged entry is a miss, logged, never a crash."""
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return False, None
        except (OSError, ValueError) as err:
            logger.warning("ignoring the damaged cache entry %s (%s)", path, err)
            return False, None
        if not isinstance(cached, dict) or cached.get("query") != query:
            return False, None
        c = cached.get("location")
        if c is None:
            return True, None
        try:
            return True, Location(str(c["address"]), (float(c["lat"]), float(c["lon"])), dict(c["raw"]))
        except (KeyError, TypeError, ValueError) as err:
            logger.warning("ignoring the damaged cache entry %s (%s)", path, err)
            return False, None

    def _write(self, path: Path, record: dict[str, Any]) -> None:
        """Store an answer; if the cache cannot be written (GEO_CACHE_DIR is a file, a full disk), warn and go on."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as err:
            logger.warning("cannot cache the answer in %s (%s); it is used but not kept", self.folder, err.strerror)
