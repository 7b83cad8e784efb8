"""What the editor server allows: body size, wrong-key rate, deadlines and the save lock's wait.

Every number a refusal quotes lives here, so the guard, the body reader and the save path agree.
"""

from __future__ import annotations

import os

from geo.settings import env

__all__ = ["GUESS_LIMIT", "GUESS_WINDOW", "MAX_BODY_BYTES", "TIMEOUTS", "lock_wait", "timeout"]

#: Largest request body accepted (413 above it).
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Wrong keys one address may send per :data:`GUESS_WINDOW` seconds before it gets 429.
GUESS_LIMIT = 10
GUESS_WINDOW = 60.0
#: Seconds a client may take to send a request's headers (``GEO_HEADER_TIMEOUT``), and then its body
#: (between two pieces, ``GEO_BODY_TIMEOUT``): a slow client is cut off instead of holding a connection open.
TIMEOUTS = {"header_timeout": 10.0, "body_timeout": 20.0}


def timeout(name: str) -> float:
    """Return one of :data:`TIMEOUTS` in seconds, as ``GEO_<NAME>`` sets it (a value outside 0-3600 s is ignored).

    Parameters
    ----------
    name : str
        ``header_timeout`` or ``body_timeout``.

    Returns
    -------
    float
    """
    try:
        value = float(os.environ.get(f"GEO_{name.upper()}") or TIMEOUTS[name])
    except ValueError:
        value = TIMEOUTS[name]
    return value if 0 < value < 3600 else TIMEOUTS[name]


def lock_wait() -> float:
    """Return how long a save waits for the server's lock (``GEO_LOCK_TIMEOUT``, default 30 s).

    Returns
    -------
    float
    """
    try:
        return float(env("lock_timeout") or 30)
    except ValueError:
        return 30.0
