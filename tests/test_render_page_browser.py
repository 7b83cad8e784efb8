"""The atlas on someone else's folium map, in headless Chromium: it starts, draws and speaks the catalogue.

Assets come from node_modules (copied as an offline site does), tiles are stubbed, any other request is
refused. Skips only where Chromium or node_modules is missing, and never when ``CI`` is set.
"""

from __future__ import annotations

from pathlib import Path

import folium
import pytest

from geo import render, store
from geo._plugins.assets import asset_url
from geo._plugins.atlas import AtlasLayer

from _browser import LOCALE, launch_or_skip, route_offline, serve, wait_for

pytestmark = pytest.mark.browser

NODE_MODULES = Path(__file__).parent.parent / "node_modules"


@pytest.fixture(scope="module")
def browser():
    yield from launch_or_skip(NODE_MODULES)


def test_atlas_layer_runs_on_a_users_map(browser, bundled_path, tmp_path):
    places = store.load_locations(bundled_path)
    m = folium.Map(location=[43.85, 125.35], zoom_start=12, tiles="OpenStreetMap")
    # The user's map loads its Leaflet from a local copy (this test has no network); nothing else of folium's.
    m.default_js = [("leaflet", asset_url("leaflet_js", "lib"))]
    m.default_css = [("leaflet_css", asset_url("leaflet_css", "lib"))]
    folium.Marker([43.86, 125.33], tooltip="mine").add_to(m)
    AtlasLayer(places).add_to(m)
    site = tmp_path / "site"
    render._copy_assets(NODE_MODULES, site / "lib")
    (site / "index.html").write_text(m.get_root().render(), encoding="utf-8")
    errors: list[str] = []
    outside: list[str] = []
    with serve(site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale=LOCALE)
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        route_offline(page, outside)
        page.goto(f"{url}/index.html")
        wait_for(page, "window.__atlas !== undefined && window.__atlas.p !== undefined")
        n = page.evaluate("window.__atlas.p.n")
        overlays = page.evaluate("Object.keys(window.__atlas.opts.control._layers).length")
        lang = page.evaluate("document.documentElement.getAttribute('lang')")
        page.close()
    assert n == len(places)
    assert overlays >= 1  # the category layers joined the layer control the atlas made
    assert lang in ("zh-CN", "en")  # the catalogue was handed over and a language chosen
    assert errors == []
    assert [u for u in outside if "tile" not in u] == []
