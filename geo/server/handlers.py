"""Starlette exception handlers: each error a route raises becomes its one answer, never a traceback.

=====================================  ======  ==============================================
raised                                 status  body
=====================================  ======  ==============================================
:class:`~geo.server.refusals.Refusal`  its own :func:`~geo.server.refusals.refusal_body`
:class:`~geo.errors.ConflictError`     409     who changed the place, when, each field
:class:`~geo.errors.ValidationError`   422     every problem, by form field
:class:`~geo.errors.StoreError`        503     the file or history cannot be used now
any other :class:`~geo.errors.GeoError` 400    its one line
:class:`OSError` (full disk, ...)      503     its reason, in one line
anything else                          500     "internal", logged with the traceback
=====================================  ======  ==============================================

The handlers are looked up along the exception's classes (most derived first), as ``except``
clauses in that order would be.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from geo.errors import ConflictError, GeoError, Problem, StoreError, ValidationError
from geo.history import changes_since
from geo.server.bodies import BODY_KEY
from geo.server.refusals import NO_STORE, Refusal, refusal_body, refused, said

__all__ = ["EXCEPTION_HANDLERS"]

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Awaitable[Response]]


async def _refusal(_request: Request, err: Exception) -> Response:
    assert isinstance(err, Refusal)
    return refused(err)


async def _conflict(request: Request, err: Exception) -> Response:
    """Answer 409 saying who changed the place and when, and each field old -> new since the version the page saw."""
    assert isinstance(err, ConflictError)
    body = request.scope.get(BODY_KEY) or {}
    seen = body.get("version") if isinstance(body.get("version"), str) else None
    try:
        since = await run_in_threadpool(changes_since, request.app.state.editor.data_path, err.ident, seen)
    except GeoError:
        since = None
    name = ((err.current or {}).get("properties") or {}).get("name") or err.ident
    if since is None:
        msg = f"{name} 已被他人修改，您的修改未保存 · {name} was changed by someone else meanwhile; yours was not saved"
    else:
        who, when = "、".join(since["editors"]), since["time"]
        msg = (
            f"{name} 已于 {when} 被 {who} {'删除' if err.current is None else '修改'}，您的修改未保存 · "
            f"{name} was {'removed' if err.current is None else 'changed'} by {', '.join(since['editors'])} "
            f"at {when}; yours was not saved"
        )
    extra: dict[str, Any] = {
        "conflict": True,
        "id": err.ident,
        "current": err.current,
        "version": err.version,
        "removed": err.current is None,
        "by": since["editors"] if since else [],
        "time": since["time"] if since else None,
        "changes": since["changes"] if since else {},
    }
    return JSONResponse({"error": msg, **extra}, status_code=409, headers=NO_STORE)


async def _invalid(_request: Request, err: Exception) -> Response:
    assert isinstance(err, ValidationError)
    problems = err.problems or [Problem.of(str(err))]
    return JSONResponse(refusal_body(problems), status_code=422, headers=NO_STORE)


async def _unavailable(_request: Request, err: Exception) -> Response:
    return said(503, "unavailable", reason=str(err).splitlines()[0][:300] if str(err) else "?")


async def _refused_by_geo(_request: Request, err: Exception) -> Response:
    return said(400, "refused", reason=str(err).splitlines()[0][:300])


async def _file_io(request: Request, err: Exception) -> Response:
    """Answer a full disk or a permission in one line (503), never a traceback."""
    assert isinstance(err, OSError)
    logger.warning("%s %s: %s", request.method, request.url.path, err)
    return said(503, "file_io", reason=err.strerror or type(err).__name__)


async def _internal(request: Request, err: Exception) -> Response:
    """Answer 500 in the catalogue's words; Starlette's error middleware then logs the traceback."""
    logger.error("%s %s failed: %s", request.method, request.url.path, type(err).__name__)
    return said(500, "internal")


#: Exception class -> its handler, for ``Starlette(exception_handlers=...)``.
EXCEPTION_HANDLERS: Mapping[Any, Handler] = {
    Refusal: _refusal,
    ConflictError: _conflict,
    ValidationError: _invalid,
    StoreError: _unavailable,
    GeoError: _refused_by_geo,
    OSError: _file_io,
    Exception: _internal,
}
