"""Residents' proposals: a new place, a location or a correction, queued until a reviewer decides.

The queue of ``data/locations.geojson`` is ``data/locations.proposals.json`` beside it.
A proposal is checked when it is made exactly as the save would check it (the same
:mod:`geo.places` functions, without writing), so the queue holds only changes that
could land; it never touches the data file. Approving runs the same function for real,
through the server's lock and history, recording the proposer and the reviewer;
declining keeps the reviewer's reason, which the proposer sees.

States: ``pending`` -> ``approved`` (with the history's change id) or ``declined`` (with a reason).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geo.editors import locked, read_private, write_private
from geo.errors import ValidationError
from geo.places import add_place, make_park, set_location, update_place
from geo.resources import companion
from geo.store import Snapshot

__all__ = [
    "ACTIONS",
    "KINDS",
    "apply",
    "check_reason",
    "decide",
    "list_proposals",
    "pending",
    "proposals_path",
    "propose",
]

#: Kinds of proposal and the request members each keeps.
KINDS = {
    "add": (
        "name",
        "name-en",
        "area",
        "class",
        "status",
        "source",
        "geometry",
        "datum",
        "uncertainty_m",
        "notes",
        "confirm_area",
    ),
    "location": ("lonlat", "address", "source", "datum", "uncertainty_m"),
    "update": ("changes",),
}
#: The history's action for each kind, as if an editor had saved it.
ACTIONS = {"add": "add", "location": "place", "update": "update"}
#: Most proposals one person may have waiting.
MAX_PENDING = 50
MAX_REASON_CHARS = 500
_FORMAT = "nanguan-geo proposals 1"


proposals_path = companion(__name__, "proposals_path", "{stem}.proposals.json", "the proposals file")


def _read(path: Path) -> list[dict[str, Any]]:
    return read_private(path, "proposals", _FORMAT)


def _get(fields: dict[str, Any], key: str) -> Any:
    return fields.get(key)


def _text(fields: dict[str, Any], key: str) -> Any:
    value = fields.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else (None if value in ("", None) else value)


def apply(
    kind: str,
    ident: str | None,
    fields: dict[str, Any],
    data_path: Path,
    *,
    state: Snapshot | None,
    version: str | None,
    dry_run: bool,
    editor: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Any:
    """Run a proposal's change through :mod:`geo.places` (``dry_run`` only checks it).

    Parameters
    ----------
    kind : str
        ``"add"``, ``"location"`` or an update kind (see `KINDS`).
    ident : str or None
        The place the proposal is about; None for ``"add"``.
    fields : dict
        The proposal's fields (those `KINDS` allows for the kind).
    data_path : pathlib.Path
        The data file.
    state : Snapshot or None
        The server's snapshot of the file, or None to read it.
    version : str or None
        The place's version the proposer saw.
    dry_run : bool
        Check only; write nothing.
    editor : str, optional
        The reviewer, for the history record.
    extra : Mapping, optional
        Proposer, reviewer and proposal id, for the history record.

    Returns
    -------
    ChangeResult
        What the change did (or would do).

    Raises
    ------
    geo.errors.ValidationError
        The proposal names no place where it must, has no changes, or the change is refused.
    """
    if kind == "add":
        geometry = _get(fields, "geometry")
        is_point = isinstance(geometry, dict) and geometry.get("type") == "Point"
        feature, notes = make_park(
            _get(fields, "name"),
            area_m2=_text(fields, "area"),
            park_class=_text(fields, "class"),
            status=_text(fields, "status") or "open",
            name_en=_text(fields, "name-en"),
            source=_text(fields, "source"),
            datum=_get(fields, "datum") or "wgs84",
            outline="drawn",
            lonlat=geometry.get("coordinates") if is_point else None,
            geometry=None if is_point else geometry,
            uncertainty_m=_get(fields, "uncertainty_m"),
            notes=_text(fields, "notes"),
        )
        result = add_place(
            feature,
            data_path,
            confirm_area=bool(_get(fields, "confirm_area")),
            dry_run=dry_run,
            state=state,
            editor=editor,
            extra=extra,
        )
        result.warnings = notes + result.warnings
        result.previous = [None]
        return result
    if ident is None:
        msg = f"place: a {kind} proposal names the place it is about"
        raise ValidationError(msg)
    if kind == "location":
        return set_location(
            ident,
            data_path,
            source=_get(fields, "source"),
            lonlat=_get(fields, "lonlat"),
            address=_text(fields, "address"),
            datum=_get(fields, "datum") or "wgs84",
            uncertainty_m=_get(fields, "uncertainty_m"),
            expect_version=version,
            dry_run=dry_run,
            state=state,
            editor=editor,
            extra=extra,
        )
    changes = _get(fields, "changes")
    if not isinstance(changes, dict) or not changes:
        msg = "changes: give an object of field -> new value"
        raise ValidationError(msg)
    return update_place(
        ident, changes, data_path, expect_version=version, dry_run=dry_run, state=state, editor=editor, extra=extra
    )


def _now() -> tuple[dt.datetime, str]:
    now = dt.datetime.now(dt.timezone.utc)
    return now, now.isoformat(timespec="seconds").replace("+00:00", "Z")


def propose(
    data_path: Path,
    proposer: str,
    kind: Any,
    ident: str | None,
    body: dict[str, Any],
    *,
    state: Snapshot | None,
    version: str | None,
) -> dict[str, Any]:
    """Check a proposal like a save (nothing written) and queue it.

    Parameters
    ----------
    data_path : pathlib.Path
        The data file.
    proposer : str
        Who proposes it.
    kind : Any
        One of `KINDS`.
    ident : str or None
        The place the proposal is about (ignored for ``"add"``).
    body : dict
        The request's fields; only those the kind allows are kept.
    state : Snapshot or None
        The server's snapshot of the file, or None to read it.
    version : str or None
        The place's version the proposer saw.

    Returns
    -------
    dict
        The queued proposal's record (``state`` ``"pending"``).

    Raises
    ------
    geo.errors.ValidationError
        An unknown kind, too many waiting proposals, or the change itself is refused (every problem at once).
    """
    if kind not in KINDS:
        msg = f"kind: one of {', '.join(KINDS)}, got {str(kind)[:40]!r}"
        raise ValidationError(msg)
    fields = {k: body[k] for k in KINDS[kind] if k in body}
    result = apply(
        kind, ident if kind != "add" else None, fields, data_path, state=state, version=version, dry_run=True
    )
    now, stamp = _now()
    record = {
        "id": f"p{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}",
        "time": stamp,
        "proposer": proposer,
        "kind": kind,
        "place": result.ids[0] if result.ids else ident,
        "version": version,
        "fields": fields,
        "proposed": result.features[0] if result.features else None,
        "warnings": result.warnings,
        "state": "pending",
        "reviewer": None,
        "reason": None,
        "decided": None,
        "change": None,
    }
    path = proposals_path(data_path)
    with locked(path):
        queue = _read(path)
        waiting = sum(1 for p in queue if p.get("proposer") == proposer and p.get("state") == "pending")
        if waiting >= MAX_PENDING:
            msg = f"proposals: {proposer} already has {waiting} proposals waiting (at most {MAX_PENDING})"
            raise ValidationError(msg)
        queue.append(record)
        write_private(path, {"format": _FORMAT, "proposals": queue}, "proposals")
    return record


def list_proposals(data_path: Path, proposer: str | None = None) -> list[dict[str, Any]]:
    """Return the proposals, oldest first.

    Parameters
    ----------
    data_path : pathlib.Path
        The data file.
    proposer : str, optional
        Only this proposer's proposals.

    Returns
    -------
    list of dict
        The proposal records.
    """
    return [p for p in _read(proposals_path(data_path)) if proposer is None or p.get("proposer") == proposer]


def pending(data_path: Path, ident: str) -> dict[str, Any]:
    """Return a proposal that is still waiting.

    Parameters
    ----------
    data_path : pathlib.Path
        The data file.
    ident : str
        The proposal id.

    Returns
    -------
    dict
        The proposal's record.

    Raises
    ------
    geo.errors.ValidationError
        No proposal has that id, or it was already decided.
    """
    for record in _read(proposals_path(data_path)):
        if record.get("id") == ident:
            if record.get("state") != "pending":
                msg = f"proposal: {ident} was already {record.get('state')} by {record.get('reviewer')}"
                raise ValidationError(msg)
            return record
    msg = f"proposal: no proposal has id {ident[:40]!r}"
    raise ValidationError(msg)


def check_reason(reason: Any) -> str:
    """Return a clean reason for declining.

    Parameters
    ----------
    reason : Any
        The reason given.

    Returns
    -------
    str
        The reason with surrounding spaces removed.

    Raises
    ------
    geo.errors.ValidationError
        The reason is empty, too long or holds control characters.
    """
    if not isinstance(reason, str) or not reason.strip():
        msg = f"reason: say why it is declined (the proposer sees it), got {reason!r}"
        raise ValidationError(msg)
    if len(reason) > MAX_REASON_CHARS or any(ord(c) < 32 and c not in "\n" for c in reason):
        msg = f"reason: at most {MAX_REASON_CHARS} printable characters, got {reason[:80]!r}"
        raise ValidationError(msg)
    return reason.strip()


def decide(
    data_path: Path, ident: str, *, reviewer: str, outcome: str, reason: str | None = None, change: str | None = None
) -> dict[str, Any]:
    """Mark a waiting proposal ``approved`` or ``declined`` by a reviewer.

    Parameters
    ----------
    data_path : pathlib.Path
        The data file whose proposals file holds the proposal.
    ident : str
        The proposal id.
    reviewer : str
        Who decides.
    outcome : str
        ``"approved"`` or ``"declined"``.
    reason : str, optional
        Why it is declined.
    change : str, optional
        The id of the change an approval made.

    Returns
    -------
    dict
        The proposal's record as now stored.

    Raises
    ------
    geo.errors.ValidationError
        The proposal is not waiting (unknown or already decided).
    """
    path = proposals_path(data_path)
    with locked(path):
        queue = _read(path)
        record = next((p for p in queue if p.get("id") == ident), None)
        if record is None or record.get("state") != "pending":
            pending(data_path, ident)  # raises, naming why
        assert record is not None
        record.update(state=outcome, reviewer=reviewer, reason=reason, change=change, decided=_now()[1])
        write_private(path, {"format": _FORMAT, "proposals": queue}, "proposals")
    return record
