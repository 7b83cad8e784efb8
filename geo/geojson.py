"""Read GeoJSON that comes from outside: the one parser every path in goes through.

``geo validate``, ``geo import``, ``geo add-park --geometry`` and the editor's
saves all read their input here, so they accept and refuse the same things,
with the same words. Any input gives either clean Python objects or a
:class:`geo.errors.ValidationError` listing one line per problem, each naming
the feature and the field; nothing here raises anything else.

Reading is strict where JSON is strict and lenient where RFC 7946 is lenient:

* refused: text that is not UTF-8, NaN and Infinity, numbers too large for a
  double, trailing content after the document, duplicate keys in an object,
  nesting deeper than :data:`MAX_DEPTH`, positions that are not two or three
  numbers (a number written as text is refused, not guessed), rings that are
  not closed or have fewer than four positions, invalid (self-intersecting)
  outlines and geometry types a place cannot have;
* accepted with a note: a UTF-8 byte order mark, a third ordinate (height:
  dropped, the atlas is 2-D), rings wound clockwise (RFC 7946 §3.1.6 says
  parsers SHOULD NOT reject them; they are rewound right-handed);
* repaired only when asked (``repair=True``, the CLI's ``--repair``): unclosed
  rings are closed, repeated consecutive positions dropped and invalid
  outlines mended with :func:`shapely.make_valid`. Every refusal that a repair
  would fix says so.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.coords import check_lonlat
from geo.errors import Problem, ValidationError

__all__ = [
    "GEOMETRY_TYPES",
    "MAX_DEPTH",
    "MAX_POSITIONS",
    "Geometry",
    "Source",
    "check_geometry",
    "decode",
    "parse_geometry",
    "read_source",
    "signed_area",
]

#: Geometry types a place can have.
GEOMETRY_TYPES: tuple[str, ...] = ("Point", "Polygon", "MultiPolygon")
#: Deepest nesting of arrays and objects accepted (a MultiPolygon in a FeatureCollection needs 7).
MAX_DEPTH = 64
#: Most positions in one geometry (an outline this detailed should be simplified first).
MAX_POSITIONS = 200_000

_BOM = b"\xef\xbb\xbf"
_REPAIR = " (a repair fixes it)"


def _depth_exceeds(obj: Any, limit: int) -> bool:
    """Tell whether ``obj`` nests deeper than ``limit``, without recursion."""
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, dict | list))
    return False


def _no_duplicates(label: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                msg = f"{label}: duplicate key {key!r} in one object (JSON leaves its meaning undefined)"
                raise ValidationError(msg)
            out[key] = value
        return out

    return hook


def _json_problem(data: bytes, err: Exception, label: str) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"{label} is not UTF-8 text ({bad.reason} at byte {bad.start})"
    msg = getattr(err, "msg", str(err))
    if "depth" in msg:  # orjson stops at 1,024 levels; input checked strictly stops at MAX_DEPTH before that
        return f"{label} is not valid JSON: nested too deeply (more than 1,024 levels)"
    text = f"{label} is not valid JSON: {msg} at line {getattr(err, 'lineno', '?')} column {getattr(err, 'colno', '?')}"
    pos = getattr(err, "pos", -1)
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        if pos >= 0 and data[pos : pos + len(constant)] == constant:
            return f"{label} is not valid JSON: {constant.decode()} is not a JSON number (line {err.lineno})"  # type: ignore[attr-defined]
    return text


def decode(data: bytes | str, *, label: str = "input", strict: bool = True) -> tuple[Any, list[str]]:
    """Decode JSON text, refusing what JSON refuses and a few things it leaves open.

    Parameters
    ----------
    data : bytes or str
        The document (UTF-8 when bytes).
    label : str
        Names the input in messages (a file name, ``"request body"``).
    strict : bool
        Also refuse duplicate keys and nesting deeper than :data:`MAX_DEPTH`
        (for input from outside; the store's own canonical file skips this).

    Returns
    -------
    tuple
        ``(document, notes)``; a note says a byte order mark was dropped.

    Raises
    ------
    geo.errors.ValidationError
        One line naming ``label`` and what is wrong where.
    """
    import orjson

    notes: list[str] = []
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
        notes.append(f"{label}: ignored a UTF-8 byte order mark")
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise ValidationError(_json_problem(raw, err, label)) from None
    if strict:
        if _depth_exceeds(obj, MAX_DEPTH):
            msg = f"{label} is not valid GeoJSON: nested deeper than {MAX_DEPTH} levels"
            raise ValidationError(msg)
        obj = json.loads(raw, object_pairs_hook=_no_duplicates(label))
    return obj, notes


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def signed_area(ring: list[list[float]]) -> float:
    """Return a ring's shoelace area in degrees²: positive when counter-clockwise in (lon, lat).

    Parameters
    ----------
    ring : list of list of float
        A closed ring of ``[lon, lat]`` positions.

    Returns
    -------
    float
        The signed area in square degrees.
    """
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        total += x1 * y2 - x2 * y1
    return total / 2.0


@dataclass
class Geometry:
    """A geometry read from outside: the clean value, or why there is none."""

    value: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Reader:
    """Walk one geometry's coordinates, collecting problems, notes and clean 2-D positions."""

    def __init__(self, where: str, *, rewind: bool, repair: bool) -> None:
        self.where = where
        self.rewind = rewind
        self.repair = repair
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.positions = 0
        self.heights = 0
        self.rewound = 0
        self.closed = 0
        self.deduplicated = 0

    def problem(self, text: str) -> None:
        values = {"repairable": True} if text.endswith(_REPAIR) else {}  # the CLI names its --repair
        self.problems.append(Problem(self.where, "geometry", text, values=values))

    def position(self, pos: Any, label: str) -> list[float] | None:
        if not isinstance(pos, list) or len(pos) not in (2, 3):
            self.problem(f"{label}: a position must be [lon, lat] or [lon, lat, height], got {_describe(pos)}")
            return None
        bad = [v for v in pos if not _is_number(v) or not math.isfinite(v)]
        if bad:
            self.problem(f"{label}: a position holds numbers only, got {_describe(bad[0])} in {_describe(pos)}")
            return None
        found = check_lonlat(pos[0], pos[1], field=label)
        if found:
            self.problems.append(Problem(self.where, "geometry", str(found[0])))
            return None
        self.positions += 1
        self.heights += len(pos) == 3
        return [float(pos[0]), float(pos[1])]

    def ring(self, ring: Any, label: str, *, hole: bool) -> list[list[float]] | None:
        if not isinstance(ring, list):
            self.problem(f"{label}: a ring must be a list of positions, got {_describe(ring)}")
            return None
        if len(ring) + self.positions > MAX_POSITIONS:
            self.problem(f"{label}: more than {MAX_POSITIONS:,} positions; simplify the outline first")
            return None
        pts: list[list[float]] = []
        for pos in ring:
            read = self.position(pos, label)
            if read is None:
                return None  # one line per ring: the first bad position says what is wrong
            pts.append(read)
        if self.repair:
            kept = [p for k, p in enumerate(pts) if k == 0 or p != pts[k - 1]]
            self.deduplicated += len(pts) - len(kept)
            pts = kept
        if len(pts) < 4 and not self.repair:
            self.problem(f"{label} needs at least 4 positions (closed), got {len(pts)}")
            return None
        if pts and pts[0] != pts[-1]:
            if not self.repair:
                self.problem(f"{label} is not closed: first {pts[0]!r} != last {pts[-1]!r}{_REPAIR}")
                return None
            pts.append(list(pts[0]))
            self.closed += 1
        if len(pts) < 4:
            self.problem(f"{label} needs at least 4 positions (closed), got {len(pts)}")
            return None
        area = signed_area(pts)
        # A zero sum (a line, or a figure-of-eight) has no winding: shapely's validity check judges it.
        if area != 0 and (area < 0) != hole:
            if not self.rewind:
                turn = "clockwise (hole)" if hole else "counter-clockwise (exterior)"
                self.problem(f"{label} must be {turn} (RFC 7946), got signed area {area!r}")
                return None
            pts.reverse()
            self.rewound += 1
        return pts

    def polygon(self, rings: Any, label: str) -> list[list[list[float]]] | None:
        if not isinstance(rings, list) or not rings:
            self.problem(f"{label} must be a non-empty list of rings, got {_describe(rings)}")
            return None
        first = rings[0]
        if isinstance(first, list) and first and all(not isinstance(v, list) for v in first):
            self.problem(
                f"{label}: a ring must be a list of positions, got a position {_describe(first)} "
                "(one level of [ ] missing?)"
            )
            return None
        out = [self.ring(r, f"{label} ring {k}", hole=k > 0) for k, r in enumerate(rings)]
        return None if any(r is None for r in out) else [r for r in out if r is not None]

    def summarize(self) -> None:
        if self.heights:
            self.notes.append(f"{self.where}: dropped the third ordinate (height) of {self.heights} position(s)")
        if self.rewound:
            self.notes.append(f"{self.where}: rewound {self.rewound} ring(s) to the right-hand rule (RFC 7946 §3.1.6)")
        if self.closed:
            self.notes.append(f"{self.where}: closed an unclosed ring ({self.closed})")
        if self.deduplicated:
            self.notes.append(f"{self.where}: dropped {self.deduplicated} repeated position(s)")


def _coordinates(kind: str, coords: Any, reader: _Reader) -> Any:
    if kind == "Point":
        return reader.position(coords, "geometry Point")
    if kind == "Polygon":
        return reader.polygon(coords, "polygon")
    if not isinstance(coords, list) or not coords:
        reader.problem(f"geometry MultiPolygon must be a non-empty list of polygons, got {_describe(coords)}")
        return None
    polys = [reader.polygon(rings, f"polygon {k}") for k, rings in enumerate(coords)]
    return None if any(p is None for p in polys) else polys


def _shape_problems(geom: dict[str, Any], reader: _Reader) -> dict[str, Any] | None:
    """Check an outline with shapely (structure is already sound); mend it when repairing."""
    from shapely.geometry import mapping, shape
    from shapely.validation import explain_validity, make_valid

    shp = shape(geom)
    if shp.is_valid:
        return geom
    why = explain_validity(shp)
    if not reader.repair:
        reader.problem(f"geometry is not a valid {geom['type']}: {why}{_REPAIR}")
        return None
    from shapely.geometry import MultiPolygon
    from shapely.geometry.polygon import orient
    from shapely.ops import unary_union

    mended = unary_union([g for g in getattr(make_valid(shp), "geoms", [make_valid(shp)]) if g.area > 0])
    parts = [mended] if mended.geom_type == "Polygon" else list(getattr(mended, "geoms", []))
    parts = [orient(p, 1.0) for p in parts if p.geom_type == "Polygon"]
    if not parts:
        reader.problem(f"geometry: repairing the outline ({why}) left no area")
        return None
    reader.notes.append(f"{reader.where}: repaired an invalid outline with make_valid ({why})")
    out = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return dict(json.loads(json.dumps(mapping(out))))


def parse_geometry(geom: Any, where: str = "feature", *, rewind: bool = True, repair: bool = False) -> Geometry:
    """Read one GeoJSON geometry a place may have, clean and 2-D, or say every reason why not.

    Parameters
    ----------
    geom : Any
        The decoded ``geometry`` member.
    where : str
        Names the feature in messages.
    rewind : bool
        Rewind rings that break the right-hand rule (with a note) instead of refusing them.
    repair : bool
        Close rings, drop repeated positions and mend invalid outlines with ``make_valid``.

    Returns
    -------
    Geometry
        ``value`` is ``None`` exactly when ``problems`` is not empty.
    """
    out = Geometry()
    if not isinstance(geom, Mapping):
        out.problems.append(Problem(where, "geometry", f"geometry must be an object, got {_describe(geom)}"))
        return out
    kind = geom.get("type")
    if kind == "GeometryCollection":
        out.problems.append(
            Problem(where, "geometry", "geometry GeometryCollection is not supported; give each part as a feature")
        )
        return out
    if kind not in GEOMETRY_TYPES:
        out.problems.append(
            Problem(
                where, "geometry", f"geometry type must be one of {', '.join(GEOMETRY_TYPES)}, got {_describe(kind)}"
            )
        )
        return out
    reader = _Reader(where, rewind=rewind, repair=repair)
    coords = _coordinates(str(kind), geom.get("coordinates"), reader)
    value: dict[str, Any] | None = None
    if not reader.problems:
        value = {"type": kind, "coordinates": coords}
        if kind != "Point":
            value = _shape_problems(value, reader)
    reader.summarize()
    out.problems, out.notes = reader.problems, reader.notes
    out.value = None if out.problems else value
    return out


def check_geometry(geom: Any, where: str) -> list[Problem]:
    """Return the problems of a stored geometry (no rewinding, no repair): the model's rule.

    Parameters
    ----------
    geom : Any
        A GeoJSON geometry, or None for an unlocated place.
    where : str
        Where it is, for the messages.

    Returns
    -------
    list of Problem
        Empty for a clean geometry or None.
    """
    if geom is None:
        return []
    return parse_geometry(geom, where, rewind=False).problems


def plain_outlines(geoms: Sequence[Any], bbox: tuple[float, float, float, float]) -> Any:
    """Say, for many stored outlines at once, which certainly pass :func:`check_geometry` inside ``bbox``.

    A fast path for files of many outlines: each ring becomes one numpy array, then closure, winding
    (RFC 7946), the extent and shapely's validity are checked over every vertex of every outline at once.
    True only for a Polygon or MultiPolygon of 2-D positions, all of whose rings pass; anything else is
    False and gets the full check, which alone writes messages (``tests/test_geojson.py`` checks that this
    never accepts what the full check refuses).

    Parameters
    ----------
    geoms : sequence
        Decoded ``geometry`` members.
    bbox : tuple of float
        (west, south, east, north) every position must lie in (this also makes them finite degrees).

    Returns
    -------
    numpy.ndarray of bool
    """
    return checked_outlines(geoms, bbox)[0]


def checked_outlines(geoms: Sequence[Any], bbox: tuple[float, float, float, float]) -> tuple[Any, Any]:
    """Return :func:`plain_outlines` and the shapely geometries it built on the way (None where it says False).

    The columnar reader keeps the geometries, so an outline's coordinates are read once, from the decoded
    lists into one float array, and never again (what :func:`outline_shapes` returns for the same outlines).
    Closure, extent and winding are judged on that array first; only the outlines whose rings all pass are
    made into geometries (:func:`_ragged_shapes`, one shapely call per geometry type) for shapely's validity.

    Parameters
    ----------
    geoms : sequence
        Decoded ``geometry`` members.
    bbox : tuple of float
        (west, south, east, north) every position must lie in.

    Returns
    -------
    tuple
        ``(ok, shapes)``: a numpy bool per geometry and a numpy object array of shapely geometries.
    """
    import numpy as np
    import shapely

    ok = np.zeros(len(geoms), dtype=bool)
    shapes = np.full(len(geoms), None, dtype=object)
    kept = [(i, polys) for i, polys in enumerate(_plain_batch(geoms)) if polys is not None]
    flat = _flat_rings([polys for _, polys in kept])
    if flat is None:
        return ok, shapes
    xy, counts, ring_counts, part_counts, good = flat
    at = np.fromiter((i for (i, _), g in zip(kept, good, strict=True) if g), dtype=np.int64)
    if not len(at):
        return ok, shapes
    del kept
    rings = _Rings(xy, counts, np.asarray(ring_counts, dtype=np.int64), np.asarray(part_counts, dtype=np.int64))
    passed = np.logical_and.reduceat(_ring_checks(rings, bbox), rings.geom_first_ring)
    multi = np.fromiter((geoms[i]["type"] == "MultiPolygon" for i in at.tolist()), bool, len(at))
    built = _ragged_shapes(rings.subset(passed), multi[passed])
    valid = shapely.is_valid(built)
    ok[at[passed][valid]] = True
    shapes[at[passed][valid]] = built[valid]
    return ok, shapes


@dataclass
class _Rings:
    """The rings of many outlines as one ``(n, 2)`` array and their counts (positions, rings, polygons)."""

    xy: Any
    counts: Any  # positions per ring
    ring_counts: Any  # rings per polygon
    part_counts: Any  # polygons per outline

    @property
    def offsets(self) -> Any:
        """Where each ring starts in ``xy``, and the end."""
        import numpy as np

        return np.concatenate([[0], np.cumsum(self.counts)]).astype(np.int64)

    @property
    def polygon_offsets(self) -> Any:
        """Where each polygon's rings start, and the end."""
        import numpy as np

        return np.concatenate([[0], np.cumsum(self.ring_counts)]).astype(np.int64)

    @property
    def geom_first_ring(self) -> Any:
        """The index of each outline's first ring."""
        import numpy as np

        parts = np.concatenate([[0], np.cumsum(self.part_counts)]).astype(np.int64)
        return self.polygon_offsets[parts[:-1]]

    def subset(self, keep: Any) -> _Rings:
        """Return the rings of the outlines where ``keep`` is True (the same object when all are kept)."""
        import numpy as np

        if bool(keep.all()):
            return self
        rings_per_geom = np.diff(np.append(self.geom_first_ring, len(self.counts)))
        keep_polygon = np.repeat(keep, self.part_counts)
        keep_ring = np.repeat(keep, rings_per_geom)
        xy = self.xy[np.repeat(keep_ring, self.counts)]
        return _Rings(xy, self.counts[keep_ring], self.ring_counts[keep_polygon], self.part_counts[keep])


def _ragged_shapes(rings: _Rings, multi: Any) -> Any:
    """Make the outlines' shapely geometries from their flat rings: one ``from_ragged_array`` a geometry type.

    ``multi`` says which are MultiPolygons; the others have one polygon each. Every ring is closed and of
    four or more positions (checked before), so GEOS accepts them as they are.
    """
    import numpy as np
    import shapely

    out = np.empty(len(multi), dtype=object)
    for kind, which in ((shapely.GeometryType.POLYGON, ~multi), (shapely.GeometryType.MULTIPOLYGON, multi)):
        if not which.any():
            continue
        part = rings.subset(which)
        if kind == shapely.GeometryType.POLYGON:
            offsets: tuple[Any, ...] = (part.offsets, part.polygon_offsets)
        else:
            parts = np.concatenate([[0], np.cumsum(part.part_counts)]).astype(np.int64)
            offsets = (part.offsets, part.polygon_offsets, parts)
        out[which] = shapely.from_ragged_array(kind, part.xy, offsets)
    return out


def _ring_checks(rings: _Rings, bbox: tuple[float, float, float, float]) -> Any:
    """Each ring's closure, extent and winding, over all vertices at once."""
    import numpy as np

    xy, offsets = rings.xy, rings.offsets
    starts, ends = offsets[:-1], offsets[1:] - 1
    w, s, e, n = bbox
    inside = (xy[:, 0] >= w) & (xy[:, 0] <= e) & (xy[:, 1] >= s) & (xy[:, 1] <= n)
    ring_ok = np.logical_and.reduceat(inside, starts) & np.all(xy[starts] == xy[ends], axis=1)
    # Winding: the shoelace sum of each ring, as signed_area does it (a zero sum is left to shapely).
    cross = np.zeros(len(xy))
    cross[:-1] = xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]
    cross[ends] = 0.0
    area = np.add.reduceat(cross, starts)
    hole = np.ones(len(starts), dtype=bool)
    hole[rings.polygon_offsets[:-1]] = False
    ring_ok &= (area == 0) | ((area < 0) == hole)
    return ring_ok


