"""``geo serve``: the map as an editor, served from the data file, safe for several editors at once.

A Starlette application run by uvicorn. Reads need nothing; every write needs the
token printed at start, in the ``X-Geo-Token`` header (never a cookie, so no
cross-site request can carry it), or, once ``geo editors add`` has made an editors file
(:mod:`geo.editors`), each person's own key: the key alone names who writes, its role
decides which routes it may use, and proposers' changes wait in :mod:`geo.proposals`. Requests whose ``Host`` is not this server (DNS
rebinding) or whose ``Origin`` is another site are refused; bodies must be JSON
(``application/json``) of at most :data:`MAX_BODY_BYTES`. The page is served with a
Content-Security-Policy that runs only its own scripts (a fresh nonce per page).

Every save goes through :mod:`geo.places` (the same functions as the command line),
names the version of the place it edited, and gets ``409`` when the place changed
meanwhile; nothing is ever overwritten unseen. Saves are recorded in the history
(:mod:`geo.history`) and, with ``commit=True``, committed to git. Every open page
hears of every change (the server's own, and the command line's, seen by watching
the file) through server-sent events.

The package keeps one concern a module:

- :mod:`~geo.server.state`: :class:`EditorServer`, the state every part is handed;
- :mod:`~geo.server.guard`: the request guard (ASGI middleware) and :func:`identify`;
- :mod:`~geo.server.limits`: body size, wrong-key rate and deadlines;
- :mod:`~geo.server.bodies`: request bodies read strictly, ids in the path;
- :mod:`~geo.server.refusals` and :mod:`~geo.server.handlers`: the refusal body and the
  exception handlers that answer every error with it;
- :mod:`~geo.server.saving`: the save path (the file's snapshot, its lock, reloads);
- :mod:`~geo.server.caches`, :mod:`~geo.server.csp`, :mod:`~geo.server.assets`: the page;
- :mod:`~geo.server.hub`: the event hub (server-sent events);
- :mod:`~geo.server.watch`: the file watcher (watchfiles);
- :mod:`~geo.server.routes`: the API, one module per group;
- :mod:`~geo.server.app`: the Starlette application and uvicorn.
"""

from __future__ import annotations

from geo.resources import need

need("serve", "geo.server")  # the one guard of the [serve] extra: a missing module is one line naming it

from geo.server.app import create_app, serve  # noqa: E402
from geo.server.guard import TOKEN_HEADER, identify  # noqa: E402
from geo.server.limits import GUESS_LIMIT, MAX_BODY_BYTES  # noqa: E402
from geo.server.refusals import problems_by_field, refusal_body  # noqa: E402
from geo.server.state import EditorServer  # noqa: E402

__all__ = [
    "GUESS_LIMIT",
    "MAX_BODY_BYTES",
    "TOKEN_HEADER",
    "EditorServer",
    "create_app",
    "identify",
    "problems_by_field",
    "refusal_body",
    "serve",
]
