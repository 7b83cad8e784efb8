"""Define the place record and check every rule a place must obey.

A place is one GeoJSON Feature of ``data/locations.geojson``. What each property
may hold is declared once, in :data:`geo.rules.RULES`; the checks here read it
when they run, in pure functions that collect every problem before anything is
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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo import rules
from geo._docs import shared_docs
from geo.coords import check_lonlat, to_wgs84
from geo.errors import Problem, ValidationError
from geo.geojson import check_geometry, plain_outlines
from geo.rules import (
    CONVERTED_DATUMS,
    DISTRICT_BBOX,
    DISTRICT_FIGURE_KEYS,
    ID_PATTERN,
    INVISIBLE,
    MAX_AREA_M2,
    RULES,
    FieldRule,
    RuleSet,
)

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

#: The source value that means "the report itself" (shown as 报道).
REPORT = "report"

# The vocabularies, ranges and property order below are read from the one rule set, geo.rules.RULES, at
# import; every check reads RULES itself when it runs, so a rule changed there changes every check.

#: Map layers, in legend order.
CATEGORIES: tuple[str, ...] = RULES.choices("category")

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
PARK_CLASSES: dict[str, str] = dict(zip(RULES.choices("park_class"), RULES["park_class"].labels, strict=True))

STATUSES: tuple[str, ...] = RULES.choices("status")
LOCATION_METHODS: tuple[str, ...] = RULES.choices("location_method")
INPUT_DATUMS: tuple[str, ...] = RULES.choices("datum_in")
PRECISIONS: tuple[str, ...] = RULES.choices("precision")
OUTLINES: tuple[str, ...] = RULES.choices("outline")

#: The properties, in the order the store writes them.
PROPERTY_ORDER: tuple[str, ...] = RULES.names

_ID_RE = re.compile(ID_PATTERN)  # always used with fullmatch: "$" would let "id\n" through


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
        """Return the GeoJSON Feature, properties in :data:`PROPERTY_ORDER`.

        Returns
        -------
        dict
            ``{"type": "Feature", "geometry", "properties"}``.
        """
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

    Parameters
    ----------
    text : str
        A name.

    Returns
    -------
    str
        The comparison key.
    """
    norm = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    if not norm.isprintable():  # rare: only then look at each character (this runs once per place per add)
        norm = "".join(ch for ch in norm if ch.isprintable() or unicodedata.category(ch) == "Zs")
    return " ".join(norm.split()).casefold()


#: Code points a reader cannot see that ``str.isprintable`` does not already refuse (:data:`geo.rules.INVISIBLE`).
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Unicode categories no text may hold: controls (tab and newline too), format characters (zero-width, bidi
#: overrides and isolates), surrogates, private use, unassigned, and line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def hidden_characters(text: str) -> list[str]:
    """Return the code points of ``text`` that no name or text of a place may hold.

    The one text rule of every name, alias, English name, editor name and free text: no control, format
    (zero-width, bidi), private-use, unassigned or surrogate code point, no line or paragraph separator,
    and none of :data:`_INVISIBLE`. Compiled patterns and ``str.isprintable`` do the work; only a text
    that holds a non-printable character (an ideographic or no-break space, or a problem) is looked at
    character by character.

    Parameters
    ----------
    text : str
        The text to look at.

    Returns
    -------
    list of str
        ``"U+200B"`` for each such code point, sorted; empty for clean text.
    """
    found = set(_INVISIBLE.findall(text))
    if not text.isprintable():
        found.update(c for c in text if unicodedata.category(c) in _HIDDEN_CATEGORIES)
    return [f"U+{ord(c):04X}" for c in sorted(found)]


def text_problem(value: str, key: str) -> str | None:
    """Return why a value breaks the text rule (:func:`hidden_characters`).

    Parameters
    ----------
    value : str
        The text.
    key : str
        The field, named in the message.

    Returns
    -------
    str or None
        The one-line problem, or None for clean text.
    """
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


# ---- what the checks read of the rule set, worked out once per rule set


@dataclass(frozen=True)
class _Plan:
    """The rule set as the checks read it: which fields each step looks at, with their sets and ranges.

    :func:`_plan` makes one per rule set (``geo.rules.RULES`` when the check runs) and keeps it, so a
    rule changed there is in every check, and the fast paths pay for the derivation once, not per place.
    """

    rules: RuleSet
    #: Checked by their kind on every place (the others with the geometry, or by the rules between fields).
    each: tuple[FieldRule, ...]
    #: Rules whose value names its source: (field, source field, values needing none, source without value).
    sourced: tuple[tuple[str, str, tuple[str, ...], bool], ...]
    #: Source fields checked with their value when it is set (a stated area's, always).
    paired: frozenset[str]
    #: Required with a geometry (provenance), in the file's order.
    located: tuple[FieldRule, ...]
    #: (field, the value it takes without a geometry): ``location_method``, ``precision``.
    unlocated: tuple[tuple[str, str], ...]
    #: Choices kept to some geometry types (an outline): (field, allowed, types).
    by_geometry: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]
    # The fast paths: texts, lists of texts, choices taken on every place, ranges, fields they leave to the full check.
    required_texts: tuple[str, ...]
    texts: tuple[str, ...]
    lists: tuple[str, ...]
    choices: tuple[tuple[str, frozenset[str], bool, str | None], ...]
    required_choices: tuple[tuple[str, frozenset[str]], ...]
    optional_choices: tuple[tuple[str, frozenset[str], str | None], ...]
    ranges: tuple[tuple[str, float, float, float], ...]
    unplain: tuple[str, ...]
    located_texts: tuple[str, ...]
    located_choices: tuple[tuple[str, frozenset[str]], ...]
    located_ranges: tuple[tuple[str, float, float, float], ...]


