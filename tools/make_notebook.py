"""Write notebooks/park_area_summary.ipynb from the cells below, then execute it in place.

Run from the repository root after changing the cells or the data:

    python tools/make_notebook.py

``tests/test_notebook.py`` executes the committed notebook again and checks that
its text outputs still match, so the committed outputs can never go stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

PATH = Path(__file__).resolve().parent.parent / "notebooks" / "park_area_summary.ipynb"

CELLS = [
    (
        "md",
        """# Park area and access in Nanguan District (南关区)

This notebook summarises the parks in `data/locations.geojson` with the `geo` package only:
how much park area there is, of which class (CJJ/T 85-2017), and how many homes are within
300 m and 500 m of a park ("300米见绿、500米见园"). Areas are measured in UTM zone 51N
(metres), never in degrees; distances are straight lines first, then along streets (last section).""",
    ),
    (
        "code",
        """import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

import geo
from geo import district, resources, store, summary

data = resources.report_data()  # the report's data as installed (in a checkout: data/locations.geojson)
places = store.load_locations(data)
print(f"geo {geo.__version__}: {len(places)} places, {places.geometry.notna().sum()} located")
# Charts in Chinese and English: a CJK font found by its family name (Debian's fonts-wqy-microhei), if installed.
font = summary.cjk_font()
if font:
    plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
print("chart font:", font or "none with Chinese glyphs: English labels only")""",
    ),
    (
        "md",
        """## How much park is there?

Stated areas are the figures sources give (the report gives 睦邻园 7,373 m² and 创意园 7,804 m²);
mapped areas come from outlines, of which the bundled data has none yet.""",
    ),
    (
        "code",
        """parks = summary.park_area_summary(places)
by_class = pd.DataFrame(parks["by_class"]).set_index("class")
by_class""",
    ),
    (
        "code",
        """totals = {k: parks[k] for k in ("count", "located", "unlocated", "stated_area_m2", "stated_area_report_m2", "mapped_area_m2")}
print(totals)
print(parks["stated_area_note"])
print(f"Park area (stated) is {parks['share_of_district']['stated']:.2%} of the district's {parks['district_area_m2'] / 1e6:,.1f} km².")
print("Pocket parks, report vs data:", parks["inventory"])""",
    ),
    (
        "code",
        """# The summary's own chart: classes as rows, areas on a log axis (a 0.7 ha pocket park beside a 384 ha wetland),
# homes of unknown location as their own part of each access bar.
import io

from IPython.display import Image

chart = io.BytesIO()
summary.summary_figure(summary.summarize(places)).savefig(chart, format="png", dpi=100)
Image(chart.getvalue())""",
    ),
    (
        "md",
        """## Where are the parks and the homes?

Every located place is drawn with its name, in its category's colour, inside a dashed circle as
wide as its uncertainty. A 300 m or 500 m ring means something only around a point known to well
within that distance, so access rings are drawn only where the uncertainty is at most 100 m; the
bundled parks are known only to ±1.2–1.6 km, so they are shown as uncertain, without rings. Homes
without a location cannot be drawn: they are listed below the map.""",
    ),
    (
        "code",
        """import folium
from branca.element import Element

from geo.model import CATEGORY_LABELS
from geo.render import CATEGORY_STYLES

PRECISE_ENOUGH_M = 100  # a 300 m ring needs a point known to within about a third of it
located = places[store.has_location(places)]
m = folium.Map(location=[43.82, 125.36], zoom_start=11, tiles="OpenStreetMap", control_scale=True)
folium.GeoJson(district.boundary_geojson(), name="南关区界 District boundary", control=False,
               style_function=lambda _: {"color": "#444", "weight": 2, "fill": False, "dashArray": "8 4"}).add_to(m)
