"""The people allowed to change the data: a key per person, a role each, revocable at once.

The editors of ``data/locations.geojson`` are kept in ``data/locations.editors.json``
beside it. A key is shown once, when the person is added; the file keeps only its
scrypt hash (:func:`hashlib.scrypt`, a fresh salt per key), so a copy of the file
lets no one in. A key is ``<key id>.<secret>``: the id (not secret) says which hash
to check, so one scrypt is run per key, compared in constant time.

Roles, from least to most:

``proposer``
    a resident or a reporter: proposes a new place, a location or a correction; the
    proposal waits in the queue and never touches the data file.
``editor``
    changes the data as the single-token editor always could.
``reviewer``
    an editor who also approves or declines proposals.

The file is rewritten whole (a temporary file, synced, then renamed over it), readable
by its owner only, so it is never half-written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from geo._docs import shared_docs
from geo.errors import StoreError, ValidationError
from geo.history import check_editor
from geo.resources import companion

__all__ = [
    "CAPABILITIES",
    "ROLES",
    "Person",
    "Roster",
    "add_editor",
    "editors_path",
    "list_editors",
    "locked",
    "read_private",
    "revoke_editor",
    "write_private",
]

#: What each role may do: ``propose`` (queue a proposal), ``write`` (change the data), ``review`` (decide proposals).
CAPABILITIES = {
    "proposer": frozenset({"propose"}),
    "editor": frozenset({"propose", "write"}),
    "reviewer": frozenset({"propose", "write", "review"}),
}
ROLES = tuple(CAPABILITIES)
#: scrypt's cost (n, r, p): about 16 MiB and a few tens of milliseconds per check.
SCRYPT = (2**14, 8, 1)
_FORMAT = "nanguan-geo editors 1"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """Who a key belongs to: name (as the history shows it), role, key id; ``shared`` for the single token."""

    name: str
    role: str
    key_id: str = ""
    shared: bool = False

    def may(self, capability: str) -> bool:
        """Return whether this person's role allows a capability.

        Parameters
        ----------
        capability : str
            ``"propose"``, ``"write"`` or ``"review"``.

        Returns
        -------
        bool
            True if the role grants it; False for an unknown role or capability.
        """
        return capability in CAPABILITIES.get(self.role, frozenset())


editors_path = companion(__name__, "editors_path", "{stem}.editors.json", "the editors file")


def _hash(secret: str, salt: bytes, cost: tuple[int, int, int]) -> bytes:
    n, r, p = cost
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def read_private(path: Path, what: str, form: str) -> list[dict[str, Any]]:
    """Read the list a private JSON file holds (as :func:`write_private` writes it): editors or proposals.

    Parameters
    ----------
    path : pathlib.Path
        The file to read; a missing file holds an empty list.
    what : str
        What the file is and the member that holds the list (``"editors"``, ``"proposals"``).
    form : str
        The ``format`` the file must declare (``"nanguan-geo editors 1"``).

    Returns
    -------
    list of dict
        The list's objects (anything else in it is skipped).

    Raises
    ------
    geo.errors.StoreError
        The file cannot be read, is not JSON, or is not such a file; nothing is changed.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        msg = f"cannot read the {what} file {str(path)!r}: {err}"
        raise StoreError(msg) from err
    try:
        obj = json.loads(text)
    except ValueError as err:
        msg = f"the {what} file {str(path)!r} is not valid JSON ({err}); nothing was changed"
        raise StoreError(msg) from err
    if not isinstance(obj, dict) or obj.get("format") != form or not isinstance(obj.get(what), list):
        msg = f"the {what} file {str(path)!r} is not a nanguan-geo {what} file; nothing was changed"
        raise StoreError(msg)
    return [e for e in obj[what] if isinstance(e, dict)]


def _read(path: Path) -> list[dict[str, Any]]:
    return read_private(path, "editors", _FORMAT)