#: The kinds the fast paths check themselves; a field of another kind must be null there (the full check decides).
_PLAIN_KINDS = frozenset({"id", "text", "texts", "choice", "area", "number"})
_PLANS: dict[int, _Plan] = {}


def _plan(rule_set: RuleSet | None = None) -> _Plan:
    """Return the plan of ``rule_set`` (the current ``geo.rules.RULES`` by default), made once."""
    rs = rules.RULES if rule_set is None else rule_set
    plan = _PLANS.get(id(rs))
    if plan is not None and plan.rules is rs:
        return plan
    with_geometry = [r for r in rs if r.located or r.geometries]
    sourced = tuple(
        (r.name, r.source, r.source_needless, r.source_alone)
        for r in rs
        if r.source is not None and r.kind != "figures"
    )
    located = tuple(r for r in rs if r.located)
    choices = tuple(
        (r.name, rs.allowed(r.name), not r.required, r.category)
        for r in rs
        if r.kind == "choice" and r not in with_geometry
    )
    plan = _Plan(
        rules=rs,
        each=tuple(r for r in rs if r not in with_geometry or r.kind == "text"),
        sourced=sourced,
        paired=frozenset(source for _, source, _, alone in sourced if not alone),
        located=located,
        unlocated=tuple((r.name, r.unlocated) for r in rs if r.unlocated is not None),
        by_geometry=tuple(
            (r.name, rs.allowed(r.name), r.geometries) for r in rs if r.geometries and r.kind == "choice"
        ),
        required_texts=tuple(name for name in rs.of_kind("text") if name in rs.required),
        texts=tuple(name for name in rs.of_kind("text") if name not in rs.required),
        lists=rs.of_kind("texts"),
        choices=choices,
        required_choices=tuple((c[0], c[1]) for c in choices if not c[2]),
        optional_choices=tuple((c[0], c[1], c[3]) for c in choices if c[2] or c[3] is not None),
        ranges=tuple((r.name, *r.bounds) for r in rs if r.kind in ("area", "number") and r not in with_geometry),
        unplain=tuple(r.name for r in rs if r.kind not in _PLAIN_KINDS),
        located_texts=tuple(r.name for r in located if r.kind == "text"),
        located_choices=tuple(
            (r.name, rs.allowed(r.name) - set(CONVERTED_DATUMS)) for r in located if r.kind == "choice"
        ),
        located_ranges=tuple((r.name, *r.bounds) for r in located if r.kind in ("area", "number")),
    )
    _PLANS.clear()  # one rule set is in use at a time
    _PLANS[id(rs)] = plan
    return plan


# ---- the full check: every problem, worded


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


def _check_choice(props: Mapping[str, Any], rule: FieldRule, where: str, *, nullable: bool) -> list[Problem]:
    value = props.get(rule.name)
    if value is None and nullable:
        return []
    if value not in rule.choices:
        return [Problem(where, rule.name, f"{rule.name} must be one of {', '.join(rule.choices)}, got {value!r}")]
    return []


def _range_text(rule: FieldRule) -> str:
    """Word a field's range: ``>= 0``, ``> 0 and at most 600000000``."""
    parts = [
        f"> {rule.exclusive_minimum:g}" if rule.exclusive_minimum is not None else "",
        f">= {rule.minimum:g}" if rule.minimum is not None else "",
        f"at most {rule.maximum:.0f}" if rule.maximum is not None else "",
    ]
    return " and ".join(p for p in parts if p)