rings = folium.FeatureGroup(name="300 / 500 米直线半径 straight-line rings (precise points only)")
without_rings = []
for category, group in located.groupby("category", sort=False):
    colour, (zh, en) = CATEGORY_STYLES[category]["color"], CATEGORY_LABELS[category]
    layer = folium.FeatureGroup(name=f'<span style="color:{colour}">●</span> {zh} {en} ({len(group)})')
    for row in group.itertuples():
        point = row.geometry if row.geometry.geom_type == "Point" else row.geometry.representative_point()
        where, uncertainty = [point.y, point.x], float(row.uncertainty_m or 0)
        label = f"{row.name} · ±{uncertainty:,.0f} m"
        if uncertainty:
            folium.Circle(where, radius=uncertainty, color=colour, weight=1.5, dash_array="6 5", fill=True,
                          fill_opacity=0.08, tooltip=label).add_to(layer)
        folium.CircleMarker(where, radius=5, color="#fff", weight=1.5, fill=True, fill_color=colour, fill_opacity=1,
                            tooltip=label, popup=folium.Popup(f"{row.name}<br>{row.precision} ±{uncertainty:,.0f} m")).add_to(layer)
        if category != "park":
            continue
        if uncertainty <= PRECISE_ENOUGH_M:
            for radius in (500, 300):
                folium.Circle(where, radius=radius, color="#2e7d32", weight=1, fill=False).add_to(rings)
        else:
            without_rings.append(f"{row.name}: ±{uncertainty:,.0f} m, too uncertain for a 300 m ring")
    layer.add_to(m)
rings.add_to(m)
folium.LayerControl(collapsed=False).add_to(m)
m.get_root().html.add_child(Element(
    '<div style="position:fixed;bottom:28px;left:10px;z-index:999;background:#fff;padding:4px 8px;font:12px sans-serif">'
    "虚线圆：位置的误差范围 · dashed circle: how far off a location may be</div>"))
m.fit_bounds([[located.total_bounds[1], located.total_bounds[0]], [located.total_bounds[3], located.total_bounds[2]]])
homes = places[places["category"] == "residential"]
print(f"homes located: {store.has_location(homes).sum()} of {len(homes)}; not on the map:", ", ".join(homes.loc[~store.has_location(homes), "name"]))
print("parks without access rings:", *without_rings, sep="\\n- ")
m""",
    ),
    (
        "code",
        """access = summary.access_summary(places, (300, 500), large_park_radii=(500,))
pd.DataFrame(access["access"]).set_index("radius_m")""",
    ),
    (
        "code",
        """for note in access["notes"]:
    print("-", note)""",
    ),
    (
        "md",
        """## Reading the figures

- The report names two new pocket parks (睦邻园, 创意园) and counts 98 pocket parks in all; the data
  holds only the parks the report names, so the inventory gap is large and the park totals are a
  floor, not an estimate of the district's park area.
- None of the report's residential compounds has a public coordinate, so every home is *unknown*:
  `residential_share` is null and its range is 0–100 % (`residential_share_min`/`max`), which says
  nothing yet about real access; it is never reported as 0 %.
  Run `geo locate --missing --provider amap` (or `nominatim`) with a network to fill locations,
  then re-run this notebook.
- Almost all of the stated park area is *not* the report's: the report states only the two pocket
  parks' areas (7,373 m² and 7,804 m²); 南溪湿地公园's 310 ha and 长春动植物公园's 74 ha come from an
  encyclopedia and the city's own page. Each place's `stated_area_source` says which, and the total
  above is split accordingly.
- The district-area shares are real but small: two located parks, both estimates of unknown datum
  (南溪湿地公园 to ±1.6 km, 长春动植物公园 to ±1.2 km).""",
    ),
    (
        "md",
        """## Walking access along streets

"300米见绿、500米见园" and ParkScore's ten-minute walk are *walking* distances. With a street network
(`geo network import EXTRACT.osm.pbf`, from an OpenStreetMap extract a user downloads),
`summary.summarize(places, network=...)` gives every home its walking distance to the nearest park
beside the straight line. The bundled data has no network (none can be downloaded here) and its homes
have no location, so on the bundled data walking access is *unknown* for every home.

Below, the difference is shown on the **synthetic** street grid shipped for tests and docs
(`tests/data/synthetic_river_grid.osm`: no street in it exists): a park at one junction, a home
beside every other junction, and a river crossed by one footbridge.""",
    ),
    (
        "code",
        """import tempfile
