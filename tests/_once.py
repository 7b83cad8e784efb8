"""Make a folder once for the whole test run, shared by every xdist worker, then only read it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


def once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Return ``<run's temp folder>/name``, filled by ``make(folder)`` the first time any worker asks for it.

    The workers of one run share the parent of their temp folders (pytest-xdist's documented way of doing
    something once per run): the first to take the lock makes the folder, the others wait for it and reuse
    it. A ``make`` that fails leaves no folder marked done, so the next worker tries again and fails the same
    way, each test reporting the failure. Callers must treat the folder as read-only.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder = root / name
    done = folder / ".made"
    with FileLock(str(folder) + ".lock"):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            done.touch()
    return folder