def outline_shapes(geoms: Sequence[Any]) -> Any:
    """Return shapely geometries of many checked outlines, built from one flat array of their rings.

    For outlines of the plain shape (2-D positions of numbers, as the model stores them); any other
    geometry, or outlines with another shape, go through ``shapely.from_geojson`` as before.

    Parameters
    ----------
    geoms : sequence
        Decoded Polygon and MultiPolygon ``geometry`` members that passed :func:`check_geometry`.

    Returns
    -------
    numpy.ndarray of shapely geometries
    """
    import numpy as np
    import orjson
    import shapely

    polys = _plain_batch(geoms)
    flat = None if any(p is None for p in polys) else _flat_rings([p for p in polys if p is not None])
    if flat is None or not all(flat[4]):
        return shapely.from_geojson([orjson.dumps(g) for g in geoms])
    xy, counts, ring_counts, part_counts, _ = flat
    rings = _Rings(xy, counts, np.asarray(ring_counts, dtype=np.int64), np.asarray(part_counts, dtype=np.int64))
    multi = np.array([g["type"] == "MultiPolygon" for g in geoms], dtype=bool)
    return _ragged_shapes(rings, multi)


def _flat_rings(geoms: list[list[Any]]) -> tuple[Any, Any, list[int], list[int], list[bool]] | None:
    """Every ring of the outlines as one (n, 2) float array.

    Returns ``xy``, positions per ring, rings per polygon and polygons per outline, of the outlines kept,
    and which are kept (rings of 4+ positions of two numbers, at most MAX_POSITIONS an outline); None
    when there are none. The common file (numbers only, every position [lon, lat]) is read in two
    C-level passes (the positions' lengths, then every value); any other makes each ring its own numpy array.
    """
    import itertools
    import operator

    import numpy as np

    if not geoms:
        return None
    chain = itertools.chain.from_iterable
    rings = [r for polys in geoms for poly in polys for r in poly]
    counts = np.fromiter(map(len, rings), dtype=np.int64, count=len(rings))
    total = int(counts.sum())
    values = None
    try:
        if set(map(len, chain(rings))) <= {2}:  # a position that is not a list raises TypeError
            # operator.pos refuses text, null and lists (TypeError) and keeps numbers: one pass over the values.
            values = np.fromiter(map(operator.pos, chain(chain(rings))), dtype=float, count=2 * total)
            # A boolean is read as 0 or 1: a file with either value is read ring by ring, as one with text.
            if bool(((values == 0) | (values == 1)).any()):
                values = None
    except (TypeError, OverflowError):
        values = None
    arrays: list[Any] = []
    if values is None:
        arrays = [_ring_array(r) for r in rings]
        counts = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
    per_geom = [sum(len(poly) for poly in polys) for polys in geoms]  # rings per outline
    first = np.concatenate([[0], np.cumsum(per_geom)[:-1]]).astype(np.int64)
    enough = np.logical_and.reduceat(counts >= 4, first)
    size = np.add.reduceat(counts, first)
    good = (enough & (size <= MAX_POSITIONS)).tolist()
    keep_ring = np.repeat(good, per_geom)
    if values is not None:
        xy = values.reshape(-1, 2)
        if not keep_ring.all():
            xy = xy[np.repeat(keep_ring, counts)]
    else:
        kept = [a for a, k in zip(arrays, keep_ring.tolist(), strict=True) if k]
        xy = np.concatenate(kept) if kept else np.empty((0, 2))
    ring_counts = [len(poly) for polys, g in zip(geoms, good, strict=True) if g for poly in polys]
    part_counts = [len(polys) for polys, g in zip(geoms, good, strict=True) if g]
    return xy, counts[keep_ring], ring_counts, part_counts, good


