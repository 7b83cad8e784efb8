"""What the package asks of a geocoder: one typed protocol, which every geocoder here satisfies.

Code that takes a geocoder (:func:`geo.geocode.geocode_place`, :func:`geo.places.make_park`,
:func:`geo.places.locate_missing`, :class:`geo.geocode.CachedGeocoder`) calls only ``geocode(query,
exactly_one=True)``, as geopy's geocoders have it: the offline :class:`~geo.geocode.GazetteerGeocoder`,
the cached online services of :func:`~geo.geocode.get_geocoder`, geopy's own geocoders and a test's
fake all fit, without sharing a base class.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from geopy.location import Location

__all__ = ["SupportsGeocode"]


@runtime_checkable
class SupportsGeocode(Protocol):
    """A geocoder as this package uses it: geopy's ``geocode`` method.

    Examples
    --------
    >>> from geo.geocode import GazetteerGeocoder
    >>> isinstance(GazetteerGeocoder(), SupportsGeocode)
    True
    """

    def geocode(self, query: str, *, exactly_one: bool = True) -> Location | None:
        """Return the best answer for ``query`` in WGS-84 (provenance in ``raw``), or None when there is none.

        Parameters
        ----------
        query : str
            A name or an address.
        exactly_one : bool
            Always True here: one answer, not a list.

        Returns
        -------
        geopy.location.Location or None
        """
        ...
