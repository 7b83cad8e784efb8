"""Walking access along streets: OpenStreetMap extracts in, walking distances and service areas out.

``300米见绿、500米见园`` and ParkScore's ten-minute walk are walking distances. This module
reads an OpenStreetMap extract (``.osm`` XML or ``.osm.pbf``, with pyosmium), keeps the ways
people walk on, builds and simplifies the street graph with osmnx, measures each street on the
WGS-84 ellipsoid (pyproj) and stores it as GraphML beside the data, with the extract's source
and date. :func:`walking_access` then gives every
home its walking distance to the nearest park with one multi-source shortest-path run
(networkx's Dijkstra from a virtual source joined to every park's entry points), beside the
straight-line distance; :func:`service_areas` draws, per park, the streets reachable within a
radius, buffered into a polygon.

How places meet the network:

* a park enters at its entrances when the data has them (``entrances``: each at its nearest node,
  plus the step to it), otherwise at every network node within :data:`ENTRY_M` of its outline (a
  point park, or an outline with no node that close, at its nearest node, plus the straight step);
* a home enters at its nearest node, plus the straight step to it;
* a place farther than :data:`MAX_STEP_M` from every node is off the network (an extract that
  does not cover it): such a park is not an entry and such a home has no route;
* unlocated homes stay unknown; homes whose node no park's network reaches are reported as
  having no connected route, never as far or near.

Nothing here downloads anything: the user brings the extract (README: where extracts come
from, and their licence).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import StoreError, ValidationError
from geo.resources import companion, need
from geo.store import has_location

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

__all__ = [
    "ENTRY_M",
    "MAX_STEP_M",
    "WALKABLE",
    "combine_access",
    "import_osm",
    "load_network",
    "network_path",
    "park_distances",
    "service_areas",
    "walking_access",
]

logger = logging.getLogger(__name__)

#: ``highway`` values people walk along (footways, paths, pedestrian areas, steps, residential
#: and living streets, service roads and ordinary streets with their pavements).
WALKABLE = frozenset(
    {
        "footway",
        "path",
        "pedestrian",
        "living_street",
        "residential",
        "service",
        "steps",
        "track",
        "unclassified",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "corridor",
        "bridleway",
        "road",
    }
)
#: Tags that close a walkable way to people on foot.
_CLOSED = {"foot": {"no", "private"}, "access": {"no", "private"}, "service": {"private"}}
#: A park meets the network at every node this close to its outline (metres).
ENTRY_M = 15.0
#: A place farther than this from every node is off the network: a park there is no entry, a home has no route.
MAX_STEP_M = 500.0


network_path = companion(__name__, "network_path", "network.graphml", "where the street network is stored")


def _walkable(tags: Mapping[str, str]) -> bool:
    if tags.get("highway") not in WALKABLE or (tags.get("area") == "yes" and tags.get("highway") != "pedestrian"):
        return False
    return not any(tags.get(key) in values for key, values in _CLOSED.items())


def _filter_extract(source: Path, out: Path) -> tuple[int, int, str | None, str]:
    """Copy the walkable ways of an extract (and their nodes) into an OSM XML file: ``(ways, nodes, date, generator)``."""
    import osmium

    ways: list[tuple[int, list[int], dict[str, str]]] = []
    wanted: set[int] = set()
    way: Any
    for way in osmium.FileProcessor(str(source), osmium.osm.WAY):
        tags = dict(way.tags)
        if _walkable(tags):
            refs = [n.ref for n in way.nodes]  # plain values: the file's buffer does not outlive the loop
            ways.append((way.id, refs, tags))
            wanted.update(refs)
    reader = osmium.io.Reader(str(source), osmium.osm.NOTHING)
    header = reader.header()
    date = header.get("osmosis_replication_timestamp") or _xml_timestamp(source) or None
    generator = header.get("generator") or ""
    reader.close()
    writer = osmium.SimpleWriter(str(out), overwrite=True)
    nodes = 0
    try:
        for node in osmium.FileProcessor(str(source), osmium.osm.NODE):
            if node.id in wanted:
                writer.add_node(node)
                nodes += 1
        for ident, refs, tags in ways:
            writer.add_way(osmium.osm.mutable.Way(id=ident, nodes=refs, tags=tags))
    finally:
        writer.close()
    return len(ways), nodes, date, generator


def _xml_timestamp(source: Path) -> str | None:
    """Return the ``timestamp`` of an OSM XML file's root element (pyosmium's header does not carry it)."""
    if source.name.endswith(".pbf"):
        return None
    with source.open("rb") as handle:
        head = handle.read(4096).decode("utf-8", "replace")
    found = re.search(r"<osm\b[^>]*\btimestamp=\"([^\"]{1,40})\"", head)
    return found.group(1) if found else None


def import_osm(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    data_path: str | os.PathLike[str] | None = None,
    source_name: str | None = None,
    extract_date: str | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Read an OpenStreetMap extract, keep its walkable ways, and store the simplified street graph.

    Parameters
    ----------
    source : str or path-like
        An ``.osm`` (XML) or ``.osm.pbf`` file.
    out : str or path-like, optional
        Where to write the GraphML (default: :func:`network_path` of ``data_path``).
    data_path : str or path-like, optional
        The data file the network belongs to.
    source_name : str, optional
        Where the extract comes from (``"Geofabrik, China, © OpenStreetMap contributors (ODbL)"``).
    extract_date : str, optional
        The extract's date, when its header does not say.

    Returns
    -------
    tuple
        ``(path written, facts)``: ways and nodes kept, graph nodes and edges, source and date.

    Raises
    ------
    geo.errors.StoreError
        The file cannot be read as OpenStreetMap data, or holds no walkable way.
    geo.errors.MissingExtraError
        The [network] extra is not installed.
    """
    need("network", "street networks (geo network import)")
    import osmnx as ox

    src = Path(source)
    if not src.is_file():
        msg = f"{src}: no such OpenStreetMap file"
        raise StoreError(msg)
    if not src.name.endswith((".osm", ".osm.pbf", ".pbf", ".xml", ".osm.xml")):
        msg = f"{src}: expected an .osm (XML) or .osm.pbf extract, got {src.suffix!r}"
        raise StoreError(msg)
    target = Path(out) if out is not None else network_path(data_path)
    with tempfile.TemporaryDirectory(prefix="geo-osm-") as tmp:
        filtered = Path(tmp) / "walkable.osm"
        try:
            ways, nodes, header_date, generator = _filter_extract(src, filtered)
        except RuntimeError as err:  # pyosmium's errors for unreadable files
            msg = f"{src}: cannot read as OpenStreetMap data: {err}"
            raise StoreError(msg) from err
        if not ways:
            msg = f"{src}: no walkable ways (highway={'/'.join(sorted(WALKABLE)[:4])}/...) in the extract"
            raise StoreError(msg)
        graph = ox.graph_from_xml(filtered, bidirectional=True, simplify=True, retain_all=True)
    _ellipsoidal_lengths(graph)
    facts = {
        "source_file": src.name,
        "source": source_name or _default_source(src, generator),
        "extract_date": extract_date or header_date or "unknown (the file's header gives no date)",
        "imported": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "walkable_ways": ways,
        "osm_nodes": nodes,
        "graph_nodes": graph.number_of_nodes(),
        "graph_edges": graph.number_of_edges(),
    }
    graph.graph.update({f"geo_{k}": str(v) for k, v in facts.items()})
    graph.graph["geo_walk_both_ways"] = "True"  # bidirectional=True above: every street both ways
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = target.with_name(f".{target.name}.tmp")
    ox.save_graphml(graph, tmp_out)
    tmp_out.replace(target)
    return target, facts