def _check_area(value: Any, where: str, rule: FieldRule) -> list[Problem]:
    key = rule.name
    if value is None:
        return []
    if not _is_number(value) or not math.isfinite(value):
        return [Problem(where, key, f"{key} must be a finite number of square metres, got {value!r}")]
    xlo, lo, hi = rule.bounds
    if not (xlo < value and lo <= value):
        low = f"> {rule.exclusive_minimum:g}" if rule.exclusive_minimum is not None else f">= {rule.minimum:g}"
        return [Problem(where, key, f"{key} must be {low}, got {value!r}")]
    if value > hi:
        return [Problem(where, key, f"{key} must be at most {hi:.0f} m², got {value!r}")]
    return []


def _check_number(props: Mapping[str, Any], rule: FieldRule, where: str, *, located: bool) -> list[Problem]:
    """Check a number against its range; with ``located`` it is required (a located place's ``uncertainty_m``)."""
    value = props.get(rule.name)
    if value is None and not located:
        return []
    if value is None or not _is_number(value) or not rule.admits(value):
        text = f"{rule.name} must be a number {_range_text(rule)}{' for a located place' if located else ''}"
        return [Problem(where, rule.name, f"{text}, got {value!r}")]
    return []


def _check_figures(props: Mapping[str, Any], key: str, where: str) -> list[Problem]:
    figures = props.get(key)
    if figures is None:
        return []
    if not isinstance(figures, Mapping):
        return [Problem(where, key, f"{key} must be an object of numbers, got {figures!r}")]
    return [
        Problem(where, key, f"{key}.{name} must be a finite number, got {value!r}")
        for name, value in figures.items()
        if not _is_number(value) or not math.isfinite(value)
    ]


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


def _check_positions(props: Mapping[str, Any], key: str, where: str) -> list[Problem]:
    """Positions (entrances) are WGS-84 ``[lon, lat]`` inside the district's extent."""
    value = props.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        return [Problem(where, key, f"{key} must be a non-empty list of [lon, lat] positions, got {value!r}")]
    for k, pos in enumerate(value):
        if not isinstance(pos, list) or len(pos) != 2:
            return [Problem(where, key, f"{key}[{k}] must be [lon, lat], got {pos!r}")]
        bad = check_lonlat(pos[0], pos[1], field=f"{key}[{k}]")
        if bad:
            return [Problem(where, key, str(bad[0]))]
        if _check_inside(pos[0], pos[1], where):
            text = f"{key}[{k}] {pos!r} is outside the district's extent {DISTRICT_BBOX!r}"
            return [Problem(where, key, text, "outside")]
    return []


def _check_id(props: Mapping[str, Any], rule: FieldRule, where: str) -> list[Problem]:
    value = props.get(rule.name)
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        return [
            Problem(where, rule.name, f"{rule.name} must be lower-case ASCII letters, digits and '-', got {value!r}")
        ]
    return []


def _check_set_choice(props: Mapping[str, Any], rule: FieldRule, where: str) -> list[Problem]:
    """Check a choice that is set: one of its values, on a place of its category (a park class on a park)."""
    problems = _check_choice(props, rule, where, nullable=True)
    if rule.category is not None and props.get("category") != rule.category:
        text = f"{rule.name} is set but category is {props.get('category')!r}"
        problems.append(Problem(where, rule.name, text, "conflict"))
    return problems


#: How a set value of each kind is checked (a figure's sources are checked with its figures).
_BY_KIND: dict[str, Callable[[Mapping[str, Any], FieldRule, str], list[Problem]]] = {
    "id": _check_id,
    "text": lambda props, rule, where: _check_text(props, rule.name, where, required=False),
    "texts": lambda props, rule, where: _check_texts(props, rule.name, where),
    "choice": _check_set_choice,
    "area": lambda props, rule, where: _check_area(props.get(rule.name), where, rule),
    "number": lambda props, rule, where: _check_number(props, rule, where, located=False),
    "figures": lambda props, rule, where: _check_figures(props, rule.name, where),
    "figure_sources": lambda props, rule, where: [],
    "positions": lambda props, rule, where: _check_positions(props, rule.name, where),
}


