"""The save path: the data file as the server holds it, each change run under its lock, and reloads.

:class:`DataFile` keeps a :class:`geo.store.Snapshot` (what saves patch) and a :class:`View`
(what reads answer from, replaced whole, so a read never waits for a write). A save loads any
change made to the file meanwhile first; a file that cannot be loaded refuses every save (503)
rather than being written over, and every open page hears so through the :class:`EventHub`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import store
from geo.errors import GeoError, StoreError, ValidationError
from geo.history import check_editor, commit_change, drift, record_outside, settle
from geo.places import ChangeResult
from geo.places.outline import geodesic_area
from geo.server.hub import EventHub
from geo.server.limits import lock_wait

__all__ = ["DataFile", "Signature", "View"]

logger = logging.getLogger(__name__)

#: ``(mtime_ns, size, inode)`` of the data file (:func:`geo.store.file_signature`), None when unseen.
Signature = tuple[int, int, int] | None
#: Who a change outside the editor is announced as.
_OUTSIDE = "(outside the editor)"


@dataclass(frozen=True)
class View:
    """The file as the last save or reload left it: what every read answers from."""

    signature: Signature
    features: dict[str, dict[str, Any]]
    versions: dict[str, str]
    members: dict[str, Any]


class DataFile:
    """The data file as the server holds it, and the one way the server changes it.

    Parameters
    ----------
    data_path : pathlib.Path
        The data file.
    hub : EventHub
        Where saves and reloads are announced.
    commit : bool
        Commit each saved change to git (``geo serve --commit``).
    """

    def __init__(self, data_path: Path, hub: EventHub, *, commit: bool = False) -> None:
        self.data_path, self.hub, self.commit = data_path, hub, commit
        #: Held while a change runs; saves wait for it at most :func:`~geo.server.limits.lock_wait`.
        self.lock = threading.Lock()
        #: Why the file on disk cannot be loaded (saves are refused with 503 until it can), or None.
        self.broken: str | None = None
        self._broken_signature: Signature = None
        # Under the file's lock: a change another process has under way is not mistaken for an interrupted one.
        with store.lock(data_path):
            self.state: store.Snapshot = store.snapshot(data_path)
            try:
                settle(data_path, self.state.versions)
                # What changed outside geo since it was last recorded (a hand edit) goes on record now.
                missed = {place: r.get("after") for place, r in drift(data_path, self.state.versions).items()}
                record_outside(data_path, missed, self.state.features)
            except StoreError as err:  # an unreadable history refuses saves (each says why), not the server's start
                logger.warning("%s", err)
        self.view = self._viewed()

    def save(self, editor: object, do: Callable[[str], ChangeResult], *, dry_run: bool = False) -> dict[str, Any]:
        """Run one change (recorded by the places function, see :func:`geo.history.apply_change`); return the answer.

        Runs in a worker thread, never in the event loop. The lock is waited for at most the lock
        timeout; a change made to the file meanwhile (a hand edit, the command line) is loaded first.

        Parameters
        ----------
        editor : object
            Who saves (checked by :func:`geo.history.check_editor`).
        do : callable
            Makes the change, given the editor's name: one of :mod:`geo.places`' functions.
        dry_run : bool
            The change is a dry run: answer what it would do.

        Returns
        -------
        dict
            The route's answer (``ok``, ``id``, ``version``, ``feature``, ``change``, ``warnings``, ...).

        Raises
        ------
        geo.errors.StoreError
            The lock was not free in time, or the file cannot be loaded.
        """
        name = check_editor(editor)
        if not self.lock.acquire(timeout=lock_wait()):
            raise StoreError(
                "另一个保存仍在等待数据文件，请稍后再试 / another save is still waiting for the data file; "
                "nothing was saved, try again"
            )
        outside: dict[str, Any] | None = None
        was = self.broken
        try:
            outside = self._catch_up()
            result = do(name)
            if not result.written:
                return self._unwritten(result, dry_run=dry_run)
            record = result.records[0]
            commit, warnings = self._commit(record)
            self.view = self._viewed()
            signature = self.state.signature
        finally:
            self.lock.release()
            if outside is not None:  # what was loaded before the save, announced even if the save was refused
                self.hub.publish(outside)
            elif self.broken is not None and self.broken != was:  # this save found the file unreadable first
                self.hub.publish(self.broken_event())
        after = record["after"]
        self.hub.publish(
            {
                "changed": [record["place"]] if after else [],
                "removed": [] if after else [record["place"]],
                "by": name,
                "summary": record["summary"],
                "file": list(signature) if signature else None,
            }
        )
        return {
            "ok": True,
            "id": record["place"],
            "version": record["version_after"],
            "feature": after,
            "change": record["change"],
            "summary": record["summary"],
            "commit": commit,
            "warnings": result.warnings + warnings,
        }

    def _unwritten(self, result: ChangeResult, *, dry_run: bool) -> dict[str, Any]:
        if dry_run:
            return {
                "ok": True,
                "dry_run": True,
                "warnings": result.warnings,
                "features": result.features,
                **_measured(result.features),
            }
        ident = result.ids[0]
        return {
            "ok": True,
            "unchanged": True,
            "id": ident,
            "version": self.state.versions.get(ident),
            "change": None,
            "commit": None,
            "warnings": [*result.warnings, "没有改动 / nothing changed: nothing was written"],
        }

    def _commit(self, record: dict[str, Any]) -> tuple[str | None, list[str]]:
        """Commit the saved change (``--commit``); a git failure is a warning: the change is saved and recorded."""
        if not self.commit:
            return None, []
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
            self.broken = (
                "磁盘上的数据文件无法读取，修好之前不保存任何改动 / the data file on disk cannot be loaded, so "
                f"nothing is saved until it is fixed: {lines[0].splitlines()[0][:300]}{more}"
            )
            self._broken_signature = signature
            logger.warning("%s", self.broken)
            raise StoreError(self.broken) from None
        old = self.state.versions
        changed = [i for i, v in fresh.versions.items() if old.get(i) != v]
        removed = [i for i in old if i not in fresh.versions]
        self._record_outside(fresh, {i: self.state.features.get(i) for i in [*changed, *removed]})
        self.state, self.broken, self._broken_signature = fresh, None, None
        self.view = self._viewed()
        return {
            "changed": changed,
            "removed": removed,
            "by": _OUTSIDE,
            "file": list(fresh.signature) if fresh.signature else None,
        }

    def _record_outside(self, fresh: store.Snapshot, candidates: dict[str, Any]) -> None:
        """Record what changed in the file without a record (a hand edit; the command line records its own)."""
        try:
            with store.lock(self.data_path, timeout=2):
                if store.file_signature(self.data_path) == fresh.signature:  # else: the next look records it
                    record_outside(self.data_path, candidates, fresh.features)
        except StoreError as err:
            logger.warning("a change made outside the editor is loaded but not recorded: %s", err)

    def _viewed(self) -> View:
        state = self.state
        return View(state.signature, dict(state.features), dict(state.versions), state.members())

    def broken_event(self) -> dict[str, Any]:
        """Return the event that tells a page the file cannot be loaded (its ``summary`` is shown on the page).

        Returns
        -------
        dict
        """
        return {"changed": [], "removed": [], "by": None, "error": self.broken, "summary": self.broken}

    def stale(self) -> bool:
        """Return whether the file on disk is not what the server last loaded (or last failed to load).

        Returns
        -------
        bool
        """
        signature = store.file_signature(self.data_path)
        if self.broken is not None:
            return signature != self._broken_signature
        return signature != self.state.signature

    def reload_if_changed(self) -> dict[str, Any] | None:
        """Reload the file if something else changed it; return the event to publish, or None.

        Never waits: while a save holds the lock it returns None and the watcher looks again
        (:meth:`stale` says whether to). A file that cannot be loaded is not taken as read.

        Returns
        -------
        dict or None
        """
        if not self.stale():
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


def _measured(features: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the mapped (geodesic) area of a drawn outline, for the form to show beside the stated area."""
    geom = features[0].get("geometry") if features else None
    if not geom or geom.get("type") == "Point":
        return {}
    return {"mapped_area_m2": round(geodesic_area(geom), 1)}
