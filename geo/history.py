"""Record every saved change: who, when, which place, before and after; optionally as git commits.

The history of ``data/locations.geojson`` is ``data/locations.history.jsonl``, one JSON
object a line. Every change goes through :func:`apply_change`, under the data file's lock: an
intent record per place is appended and synced *before* the file is replaced, and a completion
line (``{"txn": ..., "status": "done"}``) after. So after a crash, a full disk or an unwritable
history the two agree: if the history cannot be written nothing changes, if the file cannot be
written the intent is taken back, and an intent a crash left open is settled from what the file
shows (:func:`settle`, at the next change and when ``geo serve`` starts). A torn last line is cut
off before the next append; ``geo validate`` reports what could not be settled (:func:`check`).
With ``--commit``, ``geo serve`` also makes each save a git commit of the data file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import logging
import os
import secrets
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo._docs import shared_docs
from geo.errors import StoreError, ValidationError
from geo.model import text_problem
from geo.resources import companion, find_data_path
from geo.store import lock, patch, version_of

if TYPE_CHECKING:
    from geo.store import Changes, Snapshot

__all__ = [
    "apply_change",
    "changes_since",
    "check",
    "commit_change",
    "default_editor",
    "describe",
    "drift",
    "field_changes",
    "find_change",
    "history_path",
    "read_history",
    "record_change",
    "record_outside",
    "settle",
]

logger = logging.getLogger(__name__)

#: Longest editor name kept.
MAX_EDITOR_CHARS = 60
#: Who a change seen in the file, made outside geo, is recorded as by.
OUTSIDE = "(outside the editor)"


history_path = companion(__name__, "history_path", "{stem}.history.jsonl", "the history file")


def check_editor(editor: Any) -> str:
    """Return a clean editor name.

    Parameters
    ----------
    editor : Any
        The name given (a form field, an option).

    Returns
    -------
    str
        The name with surrounding spaces removed.

    Raises
    ------
    geo.errors.ValidationError
        The name is empty, too long, holds ``<`` or ``>``, or control, direction or hidden characters.
    """
    if not isinstance(editor, str) or not editor.strip():
        msg = f"editor: say who you are (a name shown in the history), got {editor!r}"
        raise ValidationError(msg)
    if len(editor) > MAX_EDITOR_CHARS or "<" in editor or ">" in editor:
        msg = f"editor: at most {MAX_EDITOR_CHARS} printable characters without < or >, got {editor[:80]!r}"
        raise ValidationError(msg)
    problem = text_problem(editor, "editor")  # the places' text rule: no controls, bidi or hidden characters
    if problem:
        raise ValidationError(problem)
    return editor.strip()


def _name(feature: Mapping[str, Any] | None) -> str:
    return str(feature["properties"].get("name")) if feature else "?"


def describe(record: Mapping[str, Any]) -> str:
    """Say what a change did in one line (the commit message): ``add 睦邻园 location (placed by 张三)``.

    An approved proposal names its proposer too: ``... (placed by 王审核, proposed by 李居民)``.

    Parameters
    ----------
    record : Mapping
        A history record (``action``, ``before``, ``after``, ``editor``, optional ``proposer``).

    Returns
    -------
    str
        The one-line description.
    """
    text = _describe(record)
    proposer = record.get("proposer")
    return f"{text[:-1]}, proposed by {proposer})" if proposer and text.endswith(")") else text


def _describe(record: Mapping[str, Any]) -> str:
    before, after, editor = record.get("before"), record.get("after"), record.get("editor")
    action, name = record.get("action"), _name(after or before)
    if action == "place":
        return f"add {name} location (placed by {editor})"
    if action == "locate":
        return f"add {name} location (geocoded, by {editor})"
    if action == "outline":
        return f"draw {name} outline (by {editor})"
    if action == "update":
        keys = sorted(
            k
            for k in (after or {}).get("properties", {})
            if (before or {}).get("properties", {}).get(k) != (after or {}).get("properties", {}).get(k)
        )
        return f"update {name}: {', '.join(keys) or 'no field'} (by {editor})"
    if action == "undo":
        return f"undo {record.get('undoes')}: {name} (by {editor})"
    verb = {"add": "add", "import": "add", "remove": "remove", "outside": "change"}.get(str(action), str(action))
    return f"{verb} {name} (by {editor})"


def _shown_geometry(geometry: Mapping[str, Any] | None) -> Any:
    """Show a geometry as a change does: a point's position, else its type and number of positions."""
    if not geometry:
        return None
    if geometry.get("type") == "Point":
        return geometry.get("coordinates")
    return {"type": geometry.get("type"), "positions": _positions(geometry.get("coordinates"))}


