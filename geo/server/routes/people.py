"""Routes of keys, roles and proposals: who a key is, and the proposals queue (propose, approve, decline)."""

from __future__ import annotations

import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from geo import proposals
from geo.history import check_editor
from geo.model import is_place_id
from geo.places import ChangeResult
from geo.server.bodies import Members, path_part, read_body, version_of
from geo.server.guard import person_of
from geo.server.refusals import NO_STORE, Refusal
from geo.server.routes._common import editor_of, needs, run_write, who

__all__ = ["ROUTES"]

_PROPOSAL = re.compile(r"p\d{14}-[0-9a-f]{6}")
#: The event that tells every page the proposals queue changed.
_QUEUE_CHANGED = {"changed": [], "removed": [], "proposals": True}


async def me(request: Request) -> Response:
    """Say who the key is: name, role, and what it may do (401 without a key)."""
    person = person_of(request)
    if person is None:
        raise Refusal(401, code="key_none")
    may = [c for c in ("propose", "write", "review") if person.may(c)]
    return JSONResponse(
        {"name": person.name or None, "role": person.role, "shared": person.shared, "may": may}, headers=NO_STORE
    )


async def _review(request: Request) -> tuple[str, dict[str, Any], str]:
    """Read what a review names: the proposal id in the path (else 404), the body, and the checked reviewer."""
    ident = path_part(request, "proposal", _PROPOSAL.fullmatch, "no_proposal", shown=40, key="ident")
    body = await read_body(request)
    return ident, body, check_editor(who(request, body))


@needs("propose")
async def listing(request: Request) -> Response:
    """Send the proposals (a proposer's own; every one to a reviewer), each beside the place as it is now."""
    server = editor_of(request)
    person = person_of(request)
    assert person is not None  # needs()
    mine = None if person.may("review") else (person.name if not person.shared else None)
    records = await run_in_threadpool(proposals.list_proposals, server.data_path, mine)
    view = server.file.view  # a read never waits for a save
    current = {
        r["place"]: (view.features.get(r["place"]), view.versions.get(r["place"])) for r in records if r.get("place")
    }
    out = [
        {
            **r,
            "current": current.get(r.get("place"), (None, None))[0],
            "current_version": current.get(r.get("place"), (None, None))[1],
        }
        for r in records
    ]
    return JSONResponse({"proposals": out[-500:]}, headers=NO_STORE)


@needs("propose")
async def propose(request: Request) -> Response:
    """Queue a proposal (checked now by a dry run of the save it would make); 201."""
    server = editor_of(request)
    body = await read_body(request)
    proposer = check_editor(who(request, body))
    kind, place = body.get("kind"), body.get("place")
    if kind != "add" and not is_place_id(place):
        raise Refusal(422, code="proposal_place", field="place", values={"got": repr(str(place)[:80])})

    def run() -> dict[str, Any]:
        with server.file.lock:
            state = server.file.state
            version = state.versions.get(place) if kind != "add" and isinstance(place, str) else None
            return proposals.propose(
                server.data_path, proposer, kind, place if kind != "add" else None, body, state=state, version=version
            )

    record = await run_write(server, run)
    server.hub.publish(_QUEUE_CHANGED)
    return JSONResponse({"ok": True, "proposal": record}, status_code=201)


@needs("review")
async def approve(request: Request) -> Response:
    """Save a proposal for real (the reviewer as the editor, the proposer beside), and mark it approved."""
    server = editor_of(request)
    ident, body, reviewer = await _review(request)

    def run() -> dict[str, Any]:
        with server.review_lock:  # one decision per proposal, even with two reviewers clicking at once
            record = proposals.pending(server.data_path, ident)
            kind = str(record["kind"])
            version = None if kind == "add" else version_of(Members(body))
            extra = {"proposer": record["proposer"], "reviewer": reviewer, "proposal": ident}

            def do(editor: str) -> ChangeResult:
                return proposals.apply(
                    kind,
                    record.get("place"),
                    record["fields"],
                    server.data_path,
                    state=server.file.state,
                    version=version,
                    dry_run=False,
                    editor=editor,
                    extra=extra,
                )

            answer = server.file.save(reviewer, do)
            decided = proposals.decide(
                server.data_path, ident, reviewer=reviewer, outcome="approved", change=answer["change"]
            )
        return {**answer, "proposal": decided}

    answer = await run_write(server, run)
    server.hub.publish(_QUEUE_CHANGED)
    return JSONResponse(answer)


@needs("review")
async def decline(request: Request) -> Response:
    """Decline a proposal with the reviewer's reason (kept for the proposer)."""
    server = editor_of(request)
    ident, body, reviewer = await _review(request)
    reason = proposals.check_reason(body.get("reason"))

    def run() -> dict[str, Any]:
        with server.review_lock:
            return proposals.decide(server.data_path, ident, reviewer=reviewer, outcome="declined", reason=reason)

    record = await run_in_threadpool(run)
    server.hub.publish(_QUEUE_CHANGED)
    return JSONResponse({"ok": True, "proposal": record})


ROUTES = [
    Route("/api/me", me, methods=["GET"]),
    Route("/api/proposals", listing, methods=["GET"]),
    Route("/api/proposals", propose, methods=["POST"]),
    Route("/api/proposals/{proposal}/approve", approve, methods=["POST"]),
    Route("/api/proposals/{proposal}/decline", decline, methods=["POST"]),
]
