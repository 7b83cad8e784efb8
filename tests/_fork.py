"""Start ``python -m geo ...`` processes by forking one that has already imported geo (Linux; elsewhere: spawn).

A `geo serve` spends about two seconds of CPU importing pandas, geopandas, folium and the rest before it reads a
byte of data, and the suite starts about eighty of them. Each test process (an xdist worker) keeps one helper
process that has imported them once; :func:`popen` asks it to fork, and the fork sets the test's arguments,
environment, working folder and standard streams, then runs ``geo`` exactly as ``python -m geo`` does (its
``__main__`` module) and exits with its exit status. What a fork skips is the interpreter's start and the imports,
so a test of them starts a plain subprocess (tests/test_install.py, tests/test_anywhere.py, ``test_cli.py``'s
check that a command loads only its own modules).

The fork is the helper's grandchild, and the test process is made a child subreaper (``prctl``), so the fork is
re-parented to the test process when its own parent exits: :class:`Forked` waits for it with ``os.waitpid`` like
``subprocess.Popen`` does, and signals reach it directly. Set ``GEO_TEST_SPAWN=1`` to start every server as a
plain subprocess instead.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

#: The helper: import what `geo serve` and the command line import, then fork one `geo` run per request.
HELPER = r"""
import io, json, os, runpy, signal, socket, sys
import geo.cli, geo.cli.main, geo.server, geo.server.app, uvicorn  # the expensive imports, once
channel = socket.socket(fileno=int(sys.argv[1]))
sys.stdout.write("ready\n"); sys.stdout.flush()

def run(request, fds):
    # The run: the test's streams, folder, environment and arguments, then `python -m geo` as it would run.
    channel.close()
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))
    def stream(fd, errors):
        return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="utf-8", errors=errors,
                                line_buffering=unbuffered, write_through=unbuffered)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout, sys.stderr = stream(1, "strict"), stream(2, "backslashreplace")
    sys.argv = ["geo", *request["args"]]
    code = 0
    try:
        runpy.run_module("geo", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:
        import traceback
        traceback.print_exc()
        code = 1
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except Exception:
            pass
    os._exit(code)

while True:
    try:
        message, fds, _, _ = socket.recv_fds(channel, 1 << 20, 3)
    except OSError:
        break
    if not message:
        break
    request = json.loads(message)
    told, tell = os.pipe()
    middle = os.fork()
    if middle == 0:
        # Fork the run and exit, so that the run is re-parented to the test process (a child subreaper).
        os.close(told)
        pid = os.fork()
        if pid == 0:
            os.close(tell)
            run(request, fds)
        os.write(tell, str(pid).encode())
        os._exit(0)
    os.close(tell)
    for fd in fds:
        os.close(fd)
    pid = int(os.read(told, 64) or b"0")
    os.close(told)
    os.waitpid(middle, 0)  # the run is the test process's now
    channel.send(json.dumps({"pid": pid}).encode())
"""

_HELPER: dict[str, object] = {}


class Forked:
    """A forked ``geo`` run, with the part of :class:`subprocess.Popen` the tests use."""

    def __init__(self, pid: int, args: list[str], stdout: IO[str] | None) -> None:
        self.pid, self.args, self.stdout = pid, args, stdout
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by someone else (nothing here does): its status is lost
                self.returncode = -1
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)


def _subreaper() -> bool:
    """Make this process adopt its orphaned descendants (Linux's PR_SET_CHILD_SUBREAPER); False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER


def _helper() -> tuple[subprocess.Popen[str], socket.socket] | None:
    if "proc" in _HELPER:
        proc, channel = _HELPER["proc"], _HELPER["channel"]
        if proc.poll() is None:  # type: ignore[attr-defined]
            return proc, channel  # type: ignore[return-value]
    if os.environ.get("GEO_TEST_SPAWN") or not hasattr(os, "fork") or not _subreaper():
        return None
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    proc = subprocess.Popen(
        [sys.executable, "-c", HELPER, str(theirs.fileno())],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        pass_fds=(theirs.fileno(),),
        cwd=Path(__file__).parent.parent,
    )
    theirs.close()
    if proc.stdout is None or proc.stdout.readline().strip() != "ready":
        proc.kill()
        proc.wait()
        return None
    _HELPER.update(proc=proc, channel=ours)
    return proc, ours


def popen(args: list[str], *, cwd: Path, env: dict[str, str], stdout: int | None, stderr: IO[str]) -> object:
    """Start ``python -m geo *args``: a fork of the helper, or a plain subprocess where there is none.

    ``stdout`` is ``subprocess.PIPE``, a file descriptor or None (inherit); ``stderr`` an open file. Returns a Popen or a
    :class:`Forked`, whose ``stdout`` (with PIPE) is the text stream of what ``geo`` prints.
    """
    helper = _helper()
    cmd = [sys.executable, "-m", "geo", *args]
    if helper is None:
        return subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=stderr, text=True, env=env)
    _, channel = helper
    null = os.open(os.devnull, os.O_RDONLY)
    read_end, write_end = os.pipe() if stdout == subprocess.PIPE else (None, os.dup(1 if stdout is None else stdout))
    try:
        request = json.dumps({"args": args, "cwd": str(cwd), "env": env}).encode()
        socket.send_fds(channel, [request], [null, write_end, stderr.fileno()])
        answer = json.loads(channel.recv(4096))
    finally:
        os.close(null)
        os.close(write_end)
    out = open(read_end, encoding="utf-8") if read_end is not None else None  # noqa: SIM115 (the caller closes it)
    return Forked(answer["pid"], cmd, out)


def run_geo(args: list[str], *, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python -m geo *args`` to the end, forked (:func:`popen`): its exit status and what it printed.

    The part of ``subprocess.run([sys.executable, "-m", "geo", ...], capture_output=True, text=True)`` the
    server tests use, in this process's environment and folder unless ``cwd`` says another.
    """
    import tempfile

    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        proc = popen(args, cwd=cwd or Path.cwd(), env=dict(os.environ), stdout=out.fileno(), stderr=err)
        try:
            code = proc.wait(timeout=timeout)  # type: ignore[attr-defined]
        except subprocess.TimeoutExpired:
            proc.kill()  # type: ignore[attr-defined]
            proc.wait()  # type: ignore[attr-defined]
            raise
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess([sys.executable, "-m", "geo", *args], code, out.read(), err.read())


def stop_helper() -> None:
    """End this process's helper (conftest's session end)."""
    proc, channel = _HELPER.pop("proc", None), _HELPER.pop("channel", None)
    if channel is not None:
        channel.close()  # type: ignore[attr-defined]
    if proc is not None:
        proc.wait(timeout=30)  # type: ignore[attr-defined]  (it ends when its channel closes)
        proc.stdout.close()  # type: ignore[attr-defined]
