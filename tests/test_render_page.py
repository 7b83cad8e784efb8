"""The page as folium elements: composable on anyone's map, assets linked once, nonces placed by templates."""

import ast
import json
import re
from pathlib import Path

import folium
import pytest
from folium import plugins

from geo import render
from geo._plugins.assets import ASSETS, asset_url, link_assets
from geo._plugins.atlas import AtlasLayer

GEO = Path(__file__).parent.parent / "geo"
ATLAS_JS = (GEO / "static" / "atlas.js").read_text(encoding="utf-8")[:300]  # the atlas's own script, as shipped


def _payload(html):
    found = re.findall(r'<script[^>]* id="atlas-data-[^"]+"[^>]*>(.*?)</script>', html, re.S)
    assert len(found) == 1, f"{len(found)} payloads"
    return render.unpack_payload(json.loads(found[0]))


def _tags(html):
    """Every opening <script> and <style> tag, with its attributes."""
    return re.findall(r"<(?:script|style)\b[^>]*>", html)


def test_atlas_layer_on_a_users_map(places_gdf):
    m = folium.Map(location=[43.85, 125.35], zoom_start=12)  # folium's own map, its own assets and page
    folium.Marker([43.86, 125.33], tooltip="mine").add_to(m)
    AtlasLayer(places_gdf.to_crs(3857)).add_to(m)  # any CRS: drawn in WGS-84
    html = m.get_root().render()
    payload = _payload(html)
    assert payload["n"] == len(places_gdf)
    assert [payload["strings"][k] for k in payload["columns"]["name"]] == list(places_gdf["name"])
    xs = payload["points"]["x"]
    assert xs[0] / 1e6 == pytest.approx(places_gdf.geometry.iloc[0].x, abs=1e-6)
    assert html.count(ATLAS_JS) == 1  # atlas.js, once
    assert html.count('id="atlas-locales"') == 1 and html.count("nanguanLocale(JSON.parse(") == 1
    # The locale is chosen before the atlas starts, and the atlas makes its own layer control.
    assert html.index("nanguanLocale(JSON.parse(") < html.index("= nanguanAtlas(")
    assert "L.control.layers(null, null" in html
    assert html.count("leaflet.js") == 1  # folium's Leaflet, not a second copy
    assert "nonce=" not in html  # no nonce asked for, none written
    assert "mine" in html  # the user's marker is still there


def test_two_atlases_share_one_copy_of_the_assets(places_gdf):
    m = folium.Map()
    AtlasLayer(places_gdf).add_to(m)
    AtlasLayer(places_gdf.iloc[:2]).add_to(m)
    html = m.get_root().render()
    assert html.count(ATLAS_JS) == 1 and html.count('id="atlas-locales"') == 1
    assert len(re.findall(r'id="atlas-data-', html)) == 2


def test_built_page_links_every_pinned_asset_once(places_gdf):
    html = render.page_html(render.build_map(places_gdf, boundary=False))
    for name in ASSETS:
        assert html.count(asset_url(name)) == 1, name
    assert "cdnjs" not in html and "jquery" not in html.lower() and "bootstrap" not in html.lower()
    assert '<html lang="zh-CN">' in html and "user-scalable=no" not in html


def test_linking_assets_leaves_folium_and_other_maps_alone(places_gdf):
    before = (list(plugins.Fullscreen.default_js), list(folium.Map.default_js), list(plugins.Draw.default_css))
    render.build_map(places_gdf, boundary=False, asset_base="lib").get_root().render()
    assert (list(plugins.Fullscreen.default_js), list(folium.Map.default_js), list(plugins.Draw.default_css)) == before
    plain = folium.Map()
    plugins.Fullscreen().add_to(plain)
    html = plain.get_root().render()
    assert "lib/" not in html and before[0][0][1] in html


def test_an_asset_folium_renamed_is_refused():
    class Renamed(plugins.Fullscreen):
        default_js = [("fullscreen-js-v4", "https://example.invalid/fs.js")]  # noqa: RUF012

    with pytest.raises(ValueError, match="fullscreen-js-v4"):
        link_assets(Renamed(), "lib")


def test_nonce_is_on_every_tag_the_templates_make(places_gdf):
    gdf = places_gdf.copy()
    gdf.loc[0, "notes"] = '<script nonce="abc">alert(1)</script> nonce="abc"'  # data that looks like a nonce
    m = render.build_map(gdf, boundary=False, editor={"api": "api"})
    html = render.page_html(m, nonce="Nonce_123-x")
    inline = [t for t in _tags(html) if "src=" not in t]
    ours = [t for t in inline if not t.startswith("<style>")]  # folium plugins' own styles: 'unsafe-inline'
    assert len(ours) >= 6 and all('nonce="Nonce_123-x"' in t for t in ours), ours
    assert [t for t in inline if "nonce" not in t] == ["<style>"] * (len(inline) - len(ours))
    assert '<script nonce="Nonce_123-x">\n' in html  # the page's script itself
    assert html.count("<script") == html.count('nonce="Nonce_123-x"') - len(ours) + len(
        [t for t in ours if t.startswith("<script")]
    )  # every script, the linked ones too
    assert _payload(html)["strings"].count(gdf.loc[0, "notes"]) == 1  # the data is as it was


def test_nonced_page_is_the_page_rendered_with_each_nonce(places_gdf):
    m = render.build_map(places_gdf, boundary=False, editor={"api": "api"})
    page = render.nonced_page(m)
    one, two = page.html("first"), page.html("second")
    assert one.count('nonce="first"') == two.count('nonce="second"') >= 6
    assert one.replace('nonce="first"', 'nonce="second"') == two
    for bad in ('x" onload="alert(1)', "", "a b"):
        with pytest.raises(ValueError, match="nonce"):
            page.html(bad)
        with pytest.raises(ValueError, match="nonce"):
            render.page_html(m, nonce=bad)


def test_build_map_steps_compose_on_any_map():
    m = folium.Map(tiles=None)
    assert render.add_basemaps(m, basemap="amap") == ["高德 Amap (GCJ-02)"]
    render.add_tools(m, measure=False)
    render.add_minimap(m)
    html = m.get_root().render()
    assert "L.control.fullscreen" in html and "L.Control.Draw" in html and "L.Control.MiniMap" in html
    assert "L.Control.Measure" not in html
    layers = [(c.layer_name, c.show) for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert layers == [("OpenStreetMap", False), ("Esri 浅灰底图 light grey", False), ("高德 Amap (GCJ-02)", True)]
    assert "autonavi" in html.lower() and "World_Light_Gray_Base" in html


def _python_strings(path):
    """Every string literal of a module that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}  # fmt: skip
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs]  # fmt: skip


@pytest.mark.parametrize("module", ["render.py", "payload.py", "_plugins/atlas.py", "_plugins/page.py"])
def test_no_word_of_the_page_lives_in_python(module):
    """Every word a reader sees comes from geo/locale/*.json: no Chinese in the page's Python."""
    cjk = [s for s in _python_strings(GEO / module) if re.search(r"[\u3000-\u9fff\uff00-\uffef]", s)]
    assert set(cjk) <= ({"、"} if module == "payload.py" else set()), cjk  # the list separator of aliases
