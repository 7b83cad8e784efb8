"""The file watcher: changes made to the data file or the editors file by anyone but the server.

The command line, a hand edit or ``git checkout`` change the data file; ``geo editors`` changes
the editors file. :func:`watch_files` waits for the operating system to say one of them changed
(``watchfiles``: inotify, FSEvents or ReadDirectoryChangesW), then reloads the data file and
announces the change to every open page, or rereads the editors file and closes the event
streams of keys that no longer work. It watches the folders that hold them, not the files
themselves, because both are replaced by a rename when written, which ends a watch on the file.

Two cases the notifications alone would miss are covered. A reload that finds a save holding
the lock tries again shortly, until the file is what the server holds. After
:data:`QUIET_SECONDS` without any notification both files are looked at once anyway, for a
change no notification reports (a folder on a network file system). When the operating system
cannot watch at all (its limit of watches reached), watchfiles' own polling is used instead,
and the log says so.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool
from watchfiles import Change, awatch

from geo.server.state import EditorServer

__all__ = ["QUIET_SECONDS", "RETRY_SECONDS", "watch_files"]

logger = logging.getLogger(__name__)

#: Seconds without a notification after which both files are looked at anyway.
QUIET_SECONDS = 5.0
#: Seconds before a reload that found a save under way looks again.
RETRY_SECONDS = 0.2


def _names(path: Path) -> set[str]:
    """Return the paths a notification about ``path`` may name (as given and with links resolved)."""
    return {str(path.absolute()), str(path.resolve())}


async def _changes(folders: Iterable[Path], wanted: set[str], stop: anyio.Event) -> AsyncIterator[set[str]]:
    """Yield the wanted paths that changed, each time some did (an empty set after a quiet spell)."""
    quiet_ms = int(QUIET_SECONDS * 1000)

    def keep(_change: Change, path: str) -> bool:
        return path in wanted

    paths = sorted({str(f) for f in folders})
    how: dict[str, Any] = {"watch_filter": keep, "recursive": False, "step": 50, "rust_timeout": quiet_ms}
    how.update(yield_on_timeout=True, stop_event=stop)
    try:
        async for batch in awatch(*paths, **how):
            yield {path for _, path in batch}
        return
    except (OSError, RuntimeError) as err:  # no native watch (e.g. the inotify limit): watchfiles polls instead
        logger.warning("cannot watch %s for changes (%s); polling instead", ", ".join(paths), err)
    async for batch in awatch(*paths, **how, force_polling=True):
        yield {path for _, path in batch}


async def _reload(server: EditorServer) -> None:
    """Load the data file if it changed and announce it; while a save holds the lock, look again shortly."""
    while True:
        event = await run_in_threadpool(server.file.reload_if_changed)
        if event is not None:
            server.hub.publish(event)
        if not await run_in_threadpool(server.file.stale):
            return
        await asyncio.sleep(RETRY_SECONDS)


async def _reread_people(server: EditorServer) -> None:
    """Reread the editors file if it changed and close the event streams of keys that no longer work."""
    await run_in_threadpool(server.roster.refresh)
    if server.hub.streams:
        server.hub.close_keys(server.roster.working())


async def watch_files(server: EditorServer, stop: anyio.Event) -> None:
    """Follow changes to the data file and the editors file until ``stop`` is set.

    Parameters
    ----------
    server : EditorServer
    stop : anyio.Event
        Set when the server shuts down.
    """
    data, people = _names(server.data_path), _names(server.roster.path)
    folders = {Path(p).parent for p in data | people}
    try:
        async for changed in _changes(folders, data | people, stop):
            for names, react in ((data, _reload), (people, _reread_people)):
                if changed & names or not changed:
                    try:
                        await react(server)
                    except Exception:  # a watcher must outlive any one bad read
                        logger.exception("following a change to %s failed", sorted(names)[0])
    except (OSError, RuntimeError):  # the folder itself went away: saves still load outside changes first
        logger.exception("the file watcher stopped; changes made outside the editor show after the next save")
