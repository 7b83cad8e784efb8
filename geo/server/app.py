"""The ASGI application and ``geo serve``'s uvicorn server: routes, guard, exception handlers, watcher."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable

import anyio
import h11
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from uvicorn.protocols.http.h11_impl import H11Protocol

from geo.errors import StoreError
from geo.server.guard import RequestGuard
from geo.server.handlers import EXCEPTION_HANDLERS
from geo.server.limits import timeout
from geo.server.routes import routes
from geo.server.state import EditorServer
from geo.server.watch import watch_files

__all__ = ["create_app", "serve"]


def create_app(server: EditorServer) -> Starlette:
    """Return the ASGI application for one data file.

    Parameters
    ----------
    server : EditorServer
        The state of the data file the routes read and write.

    Returns
    -------
    starlette.applications.Starlette
        Guarded by :class:`~geo.server.guard.RequestGuard`; errors answered by
        :data:`~geo.server.handlers.EXCEPTION_HANDLERS`; the file watcher runs while it serves.
    """

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        server.start()
        stop = anyio.Event()
        watcher = asyncio.create_task(watch_files(server, stop))
        try:
            yield
        finally:
            stop.set()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers=dict(EXCEPTION_HANDLERS),
        middleware=[Middleware(RequestGuard, server=server)],
    )
    app.state.editor = server
    return app


class _TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers (uvicorn has none of its own)."""

    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's head."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Keep the clock running while only part of a request's head has come, stop it once it is whole."""
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._arm()  # part of a request's head so far: the clock runs from its first byte
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(timeout("header_timeout"), self._too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
            self.transport.close()


def serve(server: EditorServer, *, ready: Callable[[str], None] | None = None) -> None:
    """Bind, say where (``ready(url)``), and serve until interrupted.

    The socket is bound first so that ``port=0`` picks a free port and the URL printed is the real one.

    Parameters
    ----------
    server : EditorServer
    ready : callable, optional
        Called with the page's URL once the socket listens (with ``#token=`` when there is no editors file).

    Raises
    ------
    geo.errors.StoreError
        The address cannot be listened on.
    """
    family = socket.AF_INET6 if ":" in server.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((server.host, server.port))
    except OSError as err:
        sock.close()
        msg = f"--port: cannot listen on {server.host}:{server.port}: {err.strerror}"
        raise StoreError(msg) from err
    server.port = sock.getsockname()[1]
    shown = "127.0.0.1" if server.host in ("0.0.0.0", "::") else server.host
    shown = f"[{shown}]" if ":" in shown else shown
    if ready is not None:
        # With an editors file each person opens the link `geo editors add` printed; there is no shared token.
        ready(f"http://{shown}:{server.port}/" + ("" if server.roster.exists() else f"#token={server.token}"))
    config = uvicorn.Config(
        create_app(server),
        log_level="warning",
        timeout_graceful_shutdown=1,
        lifespan="on",
        access_log=False,
        http=_TimedH11Protocol,
        timeout_keep_alive=5,
    )
    uvicorn.Server(config).run(sockets=[sock])