def _positions(coordinates: Any) -> int:
    if not isinstance(coordinates, list) or not coordinates:
        return 0
    if not isinstance(coordinates[0], list):
        return 1
    return sum(_positions(c) for c in coordinates)


def field_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    """Return what a change did to each field (``geometry`` shown in short).

    A new place lists the fields it was given, a removed one the fields it had; fields left as they
    were are not listed. The history keeps this in every record (``changes``) so a reader of the
    history sees old and new values without comparing whole places.

    Parameters
    ----------
    before, after : Mapping or None
        The feature before and after the change; None for a place not there.

    Returns
    -------
    dict of str to list
        ``{field: [old, new]}`` for each field that changed.
    """
    old = dict((before or {}).get("properties") or {})
    new = dict((after or {}).get("properties") or {})
    out: dict[str, list[Any]] = {}
    for key in [*old, *(k for k in new if k not in old)]:
        if key != "id" and old.get(key) != new.get(key):
            out[key] = [old.get(key), new.get(key)]
    was, now = (before or {}).get("geometry"), (after or {}).get("geometry")
    if was != now:
        out["geometry"] = [_shown_geometry(was), _shown_geometry(now)]
    return out


# ---- the journal: one change, one truth


def _dumps(obj: Mapping[str, Any]) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _open_for_append(path: Path) -> int:
    try:
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    except OSError as err:
        msg = f"cannot write the history {str(path)!r}: {err.strerror}; nothing was changed"
        raise StoreError(msg) from err


def _append(path: Path, data: bytes) -> int:
    """Append whole lines and sync them; on any failure cut the file back, so no torn line is left. Return the old size."""
    fd = _open_for_append(path)
    try:
        start = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError as err:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)
                os.fsync(fd)
            msg = f"cannot write the history {str(path)!r}: {err.strerror}; nothing was changed"
            raise StoreError(msg) from err
    finally:
        os.close(fd)
    return start


def _tail(path: Path, limit: int = 1 << 16) -> tuple[int, bytes]:
    """Return the file's size and up to ``limit`` bytes of its end (empty when there is no file)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(size - limit, 0))
            return size, handle.read()
    except FileNotFoundError:
        return 0, b""
    except OSError as err:
        msg = f"cannot read the history {str(path)!r}: {err.strerror}"
        raise StoreError(msg) from err


def _repair_tail(path: Path) -> int | None:
    """Cut a torn last line (a write a crash or a full disk stopped midway) off the history; return its length."""
    size, tail = _tail(path)
    if not tail or tail.endswith(b"\n"):
        return None
    cut = tail.rfind(b"\n")
    if cut < 0 and size > len(tail):
        _, whole = _tail(path, size)
        cut, tail = whole.rfind(b"\n"), whole
    keep = size - len(tail) + cut + 1
    with path.open("r+b") as handle:
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    logger.warning("%s: removed a torn last line of %d bytes (a write that was cut short)", path, size - keep)
    return size - keep


def _settled_tail(path: Path) -> bool:
    """Say whether the history's last line closes everything before it (a status line or an old-style record)."""
    window = 1 << 14
    size, tail = _tail(path, window)
    if not tail:
        return True
    body = tail.removesuffix(b"\n")
    cut = body.rfind(b"\n")
    if cut < 0 and size > len(tail):
        return False  # a last line longer than the window is a change record: look at the whole file
    try:
        last = json.loads(body[cut + 1 :])
    except ValueError:
        return False
    return isinstance(last, dict) and ("status" in last or "txn" not in last)


@dataclass
class _Scan:
    """The history read whole: its change records, each transaction's status, and lines that are not records."""

    records: list[dict[str, Any]] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)
    bad: list[int] = field(default_factory=list)
    torn: bool = False

    def pending(self) -> dict[str, list[dict[str, Any]]]:
        """Return the transactions that were started and never marked done or aborted."""
        out: dict[str, list[dict[str, Any]]] = {}
        for record in self.records:
            txn = record.get("txn")
            if isinstance(txn, str) and txn not in self.status:
                out.setdefault(txn, []).append(record)
        return out

    def settled(self) -> list[dict[str, Any]]:
        """Return the changes that happened: old-style records and those of transactions marked done."""
        return [r for r in self.records if "txn" not in r or self.status.get(str(r["txn"])) == "done"]


