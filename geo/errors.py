"""Define every exception the ``geo`` package raises.

Each class also derives from a builtin, so callers may catch broadly
(``except ValueError``) or precisely (``except geo.errors.CoordinateError``).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConflictError",
    "CoordinateError",
    "GeoError",
    "GeocodeError",
    "GeocodeServiceError",
    "OutsideDistrictError",
    "PlaceNotFoundError",
    "StoreError",
    "ValidationError",
]


class GeoError(Exception):
    """Root of every error raised by ``geo``."""


class ValidationError(GeoError, ValueError):
    """A record, frame, file or command-line value breaks the data model.

    Parameters
    ----------
    problems : list of str
        One line per problem; the message joins them.
    """

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class CoordinateError(ValidationError):
    """A coordinate is out of range, not finite, or in (lat, lon) order."""


class StoreError(GeoError, OSError):
    """The data file cannot be read, written or locked, or is not a FeatureCollection."""


class GeocodeError(GeoError):
    """A geocoder failed: bad configuration, an unusable answer or a service error."""


class GeocodeServiceError(GeocodeError, ConnectionError):
    """An online geocoding service timed out, refused or answered garbage."""


class PlaceNotFoundError(GeocodeError, LookupError):
    """No geocoder answer for the query."""


class OutsideDistrictError(GeocodeError, ValueError):
    """A geocoder answer lies outside the district (a same-name place elsewhere)."""


class ConflictError(GeoError, RuntimeError):
    """A place changed since the version an edit was based on; nothing was written.

    Parameters
    ----------
    ident : str
        The place's id.
    current : dict or None
        The place as it is now (``None`` when it was removed).
    version : str or None
        Its current version (see :func:`geo.store.version_of`).
    """

    def __init__(self, ident: str, current: dict[str, Any] | None, version: str | None) -> None:
        self.ident = ident
        self.current = current
        self.version = version
        state = "was removed" if current is None else f"is now at version {version}"
        super().__init__(f"{ident}: changed by someone else meanwhile ({state}); nothing was written")
