"""The page around the map: :class:`AtlasPage` (the HTML document) and :class:`AtlasMap` (the Leaflet map).

Both are folium/branca elements whose templates write every tag the page's own code emits, with the
Content-Security-Policy nonce the page is rendered with (``render(nonce=...)``: branca hands render's
keyword arguments to every template as ``kwargs``). So the nonce is placed where the tags are made,
never inserted into finished HTML afterwards. Scripts loaded by URL need no nonce: the policy allows
them by origin.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Figure, JavascriptLink
from jinja2 import Template

from geo._plugins.assets import CDN_BASE, asset_url, link_assets

__all__ = ["AtlasMap", "AtlasPage", "nonced_template"]

#: Template text for the nonce attribute of a ``<script>`` or ``<style>`` tag (nothing without a nonce).
_NONCE_ATTR = '{% if kwargs.nonce %} nonce="{{ kwargs.nonce|e }}"{% endif %}'


def nonced_template(source: str) -> Template:
    """Compile a template in which ``[[nonce]]`` marks where a tag's nonce attribute goes.

    Parameters
    ----------
    source : str
        Jinja source; each ``<script[[nonce]]>`` or ``<style[[nonce]]>`` gets ``nonce="..."`` when the
        page is rendered with one (``render(nonce=...)``), and nothing otherwise.

    Returns
    -------
    jinja2.Template
    """
    return Template(source.replace("[[nonce]]", _NONCE_ATTR))


class _ScriptLink(JavascriptLink):
    """A script loaded by URL, with the page's nonce (folium's link has no place for one)."""

    _template = nonced_template('<script[[nonce]] src="{{ this.url|e }}"></script>')


class AtlasPage(Figure):
    """The HTML document: its language, title, description and the map's script, with the nonce.

    folium's figure writes a bare ``<html>``, so screen readers cannot tell the Chinese apart; this one
    says ``lang`` (the page's script changes it with the reader's language).

    Parameters
    ----------
    title : str
        The document's title.
    description : str
        Its ``<meta name="description">``.
    lang : str
        The document's language before the page's script chooses one.
    """

    _template = nonced_template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang|e }}">\n'
        "<head>\n"
        "{% if this.title %}<title>{{ this.title|e }}</title>{% endif %}\n"
        '{% if this.description %}<meta name="description" content="{{ this.description|e }}" />{% endif %}\n'
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "</body>\n"
        "<script[[nonce]]>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</html>\n"
    )

    def __init__(self, *, title: str = "", description: str = "", lang: str = "zh-CN") -> None:
        super().__init__(title=title)
        self._name = "AtlasPage"
        self.description = description
        self.lang = lang

    def render(self, **kwargs: Any) -> str:
        """Render the page; the scripts folium links by URL carry the nonce too.

        folium adds each declared script to the head as a ``JavascriptLink`` while its element
        renders; each becomes a link of the same URL and name whose template writes the nonce, so
        every ``<script>`` of the page has it (the policy would let a linked script in by its origin,
        but none then depends on that).

        Parameters
        ----------
        **kwargs
            Handed to every template (``nonce``).

        Returns
        -------
        str
        """
        for child in list(self._children.values()):
            child.render(**kwargs)
        for name, child in list(self.header._children.items()):
            if type(child) is JavascriptLink:
                self.header.add_child(_ScriptLink(child.url), name=name)
        return str(self._template.render(this=self, kwargs=kwargs))


class AtlasMap(folium.Map):
    """A folium map in an :class:`AtlasPage`, loading Leaflet (and nothing else) from ``asset_base``.

    folium's map also loads jQuery, Bootstrap and Font Awesome for its markers; the atlas draws its
    own, so this map declares Leaflet alone. Its head lets readers pinch-zoom (folium's viewport
    forbids it, which people with low vision need) and carries the nonce; its map element and
    script are folium's own macros.

    Parameters
    ----------
    asset_base : str
        :data:`geo._plugins.assets.CDN_BASE` or a local folder (``"lib"``).
    title, description : str
        Of the page (:class:`AtlasPage`).
    **kwargs
        :class:`folium.Map`'s (``location``, ``zoom_start``, ``control_scale``...); ``tiles`` is None.
    """

    # Assets are data on the class, as folium declares them (link_assets gives each map its own copy).
    default_js = [("leaflet", asset_url("leaflet_js", CDN_BASE))]  # noqa: RUF012
    default_css = [("leaflet_css", asset_url("leaflet_css", CDN_BASE))]  # noqa: RUF012

    _template = nonced_template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <style[[nonce]]>
                #{{ this.get_name() }} {
                    position: {{ this.position }};
                    width: {{ this.width[0] }}{{ this.width[1] }};
                    height: {{ this.height[0] }}{{ this.height[1] }};
                    left: {{ this.left[0] }}{{ this.left[1] }};
                    top: {{ this.top[0] }}{{ this.top[1] }};
                }
                .leaflet-container { font-size: {{ this.font_size }}; }
                html, body { width: 100%; height: 100%; margin: 0; padding: 0; }
            </style>
            <script[[nonce]]>
                L_NO_TOUCH = {{ this.global_switches.no_touch|tojson }};
                L_DISABLE_3D = {{ this.global_switches.disable_3d|tojson }};
            </script>
        {% endmacro %}
        {% macro html(this, kwargs) %}{{ this.folium_macros.html(this, kwargs) }}{% endmacro %}
        {% macro script(this, kwargs) %}{{ this.folium_macros.script(this, kwargs) }}{% endmacro %}
        """
    )

    #: folium's own map element and script (the same Leaflet map folium makes).
    folium_macros = folium.Map._template.module

    def __init__(self, *, asset_base: str = CDN_BASE, title: str = "", description: str = "", **kwargs: Any) -> None:
        super().__init__(tiles=None, **kwargs)
        AtlasPage(title=title, description=description).add_child(self)
        link_assets(self, asset_base)
