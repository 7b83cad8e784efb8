"""The atlas as folium elements: :class:`AtlasLayer` (the places, panel, legend and table) and :class:`AtlasLocale`.

``AtlasLayer(places).add_to(m)`` works on any folium map: it encodes the places
(:func:`geo.payload.encode_payload`), brings the page's words (:func:`page_locales`) unless an
:class:`AtlasLocale` came first, and makes a layer control unless it is given one. Its options
(:func:`atlas_options`) are ours, never the data's.

Data text reaches the page only as JSON inside a ``<script type="application/json">``
element (with ``<``, ``>`` and ``&`` escaped), and ``atlas.js`` inserts it with
``textContent``: no value from the data file is ever parsed as HTML. The atlas's own script and
style (``geo/static``) are written into the page by the template, with the page's nonce; so a page
built for the CDN still opens from ``file://``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import metadata, resources
from typing import TYPE_CHECKING, Any

import orjson
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo import locale, rules
from geo._plugins.page import nonced_template
from geo.model import CATEGORIES, CATEGORY_LABELS, PARK_CLASSES
from geo.payload import encode_payload, pack_payload

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["CATEGORY_STYLES", "AtlasLayer", "AtlasLocale", "atlas_options", "json_for_script", "page_locales"]

#: Category colours and marker shapes (the shape tells categories apart without colour, too).
CATEGORY_STYLES: dict[str, dict[str, str]] = {
    "park": {"color": "#2e7d32", "shape": "circle"},
    "commerce": {"color": "#d81b60", "shape": "square"},
    "office": {"color": "#5e35b1", "shape": "diamond"},
    "industry": {"color": "#ef6c00", "shape": "triangle"},
    "health": {"color": "#c62828", "shape": "cross"},
    "education": {"color": "#1565c0", "shape": "pentagon"},
    "residential": {"color": "#6d4c41", "shape": "house"},
    "roads": {"color": "#455a64", "shape": "hexagon"},
}


def json_for_script(value: Any) -> str:
    """Serialise to JSON that is safe inside a ``<script>`` element.

    Parameters
    ----------
    value : Any
        A JSON-serialisable value.

    Returns
    -------
    str
        Compact JSON with ``<``, ``>``, ``&`` and U+2028/U+2029 escaped.
    """
    # orjson writes compact UTF-8 and refuses nothing JSON allows; NaN would become null.
    text = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _static(name: str) -> str:
    return resources.files("geo").joinpath("static", name).read_text(encoding="utf-8")


class _Raw(Element):
    """Text placed into the page as it is, without compiling it as a template."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def _figure(element: Element) -> Figure:
    figure = element.get_root()
    if not isinstance(figure, Figure):
        msg = f"{type(element).__name__} must be added to a map inside a branca Figure"
        raise TypeError(msg)
    return figure


def page_locales() -> dict[str, dict[str, Any]]:
    """Return the page's text catalogue per language, with the model's category names added.

    Returns
    -------
    dict
        Language code -> catalogue (:func:`geo.locale.merged`), its ``category`` section holding
        the categories' names (Chinese first with English, or English).
    """
    out = {}
    for code in locale.LANGUAGES:
        cat = locale.merged(code)
        cat["category"] = {c: (f"{zh} {en}" if code == "zh-CN" else en) for c, (zh, en) in CATEGORY_LABELS.items()}
        out[code] = cat
    return out


def _licence() -> str:
    """Return the licence the data ships under: the package's own (its metadata), else MIT as pyproject states."""
    try:
        meta = metadata.metadata("nanguan-geo")
    except metadata.PackageNotFoundError:
        return "MIT"
    found = [v for key in ("License-Expression", "License") for v in (meta.get_all(key) or []) if v]
    return str(found[0]) if found and len(str(found[0])) < 40 else "MIT"


