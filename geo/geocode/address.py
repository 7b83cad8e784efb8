"""Read Chinese addresses: road intersections and positions relative to a place.

Queries longer than :data:`MAX_QUERY_CHARS` are refused before any regular
expression sees them, which bounds the patterns' backtracking (a 60,000
character query once took most of a minute).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from geo.errors import ValidationError

logger = logging.getLogger(__name__)

#: Bearings of the Chinese compass words, clockwise from north.
BEARINGS = {
    "东北": 45.0,
    "东南": 135.0,
    "西南": 225.0,
    "西北": 315.0,
    "东": 90.0,
    "南": 180.0,
    "西": 270.0,
    "北": 0.0,
}
#: Longest query read as an address; real addresses are a few dozen characters.
MAX_QUERY_CHARS = 200
_PREFIXES = ("中国", "吉林省", "长春市", "南关区")
_ROAD = r"(?:大街|大路|环路|快速路|高速|胡同|路|街|道|巷|条)"
_CROSS = r"(?:交会处|交汇处|交叉路口|交叉口|十字路口|路口|交会|交汇|交口)"
_REL = r"(?P<side>东北|东南|西北|西南|东|南|西|北)(?:侧|角|方向|面|边)?(?:约)?(?:(?P<dist>\d+(?:\.\d+)?)\s*(?P<unit>米|m|公里|千米|km))?"
_SEPARATED = re.compile(rf"^(?P<a>.+?)\s*(?:与|和|同|、|/|×|x|X|\s)\s*(?P<b>.+?)\s*{_CROSS}?\s*(?:{_REL})?$")
_JOINED = re.compile(rf"^(?P<a>.+?{_ROAD})(?P<b>.+?{_ROAD})\s*{_CROSS}?\s*(?:{_REL})?$")
_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class ParsedAddress:
    """An address read as roads, or a name, plus an optional relative position."""

    roads: tuple[str, ...]
    name: str | None
    side: str | None
    distance_m: float | None


def _normalize(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :].strip()
                changed = True
    return text


def parse_address(query: str) -> ParsedAddress:
    """Read an address as an intersection with an optional relative position.

    Parameters
    ----------
    query : str
        E.g. ``"人民大街与自由大路交会处东侧500米"`` or ``"华远路前进大街东侧"``.

    Returns
    -------
    ParsedAddress
        ``roads`` has two names for an intersection and is empty otherwise;
        ``name`` is the whole query (without its relative part) otherwise.

    Examples
    --------
    >>> parse_address("人民大街与自由大路交会处东侧500米")
    ParsedAddress(roads=('人民大街', '自由大路'), name=None, side='东', distance_m=500.0)
    """
    if len(query) > MAX_QUERY_CHARS:
        msg = f"address: at most {MAX_QUERY_CHARS} characters, got {len(query)} ({query[:40]!r}...)"
        raise ValidationError(msg)
    text = _normalize(query)
    for pattern in (_SEPARATED, _JOINED):
        match = pattern.match(text)
        if match and match.group("a") and match.group("b"):
            a, b = match.group("a").strip(), match.group("b").strip()
            if re.search(f"{_ROAD}$", a) and re.search(f"{_ROAD}$", b) and a != b:
                return ParsedAddress((a, b), None, match.group("side"), _distance(match))
    rel = re.match(rf"^(?P<name>.+?)\s*(?:{_REL})$", text)
    if rel and (rel.group("dist") or re.search(r"(?:侧|角|方向|面|边)$", text)):
        return ParsedAddress((), rel.group("name").strip(), rel.group("side"), _distance(rel))
    return ParsedAddress((), text, None, None)


def _distance(match: re.Match[str]) -> float | None:
    dist = match.group("dist")
    if dist is None:
        return None
    factor = 1000.0 if match.group("unit") in ("公里", "千米", "km") else 1.0
    return float(dist) * factor
