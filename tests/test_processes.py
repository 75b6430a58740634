"""A server a test started stops when the test process is killed (issue 15, 9)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Stands in for pytest: starts gunicorn the way the e2e and reliability
# fixtures do, says its pid, then waits to be killed.
PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tests.processes import start_server

    port, log = sys.argv[1], Path(sys.argv[2])
    server = start_server(
        [sys.executable, "-m", "gunicorn", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=Path.cwd(), env=None, log=log,
    )
    print(server.pid, flush=True)
    time.sleep(600)
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return " Z " not in state and "zombie" not in state


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(p) for p in (task / "children").read_text().split())
    return found


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(what)
        time.sleep(0.1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl")
def test_a_server_dies_with_the_killed_test_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "c.db"))
    monkeypatch.setenv("CONSULT_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("CONSULT_ENV", "development")
    log = tmp_path / "gunicorn.log"
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(_free_port()), str(log)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        server = int(parent.stdout.readline())
        _wait(
            lambda: len(_children(server)) == 2,
            60,
            f"gunicorn did not start its workers:\n{log.read_text()}",
        )
        workers = _children(server)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        _wait(
            lambda: not any(_alive(pid) for pid in {server, *workers}),
            30,
            f"gunicorn outlived the killed parent:\n{log.read_text()}",
        )
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
        parent.stdout.close()
        if "server" in locals() and _alive(server):
            os.killpg(server, signal.SIGKILL)
