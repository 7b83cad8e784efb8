"""The request guard: what every request must pass before a route sees it.

:class:`RequestGuard` is ASGI middleware. It refuses a ``Host`` that is not this server (DNS
rebinding, 400), an ``Origin`` of another site (403), a write without a key (401) and a method
the API does not use (405); then :func:`identify` names who sent the request from its key alone,
or refuses a wrong key (401/403), counting wrong keys per address (429 past
:data:`~geo.server.limits.GUESS_LIMIT` a minute). Who it found is put in the request's state
(:func:`person_of`), for the routes' role checks.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections import deque
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from geo.editors import Person
from geo.server.limits import GUESS_LIMIT, GUESS_WINDOW
from geo.server.refusals import Refusal, refused

if TYPE_CHECKING:
    from geo.server.state import EditorServer

__all__ = ["TOKEN_HEADER", "WRITE_METHODS", "Guesses", "RequestGuard", "check_request", "identify", "person_of"]

#: The header that carries the write token or a person's key.
TOKEN_HEADER = "x-geo-token"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_READ_METHODS = frozenset({"GET", "HEAD"})
_WHO = "geo.who"
#: Addresses remembered before the ones whose wrong keys are all old are forgotten.
_MAX_ADDRESSES = 4096


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _host_ok(server: EditorServer, host: str) -> bool:
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if port != str(server.port):
        return False
    every = server.host in ("0.0.0.0", "::")  # the user asked for every interface
    return name in ("localhost", "127.0.0.1", "[::1]", server.host) or (every and _is_ip(name))


def check_request(server: EditorServer, method: str, headers: Headers) -> Refusal | None:
    """Return why a request is refused before anyone is identified (host, origin, method, a write's key), or None.

    Parameters
    ----------
    server : EditorServer
    method : str
    headers : starlette.datastructures.Headers

    Returns
    -------
    Refusal or None
    """
    host = headers.get("host", "")
    if not _host_ok(server, host):
        return Refusal(400, code="host", values={"host": repr(host[:80])})
    origin = headers.get("origin")
    if origin is not None and not (origin.startswith("http://") and _host_ok(server, origin[len("http://") :])):
        return Refusal(403, code="origin", values={"origin": repr(origin[:80])})
    if method in WRITE_METHODS:
        if not headers.get(TOKEN_HEADER):
            return Refusal(401, code="token_required")
    elif method not in _READ_METHODS:
        return Refusal(405, code="method", values={"method": method[:20]})
    return None


class Guesses:
    """Wrong keys sent lately, per client address."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}

    def throttled(self, address: str, *, add: bool = False) -> bool:
        """Return whether ``address`` sent :data:`GUESS_LIMIT` wrong keys in the last minute (``add``: one more).

        Parameters
        ----------
        address : str
        add : bool
            Count one more wrong key first.

        Returns
        -------
        bool
        """
        now = time.monotonic()
        seen = self._seen.setdefault(address, deque())
        while seen and seen[0] < now - GUESS_WINDOW:
            seen.popleft()
        if add:
            seen.append(now)
            if len(self._seen) > _MAX_ADDRESSES:  # many addresses: forget the ones whose guesses are all old
                for other in [a for a, times in self._seen.items() if times[-1] < now - GUESS_WINDOW]:
                    del self._seen[other]
        if not seen:
            self._seen.pop(address, None)
        return len(seen) >= GUESS_LIMIT


async def identify(server: EditorServer, scope: Scope) -> Person | None:
    """Return who sent a request from its key alone (None: a viewer), or refuse it.

    Without an editors file the single shared token is checked, and names come from the
    request as before. Wrong keys are counted per address: past :data:`GUESS_LIMIT` in
    :data:`GUESS_WINDOW` seconds, keys not already seen working get 429 (no scrypt is run),
    while reads without a key and keys already seen working go on as usual.

    Parameters
    ----------
    server : EditorServer
    scope : starlette.types.Scope
        The request's ASGI scope.

    Returns
    -------
    geo.editors.Person or None

    Raises
    ------
    Refusal
        A write with a wrong key (401 with an editors file, 403 for a wrong shared token), or 429.
    """
    key = Headers(scope=scope).get(TOKEN_HEADER)
    if not key:
        return None
    writing = scope["method"] in WRITE_METHODS
    address = str((scope.get("client") or ("?",))[0])
    roster = server.roster
    roster.refresh()
    known = roster.known(key) if roster.exists() else None
    if known is not None:
        return known
    if server.guesses.throttled(address):
        if not writing:
            return None
        raise Refusal(429, code="rate_limit")
    if not roster.exists():
        if hmac.compare_digest(key.encode("utf-8", "replace"), server.token.encode()):
            return Person("", "reviewer", shared=True)
        person = None
    else:
        person = await run_in_threadpool(roster.resolve, key)
    if person is None:
        server.guesses.throttled(address, add=True)
        if writing:
            raise Refusal(401, code="key_wrong") if roster.exists() else Refusal(403, code="token_wrong")
    return person


def person_of(request: Request) -> Person | None:
    """Return who the guard found sent ``request`` (None: no key, a viewer).

    Parameters
    ----------
    request : starlette.requests.Request

    Returns
    -------
    geo.editors.Person or None
    """
    person = request.scope.get("state", {}).get(_WHO)
    return person if isinstance(person, Person) else None


class RequestGuard:
    """ASGI middleware: refuse foreign hosts and origins, unauthenticated writes and odd methods; name the sender.

    Parameters
    ----------
    app : starlette.types.ASGIApp
        The application it guards.
    server : EditorServer
        Whose host, port, token and editors it checks against.
    """

    def __init__(self, app: ASGIApp, server: EditorServer) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a refused request here; pass every other one on, with who sent it."""
        if scope["type"] == "http":
            refusal = check_request(self.server, scope["method"], Headers(scope=scope))
            if refusal is None:
                try:
                    scope.setdefault("state", {})[_WHO] = await identify(self.server, scope)
                except Refusal as err:
                    refusal = err
            if refusal is not None:
                await refused(refusal)(scope, receive, send)
                return
        await self.app(scope, receive, send)
