"""The :class:`AtlasLayer` element: the places, the side panel and the table view.

Data text reaches the page only as JSON inside a ``<script type="application/json">``
element (with ``<``, ``>`` and ``&`` escaped), and ``atlas.js`` inserts it with
``textContent``: no value from the data file is ever parsed as HTML.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from branca.element import Element, Figure, MacroElement
from jinja2 import Template

__all__ = ["AtlasLayer", "AtlasLocale", "json_for_script"]


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
    import orjson

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


class AtlasLayer(MacroElement):
    """Draw the places of a payload and add the panel, legend and table view.

    Parameters
    ----------
    payload : dict
        The columnar payload made by :func:`geo.render.encode_payload`.
    control : folium.LayerControl
        The layer control the category overlays are added to; render it first.
    options : dict
        Labels, styles and texts passed to ``nanguanAtlas`` (all ours, not data).
    """

    _name = "AtlasLayer"
    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
            <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <script type="application/json" id="{{ this.data_id }}">{{ this.payload_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = nanguanAtlas({{ this._parent.get_name() }},
                Object.assign({{ this.options_json }}, {control: {{ this.control.get_name() }}}));
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any], control: Element, options: dict[str, Any]) -> None:
        super().__init__()
        self.control = control
        self.data_id = f"atlas-data-{self._id}"
        self.payload_json = json_for_script(payload)
        self.options_json = json_for_script({**options, "dataId": self.data_id})
        self.css = _static("atlas.css")
        self.js = _static("atlas.js")
        if "editor" in options:
            # The editor of ``geo serve``: loaded only there, never in a published site.
            self.css += "\n" + _static("editor.css")
            self.js += "\n" + _static("editor.js")

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Render the payload into the page body and the script into the map."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "AtlasLayer must be added to a map inside a branca Figure"
            raise TypeError(msg)
        module = self._template.module
        # The payload is megabytes at scale: branca's Element would compile it as a template.
        figure.header.add_child(_Raw(module.header(self, kwargs)), name="atlas_assets")
        figure.html.add_child(_Raw(module.html(self, kwargs)), name=self.data_id)
        figure.script.add_child(_Raw(module.script(self, kwargs)), name=self.get_name())


class AtlasLocale(MacroElement):
    """The text catalogue of the page, and the choice of its language, before any control is made.

    Add it to the map first: its script picks the language (the link's ``lang=``, else the
    browser's languages, else Chinese) and hands the catalogue's words to Leaflet.draw and
    leaflet-measure before their controls are created, so their buttons and tips speak it too.

    Parameters
    ----------
    locales : dict
        Language code -> catalogue (:func:`geo.locale.merged`).
    """

    _name = "AtlasLocale"
    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <script type="application/json" id="atlas-locales">{{ this.locales_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            nanguanLocale(JSON.parse(document.getElementById("atlas-locales").textContent));
        {% endmacro %}
        """
    )

    def __init__(self, locales: dict[str, Any]) -> None:
        super().__init__()
        self.locales_json = json_for_script(locales)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Put the catalogue in the page's head and the language choice first in its script."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "AtlasLocale must be added to a map inside a branca Figure"
            raise TypeError(msg)
        module = self._template.module
        figure.header.add_child(_Raw(module.header(self, kwargs)), name="atlas_locales")
        figure.script.add_child(_Raw(module.script(self, kwargs)), name=self.get_name())
