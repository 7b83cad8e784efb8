"""The API's routes, one module per group: reading, writing, people and proposals, exchange.

Each route is a plain Starlette endpoint; a refusal or an error it raises is answered by the
app's exception handlers (:mod:`geo.server.handlers`), and a write route names the capability
its key's role needs (:func:`~geo.server.routes._common.needs`).
"""

from __future__ import annotations

from starlette.routing import Route

from geo.server.routes import exchange, people, read, write

__all__ = ["routes"]


def routes() -> list[Route]:
    """Return every route of the API, in the order they are matched.

    Returns
    -------
    list of starlette.routing.Route
    """
    return [*read.ROUTES, *write.ROUTES, *people.ROUTES, *exchange.ROUTES]