def _service_area_payload(areas: gpd.GeoDataFrame | None) -> list[dict[str, Any]]:
    """Turn service-area polygons (WGS-84) into ``{radius_m, name, polygons: [[ring [[lon, lat], ...]]]}``."""
    if areas is None or not len(areas):
        return []
    out = []
    for name, radius, geom in zip(areas["name"], areas["radius_m"], areas.to_crs(4326).geometry, strict=True):
        parts = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
        polygons = [
            [[[round(x, 6), round(y, 6)] for x, y in ring.coords] for ring in (p.exterior, *p.interiors)]
            for p in parts
            if p.geom_type == "Polygon"
        ]
        out.append({"name": str(name), "radius_m": float(radius), "polygons": polygons})
    return out


def atlas_options(
    *,
    radii: Sequence[float] = (300, 500),
    start_datum: str = "wgs84",
    boundary: Mapping[str, Any] | None = None,
    gcj_layers: Sequence[str] = (),
    district_figures: Sequence[Mapping[str, Any]] = (),
    downloads: Sequence[Mapping[str, Any]] = (),
    service_areas: gpd.GeoDataFrame | None = None,
    editor: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the options ``nanguanAtlas`` is started with: styles, vocabularies, words, limits.

    Every word comes from the text catalogue (:mod:`geo.locale`), in Chinese first; the page replaces
    them with the reader's language's (``applyLanguage`` in ``atlas.js``).

    Parameters
    ----------
    radii : sequence of float
        Walking radii in metres drawn around parks (a layer, off at first).
    start_datum : str
        ``"wgs84"``, or ``"gcj02"`` when the page opens on the Amap basemap.
    boundary : mapping, optional
        The district boundary as GeoJSON (:func:`geo.district.boundary_geojson`).
    gcj_layers : sequence of str
        Names of the basemaps drawn in GCJ-02 (the overlays are shifted while one is shown).
    district_figures : sequence of mapping
        Figures a source gives for the district as a whole, listed in the panel.
    downloads : sequence of mapping
        The data files written beside the page (:func:`geo.export.write_downloads`).
    service_areas : geopandas.GeoDataFrame, optional
        Walking service areas per park and radius (:func:`geo.network.service_areas`).
    editor : mapping, optional
        The edit mode of ``geo serve`` (``{"api": "api"}``); its words and form choices are added.

    Returns
    -------
    dict
    """
    page = locale.merged("zh-CN")
    statuses: dict[str, str] = page["status"]
    options: dict[str, Any] = {
        "labels": {c: f"{CATEGORY_LABELS[c][0]} {CATEGORY_LABELS[c][1]}" for c in CATEGORIES},
        "styles": CATEGORY_STYLES,
        "parkClasses": PARK_CLASSES,
        "statuses": statuses,
        "approximate": ["approximate", "street", "district"],
        "radii": list(radii),
        "radiiLabel": locale.text("page.radiiLabel", radii=" / ".join(f"{r:g}" for r in radii)),
        "serviceAreas": _service_area_payload(service_areas),
        "startDatum": start_datum,
        "boundary": boundary,
        "report": page["meta"]["report"],
        "gcjLayers": list(gcj_layers),
        "text": page["page"],
        "maxResults": 20,
        "maxListed": 500,
        "maxTableRows": 2000,
        "clusterOver": 4000,
        "districtFigures": [dict(f) for f in district_figures],
        "downloads": [dict(d) for d in downloads],
        "licence": _licence(),
        "precisePrintM": 300,
    }
    if editor is not None:
        options["editor"] = {**editor, "text": page["editor"], **rules.form_choices(statuses)}
    return options


class AtlasLocale(MacroElement):
    """The text catalogue of the page, and the choice of its language, before any control is made.

    Add it to the map first: its script picks the language (the link's ``lang=``, else the
    browser's languages, else Chinese) and hands the catalogue's words to Leaflet.draw and
    leaflet-measure before their controls are created, so their buttons and tips speak it too.
    An :class:`AtlasLayer` on a map without one brings its own, just before the atlas starts.

    Parameters
    ----------
    locales : dict, optional
        Language code -> catalogue; defaults to :func:`page_locales`.
    """

    _name = "AtlasLocale"
    _template = nonced_template(
        """
        {% macro header(this, kwargs) %}
            <script[[nonce]] type="application/json" id="atlas-locales">{{ this.locales_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            nanguanLocale(JSON.parse(document.getElementById("atlas-locales").textContent));
        {% endmacro %}
        """
    )

    def __init__(self, locales: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.locales_json = json_for_script(page_locales() if locales is None else locales)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Put the catalogue in the page's head and the language choice in its script.

        Parameters
        ----------
        **kwargs : Any
            Folium's render arguments, passed to the template.
        """
        self.place(_figure(self), kwargs)

    def place(self, figure: Figure, kwargs: Mapping[str, Any]) -> None:
        """Write the catalogue into ``figure``'s head and the language choice next in its script.

        Parameters
        ----------
        figure : branca.element.Figure
            The page.
        kwargs : mapping
            The render's keyword arguments (``nonce``).
        """
        module: Any = self._template.module  # the template's macros
        figure.header.add_child(_Raw(module.header(self, kwargs)), name="atlas_locales")
        figure.script.add_child(_Raw(module.script(self, kwargs)), name=self.get_name())


class AtlasLayer(MacroElement):
    """Draw the places and add the panel, legend and table view to a folium map.

    Parameters
    ----------
    places : geopandas.GeoDataFrame or mapping
        Places with the model's columns (reprojected to WGS-84 if needed), or a payload already
        made by :func:`geo.payload.encode_payload` (packed or not).
    control : folium.LayerControl, optional
        The layer control the category overlays join; render it before this element. Without
        one, the atlas makes its own (collapsed, top right).
    options : mapping, optional
        Options for ``nanguanAtlas``, over :func:`atlas_options`'s defaults (all ours, not data).

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(location=[43.85, 125.35], zoom_start=12)  # doctest: +SKIP
    >>> AtlasLayer(places).add_to(m)  # doctest: +SKIP
    """

    _name = "AtlasLayer"
    _template = nonced_template(
        """
        {% macro header(this, kwargs) %}
            <style[[nonce]]>{{ this.css }}</style>
            <script[[nonce]]>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <script[[nonce]] type="application/json" id="{{ this.data_id }}">{{ this.payload_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = nanguanAtlas({{ this._parent.get_name() }},
                Object.assign({{ this.options_json }}, {control: {% if this.control is not none -%}
                    {{ this.control.get_name() }}
                {%- else -%}
                    L.control.layers(null, null, {collapsed: true, position: "topright"}).addTo({{ this._parent.get_name() }})
                {%- endif %}}));
        {% endmacro %}
        """
    )

    def __init__(
        self,
        places: gpd.GeoDataFrame | Mapping[str, Any],
        *,
        control: Element | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.control = control
        self.data_id = f"atlas-data-{self._id}"
        if isinstance(places, Mapping):
            payload = dict(places) if "deflate" in places else pack_payload(places)
        else:
            frame = places if places.crs is None or places.crs.equals(4326) else places.to_crs(4326)
            payload = pack_payload(encode_payload(frame))
        self.payload_json = json_for_script(payload)
        opts = {**atlas_options(), **(options or {})}
        self.options_json = json_for_script({**opts, "dataId": self.data_id})
        self.css = _static("atlas.css")
        self.js = _static("atlas.js")
        if "editor" in opts:
            # The editor of ``geo serve``: loaded only there, never in a published site.
            self.css += "\n" + _static("editor.css")
            self.js += "\n" + _static("editor.js")

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Write the atlas's script and style into the head, the payload into the body, the start into the script.

        Parameters
        ----------
        **kwargs : Any
            Folium's render arguments, passed to the templates.
        """
        figure = _figure(self)
        if "atlas_locales" not in figure.header._children:
            AtlasLocale().place(figure, kwargs)  # a map of someone else's: the page's words, just before the atlas
        module: Any = self._template.module  # the template's macros
        # The payload is megabytes at scale: branca's Element would compile it as a template.
        figure.header.add_child(_Raw(module.header(self, kwargs)), name="atlas_assets")
        figure.html.add_child(_Raw(module.html(self, kwargs)), name=self.data_id)
        figure.script.add_child(_Raw(module.script(self, kwargs)), name=self.get_name())
