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
print(f"geo {geo.__version__}: {len(places)} places, {places.geometry.notna().sum()} located")""",
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
        """fig, ax = plt.subplots(figsize=(7, 3.5))
(by_class.set_index("class_en")["stated_area_m2"] / 10_000).plot.bar(ax=ax, color="#2e7d32")
ax.set_ylabel("stated area, hectares")
ax.set_xlabel("")
ax.set_title("Park area by CJJ/T 85-2017 class")
plt.xticks(rotation=0)
plt.tight_layout()
plt.show()""",
    ),
    (
        "md",
        """## Where are the parks, and what do 300 m and 500 m cover?

Only parks with a location can be drawn; approximate ones carry a wide uncertainty, shown in
the map's popups. The circles are straight-line radii.""",
    ),
    (
        "code",
        """metric = summary.project(places)
located_parks = metric[(metric["category"] == "park") & metric.geometry.notna()]
boundary = district.boundary_wgs84()
outline = gpd.GeoSeries([boundary], crs=4326).to_crs(metric.crs)
fig, ax = plt.subplots(figsize=(6, 7))
outline.boundary.plot(ax=ax, color="#444", linewidth=1)
for radius, colour in ((500, "#a5d6a7"), (300, "#66bb6a")):
    located_parks.buffer(radius).plot(ax=ax, color=colour, alpha=0.6)
located_parks.plot(ax=ax, color="#1b5e20", markersize=12)
x0, y0, x1, y1 = located_parks.total_bounds
ax.set_xlim(x0 - 3000, x1 + 3000)
ax.set_ylim(y0 - 3000, y1 + 3000)
ax.set_title("Located parks with 300 m and 500 m radii (UTM 51N, metres)")
plt.tight_layout()
plt.show()""",
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
  the access shares are 0 % covered and 100 % unknown, which says nothing yet about real access.
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
ax.plot([0, top], [0, top], color="#999", linewidth=1, label="walking = straight line")
for r in (300, 500):
    ax.axvline(r, color="#66bb6a", linewidth=0.8, linestyle="--")
    ax.axhline(r, color="#2e7d32", linewidth=0.8, linestyle="--")
ax.set_xlabel("straight-line distance to the park, m")
ax.set_ylabel("walking distance along streets, m")
ax.set_title("Synthetic grid: homes across the river walk far")
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
