"""Reading a request: its JSON body (type, size and pace checked) and each member strictly, ids in the path.

Every member has one JSON type; a body's wrong members are one 422 naming each of them
(:class:`Members`), and anything wrong with the body as a whole is a :class:`Refusal`.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from geo.errors import Problem, ValidationError
from geo.geojson import decode
from geo.model import is_place_id
from geo.server.limits import MAX_BODY_BYTES, timeout
from geo.server.refusals import Refusal

__all__ = ["BODY_KEY", "Members", "change_id", "members", "path_part", "place_id", "read_body", "version_of", "whole"]

_CHANGE = re.compile(r"\d{14}-[0-9a-f]{6}")
_VERSION = re.compile(r"[0-9a-f]{16}")
#: Where the body is kept in the request's scope, for a conflict's answer (what changed since its version).
BODY_KEY = "geo.body"


async def read_body(request: Request) -> dict[str, Any]:
    """Return a request's body: a JSON object of at most :data:`MAX_BODY_BYTES`, each piece sent in time.

    Parameters
    ----------
    request : starlette.requests.Request

    Returns
    -------
    dict

    Raises
    ------
    Refusal
        415 not JSON, 413 too large, 408 too slow, 400 not a JSON object.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise Refusal(415, code="body_type", values={"got": repr(kind[:40] or "no content type")})
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        raise Refusal(413, code="body_size", values={"limit": f"{MAX_BODY_BYTES:,}"})
    chunks, size = [], 0
    stream = request.stream().__aiter__()
    while True:
        try:  # a client that stops sending mid-body is cut off, not waited for
            chunk = await asyncio.wait_for(stream.__anext__(), timeout=timeout("body_timeout"))
        except StopAsyncIteration:
            break
        except asyncio.TimeoutError:
            raise Refusal(408, code="body_slow") from None
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refusal(413, code="body_size", values={"limit": f"{MAX_BODY_BYTES:,}"})
        chunks.append(chunk)
    try:
        obj, _ = decode(b"".join(chunks), label="request body")
    except ValidationError as err:
        raise Refusal(400, code="body_json", values={"reason": str(err).splitlines()[0][:200]}) from None
    if not isinstance(obj, dict):
        raise Refusal(400, code="body_object", values={"got": type(obj).__name__})
    return obj


def _number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


#: What a member of a request body may be: a label (Chinese, English) and a test.
KINDS: dict[str, tuple[str, str, Callable[[Any], bool]]] = {
    "bool": ("true 或 false", "a JSON boolean (true or false)", lambda v: isinstance(v, bool)),
    "text": ("文本", "text", lambda v: isinstance(v, str)),
    "number": ("数字", "a number", _number),
    "amount": ("数字或文本", "a number or text", lambda v: isinstance(v, str) or _number(v)),
    "object": ("JSON 对象", "a JSON object", lambda v: isinstance(v, dict)),
    "position": (
        "[经度, 纬度] 或文本",
        "[lon, lat] or text",
        lambda v: isinstance(v, str) or (isinstance(v, list) and all(map(_number, v))),
    ),
}


class Members:
    """A request body read strictly: each member has one JSON type, anything else is a 422 naming it (all at once).

    Parameters
    ----------
    body : dict
        The request's JSON object.
    """

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.problems: list[Problem] = []

    def get(self, key: str, kind: str, default: Any = None) -> Any:
        """Return member ``key`` if it is of ``kind`` (text stripped, empty text as ``default``); else note it.

        Parameters
        ----------
        key : str
        kind : str
            A key of :data:`KINDS`.
        default : object
            What an absent (or ``null``) member reads as.

        Returns
        -------
        object
        """
        value = self.body.get(key)
        if value is None:
            return default
        zh, en, ok = KINDS[kind]
        if not ok(value):
            shown = json.dumps(value, ensure_ascii=False)[:60]
            self.problems.append(
                Problem(
                    key,
                    key,
                    f"expected {en}, got {shown}",
                    code="member_type",
                    values={"expected": en, "expected_zh": zh, "got": shown},
                )
            )
            return default
        return value.strip() or default if isinstance(value, str) and kind == "text" else value

    def done(self) -> None:
        """Raise every problem noted so far as one :class:`~geo.errors.ValidationError` (a 422)."""
        if self.problems:
            raise ValidationError(self.problems)


async def members(request: Request) -> Members:
    """Read a request's body (:func:`read_body`) to be read member by member; keep it for a conflict's answer.

    Parameters
    ----------
    request : starlette.requests.Request

    Returns
    -------
    Members
    """
    found = Members(await read_body(request))
    request.scope[BODY_KEY] = found.body  # a conflict answer says what changed since the version it names
    return found


def version_of(m: Members) -> str:
    """Return the version the edit was made against; its absence joins the body's other problems.

    Parameters
    ----------
    m : Members
        The request's body, as read so far.

    Returns
    -------
    str
        Empty when missing or malformed (a problem is noted).
    """
    version = m.body.get("version")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        text = f"the version of the place you edited is required, got {version!r}"
        m.problems.append(
            Problem("version", "version", text, "missing", code="version_required", values={"got": repr(version)[:40]})
        )
        return ""
    return version


def path_part(
    request: Request, name: str, valid: Callable[[str], object], code: str, *, shown: int, key: str = ""
) -> str:
    """Return the path parameter ``name`` if ``valid`` accepts it, else refuse with 404.

    Parameters
    ----------
    request : starlette.requests.Request
    name : str
        The parameter (``ident`` in ``/api/places/{ident}``).
    valid : callable
        Whether a value is well formed (a regular expression's ``fullmatch``, the model's id rule).
    code : str
        The refusal's entry in the catalogue's ``refusals`` section.
    shown : int
        How many characters of a refused value the refusal repeats.
    key : str
        The entry's placeholder for the value (default ``name``).

    Returns
    -------
    str
    """
    value = str(request.path_params.get(name, ""))
    if not valid(value):
        raise Refusal(404, code=code, values={key or name: repr(value[:shown])})
    return value


def place_id(request: Request) -> str:
    """Return the place id in the path (the model's id rule), or refuse with 404.

    Parameters
    ----------
    request : starlette.requests.Request
        The request whose path names the place.

    Returns
    -------
    str
    """
    return path_part(request, "ident", is_place_id, "no_place", shown=80)


def change_id(request: Request) -> str:
    """Return the change id in the path (``YYYYmmddHHMMSS-xxxxxx``), or refuse with 404; as :func:`place_id`.

    Parameters
    ----------
    request : starlette.requests.Request
        The request whose path holds ``{change}``.

    Returns
    -------
    str
        The change id.
    """
    return path_part(request, "change", _CHANGE.fullmatch, "no_change", shown=40)


def whole(request: Request, name: str, default: int, low: int, high: int) -> int:
    """Read a whole-number query parameter in ``[low, high]``, or refuse it (422) naming the value.

    Parameters
    ----------
    request : starlette.requests.Request
    name : str
    default : int
        When the parameter is absent or empty.
    low, high : int
        The range allowed.

    Returns
    -------
    int
    """
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise Refusal(
            422, f"{name}: 应为 {low}–{high} 的整数 / expected a whole number {low}–{high}, got {text[:20]!r}"
        )
    return int(text)
