"""HTTP figures: the registration surge and the event page, each against its ceiling.

Both applications are served by the same gunicorn command (GUNICORN_ARGS) on
the same database; wrk drives them from 127.0.0.1 with the same threads and
connections.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import ROOT, normalised

BENCH = Path(__file__).resolve().parent
WRK_SCRIPT = BENCH / "wrk_report.lua"
# The same for Consult and the ceilings; BENCH_GUNICORN overrides it (one string).
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN", "").split() or [
    "--workers", "4", "--worker-class", "sync", "--backlog", "2048",
    "--log-level", "warning",
]  # fmt: skip
CONNECTIONS = 32
WRK_THREADS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn process serving `module:app` from bench/ on a free port."""

    def __init__(
        self, module: str, database_url: str, log_dir: Path, name: str = "", **settings
    ):
        self.port = _free_port()
        env = dict(os.environ)
        env.update({key: str(value) for key, value in settings.items()})
        env["DATABASE_URL"] = normalised(database_url)
        env.setdefault("SECRET_KEY", "benchmark-secret-key")
        env["PYTHONPATH"] = str(ROOT)
        self.log = open(log_dir / f"gunicorn-{name or module}.log", "ab")  # noqa: SIM115  (closed in stop())
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), *GUNICORN_ARGS, "--chdir", str(BENCH),
             "--bind", f"127.0.0.1:{self.port}", f"{module}:app"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=str(ROOT),
        )  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer {path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def wrk(url: str, seconds: int, *, form: str = "get", run: str = "run") -> dict:
    """Run wrk against url; its figures (throughput, latency percentiles in ms)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    env = dict(os.environ, WRK_FORM=form, WRK_RUN=run)
    out = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s",
         "--timeout", "10s", "-s", str(WRK_SCRIPT), url],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    raw = json.loads(line[len("WRK_JSON ") :])
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["errors"]
    latency = raw["latency_us"]
    return {
        "requests": raw["requests"],
        "non_2xx": errors["status"],
        "socket_errors": errors["connect"]
        + errors["read"]
        + errors["write"]
        + errors["timeout"],
        "throughput_rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(latency["p50"] / 1000, 1),
        "p95_ms": round(latency["p95"] / 1000, 1),
        "p99_ms": round(latency["p99"] / 1000, 1),
        "max_ms": round(latency["max"] / 1000, 1),
    }
