"""Undo what copying a newspaper page out of a PDF does to its text, and cut it into sentences.

PDF copies break lines in the middle of sentences (and leave blank lines inside them), double the
characters of bold headings and captions ("长春市南关区长春市南关区：："), and leave full-width
spaces. :func:`clean` joins and mends them, keeping for every character where it was in the text as
read, so a quote can say which line it came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["MAX_SENTENCE", "Cleaned", "Sentence", "clean", "sentences"]

#: Longest piece of text read as one sentence (a report's longest is about 200 characters).
MAX_SENTENCE = 600

_FINAL = "。！？!?…"
_CLOSING = "”」』）)\"'"
_PUNCT = set("，。！？；：、,.!?;:…“”「」『』（）()《》·—-")
#: Full-width punctuation: spaces next to it are layout, not text.
_WIDE_PUNCT = set("，。！？；：、…“”「」『』（）《》·—")
#: A line that starts an item of a list (1. / 1、 / （一） / 一、 / ①) begins a new line of the text.
_ITEM = re.compile(
    r"\s*(?:\d{1,3}[.、．)）]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|[①-⑳])"
)
_LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002-\u200a\u202f]+")
#: Full-width digits, letters and signs become ASCII (figures are read from them); CJK punctuation stays.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in "，。！？；：（）"}
_SENTENCE = re.compile(r"[^。！？!?]*?(?:[。！？!?]+|……|$)")


@dataclass(frozen=True)
class Cleaned:
    """Mended text, and for each of its characters the offset of the character it came from."""

    text: str
    origin: list[int]
    line_starts: list[int]

    def line_of(self, index: int) -> int:
        """Return the line, in the text as read, of a character of the mended text.

        Parameters
        ----------
        index : int
            The character's index in the mended text.

        Returns
        -------
        int
            The 1-based line number.
        """
        at = self.origin[min(index, len(self.origin) - 1)] if self.origin else 0
        return bisect_right(self.line_starts, at)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the mended text: ``text == cleaned.text[start:end]``."""

    text: str
    start: int
    end: int


def _undouble(line: str) -> str:
    """Return a doubled heading or caption once: "XX：：" → "X：", "长长春春" → "长春"; other lines as they are."""
    body = line.rstrip("".join(_PUNCT))
    tail = line[len(body) :]
    if len(tail) >= 2 and len(tail) % 2 == 0 and tail[: len(tail) // 2] == tail[len(tail) // 2 :]:
        tail = tail[: len(tail) // 2]
    half = len(body) // 2
    if len(body) >= 4 and len(body) % 2 == 0 and body[:half] == body[half:]:
        return body[:half] + tail
    if len(body) >= 4 and len(body) % 2 == 0 and all(body[i] == body[i + 1] for i in range(0, len(body), 2)):
        return body[::2] + tail
    return line


def _lines(text: str) -> tuple[list[tuple[int, str]], list[int]]:
    """Return the non-blank lines (stripped, with the offset of their first character) and every line's start."""
    out: list[tuple[int, str]] = []
    starts: list[int] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        starts.append(pos)
        line = raw.rstrip(_LINE_ENDS).translate(_WIDE)
        body = line.strip()
        if body:
            out.append((pos + len(line) - len(line.lstrip()), body))
        pos += len(raw)
    return out, starts or [0]


def _is_heading(line: str, typical: int) -> bool:
    """Say whether a line is a heading: short against the text's lines, and without punctuation."""
    return len(line) <= min(16, 0.7 * typical) and not any(c in _PUNCT for c in line)


def _mend(body: str, start: int, chars: list[str], origin: list[int]) -> None:
    """Append a stripped line's characters: layout spaces and invisible characters dropped, doubling undone."""
    once = _undouble(body)  # a doubled line keeps its first copy's characters
    for i, c in enumerate(once):
        if _SPACES.fullmatch(c):
            prev = chars[-1] if chars else ""
            if not prev or prev == " " or _CJK.match(prev) or prev in _WIDE_PUNCT:
                continue
            c = " "
        elif unicodedata.category(c) in ("Cf", "Cc", "Co", "Cs"):
            continue  # zero-width spaces, byte order marks, controls: invisible, and refused in names
        chars.append(c)
        origin.append(start + i)


def clean(text: str) -> Cleaned:
    """Mend a PDF copy: join broken lines, undo doubled headings, drop full-width spaces.

    A line joins the next one unless it ends a sentence (。！？；… or a closing quote) or is a
    heading (a short line without punctuation); blank lines inside a sentence are ignored.

    Parameters
    ----------
    text : str
        The report's text as decoded.

    Returns
    -------
    Cleaned
    """
    chars: list[str] = []
    origin: list[int] = []
    lines, line_starts = _lines(text)
    lengths = sorted(len(body) for _, body in lines)
    typical = lengths[len(lengths) // 2] if lengths else 0
    for k, (start, body) in enumerate(lines):
        _mend(body, start, chars, origin)
        if chars and chars[-1] == " ":
            chars.pop()
            origin.pop()
        ends = body.rstrip(_CLOSING).endswith(tuple(_FINAL)) or _is_heading(_undouble(body), typical)
        following = lines[k + 1][1] if k + 1 < len(lines) else ""
        if ends or not following or _is_heading(_undouble(following), typical) or _ITEM.match(following):
            chars.append("\n")
            origin.append(start + len(body))
        elif body[-1:].isascii() and body[-1:].isalpha() and following[:1].isascii() and following[:1].isalpha():
            chars.append(" ")
            origin.append(start + len(body))
    return Cleaned("".join(chars), origin, line_starts)


def sentences(text: str) -> list[Sentence]:
    """Cut mended text into sentences (at 。！？, "……" and line ends), quotation marks around one dropped.

    Parameters
    ----------
    text : str
        Mended text (:func:`clean`).

    Returns
    -------
    list of Sentence
    """
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        for m in _SENTENCE.finditer(line):
            start, end = m.start(), m.end()
            while start < end and line[start] in ' “”「」"':
                start += 1
            while (
                end > start and line[end - 1] in ' ”」"' and line.count("“", start, end) < line.count("”", start, end)
            ):
                end -= 1
            for a, b in _pieces(line, start, end):
                out.append(Sentence(line[a:b], pos + a, pos + b))
        pos += len(line) + 1
    return out


def _pieces(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long "sentence" (text without full stops) at clause marks, so work per sentence stays bounded."""
    out = []
    while end - start > MAX_SENTENCE:
        cut = max(line.rfind(c, start, start + MAX_SENTENCE) for c in "，；、,; ")
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        out.append((start, cut))
        start = cut
    if end - start >= 2:
        out.append((start, end))
    return out
