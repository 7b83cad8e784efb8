"""What routes share: the server behind a request, the role a route needs, who a change is recorded under."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from geo.places import ChangeResult
from geo.server.guard import person_of
from geo.server.refusals import Refusal
from geo.server.state import EditorServer

__all__ = ["Endpoint", "editor_of", "needs", "run_write", "save_change", "save_edit", "who"]

Endpoint = Callable[[Request], Awaitable[Response]]
_T = TypeVar("_T")

_ROLE_NAMES = {"proposer": "提议人 proposer", "editor": "编辑 editor", "reviewer": "审核人 reviewer"}
_NEEDS = {"propose": "提议 proposing", "write": "编辑 editing the data", "review": "审核 reviewing proposals"}


def editor_of(request: Request) -> EditorServer:
    """Return the server state a request is served by.

    Parameters
    ----------
    request : starlette.requests.Request
        The request being answered.

    Returns
    -------
    EditorServer
    """
    server: EditorServer = request.app.state.editor
    return server


def needs(capability: str) -> Callable[[Endpoint], Endpoint]:
    """Let only a key whose role allows ``capability`` reach the route (401 without a key, else 403).

    Parameters
    ----------
    capability : str
        ``propose``, ``write`` or ``review``.

    Returns
    -------
    callable
        A decorator for an endpoint.
    """

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def checked(request: Request) -> Response:
            person = person_of(request)
            if person is None:
                raise Refusal(401, code="key_required")
            if not person.may(capability):
                zh, _, en = _ROLE_NAMES.get(person.role, person.role).partition(" ")
                need_zh, _, need = _NEEDS[capability].partition(" ")
                values = {"name": person.name, "role_zh": zh, "role": en or zh, "need_zh": need_zh, "need": need}
                raise Refusal(403, code="not_allowed", values=values)
            return await endpoint(request)

        return checked

    return decorate


def who(request: Request, body: dict[str, Any]) -> object:
    """Return the name a change is recorded under: the key's, never the body's (the shared token: the body's).

    Parameters
    ----------
    request : starlette.requests.Request
    body : dict
        The request's body (its ``editor`` is read only with the shared token).

    Returns
    -------
    object
        To be checked by :func:`geo.history.check_editor`.
    """
    person = person_of(request)
    return body.get("editor") if person is None or person.shared else person.name


async def run_write(server: EditorServer, fn: Callable[[], _T]) -> _T:
    """Run a save in a worker thread (never in the event loop), at most a few at once.

    Parameters
    ----------
    server : EditorServer
    fn : callable
        The save (it takes the locks it needs).

    Returns
    -------
    object
        What ``fn`` returns.
    """
    return await anyio.to_thread.run_sync(fn, limiter=server.write_limiter)


async def save_change(
    request: Request, body: dict[str, Any], do: Callable[[str], ChangeResult], *, dry_run: bool = False
) -> dict[str, Any]:
    """Save one change in a worker thread, recorded under :func:`who` made it; return the answer.

    Parameters
    ----------
    request : starlette.requests.Request
    body : dict
        The request's body.
    do : callable
        ``do(editor)`` makes the change, as for :meth:`geo.server.saving.DataFile.save`.
    dry_run : bool
        Check the change, write nothing.

    Returns
    -------
    dict
        The answer :meth:`geo.server.saving.DataFile.save` gives.
    """
    server = editor_of(request)
    return await run_write(server, lambda: server.file.save(who(request, body), do, dry_run=dry_run))


async def save_edit(
    request: Request, body: dict[str, Any], change: Callable[..., ChangeResult], *args: Any, **options: Any
) -> dict[str, Any]:
    """Save ``change(*args, data_path, **options, state=..., editor=...)``, one of :mod:`geo.places`' changes.

    Parameters
    ----------
    request, body
        As for :func:`save_change`.
    change : callable
        A change of :mod:`geo.places` that takes the data path after ``args``, and ``state`` and ``editor``.
    *args, **options : Any
        Its arguments before the data path, and its keyword options (``dry_run`` among them, if any).

    Returns
    -------
    dict
        The answer, as :func:`save_change` gives it.
    """
    server = editor_of(request)

    def do(editor: str) -> ChangeResult:
        return change(*args, server.data_path, **options, state=server.file.state, editor=editor)

    return await save_change(request, body, do, dry_run=options.get("dry_run", False))