def _ring_array(ring: list[Any]) -> Any:
    """One ring as an (n, 2) float array; empty when it holds anything but positions of two numbers."""
    import itertools

    import numpy as np

    try:
        if not set(map(type, itertools.chain.from_iterable(ring))) <= {float, int}:  # a boolean reads as a number
            return np.empty((0, 2))
        a = np.asarray(ring, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):  # a position that is no list, or ragged
        return np.empty((0, 2))
    return a if a.ndim == 2 and a.shape[1] == 2 else np.empty((0, 2))


def _plain_batch(geoms: Sequence[Any]) -> list[Any]:
    """:func:`_plain_polygons` of each geometry: a few C-level passes over the lot when all are plain."""
    import itertools

    chain = itertools.chain.from_iterable
    if len(geoms) and set(map(type, geoms)) == {dict} and set(map(len, geoms)) == {2}:
        kinds = [g.get("type") for g in geoms]
        coords = [g.get("coordinates") for g in geoms]
        if set(kinds) <= {"Polygon", "MultiPolygon"} and set(map(type, coords)) == {list} and min(map(len, coords)):
            polys = [[c] if k == "Polygon" else c for k, c in zip(kinds, coords, strict=True)]
            polygons = list(chain(polys))
            if (
                set(map(type, polygons)) == {list}
                and min(map(len, polygons))
                and set(map(type, chain(polygons))) == {list}
            ):
                return polys
    return [_plain_polygons(g) for g in geoms]