def _check_fields(props: Mapping[str, Any], where: str, plan: _Plan, *, located: bool) -> list[Problem]:
    """Check every set property by its kind, in the file's order; a source needed by its value is left to that rule."""
    get = props.get
    needed = [
        source
        for name, source, needless, alone in plan.sourced
        if not alone or (get(name) is not None and get(name) not in needless)
    ]
    problems: list[Problem] = []
    for rule in plan.each:
        if get(rule.name) is None or rule.name in needed or (located and rule.located):
            continue
        problems += _BY_KIND[rule.kind](props, rule, where)
    return problems


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
        if box is not None and (
            not isinstance(box, list)
            or len(box) not in (4, 6)
            or not all(_is_number(v) and math.isfinite(v) for v in box)
        ):
            problems.append(Problem(where, label, f"{label} must be 4 or 6 finite numbers (RFC 7946 §5), got {box!r}"))
    return problems


def _check_figure_sources(props: Mapping[str, Any], key: str, source_key: str, where: str) -> list[Problem]:
    """Each stated figure names its source, under the same name, and each source names a figure."""
    figures, sources = props.get(key), props.get(source_key)
    if figures is None and sources is None:
        return []
    if sources is not None and not isinstance(sources, Mapping):
        return [Problem(where, source_key, f"{source_key} must be an object of texts, got {sources!r}")]
    keys = set(figures) if isinstance(figures, Mapping) else set()
    given = dict(sources or {})
    problems = [
        Problem(
            where, source_key, f'{source_key}.{name} is required ("report" or the source of {key}.{name})', "missing"
        )
        for name in sorted(keys - given.keys())
    ]
    problems += [
        Problem(where, source_key, f"{source_key}.{name} names no figure") for name in sorted(given.keys() - keys)
    ]
    for name in sorted(keys & given.keys()):
        if not isinstance(given[name], str) or not given[name].strip():
            problems.append(
                Problem(where, source_key, f"{source_key}.{name} must be non-empty text, got {given[name]!r}")
            )
        elif not _plain_text(given[name]) and (bad := text_problem(given[name], f"{source_key}.{name}")):
            problems.append(Problem(where, source_key, bad))
    return problems


def _check_sources(props: Mapping[str, Any], where: str, plan: _Plan) -> list[Problem]:
    """Every stated value (a known status, an area, a quote, each figure) names its source (``"report"`` or another)."""
    problems: list[Problem] = []
    for name, source, needless, alone in plan.sourced:
        value = props.get(name)
        if value is not None and value not in needless:
            problems += _check_text(props, source, where, required=True)
        elif not alone and value is None and props.get(source) is not None:
            text = f"{source} is set but {name} is null, got {props.get(source)!r}"
            problems.append(Problem(where, source, text, "conflict"))
    for rule in plan.rules:
        if rule.kind == "figures" and rule.source is not None:
            problems += _check_figure_sources(props, rule.name, rule.source, where)
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


def _check_original(props: Mapping[str, Any], geom: Any, where: str, key: str) -> list[Problem]:
    """Check that a point converted from GCJ-02 or BD-09 keeps the coordinates it came with, and that they convert to it."""
    original, datum = props.get(key), props.get("datum_in")
    if datum in CONVERTED_DATUMS and geom.get("type") == "Point":
        # A converted outline would double the file, so it keeps only the datum it came in.
        if not isinstance(original, list) or len(original) != 2 or check_lonlat(*original) != []:
            text = f"{key} must be the [lon, lat] the source gave in {datum}, got {original!r}"
            return [Problem(where, key, text)]
        lon, lat = to_wgs84(original[0], original[1], datum)
        got = geom["coordinates"]
        if max(abs(lon - got[0]), abs(lat - got[1])) > _DATUM_TOLERANCE_DEG:
            text = f"geometry {got!r} is not {key} {original!r} converted from {datum} to WGS-84 ({lon:.7f}, {lat:.7f})"
            return [Problem(where, "geometry", text, "conflict")]
    elif original is not None and geom.get("type") != "Point":
        return [Problem(where, key, f"{key} is only kept for points, got {original!r}")]
    return []


def _check_provenance(props: Mapping[str, Any], geom: Any, where: str, plan: _Plan) -> list[Problem]:
    """Check that a located place says how, from which source, in which datum and how well; an unlocated one, ``none``."""
    problems: list[Problem] = []
    if geom is None:
        for key, none in plan.unlocated:
            if props.get(key) not in (None, none):
                problems.append(Problem(where, key, f"{key} must be {none!r} without geometry, got {props.get(key)!r}"))
        return problems
    for key, none in plan.unlocated:
        if props.get(key) == none:
            problems.append(Problem(where, key, f"{key} is {none!r} but the place has a geometry", "conflict"))
    for rule in plan.located:
        if rule.kind == "text":
            problems += _check_text(props, rule.name, where, required=True)
        elif rule.kind == "choice":
            problems += _check_choice(props, rule, where, nullable=False)
        else:
            problems += _check_number(props, rule, where, located=True)
    for rule in plan.rules:
        if rule.kind == "lonlat":
            problems += _check_original(props, geom, where, rule.name)
    kind = geom.get("type")
    for key, _, kinds in plan.by_geometry:
        if kind in kinds:
            problems += _check_choice(props, plan.rules[key], where, nullable=False)
        elif props.get(key) is not None:
            problems.append(Problem(where, key, f"{key} must be null for a {kind}, got {props.get(key)!r}"))
    return problems


