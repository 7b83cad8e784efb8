"""``geo serve``: the map as an editor, served from the data file, safe for several editors at once.

A Starlette application run by uvicorn. Reads need nothing; every write needs the
token printed at start, in the ``X-Geo-Token`` header (never a cookie, so no
cross-site request can carry it). Requests whose ``Host`` is not this server (DNS
rebinding) or whose ``Origin`` is another site are refused; bodies must be JSON
(``application/json``) of at most :data:`MAX_BODY_BYTES`. The page is served with a
Content-Security-Policy that runs only its own scripts (a fresh nonce per page).

Every save goes through :mod:`geo.places` (the same functions as the command line),
names the version of the place it edited, and gets ``409`` when the place changed
meanwhile; nothing is ever overwritten unseen. Saves are recorded in the history
(:mod:`geo.history`) and, with ``commit=True``, committed to git. Every open page
hears of every change (the server's own, and the command line's, seen by watching
the file) through server-sent events.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import re
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from geo import store
from geo.errors import ConflictError, GeoError, StoreError, ValidationError

__all__ = ["MAX_BODY_BYTES", "TOKEN_HEADER", "EditorServer", "create_app", "serve"]

logger = logging.getLogger(__name__)

#: Largest request body accepted (413 above it).
MAX_BODY_BYTES = 2 * 1024 * 1024
#: The header that carries the write token.
TOKEN_HEADER = "x-geo-token"
#: How often the data file is checked for changes made outside the server (seconds).
WATCH_INTERVAL = 0.2
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_READ_METHODS = frozenset({"GET", "HEAD"})
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_CHANGE = re.compile(r"\d{14}-[0-9a-f]{6}")
_NONCE = "__GEO_NONCE__"
#: Where a problem line points in the editor's form (first word of the problem -> form field).
_FIELDS = {"name": "name", "--area": "area", "stated_area_m2": "area", "--class": "class", "park_class": "class",
           "--status": "status", "status": "status", "source": "source", "geometry": "geometry",
           "--geometry": "geometry", "--lonlat": "geometry", "location": "geometry", "--address": "address",
           "--uncertainty": "uncertainty", "uncertainty_m": "uncertainty", "editor": "editor",
           "--name-en": "name-en", "name_en": "name-en"}  # fmt: skip


class _Refused(Exception):
    """An HTTP refusal: status and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _field_of(problem: str) -> str:
    """Return the form field a problem belongs next to: its ``field`` (:class:`geo.errors.Problem`), else ``form``."""
    return _FIELDS.get(getattr(problem, "field", ""), "form")