def _plain_polygons(geom: Any) -> list[Any] | None:
    """Return the polygons of a Polygon or MultiPolygon of the plain shape (``[polygon [ring [pos]]]``), else None."""
    if type(geom) is not dict or len(geom) != 2:
        return None
    kind, coords = geom.get("type"), geom.get("coordinates")
    if type(coords) is not list or not coords:
        return None
    polys = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if polys is None or not all(type(p) is list and p and all(type(r) is list for r in p) for p in polys):
        return None
    return polys


@dataclass
class Source:
    """The features of one input document, with the datum it declares."""

    features: list[dict[str, Any]]
    datum: str | None = None
    notes: list[str] = field(default_factory=list)


def _crs_problem(obj: Mapping[str, Any], label: str) -> str | None:
    crs = obj.get("crs")
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, Mapping) else None
    name = str(props.get("name", crs)) if isinstance(props, Mapping) else str(crs)
    if name.upper().endswith(("CRS84", "EPSG:4326", "EPSG::4326")):
        return None
    return f"{label}: crs must be WGS-84 lon/lat (RFC 7946), got {_describe(name)}; reproject the file first"


def _feature_list(obj: Any, label: str) -> list[Any]:
    if not isinstance(obj, Mapping) or not isinstance(obj.get("type"), str):
        msg = f"{label}: not GeoJSON (expected an object with a 'type'), got {_describe(obj)}"
        raise ValidationError(msg)
    kind = obj["type"]
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            msg = f"{label}: features must be a list, got {_describe(features)}"
            raise ValidationError(msg)
        return features
    if kind == "Feature":
        return [obj]
    if kind in (*GEOMETRY_TYPES, "GeometryCollection", "LineString", "MultiPoint", "MultiLineString"):
        return [{"type": "Feature", "geometry": obj, "properties": {}}]
    msg = f"{label}: expected a Feature, FeatureCollection or geometry, got type {_describe(kind)}"
    raise ValidationError(msg)