def check_feature(feature: Any, index: int | None = None) -> list[Problem]:
    """Return every problem of one GeoJSON Feature against the model.

    Each property is checked by its kind as :data:`geo.rules.RULES` declares it, in the file's order;
    then the rules between fields (sources, the geometry and its provenance).

    Parameters
    ----------
    feature : Any
        The decoded JSON object.
    index : int, optional
        Position in the collection, used when the feature has no usable id.

    Returns
    -------
    list of Problem
        One per problem (``str()`` is ``"<id>: <field> ... got <value>"``); empty when valid.
    """
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        got = feature.get("type") if isinstance(feature, Mapping) else type(feature).__name__
        return [Problem(f"feature[{index}]", "type", f"type must be 'Feature', got {got!r}")]
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        return [Problem(f"feature[{index}]", "properties", f"properties must be an object, got {props!r}")]
    plan = _plan()
    where = _where(props, index)
    problems: list[Problem] = []
    if "geometry" not in feature:
        problems.append(Problem(where, "geometry", "geometry member is required (null when unlocated)", "missing"))
    problems += _check_members(feature, where)
    problems += [
        Problem(where, key, f"{key} is required", "missing") for key in plan.rules.required if props.get(key) is None
    ]
    geom = feature.get("geometry")
    problems += _check_fields(props, where, plan, located=geom is not None)
    problems += _check_sources(props, where, plan)
    geom_problems = _check_geometry(geom, where)
    problems += geom_problems
    if not geom_problems:
        problems += _check_provenance(props, geom, where, plan)
    return problems


# ---- the fast path: True only where the full check certainly finds nothing

_NUMBER = (int, float)


def _plainly_valid(feature: Any, outlines: list[int] | None = None, index: int = -1, plan: _Plan | None = None) -> bool:
    """Return True only for a feature that certainly passes :func:`check_feature`.

    A fast path for the common case (a point in WGS-84, or no geometry, plain
    texts and lists of plain texts); anything else returns False and
    gets the full check, which alone writes messages. ``tests/test_model.py``
    checks that this never accepts what the full check refuses. With ``outlines``,
    an outline whose properties plainly pass returns True with its ``index``
    appended: the caller checks those geometries all at once (:func:`geo.geojson.plain_outlines`).
    Its rules are the rule set's (``plan``, :func:`_plan` by default; a caller checking many places passes it once).
    """
    # Written for speed (it runs once per place on every load): local lookups over the plan's small tuples;
    # the text rule is one compiled pattern and str.isprintable for all of a place's texts, never a loop over characters.
    if type(feature) is not dict or feature.get("type") != "Feature" or "geometry" not in feature or len(feature) != 3:
        return False  # other members (an id, a bbox, foreign ones) get the full check
    p = feature.get("properties")
    if type(p) is not dict:
        return False
    v = plan or _plan()
    get = p.get
    ident = get("id")
    if type(ident) is not str or not _ID_RE.fullmatch(ident) or not _plain_texts(p, v):
        return False
    try:
        return _plain_values(get, feature["geometry"], v, outlines, index)
    except TypeError:  # an unhashable value (a list, an object) where a choice goes: not plain
        return False