def _scan(path: Path) -> _Scan:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _Scan()
    except OSError as err:
        msg = f"cannot read the history {str(path)!r}: {err.strerror}"
        raise StoreError(msg) from err
    scan = _Scan(torn=bool(data) and not data.endswith(b"\n"))
    lines = data.splitlines()
    if scan.torn:
        lines.pop()  # a torn last line is reported as such, not as a bad record
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except ValueError:
            scan.bad.append(number)
            continue
        if not isinstance(record, dict):
            scan.bad.append(number)
        elif "status" in record and "txn" in record:
            scan.status[str(record["txn"])] = str(record["status"])
        else:
            scan.records.append(record)
    return scan


def _verdict(records: list[dict[str, Any]], versions: Mapping[str, str]) -> str | None:
    """``done`` if the file shows every place as the transaction left it, ``aborted`` if as before, else None."""
    if all(versions.get(str(r.get("place"))) == r.get("version_after") for r in records):
        return "done"
    if all(versions.get(str(r.get("place"))) == r.get("version_before") for r in records):
        return "aborted"
    return None


@shared_docs()
def settle(
    data_path: str | os.PathLike[str] | None, versions: Mapping[str, str] | Callable[[], Mapping[str, str]]
) -> list[str]:
    """Repair a torn last line and close the transactions a crash left open; call it under the data file's lock.

    A transaction whose places the file shows as it left them is marked done (the file was replaced before
    the crash), one whose places are as they were is marked aborted (the file never was). One that matches
    neither is left for ``geo validate`` to report.

    Parameters
    ----------
    versions : mapping or callable
        Each place's version in the data file as it is now (:attr:`geo.store.Snapshot.versions`), or a
        function returning them, called only when there is something to settle.

    Returns
    -------
    list of str
        What was repaired, one line each.
    """
    path = history_path(data_path)
    notes = []
    cut = _repair_tail(path)
    if cut:
        notes.append(f"{path}: removed a torn last line ({cut} bytes)")
    if _settled_tail(path):
        return notes
    lines = b""
    pending = _scan(path).pending()
    known = versions() if callable(versions) and pending else versions
    for txn, records in pending.items():
        verdict = _verdict(records, known)  # type: ignore[arg-type]  # a mapping by now
        if verdict is not None:
            lines += _dumps({"txn": txn, "status": verdict})
            notes.append(f"{path}: change {records[0].get('change')} marked {verdict} (interrupted before it was)")
    if lines:
        _append(path, lines)
    for note in notes:
        logger.warning("%s", note)
    return notes


@shared_docs()
def check(data_path: str | os.PathLike[str] | None, versions: Mapping[str, str]) -> list[str]:
    """List every way the history and the data file disagree (``geo validate`` reports them), changing nothing.

    Parameters
    ----------
    versions : mapping
        Each place's version in the data file as it is now (:attr:`geo.store.Snapshot.versions`).

    Returns
    -------
    list of str
        One line per problem: a torn last line, lines that are not records, places the file shows
        otherwise than their last recorded change left them (changed outside geo, not recorded), and
        changes the history says were started that the file shows neither done nor undone.
    """
    path = history_path(data_path)
    scan = _scan(path)
    problems = []
    if scan.torn:
        problems.append(
            f"history {str(path)!r}: the last line is cut short (a write stopped midway); "
            "it is removed at the next change"
        )
    if scan.bad:
        problems.append(f"history {str(path)!r}: line(s) {', '.join(map(str, scan.bad[:10]))} are not whole records")
    for place, record in drift(data_path, versions).items():
        if "txn" in record and str(record["txn"]) not in scan.status:
            continue  # an open transaction: reported below if it is not settled either way
        problems.append(
            f"history {str(path)!r}: {place} is not as its last recorded change {record.get('change')} "
            f"({record.get('summary')}) left it: it was changed outside geo and the change is not "
            "recorded (`geo serve` records such changes when it starts or sees them)"
        )
    for records in scan.pending().values():
        if _verdict(records, versions) is None:
            first = records[0]
            problems.append(
                f"history {str(path)!r}: change {first.get('change')} ({first.get('summary')}) was "
                "started, but the data file shows its places neither as it left them nor as before: "
                "the file and the history disagree"
            )
    return problems


