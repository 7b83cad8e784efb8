"""The page's third-party front-end assets: pinned, declared once, linked the folium way.

Every folium element declares its scripts and styles as data (``default_js``/``default_css``, lists of
``(name, url)``) and folium's ``JSCSSMixin`` adds each once, by name, to the page's head. Those lists
point at folium's own CDN choices (other versions, other hosts); :func:`link_assets` points them at the
versions ``package.json`` pins, on the CDN or in a local folder (``lib`` for ``geo build --offline`` and
``geo serve``), with folium's own ``add_js_link``/``add_css_link``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ASSETS", "CDN_BASE", "FOLIUM_NAMES", "asset_url", "link_assets"]

#: Where the pinned assets are loaded from when the page does not ship them.
CDN_BASE = "https://cdn.jsdelivr.net/npm"

#: Front-end assets, pinned: name -> (npm package, version, path in the package).
#: ``package.json`` pins the same versions for ``npm ci``.
ASSETS: dict[str, tuple[str, str, str]] = {
    "leaflet_js": ("leaflet", "1.9.4", "dist/leaflet.js"),
    "leaflet_css": ("leaflet", "1.9.4", "dist/leaflet.css"),
    "fullscreen_js": ("leaflet.fullscreen", "3.0.0", "Control.FullScreen.js"),
    "fullscreen_css": ("leaflet.fullscreen", "3.0.0", "Control.FullScreen.css"),
    "measure_js": ("leaflet-measure", "2.1.7", "dist/leaflet-measure.js"),
    "measure_css": ("leaflet-measure", "2.1.7", "dist/leaflet-measure.css"),
    "minimap_js": ("leaflet-minimap", "3.6.1", "dist/Control.MiniMap.min.js"),
    "minimap_css": ("leaflet-minimap", "3.6.1", "dist/Control.MiniMap.min.css"),
    "draw_js": ("leaflet-draw", "1.0.4", "dist/leaflet.draw.js"),
    "draw_css": ("leaflet-draw", "1.0.4", "dist/leaflet.draw.css"),
}

#: The name folium gives each asset (its ``default_js``/``default_css`` entries) -> ours in :data:`ASSETS`.
FOLIUM_NAMES: dict[str, str] = {
    "leaflet": "leaflet_js",
    "leaflet_css": "leaflet_css",
    "Control.Fullscreen.js": "fullscreen_js",
    "Control.FullScreen.css": "fullscreen_css",
    "leaflet_measure_js": "measure_js",
    "leaflet_measure_css": "measure_css",
    "Control_MiniMap_js": "minimap_js",
    "Control_MiniMap_css": "minimap_css",
    "leaflet_draw_js": "draw_js",
    "leaflet_draw_css": "draw_css",
}


def asset_url(name: str, base: str = CDN_BASE) -> str:
    """Return the URL of a pinned asset under ``base``.

    Parameters
    ----------
    name : str
        A key of :data:`ASSETS`.
    base : str
        :data:`CDN_BASE`, or a folder laid out as ``<package>@<version>/<path>`` (``"lib"``).

    Returns
    -------
    str
    """
    package, version, path = ASSETS[name]
    return f"{base}/{package}@{version}/{path}"


def link_assets(element: Any, base: str = CDN_BASE) -> Any:
    """Point a folium element's declared scripts and styles at the pinned assets under ``base``.

    The element first gets its own copies of its ``default_js``/``default_css`` (folium's
    ``add_js_link`` edits the list in place, and folium's list belongs to the class, shared by every
    map in the process); then each entry is relinked by its folium name with ``add_js_link`` or
    ``add_css_link``.

    Parameters
    ----------
    element : folium.elements.JSCSSMixin
        A map or plugin whose assets are all in :data:`FOLIUM_NAMES`.
    base : str
        :data:`CDN_BASE` or a local folder such as ``"lib"``.

    Returns
    -------
    folium.elements.JSCSSMixin
        The element, for chaining.

    Raises
    ------
    ValueError
        For an asset folium names that is not pinned here (a folium upgrade renamed it): linking it
        by a new name would load both copies.
    """
    element.default_js = list(element.default_js)
    element.default_css = list(element.default_css)
    for declared, add in ((element.default_js, element.add_js_link), (element.default_css, element.add_css_link)):
        for folium_name, _url in list(declared):
            ours = FOLIUM_NAMES.get(folium_name)
            if ours is None:
                msg = f"asset: {type(element).__name__} declares {folium_name!r}, which geo does not pin"
                raise ValueError(msg)
            add(folium_name, asset_url(ours, base))
    return element
