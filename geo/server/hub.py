"""The event hub: every open page hears of every change over server-sent events.

Pages subscribe with ``GET /api/events``; a save, a reload of the file changed outside the
server and a proposal all :meth:`EventHub.publish` one JSON event, from any thread. A stream
opened with a key is closed when that key stops working (revoked, or the editors file unreadable).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

__all__ = ["EventHub"]

_CLOSE = "\x00close"  # queued to an event stream whose key was revoked
#: Events one page may have waiting before newer ones are dropped (a page that stopped reading).
_QUEUE_SIZE = 1000
#: Seconds of quiet after which a stream sends a comment, so proxies and browsers keep it open.
_KEEP_ALIVE = 15


def _put(queue: asyncio.Queue[str], text: str) -> None:
    with contextlib.suppress(asyncio.QueueFull):
        queue.put_nowait(text)


class EventHub:
    """The open event streams, and the loop that feeds them."""

    def __init__(self) -> None:
        self.subscribers: set[asyncio.Queue[str]] = set()
        #: Streams opened with a key -> that key's id (closed when it is revoked).
        self.streams: dict[asyncio.Queue[str], str] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver events on ``loop`` (the server's, set when serving starts).

        Parameters
        ----------
        loop : asyncio.AbstractEventLoop
            The loop the server runs on.
        """
        self._loop = loop

    def publish(self, event: Mapping[str, Any]) -> None:
        """Queue one event for every open page (call from any thread).

        Parameters
        ----------
        event : mapping
            ``changed``, ``removed``, ``by``, ``summary``, ``file`` and, for a file that cannot be
            loaded, ``error``; ``proposals`` when the queue changed.
        """
        text = json.dumps(event, ensure_ascii=False)
        loop = self._loop
        if loop is None:
            return
        for queue in list(self.subscribers):
            loop.call_soon_threadsafe(_put, queue, text)

    def subscribe(self, key_id: str | None, first: Mapping[str, Any] | None = None) -> asyncio.Queue[str]:
        """Open a stream (in the loop): its queue, with ``first`` already in it when given.

        Parameters
        ----------
        key_id : str or None
            The id of the key the page opened it with (the stream closes when it stops working).
        first : mapping, optional
            An event the page must hear at once (the file cannot be loaded).

        Returns
        -------
        asyncio.Queue
        """
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=_QUEUE_SIZE)
        self.subscribers.add(queue)
        if key_id:
            self.streams[queue] = key_id
        if first is not None:
            _put(queue, json.dumps(first, ensure_ascii=False))
        return queue

    def close_keys(self, working: set[str]) -> None:
        """Close the streams opened with a key that is not in ``working`` (call in the loop).

        Parameters
        ----------
        working : set of str
            The key ids that work now.
        """
        for queue, key_id in list(self.streams.items()):
            if key_id not in working:
                self.streams.pop(queue, None)
                if queue.full():  # make room: the close must get through
                    queue.get_nowait()
                _put(queue, _CLOSE)

    async def stream(self, queue: asyncio.Queue[str]) -> AsyncIterator[str]:
        """Yield a subscribed queue's events as server-sent events until the page leaves or its key is revoked.

        Parameters
        ----------
        queue : asyncio.Queue
            From :meth:`subscribe`; unsubscribed when the stream ends.

        Yields
        ------
        str
            ``retry:``, then ``event: change`` blocks and keep-alive comments.
        """
        try:
            yield "retry: 1000\n\n"
            while True:
                try:
                    text = await asyncio.wait_for(queue.get(), timeout=_KEEP_ALIVE)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if text == _CLOSE:
                    return
                yield f"event: change\ndata: {text}\n\n"
        finally:
            self.subscribers.discard(queue)
            self.streams.pop(queue, None)
