"""Read a Chinese news report and propose every place it names: ``geo extract``.

- :mod:`~geo.extract.reading`: :func:`read_report` (bytes, size limit, GB18030/GBK/Big5 detected);
- :mod:`~geo.extract.cleaning`: PDF-copy noise mended, sentences with their lines;
- :mod:`~geo.extract.lexicon`: the words it reads with (place endings, list heads, statuses, units);
- :mod:`~geo.extract.figures`: areas normalised to m², lengths, investments;
- :mod:`~geo.extract.finding`: the mentions of one sentence;
- :mod:`~geo.extract.candidates`: :func:`extract`, one :class:`Candidate` per place, matched to the data;
- :mod:`~geo.extract.output`: table, JSON and GeoJSON, and :func:`apply_candidates` (the only write).

The language tools (rjieba, opencc, charset-normalizer) come with the ``extract`` extra.
"""

from __future__ import annotations

import os
from typing import Any

from geo.errors import ValidationError
from geo.extract.candidates import CANDIDATE_KEYS, Candidate, core_key, extract, to_simplified
from geo.extract.output import apply_candidates, format_table, render, to_features
from geo.extract.reading import MAX_REPORT_BYTES, Report, decode_report, read_report
from geo.store import load_collection

__all__ = [
    "CANDIDATE_KEYS",
    "MAX_REPORT_BYTES",
    "Candidate",
    "Report",
    "apply_candidates",
    "core_key",
    "decode_report",
    "extract",
    "extract_report",
    "format_table",
    "read_report",
    "render",
    "to_features",
    "to_simplified",
]
_HINT = 'the extraction tools are missing: install them with `pip install "nanguan-geo[extract]"`'


def extract_report(source: str | os.PathLike[str], data: str | os.PathLike[str] | None = None) -> list[Candidate]:
    """Read a report file and extract its candidates, matched to the data file.

    Parameters
    ----------
    source : str or os.PathLike
        The report file; ``"-"`` reads standard input.
    data : str or os.PathLike, optional
        The data file the candidates are matched to; None finds the default one.

    Returns
    -------
    list of Candidate
        The candidates in the report's order.

    Raises
    ------
    geo.errors.StoreError
        The report or the data file cannot be read.
    geo.errors.ValidationError
        The report is empty, binary or not text; or the language tools are not installed.
    """
    report = read_report(source)
    places: list[dict[str, Any]] = load_collection(data)["features"]
    try:
        return extract(report.text, places=places)
    except ImportError as err:
        msg = f"{_HINT} ({err.name} not found)"
        raise ValidationError(msg) from None