def _plain_values(get: Callable[[str], Any], geom: Any, v: _Plan, outlines: list[int] | None, index: int) -> bool:
    """Say whether a place's choices, sources, numbers and geometry plainly pass (the rest of :func:`_plainly_valid`).

    A choice is looked up in its set at once: a value that is not text is in no set of texts, and an
    unhashable one raises TypeError, which the caller takes as "not plain".
    """
    for key, allowed in v.required_choices:
        if get(key) not in allowed:
            return False
    for key, allowed, category in v.optional_choices:
        value = get(key)
        if value is not None and (value not in allowed or (category is not None and get("category") != category)):
            return False
    for key in v.unplain:
        if get(key) is not None:
            return False
    for key, source, needless, alone in v.sourced:
        value = get(key)
        if value is None:
            if not alone and get(source) is not None:
                return False
        elif get(source) is None and value not in needless:
            return False
    for key, xlo, lo, hi in v.ranges:
        value = get(key)
        if value is not None and (type(value) not in _NUMBER or not (xlo < value and lo <= value <= hi)):
            return False  # NaN fails the comparisons too
    if geom is None:
        return all(get(key) == none for key, none in v.unlocated)
    if type(geom) is not dict:
        return False
    for key, none in v.unlocated:
        if get(key) == none:
            return False
    kind = geom.get("type")
    if kind != "Point":
        if outlines is None or kind not in ("Polygon", "MultiPolygon"):
            return False
    else:
        coords = geom.get("coordinates")
        if type(coords) is not list or len(coords) != 2 or len(geom) != 2:
            return False
        lon, lat = coords
        if type(lon) is not float or type(lat) is not float:
            return False
        w, s, e, n = DISTRICT_BBOX
        if not (w <= lon <= e and s <= lat <= n):  # also refuses NaN
            return False
    for key, allowed, kinds in v.by_geometry:
        if (get(key) not in allowed) if kind in kinds else (get(key) is not None):
            return False
    for key in v.located_texts:
        if get(key) is None:
            return False
    for key, allowed in v.located_choices:
        if get(key) not in allowed:
            return False
    for key, xlo, lo, hi in v.located_ranges:
        value = get(key)
        if type(value) not in _NUMBER or not (xlo < value and lo <= value <= hi):
            return False
    if outlines is not None and kind != "Point":
        outlines.append(index)
    return True


def _plain_texts(p: dict[str, Any], v: _Plan) -> bool:
    """Say whether every text field and every item of a list of texts plainly passes the text rule.

    A required text (the name) must be there. Each text is looked at once for its type, blankness and first
    character; then all of them, joined, pass ``str.isprintable`` and one search of :data:`_INVISIBLE`: two C
    calls per place, not per text.
    """
    texts: list[Any] = list(map(p.get, v.required_texts))  # a missing one is None, which fails below
    for key in v.texts:
        value = p.get(key)
        if value is not None:
            texts.append(value)
    for key in v.lists:  # lists of plain texts are common (the report's places have aliases)
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

_IDS_RE = re.compile(f"(?:{ID_PATTERN}\n)*")
_NONE = type(None)


