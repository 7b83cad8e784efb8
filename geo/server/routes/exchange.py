"""Routes of history, import and download: the recorded changes, a file's places in, the places out."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from geo import store
from geo.errors import Problem, StoreError
from geo.export import FORMATS, export_places
from geo.history import field_changes, read_history
from geo.model import is_place_id
from geo.places import ChangeResult
from geo.places.upload import FeaturePreview, import_upload, preview_upload
from geo.server.bodies import Members, members, whole
from geo.server.caches import DOWNLOADS
from geo.server.limits import lock_wait
from geo.server.refusals import NO_STORE, Refusal, problem_json
from geo.server.routes._common import editor_of, needs, run_write, who

__all__ = ["ROUTES"]

_DATUMS = ("wgs84", "gcj02", "bd09")
_MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "kml": "application/vnd.google-earth.kml+xml",
    "gpkg": "application/geopackage+sqlite3",
}


def _entry(record: dict[str, Any], *, brief: bool) -> dict[str, Any]:
    """One history record as the history answers it: with ``changes`` (old records: worked out), and its name."""
    before, after = record.get("before"), record.get("after")
    shown = {k: v for k, v in record.items() if not (brief and k in ("before", "after"))}
    shown["changes"] = record.get("changes") if "changes" in record else field_changes(before, after)
    place = after or before or {}
    shown["name"] = (place.get("properties") or {}).get("name")
    return shown


async def history(request: Request) -> Response:
    """Answer the recorded changes, newest page first (``page`` 0), each page oldest first; one place's with ``place``.

    ``limit`` changes a page (1-500, default 200); ``brief=1`` leaves out the places before and after.
    """
    server = editor_of(request)
    place = request.query_params.get("place") or None
    if place is not None and not is_place_id(place):
        raise Refusal(422, f"place: 不是地点编号 / not a place id, got {place[:80]!r}")
    limit, page = whole(request, "limit", 200, 1, 500), whole(request, "page", 0, 0, 10**9)
    brief = request.query_params.get("brief") in ("1", "true")
    records = await run_in_threadpool(read_history, server.data_path, place)
    end = max(len(records) - page * limit, 0)
    start = max(end - limit, 0)
    return JSONResponse(
        {
            "changes": [_entry(r, brief=brief) for r in records[start:end]],
            "total": len(records),
            "page": page,
            "limit": limit,
            "more": start > 0,
        },
        headers=NO_STORE,
    )


def _upload(m: Members) -> tuple[bytes, str, str | None, str | None]:
    """Read an import request's file (``filename``, base64 ``content``), ``datum`` and ``source``."""
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


@needs("write")
async def import_preview(request: Request) -> Response:
    """Read, convert and check a file's features, each with its own problems; nothing is written."""
    server = editor_of(request)
    m = await members(request)
    data, filename, datum, source = _upload(m)
    m.done()

    def run() -> list[FeaturePreview]:
        lock = server.file.lock
        if not lock.acquire(timeout=lock_wait()):  # the snapshot is the saves' own: read it between them
            raise StoreError("另一个保存仍在进行，请稍后再试 / a save is still under way; try again")
        try:
            return preview_upload(data, filename, server.data_path, datum=datum, source=source, state=server.file.state)
        finally:
            lock.release()

    previews = await run_in_threadpool(run)
    return JSONResponse(
        {
            "file": filename,
            "features": [
                {
                    "index": p.index,
                    "name": p.name,
                    "feature": p.feature,
                    "problems": [problem_json(x) for x in p.problems],
                    "warnings": p.warnings,
                }
                for p in previews
            ],
        },
        headers=NO_STORE,
    )


@needs("write")
async def import_file(request: Request) -> Response:
    """Save the chosen features of a file (read and checked again), recorded under the key's name."""
    server = editor_of(request)
    m = await members(request)
    data, filename, datum, source = _upload(m)
    chosen = m.body.get("chosen")
    if not isinstance(chosen, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in chosen):
        m.problems.append(Problem("chosen", "chosen", "应为要保存的要素编号列表 / expected a list of feature numbers"))
    m.done()
    saved: list[str] = []

    def do(editor: str) -> ChangeResult:
        result = import_upload(
            data,
            filename,
            list(chosen or []),
            server.data_path,
            source=source or "",
            datum=datum,
            state=server.file.state,
            editor=editor,
        )
        saved[:] = result.ids
        return result

    answer = await run_write(server, lambda: server.file.save(who(request, m.body), do))
    return JSONResponse({**answer, "ids": saved}, status_code=201 if not answer.get("unchanged") else 200)


async def download(request: Request) -> Response:
    """Send the places as the server holds them now, as a file (GeoJSON, CSV, KML or GeoPackage), via :mod:`geo.export`."""
    fmt = str(request.path_params.get("fmt", ""))
    if fmt not in {d["format"] for d in DOWNLOADS}:
        raise Refusal(
            404, f"format: 可下载 / downloads are {', '.join(d['format'] for d in DOWNLOADS)}, got {fmt[:20]!r}"
        )
    view = editor_of(request).file.view

    def run() -> bytes:
        frame = store.places_to_frame(list(view.features.values()))
        metadata = view.members.get("metadata")
        with tempfile.TemporaryDirectory(prefix="geo-download-") as tmp:
            path = Path(tmp) / f"nanguan-places{FORMATS[fmt]}"
            export_places(frame, fmt, path, metadata=metadata if isinstance(metadata, dict) else None)
            return path.read_bytes()

    data = await run_in_threadpool(run)
    return Response(
        data,
        media_type=_MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="nanguan-places{FORMATS[fmt]}"',
            **NO_STORE,
            "X-Content-Type-Options": "nosniff",
        },
    )


ROUTES = [
    Route("/api/history", history),
    Route("/api/import/preview", import_preview, methods=["POST"]),
    Route("/api/import", import_file, methods=["POST"]),
    Route("/api/download/{fmt}", download, methods=["GET"]),
]
