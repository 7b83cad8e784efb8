"""The text catalogue: every word the page, its tools and the editor show, in Chinese and English.

One JSON file per language ships in this package (``zh-CN.json``, ``en.json``); Python reads them
here and the page's scripts read the same files, embedded in the page by :mod:`geo.render`. Keys are
grouped by what shows them: ``page`` (the map page), ``status``, ``precision``, ``outline`` and
``figure`` (words for the data's codes), ``draw`` (shaped like Leaflet.draw's ``L.drawLocal``),
``measure`` and ``editor``. The Chinese file is Chinese first with English beside it, as every
public word of the project; the English file is English only.

A key missing from one language falls back to the other, so a half-translated key never breaks the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from geo._docs import shared_docs
from geo.errors import Problem

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "catalogue",
    "field_label",
    "merged",
    "problem_record",
    "problem_text",
    "text",
]

#: The languages of the catalogue, the default first (the project's readers are Chinese first).
LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"


@cache
def _load(language: str) -> dict[str, Any]:
    raw = resources.files("geo").joinpath("locale", f"{language}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@shared_docs()
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Return one language's catalogue as it is in its file (a fresh copy).

    Returns
    -------
    dict
        Its sections (``meta``, ``page``, ``editor``, ``problems``, ``refusals``, ``fields``, ...).

    Raises
    ------
    ValueError
        For a language the catalogue does not have.
    """
    if language not in LANGUAGES:
        msg = f"language must be one of {', '.join(LANGUAGES)}, got {language!r}"
        raise ValueError(msg)
    return json.loads(json.dumps(_load(language)))


def _fill(primary: Any, fallback: Any) -> Any:
    if isinstance(primary, dict) and isinstance(fallback, dict):
        return {
            k: _fill(primary.get(k), fallback.get(k)) if k in primary else fallback[k]
            for k in [*primary, *(k for k in fallback if k not in primary)]
        }
    return fallback if primary is None else primary


def merged(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Return a language's catalogue (as :func:`catalogue`) with every key it lacks taken from the other language.

    Parameters
    ----------
    language : str, optional
        A code of `LANGUAGES`; an unknown one is filled from the default language.

    Returns
    -------
    dict
        The nested catalogue.
    """
    other = next(code for code in LANGUAGES if code != language) if language in LANGUAGES else DEFAULT_LANGUAGE
    filled: dict[str, Any] = _fill(catalogue(language), catalogue(other))
    return filled


def text(key: str, language: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """Return one text by its dotted key (``"page.legend"``), with ``{name}`` fields filled.

    Parameters
    ----------
    key : str
        Section and name, e.g. ``"page.downloads"`` or ``"status.open"``.
    language : str
        ``zh-CN`` or ``en``; a key it lacks comes from the other language.
    **values
        Values for the text's ``{name}`` fields.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        When neither language has the key.
    """
    node: Any = merged(language)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(key)
        node = node[part]
    out = str(node)
    for name, value in values.items():
        out = out.replace("{" + name + "}", str(value))
    return out


def _shown(value: Any) -> str:
    """Write a value for a sentence: whole-looking numbers with thousands separators, text as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and abs(value) < 100 and not value.is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}"


@shared_docs()
def field_label(name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return a field's label in ``language`` (``stated_area_m2`` -> 公布面积), or the name itself.

    Parameters
    ----------
    name : str
        A model field or request member.

    Returns
    -------
    str
    """
    labels: dict[str, str] = merged(language)["fields"]
    return labels.get(name, name)


@shared_docs()
def problem_text(problem: Problem, language: str = DEFAULT_LANGUAGE) -> str:
    """Return a problem's words in ``language``, from the catalogue's ``problems`` section.

    A problem with a ``code`` is worded from its entry, filled from its ``values`` (and ``{label}``,
    the field's label); one without a code gets the wording of its kind with the English detail
    after it (Chinese first, as every public word of the project).

    Returns
    -------
    str
        One line, without the ``where`` the command line puts in front.
    """
    words: dict[str, str] = merged(language)["problems"]
    values = {"label": field_label(problem.field, language) if problem.field else "", **problem.values}
    template = words.get(problem.code) if problem.code else None
    if template is None:
        generic = words.get(f"generic_{problem.kind}", words["generic_invalid"])
        lead = _fill_in(generic, values) if problem.field else ""
        if language == "en" or not lead:
            return problem.text
        return f"{lead}：{problem.text}"
    return _fill_in(template, values)


def _fill_in(template: str, values: dict[str, Any]) -> str:
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", _shown(value))
    return out


@shared_docs()
def problem_record(problem: Problem, words: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return a problem as the editor's API sends it: field, kind, code, values and its words in each language.

    Parameters
    ----------
    words : mapping, optional
        Its words per language when they come from elsewhere (the server's refusals); by default
        :func:`problem_text` in each of :data:`LANGUAGES`.

    Returns
    -------
    dict
        ``{"field", "kind", "code", "values", "where", "text": {"zh-CN": ..., "en": ...}}``.
    """
    return {
        "field": problem.field,
        "kind": problem.kind,
        "code": problem.code,
        "where": problem.where,
        "values": dict(problem.values),
        "text": dict(words)
        if words is not None
        else {language: problem_text(problem, language) for language in LANGUAGES},
    }
