"""Servers the tests start (gunicorn, the scheduler) die with the test process.

A fixture's teardown stops them when pytest ends normally; when pytest itself
is killed (SIGKILL, a CI timeout, an out-of-memory kill) no teardown runs, and
they used to keep running, holding ports and database connections. On Linux
the kernel sends the child SIGTERM when its parent dies
(prctl(PR_SET_PDEATHSIG)); gunicorn's workers follow their master. The
kernel watches the thread that started the child: start servers from pytest's
main thread (fixtures run there), not from a short-lived helper thread.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that ties the child's life to this process, or None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    # Loaded before the fork: the child runs as little as possible before exec.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def tie() -> None:
        if prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        # The parent may have died between the fork and the prctl.
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return tie


def start_server(
    args: list[str], *, cwd: Path, env: dict[str, str], log: Path
) -> subprocess.Popen:
    """Start a long-running process, output to `log`, in its own process group.

    Its own group lets a teardown signal gunicorn's workers too; it dies with
    the test process either way.
    """
    handle = log.open("wb")
    try:
        return subprocess.Popen(
            args, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=die_with_parent(),
        )  # fmt: skip
    finally:
        handle.close()
