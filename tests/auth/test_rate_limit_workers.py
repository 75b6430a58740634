"""Login rate limits hold across several gunicorn workers when counted in Redis.

Flask-Limiter's memory storage is per process: with two workers an attacker
gets each limit once per worker. Production points RATELIMIT_STORAGE_URI at
Redis; this runs real gunicorn workers against a real Redis to show the limit
is then exact.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import IN_CI, make_app
from tests.processes import die_with_parent

ROOT = Path(__file__).resolve().parents[2]


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    reason = None
    if not url:
        reason = "TEST_REDIS_URL is not set"
    else:
        import redis

        try:
            redis.Redis.from_url(url, socket_timeout=2).ping()
        except Exception as exc:  # depends on the machine
            reason = f"Redis at TEST_REDIS_URL is unreachable: {exc}"
    if reason:
        if IN_CI:
            pytest.fail(f"{reason}; CI must run the Redis rate-limit test")
        pytest.skip(reason)
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_two_workers(tmp_path):
    """Two gunicorn workers sharing Redis for rate limits; yields the base URL."""
    storage = redis_url()
    database = "sqlite:///" + str(tmp_path / "workers.db")
    app = make_app(database, tmp_path / "instance")
    with app.app_context():
        from consult.extensions import db

        db.create_all()
        db.engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "CONSULT_ENV": "development",
        "DATABASE_URL": database,
        "CONSULT_INSTANCE_DIR": str(tmp_path / "instance"),
        "SECRET_KEY": "rate-limit-test-secret",
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "LOGIN_RATE_LIMIT": "3 per minute",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=die_with_parent(),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/auth/login", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        process.stderr.close()


def _failed_login(base: str, n: int) -> int:
    """One wrong-password login from a fresh browser; returns the status code."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/auth/login", timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrf_token": token, "email": f"nobody{n}@example.org", "password": "x" * 12}
    ).encode()
    try:
        with opener.open(base + "/auth/login", data=body, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def test_login_limit_is_exact_across_two_workers(gunicorn_two_workers):
    statuses = [_failed_login(gunicorn_two_workers, n) for n in range(8)]
    # Different addresses each time, so only the per-IP limit (3/min) applies.
    assert statuses[:3] == [200, 200, 200], statuses
    assert statuses[3:] == [429] * 5, statuses
