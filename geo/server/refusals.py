"""Refusals: the exception a route raises to refuse a request, and the one body every refusal gets.

A refusal is Starlette's :class:`~starlette.exceptions.HTTPException` carrying a
:class:`geo.errors.Problem`, worded by the catalogue's ``refusals`` section when it has a ``code``.
Its body (:func:`refusal_body`) is the same for a refusal, a bad request body and a model
check: the first problem in both languages, every problem as data, and the problems by the
editor's form field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from geo._docs import shared_docs
from geo.errors import Problem
from geo.locale import LANGUAGES, problem_record, text

__all__ = ["NO_STORE", "Refusal", "problem_json", "problems_by_field", "refusal_body", "refused", "said"]

#: Headers of every answer that must not be cached (all of the API's).
NO_STORE = {"Cache-Control": "no-store"}
#: Which form field of the editor shows a problem about a model field or request member (else the form's list).
_FIELDS = {
    "name": "name",
    "name_en": "name-en",
    "name-en": "name-en",
    "stated_area_m2": "area",
    "area": "area",
    "park_class": "class",
    "class": "class",
    "status": "status",
    "source": "source",
    "location_source": "source",
    "stated_area_source": "source",
    "status_source": "source",
    "geometry": "geometry",
    "lonlat": "lonlat",
    "zoom": "geometry",
    "address": "address",
    "uncertainty_m": "uncertainty",
    "uncertainty": "uncertainty",
    "editor": "editor",
    "reason": "reason",
    "confirm_area": "confirm_area",
    "notes": "notes",
}


class Refusal(HTTPException):
    """Refuse a request: an HTTP status and one problem.

    Parameters
    ----------
    status : int
        The HTTP status (400-503).
    message : str
        The words, both languages already (``中文 / English``); used when ``code`` is empty.
    code : str
        An entry of the catalogue's ``refusals`` section, which words it in each language.
    field : str
        The request member it concerns, if any.
    values : mapping
        What fills the entry's ``{placeholders}``.
    """

    def __init__(
        self,
        status: int,
        message: str = "",
        *,
        code: str = "",
        field: str = "",
        values: Mapping[str, Any] | None = None,
    ) -> None:
        shown = dict(values or {})
        if code:  # the refusals section words it; the problem carries both languages through problem_json
            words = {language: _refusal_words(code, language, shown) for language in LANGUAGES}
            self.problem = Problem("", field, words["en"], "refused", code=f"refusals.{code}", values=shown)
            message = f"{words['zh-CN']} / {words['en']}"
        else:
            self.problem = Problem("", field, message, "refused")
        super().__init__(status, message)
        self.message = message


def _refusal_words(code: str, language: str, values: Mapping[str, Any]) -> str:
    return text(f"refusals.{code}", language, **values)


@shared_docs()
def problem_json(problem: Problem) -> dict[str, Any]:
    """Return a problem as the API answers it: :func:`geo.locale.problem_record`'s members.

    A refusal with a ``code`` is worded by the catalogue's ``refusals`` section; one worded in
    its message (both languages already) keeps those words in each language.

    Returns
    -------
    dict
        ``field``, ``kind``, ``code``, ``where``, ``values`` and ``text`` (per language).
    """
    if problem.code.startswith("refusals."):
        code = problem.code.removeprefix("refusals.")
        return problem_record(
            problem, {language: _refusal_words(code, language, problem.values) for language in LANGUAGES}
        )
    if problem.kind == "refused":  # a refusal worded in its message (both languages already)
        return {
            "field": problem.field,
            "kind": problem.kind,
            "code": "",
            "where": "",
            "values": {},
            "text": dict.fromkeys(LANGUAGES, problem.text),
        }
    return problem_record(problem)


@shared_docs()
def problems_by_field(problems: list[Problem]) -> dict[str, list[str]]:
    """Group the problems' Chinese words by the form field they concern (``form`` for the rest).

    Returns
    -------
    dict
        Form field (``name``, ``area``, ``geometry``, ..., ``form``) -> the Chinese words of its problems.
    """
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(_FIELDS.get(problem.field, "form"), []).append(problem_json(problem)["text"]["zh-CN"])
    return out


@shared_docs()
def refusal_body(problems: list[Problem]) -> dict[str, Any]:
    """Return the body of a refusal: the first problem in both languages, every problem as data, and by form field.

    Returns
    -------
    dict
        ``{"error": "<zh-CN> / <en>", "problems": [...], "fields": {form field: [zh-CN texts]}}``.
    """
    records = [problem_json(p) for p in problems]
    first = records[0]["text"] if records else {"zh-CN": "?", "en": "?"}
    error = first["zh-CN"] if first["zh-CN"] == first["en"] else f"{first['zh-CN']} / {first['en']}"
    return {"error": error, "problems": records, "fields": problems_by_field(problems)}


def refused(err: Refusal) -> JSONResponse:
    """Return the answer to a refusal: its status and :func:`refusal_body` of its problem.

    Parameters
    ----------
    err : Refusal
        The refusal a route raised.

    Returns
    -------
    starlette.responses.JSONResponse
    """
    return JSONResponse(refusal_body([err.problem]), status_code=err.status_code, headers=NO_STORE)


def said(status: int, code: str, **values: Any) -> JSONResponse:
    """Return a refusal worded by the catalogue's ``refusals`` section (``code``), filled with ``values``.

    Parameters
    ----------
    status : int
    code : str
    **values
        What fills the entry's ``{placeholders}``.

    Returns
    -------
    starlette.responses.JSONResponse
    """
    return refused(Refusal(status, code=code, values=values))
