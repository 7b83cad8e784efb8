"""Read the figures of a sentence: areas (normalised to m²), lengths and investments, with their hedges.

An area counts as the place's own (``stated_area_m2``) only when a word says it is the place's
extent (面积, 占地, 总面积, 规划面积, 用地); an area of a part (其中水面…, 绿化面积…, 建筑面积…) is a
figure with its own key, and an area without any such word is left alone (it is often a district
total that happens to stand in the sentence). "约", "近", "超" and the like are kept as a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extract.lexicon import PART_AREAS, UNITS_M2

__all__ = ["Figure", "find_figures", "parse_number"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
_HEDGE = r"约|近|逾|超过|超|达|共|计|总计|合计|将近|大约"
_AREA_UNITS = "|".join(re.escape(u) for u, _ in UNITS_M2)
_AREA = re.compile(rf"(?P<hedge>{_HEDGE})?(?P<num>{_NUM})(?P<more>余|多)?(?P<unit>{_AREA_UNITS})")
_LENGTH = re.compile(
    rf"(?:全长|总长|长度|长)(?P<hedge>{_HEDGE})?(?P<num>{_NUM})(?P<more>余|多)?(?P<unit>公里|千米|km|米|m)(?!²)"
)
_MONEY = re.compile(rf"(?:总投资|投资|投入)(?P<hedge>{_HEDGE})?(?P<num>{_NUM})(?P<more>余|多)?(?P<unit>亿元|万元|元)")
_OWN_AREA = re.compile(r"(?:面积|占地|用地|规划|总面积|建成)(?:将|已|可)?(?:达到|达|为|约为|约|近|共|计)*$")
_NOT_HEDGES = frozenset({"达", "共", "计", "总计", "合计"})
_LENGTH_M = {"公里": 1000.0, "千米": 1000.0, "km": 1000.0, "米": 1.0, "m": 1.0}
_MONEY_YUAN = {"亿元": 1e8, "万元": 1e4, "元": 1.0}


@dataclass(frozen=True)
class Figure:
    """One figure of a sentence: ``key`` is ``stated_area_m2`` or a figure key with its unit."""

    key: str
    value: float
    start: int
    end: int
    written: str
    hedge: str | None


def _chinese(text: str) -> float | None:
    whole, _, frac = text.partition("点")
    total, digit = 0, 0
    for ch in whole:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _POWERS:
            total += (digit or 1) * _POWERS[ch]
            digit = 0
        else:
            return None
    value = float(total + digit)
    if frac:
        value += float("0." + "".join(str(_DIGITS[c]) for c in frac))
    return value


def parse_number(text: str) -> float | None:
    """Return the number written in digits (``7,373``, ``12.5``) or Chinese numerals (``十二``).

    Parameters
    ----------
    text : str
        The number as written.

    Returns
    -------
    float or None
        The number, or None when the text is not one.
    """
    if text[:1].isdigit():
        return float(re.sub(r"[,，]", "", text))
    return _chinese(text)


def _tidy(value: float) -> float:
    return float(round(value, 2))


def _hedge(m: re.Match[str]) -> str | None:
    """Return the words that make a figure approximate (约, 近, 超, 余 ...), not those that only stress it (达)."""
    words = [w for w in (m["hedge"], m["more"]) if w and w not in _NOT_HEDGES]
    return "".join(words) or None


def _area_key(before: str) -> str | None:
    """Say whose area follows ``before`` (the clause up to the number): the place's, a part's, or nobody's."""
    for word, key in PART_AREAS:
        if word in before[-8:]:
            return key
    if "其中" in before:
        return "part_area_m2"
    return "stated_area_m2" if _OWN_AREA.search(before[-9:]) else None


def find_figures(sentence: str) -> list[Figure]:
    """Return the areas, lengths and investments of one sentence, in order.

    Parameters
    ----------
    sentence : str

    Returns
    -------
    list of Figure
        Areas in m² (``stated_area_m2`` or a part's key such as ``water_area_m2``), lengths in
        metres (``length_m``), investments in yuan (``investment_yuan``).
    """
    out: list[Figure] = []
    for m in _AREA.finditer(sentence):
        clause_start = max(sentence.rfind(c, 0, m.start()) for c in "，,；;。：:") + 1
        key = _area_key(sentence[clause_start : m.start()])
        number = parse_number(m["num"])
        if key is None or number is None:
            continue
        scale = dict(UNITS_M2)[m["unit"]]
        out.append(Figure(key, _tidy(number * scale), m.start(), m.end(), m.group(), _hedge(m)))
    for pattern, key, units in ((_LENGTH, "length_m", _LENGTH_M), (_MONEY, "investment_yuan", _MONEY_YUAN)):
        for m in pattern.finditer(sentence):
            number = parse_number(m["num"])
            if number is not None:
                value = _tidy(number * units[m["unit"]])
                out.append(Figure(key, value, m.start(), m.end(), m.group(), _hedge(m)))
    return sorted(out, key=lambda f: f.start)
