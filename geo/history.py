"""Record every saved change: who, when, which place, before and after; optionally as git commits.

The history of ``data/locations.geojson`` is ``data/locations.history.jsonl``, one JSON
object a line, appended (and synced to disk) after each change lands. A line cut short by a
crash is skipped when reading, with a warning; the data file itself never depends on it.
With ``--commit``, ``geo serve`` also makes each save a git commit of the data file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from geo import settings
from geo.errors import StoreError, ValidationError

__all__ = ["commit_change", "describe", "find_change", "history_path", "read_history", "record_change"]

logger = logging.getLogger(__name__)

#: Longest editor name kept.
MAX_EDITOR_CHARS = 60


def history_path(data_path: str | os.PathLike[str] | None = None) -> Path:
    """Return the history file that belongs to a data file (``<stem>.history.jsonl`` beside it)."""
    p = Path(data_path if data_path is not None else settings.locations_path)
    return p.with_name(f"{p.stem}.history.jsonl")


def check_editor(editor: Any) -> str:
    """Return a clean editor name, or raise ValidationError naming the value."""
    if not isinstance(editor, str) or not editor.strip():
        msg = f"editor: say who you are (a name shown in the history), got {editor!r}"
        raise ValidationError(msg)
    if len(editor) > MAX_EDITOR_CHARS or any(ord(c) < 32 or c in "<>\u2028\u2029" for c in editor):
        msg = f"editor: at most {MAX_EDITOR_CHARS} printable characters without < or >, got {editor[:80]!r}"
        raise ValidationError(msg)
    return editor.strip()


def _name(feature: Mapping[str, Any] | None) -> str:
    return str(feature["properties"].get("name")) if feature else "?"


def describe(record: Mapping[str, Any]) -> str:
    """Say what a change did in one line (the commit message): ``add 睦邻园 location (placed by 张三)``.

    An approved proposal names its proposer too: ``... (placed by 王审核, proposed by 李居民)``.
    """
    text = _describe(record)
    proposer = record.get("proposer")
    return f"{text[:-1]}, proposed by {proposer})" if proposer and text.endswith(")") else text


def _describe(record: Mapping[str, Any]) -> str:
    before, after, editor = record.get("before"), record.get("after"), record.get("editor")
    action, name = record.get("action"), _name(after or before)
    if action == "place":
        return f"add {name} location (placed by {editor})"
    if action == "outline":
        return f"draw {name} outline (by {editor})"
    if action == "update":
        keys = sorted(k for k in (after or {}).get("properties", {}) if
                      (before or {}).get("properties", {}).get(k) != (after or {}).get("properties", {}).get(k))  # fmt: skip
        return f"update {name}: {', '.join(keys) or 'no field'} (by {editor})"
    if action == "undo":
        return f"undo {record.get('undoes')}: {name} (by {editor})"
    verb = {"add": "add", "import": "add", "remove": "remove", "outside": "change"}.get(str(action), str(action))
    return f"{verb} {name} (by {editor})"


@contextlib.contextmanager
def _locked_append(path: Path) -> Iterator[Any]:
    import fcntl

    try:
        handle = path.open("a", encoding="utf-8")
    except OSError as err:
        msg = f"cannot write the history {str(path)!r}: {err.strerror}"
        raise StoreError(msg) from err
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


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
    """Append one change to the history and return its record (with its ``change`` id).

    Parameters
    ----------
    data_path : str or path-like, optional
    editor : str
        Who made it (``"(outside the editor)"`` for changes seen in the file).
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
    now = dt.datetime.now(dt.timezone.utc)
    record = {
        "change": f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}",
        "time": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "editor": editor,
        "action": action,
        "place": place,
        "version_before": versions[0],
        "version_after": versions[1],
        **extra,
        "before": before,
        "after": after,
    }
    record["summary"] = describe(record)
    with _locked_append(history_path(data_path)) as handle:
        handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return record


def read_history(data_path: str | os.PathLike[str] | None = None, place: str | None = None) -> list[dict[str, Any]]:
    """Return the recorded changes, oldest first (only one place's with ``place``)."""
    path = history_path(data_path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        msg = f"cannot read the history {str(path)!r}: {err}"
        raise StoreError(msg) from err
    out = []
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except ValueError:
            logger.warning("%s line %d is not a whole record (cut short by a crash?); skipped", path, number)
            continue
        if isinstance(record, dict) and (place is None or record.get("place") == place):
            out.append(record)
    return out


def find_change(data_path: str | os.PathLike[str] | None, change: str) -> dict[str, Any]:
    """Return one recorded change by its id, or raise ValidationError."""
    for record in read_history(data_path):
        if record.get("change") == change:
            return record
    msg = f"change: no recorded change has id {change!r} (see `geo history`)"
    raise ValidationError(msg)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=30)


def git_root(data_path: str | os.PathLike[str] | None) -> Path | None:
    """Return the git work tree holding the data file, or None."""
    folder = Path(data_path if data_path is not None else settings.locations_path).resolve().parent
    try:
        done = _git(["rev-parse", "--show-toplevel"], folder)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def commit_change(data_path: str | os.PathLike[str] | None, record: Mapping[str, Any]) -> str:
    """Commit the data file with the change's one-line description as the message; return the commit id.

    Raises
    ------
    geo.errors.StoreError
        The file is not in a git work tree, or git refused.
    """
    path = Path(data_path if data_path is not None else settings.locations_path).resolve()
    root = git_root(path)
    if root is None:
        msg = f"--commit: {str(path)!r} is not in a git repository"
        raise StoreError(msg)
    rel = str(path.relative_to(root))
    identity = ["-c", "user.name=geo serve", "-c", "user.email=geo-serve@localhost"]
    if _git(["config", "user.email"], root).stdout.strip():
        identity = []
    author = f"{record['editor']} <editor@nanguan-geo.invalid>"
    steps = [["add", "--", rel], [*identity, "commit", "-q", "--no-verify", "-m", str(record["summary"]),
                                   f"--author={author}", "--", rel]]  # fmt: skip
    for args in steps:
        done = _git(args, root)
        if done.returncode != 0:
            msg = f"--commit: git {args[len(identity)] if args[0] == '-c' else args[0]} failed: {done.stderr.strip()[:200]}"
            raise StoreError(msg)
    return _git(["rev-parse", "HEAD"], root).stdout.strip()