def _latest(scan: _Scan) -> dict[str, dict[str, Any]]:
    """Return each place's last record that was not aborted (an open one counts: its file may be in place)."""
    out: dict[str, dict[str, Any]] = {}
    for record in scan.records:
        if "txn" in record and scan.status.get(str(record["txn"])) == "aborted":
            continue
        out[str(record.get("place"))] = record
    return out


@shared_docs()
def drift(data_path: str | os.PathLike[str] | None, versions: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Return the places the file shows otherwise than their last recorded change left them, with that record.

    Such a place was changed outside geo (by hand, by another program) and the change was not recorded.

    Parameters
    ----------
    versions : Mapping of str to str
        Each place's id and its version in the file now.

    Returns
    -------
    dict of str to dict
        The place id and its last recorded change, for each place that drifted.
    """
    latest = _latest(_scan(history_path(data_path)))
    return {place: r for place, r in latest.items() if r.get("version_after") != versions.get(place)}


@shared_docs()
def record_outside(
    data_path: str | os.PathLike[str] | None,
    candidates: Mapping[str, Mapping[str, Any] | None],
    features: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Record changes made outside geo (a hand edit, ``git checkout``) so the history stays the truth; under the lock.

    Parameters
    ----------
    candidates : mapping
        Places that may have changed (id -> the place as it was, ``None`` if it did not exist).
    features : mapping
        The places as the file has them now, by id.

    Returns
    -------
    list of dict
        The records written: one per candidate whose current state no record explains.
    """
    path = history_path(data_path)
    latest = _latest(_scan(path))
    now = dt.datetime.now(dt.timezone.utc)
    txn = secrets.token_hex(6)
    made = []
    for ident, before in candidates.items():
        after = features.get(ident)
        version = version_of(after) if after is not None else None
        last = latest.get(ident)
        if (last is not None and last.get("version_after") == version) or (
            last is None and before is None and after is None
        ):
            continue
        made.append(
            _make_record(
                now,
                editor=OUTSIDE,
                action="outside",
                place=ident,
                before=before,
                after=after,
                versions=(version_of(before) if before is not None else None, version),
                txn=txn,
            )
        )
    if made:
        _repair_tail(path)
        _append(path, b"".join(map(_dumps, made)) + _dumps({"txn": txn, "status": "done"}))
    return made


class _Pending:
    """A transaction whose intent is in the history: marked done once the file is replaced, or taken back."""

    def __init__(self, path: Path, txn: str, start: int) -> None:
        self.path, self.txn, self.start = path, txn, start

    def done(self) -> None:
        try:
            _append(self.path, _dumps({"txn": self.txn, "status": "done"}))
        except StoreError as err:  # the change and its intent are both recorded; the next start or change settles it
            logger.warning("%s (the change is saved; it is marked done at the next change or start)", err)

    def abort(self) -> None:
        try:
            with self.path.open("r+b") as handle:
                handle.truncate(self.start)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            with contextlib.suppress(StoreError):
                _append(self.path, _dumps({"txn": self.txn, "status": "aborted"}))


def _make_record(
    now: dt.datetime,
    *,
    editor: str,
    action: str,
    place: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    versions: tuple[str | None, str | None],
    **extra: Any,
) -> dict[str, Any]:
    record = {
        "change": f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}",
        "time": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "editor": editor,
        "action": action,
        "place": place,
        "version_before": versions[0],
        "version_after": versions[1],
        **{k: v for k, v in extra.items() if v is not None},
        "changes": field_changes(before, after),
        "before": before,
        "after": after,
    }
    record["summary"] = describe(record)
    return record