def plainly_valid(features: Sequence[Any]) -> Any:
    """Return a numpy bool per feature: True only where :func:`check_feature` certainly finds nothing.

    The rules of :func:`_plainly_valid`, each checked over a whole column (every place's name, every
    place's category, ...) with one C call where the column is plain, and place by place only for a
    column that is not. Where it says False the full check decides. ``tests/test_model.py`` checks that
    it never accepts what the full check refuses.

    Parameters
    ----------
    features : sequence
        Decoded features.

    Returns
    -------
    numpy.ndarray of bool
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

    Parameters
    ----------
    props : sequence of mapping
        Each place's properties.
    complete : bool
        Raise KeyError for a place without every property, instead of filling None.

    Returns
    -------
    dict
        One column per property of :data:`PROPERTY_ORDER`.
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


def plainly_valid_columns(
    col: Mapping[str, Sequence[Any]], geoms: Sequence[Any], *, outlines: list[int] | None = None
) -> Any:
    """Return :func:`plainly_valid` of places given as columns (:func:`property_columns`) and their geometries.

    Each feature must already be a plain ``{"type": "Feature", "geometry", "properties"}`` object.

    Parameters
    ----------
    col : mapping
        One column per property.
    geoms : sequence
        Each place's decoded geometry.
    outlines : list of int, optional
        As :func:`_plainly_valid`'s: given, an outline (Polygon or MultiPolygon) whose properties plainly
        pass is True and its index is appended; the caller must then check those geometries
        (:func:`geo.geojson.plain_outlines`) before taking them as valid.

    Returns
    -------
    numpy.ndarray of bool
    """
    import numpy as np

    plan = _plan()
    ok = np.ones(len(geoms), bool) if _all_ids(col["id"]) else _each(col["id"], _plain_id)
    for key in plan.required_texts:
        ok &= _text_column(col[key], required=True)
    for key in plan.texts:
        ok &= _text_column(col[key], required=False)
    for key in plan.lists:
        ok &= _list_column(col[key])
    ok &= _choice_rules(col, plan, len(geoms))
    ok &= _number_rules(col, plan.ranges)
    located, outline = _geometry_rules(geoms, col, plan, outlines is not None)
    ok &= located
    if outlines is not None:
        outlines += np.flatnonzero(ok & outline).tolist()
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
    """Say whether every text of a column plainly passes the text rule: a few C calls for the whole column.

    Each distinct text is looked at once: a column of a million cells of a few sources costs one pass to
    find them, not a million texts joined and searched.
    """
    if not set(map(type, texts)) <= {str}:
        return False
    distinct = set(texts)
    if "" in distinct or any(map(str.isspace, distinct)):
        return False
    if not all(map(_plain_first, set(map(operator.itemgetter(0), distinct)))):
        return False
    joined = "|".join(distinct)
    # Every character of _INVISIBLE is past ASCII, and str.isascii is a flag CPython keeps: an ASCII column
    # (English names, most sources) needs no search.
    return joined.isprintable() and (joined.isascii() or _INVISIBLE.search(joined) is None)


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
    if kinds <= {str, _NONE} and set(values) - {None} <= set(allowed):
        return True if nullable or _NONE not in kinds else ~_is(values, None)
    return _each(values, lambda v: (nullable and v is None) or (type(v) is str and v in allowed))


def _equal(values: Sequence[Any], value: Any) -> Any:
    """Return where each cell equals ``value``, at C speed."""
    import numpy as np

    return np.fromiter(map(operator.eq, values, itertools.repeat(value)), bool, len(values))


def _choice_rules(col: Mapping[str, Sequence[Any]], plan: _Plan, n: int) -> Any:
    """Vocabularies, and the rules between two fields (a park class on a park, each source with its value)."""
    import numpy as np

    ok = np.ones(n, bool)
    for key, allowed, nullable, category in plan.choices:
        cell = _choice(col[key], allowed, nullable=nullable)
        if category is not None:
            cell = _is(col[key], None) | (_equal(col["category"], category) & cell)
        ok &= cell
    for key in plan.unplain:
        ok &= _is(col[key], None)
    for key, source, needless, alone in plan.sourced:
        given = ~_is(col[source], None)
        free = _is(col[key], None)
        for value in needless:
            free |= _equal(col[key], value)
        ok &= free | given
        if not alone:
            ok &= ~free | ~given
    return ok


def _in_range(values: Sequence[Any], xlo: float, lo: float, hi: float, *, nullable: bool) -> Any:
    """Where each cell is a number (not a boolean) with ``xlo < v`` and ``lo <= v <= hi``, or null if ``nullable``.

    A column of floats, integers and nulls is compared as one float array (null and NaN fail every
    comparison); an integer too large for a float to hold exactly, or any other type, is looked at cell by cell.
    """
    import numpy as np

    kinds = set(map(type, values))
    if kinds <= {float, int, _NONE}:
        try:
            x = np.array(values, dtype=float)
        except (OverflowError, ValueError, TypeError):
            x = None
        if x is not None and (int not in kinds or not (np.abs(x) >= 2.0**53).any()):
            ok = (xlo < x) & (lo <= x) & (x <= hi)
            return ok | _is(values, None) if nullable and _NONE in kinds else ok
    if nullable:
        return _each(values, lambda v: v is None or (type(v) in _NUMBER and xlo < v and lo <= v <= hi))
    return _each(values, lambda v: type(v) in _NUMBER and xlo < v and lo <= v <= hi)


def _number_rules(col: Mapping[str, Sequence[Any]], ranges: Sequence[tuple[str, float, float, float]]) -> Any:
    ok: Any = True
    for key, xlo, lo, hi in ranges:
        ok = ok & _in_range(col[key], xlo, lo, hi, nullable=True)
    return ok


def _geometry_rules(geoms: Sequence[Any], col: Mapping[str, Sequence[Any]], plan: _Plan, outlines: bool) -> Any:
    """Ask for a point in WGS-84 inside the district, with its provenance; or no geometry, said so.

    With ``outlines``, a Polygon or MultiPolygon passes too; its shape is the caller's to check
    (:func:`geo.geojson.plain_outlines`). Returns the verdict and where the geometry is an outline.
    """
    import numpy as np

    unlocated = _is(geoms, None)
    all_none, some_none = np.ones(len(geoms), bool), np.zeros(len(geoms), bool)
    for key, none in plan.unlocated:
        said = _equal(col[key], none)
        all_none &= said
        some_none |= said
    types = _geometry_types(geoms, unlocated)
    point, xy = _points(geoms, types)
    w, s, e, n = DISTRICT_BBOX
    inside = (w <= xy[:, 0]) & (xy[:, 0] <= e) & (s <= xy[:, 1]) & (xy[:, 1] <= n)  # NaN is outside
    kinds = {"Point": point & inside}
    if outlines:
        kinds["Polygon"], kinds["MultiPolygon"] = types == "Polygon", types == "MultiPolygon"
    located = np.logical_or.reduce(list(kinds.values())) & ~some_none
    for key in plan.located_texts:
        located &= ~_is(col[key], None)
    for key, allowed in plan.located_choices:
        located &= _choice(col[key], allowed)
    for key, xlo, lo, hi in plan.located_ranges:
        located &= _in_range(col[key], xlo, lo, hi, nullable=False)
    for key, allowed, on in plan.by_geometry:
        chosen, empty = _choice(col[key], allowed), _is(col[key], None)
        located &= np.logical_or.reduce([shape & (chosen if kind in on else empty) for kind, shape in kinds.items()])
    outline = (kinds["Polygon"] | kinds["MultiPolygon"]) if outlines else np.zeros(len(geoms), bool)
    return (unlocated & all_none) | located, outline


def _geometry_types(geoms: Sequence[Any], unlocated: Any) -> Any:
    """Each geometry's ``type`` member as an object array (None for no geometry or one that is not an object)."""
    import numpy as np

    types = np.full(len(geoms), None, dtype=object)
    try:
        types[~unlocated] = list(
            map(dict.get, itertools.compress(geoms, (~unlocated).tolist()), itertools.repeat("type"))
        )
    except TypeError:  # a geometry that is not an object
        types[:] = [g.get("type") if type(g) is dict else None for g in geoms]
    return types