def write_private(path: Path, obj: Any, what: str) -> None:
    """Write JSON whole (temporary file, synced, renamed over), readable by its owner only.

    Parameters
    ----------
    path : pathlib.Path
        The file to write.
    obj : Any
        The JSON-serialisable value.
    what : str
        What the file is, for the error message (``"editors"``).

    Raises
    ------
    geo.errors.StoreError
        The file cannot be written; the old file is left as it was.
    """
    text = json.dumps(obj, ensure_ascii=False, indent=1) + "\n"
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        msg = f"cannot write the {what} file {str(path)!r}: {err.strerror}"
        raise StoreError(msg) from err


@contextlib.contextmanager
def locked(path: Path) -> Any:
    """Hold an exclusive lock beside a file while it is read and rewritten (across processes).

    The lock is held for the ``with`` block; :class:`geo.errors.StoreError` says a lock file that cannot be made.

    Parameters
    ----------
    path : pathlib.Path
        The file to guard; the lock is ``.<name>.lock`` beside it.
    """
    lock = FileLock(path.with_name(f".{path.name}.lock"))  # flock on Linux and macOS, LockFileEx on Windows
    try:
        lock.acquire()
    except OSError as err:
        msg = f"cannot lock {str(path)!r}: {err.strerror}"
        raise StoreError(msg) from err
    try:
        yield
    finally:
        lock.release()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@shared_docs()
def add_editor(data_path: str | os.PathLike[str] | None, name: Any, role: Any) -> tuple[Person, str]:
    """Add a person with a new key; return them and the key (shown once, never stored).

    Parameters
    ----------
    name : Any
        The person's name, as the history will show it.
    role : Any
        One of `ROLES`.

    Returns
    -------
    tuple of (Person, str)
        The person added and their key ``<key_id>.<secret>``.

    Raises
    ------
    geo.errors.ValidationError
        The name is not a clean name, is already in use by a key that works, or the role is unknown.
    geo.errors.StoreError
        The editors file cannot be read, locked or written.
    """
    clean = check_editor(name)
    hidden = [c for c in clean if unicodedata.category(c) in ("Cf", "Co", "Cn")]
    if hidden:  # direction overrides and invisible characters make one name look like another
        msg = f"name: no invisible or direction-changing characters (found {', '.join(f'U+{ord(c):04X}' for c in hidden)})"
        raise ValidationError(msg)
    if role not in CAPABILITIES:
        msg = f"role: one of {', '.join(ROLES)}, got {role!r}"
        raise ValidationError(msg)
    path = editors_path(data_path)
    with locked(path):
        editors = _read(path)
        if any(e.get("name") == clean and not e.get("revoked") for e in editors):
            msg = f"name: {clean!r} already has a key (revoke it first to give a new one)"
            raise ValidationError(msg)
        key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_bytes(16)
        n, r, p = SCRYPT
        editors.append(
            {
                "name": clean,
                "role": role,
                "key_id": key_id,
                "salt": salt.hex(),
                "scrypt": [n, r, p],
                "hash": _hash(secret, salt, SCRYPT).hex(),
                "added": _now(),
                "revoked": None,
            }
        )
        write_private(path, {"format": _FORMAT, "editors": editors}, "editors")
    return Person(clean, role, key_id), f"{key_id}.{secret}"