def _records_for(
    current: Snapshot, changes: Changes, *, editor: str, action: str, extra: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One record per place the change touches, with the place before (from the file) and after (``None``: removed)."""
    now = dt.datetime.now(dt.timezone.utc)
    index = current.index()

    def version(ident: str) -> str | None:  # only the touched places' (a large file's others are never hashed)
        return current.version_at(index[ident]) if ident in index else None

    touched: list[tuple[str, str | None, dict[str, Any] | None, int | None]] = [
        (new["properties"]["id"], ident, new, None) for ident, new in changes.replace.items()
    ]
    touched += [(new["properties"]["id"], None, new, None) for new in changes.add]
    touched += [
        (ident, ident, None, index.get(ident)) for ident in sorted(changes.remove, key=lambda i: index.get(i, -1))
    ]
    txn = secrets.token_hex(6)
    return [
        _make_record(
            now,
            editor=editor,
            action=action,
            place=place,
            before=current.features.get(old) if old else None,
            after=new,
            versions=(version(old) if old else None, version_of(new) if new else None),
            position=at,
            txn=txn,
            **extra,
        )
        for place, old, new, at in touched
    ]


@shared_docs()
def apply_change(
    data_path: str | os.PathLike[str] | None,
    change: Callable[[list[dict[str, Any]]], Changes],
    *,
    editor: str,
    action: str,
    state: Snapshot | None = None,
    extra: Mapping[str, Any] | None = None,
    wait: float | None = None,
) -> tuple[Changes, list[dict[str, Any]]]:
    """Apply a change to the data file and record it, so that the file and the history always agree.

    Every command that changes the file comes through here (add-park, import, update, remove, undo,
    locate, the editor). Under the data file's lock: a torn last line of the history is cut off and a
    transaction a crash left open is settled (:func:`settle`); ``change`` decides what to do; an intent
    record per place is appended and synced; the file is replaced atomically; a completion record
    follows. If the history cannot be written (a full disk, a folder in its place) nothing is changed;
    if the file cannot be written, the intent is taken back. A crash between the two leaves an intent
    that :func:`settle` marks done or aborted from what the file shows, at the next change or start.

    Parameters
    ----------
    change : callable
        As for :func:`geo.store.patch`.
    editor : str
        Who makes it (checked by :func:`check_editor`).
    action : str
        ``add``, ``import``, ``update``, ``place``, ``outline``, ``remove``, ``undo`` or ``locate``.
    state : geo.store.Snapshot, optional
        As for :func:`geo.store.patch`.
    extra : mapping, optional
        Members every record keeps (``undoes``).
    wait : float, optional
        Seconds to wait for another process's lock, as for :func:`geo.store.patch`.

    Returns
    -------
    tuple
        ``(changes, records)``: what was applied (empty when nothing would change: nothing is written or
        recorded) and its history records, one per place.

    Raises
    ------
    geo.errors.ValidationError, geo.errors.ConflictError
        From ``change`` or the model; nothing is written or recorded.
    geo.errors.StoreError
        The file or the history cannot be read, locked or written; neither is changed.
    """
    editor = check_editor(editor)
    path = history_path(data_path)
    records: list[dict[str, Any]] = []

    def journal(current: Snapshot, changes: Changes) -> _Pending:
        made = _records_for(current, changes, editor=editor, action=action, extra=extra or {})
        settle(data_path, lambda: current.versions)
        start = _append(path, b"".join(_dumps(r) for r in made))
        records.extend(made)
        return _Pending(path, str(made[0]["txn"]), start)

    applied = patch(data_path, change, state=state, journal=journal, wait=wait)
    for record in records:
        logger.info("recorded change %s (%s) in %s", record["change"], record["summary"], path)
    return applied, records


def default_editor() -> str:
    """Return who a change made from this machine is by: ``GEO_EDITOR``, else the user name.

    Returns
    -------
    str
        The name, cut to the longest editor name allowed.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return (os.environ.get("GEO_EDITOR") or f"{user} (command line)")[:MAX_EDITOR_CHARS]


@shared_docs()
def record_change(
    data_path: str | os.PathLike[str] | None,
    *,
    editor: str,
    action: str,
    place: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    versions: tuple[str | None, str | None] = (None, None),
    **extra: Any,
) -> dict[str, Any]:
    """Append one change that was made some other way to the history, and return its record.

    Changes made through :mod:`geo` record themselves (:func:`apply_change`); this is for scripts
    that changed the file by other means and want the change on record (and undoable).

    Parameters
    ----------
    editor : str
        Who made it.
    action : str
        ``add``, ``place``, ``update``, ``outline``, ``remove``, ``undo`` or ``outside``.
    place : str
        The place's id.
    before, after : mapping or None
        The place before and after (``None`` where it did not exist).
    versions : tuple
        Its versions before and after.
    **extra
        Other members to keep (``undoes``).

    Returns
    -------
    dict
    """
    record = _make_record(
        dt.datetime.now(dt.timezone.utc),
        editor=editor,
        action=action,
        place=place,
        before=before,
        after=after,
        versions=versions,
        **extra,
    )
    path = history_path(data_path)
    with lock(data_path):
        _repair_tail(path)
        _append(path, _dumps(record))
    logger.info("recorded change %s (%s) in %s", record["change"], record["summary"], path)
    return record


@shared_docs()
def read_history(data_path: str | os.PathLike[str] | None = None, place: str | None = None) -> list[dict[str, Any]]:
    """Return the recorded changes, oldest first.

    Only changes that happened are listed: a transaction still open (a change under way, or one a
    crash interrupted and the next start settles) and an aborted one are not.

    Parameters
    ----------
    place : str, optional
        Only this place's changes.

    Returns
    -------
    list of dict
        The history records.
    """
    path = history_path(data_path)
    scan = _scan(path)
    for number in scan.bad:
        logger.warning("%s line %d is not a whole record (cut short by a crash?); skipped", path, number)
    return [r for r in scan.settled() if place is None or r.get("place") == place]


@shared_docs()
def changes_since(data_path: str | os.PathLike[str] | None, place: str, seen: str | None) -> dict[str, Any] | None:
    """Say what happened to a place since the version ``seen``: who, when, and each field old -> new.

    What a conflict shows the second editor. The changes are those recorded after the last record
    that left the place at ``seen``; with no such record (an older version), the last change alone.

    Parameters
    ----------
    place : str
        The place id.
    seen : str or None
        The version the editor saw.

    Returns
    -------
    dict or None
        ``{"editors", "time", "change", "changes"}``, or None when nothing is recorded since.
    """
    records = read_history(data_path, place)
    start = next((i for i in range(len(records) - 1, -1, -1) if records[i].get("version_after") == seen), None)
    since = records[start + 1 :] if start is not None else records[-1:]
    if not since:
        return None
    return {
        "editors": list(dict.fromkeys(str(r.get("editor")) for r in since)),
        "time": since[-1].get("time"),
        "change": since[-1].get("change"),
        "changes": field_changes(since[0].get("before"), since[-1].get("after")),
    }


@shared_docs()
def find_change(data_path: str | os.PathLike[str] | None, change: str) -> dict[str, Any]:
    """Return one recorded change by its id.

    Parameters
    ----------
    change : str
        The change id.

    Returns
    -------
    dict
        The history record.

    Raises
    ------
    geo.errors.ValidationError
        No recorded change has that id.
    """
    for record in read_history(data_path):
        if record.get("change") == change:
            return record
    msg = f"change: no recorded change has id {change!r} (see `geo history`)"
    raise ValidationError(msg)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=30)


