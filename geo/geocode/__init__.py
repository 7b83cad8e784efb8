"""Geocode Chinese place names and addresses: offline by default, online on request.

Offline, :class:`GazetteerGeocoder` answers from a gazetteer of sourced points
(``geo/data/gazetteer.csv``, or a file of the same columns a user passes):
names and aliases, road intersections written the ways Chinese addresses write
them (``A与B交会处``, ``A与B交汇处``, ``A、B交叉口``, ``AB交会``, ``A B 路口``, in either
order), and positions relative to them (``…东侧``, ``…西北角``, ``…东侧500米``,
``…南200米``). Online, :func:`get_geocoder` builds geopy's Nominatim or the
Amap / Baidu geocoders of :mod:`geo.geocode.services`; their answers are
converted to WGS-84 (Amap answers in GCJ-02, Baidu in BD-09), cached on disk
(:class:`CachedGeocoder`) and rate limited (geopy's ``RateLimiter``).

Every answer is a :class:`geopy.location.Location` in WGS-84 whose ``raw`` holds
the provenance: ``provider``, ``source``, ``precision``, ``uncertainty_m``,
``datum_in`` and ``coord_original``. :func:`check_in_district` rejects answers
outside 南关区 (same-name places in other cities).

The package is laid out by concern: :mod:`~geo.geocode.address` (reading
addresses), :mod:`~geo.geocode.gazetteer` (the offline geocoder),
:mod:`~geo.geocode.services` (online services and their errors),
:mod:`~geo.geocode.cache` (cache and rate limit) and
:mod:`~geo.geocode.lookup` (choosing a geocoder and using its answers).

Examples
--------
>>> g = GazetteerGeocoder()
>>> loc = g.geocode("人民大街与卫星路交会处东侧200米")
>>> loc.raw["precision"], round(loc.raw["uncertainty_m"])
('approximate', 100)
"""

from __future__ import annotations

from geo.geocode.address import BEARINGS, ParsedAddress, parse_address
from geo.geocode.base import SupportsGeocode
from geo.geocode.cache import CachedGeocoder
from geo.geocode.gazetteer import (
    OFFSET_UNCERTAINTY_SHARE,
    SIDE_UNCERTAINTY_M,
    GazetteerEntry,
    GazetteerGeocoder,
    load_gazetteer,
)
from geo.geocode.lookup import (
    PROVIDERS,
    check_in_district,
    geocode_place,
    get_geocoder,
    iter_queries,
    location_properties,
)
from geo.geocode.services import CHANGCHUN_BOX, AmapGeocoder, BaiduGeocoder

__all__ = [
    "BEARINGS",
    "CHANGCHUN_BOX",
    "OFFSET_UNCERTAINTY_SHARE",
    "PROVIDERS",
    "SIDE_UNCERTAINTY_M",
    "AmapGeocoder",
    "BaiduGeocoder",
    "CachedGeocoder",
    "GazetteerEntry",
    "GazetteerGeocoder",
    "ParsedAddress",
    "SupportsGeocode",
    "check_in_district",
    "geocode_place",
    "get_geocoder",
    "iter_queries",
    "load_gazetteer",
    "location_properties",
    "parse_address",
]
