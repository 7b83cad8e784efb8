"""The server's state: one data file, its editors, and the parts that serve them."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path

import anyio

from geo.editors import Roster
from geo.server.assets import page_assets
from geo.server.caches import PageCache, PayloadCache
from geo.server.csp import content_security_policy, served_assets_base
from geo.server.guard import Guesses
from geo.server.hub import EventHub
from geo.server.saving import DataFile

__all__ = ["EditorServer"]

#: Saves run in worker threads, at most this many at once (so waiting saves cannot starve reads of threads).
_WRITERS = 4


@dataclass
class EditorServer:
    """The server's state: the data file's snapshot, the subscribers and the rules for requests.

    Parameters
    ----------
    data_path : pathlib.Path
        The data file (loaded, settled and its hand edits recorded when the server is made).
    token : str
        The shared write token (used while no editors file exists).
    host, port : str, int
        Where it listens (the guard accepts only requests addressed there).
    commit : bool
        Commit each saved change to git.
    node_modules : pathlib.Path or None
        Where the pinned front-end assets are (served under ``/lib/``), or None for the CDN.
    """

    data_path: Path
    token: str
    host: str = "127.0.0.1"
    port: int = 8765
    commit: bool = False
    node_modules: Path | None = None
    hub: EventHub = field(default_factory=EventHub)
    file: DataFile = field(init=False)
    roster: Roster = field(init=False)
    pages: PageCache = field(init=False)
    payloads: PayloadCache = field(default_factory=PayloadCache)
    guesses: Guesses = field(default_factory=Guesses)
    #: One decision per proposal, even with two reviewers clicking at once.
    review_lock: threading.Lock = field(default_factory=threading.Lock)
    #: The front-end files served under ``/lib/`` (see :func:`~geo.server.assets.page_assets`).
    assets: dict[str, Path] = field(default_factory=dict)
    #: Saves run in worker threads, at most a few at once (made when serving starts, in its loop).
    write_limiter: anyio.CapacityLimiter | None = None

    def __post_init__(self) -> None:
        """Load the file and the editors file, and find the assets."""
        self.roster = Roster(self.data_path)
        self.file = DataFile(self.data_path, self.hub, commit=self.commit)
        self.pages = PageCache(served_assets_base(local=self.node_modules is not None))
        if self.node_modules is not None:
            self.assets = page_assets(self.node_modules)

    def start(self) -> None:
        """Get ready to serve in the running event loop (events are delivered on it)."""
        self.hub.bind(asyncio.get_running_loop())
        self.write_limiter = anyio.CapacityLimiter(_WRITERS)

    def csp(self, nonce: str) -> str:
        """Return the page's Content-Security-Policy for a response with ``nonce``.

        Parameters
        ----------
        nonce : str
            The response's one-time nonce, which its inline scripts and styles carry.

        Returns
        -------
        str
        """
        return content_security_policy(nonce, local=self.node_modules is not None)