def problems_by_field(problems: list[str]) -> dict[str, list[str]]:
    """Group problem lines by the form field they concern (``form`` for the rest)."""
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(_field_of(problem), []).append(problem)
    return out


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass
class EditorServer:
    """The server's state: the data file's snapshot, the subscribers and the rules for requests."""

    data_path: Path
    token: str
    host: str = "127.0.0.1"
    port: int = 8765
    commit: bool = False
    node_modules: Path | None = None
    state: store.Snapshot = field(init=False)
    lock: threading.Lock = field(default_factory=threading.Lock)
    subscribers: set[asyncio.Queue[str]] = field(default_factory=set)
    _page: tuple[Any, str] | None = None
    _payload: tuple[Any, bytes] | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _payload_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.state = store.snapshot(self.data_path)

    # ---- request rules

    def _host_ok(self, host: str) -> bool:
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if port != str(self.port):
            return False
        every = self.host in ("0.0.0.0", "::")  # the user asked for every interface
        return name in ("localhost", "127.0.0.1", "[::1]", self.host) or (every and _is_ip(name))

    def refusal(self, method: str, headers: Headers) -> _Refused | None:
        """Return why a request is refused before it reaches a route, or None."""
        host = headers.get("host", "")
        if not self._host_ok(host):
            return _Refused(400, f"Host header {host[:80]!r} is not this server (refused: DNS rebinding protection)")
        origin = headers.get("origin")
        if origin is not None and not (origin.startswith("http://") and self._host_ok(origin[len("http://") :])):
            return _Refused(403, f"Origin {origin[:80]!r} is not this server: cross-site requests are refused")
        if method in _WRITE_METHODS:
            token = headers.get(TOKEN_HEADER)
            if not token:
                return _Refused(401, f"writes need the token printed by `geo serve`, in the {TOKEN_HEADER} header")
            if not hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode()):
                return _Refused(403, "the write token is wrong")
        elif method not in _READ_METHODS:
            return _Refused(405, f"method {method} is not allowed")
        return None

    # ---- the page

    def assets_base(self) -> str:
        """Serve the pinned front-end assets from ``node_modules`` when installed, else name the CDN."""
        from geo.render import CDN_BASE

        return "lib" if self.node_modules is not None else CDN_BASE

    def page(self) -> str:
        """Return the page for the file as it is now, with a nonce placeholder on every script."""
        with self.lock:
            signature, features = self.state.signature, list(self.state.features.values())
            metadata = self.state.members().get("metadata") or {}
        if self._page is not None and self._page[0] == signature:
            return self._page[1]
        from geo.render import build_map, page_html

        frame = store.places_to_frame(list(features))
        figures = metadata.get("district_figures") or [] if isinstance(metadata, dict) else []
        html = page_html(build_map(frame, asset_base=self.assets_base(), editor={"api": "api"},
                                   district_figures=figures))  # fmt: skip
        html = re.sub(r"<script\b", f'<script nonce="{_NONCE}"', html)
        self._page = (signature, html)
        return html

    def payload(self) -> bytes:
        """Return the map's columnar payload for the file as it is now (what the page redraws from)."""
        with self.lock:
            signature, features = self.state.signature, list(self.state.features.values())
        # One build per version: every page that hears of a change asks at once, and waits for the same build.
        with self._payload_lock:
            if self._payload is not None and self._payload[0] == signature:
                return self._payload[1]
            from geo._plugins.atlas import json_for_script
            from geo.render import encode_payload

            data = json_for_script(encode_payload(store.places_to_frame(list(features)))).encode("utf-8")
            self._payload = (signature, data)
            return data

    def csp(self, nonce: str) -> str:
        """Return the page's Content-Security-Policy: its own scripts only."""
        from geo.render import CDN_BASE

        cdn = "" if self.node_modules is not None else " " + CDN_BASE.split("/npm")[0]
        return (
            f"default-src 'none'; script-src 'self' 'nonce-{nonce}'{cdn}; style-src 'self' 'unsafe-inline'{cdn}; "
            f"img-src 'self' data: blob: https: http:; font-src 'self' data:{cdn}; connect-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )

    # ---- saving

    def save(self, editor: Any, action: str, do: Callable[[], Any]) -> dict[str, Any]:
        """Run one change under the server's lock, record it (and commit it), return the answer."""
        from geo.history import check_editor, commit_change, record_change

        editor = check_editor(editor)
        with self.lock:
            result = do()
            if not result.written:
                return {"ok": True, "dry_run": True, "warnings": result.warnings,
                        "features": result.features, **_measured(result.features)}  # fmt: skip
            before = result.previous[0] if result.previous else None
            after = result.features[0] if result.features else None
            ident = result.ids[0]
            versions = (store.version_of(before) if before else None, self.state.versions.get(ident))
            record = record_change(self.data_path, editor=editor, action=action, place=ident, before=before,
                                   after=after, versions=versions, position=result.position)  # fmt: skip
            commit = commit_change(self.data_path, record) if self.commit else None
            signature = self.state.signature
        self.publish({"changed": [ident] if after else [], "removed": [] if after else [ident], "by": editor,
                      "summary": record["summary"], "file": list(signature) if signature else None})  # fmt: skip
        return {"ok": True, "id": ident, "version": versions[1], "feature": after, "change": record["change"],
                "summary": record["summary"], "commit": commit, "warnings": result.warnings}  # fmt: skip

    # ---- live updates

    def publish(self, event: dict[str, Any]) -> None:
        """Queue one event for every open page (call from any thread)."""
        text = json.dumps(event, ensure_ascii=False)
        loop = self._loop
        for queue in list(self.subscribers):
            if loop is not None:
                loop.call_soon_threadsafe(_put, queue, text)

    def reload_if_changed(self) -> dict[str, Any] | None:
        """Reload the file if something else changed it; return the event to publish, or None."""
        signature = store.file_signature(self.data_path)
        if signature == self.state.signature:
            return None
        with self.lock:
            if store.file_signature(self.data_path) == self.state.signature:
                return None
            try:
                fresh = store.snapshot(self.data_path)
            except GeoError as err:
                logger.warning("the data file changed but cannot be loaded (%s); keeping the last good state", err)
                self.state.signature = signature
                return {"changed": [], "removed": [], "by": None, "error": str(err).splitlines()[0]}
            old = self.state.versions
            changed = [i for i, v in fresh.versions.items() if old.get(i) != v]
            removed = [i for i in old if i not in fresh.versions]
            self.state = fresh
        return {"changed": changed, "removed": removed, "by": "(outside the editor)",
                "file": list(fresh.signature) if fresh.signature else None}  # fmt: skip


def _put(queue: asyncio.Queue[str], text: str) -> None:
    with contextlib.suppress(asyncio.QueueFull):
        queue.put_nowait(text)


def _measured(features: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the mapped (geodesic) area of a drawn outline, for the form to show beside the stated area."""
    geom = features[0].get("geometry") if features else None
    if not geom or geom.get("type") == "Point":
        return {}
    from geo.places.outline import geodesic_area

    return {"mapped_area_m2": round(geodesic_area(geom), 1)}


class _Guard:
    """ASGI middleware: refuse foreign hosts and origins, unauthenticated writes and odd methods."""

    def __init__(self, app: ASGIApp, server: EditorServer) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self.server.refusal(scope["method"], Headers(scope=scope))
            if refusal is not None:
                await _error(refusal.status, refusal.message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers={"Cache-Control": "no-store"})


async def _body(request: Request) -> dict[str, Any]:
    from geo.geojson import decode

    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise _Refused(415, f"the body must be application/json, got {kind or 'no content type'!r}")
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        raise _Refused(413, f"the body may be at most {MAX_BODY_BYTES:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _Refused(413, f"the body may be at most {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    try:
        obj, _ = decode(b"".join(chunks), label="request body")
    except ValidationError as err:
        raise _Refused(400, str(err)) from None
    if not isinstance(obj, dict):
        raise _Refused(400, f"the body must be a JSON object, got {type(obj).__name__}")
    return obj


def _ident(request: Request) -> str:
    ident = str(request.path_params.get("ident", ""))
    if not _ID.fullmatch(ident):
        raise _Refused(404, f"no place has id {ident[:80]!r}")
    return ident


def _handle(endpoint: Callable[[Request, EditorServer], Any]) -> Callable[[Request], Any]:
    async def wrapped(request: Request) -> Response:
        server: EditorServer = request.app.state.editor
        try:
            return await endpoint(request, server)
        except _Refused as err:
            return _error(err.status, err.message)
        except ConflictError as err:
            return _error(409, str(err), conflict=True, id=err.ident, current=err.current, version=err.version)
        except ValidationError as err:
            return _error(422, err.problems[0], problems=err.problems, fields=problems_by_field(err.problems))
        except StoreError as err:
            return _error(503, str(err))
        except GeoError as err:
            return _error(400, str(err))

    return wrapped


# ---- routes: reading


async def _index(_request: Request, server: EditorServer) -> Response:
    html = await run_in_threadpool(server.page)
    nonce = secrets.token_urlsafe(16)
    headers = {"Content-Security-Policy": server.csp(nonce), "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}  # fmt: skip
    return HTMLResponse(html.replace(_NONCE, nonce), headers=headers)


async def _places(_request: Request, server: EditorServer) -> Response:
    with server.lock:
        features = list(server.state.features.values())
        versions = dict(server.state.versions)
    return JSONResponse({"type": "FeatureCollection", "features": features, "versions": versions},
                        headers={"Cache-Control": "no-store"})  # fmt: skip


async def _place(request: Request, server: EditorServer) -> Response:
    ident = _ident(request)
    with server.lock:
        feature = server.state.features.get(ident)
        version = server.state.versions.get(ident)
    if feature is None:
        raise _Refused(404, f"no place has id {ident!r}")
    return JSONResponse({"feature": feature, "version": version}, headers={"Cache-Control": "no-store"})


async def _payload(_request: Request, server: EditorServer) -> Response:
    data = await run_in_threadpool(server.payload)
    return Response(data, media_type="application/json", headers={"Cache-Control": "no-store"})


async def _history(request: Request, server: EditorServer) -> Response:
    from geo.history import read_history

    place = request.query_params.get("place")
    records = await run_in_threadpool(read_history, server.data_path, place)
    return JSONResponse({"changes": records[-200:]}, headers={"Cache-Control": "no-store"})


async def _events(request: Request, server: EditorServer) -> Response:
    queue: asyncio.Queue[str] = asyncio.Queue(maxsize=1000)
    server.subscribers.add(queue)

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 1000\n\n"
            while True:
                try:
                    text = await asyncio.wait_for(queue.get(), timeout=15)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: change\ndata: {text}\n\n"
        finally:
            server.subscribers.discard(queue)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})  # fmt: skip


async def _asset(request: Request, server: EditorServer) -> Response:
    from geo.render import ASSETS

    if server.node_modules is None:
        raise _Refused(404, "front-end assets are not installed here (run `npm ci`)")
    package, _, version = str(request.path_params["package"]).rpartition("@")
    if (package, version) not in {(p, v) for p, v, _ in ASSETS.values()}:
        raise _Refused(404, "no such asset")
    root = (server.node_modules / package).resolve()
    target = (root / str(request.path_params["path"])).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise _Refused(404, "no such asset")
    return FileResponse(target, headers={"X-Content-Type-Options": "nosniff"})


# ---- routes: writing


def _get(body: dict[str, Any], key: str) -> Any:
    """Return a member of a request body (anything: the places functions check it)."""
    return body.get(key)


def _text(body: dict[str, Any], key: str) -> Any:
    value = _get(body, key)
    return value.strip() if isinstance(value, str) and value.strip() else (None if value in ("", None) else value)


async def _add(request: Request, server: EditorServer) -> Response:
    from geo.places import add_place, make_park

    body = await _body(request)
    geometry = _get(body, "geometry")
    is_point = isinstance(geometry, dict) and geometry.get("type") == "Point"

    def do() -> Any:
        feature, notes = make_park(
            _get(body, "name"), area_m2=_text(body, "area"), park_class=_text(body, "class"),
            status=_text(body, "status") or "open", name_en=_text(body, "name-en") or _text(body, "name_en"), source=_text(body, "source"),
            datum=_get(body, "datum") or "wgs84", outline=_get(body, "outline") or "drawn",
            lonlat=geometry.get("coordinates") if is_point else None, geometry=None if is_point else geometry,
            uncertainty_m=_get(body, "uncertainty_m"), notes=_text(body, "notes"),
        )  # fmt: skip
        result = add_place(feature, server.data_path, confirm_area=bool(_get(body, "confirm_area")),
                           dry_run=bool(_get(body, "dry_run")), state=server.state)  # fmt: skip
        result.warnings = notes + result.warnings
        result.previous = [None]
        return result

    answer = await run_in_threadpool(server.save, _get(body, "editor"), "add", do)
    return JSONResponse(answer, status_code=200 if answer.get("dry_run") else 201)


async def _update(request: Request, server: EditorServer) -> Response:
    from geo.places import update_place

    ident = _ident(request)
    body = await _body(request)
    changes = _get(body, "changes")
    if not isinstance(changes, dict) or not changes:
        raise _Refused(422, "changes: give an object of field -> new value")

    def do() -> Any:
        return update_place(ident, changes, server.data_path, expect_version=_version(body),
                            dry_run=bool(_get(body, "dry_run")), state=server.state)  # fmt: skip

    return JSONResponse(await run_in_threadpool(server.save, _get(body, "editor"), "update", do))


def _version(body: dict[str, Any]) -> str:
    version = _get(body, "version")
    if not isinstance(version, str) or not re.fullmatch(r"[0-9a-f]{16}", version):
        raise _Refused(422, f"version: the version of the place you edited is required, got {version!r}")
    return version


async def _locate(request: Request, server: EditorServer) -> Response:
    from geo.places import set_location

    ident = _ident(request)
    body = await _body(request)

    def do() -> Any:
        return set_location(ident, server.data_path, source=_get(body, "source"), lonlat=_get(body, "lonlat"),
                            address=_text(body, "address"), datum=_get(body, "datum") or "wgs84",
                            uncertainty_m=_get(body, "uncertainty_m"), expect_version=_version(body),
                            dry_run=bool(_get(body, "dry_run")), state=server.state)  # fmt: skip

    return JSONResponse(await run_in_threadpool(server.save, _get(body, "editor"), "place", do))


async def _outline(request: Request, server: EditorServer) -> Response:
    from geo.places import set_outline

    ident = _ident(request)
    body = await _body(request)

    def do() -> Any:
        return set_outline(ident, _get(body, "geometry"), server.data_path, datum=_get(body, "datum") or "wgs84",
                           source=_text(body, "source"), expect_version=_version(body),
                           confirm_area=bool(_get(body, "confirm_area")), dry_run=bool(_get(body, "dry_run")),
                           state=server.state)  # fmt: skip

    return JSONResponse(await run_in_threadpool(server.save, _get(body, "editor"), "outline", do))


async def _remove(request: Request, server: EditorServer) -> Response:
    from geo.places import remove_place

    ident = _ident(request)
    body = await _body(request)

    def do() -> Any:
        return remove_place(ident, server.data_path, expect_version=_version(body), state=server.state)

    return JSONResponse(await run_in_threadpool(server.save, _get(body, "editor"), "remove", do))


async def _undo(request: Request, server: EditorServer) -> Response:
    from geo.places import undo_change

    change = str(request.path_params.get("change", ""))
    if not _CHANGE.fullmatch(change):
        raise _Refused(404, f"no recorded change has id {change[:40]!r}")
    body = await _body(request)

    def do() -> dict[str, Any]:
        from geo.history import commit_change

        with server.lock:
            result, record = undo_change(change, server.data_path, editor=_get(body, "editor"), state=server.state)
            commit = commit_change(server.data_path, record) if server.commit else None
        ident = result.ids[0]
        server.publish({"changed": [ident] if result.features else [], "removed": [] if result.features else [ident],
                        "by": record["editor"], "summary": record["summary"]})  # fmt: skip
        return {"ok": True, "id": ident, "version": record["version_after"], "change": record["change"],
                "summary": record["summary"], "commit": commit}  # fmt: skip

    return JSONResponse(await run_in_threadpool(do))


def create_app(server: EditorServer) -> Starlette:
    """Return the ASGI application for one data file."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        server._loop = asyncio.get_running_loop()
        task = asyncio.create_task(_watch(server))
        try:
            yield
        finally:
            task.cancel()

    routes = [
        Route("/", _handle(_index)),
        Route("/lib/{package}/{path:path}", _handle(_asset)),
        Route("/api/places", _handle(_places), methods=["GET"]),
        Route("/api/places", _handle(_add), methods=["POST"]),
        Route("/api/places/{ident}", _handle(_place), methods=["GET"]),
        Route("/api/places/{ident}", _handle(_update), methods=["PATCH"]),
        Route("/api/places/{ident}", _handle(_remove), methods=["DELETE"]),
        Route("/api/places/{ident}/location", _handle(_locate), methods=["PUT"]),
        Route("/api/places/{ident}/outline", _handle(_outline), methods=["PUT"]),
        Route("/api/payload", _handle(_payload)),
        Route("/api/events", _handle(_events)),
        Route("/api/history", _handle(_history)),
        Route("/api/undo/{change}", _handle(_undo), methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.editor = server
    app.add_middleware(_Guard, server=server)
    return app


async def _watch(server: EditorServer) -> None:
    """Publish changes made to the file by anyone else (the command line, an editor, git)."""
    while True:
        await asyncio.sleep(WATCH_INTERVAL)
        try:
            event = await run_in_threadpool(server.reload_if_changed)
        except Exception:  # a watcher must outlive any one bad read
            logger.exception("watching the data file failed")
            continue
        if event is not None:
            server.publish(event)


def serve(server: EditorServer, *, ready: Callable[[str], None] | None = None) -> None:
    """Bind, say where (``ready(url)``), and serve until interrupted.

    The socket is bound first so that ``port=0`` picks a free port and the URL printed is the real one.
    """
    import socket

    import uvicorn

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
        ready(f"http://{shown}:{server.port}/#token={server.token}")
    config = uvicorn.Config(create_app(server), log_level="warning", timeout_graceful_shutdown=1,
                            lifespan="on", access_log=False)  # fmt: skip
    uvicorn.Server(config).run(sockets=[sock])