@shared_docs()
def list_editors(data_path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Return every person ever added (never a hash or a salt).

    Returns
    -------
    list of dict
        ``name``, ``role``, ``added`` and ``revoked`` (None while the key works) of each person.

    Raises
    ------
    geo.errors.StoreError
        The editors file cannot be read or is not an editors file.
    """
    return [{k: e.get(k) for k in ("name", "role", "added", "revoked")} for e in _read(editors_path(data_path))]


@shared_docs()
def revoke_editor(data_path: str | os.PathLike[str] | None, name: Any) -> dict[str, Any]:
    """Revoke the working key of a person (a running ``geo serve`` refuses it from its next request).

    Parameters
    ----------
    name : Any
        The person whose key is revoked.

    Returns
    -------
    dict
        ``name``, ``role``, ``added`` and ``revoked`` of the revoked entry.

    Raises
    ------
    geo.errors.ValidationError
        No working key belongs to that name.
    geo.errors.StoreError
        The editors file cannot be read, locked or written.
    """
    path = editors_path(data_path)
    with locked(path):
        editors = _read(path)
        live = [e for e in editors if e.get("name") == name and not e.get("revoked")]
        if not live:
            known = ", ".join(sorted({str(e.get("name")) for e in editors if not e.get("revoked")})) or "none"
            msg = f"name: no working key belongs to {str(name)[:80]!r} (people with keys: {known})"
            raise ValidationError(msg)
        for entry in live:
            entry["revoked"] = _now()
        write_private(path, {"format": _FORMAT, "editors": editors}, "editors")
    return {k: live[0].get(k) for k in ("name", "role", "added", "revoked")}


class Roster:
    """The editors file as a running server sees it: reloaded when it changes, keys checked against it.

    Keys already checked are remembered (by an HMAC of the key under a secret of this
    process, in memory only) so that a page's requests do not each run scrypt.
    """

    def __init__(self, data_path: str | os.PathLike[str]) -> None:
        self.path = editors_path(data_path)
        self._signature: tuple[int, int, int] | None = None
        self._entries: dict[str, dict[str, Any]] = {}
        self._known: dict[bytes, Person] = {}
        self._pepper = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._hashing = threading.BoundedSemaphore(2)  # at most two scrypt checks (16 MiB each) at a time
        self.refresh()

    def exists(self) -> bool:
        """Return whether the data has an editors file (else the single shared token is used).

        Returns
        -------
        bool
            True once the editors file has been seen.
        """
        return self._signature is not None

    def refresh(self) -> bool:
        """Reload the file if it changed. A file that cannot be read lets no key in.

        Returns
        -------
        bool
            Whether the file changed (or appeared, or went) since the last look.
        """
        try:
            st = self.path.stat()
            signature: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            signature = None
        if signature == self._signature:
            return False
        try:
            entries = {str(e.get("key_id")): e for e in _read(self.path) if not e.get("revoked")}
        except StoreError as err:  # fail closed: a damaged file must not keep a revoked key working
            logger.warning("%s; no key works until it is fixed", err)
            entries = {}
        with self._lock:
            self._signature, self._entries = signature, entries
            self._known = {k: p for k, p in self._known.items() if p.key_id in entries}
        return True

    def working(self) -> set[str]:
        """Return the key ids that work now.

        Returns
        -------
        set of str
            The key ids of entries not revoked.
        """
        with self._lock:
            return set(self._entries)

    def known(self, key: str) -> Person | None:
        """Return the person of a key already checked (no scrypt).

        Parameters
        ----------
        key : str
            The whole key, ``<key_id>.<secret>``.

        Returns
        -------
        Person or None
            The person, or None if this key has not been checked yet.
        """
        with self._lock:
            return self._known.get(self._tag(key))

    def resolve(self, key: str) -> Person | None:
        """Return the person a key belongs to, checking it with scrypt the first time.

        Parameters
        ----------
        key : str
            The whole key as a request gave it, ``<key_id>.<secret>``.

        Returns
        -------
        Person or None
            The person, or None for a key that is wrong or revoked.
        """
        self.refresh()
        found = self.known(key)
        if found is not None:
            return found
        key_id, dot, secret = key.partition(".")
        with self._lock:
            entry = self._entries.get(key_id) if dot else None
        if entry is None:
            return None
        cost = tuple(entry.get("scrypt") or SCRYPT)
        with self._hashing:
            digest = _hash(secret, bytes.fromhex(str(entry["salt"])), (int(cost[0]), int(cost[1]), int(cost[2])))
        if not hmac.compare_digest(digest, bytes.fromhex(str(entry["hash"]))):
            return None
        person = Person(str(entry["name"]), str(entry["role"]), key_id)
        with self._lock:
            if key_id in self._entries:
                self._known[self._tag(key)] = person
        return person

    def _tag(self, key: str) -> bytes:
        return hmac.new(self._pepper, key.encode("utf-8", "replace"), hashlib.sha256).digest()
