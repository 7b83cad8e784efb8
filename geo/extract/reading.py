"""Read a report's bytes as text: size limits, encodings of Chinese tools, binary files refused.

UTF-8 (with or without a byte order mark) is tried first; then UTF-16 when a byte order mark says
so; then charset-normalizer chooses among the Chinese encodings that Windows tools and older sites
save in (GB18030, which contains GBK and GB2312, and Big5). A file that is none of these, or holds
binary data, is refused with one line that says what was found.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.errors import StoreError, ValidationError
from geo.store import read_file

__all__ = ["MAX_REPORT_BYTES", "Report", "decode_report", "read_report"]

#: Most bytes read from one report (one is about 10 KB; text that is not prose costs about 10 s a megabyte).
MAX_REPORT_BYTES = 10 * 1024 * 1024
#: Encodings charset-normalizer may choose from, besides UTF-8.
_CHINESE_ENCODINGS = ["gb18030", "big5"]
_EXTRA_HINT = 'the extraction tools are missing: install them with `pip install "nanguan-geo[extract]"`'


@dataclass(frozen=True)
class Report:
    """A report's text as decoded, and how it was read."""

    text: str
    encoding: str
    label: str


def _missing(err: ImportError) -> ValidationError:
    return ValidationError(f"{_EXTRA_HINT} ({err.name} not found)")


def decode_report(data: bytes, *, label: str = "report") -> Report:
    """Decode a report's bytes, detecting the encoding.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    label : str
        Names the input in messages.

    Returns
    -------
    Report

    Raises
    ------
    geo.errors.ValidationError
        Empty, binary, or not text in UTF-8, UTF-16 or a Chinese encoding (one line).
    """
    if not data.strip():
        msg = f"{label}: the file is empty; nothing to read"
        raise ValidationError(msg)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Report(data.decode("utf-16"), "utf-16", label)
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data:
        msg = f"{label}: the file holds binary data (NUL bytes), not the text of a report"
        raise ValidationError(msg)
    try:
        return Report(data.decode("utf-8-sig"), "utf-8", label)
    except UnicodeDecodeError:
        pass
    try:
        import charset_normalizer
    except ImportError as err:
        raise _missing(err) from None
    best = charset_normalizer.from_bytes(data, cp_isolation=_CHINESE_ENCODINGS).best()
    if best is None:
        msg = f"{label}: not text in UTF-8, GB18030/GBK or Big5; save the report as UTF-8 text and try again"
        raise ValidationError(msg)
    return Report(str(best), best.encoding, label)


def read_report(source: str | os.PathLike[str], *, max_bytes: int = MAX_REPORT_BYTES) -> Report:
    """Read a report file (``"-"`` for standard input) and decode it.

    Parameters
    ----------
    source : str or path-like
        A text file, or ``"-"``.
    max_bytes : int
        Larger inputs are refused.

    Returns
    -------
    Report

    Raises
    ------
    geo.errors.StoreError
        The file cannot be read, is not a regular file, or is too large.
    geo.errors.ValidationError
        See :func:`decode_report`.
    """
    if str(source) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        label = "standard input"
        if len(data) > max_bytes:
            msg = f"{label}: more than {max_bytes:,} bytes; split the report"
            raise StoreError(msg)
    else:
        label = str(source)
        data = read_file(Path(source), label=label, max_bytes=max_bytes)
    return decode_report(data, label=label)
