"""Turn a report's text into candidate places: one per place, its mentions merged, matched to the data.

:func:`extract` mends the text (:mod:`~geo.extract.cleaning`), reads traditional characters as
simplified (OpenCC's ``t2s`` tables, from the ``opencc`` wheel), finds the mentions of every
sentence (:mod:`~geo.extract.finding`), merges the mentions of one place by its *core* name (the
name without an administrative prefix or a generic tail such as 小区 or 口袋公园) and matches each
candidate to an existing place by name, alias or core name (compared with
:func:`geo.model.text_key`, the key of the duplicate check).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.extract.cleaning import Cleaned, clean, sentences
from geo.extract.figures import Figure
from geo.extract.finding import Mention, SentenceFinds, find_in_sentence
from geo.extract.lexicon import ADMIN_PREFIXES
from geo.model import text_key

__all__ = ["CANDIDATE_KEYS", "Candidate", "core_key", "extract", "to_simplified"]

#: The keys of a candidate, in order (``geo extract --format json`` prints exactly these).
CANDIDATE_KEYS = (
    "name",
    "aliases",
    "category",
    "park_class",
    "address",
    "stated_area_m2",
    "figures",
    "status",
    "quote",
    "quote_at",
    "confidence",
    "matches",
    "notes",
)
_STAGE = {"unknown": 0, "planned": 1, "under_construction": 2, "open": 3}
#: How a note names a figure (Chinese, English): readers of the map see notes.
_FIGURE_LABELS = {
    "stated_area_m2": ("面积", "area"),
    "water_area_m2": ("水面面积", "water area"),
    "green_area_m2": ("绿化面积", "green area"),
    "floor_area_m2": ("建筑面积", "floor area"),
    "length_m": ("长度", "length"),
    "investment_yuan": ("投资", "investment"),
}
_TAILS = (
    "改造提升工程",
    "提升改造工程",
    "改造工程",
    "扩建工程",
    "提升工程",
    "扩建项目",
    "工程",
    "项目",
    "口袋公园",
    "路段围挡",
    "围挡",
    "路段",
    "小区",
    "地块",
)


@dataclass
class Candidate:
    """One place a report names, ready for review (see :data:`CANDIDATE_KEYS`)."""

    name: str
    category: str
    status: str
    quote: str
    quote_at: dict[str, int]
    confidence: float
    aliases: list[str] = field(default_factory=list)
    park_class: str | None = None
    address: str | None = None
    stated_area_m2: float | None = None
    figures: dict[str, float] = field(default_factory=dict)
    matches: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the candidate as a JSON-ready dict with exactly :data:`CANDIDATE_KEYS`.

        Returns
        -------
        dict
            Whole numbers as ints, the rest as stored.
        """
        area = self.stated_area_m2
        figures = {k: (int(v) if float(v).is_integer() else v) for k, v in self.figures.items()}
        values = {
            **self.__dict__,
            "stated_area_m2": int(area) if area is not None and area.is_integer() else area,
            "figures": figures,
        }
        return {key: values[key] for key in CANDIDATE_KEYS}


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Return text in simplified characters, one character for one (so offsets stay valid).

    Parameters
    ----------
    text : str
        Text in traditional or simplified characters.

    Returns
    -------
    str
        The text, as long as it was.
    """
    if text.isascii():
        return text
    out = _converter().convert(text)
    if len(out) == len(text):
        return str(out)
    return "".join(c if len(s := _converter().convert(c)) != 1 else s for c in text)


def core_key(name: str) -> str:
    """Return the key two names of one place share: simplified, :func:`geo.model.text_key`, no admin prefix or generic tail.

    Parameters
    ----------
    name : str
        A place's name.

    Returns
    -------
    str
        The comparison key.
    """
    key = text_key(to_simplified(name))
    changed = True
    while changed:
        changed = False
        for prefix in ADMIN_PREFIXES:
            if key.startswith(prefix) and len(key) - len(prefix) >= 3:
                key, changed = key[len(prefix) :], True
    for tail in _TAILS:
        if key.endswith(tail) and len(key) - len(tail) >= 2:
            return key[: -len(tail)]
    return key


def _place_keys(places: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Map every name, alias and core name of the existing places to the place's id (first place wins)."""
    keys: dict[str, str] = {}
    for feature in places:
        props = feature.get("properties") or {}
        names = [props.get("name"), *(props.get("aliases") or [])]
        for name in (n for n in names if isinstance(n, str) and n.strip()):
            keys.setdefault(text_key(name), props["id"])
            keys.setdefault(core_key(name), props["id"])
    return keys