from pathlib import Path

from shapely.geometry import Point

from geo import network

net_file = network.network_path(data)  # a network imported beside the data, if any
if net_file.exists():
    walking = summary.summarize(places, network=network.load_network(net_file))["walking"]
    print(pd.DataFrame(walking["rows"]).set_index("radius_m"))
tmp = Path(tempfile.mkdtemp())
path, facts = network.import_osm(resources.sample_extract(), tmp / "grid.graphml")
grid = network.load_network(path)
print(facts["source"])
print(f"{facts['graph_nodes']} junctions and dead ends, {facts['walkable_ways']} walkable ways (the motorway and the closed footway are left out)")""",
    ),
    (
        "code",
        """nodes = gpd.GeoDataFrame(
    {"node": list(grid.nodes)}, geometry=[Point(grid.nodes[n]["x"], grid.nodes[n]["y"]) for n in grid.nodes], crs=4326
).to_crs(32651)
junctions = nodes[[grid.degree(n) >= 6 for n in nodes["node"]]]  # three or more streets (both ways)
corner = (junctions.geometry.y.round() * 1e6 + junctions.geometry.x).idxmin()  # the south-west junction
park = gpd.GeoDataFrame({"id": ["synthetic-park"], "name": ["synthetic park"], "category": ["park"]},
                        geometry=[nodes.geometry[corner]], crs=32651)
others = nodes.drop(index=corner).reset_index(drop=True)
homes = gpd.GeoDataFrame({"id": [f"home-{n}" for n in others["node"]], "name": [f"home {n}" for n in others["node"]],
                          "category": "residential"}, geometry=others.geometry.translate(0, 5), crs=32651)
walking = network.walking_access(homes, park, grid, radii=(300, 500, 1000))
table = pd.DataFrame(walking["homes"]).set_index("id").sort_values("straight_m")
print(pd.DataFrame(walking["rows"]).set_index("radius_m")[["residential_total", "within_straight", "within_walk", "no_route"]])
table.head(12)""",
    ),
    (
        "code",
        """fig, ax = plt.subplots(figsize=(5, 5))
reachable = table[table["reachable"]]
ax.scatter(reachable["straight_m"], reachable["walk_m"], color="#1565c0", s=18)
top = max(reachable["walk_m"].max(), reachable["straight_m"].max())
ax.plot([0, top], [0, top], color="#999", linewidth=1, label="步行 = 直线 walking = straight line")
for r in (300, 500):
    ax.axvline(r, color="#66bb6a", linewidth=0.8, linestyle="--")
    ax.axhline(r, color="#2e7d32", linewidth=0.8, linestyle="--")
ax.set_xlabel("到公园的直线距离 straight-line distance to the park, m")
ax.set_ylabel("沿街步行距离 walking distance along streets, m")
ax.set_title("合成路网：河对岸的住宅要走很远\\nSynthetic grid: homes across the river walk far")
ax.legend(loc="upper left")
plt.tight_layout()
plt.show()""",
    ),
    (
        "md",
        """On the synthetic grid straight lines count the homes just across the river as within 300-500 m of
the park, but the only bridge is 500 m away: the nearest of them walks 1,305 m for a 305 m straight
line (a *detour index* of 4.3), and the two homes on the island have no route at all. That gap, on real streets, is what
`geo summary --network` reports for the district once a network and located homes are in the data,
and what `geo build --network` draws as each park's walking service area.""",
    ),
]


def build() -> nbformat.NotebookNode:
    """Return the notebook's cells, unexecuted."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, text in CELLS:
        cell = nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        nb.cells.append(cell)
    return nb


def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, with the notebooks folder as working directory."""
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(PATH.parent)}})
    client.execute()
    return nb


if __name__ == "__main__":
    notebook = execute(build())
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{i}"
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, PATH)
    # Keep the cells as `ruff format` wants them, since CI checks the notebook's format too.
    subprocess.run([sys.executable, "-m", "ruff", "format", str(PATH)], check=False)
    print(f"wrote {PATH}")
