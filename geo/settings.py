"""Hold the package's settings as typed module-level globals.

Code reads these when it runs, so a script or a test changes behaviour by
assigning to them (``geo.settings.timeout = 5``). Values that a user may need
to change without code also come from ``GEO_*`` environment variables, read
at call time by :func:`env` (an environment variable wins over the default
below, and an explicit argument wins over both).

Attributes
----------
default_crs : str
    CRS of the data file and of every frame the package returns (RFC 7946).
area_crs : str or None
    Metric CRS for areas and distances. ``None`` means the UTM zone of the
    data (EPSG:32651, WGS 84 / UTM 51N, for Changchun).
locations_path : str or None
    The data file, when a script sets it. ``None`` (the default) means: ``GEO_DATA``, else
    ``data/locations.geojson`` in the working folder or a parent (:func:`geo.resources.find_data_path`).
site_dir : str
    Where ``geo build`` writes the map.
timeout : float
    Seconds to wait for an online geocoder (``GEO_TIMEOUT``).
min_delay_seconds : float
    Seconds between two requests to one online service (``GEO_MIN_DELAY_SECONDS``);
    the public Nominatim always gets at least 1, its usage policy.
user_agent : str or None
    HTTP User-Agent for Nominatim (``GEO_USER_AGENT``); required by its usage policy.
cache_dir : str
    Folder of the on-disk cache of online answers (``GEO_CACHE_DIR``).
nominatim_url, amap_url, baidu_url : str
    Base URLs of the online services (``GEO_NOMINATIM_URL``, ``GEO_AMAP_URL``,
    ``GEO_BAIDU_URL``); tests point them at fake servers on 127.0.0.1.
amap_key, baidu_key : str or None
    API keys (``GEO_AMAP_KEY``, ``GEO_BAIDU_KEY``); never stored in the repository.
coordinate_decimals : int
    Decimals kept for coordinates in the data file (7 is about 1 cm).
same_spot_m : float
    Two parks closer than this are taken to be the same place by ``add-park``.
area_tolerance : float
    Relative disagreement between a mapped outline and the stated area that
    ``add-park`` warns about (0.10 is 10 %).
lock_timeout : float
    Seconds a change waits for another process's lock on the data file before
    giving up with a clear message (``GEO_LOCK_TIMEOUT``; the CLI's ``--wait``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "amap_key",
    "amap_url",
    "area_crs",
    "area_tolerance",
    "baidu_key",
    "baidu_url",
    "cache_dir",
    "coordinate_decimals",
    "default_crs",
    "env",
    "locations_path",
    "lock_timeout",
    "min_delay_seconds",
    "nominatim_url",
    "same_spot_m",
    "site_dir",
    "timeout",
    "user_agent",
]

default_crs: str = "EPSG:4326"
area_crs: str | None = None
locations_path: str | None = None
site_dir: str = "site"
timeout: float = 10.0
min_delay_seconds: float = 1.0
user_agent: str | None = None
cache_dir: str = str(Path.home() / ".cache" / "nanguan-geo")
nominatim_url: str = "https://nominatim.openstreetmap.org"
amap_url: str = "https://restapi.amap.com"
baidu_url: str = "https://api.map.baidu.com"
amap_key: str | None = None
baidu_key: str | None = None
coordinate_decimals: int = 7
same_spot_m: float = 30.0
area_tolerance: float = 0.10
lock_timeout: float = 30.0


def env(name: str) -> str | None:
    """Return a setting, from ``GEO_<NAME>`` in the environment or this module.

    Parameters
    ----------
    name : str
        Setting name in lower case, e.g. ``"amap_url"``.

    Returns
    -------
    str or None
        The environment value if set and non-empty, else the module value.
    """
    value = os.environ.get(f"GEO_{name.upper()}")
    if value:
        return value
    current = globals()[name]
    return None if current is None else str(current)