def _ellipsoidal_lengths(graph: nx.MultiDiGraph) -> None:
    """Measure every edge on the WGS-84 ellipsoid (osmnx uses a sphere: up to 0.3 % short east-west here)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    for u, v, data in graph.edges(data=True):
        geom = data.get("geometry")
        if geom is not None:
            coords = np.asarray(geom.coords)
            lon, lat = coords[:, 0], coords[:, 1]
        else:
            lon = np.array([graph.nodes[u]["x"], graph.nodes[v]["x"]])
            lat = np.array([graph.nodes[u]["y"], graph.nodes[v]["y"]])
        data["length"] = float(geod.line_length(lon, lat))


def _default_source(src: Path, generator: str) -> str:
    if "synthetic" in generator.lower():
        return f"SYNTHETIC network {src.name} ({generator}): not real streets"
    return f"OpenStreetMap extract {src.name} (© OpenStreetMap contributors, ODbL)"


def load_network(
    path: str | os.PathLike[str] | None = None, *, data_path: str | os.PathLike[str] | None = None
) -> nx.MultiDiGraph:
    """Load a stored street network (GraphML from :func:`import_osm`).

    Parameters
    ----------
    path : str or os.PathLike, optional
        The GraphML file; None for the one beside the data file.
    data_path : str or os.PathLike, optional
        The data file whose network is loaded when ``path`` is None.

    Returns
    -------
    networkx.MultiDiGraph
        The walkable street network.

    Raises
    ------
    geo.errors.StoreError
        There is no network there (run ``geo network import``), or it cannot be read.
    geo.errors.MissingExtraError
        The [network] extra is not installed.
    """
    need("network", "walking access (--network)")
    import osmnx as ox

    p = Path(path) if path is not None else network_path(data_path)
    if not p.is_file():
        msg = f"no street network at {str(p)!r}; run `geo network import EXTRACT.osm.pbf` first"
        raise StoreError(msg)
    try:
        return ox.load_graphml(p)
    except Exception as err:  # networkx and lxml raise many kinds for a broken file
        msg = f"{str(p)!r} is not a street network GraphML: {err}"
        raise StoreError(msg) from err


# ---- routing


class _Projected:
    """The network in a metric CRS: node ids, their coordinates, a nearest-node index and an undirected graph."""

    def __init__(self, graph: nx.MultiDiGraph, crs: Any) -> None:
        from pyproj import Transformer
        from scipy.spatial import cKDTree

        if graph.number_of_nodes() == 0:
            msg = "network: the street network has no nodes"
            raise ValidationError(msg)
        self.ids = list(graph.nodes)
        lon = np.array([graph.nodes[n]["x"] for n in self.ids], dtype=float)
        lat = np.array([graph.nodes[n]["y"] for n in self.ids], dtype=float)
        self.to_metric = Transformer.from_crs(4326, crs, always_xy=True)
        x, y = self.to_metric.transform(lon, lat)
        self.xy = np.column_stack([x, y])
        self.tree = cKDTree(self.xy)
        # Walking ignores one-way rules: a graph imported with both directions of every street is used as it is
        # (copying 200,000 nodes to an undirected graph would cost seconds); any other directed graph is copied.
        both_ways = graph.graph.get("geo_walk_both_ways") == "True"
        self.graph = graph.to_undirected(as_view=False) if graph.is_directed() and not both_ways else graph
        self.crs = crs

    def nearest(self, points: Any) -> tuple[Any, Any]:
        """Nearest node (index into ``ids``) and the straight step to it, for an array of (x, y)."""
        dist, idx = self.tree.query(points)
        return idx, dist

    def entries(self, geom: Any, entry_m: float, entrances: Any = None) -> list[tuple[Any, float]]:
        """Return the nodes a park enters the network at, each with the straight step from the park to it.

        Given ``entrances`` (WGS-84 ``[[lon, lat], ...]``, the data's), a park enters only there:
        at each entrance's nearest node, plus the step from the entrance to it.
        """
        import shapely

        if entrances:
            lon, lat = np.asarray(entrances, dtype=float).T
            x, y = self.to_metric.transform(lon, lat)
            dist, idx = self.tree.query(np.column_stack([x, y]))
            return [(self.ids[int(k)], float(d)) for k, d in zip(idx, dist, strict=True) if d <= MAX_STEP_M]
        if geom.geom_type != "Point":
            near = self.tree.query_ball_point(geom.representative_point().coords[0], r=_reach(geom) + entry_m)
            found = [
                (self.ids[k], float(d))
                for k in near
                if (d := shapely.distance(geom, shapely.Point(self.xy[k]))) <= entry_m
            ]
            if found:
                return found
        dist, k = self.tree.query(
            geom.representative_point().coords[0] if geom.geom_type != "Point" else geom.coords[0]
        )
        step = float(shapely.distance(geom, shapely.Point(self.xy[k])) if geom.geom_type != "Point" else dist)
        return [(self.ids[int(k)], step)] if step <= MAX_STEP_M else []


def _reach(geom: Any) -> float:
    """Half the diagonal of a geometry's box: every point of it is this close to its representative point's box."""
    x0, y0, x1, y1 = geom.bounds
    return math.hypot(x1 - x0, y1 - y0)


_SOURCE = ("geo", "parks")  # the virtual source: a node id no OSM graph has


def _park_entries(parks: gpd.GeoDataFrame) -> list[tuple[Any, Any]]:
    """Return ``(geometry, entrances or None)`` for every located park."""
    entrances = parks["entrances"] if "entrances" in parks.columns else [None] * len(parks)
    return [
        (g, e if isinstance(e, list) and e else None)
        for g, e in zip(parks.geometry, entrances, strict=True)
        if g is not None and not g.is_empty
    ]


def _distances(net: _Projected, parks: Sequence[Any], entry_m: float, cutoff: float | None = None) -> dict[Any, float]:
    """One Dijkstra run: walking distance from the nearest park to every node it reaches.

    A virtual source joins every park's entry nodes, each edge as long as the straight step
    from the park to that node, so one run serves all parks (networkx's Dijkstra, not ours).
    """
    import networkx as nx

    graph = net.graph
    steps: dict[Any, float] = {}
    for geom, entrances in parks:
        for node, step in net.entries(geom, entry_m, entrances):
            steps[node] = min(step, steps.get(node, math.inf))
    graph.add_node(_SOURCE)
    try:
        graph.add_edges_from((_SOURCE, node, {"length": step}) for node, step in steps.items())
        out = nx.single_source_dijkstra_path_length(graph, _SOURCE, cutoff=cutoff, weight="length")
    finally:
        graph.remove_node(_SOURCE)
    out.pop(_SOURCE, None)
    return out


def park_distances(parks: gpd.GeoDataFrame, network: nx.MultiDiGraph, *, entry_m: float = ENTRY_M) -> dict[Any, float]:
    """Return the walking distance from the nearest park to every network node it reaches (one Dijkstra run).

    Computed once and handed to :func:`walking_access` for each partition of the homes (the Dask engine).

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        The parks, in one metric CRS; unlocated rows are left out.
    network : networkx.MultiDiGraph
        From :func:`load_network`.
    entry_m : float
        A park enters the network at nodes this close to its outline.

    Returns
    -------
    dict
        Node to metres; empty when no park is located.
    """
    net = _Projected(network, parks.crs)
    located = _park_entries(parks)
    return _distances(net, located, entry_m) if located else {}


def combine_access(
    parts: Sequence[Mapping[str, Any]], network: nx.MultiDiGraph, radii: Sequence[float]
) -> dict[str, Any]:
    """Add up :func:`walking_access` results computed on partitions of the homes.

    Parameters
    ----------
    parts : sequence of Mapping
        The result of each partition.
    network : networkx.MultiDiGraph
        The network they were computed on (its notes are reported).
    radii : sequence of float
        The walking radii in metres.

    Returns
    -------
    dict
        ``rows``, ``homes`` and ``notes`` as :func:`walking_access` returns them for all homes.
    """
    per_home = [h for part in parts for h in part["homes"]]
    total = sum(part["rows"][0]["residential_total"] for part in parts) if parts else 0
    graph = network.graph if hasattr(network, "graph") else {}
    return {"rows": _rows(per_home, total, radii), "homes": per_home, "notes": _notes_for(graph, per_home, ENTRY_M)}


def walking_access(
    homes: gpd.GeoDataFrame,
    parks: gpd.GeoDataFrame,
    network: nx.MultiDiGraph,
    radii: Sequence[float] = (300.0, 500.0),
    *,
    entry_m: float = ENTRY_M,
    node_distance: dict[Any, float] | None = None,
) -> dict[str, Any]:
    """Give every home its walking and straight-line distance to the nearest park.

    Parameters
    ----------
    homes, parks : geopandas.GeoDataFrame
        In one metric CRS (``geo.summary.project``); unlocated rows have no geometry.
    network : networkx.MultiDiGraph
        From :func:`load_network` (nodes in WGS-84 ``x``/``y``, edges with ``length`` in metres).
    radii : sequence of float
        Walking radii in metres.
    entry_m : float
        A park enters the network at nodes this close to its outline.
    node_distance : dict, optional
        A Dijkstra result already computed for these parks (the Dask engine passes it to partitions).

    Returns
    -------
    dict
        ``rows`` (per radius: homes, located, unknown, within walking, within straight line, no
        route, shares), ``homes`` (per home: walking and straight metres, detour index), ``notes``.
    """
    import shapely

    net = _Projected(network, homes.crs)
    located = _park_entries(parks)
    park_geoms = [g for g, _ in located]
    dist = node_distance if node_distance is not None else (_distances(net, located, entry_m) if located else {})
    located = homes[has_location(homes)] if len(homes) else homes
    per_home: list[dict[str, Any]] = []
    if len(located) and park_geoms:
        pts = np.column_stack([located.geometry.x.to_numpy(), located.geometry.y.to_numpy()])
        idx, step = net.nearest(pts)
        tree = shapely.STRtree(park_geoms)
        _, straight = tree.query_nearest(located.geometry.to_numpy(), return_distance=True, all_matches=False)
        for k, (ident, name) in enumerate(zip(located["id"], located["name"], strict=True)):
            on = step[k] <= MAX_STEP_M  # farther from every street: off the network, no route
            walk = dist.get(net.ids[int(idx[k])], math.inf) + float(step[k]) if on else math.inf
            flat = float(straight[k])
            per_home.append(
                {
                    "id": ident,
                    "name": name,
                    "walk_m": round(walk, 1) if math.isfinite(walk) else None,
                    "straight_m": round(flat, 1),
                    "reachable": math.isfinite(walk),
                    "detour_index": round(walk / flat, 3) if math.isfinite(walk) and flat > 0 else None,
                }
            )
    return {
        "rows": _rows(per_home, len(homes), radii),
        "homes": per_home,
        "notes": _notes_for(network.graph, per_home, entry_m),
    }


def _rows(per_home: list[dict[str, Any]], total: int, radii: Sequence[float]) -> list[dict[str, Any]]:
    rows = []
    unknown = total - len(per_home)
    for r in radii:
        walk = sum(1 for h in per_home if h["walk_m"] is not None and h["walk_m"] <= r)
        flat = sum(1 for h in per_home if h["straight_m"] <= r)
        rows.append(
            {
                "radius_m": float(r),
                "residential_total": total,
                "residential_located": len(per_home),
                "residential_unknown": unknown,
                "within_walk": walk,
                "within_straight": flat,
                "no_route": sum(1 for h in per_home if not h["reachable"]),
                **_shares("share_walk", walk, unknown, total),
                **_shares("share_straight", flat, unknown, total),
            }
        )
    return rows


def _shares(key: str, within: int, unknown: int, total: int) -> dict[str, float | None]:
    """Return the share within reach as far as it is known: None while homes are unlocated, and the range left open."""
    return {
        key: round(within / total, 6) if total and not unknown else None,
        f"{key}_min": round(within / total, 6) if total else None,
        f"{key}_max": round((within + unknown) / total, 6) if total else None,
    }


def _notes_for(graph_attrs: Mapping[str, Any], per_home: list[dict[str, Any]], entry_m: float) -> list[str]:
    notes = [
        (
            "Walking distances run along the street network (OpenStreetMap ways people walk on), from each home's "
            f"nearest node to a park's entry nodes (within {entry_m:g} m of its outline), plus the straight steps "
            "on and off the network."
        ),
        "Unlocated homes are unknown; homes the parks' network does not reach are counted as having no route.",
    ]
    source = graph_attrs.get("geo_source")
    if source:
        notes.append(f"Network: {source}, extract date {graph_attrs.get('geo_extract_date', 'unknown')}.")
    detours = [h["detour_index"] for h in per_home if h["detour_index"] is not None]
    if detours:
        detours.sort()
        notes.append(f"Median detour index (walking / straight): {detours[len(detours) // 2]:.2f}.")
    return notes


def service_areas(
    parks: gpd.GeoDataFrame,
    network: nx.MultiDiGraph,
    radii: Sequence[float] = (300.0, 500.0),
    *,
    entry_m: float = ENTRY_M,
    width_m: float = 25.0,
) -> gpd.GeoDataFrame:
    """Draw, per park and radius, the area reachable on foot: the reachable streets, buffered.

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        Parks in a metric CRS.
    network : networkx.MultiDiGraph
    radii : sequence of float
    entry_m : float
    width_m : float
        Buffer around each reachable stretch of street (half a block's depth of homes on it).

    Returns
    -------
    geopandas.GeoDataFrame
        ``id``, ``name``, ``radius_m`` and the polygon, in WGS-84.
    """
    import geopandas as gpd

    net = _Projected(network, parks.crs)
    rows = []
    entrances = parks["entrances"] if "entrances" in parks.columns else [None] * len(parks)
    for ident, name, geom, gates in zip(parks["id"], parks["name"], parks.geometry, entrances, strict=True):
        if geom is None or geom.is_empty:
            continue
        for r in sorted(radii, reverse=True):
            reached = _distances(
                net, [(geom, gates if isinstance(gates, list) and gates else None)], entry_m, cutoff=float(r)
            )
            shape = _reachable_shape(net, reached, float(r), width_m)
            if shape is not None:
                rows.append({"id": ident, "name": name, "radius_m": float(r), "geometry": shape})
    frame = (
        gpd.GeoDataFrame(rows, geometry="geometry", crs=parks.crs)
        if rows
        else gpd.GeoDataFrame({"id": [], "name": [], "radius_m": []}, geometry=[], crs=parks.crs)
    )
    return frame.to_crs(4326)


def _reachable_shape(net: _Projected, reached: Mapping[Any, float], radius: float, width_m: float) -> Any:
    """Buffer every stretch of street reachable within ``radius`` (partial edges cut where the walk ends)."""
    import shapely
    from shapely.ops import substring

    index = {node: k for k, node in enumerate(net.ids)}
    pieces = []
    for u, v, data in net.graph.edges(data=True):
        if u not in reached and v not in reached:
            continue
        line = _edge_line(net, index, u, v, data)
        length = float(data.get("length") or line.length) or 1.0
        for start, forward in ((u, True), (v, False)):
            if start not in reached:
                continue
            share = min(max(radius - reached[start], 0.0) / length, 1.0)
            cut = share * line.length
            piece = substring(line, 0, cut) if forward else substring(line, line.length - cut, line.length)
            if not piece.is_empty:
                pieces.append(piece)
    if not pieces:
        return None
    return shapely.union_all(shapely.buffer(pieces, width_m))


def _edge_line(net: _Projected, index: Mapping[Any, int], u: Any, v: Any, data: Mapping[str, Any]) -> Any:
    """Return the street between two nodes in metres, from u to v (its drawn shape when osmnx kept one)."""
    import shapely

    start, end = net.xy[index[u]], net.xy[index[v]]
    geom = data.get("geometry")
    if geom is None:
        return shapely.LineString([start, end])
    coords = np.asarray(geom.coords)
    x, y = net.to_metric.transform(coords[:, 0], coords[:, 1])
    pts = np.column_stack([x, y])
    if np.hypot(*(pts[0] - start)) > np.hypot(*(pts[-1] - start)):
        pts = pts[::-1]
    return shapely.LineString(pts)