@shared_docs()
def git_root(data_path: str | os.PathLike[str] | None) -> Path | None:
    """Return the git work tree holding the data file.

    Returns
    -------
    pathlib.Path or None
        The work tree's top folder, or None outside git (or without git).
    """
    folder = find_data_path(data_path).resolve().parent
    try:
        done = _git(["rev-parse", "--show-toplevel"], folder)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 else None


@shared_docs()
def commit_change(data_path: str | os.PathLike[str] | None, record: Mapping[str, Any]) -> str | None:
    """Commit the data file with the change's one-line description as the message.

    When the file is already as the last commit has it there is nothing to commit: None, not an error.

    Parameters
    ----------
    record : Mapping
        The history record of the change.

    Returns
    -------
    str or None
        The commit id, or None when there was nothing to commit.

    Raises
    ------
    geo.errors.StoreError
        The file is not in a git work tree, or git refused.
    """
    path = find_data_path(data_path).resolve()
    root = git_root(path)
    if root is None:
        msg = f"--commit: {str(path)!r} is not in a git repository"
        raise StoreError(msg)
    rel = str(path.relative_to(root))
    identity = ["-c", "user.name=geo serve", "-c", "user.email=geo-serve@localhost"]
    if _git(["config", "user.email"], root).stdout.strip():
        identity = []
    author = f"{record['editor']} <editor@nanguan-geo.invalid>"
    added = _git(["add", "--", rel], root)
    if added.returncode != 0:
        msg = f"--commit: git add failed: {added.stderr.strip()[:200]}"
        raise StoreError(msg)
    if _git(["diff", "--cached", "--quiet", "--", rel], root).returncode == 0:
        return None  # the file is as the last commit has it: nothing to commit is not a failure
    done = _git(
        [*identity, "commit", "-q", "--no-verify", "-m", str(record["summary"]), f"--author={author}", "--", rel], root
    )
    if done.returncode != 0:
        msg = f"--commit: git commit failed: {(done.stderr or done.stdout).strip()[:200]}"
        raise StoreError(msg)
    return _git(["rev-parse", "HEAD"], root).stdout.strip()
