"""The forked `geo` runs of the server tests (tests/_fork.py) behave as ``python -m geo`` does.

The same commands are run both ways and must print the same, exit the same and see the same folder and
environment; a signal ends a forked run as it ends a spawned one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import _fork
import pytest

REPO = Path(__file__).parent.parent

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking is POSIX only (spawned there)")


def _both(args: list[str], cwd: Path, env: dict[str, str], tmp_path: Path) -> list[tuple[int, str, str]]:
    out = []
    for way in ("fork", "spawn"):
        err_path = tmp_path / f"{way}.err"
        with err_path.open("w") as err:
            if way == "fork":
                proc = _fork.popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err)
                assert isinstance(proc, _fork.Forked), "no helper: the fork was not tried"
            else:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "geo", *args],
                    cwd=cwd,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    text=True,
                )
            printed = proc.stdout.read()
            proc.stdout.close()
            code = proc.wait(timeout=120)
        out.append((code, printed, err_path.read_text(encoding="utf-8")))
    return out


def test_a_forked_run_prints_and_exits_as_python_dash_m_geo(tmp_path):
    env = {**os.environ, "GEO_DATA": str(tmp_path / "nowhere.geojson")}
    env.pop("GEO_TEST_SPAWN", None)
    forked, spawned = _both(["--version"], REPO, env, tmp_path)
    assert forked == spawned and forked[0] == 0 and forked[1]
    # Its own folder and environment: the data setting names a file that is not there, in both ways alike.
    forked, spawned = _both(["validate"], tmp_path, env, tmp_path)
    assert forked == spawned, (forked, spawned)
    assert forked[0] == 1 and "nowhere.geojson" in forked[2] and "Traceback" not in forked[2]


def test_a_signal_ends_a_forked_server(tmp_path):
    import shutil

    from _server import start, stop

    data = tmp_path / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", data)
    served = start(data)
    assert isinstance(served.proc, _fork.Forked)
    assert served.client.get("/api/places").status_code == 200
    served.proc.send_signal(signal.SIGKILL)
    assert served.proc.wait(timeout=60) == -signal.SIGKILL
    stop(served)
