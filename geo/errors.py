"""Define every exception the ``geo`` package raises.

Each class also derives from a builtin, so callers may catch broadly
(``except ValueError``) or precisely (``except geo.errors.CoordinateError``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Problem:
    """One problem with a record or an input, as data: where, which field, what kind, and why.

    ``str(problem)`` is the one line ``where: text`` the command line prints; code that acts on a
    problem (the editor puts it beside a form field, the CLI names the option that sets the field)
    reads ``field``, ``kind``, ``code`` and ``values`` instead of searching the text. A problem never
    names a command-line option: it names the field, and each front end says how that field is set.

    Parameters
    ----------
    where : str
        The record or input it concerns (``features[3] (id 'x')``, ``park-7b76489d``, or the field itself).
    field : str
        The property or member at fault (``stated_area_m2``, ``geometry``, ``location_source``).
    text : str
        What is wrong, in English, as the reader should see it after ``where: ``.
    kind : str
        ``missing``, ``invalid``, ``outside``, ``duplicate`` or ``conflict``.
    code : str
        Its entry in the text catalogue's ``problems`` section (``geo/locale/*.json``), which has the
        Chinese and English wording; empty for a problem the catalogue words generically.
    values : mapping
        The numbers and names the wording is filled with (and a page may use: ``mapped_area_m2``,
        ``outside_m``).
    """

    where: str
    field: str
    text: str
    kind: str = "invalid"
    code: str = ""
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        """Return the one line ``where: text``."""
        return f"{self.where}: {self.text}" if self.where else self.text

    def __hash__(self) -> int:
        """Hash the line and its field (``values`` may hold unhashable members)."""
        return hash((self.where, self.field, self.text, self.kind, self.code))

    @classmethod
    def of(cls, line: str | Problem) -> Problem:
        """Return a line as a problem.

        Parameters
        ----------
        line : str or Problem
            A problem, or a plain line.

        Returns
        -------
        Problem
            A problem unchanged; a plain line as a record's problem with no field.
        """
        return line if isinstance(line, Problem) else cls("", "", str(line))

    def at(self, where: str) -> Problem:
        """Return the problem with ``where`` in front (``park-1: features[0]: ...``), everything else kept.

        Parameters
        ----------
        where : str
            The record or place the problem is in.

        Returns
        -------
        Problem
            A new problem.
        """
        return dataclasses.replace(self, where=f"{where}: {self.where}" if self.where else where)


def prefixed(where: str, problem: str | Problem) -> Problem:
    """Return ``where: problem``, keeping the problem's field, kind, code and values.

    Parameters
    ----------
    where : str
        The record or place the problem is in.
    problem : str or Problem
        The problem; a plain line concerns the record.

    Returns
    -------
    Problem
        The problem with ``where`` in front.
    """
    return Problem.of(problem).at(where)


def unprefixed(prefix: str, problem: str | Problem) -> Problem:
    """Return the problem without a leading ``prefix`` (e.g. an id the user never typed), keeping the rest.

    Parameters
    ----------
    prefix : str
        The text to take off the front.
    problem : str or Problem
        The problem.

    Returns
    -------
    Problem
        The problem without ``prefix``; unchanged if it does not start with it.
    """
    found = Problem.of(problem)
    line = str(found)
    if not line.startswith(prefix):
        return found
    rest = line.removeprefix(prefix)
    where = found.where.removeprefix(prefix.rstrip(": ")).removeprefix(": ") if found.where else ""
    if where and rest.startswith(f"{where}: "):
        return dataclasses.replace(found, where=where)
    return dataclasses.replace(found, where="", text=rest)


class GeoError(Exception):
    """Root of every error raised by ``geo``."""


class ValidationError(GeoError, ValueError):
    """A record, frame, file or command-line value breaks the data model.

    Parameters
    ----------
    problems : Problem, str or a list of them
        Every problem at once; a plain line becomes a :class:`Problem` without a field. The message
        joins their lines.
    """

    def __init__(self, problems: str | Problem | Sequence[str | Problem]) -> None:
        given = [problems] if isinstance(problems, str | Problem) else list(problems)
        self.problems: list[Problem] = [Problem.of(p) for p in given]
        super().__init__("\n".join(str(p) for p in self.problems))


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
