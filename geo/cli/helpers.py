"""What several commands do with their options: the geocoder they ask for, the street network they load.

Kept apart from :mod:`geo.cli.options` (which only declares options) so that a command that needs
neither, ``geo serve`` or ``geo validate``, does not import geopy's geocoders or the network module.
The geocoders are imported inside :func:`make_geocoder`: ``geo build`` uses only :func:`network_for`,
and geopy (with requests and urllib3) is a quarter of a second of its start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.network import load_network

__all__ = ["make_geocoder", "network_for"]


def make_geocoder(
    provider: str, gazetteer: Path | None, online: dict[str, Any], *, district_fallback: bool = False
) -> Any:
    """Return the geocoder the options ask for (:func:`geo.geocode.get_geocoder`).

    Parameters
    ----------
    provider : str
    gazetteer : pathlib.Path or None
    online : dict
        ``api_key``, ``user_agent``, ``base_url`` and ``cache_dir`` as the options gave them.
    district_fallback : bool

    Returns
    -------
    geopy.geocoders.base.Geocoder
    """
    from geo.geocode import get_geocoder  # geopy: only the commands that geocode pay for it

    return get_geocoder(provider, gazetteer=gazetteer, district_fallback=district_fallback, **online)


def network_for(network_file: str | None, data_path: Path | None) -> Any:
    """Load the street network ``--network`` asks for (``""``: the one beside the data), or ``None`` without it.

    Parameters
    ----------
    network_file : str or None
        ``--network``'s value.
    data_path : pathlib.Path or None
        The data file the default network sits beside.

    Returns
    -------
    networkx.MultiDiGraph or None
    """
    if network_file is None:
        return None
    return load_network(network_file or None, data_path=data_path)