def _finds(simple: str) -> list[tuple[int, int, SentenceFinds]]:
    """Find every sentence's mentions; a sentence that refers back ("公园占地…") lends its figures to the last place."""
    out: list[tuple[int, int, SentenceFinds]] = []
    for i, sentence in enumerate(sentences(simple)):
        finds = find_in_sentence(sentence.text, i)
        for m in finds.mentions:
            m.start += sentence.start
            m.end += sentence.start
            m.address_at += sentence.start
        previous = out[-1][2].mentions if out else []
        if not finds.mentions and previous and len({core_key(m.name) for m in previous}) == 1:
            previous[-1].figures += finds.orphans
            previous[-1].address = previous[-1].address or finds.orphan_address
        out.append((sentence.start, sentence.end, finds))
    return out


def _confidence(group: list[Mention], area: float | None, address: str | None) -> float:
    strength = max(m.strength for m in group)
    score = {2: 0.75, 1: 0.6}.get(strength, 0.5)
    score += 0.1 * (len({m.via for m in group}) > 1) + 0.1 * (area is not None) + 0.1 * (address is not None)
    score += 0.05 * (len(group) > 1)
    return round(min(score, 0.95), 2)


def _figures(group: list[Mention], candidate: Candidate) -> None:
    """Fill the stated area (the first one) and the other figures; approximate figures get a note."""
    seen: list[Figure] = [f for m in group for f in m.figures]
    for fig in seen:
        if fig.key == "stated_area_m2" and candidate.stated_area_m2 is None:
            candidate.stated_area_m2 = fig.value
        elif fig.key != "stated_area_m2":
            candidate.figures.setdefault(fig.key, fig.value)
        else:
            continue
        zh, en = _FIGURE_LABELS.get(fig.key, (fig.key, fig.key))
        if fig.hedge:
            candidate.notes.append(
                f"{zh}为约数：报道写作“{fig.written}” (approximate {en}: the report writes {fig.written})"
            )


def _candidate(group: list[Mention], written: str, cleaned: Cleaned, spans: dict[int, tuple[int, int]]) -> Candidate:
    first = group[0]
    names = [written[m.start : m.end] for m in group]
    best = max(group, key=lambda m: (m.strength, m.via == "list"))
    cls = next((m.park_class for m in group if m.park_class and m.category == best.category), None)
    quoted = next((m for m in group if m.address or m.figures), first)
    q_start, q_end = spans[quoted.sentence]
    status = max((m.status for m in group), key=_STAGE.__getitem__)
    address = next((written[m.address_at : m.address_at + len(m.address)] for m in group if m.address), None)
    aliases = [n for n in dict.fromkeys([*names, *(to_simplified(n) for n in names)]) if n != names[0]]
    candidate = Candidate(
        name=names[0],
        aliases=aliases,
        category=best.category,
        park_class=cls if best.category == "park" else None,
        status=status,
        quote=written[q_start:q_end],
        confidence=0.0,
        address=address,
        quote_at={"line": cleaned.line_of(q_start), "offset": cleaned.origin[q_start] if cleaned.origin else 0},
    )
    _figures(group, candidate)
    candidate.confidence = _confidence(group, candidate.stated_area_m2, address)
    return candidate


def extract(text: str, *, places: Iterable[Mapping[str, Any]] = ()) -> list[Candidate]:
    """Propose every place a report's text names, one candidate per place.

    Parameters
    ----------
    text : str
        The report, as decoded (PDF-copy noise and traditional characters are handled here).
    places : iterable of GeoJSON Features, optional
        The existing places: a candidate that is one of them says so in ``matches``.

    Returns
    -------
    list of Candidate
        In the order the report first names them.

    Examples
    --------
    >>> [c.name for c in extract("其中，睦邻园位于华远路前进大街东侧，面积7373平方米。")]
    ['睦邻园']
    """
    cleaned = clean(text)
    simple = to_simplified(cleaned.text)
    groups: dict[str, list[Mention]] = {}
    spans: dict[int, tuple[int, int]] = {}
    for start, end, finds in _finds(simple):
        for m in finds.mentions:
            spans[m.sentence] = (start, end)
            groups.setdefault(core_key(m.name), []).append(m)
    keys = _place_keys(places)
    out = []
    for key, group in groups.items():
        candidate = _candidate(group, cleaned.text, cleaned, spans)
        names = [candidate.name, *candidate.aliases]
        candidate.matches = keys.get(key) or next((keys[k] for n in names if (k := text_key(n)) in keys), None)
        out.append(candidate)
    return out
