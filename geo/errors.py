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
    "MissingExtraError",
    "OutsideDistrictError",
    "PlaceNotFoundError",
    "Problem",
    "StoreError",
    "ValidationError",
    "prefixed",
    "unprefixed",
]


class Problem(str):
    """One problem line that also says which field it concerns and what kind of problem it is.

    It *is* its text (a ``str``), so lists of problems print, join and compare as before; code that
    needs to act on a problem (the editor puts it next to a form field) reads ``field`` and ``kind``
    instead of searching the text.

    Parameters
    ----------
    where : str
        The record it concerns (``features[3] (id 'x')``, or an option such as ``--area``).
    field : str
        The property, member or option at fault (``stated_area_m2``, ``geometry``, ``--area``).
    text : str
        What is wrong, as the reader should see it after ``where: ``.
    kind : str
        ``missing``, ``invalid``, ``outside``, ``duplicate`` or ``conflict``.
    """

    field: str
    kind: str

    def __new__(cls, where: str, field: str, text: str, kind: str = "invalid") -> Problem:
        """Make the line ``where: text`` carrying ``field`` and ``kind``."""
        line = super().__new__(cls, f"{where}: {text}" if where else text)
        line.field = field
        line.kind = kind
        return line

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as plain text (a subprocess needs the line, not the class)."""
        return (str, (str(self),))


def prefixed(where: str, problem: str) -> Problem:
    """Return ``where: problem``, keeping the problem's field and kind (a plain line concerns the record)."""
    return Problem(where, getattr(problem, "field", ""), str(problem), getattr(problem, "kind", "invalid"))


def unprefixed(prefix: str, problem: str) -> Problem:
    """Return the problem without a leading ``prefix`` (e.g. an id the user never typed), keeping field and kind."""
    return Problem(
        "", getattr(problem, "field", ""), str(problem).removeprefix(prefix), getattr(problem, "kind", "invalid")
    )


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


class MissingExtraError(GeoError, ImportError):
    """A feature needs an optional part of the package (an extra) that is not installed."""


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
