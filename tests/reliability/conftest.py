"""The reliability suite: the app served by real gunicorn workers, the real
`consult scheduler` process and a real SMTP server that misbehaves on demand.

Fixtures reused from elsewhere: events with stakeholder types and registrants
(tests/conftest.py, built by tests/factories.py), the SMTP sink's message
record, and the scheduler-process helper of tests/test_scheduler.py.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.factories import SERVER_NAMED
from tests.notifications.conftest import Received, SinkHandler, free_port
from tests.processes import die_with_parent

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
# The web workers' PostgreSQL connections carry this name, so a test can end
# exactly those (and nothing of other fixtures sharing the server).
WEB_APPLICATION_NAME = "consult-reliability-web"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def require_postgresql(backend: str, why: str) -> None:
    if backend != "postgresql":
        pytest.skip(f"PostgreSQL only: {why}")


# -- gunicorn ----------------------------------------------------------------


@dataclass
class Server:
    """A running `gunicorn wsgi:app` with several workers."""

    process: subprocess.Popen
    base: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()

    def worker_pids(self) -> set[int]:
        """The master's current children (Linux /proc)."""
        pids: set[int] = set()
        task_dir = Path(f"/proc/{self.process.pid}/task")
        for task in task_dir.iterdir():
            children = (task / "children").read_text().split()
            pids.update(int(pid) for pid in children)
        return pids


def _web_env(database_url: str, instance: Path, port: int) -> dict[str, str]:
    if database_url.startswith("postgresql"):
        separator = "&" if "?" in database_url else "?"
        database_url += f"{separator}application_name={WEB_APPLICATION_NAME}"
    return {
        **os.environ,
        # The development settings: CSRF protection on, as in production,
        # without the Secure cookie flag (the server speaks plain HTTP here).
        "CONSULT_ENV": "development",
        "DATABASE_URL": database_url,
        "CONSULT_INSTANCE_DIR": str(instance),
        "SECRET_KEY": "reliability-suite-secret",
        "SERVER_NAME": f"127.0.0.1:{port}",
        # Every simulated browser comes from 127.0.0.1: the per-address limits
        # would refuse the crowd (they are tested in tests/auth, tests/security).
        "RATELIMIT_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture(scope="module")
def web(database_url, tmp_path_factory):
    """gunicorn with WORKERS sync workers on 127.0.0.1 against the test database.

    One server per module and backend; the tests' data comes and goes under it
    (the app fixture empties the tables after each test).
    """
    folder = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    log_path = folder / "gunicorn.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--timeout", "60",
         "--graceful-timeout", "5", "wsgi:app"],
        cwd=ROOT, env=_web_env(database_url, folder / "instance", port),
        stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent(),
    )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(server.base + "/auth/login", timeout=5):
                    pass
                if len(server.worker_pids()) == WORKERS:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(server.log()) from None
            if time.monotonic() > deadline:
                raise RuntimeError(
                    "gunicorn did not start its workers\n" + server.log()
                )
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


@dataclass
class Answer:
    status: int
    body: str
    url: str


class Browser:
    """One visitor: its own cookies, CSRF tokens read from the forms it loads."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        self.base = base
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> Answer:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status == 200, (page.status, page.body[:500])
        return CSRF.search(page.body).group(1)

    def log_in(self, email: str, password: str = "correct horse battery") -> None:
        token = self.csrf_token("/auth/login")
        answer = self.post(
            "/auth/login", {"csrf_token": token, "email": email, "password": password}
        )
        assert answer.status == 200 and "/auth/login" not in answer.url, answer.body

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Answer(response.status, response.read().decode(), response.url)
        except urllib.error.HTTPError as exc:
            with exc:
                return Answer(exc.code, exc.read().decode(), exc.url)


def registration_form(token: str, email: str, type_key: str = "government") -> dict:
    return {
        "csrf_token": token,
        "full_name": email.split("@")[0].title(),
        "email": email,
        "organisation": "City of Utrecht",
        "country": "NL",
        "timezone": "Europe/Amsterdam",
        "type_key": type_key,
        "role": "attendee",
        "consent_privacy": "y",
    }


# -- SMTP --------------------------------------------------------------------


@dataclass
class FaultyHandler(SinkHandler):
    """The SMTP sink, plus faults switched on and off while a sender runs.

    - ``refuse``: a function of the recipient giving an SMTP reply for RCPT
      (say "451 ..." or "550 ..."), or None to accept;
    - ``stall``: while set, RCPT gets no answer at all (the sender's timeout
      must end the wait); nothing is received meanwhile;
    - ``hold_at``: the n-th message is received, then its "250" reply is held
      back (``holding`` is True) until ``holding`` is set to False: a message
      in flight, taken by the server but not yet known to the sender as sent.
    """

    refuse: object = None
    stall: bool = False
    hold_at: int | None = None
    holding: bool = False
    rcpt_seen: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
            number = len(self.received)
        if number == self.hold_at:
            self.holding = True
            while self.holding:
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_seen.append(address)
        while self.stall:
            await asyncio.sleep(0.05)
        reply = self.refuse(address) if self.refuse else None
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp():
    """A real aiosmtpd server on 127.0.0.1 with a FaultyHandler."""
    handler = FaultyHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        handler.stall = handler.holding = False
        controller.stop()


def received_by(handler: FaultyHandler) -> dict[str, list[Received]]:
    with handler.lock:
        messages = list(handler.received)
    by_recipient: dict[str, list[Received]] = {}
    for message in messages:
        by_recipient.setdefault(message.rcpt_tos[0], []).append(message)
    return by_recipient


def scheduler_env(database_url: str, folder: Path, smtp_port: int, **extra) -> dict:
    """Settings for a fast `consult scheduler` sending through 127.0.0.1:smtp_port."""
    return {
        **os.environ,
        "CONSULT_ENV": "development",
        "DATABASE_URL": database_url,
        "CONSULT_INSTANCE_DIR": str(folder / "scheduler-instance"),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_TIMEOUT": "2",
        "OUTBOX_BATCH_SIZE": "50",
        "SCHEDULER_OUTBOX_INTERVAL": "1",
        "SCHEDULER_HEARTBEAT_INTERVAL": "1",
        "SCHEDULER_REMINDER_INTERVAL": "30",
        "SCHEDULER_STANDBY_POLL": "1",
        "PYTHONUNBUFFERED": "1",
        **{key: str(value) for key, value in extra.items()},
    }


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED
