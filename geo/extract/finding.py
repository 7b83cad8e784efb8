"""Find the mentions of places in one sentence: by their endings, in lists, and as captions of crossings.

A name is found from its ending (公园, 小学, 小区, 产业园, …, :data:`~geo.extract.lexicon.SUFFIXES`) by
walking left over the sentence's words (segmented by rjieba, the Rust port of jieba, whose
dictionary ships inside the wheel) until a word that cannot be part of a name: a verb of reports,
a preposition, a particle, a number with its measure word, punctuation. Items of lists
(``A、B等商务楼宇``, ``A和B2个口袋公园``) take their kind from the list's head. Names that are only
generic (``民办园``, ``重点项目``), administrative units, and landmarks that only say where something
else is (inside an address, or followed by 东侧, 附近 …) are not mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.extract.figures import Figure, find_figures
from geo.extract.lexicon import (
    ADMIN_SUFFIXES,
    GENERIC_WORDS,
    LIST_HEADS,
    NAME_VERBS,
    PHOTO_WORDS,
    PLACE_CHARS,
    STATUS_RULES,
    STOP_ENDINGS,
    STOP_WORDS,
    SUFFIXES,
)

__all__ = ["Mention", "SentenceFinds", "find_in_sentence"]

_SUFFIX_INFO = {s: (cat, cls, strength) for s, cat, cls, strength in SUFFIXES}
_SUFFIX_INFO["地块"] = ("park", None, 1)
_PLACE_ENDINGS = (*_SUFFIX_INFO, "园区", "景区", "城区", "片区")
_SUFFIX_RE = re.compile("|".join(re.escape(s) for s in sorted(_SUFFIX_INFO, key=len, reverse=True)))
_HEADS = "|".join(re.escape(h) for h in sorted(LIST_HEADS, key=len, reverse=True))
_COUNT = r"(?:\d+|[一两二三四五六七八九十几]+)(?:个|家|所|座|处)"
_LIST_RE = re.compile(
    rf"(?P<mark>等)(?:一个个|一批|多个|若干|{_COUNT})?(?P<head>{_HEADS})|(?P<count>{_COUNT})(?P<head2>{_HEADS})"
)
_ROAD = r"[\u4e00-\u9fff\dA-Za-z]{1,10}?(?:大街|大路|大道|快速路|高速|环路|路|街|道|环)"
_CROSSING_RE = re.compile(rf"(?P<a>{_ROAD})(?:与|和|、)(?P<b>{_ROAD})(?:交会处|交汇处|交叉口|路口)")
_ADDRESS_RE = re.compile(r"(?:位于|坐落于|坐落在|地处|选址于|选址在|地址[:：]?)(?P<addr>[^，。；,;（）()：:]{2,48})")
_PAREN_RE = re.compile(r"[（(](?P<addr>[^（）()]{3,48}?(?:侧|角|处|口|旁|附近|对面|以东|以西|以南|以北|内))[）)]")
_POSITION = re.compile(
    r"(?:东|西|南|北|东南|东北|西南|西北)(?:侧|角|面|边)|附近|对面|旁边|周边|以东|以西|以南|以北|院内"
)
_BARE_ADDRESS = re.compile(
    r"[^，；。]{2,40}?(?:东侧|西侧|南侧|北侧|东南角|西南角|东北角|西北角|交会处|交汇处|交叉口|路口|附近|对面)"
)
_CLAUSE = re.compile(r"[^，,；;：:]+")
_BACK_REFERENCE = re.compile(r"^(?:该公园|公园|该园|园区|全园|园内|该项目|项目|其|这里|小区|场馆)")
_ADMIN_ONLY = re.compile(r"(?:[\u4e00-\u9fff]{1,5}?(?:省|市|区|县|镇|乡|街道))+")
_PROJECT_ENDINGS = ("工程", "项目")
_STOP_TAGS = frozenset({"p", "c", "r", "rr", "rz", "x", "q", "d", "dg", "ad", "y", "e", "o", "w", "t", "tg"})
_MEASURES = frozenset("个所家处条座项名件期次批栋")
_GENERIC_RE = re.compile("|".join(re.escape(w) for w in GENERIC_WORDS) + r"|[\d几]+")
_TIME_POSITIONS = frozenset("后前内里中上下间")
_ROAD_CHARS = frozenset("路街道桥河湖山岭江")
_ROAD_WORDS = frozenset({"道路", "街路", "街道", "马路", "公路", "河道"})
_MAX_NAME = 24
#: Most place endings read in one sentence (a report's sentence has a handful; more is a list of words, not prose).
_MAX_ENDINGS = 64
_STATUS_PATTERNS = tuple((re.compile(p), s) for p, s in STATUS_RULES)


@dataclass
class Mention:
    """One place named in one sentence; offsets are in the mended text."""

    start: int
    end: int
    name: str
    category: str
    park_class: str | None
    strength: int
    sentence: int
    via: str
    status: str = "unknown"
    address: str | None = None
    address_at: int = 0
    figures: list[Figure] = field(default_factory=list)


@dataclass
class SentenceFinds:
    """What one sentence holds: its mentions, and whether a later sentence may refer back to its place."""

    mentions: list[Mention]
    orphans: list[Figure]
    orphan_address: str | None


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import rjieba

    return rjieba


def _tokens(text: str, *, hmm: bool = False) -> list[tuple[int, int, str, str]]:
    """Return ``(start, end, word, tag)`` for each word of ``text`` (rjieba; its HMM guesses unknown words)."""
    out = []
    pos = 0
    for word, tag in _jieba().tag(text, hmm):
        out.append((pos, pos + len(word), word, tag))
        pos += len(word)
    return out


def _stops(tokens: list[tuple[int, int, str, str]], k: int) -> bool:
    """Say whether word ``k`` cannot be part of a name (it ends the walk leftwards)."""
    _, _, word, tag = tokens[k]
    if word in NAME_VERBS:
        return False
    if word in STOP_WORDS or word == "小区" or (word.endswith(STOP_ENDINGS) and word not in NAME_VERBS):
        return True
    if (tag in _STOP_TAGS or tag.startswith("u")) and word not in NAME_VERBS:
        return not (tag.startswith("d") and len(word) == 1 and word in "东西南北中")
    if tag == "f" and word in _TIME_POSITIONS:
        return True  # 改造后公园: "after the renewal, the park", not a park's name
    if tag == "m" and k + 1 < len(tokens) and (tokens[k + 1][3] == "q" or tokens[k + 1][2][:1] in _MEASURES):
        return True
    return tag == "v" and word not in NAME_VERBS


def _walk_left(tokens: list[tuple[int, int, str, str]], at: int, floor: int, starts: list[int] | None = None) -> int:
    """Return where a name that ends in the word at offset ``at`` starts (not before ``floor``)."""
    starts = starts if starts is not None else [t[0] for t in tokens]
    k = min(bisect_right(starts, at) - 1, len(tokens) - 1) if tokens else 0
    start = tokens[k][0]
    while k > 0 and tokens[k - 1][0] >= floor and not _stops(tokens, k - 1) and at - tokens[k - 1][0] < _MAX_NAME:
        k -= 1
        start = tokens[k][0]
    return start


def is_generic(stem: str, ending: str = "") -> bool:
    """Say whether a name's part before its ending is generic: nothing specific left once generic words go.

    A district's name alone is not specific either (南关区新建口袋公园: the district's new pocket
    parks, not one park), unless the ending is a name itself (长春市万象城).

    Parameters
    ----------
    stem : str
        The name without its ending.
    ending : str, optional
        The ending (公园, 广场, ...).

    Returns
    -------
    bool
        True when the name names no one place.
    """
    if len(stem) >= 2 and stem[-1] in _ROAD_CHARS and stem[-2:] not in _ROAD_WORDS:
        return False  # 文化路口袋公园: a road's name is specific even when its words are not
    rest = _GENERIC_RE.sub("", stem)
    return len(rest) < 2 or (bool(_ADMIN_ONLY.fullmatch(rest)) and ending in _KIND_ENDINGS)


#: Endings that are only a kind of place: after a city's or district's name alone they name no one place
#: (南关区口袋公园), where 长春市儿童公园, 南关区医院 and 长春市万象城 are proper names.
_KIND_ENDINGS = frozenset(
    {
        "口袋公园",
        "游园",
        "街头游园",
        "公园",
        "社区公园",
        "综合公园",
        "绿地",
        "小区",
        "项目",
        "工程",
        "街区",
        "园",
        "城",
        "广场",
        "中心",
        "基地",
        "地块",
        "学校",
        "市场",
        "景区",
    }
)


def _is_admin(name: str) -> bool:
    """Say whether a name is an administrative unit (南关区, 长春市, 鸿城街道), not a place of the map."""
    return name.endswith(ADMIN_SUFFIXES) and not name.endswith(_PLACE_ENDINGS) and len(name) <= 8


def _status(clause: str) -> str:
    for pattern, status in _STATUS_PATTERNS:
        if pattern.search(clause):
            return status
    return "unknown"


def _clause_of(text: str, at: int) -> tuple[int, int]:
    """Return the span of the clause (between ，；：) that holds offset ``at``."""
    start = max(text.rfind(c, 0, at) for c in "，,；;：:") + 1
    ends = [e for e in (text.find(c, at) for c in "，,；;：:") if e >= 0]
    return start, min(ends, default=len(text))


def _suffix_mentions(text: str, tokens: list[tuple[int, int, str, str]], index: int) -> list[Mention]:
    ends = {t[1] for t in tokens}
    starts = [t[0] for t in tokens]
    out: list[Mention] = []
    for n, m in enumerate(_SUFFIX_RE.finditer(text)):
        if n >= _MAX_ENDINGS:
            break  # not prose: no sentence names this many places
        if m.end() not in ends:
            continue
        category, park_class, strength = _SUFFIX_INFO[m.group()]
        clause = _clause_of(text, m.start())
        start = _walk_left(tokens, m.start(), clause[0], starts)
        name = text[start : m.end()]
        stem = name[: len(name) - len(m.group())]
        if (
            not stem
            or is_generic(stem, m.group())
            or is_generic(text[max(clause[0], start - 3) : start] + stem, m.group())
            or _is_admin(name)
        ):
            continue
        if m.group() == "地块" and "公园" not in text[clause[0] : clause[1]]:
            continue
        if strength == 1 and not (set(stem) & PLACE_CHARS or _place_like(tokens, starts, start, m.start())):
            strength = 0  # kept only if a list, an address or an area backs it
        out.append(Mention(start, m.end(), name, category, park_class, strength, index, "ending"))
    return out


def _place_like(tokens: list[tuple[int, int, str, str]], starts: list[int], start: int, end: int) -> bool:
    """Say whether a word of ``text[start:end]`` is tagged a place or proper name."""
    first, last = bisect_left(starts, start), bisect_left(starts, end)
    return any(t[3] in ("ns", "nz", "nt") for t in tokens[first:last])


def _list_mentions(text: str, index: int) -> list[Mention]:
    out: list[Mention] = []
    for m in _LIST_RE.finditer(text):
        head = m["head"] or m["head2"]
        region_start = max(text.rfind(c, 0, m.start()) for c in "，,；;。：:") + 1
        region = text[region_start : m.start()]
        if m["mark"] is None and not re.search(r"、|和|与|及", region):
            continue
        category, park_class = LIST_HEADS[head]
        pos = region_start
        for item in re.split(r"(、|和|与|及)", region):
            if item and item not in ("、", "和", "与", "及"):
                tokens = _tokens(item, hmm=True)
                start = _walk_left(tokens, len(item) - 1, 0) if tokens else 0
                name = item[start:]
                if len(name) >= 2 and not name[0].isdigit() and not is_generic(name) and not _is_admin(name):
                    out.append(Mention(pos + start, pos + len(item), name, category, park_class, 2, index, "list"))
            pos += len(item)
    return out


def _crossing(text: str, index: int) -> list[Mention]:
    """Return the crossing a sentence consists of (a photo caption names the crossing itself)."""
    body = text.rstrip("。！!．. ")
    m = _CROSSING_RE.fullmatch(body)
    return [Mention(0, len(body), body, "roads", None, 2, index, "caption")] if m else []


def _addresses(text: str) -> list[tuple[int, int, str]]:
    found = [(m.start("addr"), m.end("addr"), m["addr"]) for m in _ADDRESS_RE.finditer(text)]
    found += [(m.start("addr"), m.end("addr"), m["addr"]) for m in _PAREN_RE.finditer(text)]
    return sorted(found)


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """Merge mentions of one span (an ending and a list item) and drop those inside a longer one."""
    by_span: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        old = by_span.get((m.start, m.end))
        if old is None:
            by_span[(m.start, m.end)] = m
            continue
        best, other = (old, m) if old.strength >= m.strength else (m, old)
        best.park_class = best.park_class or (other.park_class if other.category == best.category else None)
        best.strength = max(best.strength, other.strength, 1)
        best.via = "list" if "list" in (old.via, m.via) else best.via
        by_span[(m.start, m.end)] = best
    spans = sorted(by_span.values(), key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in spans:
        outer = next((k for k in kept if k.start <= m.start and m.end <= k.end and k.strength >= m.strength), None)
        if outer is not None:
            if outer.name.endswith(_PROJECT_ENDINGS) and m.category != "roads" and m.strength == 2:
                outer.category, outer.park_class = m.category, m.park_class  # 儿童公园改造提升工程: a park's works
            continue
        if any(m.start <= k.start and k.end <= m.end and k.strength > m.strength for k in kept):
            continue  # "明珠小学扩建工程": the school is the place, the weaker whole is not
        kept = [k for k in kept if not (m.start <= k.start and k.end <= m.end)]
        kept = [k for k in kept if not (k.start <= m.start and m.end <= k.end and k.strength < m.strength)]
        kept.append(m)
    return kept


def _place_addresses(text: str, mentions: list[Mention]) -> tuple[list[Mention], str | None]:
    """Give each address to its place; drop the landmarks inside addresses. Returns the mentions kept and an orphan address."""
    orphan = None
    for a_start, a_end, addr in _addresses(text):
        owner = None
        cut = addr.rfind("的")
        if cut > 0:
            owner = next((m for m in mentions if m.start == a_start + cut + 1), None)
            addr, a_end = (addr[:cut], a_start + cut) if owner else (addr, a_end)
        mentions = [m for m in mentions if not (a_start <= m.start < a_end)]
        if owner is None:
            before = [m for m in mentions if m.end <= a_start]
            owner = before[-1] if before else None
        if owner is None:
            orphan = orphan or addr
        elif owner.address is None:
            owner.address, owner.address_at = addr, a_start
    mentions = [m for m in mentions if not _POSITION.match(text, m.end) or m.address]
    for m in mentions:
        if m.address is None:
            after = _CLAUSE.match(text, m.end + 1) if text[m.end : m.end + 1] in "，," else None
            clause = after.group() if after else ""
            if _BARE_ADDRESS.fullmatch(clause) and set(clause) & PLACE_CHARS:
                m.address, m.address_at = clause, m.end + 1
    return mentions, orphan


def _place_figures(text: str, mentions: list[Mention]) -> list[Figure]:
    """Give each figure to the place named before it in the sentence (or just after it, in its clause)."""
    orphans: list[Figure] = []
    for fig in find_figures(text):
        before = [m for m in mentions if m.end <= fig.start]
        owner = before[-1] if before else None
        if owner is None:
            clause = _clause_of(text, fig.start)
            owner = next((m for m in mentions if clause[0] <= m.start < clause[1]), None)
        if owner is None:
            orphans.append(fig)
        else:
            owner.figures.append(fig)
    return orphans


def find_in_sentence(text: str, index: int) -> SentenceFinds:
    """Find the places one sentence names, with their addresses, figures and statuses.

    Parameters
    ----------
    text : str
        One sentence, in simplified characters.
    index : int
        Its position among the report's sentences.

    Returns
    -------
    SentenceFinds
    """
    tokens = _tokens(text)
    mentions = _dedupe(_suffix_mentions(text, tokens, index) + _list_mentions(text, index) + _crossing(text, index))
    for m in mentions:
        for word in PHOTO_WORDS:
            if text.startswith(word, m.end) and m.strength == 0:
                m.strength = 1
        clause = _clause_of(text, m.start)
        later = min((k.start for k in mentions if k.start > m.start), default=len(text))
        m.status = _status(text[clause[0] : clause[1]])
        m.status = m.status if m.status != "unknown" else _status(text[clause[1] : max(later, clause[1])])
    mentions, orphan_address = _place_addresses(text, mentions)
    orphans = _place_figures(text, mentions)
    kept = [m for m in mentions if m.strength > 0 or m.address or any(f.key == "stated_area_m2" for f in m.figures)]
    if not mentions and not _BACK_REFERENCE.match(text):
        orphans, orphan_address = [], None
    return SentenceFinds(kept, orphans, orphan_address)