def read_source(data: bytes | str, *, label: str = "input", unlocated: bool = False) -> Source:
    """Read an input document into features whose members have the right types.

    Each feature comes back as ``{"type": "Feature", "geometry": <raw>,
    "properties": <dict>, "index": i}``; its geometry is read later with
    :func:`parse_geometry` (so a caller can convert datums first).

    Parameters
    ----------
    data : bytes or str
        A FeatureCollection, a Feature or a bare geometry.
    label : str
        Names the input in messages.
    unlocated : bool
        Accept features whose geometry is null (``geo import`` adds them as unlocated places).

    Returns
    -------
    Source

    Raises
    ------
    geo.errors.ValidationError
        Every problem of every feature, one line each.
    """
    obj, notes = decode(data, label=label)
    crs = _crs_problem(obj, label) if isinstance(obj, Mapping) else None
    problems: list[Problem] = [Problem.of(crs)] if crs else []
    features = _feature_list(obj, label)
    datum = obj.get("datum")
    if datum is not None and not isinstance(datum, str):
        problems.append(Problem(label, "datum", f"datum must be text (wgs84, gcj02, bd09), got {_describe(datum)}"))
    out: list[dict[str, Any]] = []
    for i, f in enumerate(features):
        where = f"feature[{i}]"
        if not isinstance(f, Mapping) or f.get("type") != "Feature":
            got = f.get("type") if isinstance(f, Mapping) else f
            problems.append(Problem(where, "type", f"type must be 'Feature', got {_describe(got)}"))
            continue
        props = f.get("properties")
        if props is not None and not isinstance(props, Mapping):
            problems.append(
                Problem(where, "properties", f"properties must be an object or null, got {_describe(props)}")
            )
            continue
        if f.get("geometry") is None and not (unlocated and "geometry" in f):
            problems.append(
                Problem(where, "geometry", "geometry is null; a place to import needs a location", "missing")
            )
            continue
        out.append({"type": "Feature", "geometry": f["geometry"], "properties": dict(props or {}), "index": i})
    if problems:
        raise ValidationError(problems)
    return Source(out, datum if isinstance(datum, str) else None, notes)
