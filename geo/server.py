"""``geo serve``: the map as an editor, served from the data file, safe for several editors at once.

A Starlette application run by uvicorn. Reads need nothing; every write needs the
token printed at start, in the ``X-Geo-Token`` header (never a cookie, so no
cross-site request can carry it), or, once ``geo editors add`` has made an editors file
(:mod:`geo.editors`), each person's own key: the key alone names who writes, its role
decides which routes it may use, and proposers' changes wait in :mod:`geo.proposals`. Requests whose ``Host`` is not this server (DNS
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
from collections import deque
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
from geo.editors import Person, Roster
from geo.errors import ConflictError, GeoError, Problem, StoreError, ValidationError

__all__ = ["GUESS_LIMIT", "MAX_BODY_BYTES", "TOKEN_HEADER", "EditorServer", "create_app", "identify", "serve"]

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
#: Wrong keys one address may send per :data:`GUESS_WINDOW` seconds before it gets 429.
GUESS_LIMIT = 10
GUESS_WINDOW = 60.0
_CLOSE = "\x00close"  # queued to an event stream whose key was revoked
#: Which form field of the editor shows a problem about a model field or request member (else the form's list).
_FIELDS = {"name": "name", "name_en": "name-en", "name-en": "name-en", "stated_area_m2": "area", "area": "area",
           "park_class": "class", "class": "class", "status": "status", "source": "source",
           "location_source": "source", "stated_area_source": "source", "status_source": "source",
           "geometry": "geometry", "lonlat": "lonlat", "zoom": "geometry", "address": "address",
           "uncertainty_m": "uncertainty", "uncertainty": "uncertainty", "editor": "editor", "reason": "reason",
           "confirm_area": "confirm_area", "notes": "notes"}  # fmt: skip


class _Refused(Exception):
    """An HTTP refusal: status and one problem (worded by the catalogue's ``refusals`` when given a ``code``)."""

    def __init__(self, status: int, message: str = "", *, code: str = "", field: str = "",
                 values: dict[str, Any] | None = None) -> None:  # fmt: skip
        values = values or {}
        self.status = status
        if code:  # the refusals section words it; the problem carries both languages through problem_record
            words = {lang: _refusal_words(code, lang, values) for lang in ("zh-CN", "en")}
            self.problem = Problem("", field, words["en"], "refused", code=f"refusals.{code}", values=values)
            message = f"{words['zh-CN']} / {words['en']}"
        else:
            self.problem = Problem("", field, message, "refused")
        super().__init__(message)
        self.message = message


def _refusal_words(code: str, language: str, values: dict[str, Any]) -> str:
    from geo.locale import merged

    out = str(merged(language)["refusals"][code])
    for name, value in values.items():
        out = out.replace("{" + name + "}", str(value))
    return out


def _field_of(problem: Problem) -> str:
    """Return the form field a problem belongs next to (``form`` for the form's own list)."""
    return _FIELDS.get(problem.field, "form")


def problems_by_field(problems: list[Problem]) -> dict[str, list[str]]:
    """Group the problems' Chinese words by the form field they concern (``form`` for the rest)."""
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(_field_of(problem), []).append(_problem_json(problem)["text"]["zh-CN"])
    return out


def _problem_json(problem: Problem) -> dict[str, Any]:
    from geo.locale import problem_record

    if problem.code.startswith("refusals."):
        code = problem.code.removeprefix("refusals.")
        words = {lang: _refusal_words(code, lang, dict(problem.values)) for lang in ("zh-CN", "en")}
        return {"field": problem.field, "kind": problem.kind, "code": problem.code, "where": problem.where,
                "values": dict(problem.values), "text": words}  # fmt: skip
    if problem.kind == "refused":  # a refusal worded in its message (both languages already)
        return {"field": problem.field, "kind": problem.kind, "code": "", "where": "", "values": {},
                "text": {"zh-CN": problem.text, "en": problem.text}}  # fmt: skip
    return problem_record(problem)


def refusal_body(problems: list[Problem]) -> dict[str, Any]:
    """Return the body of a refusal: the first problem in both languages, every problem as data, and by form field.

    Parameters
    ----------
    problems : list of geo.errors.Problem

    Returns
    -------
    dict
        ``{"error": "<zh-CN> / <en>", "problems": [...], "fields": {form field: [zh-CN texts]}}``.
    """
    records = [_problem_json(p) for p in problems]
    first = records[0]["text"] if records else {"zh-CN": "?", "en": "?"}
    error = first["zh-CN"] if first["zh-CN"] == first["en"] else f"{first['zh-CN']} / {first['en']}"
    return {"error": error, "problems": records, "fields": problems_by_field(problems)}


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
    #: What reads answer from: replaced whole after each save or reload, so a read never waits for a write.
    view: _View = field(init=False)
    #: Why the file on disk cannot be loaded (saves are refused with 503 until it can), or None.
    broken: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    subscribers: set[asyncio.Queue[str]] = field(default_factory=set)
    _page: tuple[Any, Any] | None = None
    _payload: tuple[Any, bytes] | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _payload_lock: threading.Lock = field(default_factory=threading.Lock)
    _broken_signature: Any = None
    #: Saves run in worker threads, at most this many at once (set when serving starts).
    write_limiter: Any = None
    _lib: dict[str, Path] = field(default_factory=dict)
    roster: Roster = field(init=False)
    #: Open event streams opened with a key -> that key's id (closed when it is revoked).
    streams: dict[asyncio.Queue[str], str] = field(default_factory=dict)
    review_lock: threading.Lock = field(default_factory=threading.Lock)
    guesses: dict[str, deque[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from geo.history import drift, record_outside, settle

        self.roster = Roster(self.data_path)

        # Under the file's lock: a change another process has under way is not mistaken for an interrupted one.
        with store.lock(self.data_path):
            self.state = store.snapshot(self.data_path)
            try:
                settle(self.data_path, self.state.versions)
                # What changed outside geo since it was last recorded (a hand edit) goes on record now.
                missed = {place: r.get("after") for place, r in drift(self.data_path, self.state.versions).items()}
                record_outside(self.data_path, missed, self.state.features)
            except StoreError as err:  # an unreadable history refuses saves (each says why), not the server's start
                logger.warning("%s", err)
        self._publish_view()
        if self.node_modules is not None:
            self._lib = _page_assets(self.node_modules)

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
            return _Refused(400, code="host", values={"host": repr(host[:80])})
        origin = headers.get("origin")
        if origin is not None and not (origin.startswith("http://") and self._host_ok(origin[len("http://") :])):
            return _Refused(403, code="origin", values={"origin": repr(origin[:80])})
        if method in _WRITE_METHODS:
            token = headers.get(TOKEN_HEADER)
            if not token:
                return _Refused(401, code="token_required")
        elif method not in _READ_METHODS:
            return _Refused(405, code="method", values={"method": method[:20]})
        return None

    # ---- the page

    def assets_base(self) -> str:
        """Serve the pinned front-end assets from ``node_modules`` when installed, else name the CDN."""
        from geo.render import CDN_BASE

        return "lib" if self.node_modules is not None else CDN_BASE

    def page(self, nonce: str) -> str:
        """Return the page for the file as it is now, with ``nonce`` on every script element.

        The page is rendered once per version of the file (:func:`geo.render.nonced_page`): its templates
        place the nonce, and each response fills in its own.
        """
        view = self.view
        if self._page is None or self._page[0] != view.signature:
            from geo.render import build_map, nonced_page

            frame = store.places_to_frame(list(view.features.values()))
            metadata = view.members.get("metadata") or {}
            figures = metadata.get("district_figures") or [] if isinstance(metadata, dict) else []
            self._page = (view.signature, nonced_page(build_map(frame, asset_base=self.assets_base(), editor={"api": "api"},
                                                                district_figures=figures, downloads=_DOWNLOADS)))  # fmt: skip
        return self._page[1].html(nonce)

    def payload(self) -> bytes:
        """Return the map's columnar payload for the file as it is now (what the page redraws from)."""
        view = self.view
        signature, features = view.signature, list(view.features.values())
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

    def save(self, editor: Any, do: Callable[[str], Any], *, dry_run: bool = False) -> dict[str, Any]:
        """Run one change (recorded by the places function, see :func:`geo.history.apply_change`); return the answer.

        Runs in a worker thread, never in the event loop. The server's lock is waited for at most the
        lock timeout; a change made to the file meanwhile (a hand edit, the command line) is loaded first,
        and a file that cannot be loaded refuses every save (503) rather than being written over.
        """
        from geo.history import check_editor

        editor = check_editor(editor)
        if not self.lock.acquire(timeout=_lock_wait()):
            raise StoreError("另一个保存仍在等待数据文件，请稍后再试 / another save is still waiting for the data file; "
                             "nothing was saved, try again")  # fmt: skip
        outside: dict[str, Any] | None = None
        was = self.broken
        try:
            outside = self._catch_up()
            result = do(editor)
            if not result.written:
                return self._unwritten(result, dry_run)
            record = result.records[0]
            commit, warnings = self._commit(record)
            self._publish_view()
            signature = self.state.signature
        finally:
            self.lock.release()
            if outside is not None:  # what was loaded before the save, announced even if the save was refused
                self.publish(outside)
            elif self.broken is not None and self.broken != was:  # this save found the file unreadable first
                self.publish(self.broken_event())
        after = record["after"]
        self.publish({"changed": [record["place"]] if after else [], "removed": [] if after else [record["place"]],
                      "by": editor, "summary": record["summary"], "file": list(signature) if signature else None})  # fmt: skip
        return {"ok": True, "id": record["place"], "version": record["version_after"], "feature": after,
                "change": record["change"], "summary": record["summary"], "commit": commit,
                "warnings": result.warnings + warnings}  # fmt: skip

    def _unwritten(self, result: Any, dry_run: bool) -> dict[str, Any]:
        if dry_run:
            return {"ok": True, "dry_run": True, "warnings": result.warnings, "features": result.features,
                    **_measured(result.features)}  # fmt: skip
        ident = result.ids[0]
        return {"ok": True, "unchanged": True, "id": ident, "version": self.state.versions.get(ident), "change": None,
                "commit": None, "warnings": [*result.warnings, "没有改动 / nothing changed: nothing was written"]}  # fmt: skip

    def _commit(self, record: dict[str, Any]) -> tuple[str | None, list[str]]:
        """Commit the saved change (``--commit``); a git failure is a warning: the change is saved and recorded."""
        if not self.commit:
            return None, []
        from geo.history import commit_change

        try:
            return commit_change(self.data_path, record), []
        except StoreError as err:
            logger.warning("%s", err)
            return None, [f"已保存并记录，但未能提交到 git / saved and recorded, but not committed: {err}"]

    def _catch_up(self) -> dict[str, Any] | None:
        """Load the file if something else changed it (call under the lock); return the event, or raise if unreadable."""
        signature = store.file_signature(self.data_path)
        if self.broken is not None and signature == self._broken_signature:
            raise StoreError(self.broken)
        if signature == self.state.signature and self.broken is None:
            return None
        try:
            fresh = store.snapshot(self.data_path)
        except GeoError as err:
            lines = (
                [str(p) for p in err.problems[1:] or err.problems] if isinstance(err, ValidationError) else [str(err)]
            )
            more = f" (+{len(lines) - 1})" if len(lines) > 1 else ""
            self.broken = ("磁盘上的数据文件无法读取，修好之前不保存任何改动 / the data file on disk cannot be loaded, so "
                           f"nothing is saved until it is fixed: {lines[0].splitlines()[0][:300]}{more}")  # fmt: skip
            self._broken_signature = signature
            logger.warning("%s", self.broken)
            raise StoreError(self.broken) from None
        old = self.state.versions
        changed = [i for i, v in fresh.versions.items() if old.get(i) != v]
        removed = [i for i in old if i not in fresh.versions]
        self._record_outside(fresh, {i: self.state.features.get(i) for i in [*changed, *removed]})
        self.state, self.broken, self._broken_signature = fresh, None, None
        self._publish_view()
        return {"changed": changed, "removed": removed, "by": "(outside the editor)",
                "file": list(fresh.signature) if fresh.signature else None}  # fmt: skip

    def _record_outside(self, fresh: store.Snapshot, candidates: dict[str, Any]) -> None:
        """Record what changed in the file without a record (a hand edit; the command line records its own)."""
        from geo.history import record_outside

        try:
            with store.lock(self.data_path, timeout=2):
                if store.file_signature(self.data_path) == fresh.signature:  # else: the next look records it
                    record_outside(self.data_path, candidates, fresh.features)
        except StoreError as err:
            logger.warning("a change made outside the editor is loaded but not recorded: %s", err)

    def _publish_view(self) -> None:
        state = self.state
        self.view = _View(state.signature, dict(state.features), dict(state.versions), state.members())

    # ---- live updates

    def publish(self, event: dict[str, Any]) -> None:
        """Queue one event for every open page (call from any thread)."""
        text = json.dumps(event, ensure_ascii=False)
        loop = self._loop
        for queue in list(self.subscribers):
            if loop is not None:
                loop.call_soon_threadsafe(_put, queue, text)

    def broken_event(self) -> dict[str, Any]:
        """Return the event that tells a page the file cannot be loaded (its ``summary`` is shown on the page)."""
        return {"changed": [], "removed": [], "by": None, "error": self.broken, "summary": self.broken}

    def reload_if_changed(self) -> dict[str, Any] | None:
        """Reload the file if something else changed it; return the event to publish, or None.

        Never waits: while a save holds the lock, the next round looks again. A file that cannot be loaded
        is not taken as read (its signature is not kept), so no save trusts the last good state over it.
        """
        signature = store.file_signature(self.data_path)
        if signature == self.state.signature and self.broken is None:
            return None
        if not self.lock.acquire(blocking=False):
            return None
        try:
            was = self.broken
            try:
                return self._catch_up()
            except StoreError:
                return self.broken_event() if self.broken != was else None
        finally:
            self.lock.release()


@dataclass(frozen=True)
class _View:
    """The file as the last save or reload left it: what every read answers from."""

    signature: Any
    features: dict[str, dict[str, Any]]
    versions: dict[str, str]
    members: dict[str, Any]


def _lock_wait() -> float:
    from geo.settings import env

    try:
        return float(env("lock_timeout") or 30)
    except ValueError:
        return 30.0


def _page_assets(node_modules: Path) -> dict[str, Path]:
    """Return the front-end files the page uses (by ``package@version/path``): its scripts, styles and their images."""
    from geo.render import ASSETS

    out: dict[str, Path] = {}
    for package, version, rel in ASSETS.values():
        root = (node_modules / package).resolve()
        target = (root / rel).resolve()
        if not target.is_file() or not target.is_relative_to(root):
            continue
        out[f"{package}@{version}/{rel}"] = target
        if rel.endswith(".css"):
            text = target.read_text(encoding="utf-8", errors="replace")
            for ref in re.findall(r"url\(\s*['\"]?([^'\")?#]+)", text):
                image = (target.parent / ref).resolve()
                if (
                    not ref.startswith(("data:", "http:", "https:", "/"))
                    and image.is_file()
                    and image.is_relative_to(root)
                ):
                    out[f"{package}@{version}/{image.relative_to(root).as_posix()}"] = image
    return out


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
            if refusal is None:
                try:
                    scope.setdefault("state", {})["geo.who"] = await identify(self.server, scope)
                except _Refused as err:
                    refusal = err
            if refusal is not None:
                await _refused(refusal)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers={"Cache-Control": "no-store"})


def _refused(err: _Refused) -> JSONResponse:
    return JSONResponse(refusal_body([err.problem]), status_code=err.status, headers={"Cache-Control": "no-store"})


def _said(status: int, code: str, **values: Any) -> JSONResponse:
    """Answer a refusal worded by the catalogue's ``refusals`` section."""
    return _refused(_Refused(status, code=code, values=values))


async def _body(request: Request) -> dict[str, Any]:
    from geo.geojson import decode

    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise _Refused(415, code="body_type", values={"got": repr(kind[:40] or "no content type")})
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        raise _Refused(413, code="body_size", values={"limit": f"{MAX_BODY_BYTES:,}"})
    chunks, size = [], 0
    stream = request.stream().__aiter__()
    while True:
        try:  # a client that stops sending mid-body is cut off, not waited for
            chunk = await asyncio.wait_for(stream.__anext__(), timeout=_timeout("body_timeout"))
        except StopAsyncIteration:
            break
        except asyncio.TimeoutError:
            raise _Refused(408, code="body_slow") from None
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _Refused(413, code="body_size", values={"limit": f"{MAX_BODY_BYTES:,}"})
        chunks.append(chunk)
    try:
        obj, _ = decode(b"".join(chunks), label="request body")
    except ValidationError as err:
        raise _Refused(400, code="body_json", values={"reason": str(err).splitlines()[0][:200]}) from None
    if not isinstance(obj, dict):
        raise _Refused(400, code="body_object", values={"got": type(obj).__name__})
    return obj


def _ident(request: Request) -> str:
    ident = str(request.path_params.get("ident", ""))
    if not _ID.fullmatch(ident):
        raise _Refused(404, code="no_place", values={"ident": repr(ident[:80])})
    return ident


def _handle(endpoint: Callable[[Request, EditorServer], Any]) -> Callable[[Request], Any]:
    async def wrapped(request: Request) -> Response:
        server: EditorServer = request.app.state.editor
        try:
            return await endpoint(request, server)
        except _Refused as err:
            return _refused(err)
        except ConflictError as err:
            return await _conflict(request, server, err)
        except ValidationError as err:
            problems = err.problems or [Problem.of(str(err))]
            return JSONResponse(refusal_body(problems), status_code=422, headers={"Cache-Control": "no-store"})
        except StoreError as err:
            return _said(503, "unavailable", reason=str(err).splitlines()[0][:300] if str(err) else "?")
        except GeoError as err:
            return _said(400, "refused", reason=str(err).splitlines()[0][:300])
        except OSError as err:  # a full disk, a permission: said in one line, never a traceback
            logger.warning("%s %s: %s", request.method, request.url.path, err)
            return _said(503, "file_io", reason=err.strerror or type(err).__name__)
        except Exception:
            logger.exception("%s %s failed", request.method, request.url.path)
            return _said(500, "internal")

    return wrapped


# ---- routes: reading


async def _index(_request: Request, server: EditorServer) -> Response:
    nonce = secrets.token_urlsafe(16)
    html = await run_in_threadpool(server.page, nonce)
    headers = {"Content-Security-Policy": server.csp(nonce), "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}  # fmt: skip
    return HTMLResponse(html, headers=headers)


async def _places(_request: Request, server: EditorServer) -> Response:
    view = server.view  # never waits for a save
    return JSONResponse({"type": "FeatureCollection", "features": list(view.features.values()),
                         "versions": view.versions, "file_error": server.broken},
                        headers={"Cache-Control": "no-store"})  # fmt: skip


async def _place(request: Request, server: EditorServer) -> Response:
    ident = _ident(request)
    view = server.view
    feature = view.features.get(ident)
    if feature is None:
        raise _Refused(404, code="no_place", values={"ident": repr(ident)})
    return JSONResponse(
        {"feature": feature, "version": view.versions.get(ident)}, headers={"Cache-Control": "no-store"}
    )


async def _payload(_request: Request, server: EditorServer) -> Response:
    data = await run_in_threadpool(server.payload)
    return Response(data, media_type="application/json", headers={"Cache-Control": "no-store"})


async def _events(request: Request, server: EditorServer) -> Response:
    queue: asyncio.Queue[str] = asyncio.Queue(maxsize=1000)
    server.subscribers.add(queue)
    who = _person(request)
    if who is not None and who.key_id:
        server.streams[queue] = who.key_id
    if server.broken is not None:  # a page opened while the file cannot be loaded hears so at once
        _put(queue, json.dumps(server.broken_event(), ensure_ascii=False))

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 1000\n\n"
            while True:
                try:
                    text = await asyncio.wait_for(queue.get(), timeout=15)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if text == _CLOSE:
                    return
                yield f"event: change\ndata: {text}\n\n"
        finally:
            server.subscribers.discard(queue)
            server.streams.pop(queue, None)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})  # fmt: skip


async def _asset(request: Request, server: EditorServer) -> Response:
    if server.node_modules is None:
        raise _Refused(404, code="assets_missing")
    # Only the files the page uses (its scripts, styles and their images), looked up, never joined onto a path.
    target = server._lib.get(f"{request.path_params['package']}/{request.path_params['path']}")
    if target is None:
        raise _Refused(404, code="no_asset")
    return FileResponse(
        target, headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"}
    )


# ---- routes: writing

#: What a member of a request body may be: a label (Chinese, English) and a test.
_KINDS: dict[str, tuple[str, str, Callable[[Any], bool]]] = {
    "bool": ("true 或 false", "a JSON boolean (true or false)", lambda v: isinstance(v, bool)),
    "text": ("文本", "text", lambda v: isinstance(v, str)),
    "number": ("数字", "a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "amount": ("数字或文本", "a number or text", lambda v: isinstance(v, str | int | float) and not isinstance(v, bool)),
    "object": ("JSON 对象", "a JSON object", lambda v: isinstance(v, dict)),
    "position": ("[经度, 纬度] 或文本", "[lon, lat] or text",
                 lambda v: isinstance(v, str) or (isinstance(v, list) and all(_KINDS["number"][2](x) for x in v))),
}  # fmt: skip


class _Members:
    """A request body read strictly: each member has one JSON type, anything else is a 422 naming it (all at once)."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.problems: list[Problem] = []

    def get(self, key: str, kind: str, default: Any = None) -> Any:
        value = self.body.get(key)
        if value is None:
            return default
        zh, en, ok = _KINDS[kind]
        if not ok(value):
            shown = json.dumps(value, ensure_ascii=False)[:60]
            self.problems.append(Problem(key, key, f"expected {en}, got {shown}", code="member_type",
                                         values={"expected": en, "expected_zh": zh, "got": shown}))  # fmt: skip
            return default
        return value.strip() or default if isinstance(value, str) and kind == "text" else value

    def done(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)


async def _members(request: Request) -> _Members:
    members = _Members(await _body(request))
    request.scope["geo.body"] = members.body  # a conflict answer says what changed since the version it names
    return members


async def _write(server: EditorServer, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run a save in a worker thread (never in the event loop), at most a few at once."""
    import anyio.to_thread

    return await anyio.to_thread.run_sync(fn, limiter=server.write_limiter)


async def _add(request: Request, server: EditorServer) -> Response:
    from geo.places import add_place, make_park

    m = await _members(request)
    geometry = m.get("geometry", "object")
    is_point = isinstance(geometry, dict) and geometry.get("type") == "Point"
    fields = {"name": m.get("name", "text"), "area_m2": m.get("area", "amount"), "park_class": m.get("class", "text"),
              "status": m.get("status", "text", "open"), "source": m.get("source", "text"),
              "name_en": m.get("name-en", "text") or m.get("name_en", "text"), "datum": m.get("datum", "text", "wgs84"),
              "outline": m.get("outline", "text", "drawn"), "uncertainty_m": m.get("uncertainty_m", "number"),
              "notes": m.get("notes", "text"), "zoom": m.get("zoom", "number")}  # fmt: skip
    confirm, dry_run = m.get("confirm_area", "bool", False), m.get("dry_run", "bool", False)
    reason = m.get("reason", "text")
    m.done()

    def do(editor: str) -> Any:
        feature, notes = make_park(fields.pop("name"), lonlat=geometry.get("coordinates") if is_point else None,
                                   geometry=None if is_point else geometry, **fields)  # fmt: skip
        result = add_place(feature, server.data_path, confirm_area=confirm, dry_run=dry_run, state=server.state,
                           editor=editor, reason=reason)  # fmt: skip
        result.warnings = notes + result.warnings
        return result

    answer = await _write(server, lambda: server.save(_who(request, m.body), do, dry_run=dry_run))
    return JSONResponse(answer, status_code=200 if answer.get("dry_run") or answer.get("unchanged") else 201)


async def _update(request: Request, server: EditorServer) -> Response:
    from geo.places import update_place

    ident = _ident(request)
    m = await _members(request)
    changes, dry_run, version = m.get("changes", "object"), m.get("dry_run", "bool", False), _version(m)
    if not changes:
        m.problems.append(Problem("changes", "changes", "give an object of field -> new value", "missing",
                                  code="changes_required"))  # fmt: skip
    for key, value in (changes or {}).items():
        if value is not None and not _KINDS["amount"][2](value):
            shown = json.dumps(value, ensure_ascii=False)[:60]
            m.problems.append(Problem(f"changes.{key}", key, f"expected text, a number or null, got {shown}",
                                      code="change_value", values={"got": shown}))  # fmt: skip
    m.done()

    def do(editor: str) -> Any:
        return update_place(ident, changes, server.data_path, expect_version=version, dry_run=dry_run,
                            state=server.state, editor=editor)  # fmt: skip

    return JSONResponse(await _write(server, lambda: server.save(_who(request, m.body), do, dry_run=dry_run)))


def _version(m: _Members) -> str:
    """Return the version the edit was made against; its absence joins the body's other problems."""
    version = m.body.get("version")
    if not isinstance(version, str) or not re.fullmatch(r"[0-9a-f]{16}", version):
        text = f"the version of the place you edited is required, got {version!r}"
        m.problems.append(Problem("version", "version", text, "missing", code="version_required",
                                  values={"got": repr(version)[:40]}))  # fmt: skip
        return ""
    return version


async def _locate(request: Request, server: EditorServer) -> Response:
    from geo.places import set_location

    ident = _ident(request)
    m = await _members(request)
    fields = {"source": m.get("source", "text"), "lonlat": m.get("lonlat", "position"),
              "address": m.get("address", "text"), "datum": m.get("datum", "text", "wgs84"),
              "uncertainty_m": m.get("uncertainty_m", "number"), "zoom": m.get("zoom", "number")}  # fmt: skip
    dry_run, version = m.get("dry_run", "bool", False), _version(m)
    m.done()

    def do(editor: str) -> Any:
        return set_location(ident, server.data_path, **fields, expect_version=version, dry_run=dry_run,
                            state=server.state, editor=editor)  # fmt: skip

    return JSONResponse(await _write(server, lambda: server.save(_who(request, m.body), do, dry_run=dry_run)))


async def _outline(request: Request, server: EditorServer) -> Response:
    from geo.places import set_outline

    ident = _ident(request)
    m = await _members(request)
    geometry, datum, source = m.get("geometry", "object"), m.get("datum", "text", "wgs84"), m.get("source", "text")
    confirm, dry_run, version = m.get("confirm_area", "bool", False), m.get("dry_run", "bool", False), _version(m)
    zoom, reason = m.get("zoom", "number"), m.get("reason", "text")
    m.done()

    def do(editor: str) -> Any:
        return set_outline(ident, geometry, server.data_path, datum=datum, source=source, expect_version=version,
                           confirm_area=confirm, dry_run=dry_run, state=server.state, editor=editor, zoom=zoom,
                           reason=reason)  # fmt: skip

    return JSONResponse(await _write(server, lambda: server.save(_who(request, m.body), do, dry_run=dry_run)))


async def _remove(request: Request, server: EditorServer) -> Response:
    from geo.places import remove_place

    ident = _ident(request)
    m = await _members(request)
    version = _version(m)
    m.done()

    def do(editor: str) -> Any:
        return remove_place(ident, server.data_path, expect_version=version, state=server.state, editor=editor)

    return JSONResponse(await _write(server, lambda: server.save(_who(request, m.body), do)))


async def _undo(request: Request, server: EditorServer) -> Response:
    from geo.places import undo_change

    change = str(request.path_params.get("change", ""))
    if not _CHANGE.fullmatch(change):
        raise _Refused(404, code="no_change", values={"change": repr(change[:40])})
    m = await _members(request)

    def do(editor: str) -> Any:
        return undo_change(change, server.data_path, editor=editor, state=server.state)[0]

    return JSONResponse(await _write(server, lambda: server.save(_who(request, m.body), do)))


def create_app(server: EditorServer) -> Starlette:
    """Return the ASGI application for one data file."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        import anyio

        server._loop = asyncio.get_running_loop()
        server.write_limiter = anyio.CapacityLimiter(4)
        task = asyncio.create_task(_watch(server))
        people = asyncio.create_task(_watch_people(server))
        try:
            yield
        finally:
            task.cancel()
            people.cancel()

    routes = [
        Route("/", _handle(_index)),
        Route("/lib/{package}/{path:path}", _handle(_asset)),
        Route("/api/places", _handle(_places), methods=["GET"]),
        Route("/api/places", _handle(_need("write", _add)), methods=["POST"]),
        Route("/api/places/{ident}", _handle(_place), methods=["GET"]),
        Route("/api/places/{ident}", _handle(_need("write", _update)), methods=["PATCH"]),
        Route("/api/places/{ident}", _handle(_need("write", _remove)), methods=["DELETE"]),
        Route("/api/places/{ident}/location", _handle(_need("write", _locate)), methods=["PUT"]),
        Route("/api/places/{ident}/outline", _handle(_need("write", _outline)), methods=["PUT"]),
        Route("/api/payload", _handle(_payload)),
        Route("/api/events", _handle(_events)),
        Route("/api/history", _handle(_history)),
        *_people_routes(),
        *_exchange_routes(),
        Route("/api/undo/{change}", _handle(_need("write", _undo)), methods=["POST"]),
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


#: Seconds a client may take to send a request's headers (``GEO_HEADER_TIMEOUT``), and then its body
#: (between two pieces, ``GEO_BODY_TIMEOUT``): a slow client is cut off instead of holding a connection open.
TIMEOUTS = {"header_timeout": 10.0, "body_timeout": 20.0}


def _timeout(name: str) -> float:
    import os

    try:
        value = float(os.environ.get(f"GEO_{name.upper()}") or TIMEOUTS[name])
    except ValueError:
        value = TIMEOUTS[name]
    return value if 0 < value < 3600 else TIMEOUTS[name]


def _timed_h11() -> type[asyncio.Protocol]:
    """Return uvicorn's h11 protocol with a deadline for each request's headers (uvicorn has none of its own)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11Protocol(H11Protocol):
        _header_deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE:
                self._arm()  # part of a request's head so far: the clock runs from its first byte
            else:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._header_deadline is None:
                self._header_deadline = self.loop.call_later(_timeout("header_timeout"), self._too_slow)

        def _disarm(self) -> None:
            if self._header_deadline is not None:
                self._header_deadline.cancel()
                self._header_deadline = None

        def _too_slow(self) -> None:
            self._header_deadline = None
            if self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
                self.transport.close()

    return TimedH11Protocol


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
        # With an editors file each person opens the link `geo editors add` printed; there is no shared token.
        ready(f"http://{shown}:{server.port}/" + ("" if server.roster.exists() else f"#token={server.token}"))
    config = uvicorn.Config(create_app(server), log_level="warning", timeout_graceful_shutdown=1,
                            lifespan="on", access_log=False, http=_timed_h11(), timeout_keep_alive=5)  # fmt: skip
    uvicorn.Server(config).run(sockets=[sock])


# ---- keys, roles and proposals (issue 28): who is asking, what their role allows, the proposals queue


async def identify(server: EditorServer, scope: Scope) -> Person | None:
    """Return who sent a request from its key alone (None: a viewer), or refuse it.

    Without an editors file the single shared token is checked, and names come from the
    request as before. Wrong keys are counted per address: past :data:`GUESS_LIMIT` in
    :data:`GUESS_WINDOW` seconds, keys not already seen working get 429 (no scrypt is run),
    while reads without a key and keys already seen working go on as usual.
    """
    key = Headers(scope=scope).get(TOKEN_HEADER)
    if not key:
        return None
    writing = scope["method"] in _WRITE_METHODS
    address = str((scope.get("client") or ("?",))[0])
    server.roster.refresh()
    known = server.roster.known(key) if server.roster.exists() else None
    if known is not None:
        return known
    if _throttled(server, address):
        if not writing:
            return None
        raise _Refused(429, code="rate_limit")
    if not server.roster.exists():
        if hmac.compare_digest(key.encode("utf-8", "replace"), server.token.encode()):
            return Person("", "reviewer", shared=True)
        person = None
    else:
        person = await run_in_threadpool(server.roster.resolve, key)
    if person is None:
        _throttled(server, address, add=True)
        if writing:
            raise _Refused(401, code="key_wrong") if server.roster.exists() else _Refused(403, code="token_wrong")
    return person


def _throttled(server: EditorServer, address: str, *, add: bool = False) -> bool:
    """Return whether an address sent too many wrong keys lately (``add``: count one more)."""
    import time

    now = time.monotonic()
    seen = server.guesses.setdefault(address, deque())
    while seen and seen[0] < now - GUESS_WINDOW:
        seen.popleft()
    if add:
        seen.append(now)
        if len(server.guesses) > 4096:  # many addresses: forget the ones whose guesses are all old
            for other in [a for a, times in server.guesses.items() if times[-1] < now - GUESS_WINDOW]:
                del server.guesses[other]
    if not seen:
        server.guesses.pop(address, None)
    return len(seen) >= GUESS_LIMIT


def _person(request: Request) -> Person | None:
    person = request.scope.get("state", {}).get("geo.who")
    return person if isinstance(person, Person) else None


def _who(request: Request, body: dict[str, Any]) -> Any:
    """Return the name a change is recorded under: the key's, never the body's (the shared token: the body's)."""
    person = _person(request)
    return body.get("editor") if person is None or person.shared else person.name


_ROLE_NAMES = {"proposer": "提议人 proposer", "editor": "编辑 editor", "reviewer": "审核人 reviewer"}
_NEEDS = {"propose": "提议 proposing", "write": "编辑 editing the data", "review": "审核 reviewing proposals"}


def _need(capability: str, endpoint: Callable[[Request, EditorServer], Any]) -> Callable[[Request, EditorServer], Any]:
    """Wrap a route so that only a key whose role allows ``capability`` reaches it (401 without a key, else 403)."""

    async def checked(request: Request, server: EditorServer) -> Response:
        person = _person(request)
        if person is None:
            raise _Refused(401, code="key_required")
        if not person.may(capability):
            role = _ROLE_NAMES.get(person.role, person.role)
            zh, _, en = role.partition(" ")
            need_zh, _, need = _NEEDS[capability].partition(" ")
            values = {"name": person.name, "role_zh": zh, "role": en or zh, "need_zh": need_zh, "need": need}
            raise _Refused(403, code="not_allowed", values=values)
        response: Response = await endpoint(request, server)
        return response

    return checked


async def _me(request: Request, _server: EditorServer) -> Response:
    person = _person(request)
    if person is None:
        raise _Refused(401, code="key_none")
    may = [c for c in ("propose", "write", "review") if person.may(c)]
    return JSONResponse({"name": person.name or None, "role": person.role, "shared": person.shared, "may": may},
                        headers={"Cache-Control": "no-store"})  # fmt: skip


def _proposal_id(request: Request) -> str:
    ident = str(request.path_params.get("proposal", ""))
    if not re.fullmatch(r"p\d{14}-[0-9a-f]{6}", ident):
        raise _Refused(404, code="no_proposal", values={"ident": repr(ident[:40])})
    return ident


async def _proposals(request: Request, server: EditorServer) -> Response:
    from geo.proposals import list_proposals

    person = _person(request)
    assert person is not None  # _need
    mine = None if person.may("review") else (person.name if not person.shared else None)
    records = await run_in_threadpool(list_proposals, server.data_path, mine)
    view = server.view  # a read never waits for a save
    current = {r["place"]: (view.features.get(r["place"]), view.versions.get(r["place"]))
               for r in records if r.get("place")}  # fmt: skip
    out = [{**r, "current": current.get(r.get("place"), (None, None))[0],
            "current_version": current.get(r.get("place"), (None, None))[1]} for r in records]  # fmt: skip
    return JSONResponse({"proposals": out[-500:]}, headers={"Cache-Control": "no-store"})


async def _propose(request: Request, server: EditorServer) -> Response:
    from geo.history import check_editor
    from geo.proposals import propose

    body = await _body(request)
    who = check_editor(_who(request, body))
    kind, place = body.get("kind"), body.get("place")
    if kind != "add" and not (isinstance(place, str) and _ID.fullmatch(place)):
        raise _Refused(422, code="proposal_place", field="place", values={"got": repr(str(place)[:80])})

    def run() -> dict[str, Any]:
        with server.lock:
            version = server.state.versions.get(place) if kind != "add" and isinstance(place, str) else None
            return propose(server.data_path, who, kind, place if kind != "add" else None, body, state=server.state,
                           version=version)  # fmt: skip

    record = await _write(server, run)
    server.publish({"changed": [], "removed": [], "proposals": True})
    return JSONResponse({"ok": True, "proposal": record}, status_code=201)


async def _approve(request: Request, server: EditorServer) -> Response:
    from geo import proposals
    from geo.history import check_editor

    ident = _proposal_id(request)
    body = await _body(request)
    reviewer = check_editor(_who(request, body))

    def run() -> dict[str, Any]:
        with server.review_lock:  # one decision per proposal, even with two reviewers clicking at once
            record = proposals.pending(server.data_path, ident)
            kind = str(record["kind"])
            version = None if kind == "add" else _version(_Members(body))
            extra = {"proposer": record["proposer"], "reviewer": reviewer, "proposal": ident}

            def do(editor: str) -> Any:
                return proposals.apply(kind, record.get("place"), record["fields"], server.data_path,
                                       state=server.state, version=version, dry_run=False, editor=editor,
                                       extra=extra)  # fmt: skip

            answer = server.save(reviewer, do)
            decided = proposals.decide(server.data_path, ident, reviewer=reviewer,
                                       outcome="approved", change=answer["change"])  # fmt: skip
        return {**answer, "proposal": decided}

    answer = await _write(server, run)
    server.publish({"changed": [], "removed": [], "proposals": True})
    return JSONResponse(answer)


async def _decline(request: Request, server: EditorServer) -> Response:
    from geo import proposals
    from geo.history import check_editor

    ident = _proposal_id(request)
    body = await _body(request)
    reviewer = check_editor(_who(request, body))
    reason = proposals.check_reason(body.get("reason"))

    def run() -> dict[str, Any]:
        with server.review_lock:
            return proposals.decide(server.data_path, ident, reviewer=reviewer, outcome="declined", reason=reason)

    record = await run_in_threadpool(run)
    server.publish({"changed": [], "removed": [], "proposals": True})
    return JSONResponse({"ok": True, "proposal": record})


def _people_routes() -> list[Route]:
    return [
        Route("/api/me", _handle(_me), methods=["GET"]),
        Route("/api/proposals", _handle(_need("propose", _proposals)), methods=["GET"]),
        Route("/api/proposals", _handle(_need("propose", _propose)), methods=["POST"]),
        Route("/api/proposals/{proposal}/approve", _handle(_need("review", _approve)), methods=["POST"]),
        Route("/api/proposals/{proposal}/decline", _handle(_need("review", _decline)), methods=["POST"]),
    ]


async def _watch_people(server: EditorServer) -> None:
    """Reread the editors file when it changes and close the event streams of keys that no longer work."""
    while True:
        await asyncio.sleep(WATCH_INTERVAL)
        try:
            await run_in_threadpool(server.roster.refresh)
        except Exception:  # a watcher must outlive any one bad read
            logger.exception("reading the editors file failed")
            continue
        if server.streams:
            working = server.roster.working()
            for queue, key_id in list(server.streams.items()):
                if key_id not in working:
                    server.streams.pop(queue, None)
                    if queue.full():  # make room: the close must get through
                        queue.get_nowait()
                    _put(queue, _CLOSE)


# ---- history, conflicts, import and download in the browser (issue 22)

#: The served page's downloads: the file as the server holds it now, in each format (see :func:`_download`).
_DOWNLOADS: list[dict[str, Any]] = [
    {"format": f, "href": f"api/download/{f}", "bytes": None} for f in ("geojson", "csv", "kml", "gpkg")
]
_DATUMS = ("wgs84", "gcj02", "bd09")


def _whole(request: Request, name: str, default: int, low: int, high: int) -> int:
    """Read a whole-number query parameter in ``[low, high]``, or refuse it naming the value."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise _Refused(
            422, f"{name}: 应为 {low}–{high} 的整数 / expected a whole number {low}–{high}, got {text[:20]!r}"
        )
    return int(text)


def _entry(record: dict[str, Any], brief: bool) -> dict[str, Any]:
    """One history record as the history answers it: with ``changes`` (old records: worked out), and its name."""
    from geo.history import field_changes

    before, after = record.get("before"), record.get("after")
    shown = {k: v for k, v in record.items() if not (brief and k in ("before", "after"))}
    shown["changes"] = record.get("changes") if "changes" in record else field_changes(before, after)
    place = after or before or {}
    shown["name"] = (place.get("properties") or {}).get("name")
    return shown


async def _history(request: Request, server: EditorServer) -> Response:
    """Answer the recorded changes, newest page first (``page`` 0), each page oldest first; one place's with ``place``.

    ``limit`` changes a page (1-500, default 200); ``brief=1`` leaves out the places before and after.
    """
    from geo.history import read_history

    place = request.query_params.get("place") or None
    if place is not None and not _ID.fullmatch(place):
        raise _Refused(422, f"place: 不是地点编号 / not a place id, got {place[:80]!r}")
    limit, page = _whole(request, "limit", 200, 1, 500), _whole(request, "page", 0, 0, 10**9)
    brief = request.query_params.get("brief") in ("1", "true")
    records = await run_in_threadpool(read_history, server.data_path, place)
    end = max(len(records) - page * limit, 0)
    start = max(end - limit, 0)
    return JSONResponse({"changes": [_entry(r, brief) for r in records[start:end]], "total": len(records),
                         "page": page, "limit": limit, "more": start > 0},
                        headers={"Cache-Control": "no-store"})  # fmt: skip


async def _conflict(request: Request, server: EditorServer, err: ConflictError) -> Response:
    """Answer 409 saying who changed the place and when, and each field old -> new since the version the page saw."""
    from geo.history import changes_since

    body = request.scope.get("geo.body") or {}
    seen = body.get("version") if isinstance(body.get("version"), str) else None
    try:
        since = await run_in_threadpool(changes_since, server.data_path, err.ident, seen)
    except GeoError:
        since = None
    name = ((err.current or {}).get("properties") or {}).get("name") or err.ident
    if since is None:
        msg = f"{name} 已被他人修改，您的修改未保存 · {name} was changed by someone else meanwhile; yours was not saved"
    else:
        who, when = "、".join(since["editors"]), since["time"]
        msg = (f"{name} 已于 {when} 被 {who} {'删除' if err.current is None else '修改'}，您的修改未保存 · "
               f"{name} was {'removed' if err.current is None else 'changed'} by {', '.join(since['editors'])} "
               f"at {when}; yours was not saved")  # fmt: skip
    return _error(409, msg, conflict=True, id=err.ident, current=err.current, version=err.version,
                  removed=err.current is None, by=since["editors"] if since else [],
                  time=since["time"] if since else None, changes=since["changes"] if since else {})  # fmt: skip


def _upload(m: _Members) -> tuple[bytes, str, str | None, str | None]:
    """Read an import request's file (``filename``, base64 ``content``), ``datum`` and ``source``."""
    import base64
    import binascii

    filename, content = m.get("filename", "text"), m.get("content", "text")
    datum, source = m.get("datum", "text"), m.get("source", "text")
    if not filename:
        m.problems.append(Problem("filename", "filename", "选择文件 / choose a file", "missing"))
    if datum is not None and datum not in _DATUMS:
        m.problems.append(
            Problem("datum", "datum", f"应为 {' / '.join(_DATUMS)} / expected one of them, got {datum[:20]!r}")
        )
    data = b""
    try:
        data = base64.b64decode(content or "", validate=True)
    except (binascii.Error, ValueError):
        m.problems.append(Problem("content", "content", "文件内容应为 base64 / the file must be sent as base64"))
    if not data and content is not None:
        m.problems.append(Problem("content", "content", "文件是空的 / the file is empty", "missing"))
    return data, str(filename or ""), datum, source


async def _import_preview(request: Request, server: EditorServer) -> Response:
    """Read, convert and check a file's features, each with its own problems; nothing is written."""
    from geo.places.upload import FeaturePreview, preview_upload

    m = await _members(request)
    data, filename, datum, source = _upload(m)
    m.done()

    def run() -> list[FeaturePreview]:
        if not server.lock.acquire(timeout=_lock_wait()):  # the snapshot is the saves' own: read it between them
            raise StoreError("另一个保存仍在进行，请稍后再试 / a save is still under way; try again")
        try:
            return preview_upload(data, filename, server.data_path, datum=datum, source=source, state=server.state)
        finally:
            server.lock.release()

    previews: list[FeaturePreview] = await run_in_threadpool(run)
    return JSONResponse({"file": filename, "features": [{"index": p.index, "name": p.name, "feature": p.feature,
                                                          "problems": [_problem_json(x) for x in p.problems],
                                                          "warnings": p.warnings} for p in previews]},
                        headers={"Cache-Control": "no-store"})  # fmt: skip


async def _import(request: Request, server: EditorServer) -> Response:
    """Save the chosen features of a file (read and checked again), recorded under the key's name."""
    from geo.places.upload import import_upload

    m = await _members(request)
    data, filename, datum, source = _upload(m)
    chosen = m.body.get("chosen")
    if not isinstance(chosen, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in chosen):
        m.problems.append(Problem("chosen", "chosen", "应为要保存的要素编号列表 / expected a list of feature numbers"))
    m.done()
    saved: list[str] = []

    def do(editor: str) -> Any:
        result = import_upload(data, filename, list(chosen or []), server.data_path, source=source or "", datum=datum,
                               state=server.state, editor=editor)  # fmt: skip
        saved[:] = result.ids
        return result

    answer = await _write(server, lambda: server.save(_who(request, m.body), do))
    return JSONResponse({**answer, "ids": saved}, status_code=201 if not answer.get("unchanged") else 200)


async def _download(request: Request, server: EditorServer) -> Response:
    """Send the places as the server holds them now, as a file (GeoJSON, CSV, KML or GeoPackage), via :mod:`geo.export`."""
    import tempfile

    from geo.export import FORMATS, export_places

    fmt = str(request.path_params.get("fmt", ""))
    if fmt not in {d["format"] for d in _DOWNLOADS}:
        raise _Refused(
            404, f"format: 可下载 / downloads are {', '.join(d['format'] for d in _DOWNLOADS)}, got {fmt[:20]!r}"
        )
    view = server.view

    def run() -> bytes:
        frame = store.places_to_frame(list(view.features.values()))
        metadata = view.members.get("metadata")
        with tempfile.TemporaryDirectory(prefix="geo-download-") as tmp:
            path = Path(tmp) / f"nanguan-places{FORMATS[fmt]}"
            export_places(frame, fmt, path, metadata=metadata if isinstance(metadata, dict) else None)
            return path.read_bytes()

    data = await run_in_threadpool(run)
    kinds = {"geojson": "application/geo+json", "csv": "text/csv; charset=utf-8",
             "kml": "application/vnd.google-earth.kml+xml", "gpkg": "application/geopackage+sqlite3"}  # fmt: skip
    return Response(data, media_type=kinds[fmt], headers={
        "Content-Disposition": f'attachment; filename="nanguan-places{FORMATS[fmt]}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})  # fmt: skip


def _exchange_routes() -> list[Route]:
    return [
        Route("/api/import/preview", _handle(_need("write", _import_preview)), methods=["POST"]),
        Route("/api/import", _handle(_need("write", _import)), methods=["POST"]),
        Route("/api/download/{fmt}", _handle(_download), methods=["GET"]),
    ]
