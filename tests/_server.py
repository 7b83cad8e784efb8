"""Start a real `geo serve` on 127.0.0.1 for a test, and talk to it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from _fork import popen

REPO = Path(__file__).parent.parent
TOKEN = "test-token-0123456789abcdef"


class Served:
    """A running `geo serve`: its URL, token, data file and process."""

    def __init__(self, data: Path, proc: Any, url: str) -> None:
        self.data, self.proc, self.url, self.token = data, proc, url, TOKEN
        self.port = int(re.search(r":(\d+)/", url).group(1))  # type: ignore[union-attr]
        self.log = data.with_name(data.name + ".serve.log")
        self.client = httpx.Client(base_url=url.split("#")[0].rstrip("/"), timeout=60)

    def write(self, method: str, path: str, body: object, **headers: str) -> httpx.Response:
        """Send an authorised JSON write (headers may override or add)."""
        h = {"X-Geo-Token": self.token, "Content-Type": "application/json", **headers}
        return self.client.request(method, path, json=body, headers=h)

    def version(self, ident: str) -> str:
        return self.client.get(f"/api/places/{ident}").json()["version"]


def start(
    data: Path, *extra: str, env: dict[str, str] | None = None, cwd: Path = REPO, log: Path | None = None
) -> Served:
    """Start `geo serve --port 0` on a data file; return once it has said where it listens (log: beside the data)."""
    environment = {**os.environ, "GEO_SERVE_TOKEN": TOKEN, **(env or {})}
    args = ["serve", "--data", str(data), "--port", "0", *extra]
    log = log or data.with_name(data.name + ".serve.log")
    with log.open("a") as err:  # a file, not a pipe: a pipe nobody reads would block the server
        # `python -m geo serve`, forked from a process that has imported geo already (tests/_fork.py).
        proc = popen(args, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=err)
    line = proc.stdout.readline() if proc.stdout else ""
    match = re.search(r"(http://127\.0\.0\.1:\d+/(?:#token=\S+)?)", line)  # no token with an editors file
    if not match:
        proc.kill()
        msg = f"geo serve did not start: {line!r} {log.read_text()[-2000:]}"
        raise RuntimeError(msg)
    served = Served(data, proc, match.group(1))
    deadline = time.monotonic() + 120  # generous: a busy machine starts slowly
    while time.monotonic() < deadline:
        try:
            if served.client.get("/api/places/none-such").status_code == 404:
                return served
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("geo serve did not answer")


def stop(served: Served, *, kill: bool = False) -> None:
    served.client.close()
    if served.proc.poll() is None:
        served.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            served.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            served.proc.kill()
            served.proc.wait()
    if served.proc.stdout:
        served.proc.stdout.close()


@contextmanager
def running(data: Path, *extra: str, **kwargs: object) -> Iterator[Served]:
    served = start(data, *extra, **kwargs)  # type: ignore[arg-type]
    try:
        yield served
    finally:
        stop(served)


def data_in_git_repo(tmp_path: Path, relative: str = "data/locations.geojson") -> tuple[Path, list[str]]:
    """Copy the bundled data into a new git repository (one commit); return its path and a ``git`` command prefix."""
    import shutil

    repo = tmp_path / "repo"
    data = repo / relative
    data.parent.mkdir(parents=True)
    shutil.copy(REPO / "data" / "locations.geojson", data)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    return data, git


def hand_edit(path: Path, ident: str, **changes: object) -> None:
    """Change a place's properties in the data file by hand, as a person with a text editor would."""
    obj = json.loads(path.read_text(encoding="utf-8"))
    for f in obj["features"]:
        if f["properties"]["id"] == ident:
            f["properties"].update(changes)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")