def _points(geoms: Sequence[Any], types: Any) -> tuple[Any, Any]:
    """Where the geometry is a plain point (:func:`_plain_point`), and the points' lon/lat (NaN elsewhere).

    A column of plain points is read in a few C-level passes (each geometry two members, each position a
    list of two floats); any other is looked at place by place.
    """
    import numpy as np

    xy = np.full((len(geoms), 2), np.nan)
    point = np.asarray(types == "Point", dtype=bool)
    at = np.flatnonzero(point)
    if not len(at):
        return point, xy
    shapes = [geoms[i] for i in at.tolist()]
    coords: list[Any] = list(map(dict.get, shapes, itertools.repeat("coordinates")))
    if set(map(len, shapes)) == {2} and set(map(type, coords)) == {list} and set(map(len, coords)) == {2}:
        flat = list(itertools.chain.from_iterable(coords))
        if set(map(type, flat)) == {float}:
            xy[at] = np.array(flat, dtype=float).reshape(-1, 2)
            return point, xy
    point = _each(geoms, _plain_point)
    if point.any():
        xy[point] = [g["coordinates"] for g in itertools.compress(geoms, point.tolist())]
    return point, xy


def _plain_point(geom: Any) -> bool:
    if type(geom) is not dict or len(geom) != 2 or geom.get("type") != "Point":
        return False
    coords = geom.get("coordinates")
    return type(coords) is list and len(coords) == 2 and type(coords[0]) is float and type(coords[1]) is float


def check_district_figures(metadata: Any) -> list[Problem]:
    """Return the problems of the figures a source gives for the district as a whole.

    They live in the collection's ``metadata.district_figures``: a list of
    ``{"key", "value", "subject", "source", "quote", "quote_source"}``, ``source``
    being ``"report"`` for the report's own figures.

    Parameters
    ----------
    metadata : Any
        The collection's ``metadata`` member.

    Returns
    -------
    list of Problem
        Empty when there are no figures or they are all sound.
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
    plan = _plan()
    plain = [_plainly_valid(feature, outlines, i, plan) for i, feature in enumerate(features)]
    if outlines:
        for i, ok in zip(
            outlines, plain_outlines([features[i]["geometry"] for i in outlines], DISTRICT_BBOX), strict=True
        ):
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


@shared_docs(raises=("invalid",))
def validate_collection(obj: Any) -> list[Place]:
    """Validate a FeatureCollection and return its places.

    Parameters
    ----------
    obj : Any
        The decoded JSON document, as :func:`check_collection` takes it.

    Returns
    -------
    list of Place
    """
    problems = check_collection(obj)
    if problems:
        raise ValidationError(problems)
    return [Place(properties=f["properties"], geometry=f["geometry"]) for f in obj["features"]]


@shared_docs(raises=("invalid",))
def validate_place(feature: Mapping[str, Any]) -> Place:
    """Validate one Feature and return it as a :class:`Place`.

    Returns
    -------
    Place
    """
    problems = check_feature(feature)
    if problems:
        raise ValidationError(problems)
    return Place(properties=dict(feature["properties"]), geometry=feature.get("geometry"))
