"""Writing routes: add, correct, locate, outline, remove and undo, each the command line's function.

Every route reads its body strictly (:class:`~geo.server.bodies.Members`), names the version of
the place it edits, and saves through :meth:`geo.server.saving.DataFile.save` in a worker thread.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from geo.errors import Problem
from geo.places import (
    ChangeResult,
    add_place,
    make_park,
    remove_place,
    set_location,
    set_outline,
    undo_change,
    update_place,
)
from geo.server.bodies import KINDS, change_id, members, place_id, version_of
from geo.server.routes._common import editor_of, needs, save_change, save_edit

__all__ = ["ROUTES"]


@needs("write")
async def add(request: Request) -> Response:
    """Add a park (a point or an outline), as ``geo add-park`` does; 201, or 200 for a dry run."""
    server = editor_of(request)
    m = await members(request)
    geometry = m.get("geometry", "object")
    is_point = isinstance(geometry, dict) and geometry.get("type") == "Point"
    fields = {
        "name": m.get("name", "text"),
        "area_m2": m.get("area", "amount"),
        "park_class": m.get("class", "text"),
        "status": m.get("status", "text", "open"),
        "source": m.get("source", "text"),
        "name_en": m.get("name-en", "text") or m.get("name_en", "text"),
        "datum": m.get("datum", "text", "wgs84"),
        "outline": m.get("outline", "text", "drawn"),
        "uncertainty_m": m.get("uncertainty_m", "number"),
        "notes": m.get("notes", "text"),
        "zoom": m.get("zoom", "number"),
    }
    confirm, dry_run = m.get("confirm_area", "bool", False), m.get("dry_run", "bool", False)
    reason = m.get("reason", "text")
    m.done()

    def do(editor: str) -> ChangeResult:
        feature, notes = make_park(
            fields.pop("name"),
            lonlat=geometry.get("coordinates") if is_point else None,
            geometry=None if is_point else geometry,
            **fields,
        )
        result = add_place(
            feature,
            server.data_path,
            confirm_area=confirm,
            dry_run=dry_run,
            state=server.file.state,
            editor=editor,
            reason=reason,
        )
        result.warnings = notes + result.warnings
        return result

    answer = await save_change(request, m.body, do, dry_run=dry_run)
    return JSONResponse(answer, status_code=200 if answer.get("dry_run") or answer.get("unchanged") else 201)


@needs("write")
async def update(request: Request) -> Response:
    """Correct a place's fields, as ``geo update`` does (``changes``: field -> new value, ``null`` clears)."""
    ident = place_id(request)
    m = await members(request)
    changes, dry_run, version = m.get("changes", "object"), m.get("dry_run", "bool", False), version_of(m)
    if not changes:
        m.problems.append(
            Problem("changes", "changes", "give an object of field -> new value", "missing", code="changes_required")
        )
    for key, value in (changes or {}).items():
        if value is not None and not KINDS["amount"][2](value):
            shown = json.dumps(value, ensure_ascii=False)[:60]
            m.problems.append(
                Problem(
                    f"changes.{key}",
                    key,
                    f"expected text, a number or null, got {shown}",
                    code="change_value",
                    values={"got": shown},
                )
            )
    m.done()
    return JSONResponse(
        await save_edit(request, m.body, update_place, ident, changes, expect_version=version, dry_run=dry_run)
    )


@needs("write")
async def locate(request: Request) -> Response:
    """Place a place at a position or an address, as ``geo locate`` does."""
    ident = place_id(request)
    m = await members(request)
    fields = {
        "source": m.get("source", "text"),
        "lonlat": m.get("lonlat", "position"),
        "address": m.get("address", "text"),
        "datum": m.get("datum", "text", "wgs84"),
        "uncertainty_m": m.get("uncertainty_m", "number"),
        "zoom": m.get("zoom", "number"),
    }
    dry_run, version = m.get("dry_run", "bool", False), version_of(m)
    m.done()
    return JSONResponse(
        await save_edit(request, m.body, set_location, ident, **fields, expect_version=version, dry_run=dry_run)
    )


@needs("write")
async def outline(request: Request) -> Response:
    """Give a place a drawn outline (its area checked against the stated one unless confirmed with a reason)."""
    ident = place_id(request)
    m = await members(request)
    geometry, datum, source = m.get("geometry", "object"), m.get("datum", "text", "wgs84"), m.get("source", "text")
    confirm, dry_run, version = m.get("confirm_area", "bool", False), m.get("dry_run", "bool", False), version_of(m)
    zoom, reason = m.get("zoom", "number"), m.get("reason", "text")
    m.done()
    options = {"datum": datum, "source": source, "confirm_area": confirm, "zoom": zoom, "reason": reason}
    answer = await save_edit(
        request, m.body, set_outline, ident, geometry, **options, expect_version=version, dry_run=dry_run
    )
    return JSONResponse(answer)


@needs("write")
async def remove(request: Request) -> Response:
    """Remove a place, as ``geo remove`` does (the version seen is required)."""
    ident = place_id(request)
    m = await members(request)
    version = version_of(m)
    m.done()
    return JSONResponse(await save_edit(request, m.body, remove_place, ident, expect_version=version))


@needs("write")
async def undo(request: Request) -> Response:
    """Undo one recorded change, as ``geo undo`` does."""
    server = editor_of(request)
    change = change_id(request)
    m = await members(request)

    def do(editor: str) -> ChangeResult:
        return undo_change(change, server.data_path, editor=editor, state=server.file.state)[0]

    return JSONResponse(await save_change(request, m.body, do))


ROUTES = [
    Route("/api/places", add, methods=["POST"]),
    Route("/api/places/{ident}", update, methods=["PATCH"]),
    Route("/api/places/{ident}", remove, methods=["DELETE"]),
    Route("/api/places/{ident}/location", locate, methods=["PUT"]),
    Route("/api/places/{ident}/outline", outline, methods=["PUT"]),
    Route("/api/undo/{change}", undo, methods=["POST"]),
]
