"""Reading routes: the page, the places, the map's payload, live events and the page's assets.

A read never waits for a save: each answers from the server's current view.
"""

from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from geo.server.bodies import place_id
from geo.server.guard import person_of
from geo.server.refusals import NO_STORE, Refusal
from geo.server.routes._common import editor_of

__all__ = ["ROUTES"]


async def index(request: Request) -> Response:
    """Send the page for the file as it is now, under a Content-Security-Policy with a fresh nonce."""
    server = editor_of(request)
    nonce = secrets.token_urlsafe(16)
    html = await run_in_threadpool(server.pages.page, server.file.view, nonce)
    headers = {
        "Content-Security-Policy": server.csp(nonce),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        **NO_STORE,
    }
    return HTMLResponse(html, headers=headers)


async def places(request: Request) -> Response:
    """Send every place with its version, and why the file cannot be loaded (``file_error``), if it cannot."""
    server = editor_of(request)
    view = server.file.view  # never waits for a save
    return JSONResponse(
        {
            "type": "FeatureCollection",
            "features": list(view.features.values()),
            "versions": view.versions,
            "file_error": server.file.broken,
        },
        headers=NO_STORE,
    )


async def place(request: Request) -> Response:
    """Send one place and its version (404 for an id that is not in the file)."""
    ident = place_id(request)
    view = editor_of(request).file.view
    feature = view.features.get(ident)
    if feature is None:
        raise Refusal(404, code="no_place", values={"ident": repr(ident)})
    return JSONResponse({"feature": feature, "version": view.versions.get(ident)}, headers=NO_STORE)


async def payload(request: Request) -> Response:
    """Send the map's columnar payload for the file as it is now (what an open page redraws from)."""
    server = editor_of(request)
    data = await run_in_threadpool(server.payloads.payload, server.file.view)
    return Response(data, media_type="application/json", headers=NO_STORE)


async def events(request: Request) -> Response:
    """Stream every change to the page (server-sent events) until it leaves or its key is revoked."""
    server = editor_of(request)
    who = person_of(request)
    broken = server.file.broken_event() if server.file.broken is not None else None  # a page opened now hears so
    queue = server.hub.subscribe(who.key_id if who is not None else None, broken)
    return StreamingResponse(
        server.hub.stream(queue), media_type="text/event-stream", headers={**NO_STORE, "X-Accel-Buffering": "no"}
    )


async def asset(request: Request) -> Response:
    """Send one of the files the page uses (its scripts, styles and their images), looked up, never joined."""
    server = editor_of(request)
    if server.node_modules is None:
        raise Refusal(404, code="assets_missing")
    target = server.assets.get(f"{request.path_params['package']}/{request.path_params['path']}")
    if target is None:
        raise Refusal(404, code="no_asset")
    return FileResponse(
        target, headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"}
    )


ROUTES = [
    Route("/", index),
    Route("/lib/{package}/{path:path}", asset),
    Route("/api/places", places, methods=["GET"]),
    Route("/api/places/{ident}", place, methods=["GET"]),
    Route("/api/payload", payload),
    Route("/api/events", events),
]
